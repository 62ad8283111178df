"""The public lottery (commit, then reveal and draw), replacements after dropouts, and checking
a run's own draw with `sortition.audit.verify`."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from sortition.audit.checks import FAIL, PASS
from sortition.audit.verify import VerifyRequest, verify_any, verify_waves
from sortition.errors import SortitionError
from sortition.outputs.report_html import add_report
from sortition.outputs.result_set import check_result_folder, write_result_set
from sortition.process.draw import DrawRequest, draw_files, draw_inputs, draw_lottery
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
from sortition.web.draw_views import number_field, solve_params
from sortition.web.runs import MAX_REPLACEMENT_WAVES, REPLACEMENT_FOLDERS, Run, read_json_object
from sortition.web.tasks import error_record

MAX_SOURCES = 20


async def commit(request: Request) -> Response:
    """Compute the ticket lottery in a worker; it is published before the numbers exist."""
    run = open_run(request)
    form = await read_form(request)
    params = solve_params(run, form, translator(request).lang)
    params["tickets"] = number_field(form, "tickets", int) or 1000
    params["planned_sources"] = text_field(form, "planned_sources", 500)
    params["draw_date"] = text_field(form, "draw_date", 100)
    if not web(request).jobs.start(run, "lottery", params):
        raise HTTPException(409, "busy")
    return redirect(f"/runs/{run.id}/progress")


def read_lottery(run: Run) -> dict[str, Any] | None:
    return read_json_object(run.lottery)


async def lottery_page(request: Request) -> Response:
    """The commitment to publish (file, fingerprint, statement) and the reveal form."""
    run = open_run(request)
    lottery = read_lottery(run)
    if lottery is None:
        return redirect(f"/runs/{run.id}")
    return render(
        request,
        "lottery.html",
        run=run,
        lottery=lottery,
        people=len(lottery["pool"]["people"]),
        tickets=len(lottery["tickets"]),
        reveal_error=run.read_state("reveal"),
        has_output=run.has_output(),
    )


def _sources(form: PostedForm) -> tuple[str, ...]:
    """The public numbers typed in a form, one source per line."""
    text = text_field(form, "sources", 5000)
    return tuple(line.strip() for line in text.splitlines() if line.strip())[:MAX_SOURCES]


async def reveal(request: Request) -> Response:
    """Draw the winning ticket from the public numbers, with the full pool for the outputs."""
    run = open_run(request)
    form = await read_form(request)
    sources = _sources(form)
    reserves = number_field(form, "reserve_tickets", int) or 0
    overwrite = form.get("overwrite") == "on"
    lang = translator(request).lang
    run.clear_state("reveal", "verify")
    if not sources:
        run.write_state("reveal", {"key": "no_sources"})
        return redirect(f"/runs/{run.id}/lottery#reveal")
    try:
        await run_in_threadpool(_reveal, run, sources, int(reserves), overwrite, lang)
    except SortitionError as error:
        run.write_state("reveal", {"error": error_record(error, run.path, run.read_state("names"))})
        return redirect(f"/runs/{run.id}/lottery#reveal")
    return redirect(f"/runs/{run.id}/result")


def _reveal(run: Run, sources: tuple[str, ...], reserves: int, overwrite: bool, lang: str) -> None:
    pool = run.input_path("pool")
    request = DrawRequest(str(run.lottery), sources, reserves, str(pool) if pool else None)
    inputs = draw_inputs(request)
    check_result_folder(run.output, inputs, overwrite=overwrite)
    drawn = draw_lottery(request)
    write_result_set(run.output, add_report(draw_files(drawn), lang), inputs, overwrite=overwrite)


async def verify_draw(request: Request) -> Response:
    """Re-check the run's own draw with every file the run holds."""
    run = open_run(request)
    form = await read_form(request)
    deep = form.get("deep") == "on"
    await run_in_threadpool(_verify_own, run, deep)
    return redirect(f"/runs/{run.id}/result#verify")


