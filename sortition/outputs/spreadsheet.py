"""An Excel workbook (.xlsx) holding exactly the cells of a CSV file, byte-identical everywhere.

Why: organizers open the lists of selected people, reserves and replacements in Excel to phone
and write to them. A CSV opened there by double-click is read in the computer's code page and
list separator: with a Chilean (es-CL) Windows, 'Peñalolén' comes out as 'PeÃ±alolÃ©n' and every
row lands in one column, because that locale separates by ';'. A workbook has neither problem, and
every cell is stored as text, so a phone number keeps its leading '+' or '0' and a cell starting
with '=' is never run as a formula. (A caller may name columns of whole numbers to store as
numbers, as the seating does for its table numbers.)

The workbook is written here rather than with openpyxl so that its bytes depend only on the CSV:
no clock (the zip entries carry 1980-01-01, the earliest date a zip can hold, and the workbook no
creation date), no library version, no zlib build (entries are stored, not compressed), so the
same draw gives the same file on any machine and its SHA-256 in the selection log holds.
One sheet, the CSV's first row in bold and frozen as the header, column widths from the longest
cell. Characters XML 1.0 cannot hold (control characters) are written as Excel's `_xHHHH_`
escapes, which Excel and openpyxl read back as the character.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from xml.sax.saxutils import escape

SPREADSHEET_SUFFIX = ".xlsx"
SHEET_ROWS = 1_048_576  # the most rows an Excel sheet holds, header included
MAX_WIDTH = 60  # characters; wider cells wrap in Excel's own way
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_NOT_XML = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]")  # \r too: XML would read it as \n
_KEEP_SPACE = re.compile(r"^\s|\s$|[\t\n\r]")  # else XML may trim or fold it
_WHOLE = re.compile("0|[1-9][0-9]{0,14}")  # a whole number Excel holds exactly, no leading 0
_SPECIAL = re.compile("[_\x00-\x08\x0b-\x1f\ufffe\uffff]")  # a cell needing more than XML escapes
_ESCAPE_LIKE = re.compile("_(x[0-9A-Fa-f]{4}_)")

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
    '+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.styles+xml"/></Types>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/styles" Target="styles.xml"/></Relationships>'
)
_STYLES = (  # cell format 0: plain text (@); 1: bold text, for the header; 2: a number
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" '
    'applyNumberFormat="1"/><xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" '
    'applyNumberFormat="1" applyFont="1"/><xf numFmtId="0" fontId="0" fillId="0" borderId="0" '
    'xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def fits_a_sheet(rows: int) -> bool:
    """Whether a table of `rows` rows and a header fits one Excel sheet."""
    return rows + 1 <= SHEET_ROWS


def spreadsheet_name(csv_name: str) -> str:
    """The workbook beside a CSV file: private/selected.csv -> private/selected.xlsx."""
    return csv_name.removesuffix(".csv") + SPREADSHEET_SUFFIX


def csv_to_xlsx(
    data: bytes, sheet: str, *, delimiter: str = ",", numbers: Sequence[str] = ()
) -> bytes:
    """A workbook with one sheet named `sheet` holding every cell of the UTF-8 CSV `data`
    (cells separated by `delimiter`) as text (see the module docstring), except that cells of
    the columns named in `numbers` that are plain whole numbers (such as table numbers, which
    Excel should sort as 2 before 10) are numbers. ValueError when the CSV has more rows than a
    sheet holds (`SHEET_ROWS`): callers check `fits_a_sheet` first."""
    source = io.StringIO(data.decode("utf-8-sig"), newline="")
    rows = list(csv.reader(source, delimiter=delimiter))
    if len(rows) > SHEET_ROWS:
        raise ValueError(f"{len(rows)} rows do not fit an Excel sheet ({SHEET_ROWS})")
    files = {
        "[Content_Types].xml": _CONTENT_TYPES,
        "_rels/.rels": _ROOT_RELS,
        "xl/workbook.xml": _workbook(sheet),
        "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS,
        "xl/styles.xml": _STYLES,
        "xl/worksheets/sheet1.xml": _worksheet(rows, set(numbers)),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, text in files.items():
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.create_system = 3  # as written on Unix, whatever the machine
            info.external_attr = 0o644 << 16
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()


def _workbook(sheet: str) -> str:
    name = _NOT_XML.sub("", re.sub(r"[\[\]:*?/\\]", "_", sheet))[:31] or "Sheet1"
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="1" r:id="rId1"/>'
        "</sheets></workbook>"
    )


def _worksheet(rows: list[list[str]], numbers: set[str]) -> str:
    widths: dict[int, int] = {}
    for row in rows:
        for i, value in enumerate(row):
            widths[i] = max(widths.get(i, 0), len(value))
    parts = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    ]
    if len(rows) > 1:  # keep the header in view while scrolling
        parts.append(
            '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
            'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
        )
    if widths:
        parts.append("<cols>")
        for i in sorted(widths):
            width = min(MAX_WIDTH, max(8, widths[i] + 2))
            parts.append(f'<col min="{i + 1}" max="{i + 1}" width="{width}" customWidth="1"/>')
        parts.append("</cols>")
    parts.append("<sheetData>")
    letters = [_column(c) for c in range(max(widths, default=-1) + 1)]
    numeric = {c for c, name in enumerate(rows[0] if rows else []) if name in numbers}
    for r, row in enumerate(rows, start=1):
        style = ' s="1"' if r == 1 else ""
        parts.append(f'<row r="{r}">')
        for c, value in enumerate(row):
            if value == "":
                continue
            if r > 1 and c in numeric and _WHOLE.fullmatch(value):
                parts.append(f'<c r="{letters[c]}{r}" s="2"><v>{int(value)}</v></c>')
                continue
            space = ' xml:space="preserve"' if _KEEP_SPACE.search(value) else ""
            parts.append(
                f'<c r="{letters[c]}{r}"{style} t="inlineStr"><is><t{space}>'
                f"{_cell_text(value)}</t></is></c>"
            )
        parts.append("</row>")
    parts.append("</sheetData></worksheet>")
    return "".join(parts)


def _column(index: int) -> str:
    """Excel's column letters: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _cell_text(value: str) -> str:
    """A cell's text for the sheet's XML: an underscore that would read as an escape is itself
    escaped, characters XML cannot hold become `_xHHHH_`, then &, < and > are escaped."""
    if _SPECIAL.search(value) is None:  # most cells: nothing but XML's own escapes
        return escape(value)
    value = _ESCAPE_LIKE.sub(r"_x005F_\1", value)
    value = _NOT_XML.sub(lambda m: f"_x{ord(m.group()):04X}_", value)
    return escape(value)
