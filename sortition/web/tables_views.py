"""Seating the assembly at tables in the browser (`sortition tables`): choose the panel (the one
drawn in this run, or an uploaded file), the columns to balance and the rules, seat it in a
worker, then see the quality and open each round's printable page.

The page only gathers the form and calls the library through the worker task
(`sortition.web.tasks`); what a valid seating is and how it is found live in `sortition.tables`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from sortition.errors import SortitionError
from sortition.inputs.privacy import personal_reason
from sortition.inputs.tables import normalize, read_table
from sortition.web.common import (
    PostedForm,
    file_field,
    open_run,
    read_form,
    redirect,
    render,
    text_field,
    translator,
    web,
)
from sortition.web.draw_views import number_field
from sortition.web.runs import Run
from sortition.web.tasks import error_record

RULE_ROLES = ("together", "apart", "earlier")  # files posted with the seating form
MAX_TABLE_SIZE = 1000
MAX_ROUNDS = 50
MAX_ABSENT = 4000  # characters of the absent members' ids (the field's maxlength)
DEFAULTS = {"table_size": 10, "rounds": 3}
RUN_PANEL = ("draw", "replacement")  # panel sources from this run's own draw


def panel_file(run: Run) -> tuple[Path | None, str]:
    """The panel to seat and where it comes from: an uploaded file ('upload') wins over the
    panel of this run: as the last wave of replacements completed it ('replacement', that
    wave's private selected.csv), else as drawn ('draw'); (None, '') when there is none."""
    uploaded = run.input_path("panel")
    if uploaded is not None:
        return uploaded, "upload"
    waves = run.replacement_waves()
    if waves:
        completed = run.output_file("selected.csv", waves[-1])
        if completed is not None:
            return completed, "replacement"
    drawn = run.output_file("selected.csv")
    return (drawn, "draw") if drawn is not None else (None, "")


def _header(run: Run, path: Path | None, source: str = "") -> dict[str, Any]:
    """The panel's column names, those holding personal data (names, e-mails, phones,
    addresses, identity numbers: `sortition.inputs.privacy`), which are never offered to be
    printed on the tables' pages, or the error reading it (as the page shows it). The drawn
    panel's categories are always offered: the draw already published their values."""
    if path is None:
        return {"header": [], "personal": []}
    try:
        table = read_table(path)
    except SortitionError as error:
        error_shown = error_record(error, run.path, run.read_state("names"))
        return {"header": [], "personal": [], "error": error_shown}
    header = [str(h) for h in table.header]
    published = set(_default_columns(run, source, header)[1]) if source in RUN_PANEL else set()
    personal = [
        column
        for i, column in enumerate(header)
        if column not in published
        and personal_reason(column, (row[i] for row in table.rows if i < len(row))) is not None
    ]
    return {"header": header, "personal": personal}


def _default_columns(run: Run, source: str, header: list[str]) -> tuple[str, list[str]]:
    """The id column and the columns ticked at first: for the run's panel (drawn, or completed
    by replacements), its id column and the draw's categories; for an upload, a column called
    'id' (else the first) and none."""
    normalized = {normalize(h): h for h in header}
    if source in RUN_PANEL:
        id_column = str(run.read_state("settings").get("id_column") or "id")
        parsed = run.read_state("parsed").get("features") or []
        names = [str(f.get("name", "")) for f in parsed if isinstance(f, dict)]
        balance = [normalized[normalize(n)] for n in names if normalize(n) in normalized]
        return normalized.get(normalize(id_column), id_column), balance
    return normalized.get("id", header[0] if header else "id"), []


async def tables_page(request: Request) -> Response:
    """The seating form and, once seated, the quality and the files of the seating."""
    run = open_run(request)
    path, source = panel_file(run)
    columns = await run_in_threadpool(_header, run, path, source)
    id_default, balance_default = _default_columns(run, source, columns["header"])
    chosen = run.read_state("tablesform") or {
        **DEFAULTS,
        "id_column": id_default,
        "balance": balance_default,
        "spread": [],
    }
    job = web(request).jobs.status(run)
    seating = run.read_state("seating") if run.has_seating() else {}
    return render(
        request,
        "tables.html",
        run=run,
        source=source,
        has_draw=run.output_file("selected.csv") is not None,
        names=run.read_state("names"),
        header=columns["header"],
        personal=columns["personal"],
        panel_error=columns.get("error"),
        upload_failure=run.read_state("uploaderror"),
        chosen=chosen,
        rules={role: run.input_path(role) is not None for role in RULE_ROLES},
        job=job if job and job.get("kind") == "tables" else None,
        seating=seating,
        rounds=_round_numbers(seating),
    )


def _round_numbers(seating: dict[str, Any]) -> range:
    """The numbers of a seating's round pages: after the rounds already held, if any."""
    held = int(seating.get("held", 0))
    return range(held + 1, held + int(seating.get("rounds", 0)) + 1)


async def upload_panel(request: Request) -> Response:
    """Store an uploaded panel (replacing an earlier one); 'use the drawn panel' removes it."""
    run = open_run(request)
    form = await read_form(request)
    run.clear_state("uploaderror", "tablesform")
    if form.get("use_draw") == "on":
        path = run.input_path("panel")
        if path is not None:
            path.unlink()
        return redirect(f"/runs/{run.id}/tables")
    upload = file_field(form, "panel")
    if upload is not None:
        run.store_upload("panel", upload)
    return redirect(f"/runs/{run.id}/tables")


def seating_params(run: Run, form: PostedForm, lang: str) -> dict[str, Any]:
    """The worker's parameters from the posted form (400 when the panel is missing or a number
    or column is malformed). The library checks everything else and says what is wrong."""
    path, source = panel_file(run)
    columns = _header(run, path, source)
    header = columns["header"]
    if path is None or not header:
        raise HTTPException(400, "not_ready")
    table_size = number_field(form, "table_size", int)
    rounds = number_field(form, "rounds", int)
    if not table_size or not rounds or table_size > MAX_TABLE_SIZE or rounds > MAX_ROUNDS:
        raise HTTPException(400, "bad_number")
    id_column = text_field(form, "id_column")
    offered = set(header) - set(columns["personal"])  # the choices the page offers
    balance = [c for c in form.getlist("balance") if c in offered]
    spread = [c for c in form.getlist("spread") if c in offered and c not in balance]
    # any column may be shown beside the ids (names are the point); the pages stay private
    label = [c for c in form.getlist("label") if c in header and c != id_column]
    if id_column not in header:
        raise HTTPException(400, "bad_number")
    earlier = _rule_path(run, "earlier")
    held = number_field(form, "held", int) if earlier is not None else None
    if held is not None and not 0 < held <= MAX_ROUNDS:
        raise HTTPException(400, "bad_number")
    # (ids separated by commas, semicolons or lines; not kept for the next seating's form:
    # who is absent changes from one session to the next)
    given = re.split(r"[,;\n]", text_field(form, "absent", MAX_ABSENT))
    absent = [person.strip() for person in given if person.strip()]
    return {
        "panel_path": str(path),
        "id_column": id_column,
        "table_size": int(table_size),
        "rounds": int(rounds),
        "balance": balance,
        "spread": spread,
        "label": label,
        "together_path": _rule_path(run, "together"),
        "apart_path": _rule_path(run, "apart"),
        "earlier_path": earlier,
        "held": held,
        "absent": absent,
        "seed": text_field(form, "seed", 200) or None,
        "time_limit": number_field(form, "time_limit", float) or None,
        "names": run.read_state("names"),
        "lang": lang,
        # continuing the seating above replaces its rounds still ahead: asked for explicitly
        "overwrite": form.get("overwrite") == "on" or form.get("continue_seating") == "on",
    }


def _rule_path(run: Run, role: str) -> str | None:
    path = run.input_path(role)
    return None if path is None else str(path)


async def seat_panel(request: Request) -> Response:
    """Store the rule files posted with the form (or drop the stored ones), then seat the panel
    in a worker process and show its progress."""
    run = open_run(request)
    form = await read_form(request)
    run.clear_state("uploaderror")
    if form.get("continue_seating") == "on":  # the seating above becomes the rounds held
        _keep_current_seating(run)
    for role in RULE_ROLES:
        upload = file_field(form, role)
        if form.get(f"clear_{role}") == "on":
            stored = run.input_path(role)
            if stored is not None:
                stored.unlink()
        elif upload is not None and not run.store_upload(role, upload):
            return redirect(f"/runs/{run.id}/tables")
    params = seating_params(run, form, translator(request).lang)
    run.write_state(
        "tablesform",
        {
            key: params[key]
            for key in ("id_column", "table_size", "rounds", "balance", "spread", "label")
        }
        | {"seed": params["seed"] or "", "time_limit": text_field(form, "time_limit", 40)}
        | {"held": params["held"] or ""},
    )
    if not web(request).jobs.start(run, "tables", params):
        raise HTTPException(409, "busy")
    return redirect(f"/runs/{run.id}/progress")


def _keep_current_seating(run: Run) -> None:
    """Store this run's seating's tables.csv as the rounds already held (an input of its own:
    the new seating replaces the folder it came from)."""
    current = run.tables / "tables.csv"
    if run.has_seating() and current.is_file():
        run.save_upload("earlier", "tables.csv", current.read_bytes())
