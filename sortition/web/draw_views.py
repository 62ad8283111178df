"""Drawing: start a draw in a worker, follow its progress, cancel it, see and download results."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response

from sortition.algorithms import ALGORITHM_NAMES, DEFAULT_ALGORITHM
from sortition.errors import UsageError
from sortition.inputs.history import DEFAULT_HISTORY_FACTOR, HISTORY_MODES, MAX_COOLDOWN_MONTHS
from sortition.options import DEFAULT_FAIRNESS_SLACK, SolveOptions
from sortition.outputs.layout import PUBLIC
from sortition.outputs.live import live_text
from sortition.web.app_texts import app_text
from sortition.web.common import (
    PostedForm,
    open_run,
    read_form,
    redirect,
    render,
    text_field,
    translator,
    web,
)
from sortition.web.runs import OUTPUT_NAMES, Run, read_json_object

MAX_RESERVES = 100
MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DONE_PAGES = {
    "select": "result",
    "lottery": "lottery",
    "replace": "result",
    "tables": "tables#seating",
    "invite": "invite#invited",
}


def solve_params(run: Run, form: PostedForm, lang: str) -> dict[str, Any]:
    """The parameters a worker task needs, from the run's settings and the posted form (400 when
    the settings are incomplete or a number is malformed)."""
    chosen = run.read_state("settings")
    pool, quotas = run.input_path("pool"), run.input_path("quotas")
    parsed = run.read_state("parsed")
    if pool is None or quotas is None or not chosen.get("panel_size") or "error" in parsed:
        raise HTTPException(400, "not_ready")
    algorithm = text_field(form, "algorithm") or DEFAULT_ALGORITHM
    if algorithm not in ALGORITHM_NAMES:
        raise HTTPException(400, "bad_number")
    population = run.input_path("population")
    if form.get("correct_self_selection") == "on" and population is None:
        raise HTTPException(400, "not_ready")  # the box shows only once a table is uploaded
    return {
        "pool_path": str(pool),
        "quota_path": str(quotas),
        "panel_size": int(chosen["panel_size"]),
        "id_column": str(chosen["id_column"]),
        "household_columns": list(chosen.get("household_columns") or []),
        "algorithm": algorithm,
        "gap": number_field(form, "gap", float),
        "time_limit": number_field(form, "time_limit", float),
        "fairness_slack": slack_field(form),
        "allow_duplicates": form.get("allow_duplicates") == "on",
        "population_path": str(population)
        if population is not None and form.get("correct_self_selection") == "on"
        else None,
        "overwrite": form.get("overwrite") == "on",
        "lang": lang,
        "names": run.read_state("names"),
        "history": history_params(run, form),
    }


def history_params(run: Run, form: PostedForm) -> dict[str, Any] | None:
    """The cooldown rule from the form when a history is uploaded and ticked (400 for a
    malformed number or mode); the library checks the date and the factor's range."""
    history = run.input_path("history")
    if history is None or form.get("use_history") != "on":
        return None
    cooldown = number_field(form, "cooldown", int)
    mode = text_field(form, "history_mode", 20) or "exclude"
    if cooldown is None or cooldown > MAX_COOLDOWN_MONTHS or mode not in HISTORY_MODES:
        raise HTTPException(400, "bad_number")
    factor = number_field(form, "history_factor", float)
    return {
        "path": str(history),
        "cooldown": int(cooldown),
        "as_of": text_field(form, "as_of", 20),
        "mode": mode,
        "factor": DEFAULT_HISTORY_FACTOR if factor is None else float(factor),
    }


def slack_field(form: PostedForm) -> float:
    """DIVERSIMAX's fairness slack from the form: blank gives the default; a value that
    `SolveOptions` (which owns the rule: 0 <= slack < 1) refuses is a 400."""
    slack = number_field(form, "fairness_slack", float)
    if slack is None:
        return DEFAULT_FAIRNESS_SLACK
    try:
        SolveOptions(fairness_slack=float(slack))
    except UsageError:
        raise HTTPException(400, "bad_number") from None
    return float(slack)


