"""`sortition serve`: the local web app for organizers, in Spanish and English.

The app (`sortition.web.app.create_app`) only handles requests: every step calls the same
library functions as the CLI (reading inputs, feasibility, select, lottery, draw, replace,
verify, `sortition.outputs.report_html`). Long computations run in worker processes
(`sortition.web.jobs`); each run lives in its own folder of the work directory
(`sortition.web.runs`); `sortition.web.security` guards every request. Importing this package
loads nothing of the web stack; `sortition.web.server.run_server` starts it.
"""
