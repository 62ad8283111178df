"""Verify a published draw: upload its log (and the lottery, pool and quotas if at hand; for an
invitation log, the register; for a replacement's log, the original draw's log and the
replacement before it) and see every check pass or fail with its reason
(`sortition.audit.verify.verify_any`)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from sortition.audit.verify import VerifyRequest
from sortition.web.common import file_field, open_run, read_form, redirect, render
from sortition.web.lottery_views import verification_state
from sortition.web.runs import Run

ROLES = ("log", "lottery", "pool", "quotas", "register", "original", "after")


async def verify_page(request: Request) -> Response:
    run = open_run(request)
    return render(
        request,
        "verify.html",
        run=run,
        verification=run.read_state("verify"),
        upload_failure=run.read_state("uploaderror"),
        names=run.read_state("names"),
    )


async def verify_upload(request: Request) -> Response:
    """Store the uploaded files under their roles and run every check they allow."""
    run = open_run(request)
    form = await read_form(request)
    run.clear_state("uploaderror", "verify")
    for role in ROLES:
        upload = file_field(form, role)
        if upload is None:
            continue
        if not run.store_upload(role, upload):
            return redirect(f"/runs/{run.id}/verify")
    deep = form.get("deep") == "on"
    await run_in_threadpool(_verify_uploaded, run, deep)
    return redirect(f"/runs/{run.id}/verify#result")


def _verify_uploaded(run: Run, deep: bool) -> None:
    log = run.input_path("log")
    if log is None:
        run.write_state("uploaderror", {"key": "upload.no_log", "fields": {}})
        return
    lottery = run.input_path("lottery")
    pool, quotas = run.input_path("pool"), run.input_path("quotas")
    both = pool is not None and quotas is not None
    request = VerifyRequest(
        str(log),
        str(lottery) if lottery else None,
        str(pool) if both else None,
        str(quotas) if both else None,
        deep,
        original_path=_optional(run, "original"),
        after_path=_optional(run, "after"),
    )
    register = run.input_path("register")
    run.write_state("verify", verification_state(run, request, str(register) if register else None))


def _optional(run: Run, role: str) -> str | None:
    path = run.input_path(role)
    return str(path) if path is not None else None