def number_field(form: PostedForm, name: str, kind: type[float] | type[int]) -> Any:
    text = text_field(form, name, 40).replace(",", ".")
    if not text:
        return None
    try:
        value = kind(text)
    except ValueError:
        raise HTTPException(400, "bad_number") from None
    if value < 0 or value != value:
        raise HTTPException(400, "bad_number")
    return value


async def draw(request: Request) -> Response:
    """Start the draw in a worker process and show its progress."""
    run = open_run(request)
    form = await read_form(request)
    params = solve_params(run, form, translator(request).lang)
    params["seed"] = text_field(form, "seed", 200) or None
    reserves = number_field(form, "reserves", int) or 0
    params["reserves"] = min(int(reserves), MAX_RESERVES)
    if not web(request).jobs.start(run, "select", params):
        raise HTTPException(409, "busy")
    return redirect(f"/runs/{run.id}/progress")


async def progress(request: Request) -> Response:
    run = open_run(request)
    status = web(request).jobs.status(run)
    if status is None:
        return redirect(f"/runs/{run.id}")
    done_page = DONE_PAGES.get(str(status.get("kind")), "result")
    return render(
        request,
        "progress.html",
        run=run,
        job=status,
        live=live_text(translator(request), status.get("live")),
        done_url=f"/runs/{run.id}/{done_page}",
    )


async def status(request: Request) -> Response:
    """The job's state, progress lines, elapsed seconds and live status (as `live_text`), for
    the progress page's polling."""
    run = open_run(request)
    status = web(request).jobs.status(run) or {"state": "none"}
    t = translator(request)
    lines = [app_text(t, line) or line for line in status.get("lines", [])]
    return JSONResponse({**status, "lines": lines, "live_text": live_text(t, status.get("live"))})


async def cancel(request: Request) -> Response:
    run = open_run(request)
    await read_form(request)
    web(request).jobs.cancel(run)
    return redirect(f"/runs/{run.id}/progress")


def read_log(run: Run, folder: str = "output") -> dict[str, Any] | None:
    path = run.output_file("selection-log.json", folder)
    return None if path is None else read_json_object(path)


async def result(request: Request) -> Response:
    """The drawn panel: quotas met, fairness, ids, files, verification, replacements."""
    run = open_run(request)
    log = read_log(run)
    if log is None:
        return redirect(f"/runs/{run.id}")
    waves = [
        {"folder": folder, "log": wave}
        for folder in run.replacement_waves()
        for wave in [read_log(run, folder)]
        if wave is not None
    ]
    files = {name: path for name in OUTPUT_NAMES for path in [run.output_file(name)] if path}
    # publishable: the result set's public folder, and the run's lottery and corrected quotas;
    # anything else is named as personal, the safe side for a file of unknown kind
    public = [n for n, p in files.items() if p.parent.name == PUBLIC or p.parent == run.path]
    return render(
        request,
        "result.html",
        workbooks=[name for name in files if name.endswith(".xlsx")],
        run=run,
        log=log,
        files=list(files),
        private=[name for name in files if name not in public],
        public=public,
        waves=waves,
        verification=run.read_state("verify"),
        job=web(request).jobs.status(run),
        has_lottery=run.lottery.is_file(),
    )


async def output_file(request: Request) -> Response:
    """One output file by its allowed name (never a path from the request)."""
    run = open_run(request)
    name = str(request.path_params["name"])
    folder = str(request.path_params.get("folder", "output"))
    path = run.output_file(name, folder)
    if path is None:
        raise HTTPException(404, "no_file")
    media = MEDIA_TYPES.get(path.suffix, "application/octet-stream")
    inline = request.query_params.get("download") != "1" and path.suffix == ".html"
    disposition = "inline" if inline else "attachment"
    return FileResponse(
        path, media_type=media, headers={"content-disposition": f'{disposition}; filename="{name}"'}
    )


async def archive(request: Request) -> Response:
    """Every output file of the run as one zip."""
    run = open_run(request)
    members = run.archive_members()
    if not members:
        raise HTTPException(404, "no_file")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, path in members.items():
            bundle.writestr(name, path.read_bytes())
    return Response(
        buffer.getvalue(),
        media_type="application/zip",
        headers={"content-disposition": f'attachment; filename="sortition-{run.id[:8]}.zip"'},
    )
