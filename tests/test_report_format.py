"""Published reports keep verifying when a later version of sortition words its reports
differently (`sortition.outputs.report_format`).

`tests/data/report-format-1/` holds a selection log with the report.html (English) and the Spanish
report that sortition made for it at commit a327211, before reports carried their format. They
must stay this log's own reports for as long as format 1 is renderable, and be skipped with a
reason, never failed, once it is not. The digests below pin the bytes of formats 2 and 3: a change
to how a report reads or looks must bump `REPORT_FORMAT` (and then add its digests), so that
reports already published are re-made in their own format and not called edited.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from sortition.audit.checks import FAIL, PASS, SKIP
from sortition.audit.verify_files import FileCheck, file_checks
from sortition.cli.main import cli
from sortition.outputs import report_format as formats
from sortition.outputs.report_format import REPORT_FORMAT, format_marker, marked_format
from sortition.outputs.report_html import REPORT_NAME, report_language, report_of_log

FORMAT_1 = Path(__file__).parent / "data" / "report-format-1"
LOG = (FORMAT_1 / "selection-log.json").read_bytes()
LOG_SHA256 = hashlib.sha256(LOG).hexdigest()
FORMAT_SHA256 = {
    2: {
        "en": "b07c7f374a1d0c65ee129c2eeddf5859ffe3fc08352e896270e6441eb65a610f",
        "es": "54dbea54f020393b5931cd4447f621ce90f07a53e1fb77976d8efa7e45a9a9af",
    },
    # format 3: Spanish reports send readers to docs/auditoria.md
    3: {
        "en": "e33e915f4344db6988b1c760dc4917517ba6394167c2f9d6a633b693c4ac77d8",
        "es": "caf77bd7cdd8d9413471c6240f0ec650d43a2325c682b091660f46838ca973ad",
    },
}


def report_row(folder: Path) -> FileCheck:
    """The verify row of the report.html beside the log in `folder`."""
    rows = file_checks({"files": {}}, folder / "selection-log.json")
    (row,) = [row for row in rows if row.name == REPORT_NAME]
    return row


def set_with_report(tmp_path: Path, report: bytes) -> Path:
    """A folder holding the fixture's log and `report` as its report.html."""
    (tmp_path / "selection-log.json").write_bytes(LOG)
    (tmp_path / REPORT_NAME).write_bytes(report)
    return tmp_path


def test_this_code_writes_the_current_format_and_names_the_log() -> None:
    report = report_of_log(LOG, "es")
    assert marked_format(report) == (REPORT_FORMAT, LOG_SHA256)
    assert report.count(b'name="sortition-report"') == 1


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("report_format", sorted(FORMAT_SHA256))
def test_each_formats_bytes_are_pinned(lang: str, report_format: int) -> None:
    assert max(FORMAT_SHA256) == REPORT_FORMAT
    made = hashlib.sha256(report_of_log(LOG, lang, report_format)).hexdigest()
    assert made == FORMAT_SHA256[report_format][lang], (
        "the report's bytes changed: bump REPORT_FORMAT in sortition/outputs/report_format.py, "
        "keep the old format renderable if you can, and pin the new digests here"
    )


@pytest.mark.parametrize(("name", "lang"), [("report.html", "en"), ("report-es.html", "es")])
def test_reports_published_before_the_marker_are_still_their_logs_own(
    tmp_path: Path, name: str, lang: str
) -> None:
    published = (FORMAT_1 / name).read_bytes()
    assert marked_format(published) == (1, None)
    assert report_of_log(LOG, lang, 1) == published
    assert report_language(LOG, published) == lang
    row = report_row(set_with_report(tmp_path, published))
    assert row.status == PASS and f"language: {lang}" in row.detail


def test_an_edited_old_report_fails(tmp_path: Path) -> None:
    published = (FORMAT_1 / "report.html").read_bytes()
    edited = published.replace(b"<h1>", b"<h1>Official: ", 1)
    assert edited != published
    row = report_row(set_with_report(tmp_path, edited))
    assert row.status == FAIL and "changed after the draw" in row.detail


