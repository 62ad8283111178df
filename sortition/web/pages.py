"""Pages that are not steps of a draw: home, language, new and deleted runs, the run page."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response

from sortition.i18n import LANGUAGES
from sortition.inputs.history import DEFAULT_COOLDOWN_MONTHS
from sortition.web.common import (
    error_page,
    open_run,
    read_form,
    redirect,
    render,
    text_field,
    web,
)
from sortition.web.runs import RUN_ID, Run
from sortition.web.security import LANG_COOKIE

# run kinds whose page is /runs/<id>/<kind>, not the draw steps
OWN_PAGE = ("verify", "tables", "invite")


async def home(request: Request) -> Response:
    """What the app does, a button for a new draw, the runs kept in the work directory."""
    app = web(request)
    runs = [
        {
            "id": run.id,
            "kind": run.kind(),
            "created": run.created(),
            "done": run.has_output()
            or run.lottery.is_file()
            or run.has_seating()
            or run.has_invitations()
            or bool(run.read_state("verify")),
            "names": run.read_state("names"),
        }
        for run in app.store.all()
    ]
    deleted = request.query_params.get("deleted") == "1"
    return render(request, "home.html", runs=runs, deleted=deleted)


async def set_language(request: Request) -> Response:
    """Remember the language in a cookie and go back to the page it was chosen on."""
    code = str(request.path_params["code"])
    target = request.query_params.get("next", "/")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        target = "/"
    response = redirect(target)
    if code in LANGUAGES:
        response.set_cookie(LANG_COOKIE, code, httponly=True, samesite="strict")
    return response


async def new_run(request: Request) -> Response:
    """A new run with a random id, so that every tab keeps its own files."""
    form = await read_form(request)
    asked = text_field(form, "kind")
    kind = asked if asked in OWN_PAGE else "draw"
    run = web(request).store.new(kind)
    return redirect(f"/runs/{run.id}/{kind}" if kind in OWN_PAGE else f"/runs/{run.id}")


async def delete_run(request: Request) -> Response:
    """Stop the run's job and delete every file of the run."""
    run = open_run(request)
    await read_form(request)
    app = web(request)
    app.jobs.forget(run)
    app.store.delete(run)
    return redirect("/?deleted=1")


async def run_page(request: Request) -> Response:
    """The steps of a draw: files, columns, categories, check, draw or lottery."""
    run = open_run(request)
    if run.kind() in OWN_PAGE:
        return redirect(f"/runs/{run.id}/{run.kind()}")
    return render(request, "run.html", **run_context(request, run))


def run_context(request: Request, run: Run) -> dict[str, Any]:
    """Everything the run page shows, from the run's saved states."""
    status = web(request).jobs.status(run)
    return {
        "run": run,
        "names": run.read_state("names"),
        "has_pool": run.input_path("pool") is not None,
        "has_quotas": run.input_path("quotas") is not None,
        "columns": run.read_state("columns"),
        "quota_error": run.read_state("quotaerror"),
        "settings": run.read_state("settings"),
        # the panel size the census quotas were made for, offered until one is chosen here
        "census_panel_size": run.read_state("census").get("panel_size"),
        "today": dt.date.today().isoformat(),  # the history's as-of date, until changed
        "default_cooldown": DEFAULT_COOLDOWN_MONTHS,
        "parsed": run.read_state("parsed"),
        "check": run.read_state("check"),
        "job": status,
        "has_output": run.has_output(),
        "has_lottery": run.lottery.is_file(),
        "upload_failure": run.read_state("uploaderror"),
    }


async def other_run_path(request: Request) -> Response:
    """Any other path under /runs/: refused, saying that run ids are checked and paths to
    other files are never followed."""
    first = str(request.path_params.get("rest", "")).split("/", 1)[0]
    if not RUN_ID.fullmatch(first):
        return error_page(request, 400, "run.malformed")
    exists = (web(request).store.root / first).is_dir()
    return error_page(request, 404, "not_found" if exists else "run.missing")
