"""Browser tests: `sortition serve` in a subprocess on a free loopback port, driven by Playwright
through the system's Chromium (Playwright cannot download its own browser here).

Without a Chromium these tests fail, saying how to install one; they are never skipped.
SORTITION_CHROMIUM names another Chromium or Chrome executable.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
CANDIDATES = (
    "/usr/bin/chromium",
    "/usr/lib/chromium/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
)
INSTALL_HINT = (
    "No Chromium browser found for the browser tests. Install one with "
    "'apt-get update && apt-get install -y chromium' (Debian/Ubuntu, as root), or point "
    "SORTITION_CHROMIUM at a Chromium or Chrome executable."
)


def find_chromium() -> str | None:
    """The Chromium to drive: SORTITION_CHROMIUM, a usual install path, or one on PATH."""
    given = os.environ.get("SORTITION_CHROMIUM")
    if given:
        return given if os.access(given, os.X_OK) else None
    for path in CANDIDATES:
        if os.access(path, os.X_OK):
            return path
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Server:
    url: str
    workdir: Path
    startup_seconds: float


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`python -m sortition serve` as an organizer starts it, without opening a browser."""
    workdir = tmp_path_factory.mktemp("serve") / "work"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "LANG": "en_US.UTF-8"}
    env.pop("LC_ALL", None)
    env.pop("LC_MESSAGES", None)
    command = [sys.executable, "-m", "sortition", "serve", "--no-browser", "--port", str(port)]
    started = time.monotonic()
    process = subprocess.Popen(
        [*command, "--workdir", str(workdir)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        while True:
            try:
                with urllib.request.urlopen(url + "/", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None:
                output = process.stdout.read().decode() if process.stdout else ""
                pytest.fail(f"sortition serve stopped at start:\n{output}")
            if time.monotonic() - started > 30:
                pytest.fail("sortition serve did not answer within 30 s")
            time.sleep(0.05)
        yield Server(url, workdir, time.monotonic() - started)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """A headless Chromium; the test fails (is not skipped) when none is installed."""
    executable = find_chromium()
    if executable is None:
        pytest.fail(INSTALL_HINT, pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(
                executable_path=executable, args=CHROMIUM_ARGS, headless=True
            )
        except Exception as error:  # a broken install: say how to get a working one
            pytest.fail(f"{INSTALL_HINT}\nLaunching {executable} failed: {error}", pytrace=False)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: object, server: Server) -> Iterator[object]:
    """A fresh browser context (own cookies) and page; every request it makes must go to the
    app itself: the app loads nothing from elsewhere."""
    context = browser.new_context(  # type: ignore[attr-defined]
        accept_downloads=True, viewport={"width": 1200, "height": 900}, locale="en-US"
    )
    context.set_default_timeout(60_000)
    outside: list[str] = []

    def record(request: object) -> None:
        url = str(request.url)  # type: ignore[attr-defined]
        if not url.startswith((server.url, "data:", "blob:", "about:")):
            outside.append(url)

    context.on("request", record)
    tab = context.new_page()
    yield tab
    context.close()
    assert not outside, f"the app made requests elsewhere: {outside}"