def test_an_edited_current_report_fails_even_with_its_marker(tmp_path: Path) -> None:
    report = report_of_log(LOG, "en")
    edited = report.replace(b"</h1>", b" (certified)</h1>", 1)
    assert marked_format(edited) == (REPORT_FORMAT, LOG_SHA256)
    assert report_row(set_with_report(tmp_path, edited)).status == FAIL


def _reformatted(report_format: int, log_sha256: str) -> bytes:
    """A current report relabelled as another format (as a different version would write it)."""
    report = report_of_log(LOG, "en")
    ours = format_marker(REPORT_FORMAT, LOG_SHA256).encode()
    theirs = ours.replace(
        f"format {REPORT_FORMAT};".encode(), f"format {report_format};".encode()
    ).replace(LOG_SHA256.encode(), log_sha256.encode())
    assert ours in report
    return report.replace(ours, theirs + b"<p>reworded</p>\n")


def test_a_newer_format_is_skipped_with_the_reason_not_failed(tmp_path: Path) -> None:
    row = report_row(set_with_report(tmp_path, _reformatted(REPORT_FORMAT + 1, LOG_SHA256)))
    assert row.status == SKIP
    assert "names this log" in row.detail and "update sortition" in row.detail


def test_a_format_no_longer_made_is_skipped_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    published = (FORMAT_1 / "report.html").read_bytes()
    marked = published.replace(
        b"<title>", format_marker(REPORT_FORMAT, LOG_SHA256).encode() + b"<title>", 1
    )
    # the day the current format can no longer be made: its reports are skipped, not failed
    later = REPORT_FORMAT + 1
    monkeypatch.setattr(formats, "RENDERABLE_FORMATS", (later,))
    monkeypatch.setattr("sortition.outputs.report_html.RENDERABLE_FORMATS", (later,))
    monkeypatch.setattr("sortition.audit.verify_files.RENDERABLE_FORMATS", (later,))
    monkeypatch.setattr("sortition.audit.verify_files.REPORT_FORMAT", later)
    row = report_row(set_with_report(tmp_path, marked))
    assert row.status == SKIP
    assert "no longer makes" in row.detail and "record of the draw" in row.detail


def test_a_report_of_another_log_fails_whatever_its_format(tmp_path: Path) -> None:
    other = "ab" * 32
    row = report_row(set_with_report(tmp_path, _reformatted(REPORT_FORMAT + 1, other)))
    assert row.status == FAIL and "another draw" in row.detail


def test_verify_on_the_command_line_accepts_the_old_report(tmp_path: Path) -> None:
    folder = tmp_path / "public"
    shutil.copytree(FORMAT_1, folder)
    (folder / "report-es.html").unlink()
    result = CliRunner().invoke(cli, ["verify", str(folder / "selection-log.json")])
    assert result.exit_code == 0, result.output
    assert "report.html is this log's own report (language: en)" in result.output
    assert "VERIFIED" in result.output


def test_a_format_2_report_still_verifies_and_only_spanish_wording_changed(tmp_path: Path) -> None:
    """A Spanish report published by the previous version (format 2, pointing to the English
    guide) is still its log's own report; format 3 differs from it only in that sentence."""
    old = report_of_log(LOG, "es", 2)
    new = report_of_log(LOG, "es", 3)
    assert b"docs/auditing.md" in old and b"docs/auditoria.md" not in old
    assert b"docs/auditoria.md" in new and b"docs/auditing.md" not in new
    assert report_language(LOG, old) == "es" and report_language(LOG, new) == "es"
    assert report_row(set_with_report(tmp_path, old)).status == PASS
    english = [report_of_log(LOG, "en", f).replace(b"format 2;", b"format 3;") for f in (2, 3)]
    assert english[0] == english[1]  # English reads the same in both formats