def _verify_own(run: Run, deep: bool) -> None:
    log = run.output_file("selection-log.json")
    if log is None:
        return
    pool, quotas = run.input_path("pool"), run.input_path("quotas")
    both = pool is not None and quotas is not None
    request = VerifyRequest(
        str(log),
        str(run.lottery) if run.lottery.is_file() else None,
        str(pool) if both else None,
        str(quotas) if both else None,
        deep,
    )
    state = verification_state(run, request)
    if "checks" in state:
        waves = _wave_checks(run, str(log))
        state["checks"] += waves
        state["passed"] = state["passed"] and all(c["status"] != FAIL for c in waves)
    run.write_state("verify", state)


def _wave_checks(run: Run, original: str) -> list[dict[str, Any]]:
    """One line per wave of replacements (`verify_waves`): passed with its origin's detail, or
    failed with the names of its failed checks; an unreadable wave ends the list."""
    paths = [run.output_file("selection-log.json", folder) for folder in run.replacement_waves()]
    lines: list[dict[str, Any]] = []
    try:
        for report in verify_waves(original, [str(path) for path in paths if path is not None]):
            origin = next((c.detail for c in report.checks if c.name == "replacement origin"), "")
            lines.append(
                {
                    "name": "replacement",
                    "wave": str(len(lines) + 1),
                    "status": PASS if report.passed else FAIL,
                    "detail": origin,
                    "failed": [check.name for check in report.failed],
                }
            )
    except SortitionError as error:
        wave = str(len(lines) + 1)
        lines.append({"name": "replacement", "wave": wave, "status": FAIL, "detail": error.message})
    return lines


def verification_state(
    run: Run, request: VerifyRequest, register: str | None = None
) -> dict[str, Any]:
    """The verification's outcome as the page shows it (or the error that stopped it); an
    invitation log is checked against `register`."""
    try:
        report = verify_any(request, register)
    except SortitionError as error:
        return {"error": error_record(error, run.path, run.read_state("names"))}
    return {
        "passed": report.passed,
        "committed": report.committed,
        "checks": [
            {"name": check.name, "status": check.status, "detail": check.detail}
            for check in report.checks
        ],
    }


async def replace(request: Request) -> Response:
    """Draw replacements for the dropouts typed in, in a worker: a new wave, starting from the
    panel as the last wave left it, or (with the form's box) the last wave drawn again."""
    run = open_run(request)
    form = await read_form(request)
    log = run.output_file("selection-log.json")
    ids = [
        part.strip()
        for part in text_field(form, "dropouts", 20000).replace(",", "\n").splitlines()
        if part.strip()
    ]
    if log is None or not ids:
        raise HTTPException(400, "not_ready")
    waves = run.replacement_waves()
    redo = form.get("overwrite") == "on" and bool(waves)
    if not redo and len(waves) == MAX_REPLACEMENT_WAVES:
        raise HTTPException(400, "too_many_waves")
    folder = waves[-1] if redo else REPLACEMENT_FOLDERS[len(waves)]
    before = waves[:-1] if redo else waves
    after = run.output_file("selection-log.json", before[-1]) if before else None
    csv = "id\n" + "".join(f"{person}\n" for person in ids if '"' not in person)
    dropouts = run.save_upload("dropouts", "dropouts.csv", csv.encode("utf-8"))
    pool = run.input_path("pool")
    params = {
        "log_path": str(log),
        "after_path": str(after) if after else None,
        "out_folder": folder,
        "dropouts_path": str(dropouts),
        "pool_path": str(pool) if pool else None,
        "seed": text_field(form, "seed", 200) or None,
        "sources": _sources(form),
        "lang": translator(request).lang,
        "names": run.read_state("names"),
        "overwrite": redo,
    }
    if not web(request).jobs.start(run, "replace", params):
        raise HTTPException(409, "busy")
    return redirect(f"/runs/{run.id}/progress")
