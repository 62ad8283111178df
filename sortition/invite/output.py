"""The output files of the invitation lottery: the invitations CSV and the log, written safely.

Owns cutting the invited rows, with every column, out of the register's bytes (or, when a
quoted cell spans lines, by a second streaming parse), the invitations CSV (addresses, for
mailing: not for publication), and writing it and the log all-or-nothing.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd

from sortition.audit.log import to_json_bytes
from sortition.errors import Location, UnreadableFile, UsageError
from sortition.invite.draw import Invitations
from sortition.invite.log import invitation_log
from sortition.invite.register import FIRST_DATA_ROW, Register
from sortition.outputs import spreadsheet
from sortition.outputs.files import write_file_atomically, write_files_atomically
from sortition.outputs.result_set import check_output_file
from sortition.outputs.spreadsheet import (
    SPREADSHEET_SUFFIX,
    csv_to_xlsx,
    fits_a_sheet,
    spreadsheet_name,
)
from sortition.text import one_line, quoted_path

CHUNK_ROWS = 250_000  # rows per chunk of the fallback second pass


def invited_rows(register: Register, rows: np.ndarray) -> list[list[str]]:
    """Every column of the given rows (ascending indices), cells as written, header width."""
    width = len(register.header)
    starts = line_starts(register)
    if starts is None:
        cells = rows_by_parsing(register, rows)
    else:
        cells = []
        data = register.data
        for i in rows.tolist():
            line = data[starts[i + 1] : starts[i + 2]].rstrip(b"\n")
            if line.endswith(b"\r"):
                line = line[:-1]
            text = line.decode("utf-8")
            cells.append(next(csv.reader([text], delimiter=register.delimiter), []))
    shaped = []
    for i, record in zip(rows.tolist(), cells, strict=True):
        record = [str(cell) for cell in record]
        if len(record) > width and any(cell.strip() for cell in record[width:]):
            row = i + FIRST_DATA_ROW
            raise UnreadableFile(
                f"row {row} has {len(record)} cells but the header has {width}",
                location=Location(file=register.path, row=row),
                hint="quote values that contain the delimiter, or name the extra column in the "
                "header",
            )
        shaped.append((record + [""] * width)[:width])
    return shaped


def line_starts(register: Register) -> np.ndarray | None:
    """Byte offset where each line starts (and the end), when lines are exactly the rows.

    That holds when no line break sits inside quotes (an even number of '"' before every one)
    and the parser saw one row per line after the header; otherwise None.
    """
    data = np.frombuffer(register.data, dtype=np.uint8)
    breaks = np.flatnonzero(data == ord("\n"))
    quotes = np.flatnonzero(data == ord('"'))
    if len(quotes) and (np.searchsorted(quotes, breaks) % 2).any():
        return None
    ends = breaks + 1
    if len(data) and (not len(breaks) or breaks[-1] != len(data) - 1):
        ends = np.concatenate([ends, [len(data)]])
    if len(ends) - 1 != register.parsed_rows:
        return None
    return np.concatenate([[0], ends]).astype(np.int64)


def rows_by_parsing(register: Register, rows: np.ndarray) -> list[list[str]]:
    """The given rows by a second streaming parse of every column (quoted line breaks)."""
    wanted = rows.tolist()
    found: list[list[str]] = []
    offset = 0
    next_wanted = 0
    try:
        reader = pd.read_csv(
            io.BytesIO(register.data),
            sep=register.delimiter,
            header=0,
            index_col=False,
            dtype=object,
            engine="c",
            na_filter=False,
            skip_blank_lines=False,
            encoding="utf-8",
            chunksize=CHUNK_ROWS,
        )
        with reader:
            for chunk in reader:
                stop = offset + len(chunk)
                local = []
                while next_wanted < len(wanted) and wanted[next_wanted] < stop:
                    local.append(wanted[next_wanted] - offset)
                    next_wanted += 1
                if local:
                    found += chunk.iloc[local].astype(str).to_numpy().tolist()
                offset = stop
                if next_wanted == len(wanted):
                    break
    except (ValueError, pd.errors.ParserError) as error:
        raise UnreadableFile(
            f"{quoted_path(register.path)} is not valid CSV: {one_line(str(error))}",
            location=Location(file=register.path),
            hint="check the quotes and the number of cells in that line, or re-export as CSV",
        ) from error
    if len(found) != len(wanted):
        raise UnreadableFile(
            f"{quoted_path(register.path)} changed shape between two readings",
            location=Location(file=register.path),
            hint="re-export the register as CSV UTF-8 and retry",
        )
    return found


def invitations_csv(invitations: Invitations) -> bytes:
    """The invited rows with every column, in register order, in the register's delimiter.

    Not for publication: it holds addresses.
    """
    register = invitations.register
    out = io.StringIO()
    writer = csv.writer(out, delimiter=register.delimiter, lineterminator="\n")
    rows = invited_rows(register, invitations.invited)
    pseudonyms = invitations.pseudonyms
    if pseudonyms is None:
        writer.writerow(register.header)
        writer.writerows(rows)
    else:  # the link from each row to the log's pseudonymous ids
        position = register.header.index(register.id_column)
        writer.writerow([*register.header, "pseudonym"])
        writer.writerows([*row, pseudonyms.pseudonym[row[position].strip()]] for row in rows)
    return out.getvalue().encode("utf-8")


def check_invitation_outputs(
    register: str | Path, out_path: str | Path, log_path: str | Path, *, overwrite: bool = False
) -> None:
    """Refuse outputs that are one file, replace the register, or (without `overwrite`) exist."""
    out, log = Path(out_path), Path(log_path)
    if out.resolve() == log.resolve():
        raise UsageError(
            f"--out and --log are the same file {quoted_path(str(out))}",
            hint="give the log another name, e.g. invitations-log.json",
        )
    for path in (out, log):
        check_output_file(path, {"register": register}, overwrite=overwrite)


def write_invitations(
    invitations: Invitations,
    out_path: str | Path,
    log_path: str | Path,
    *,
    overwrite: bool = False,
) -> None:
    """Write the invitations CSV and the log, each all-or-nothing (one step if same directory);
    existing files are replaced only with `overwrite`."""
    out, log = Path(out_path), Path(log_path)
    check_invitation_outputs(invitations.register.path, out, log, overwrite=overwrite)
    rows = invitations_csv(invitations)
    if out.suffix.lower() == SPREADSHEET_SUFFIX:
        if not fits_a_sheet(len(invitations.invited)):
            most = spreadsheet.SHEET_ROWS - 1
            raise UsageError(
                f"an Excel sheet holds at most {most:,} rows and a header; these are "
                f"{len(invitations.invited):,} invitations",
                hint="name the output .csv",
            )
        rows = invitations_workbook(invitations, rows)
    record = to_json_bytes(invitation_log(invitations))
    if out.parent.resolve() == log.parent.resolve():
        write_files_atomically(out.parent, {out.name: rows, log.name: record})
    else:
        write_file_atomically(out, rows)
        write_file_atomically(log, record)


def invitations_workbook(invitations: Invitations, rows: bytes) -> bytes:
    """The invitations CSV `rows` as an Excel workbook of the same cells, for a mail merge
    (`sortition.outputs.spreadsheet`)."""
    return csv_to_xlsx(rows, "invitations", delimiter=invitations.register.delimiter)


INVITATIONS_FILE = "private/invitations.csv"  # in a result set: personal data, for mailing
INVITATION_LOG_FILE = "public/invitations-log.json"  # in a result set: ids and counts only


def invitation_files(invitations: Invitations) -> dict[str, bytes]:
    """The invitations as the files of one result set (`write_result_set`), the personal file
    and the publishable log in separate folders: what the web app writes."""
    rows = invitations_csv(invitations)
    files = {INVITATIONS_FILE: rows}
    if fits_a_sheet(len(invitations.invited)):
        files[spreadsheet_name(INVITATIONS_FILE)] = invitations_workbook(invitations, rows)
    files[INVITATION_LOG_FILE] = to_json_bytes(invitation_log(invitations))
    return files


def default_log_path(out_path: str | Path) -> Path:
    """invitations.csv -> invitations-log.json, next to it."""
    out = Path(out_path)
    return out.with_name(f"{out.stem}-log.json")
