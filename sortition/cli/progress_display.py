"""Progress on stderr while an algorithm runs, so stdout stays the result.

When stderr is a terminal, a `rich` progress bar shows the phase (maximin, leximin stage i), the
current lowest probability with its proven bound and gap, the elapsed time and, when the share
done is known (LEXIMIN: groups fixed), an estimate of the time left; it disappears when the
algorithm ends. Otherwise (a file, a pipe, a CI log) progress stays plain lines, with a status line
at most every `PLAIN_INTERVAL` seconds. rich does the terminal work (redraws, widths, colours)
that we would otherwise write and test ourselves. With `--lang es` the lines and the status come
in Spanish: the library's progress lines through its catalogs, the status in the web app's
words (`sortition.outputs.live`).
"""

from __future__ import annotations

import sys
import time
from typing import Any

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from sortition.i18n import Translator
from sortition.options import Status
from sortition.outputs.live import live_status, live_text, seating_status
from sortition.tables import SearchProgress

PLAIN_INTERVAL = 10.0  # seconds between status lines when stderr is not a terminal
BAR_INTERVAL = 0.1  # seconds between bar updates (statuses come after every LP solve)


class ProgressDisplay:
    """Receives an algorithm's progress lines (`line`) and statuses (`status`)."""

    def __init__(self, console: Console | None = None, lang: str = "en") -> None:
        self.console = console or Console(stderr=True)
        self.lang = lang
        self.terminal = console is not None or sys.stderr.isatty()
        self._bar: Progress | None = None
        self._task: TaskID | None = None
        self._start = time.monotonic()
        # a bar appears at once; plain lines only once a run has lasted PLAIN_INTERVAL
        self._last = -float("inf") if self.terminal else self._start

    def callbacks(self) -> dict[str, Any]:
        """`progress` and `status` for SolveOptions."""
        return {"progress": self.line, "status": self.status}

    def line(self, message: str) -> None:
        """A progress line (a library text, in the display's language where the catalogs have
        it): above the bar while one is shown, else on stderr."""
        if self.lang != "en":
            message = Translator(self.lang).library_text(message) or message
        if self._bar is not None:
            self._bar.console.print(message, markup=False, highlight=False)
        else:
            click.echo(message, err=True)

    def status(self, status: Status | None) -> None:
        """Show where the computation stands; None clears the bar (the algorithm has ended)."""
        if status is None:
            self._close()
            return
        now = time.monotonic()
        if now - self._last < (BAR_INTERVAL if self.terminal else PLAIN_INTERVAL):
            return
        self._last = now
        text = self.describe(status)
        if not self.terminal:
            click.echo(f"{text} [{now - self._start:.0f} s]", err=True)
            return
        if self._bar is None:
            self._bar = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                TimeElapsedColumn(),
                TextColumn("left"),
                TimeRemainingColumn(),
                console=self.console,
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task(text, total=None)
        assert self._task is not None
        done = status.done
        self._bar.update(
            self._task,
            description=text,
            total=None if done is None else 1.0,
            completed=0.0 if done is None else done,
        )

    def describe(self, status: Status) -> str:
        """The status in the display's language: the library's own words in English, the web
        app's progress words otherwise (`outputs.live`)."""
        if self.lang == "en":
            return status.describe()
        return live_text(Translator(self.lang), live_status(status))

    def seating(self, progress: SearchProgress) -> None:
        """The seating search's best levels so far, as a status line (`every`), in the
        display's language."""
        if self.lang == "en":
            self.every(progress.describe())
        else:
            self.every(live_text(Translator(self.lang), seating_status(progress)))

    def every(self, text: str) -> None:
        """A status line on stderr at most every `PLAIN_INTERVAL` seconds, the first once a run
        has lasted that long (for searches with no bar of their own, e.g. seating)."""
        now = time.monotonic()
        if now - max(self._last, self._start) < PLAIN_INTERVAL:
            return
        self._last = now
        click.echo(f"{text} [{now - self._start:.0f} s]", err=True)

    def _close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar, self._task = None, None
