"""Which version of the report's wording and layout a `report.html` was made with.

`sortition verify` checks a published report by making the log's report again and comparing
bytes. That only works while the code makes the same bytes as the code that wrote the report: a
newer sortition that words one sentence differently would otherwise call every older report
"changed after the draw". So every report carries its format in a `<meta>` line of its head,
together with the SHA-256 of the log it was made from:

    <meta name="sortition-report" content="format 2; log sha256 0123...">

and `verify` re-makes a report only in a format this code can still render
(`RENDERABLE_FORMATS`). A report in another format is not re-made: it is checked only for naming
its own log, and the check says why its text was not compared.

Format 1 is every report written before the marker existed (no `<meta>` line); its bytes are
format 2's without that line. Format 3 (December 2026) sends Spanish readers to the Spanish
auditing guide, docs/auditoria.md; English reports read as in format 2. Wordings that older
formats used live in `sortition.i18n.report_wordings`, so their reports are still re-made byte
for byte. Bump `REPORT_FORMAT` with any change to a report's bytes (wording,
layout, style, numbers); tests/test_report_format.py pins the bytes of each format and fails
until the bump is made. Keep an older format in `RENDERABLE_FORMATS` while the renderer can still
make its exact bytes.
"""

from __future__ import annotations

import re

REPORT_FORMAT = 3  # the format this code writes
RENDERABLE_FORMATS = (1, 2, 3)  # formats whose exact bytes this code can still make
UNMARKED_FORMAT = 1  # reports without the marker line were written in this format

_MARKER = re.compile(
    rb'<meta name="sortition-report" content="format (\d{1,6}); log sha256 ([0-9a-f]{64})">'
)


def format_marker(report_format: int, log_sha256: str | None) -> str:
    """The `<meta>` line (with its newline) that marks a report of this format made from the
    log with this SHA-256; empty for the unmarked format or when the log's hash is unknown."""
    if report_format == UNMARKED_FORMAT or not log_sha256:
        return ""
    content = f"format {report_format}; log sha256 {log_sha256}"
    return f'<meta name="sortition-report" content="{content}">\n'


def marked_format(report: bytes) -> tuple[int, str | None]:
    """The format a report says it is in, and the SHA-256 of the log it says it was made from
    (`UNMARKED_FORMAT` and None for a report without the marker line)."""
    found = _MARKER.search(report[:4096])  # the marker sits in the head
    if found is None:
        return UNMARKED_FORMAT, None
    return int(found.group(1)), found.group(2).decode("ascii")
