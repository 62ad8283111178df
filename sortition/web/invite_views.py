"""Drawing invitations from an address or resident register in the browser (`sortition invite`):
upload the register, choose its id column, the strata and the number of invitations, draw in a
worker, then download the private mailing list and the publishable log.

The page only gathers the form and calls the library through the worker task
(`sortition.web.tasks`); the allocation, the seeded sample and both files are
`sortition.invite`'s.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from sortition.errors import SortitionError
from sortition.inputs.privacy import personal_reason
from sortition.inputs.tables import normalize, read_table
from sortition.invite import MAX_STRATA_SHOWN
from sortition.web.common import (
    file_field,
    open_run,
    read_form,
    redirect,
    render,
    text_field,
    web,
)
from sortition.web.draw_views import number_field
from sortition.web.runs import Run
from sortition.web.tasks import error_record

MAX_INVITATIONS = 10_000_000
SAMPLE_ROWS = 200  # rows read to judge whether the id column holds personal data


def register_columns(run: Run) -> dict[str, Any]:
    """The register's header, whether its columns look personal (names, e-mails, phones,
    addresses, identity numbers), and the error reading it; kept as a state at upload so that
    a large register is read once."""
    path = run.input_path("register")
    if path is None:
        return {"header": []}
    try:
        table = read_table(path)
    except SortitionError as error:
        return {"header": [], "error": error_record(error, run.path, run.read_state("names"))}
    header = [str(h) for h in table.header]
    sample = table.rows[:SAMPLE_ROWS]
    personal = [
        column
        for i, column in enumerate(header)
        if personal_reason(column, (row[i] for row in sample if i < len(row))) is not None
    ]
    return {"header": header, "personal": personal}


async def invite_page(request: Request) -> Response:
    """The invitation form and, once drawn, the allocation and the two files."""
    run = open_run(request)
    columns = run.read_state("registercolumns")
    header = [str(h) for h in columns.get("header", [])]
    by_name = {normalize(h): h for h in header}
    id_default = by_name.get("id", header[0] if header else "id")
    chosen = run.read_state("inviteform") or {
        "id_column": id_default,
        "strata": [],
        "invitations": "",
        "seed": "",
        "pseudonyms": id_default in columns.get("personal", []),
    }
    job = web(request).jobs.status(run)
    invited = run.read_state("invited") if run.has_invitations() else {}
    return render(
        request,
        "invite.html",
        run=run,
        names=run.read_state("names"),
        header=header,
        register_error=columns.get("error"),
        upload_failure=run.read_state("uploaderror"),
        chosen=chosen,
        job=job if job and job.get("kind") == "invite" else None,
        invited=invited,
        strata_shown=MAX_STRATA_SHOWN,
    )


async def upload_register(request: Request) -> Response:
    """Store an uploaded register (replacing an earlier one) and read its columns."""
    run = open_run(request)
    form = await read_form(request)
    run.clear_state("uploaderror")
    upload = file_field(form, "register")
    if upload is not None:
        if not run.store_upload("register", upload):
            return redirect(f"/runs/{run.id}/invite")
        run.clear_state("inviteform")
        run.write_state("registercolumns", await run_in_threadpool(register_columns, run))
    return redirect(f"/runs/{run.id}/invite")


async def draw_invitations(request: Request) -> Response:
    """Draw the invitations in a worker process and show its progress (400 when the register
    is missing or a number or column is malformed; the library checks the rest)."""
    run = open_run(request)
    form = await read_form(request)
    path = run.input_path("register")
    header = [str(h) for h in run.read_state("registercolumns").get("header", [])]
    if path is None or not header:
        raise HTTPException(400, "not_ready")
    id_column = text_field(form, "id_column", 200)
    count = number_field(form, "invitations", int)
    if id_column not in header or count is None or not 0 < count <= MAX_INVITATIONS:
        raise HTTPException(400, "bad_number")
    strata = [c for c in form.getlist("strata") if c in header and c != id_column]
    pseudonyms = form.get("pseudonyms") == "on"
    params = {
        "register_path": str(path),
        "id_column": id_column,
        "strata": strata,
        "invitations": int(count),
        "seed": text_field(form, "seed", 200) or None,
        "personal": [id_column] if pseudonyms else [],
        "overwrite": form.get("overwrite") == "on",
        "names": run.read_state("names"),
    }
    run.write_state(
        "inviteform",
        {
            "id_column": id_column,
            "strata": strata,
            "invitations": int(count),
            "seed": params["seed"] or "",
            "pseudonyms": pseudonyms,
        },
    )
    if not web(request).jobs.start(run, "invite", params):
        raise HTTPException(409, "busy")
    return redirect(f"/runs/{run.id}/progress")
