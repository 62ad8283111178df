"""Run the web app with uvicorn: what `sortition serve` calls after parsing its options."""

from __future__ import annotations

import tempfile
import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path

import uvicorn

from sortition.web.app import create_app
from sortition.web.config import ServeConfig


def app_url(config: ServeConfig) -> str:
    """The address to open (with the access token when there is one)."""
    host = config.host
    shown = f"[{host}]" if ":" in host else host
    if host in ("0.0.0.0", "::"):
        shown = "127.0.0.1"
    url = f"http://{shown}:{config.port}/"
    return f"{url}?token={config.token}" if config.token else url


def run_server(
    config: ServeConfig, *, open_browser: bool = True, say: Callable[[str], None] = print
) -> None:
    """Serve until interrupted. Temporary files (uploads being received) go to the work
    directory too, so personal data never lands elsewhere; the browser opens once the server
    listens."""
    temporary = Path(config.workdir) / "tmp"
    temporary.mkdir(parents=True, exist_ok=True, mode=0o700)
    tempfile.tempdir = str(temporary)
    app = create_app(config)
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host=config.host,
            port=config.port,
            log_level="warning",
            access_log=False,
            server_header=False,
            proxy_headers=False,
        )
    )
    url = app_url(config)

    def announce() -> None:
        while not server.started and not server.should_exit:
            threading.Event().wait(0.05)
        if server.started:
            say(url)
            if open_browser:
                webbrowser.open(url)

    threading.Thread(target=announce, daemon=True).start()
    server.run()
