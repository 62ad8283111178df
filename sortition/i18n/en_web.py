"""English messages of the web app (same keys as `sortition.i18n.es_web`)."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # ---- web app ---------------------------------------------------------------------------
    "app.title": "Citizens' panel draws",
    "app.footer": (
        "sortition {version} · runs on this computer only: your files stay in its work folder "
        "and nothing is sent anywhere."
    ),
    "nav.home": "Home",
    "nav.verify": "Verify a draw",
    "home.title": "Draw a citizens' panel by lottery",
    "home.lead": (
        "Upload the list of volunteers and the quota table, check that the quotas can be met, "
        "and draw a panel that gives everyone as equal a chance as the quotas allow."
    ),
    "home.private": (
        "Everything happens on this computer: the files stay in the work folder and you can "
        "delete them at any time. The report and the log can be published: they hold no "
        "personal data."
    ),
    "home.new_draw": "New draw",
    "home.verify": "Verify a published draw",
    "home.deleted": "The run and all its files were deleted.",
    "home.runs": "Runs kept on this computer",
    "home.run": "Run",
    "home.kind": "Kind",
    "home.files": "Files",
    "home.state": "State",
    "home.kind.draw": "draw",
    "home.kind.verify": "verification",
    "home.done": "has results",
    "home.open": "in progress",
    "home.no_runs": "No runs yet.",
    "home.terminal": "Prefer the terminal?",
    "home.terminal_text": (
        "Every step is also a command of the sortition program, with the same results, for example:"
    ),
    "run.title": "Draw",
    "run.job_running": "A computation is running for this draw.",
    "run.see_progress": "See its progress",
    "run.has_output": "This draw has results.",
    "run.see_result": "See the results",
    "run.has_lottery": "A lottery was computed for this draw.",
    "run.see_lottery": "See the lottery and draw it",
    "run.delete_title": "Delete this draw's files",
    "run.delete_help": (
        "Removes the uploaded files and every result of this draw from the work folder. "
        "Download what you need first."
    ),
    "run.delete": "Delete",
    "step.files": "Files",
    "step.columns": "Columns",
    "step.check": "Check the quotas",
    "step.draw": "Draw",
    "files.intro": (
        "The volunteer list (one row per person, with an id column and one column per "
        "characteristic) and the quota table. Up to {size} MB per upload."
    ),
    "files.pool": "Volunteer list (pool)",
    "files.quotas": "Quota table",
    "files.population": "Population per category (optional, to correct self-selection)",
    "files.history": "Earlier selections (optional: id, process, date; keeps recent panelists out)",
    "files.current": "current",
    "files.upload": "Upload",
    "files.formats": (
        "CSV (comma or semicolon, UTF-8) or Excel .xlsx. Quota tables: columns "
        "feature,value,min,max (or category,name,min,max)."
    ),
    "columns.id": "Column with each volunteer's unique id",
    "columns.households": "Household columns",
    "columns.households_help": (
        "Volunteers equal on all the columns ticked (for example the address) share a "
        "household; at most one per household is selected. Tick none to allow several."
    ),
    "columns.panel_size": "Panel size (number of people)",
    "columns.panel_size_missing": "Enter the panel size: a whole number above zero.",
    "columns.read": "Read the files",
    "categories.title": "What was read",
    "categories.summary": (
        "{people} volunteers, a panel of {k}, {features} characteristics with quotas."
    ),
    "categories.households": "{households} households.",
    "categories.in_pool": "in pool",
    "categories.min": "min",
    "categories.max": "max",
    "categories.duplicates": (
        "{count} group(s) of volunteers share contact details ({columns}): each person would "
        "have two chances. Resolve them in the list, or allow them in the draw's options."
    ),
    "categories.duplicate_rows": "rows {rows} (ids {ids})",
    "categories.no_duplicates": "No duplicate registrations (compared {columns}).",
    "check.intro": (
        "Checks that at least one panel meets every quota and household rule; if none does, "
        "it proposes the smallest change to the quotas."
    ),
    "check.run": "Check the quotas",
    "check.feasible": "The quotas can be met: a panel of this size meets every quota.",
    "check.infeasible": "No panel meets every quota.",
    "check.relaxation": "Smallest change that makes a panel possible: {cost} unit(s).",
    "check.old": "Before",
    "check.new": "Proposed",
    "check.use_corrected": "Use the proposed quotas",
    "check.download_corrected": "Download the proposed quota table",
    "draw.now": "Draw now",
    "draw.now_help": "Draws at once from a seed; anyone can repeat the draw with the same seed.",
    "draw.algorithm": "Algorithm",
    "algorithm.leximin": "the fairest (recommended)",
    "algorithm.maximin": "raises the lowest chance; faster",
    "algorithm.nash": "geometric mean of the chances",
    "algorithm.goldilocks": "chances neither too high nor too low",
    "algorithm.diversimax": "most balanced intersections, chances near the fairest",
    "algorithm.legacy": "the old greedy draw (for comparison)",
    "algorithm.fair-maxentropy": "LEXIMIN's chances, the least predictable panel",
    "algorithm.maxentropy": "every valid panel equally likely",
    "draw.seed": "Seed (optional)",
    "draw.seed_placeholder": "e.g. Renca 2026-11-23; empty: one is generated",
    "draw.reserves": "Reserves to rank",
    "draw.overwrite": "Replace the earlier results of this draw",
    "draw.start": "Draw the panel",
    "draw.advanced": "Advanced options",
    "draw.gap": "Optimality gap (e.g. 0.01; empty: exact)",
    "draw.fairness_slack": "Fairness slack for DIVERSIMAX (0 to below 1; empty: 0.05)",
    "draw.time_limit": "Time limit in seconds (empty: none)",
    "draw.correct_self_selection": (
        "Correct self-selection with {file}: chances inversely proportional to how often "
        "residents like each volunteer sign up (LEXIMIN or MAXIMIN)"
    ),
    "draw.history": "Earlier selections ({file})",
    "draw.history_use": "Take the earlier selections into account",
    "draw.cooldown": "Months a selected person sits out",
    "draw.as_of": "Counting back from (the date of this draw)",
    "draw.history_mode": "Recent panelists",
    "draw.history_exclude": "are kept out of this draw",
    "draw.history_weight": "stay in, with a lower chance (LEXIMIN or MAXIMIN)",
    "draw.history_factor": "Their chance relative to others' (0 to 1; blank: 0.5)",
    "draw.allow_duplicates": "Draw even though some volunteers registered twice",
    "lottery.title": "Public lottery",
    "lottery.help": (
        "Commit first: publish the lottery before public random numbers exist (for example a "
        "national lottery result); then draw from those numbers. Nobody can steer the draw."
    ),
    "lottery.tickets": "Number of tickets",
    "lottery.sources": "Public sources that will be used",
    "lottery.sources_placeholder": "e.g. the 6 numbers of Loto draw 5210",
    "lottery.date": "Date of the draw",
    "lottery.overwrite": "Replace the earlier lottery of this draw",
    "lottery.start": "Compute the lottery",
    "lottery.committed": "Lottery ready to publish",
    "lottery.publish": (
        "Publish the file lottery.json, its fingerprint and the statement below before the "
        "draw date, for example on the transparency portal."
    ),
    "lottery.fingerprint": "Fingerprint (SHA-256)",
    "lottery.statement": (
        "The panel of {k} will be drawn from {n} volunteers by the ticket lottery published "
        "as lottery.json, with SHA-256 fingerprint {fingerprint}. It has {tickets} equally "
        "likely tickets, each a panel meeting every published quota, computed with the "
        "{algorithm} algorithm. The winning ticket will be chosen by the procedure of RFC 3797 "
        "from the following public sources: {sources}, on {date}. Anyone can recompute the "
        "draw with 'sortition verify'."
    ),
    "lottery.sources_missing": "[name the public sources]",
    "lottery.date_missing": "[date of the draw]",
    "lottery.target": "Target chances: lowest {min}, highest {max}.",
    "lottery.rounding": "Largest difference between a ticket share and its target: {deviation}.",
    "lottery.download": "Download lottery.json",
    "reveal.title": "Draw from the public numbers",
    "reveal.help": (
        "When the announced numbers are known, enter each source on its own line, in the "
        "announced order."
    ),
    "reveal.sources": "Public numbers (one source per line)",
    "reveal.reserve_tickets": "Reserve tickets to draw as well",
    "reveal.start": "Draw the winning ticket",
    "reveal.no_sources": "Enter the public numbers first.",
    "progress.title": "Progress",
    "progress.title.select": "Drawing the panel",
    "progress.title.lottery": "Computing the lottery",
    "progress.title.replace": "Drawing replacements",
    "progress.state.running": "running",
    "progress.state.done": "finished",
    "progress.state.failed": "stopped with an error",
    "progress.state.cancelled": "cancelled",
    "progress.elapsed": "elapsed",
    "progress.seconds": "s",
    "progress.cancel": "Cancel",
    "progress.cancelled": "The computation was cancelled; no new result was written.",
    "progress.see_result": "See the result",
    "progress.back": "Back to the draw",
    "result.title": "The panel drawn",
    "result.seed": "Seed",
    "result.self_selection": (
        "Self-selection corrected on {categories}: spread of end-to-end chances across residents "
        "(coefficient of variation) {this}, against {equal} with equal chances"
    ),
    "result.history_exclude": (
        "Earlier selections ({file}): {count} registrant(s) selected in the {months} months up "
        "to {date} kept out"
    ),
    "result.history_weight": (
        "Earlier selections ({file}): {count} registrant(s) selected in the {months} months up "
        "to {date} kept in with {factor} of the chance"
    ),
    "result.zip": "Download every file (zip)",
    "result.report": "Open the public report",
    "result.files": "Files",
    "result.private": "{private} hold personal data: keep them private.",
    "result.workbooks": (
        "Each .xlsx file holds the same cells as the .csv beside it: open that one in Excel, "
        "where accents, columns and phone numbers come out right."
    ),
    "result.public": "{public} can be published.",
    "result.reserves_coverage": (
        "They can repair {single} of {singles} single dropouts and {double} of {doubles} "
        "double dropouts."
    ),
    "result.verify": "Verify this draw",
    "result.verify_button": "Verify",
    "result.back": "Back to the draw's steps",
    "replace.title": "Replacements after dropouts",
    "replace.help": (
        "Enter the ids of those who left the panel; replacements are drawn among those not "
        "drawn so that every quota holds again. Each new list of dropouts is a new wave: it "
        "starts from the panel as the last wave left it, and no one drawn before is drawn again."
    ),
    "replace.dropouts": "Ids of the dropouts (separated by commas or lines)",
    "replace.sources": (
        "Or public numbers instead of a seed (one source per line), drawn in public: their "
        "RFC 3797 key becomes the seed"
    ),
    "replace.start": "Draw replacements",
    "replace.overwrite": (
        "Draw wave {wave} again instead of starting a new wave (for the dropouts listed here, "
        "from the panel before wave {wave}; its replacements may already have been told)"
    ),
    "replace.wave": "Wave {wave}",
    "replace.left": "Dropouts:",
    "replace.now": "the panel now",
    "replace.joined": "Replacements:",
    "verify.title": "Verify a draw",
    "verify.intro": (
        "Upload the published selection log, and the lottery file for a public lottery. With "
        "the volunteer list and the quota table as well, it also checks they are the ones used."
    ),
    "verify.log": "The log (selection-log.json, or invitations-log.json)",
    "verify.lottery": "Lottery file (lottery.json, for a public lottery)",
    "verify.pool": "Volunteer list (optional)",
    "verify.quotas": "Quota table (optional)",
    "verify.register": "The register (only for an invitation log, to check its draw)",
    "verify.original": (
        "For a replacement's log: the original draw's log (to check who could replace)"
    ),
    "verify.after": "For a second or later replacement: the log of the replacement before it",
    "verify.deep": "Also re-check the fairness claim (slower)",
    "verify.run": "Verify",
    "verify.outcome": "Outcome",
    "verify.passed": "VERIFIED: every check passed.",
    "verify.failed": "NOT VERIFIED: at least one check failed.",
    "verify.result": "Result",
    "verify.check": "Check",
    "verify.detail": "Detail",
    "verify.status.pass": "PASS",
    "verify.status.fail": "FAIL",
    "verify.status.skip": "skipped",
    "check.fingerprint": "The log was not edited",
    "check.randomness": "Randomness",
    "check.register file": "Register file",
    "check.allocation": "Invitations per stratum",
    "check.invited ids": "Invited ids",
    "check.log": "Log",
    "check.log fingerprint": "The log was not edited",
    "check.published pool and rules": "Published pool and rules",
    "check.input files": "Input files",
    "check.pool and rules readable": "Pool and rules readable",
    "check.every panel meets the rules": "Every panel meets the rules",
    "check.every ticket meets the rules": "Every ticket meets the rules",
    "check.probabilities": "Probabilities",
    "check.seed gives the panel": "The seed gives the panel",
    "check.selected panel": "Selected panel",
    "check.quota counts": "Quota counts",
    "check.completed panel": "Completed panel",
    "verify.failed_checks": "Failed:",
    "check.replacement origin": "Replacement drawn from the right people",
    "check.maximin certificate": "Fairness certificate",
    "check.lottery": "Lottery",
    "check.lottery fingerprint": "The lottery was not edited",
    "check.lottery and log agree": "Lottery and log agree",
    "check.key from sources": "Key from the public numbers",
    "check.ticket from key": "Ticket from the key",
    "check.ticket shares": "Ticket shares",
    "check.optimal distribution": "Optimal distribution",
    "check.files not present": "Files not present",
    "check.files not in the log": "Files not in the log",
    "check.files of the set": "Files of the set",
    "check.fairness floor": "Fairness floor",
    "error.title": "Something needs fixing",
    "error.file": "File",
    "error.row": "row",
    "error.column": "column",
    "error.hint": "How to fix it",
    "error.generic": "The request could not be served.",
    "error.not_found": (
        "There is no such page. This app serves only its own pages and the files of its "
        "draws; paths to other files are refused."
    ),
    "error.server": (
        "Something failed unexpectedly; nothing was written. The terminal where 'sortition "
        "serve' runs shows the details."
    ),
    "error.run.malformed": (
        "This address does not name a draw: a draw's id is 32 letters and digits (0-9, a-f). "
        "Paths to other files are refused."
    ),
    "error.run.missing": "There is no draw with this id (it may have been deleted).",
    "error.csrf": (
        "The form has expired or came from another page. Reload the page and send it again."
    ),
    "error.no_file": "There is no such file in this draw.",
    "error.not_ready": "Upload both files and read them (step 2) before drawing.",
    "error.bad_number": "A number or choice in the form is not valid.",
    "error.too_many_waves": (
        "This run already holds as many waves of replacements as it can keep; start a new run "
        "from the last completed panel."
    ),
    "error.busy": "A computation is already running for this draw; wait or cancel it.",
    "guard.host.title": "Address not allowed",
    "guard.host.body": (
        "This server only answers at the address 127.0.0.1 or localhost of this computer."
    ),
    "guard.token.title": "Access token required",
    "guard.token.body": (
        "This server is reachable from the network, so every visit needs its access token. "
        "Open the address with ?token=... that 'sortition serve' printed when it started."
    ),
    "guard.csrf.title": "Request from another site refused",
    "guard.csrf.body": "Forms of this app can only be sent from its own pages.",
    "guard.size.title": "Upload too large",
    "guard.size.body": "The upload is larger than the limit of {size} MB and was refused.",
    "upload.bad_type": "{file}: this file type is not accepted here; use {types}.",
    "upload.empty": "{file} is empty.",
    "upload.not_xlsx": "{file} is named .xlsx but is not an Excel workbook.",
    "upload.not_json": "{file} is not a JSON file written by sortition.",
    "upload.not_csv": "{file} does not look like a CSV text file (it holds binary data).",
    "upload.no_log": "Upload the selection log (selection-log.json) to verify a draw.",
}
