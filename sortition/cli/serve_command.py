"""The `sortition serve` command: the local web app for organizers who do not use a terminal.

Not registered here: `sortition.cli.main` adds it with `cli.add_command`.
"""

from __future__ import annotations

import click

from sortition.cli.errors import user_errors
from sortition.cli.help_language import LocalizedCommand
from sortition.i18n import LANGUAGES, Translator, check_language, default_language


@click.command("serve", cls=LocalizedCommand)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Any address other than this computer's loopback (127.0.0.1, "
    "localhost) needs the access token printed at start on every visit.",
)
@click.option("--port", type=int, default=8000, show_default=True, help="Port to listen on.")
@click.option(
    "--workdir",
    type=click.Path(file_okay=False),
    default="sortition-work",
    show_default=True,
    help="Folder for the runs: uploaded files and results stay here (delete them in the app).",
)
@click.option("--no-browser", is_flag=True, help="Do not open the web browser.")
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default=None,
    help="Language of the app and its reports (default: from the locale, LANG).",
)
@user_errors
def serve_command(host: str, port: int, workdir: str, no_browser: bool, lang: str | None) -> None:
    """Start the local web app: upload, check, draw, lottery, verify, all in the browser.

    Example: sortition serve --lang es
    """
    from sortition.web.config import serve_config  # the web stack loads only for this command
    from sortition.web.server import run_server

    language = check_language(lang or default_language())
    config = serve_config(workdir, host=host, port=port, lang=language)
    t = Translator(language)
    click.echo(t("cli.serve.folder", folder=config.workdir))
    if config.token is not None:
        click.echo(t("cli.serve.network", host=host))
    else:
        click.echo(t("cli.serve.open"))
    run_server(config, open_browser=not no_browser, say=click.echo)
