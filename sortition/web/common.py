"""What every view needs: the app's shared objects, the language, templates, forms with their
CSRF check, and runs opened from a request's path (never a path from the request itself)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse

from sortition import __version__
from sortition.algorithms import ALGORITHM_NAMES, DEFAULT_ALGORITHM, get_algorithm
from sortition.i18n import CATALOGS, LANGUAGE_NAMES, LANGUAGES, Translator
from sortition.web.app_texts import app_hint, app_text
from sortition.web.config import ServeConfig
from sortition.web.jobs import JobManager
from sortition.web.runs import Run, RunNotFound, RunStore
from sortition.web.security import CSRF_FIELD, csrf_token, csrf_valid, request_language

TEMPLATES = Path(__file__).parent / "templates"
MAX_FORM_FIELDS = 400  # the census page posts one field per value of its categories


@dataclass
class WebApp:
    """The objects one server shares between requests."""

    config: ServeConfig
    store: RunStore
    jobs: JobManager
    templates: Environment


def make_templates() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals.update(app_text=app_text, app_hint=app_hint)
    return environment


def web(request: Request) -> WebApp:
    app: WebApp = request.app.state.web
    return app


def translator(request: Request) -> Translator:
    return Translator(request_language(request.scope, web(request).config.lang))


def session_csrf(request: Request) -> str:
    return csrf_token(web(request).config.secret, request.state.session)


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page from `template`, with the translator `t`, the CSRF token and the app's facts."""
    t = translator(request)
    page = web(request).templates.get_template(template)
    html = page.render(
        t=t,
        lang=t.lang,
        languages=[(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
        csrf=session_csrf(request),
        csrf_field=CSRF_FIELD,
        path=request.url.path,
        version=__version__,
        algorithms=ALGORITHM_NAMES,
        algorithm_summaries={name: get_algorithm(name).summary for name in ALGORITHM_NAMES},
        default_algorithm=DEFAULT_ALGORITHM,
        max_upload_mb=web(request).config.max_upload_bytes // (1024 * 1024),
        **context,
    )
    return HTMLResponse(html, status_code=status)


class PostedForm:
    """A posted form whose files were read into memory (the upload limit bounds them) and whose
    temporary files are already closed."""

    def __init__(self, fields: FormData, files: dict[str, tuple[str, bytes]]) -> None:
        self._fields = fields
        self.files = files

    def get(self, name: str) -> str | None:
        value = self._fields.get(name)
        return value if isinstance(value, str) else None

    def getlist(self, name: str) -> list[str]:
        return [value for value in self._fields.getlist(name) if isinstance(value, str)]


async def read_form(request: Request) -> PostedForm:
    """The posted form, after checking its CSRF token (403 otherwise)."""
    limit = web(request).config.max_upload_bytes
    async with request.form(
        max_files=10, max_fields=MAX_FORM_FIELDS, max_part_size=min(limit, 1024 * 1024)
    ) as form:
        token = form.get(CSRF_FIELD)
        if not isinstance(token, str) or not csrf_valid(
            web(request).config.secret, request.state.session, token
        ):
            raise HTTPException(403, "csrf")
        files: dict[str, tuple[str, bytes]] = {}
        for name, value in form.multi_items():
            if isinstance(value, UploadFile) and value.filename and name not in files:
                filename = Path(value.filename.replace("\\", "/")).name
                files[name] = (filename, await value.read())
    return PostedForm(form, files)


def text_field(form: PostedForm, name: str, limit: int = 500) -> str:
    """A text field, trimmed and cut to `limit` characters ('' if absent or a file)."""
    value = form.get(name)
    return value.strip()[:limit] if value is not None else ""


def file_field(form: PostedForm, name: str) -> tuple[str, bytes] | None:
    """(file name, content) of an uploaded file, or None if none was chosen."""
    return form.files.get(name)


def open_run(request: Request) -> Run:
    """The run of the request's path; 400 for a malformed id, 404 for an unknown one."""
    run_id = str(request.path_params.get("run_id", ""))
    try:
        return web(request).store.open(run_id)
    except RunNotFound as missing:
        status = 400 if missing.reason == "malformed" else 404
        raise HTTPException(status, f"run.{missing.reason}") from None


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def error_page(request: Request, status: int, key: str) -> HTMLResponse:
    """A page saying what went wrong, from the message `key` of the catalog."""
    t = translator(request)
    fallback = "not_found" if status == 404 else "generic"
    known = key if f"error.{key}" in CATALOGS[t.lang] else fallback
    return render(request, "error.html", status, code=status, message=t(f"error.{known}"))
