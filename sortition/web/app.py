"""The Starlette application of `sortition serve`: routes, error pages, the guard middleware."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from sortition.web import (
    census_views,
    data_views,
    draw_views,
    invite_views,
    lottery_views,
    pages,
    tables_views,
    verify_views,
)
from sortition.web.common import WebApp, error_page, make_templates
from sortition.web.config import ServeConfig
from sortition.web.jobs import JobManager
from sortition.web.runs import RunStore
from sortition.web.security import GuardMiddleware

STATIC = Path(__file__).parent / "static"
RUN = "/runs/{run_id}"


def routes() -> list[Route | Mount]:
    get, post = ["GET"], ["POST"]
    return [
        Route("/", pages.home, methods=get),
        Route("/lang/{code}", pages.set_language, methods=get),
        Route("/runs", pages.new_run, methods=post),
        Route(RUN, pages.run_page, methods=get),
        Route(f"{RUN}/delete", pages.delete_run, methods=post),
        Route(f"{RUN}/upload", data_views.upload, methods=post),
        Route(f"{RUN}/settings", data_views.settings, methods=post),
        Route(f"{RUN}/check", data_views.check, methods=post),
        Route(f"{RUN}/use-corrected", data_views.use_corrected, methods=post),
        Route(f"{RUN}/census", census_views.census_page, methods=get),
        Route(f"{RUN}/census", census_views.make_quotas, methods=post),
        Route(f"{RUN}/census/file", census_views.upload_census, methods=post),
        Route(f"{RUN}/census/use", census_views.use_quotas, methods=post),
        Route(f"{RUN}/draw", draw_views.draw, methods=post),
        Route(f"{RUN}/progress", draw_views.progress, methods=get),
        Route(f"{RUN}/status", draw_views.status, methods=get),
        Route(f"{RUN}/cancel", draw_views.cancel, methods=post),
        Route(f"{RUN}/result", draw_views.result, methods=get),
        Route(f"{RUN}/files/{{name}}", draw_views.output_file, methods=get),
        Route(f"{RUN}/{{folder}}/files/{{name}}", draw_views.output_file, methods=get),
        Route(f"{RUN}/download.zip", draw_views.archive, methods=get),
        Route(f"{RUN}/lottery", lottery_views.commit, methods=post),
        Route(f"{RUN}/lottery", lottery_views.lottery_page, methods=get),
        Route(f"{RUN}/reveal", lottery_views.reveal, methods=post),
        Route(f"{RUN}/replace", lottery_views.replace, methods=post),
        Route(f"{RUN}/verify-draw", lottery_views.verify_draw, methods=post),
        Route(f"{RUN}/verify", verify_views.verify_page, methods=get),
        Route(f"{RUN}/verify", verify_views.verify_upload, methods=post),
        Route(f"{RUN}/tables", tables_views.tables_page, methods=get),
        Route(f"{RUN}/tables", tables_views.seat_panel, methods=post),
        Route(f"{RUN}/tables/panel", tables_views.upload_panel, methods=post),
        Route(f"{RUN}/invite", invite_views.invite_page, methods=get),
        Route(f"{RUN}/invite", invite_views.draw_invitations, methods=post),
        Route(f"{RUN}/invite/register", invite_views.upload_register, methods=post),
        Route("/runs/{rest:path}", pages.other_run_path, methods=["GET", "POST"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    return error_page(request, error.status_code, str(error.detail))


async def _server_error(request: Request, error: Exception) -> Response:
    """An unexpected failure: a page in the user's language rather than a bare 500."""
    return error_page(request, 500, "server")


def create_app(config: ServeConfig) -> Starlette:
    """The web app for one work directory; every request goes through `GuardMiddleware`."""
    config.workdir.mkdir(parents=True, exist_ok=True, mode=0o700)
    jobs = JobManager()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        jobs.shutdown()

    app = Starlette(
        routes=routes(),
        middleware=[Middleware(GuardMiddleware, config=config)],
        exception_handlers={HTTPException: _http_error, Exception: _server_error},
        lifespan=lifespan,
    )
    app.state.web = WebApp(config, RunStore(config.workdir), jobs, make_templates())
    return app
