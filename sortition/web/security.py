"""The guard in front of every request: host and access token, request size, cross-site
requests, session cookie and security headers.

- A server on a loopback address accepts only Host headers naming a loopback address, so a web
  page elsewhere cannot reach it through DNS rebinding.
- With an access token (any other host), every request needs it: a first visit with ?token=
  sets a cookie and redirects to the same page without it; anything else gets 401.
- A request body above the limit gets 413, whether or not it announced its length.
- Forms carry a CSRF token derived from the session cookie (`csrf_token`, checked by
  `check_csrf`); a POST whose Origin or Sec-Fetch-Site shows another site gets 403.
- Every response says: no framing, no sniffing, no referrer, and a content security policy
  that allows nothing from another origin.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from html import escape
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from sortition.i18n import Translator
from sortition.web.config import ServeConfig, is_loopback

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SESSION_COOKIE = "sortition_session"
TOKEN_COOKIE = "sortition_token"
LANG_COOKIE = "sortition_lang"
CSRF_FIELD = "csrf"
_SESSION = re.compile(r"[A-Za-z0-9_-]{43}")
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'self'; "
    "base-uri 'none'; object-src 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"referrer-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
]


class BodyTooLarge(Exception):
    """A request body went past the upload limit while it was being read."""


def csrf_token(secret: bytes, session: str) -> str:
    """The CSRF token of a session: an HMAC of its cookie value, so it needs no storage."""
    return hmac.new(secret, session.encode(), hashlib.sha256).hexdigest()


def csrf_valid(secret: bytes, session: str, token: str) -> bool:
    return bool(session) and hmac.compare_digest(csrf_token(secret, session), token)


def request_language(scope: Scope, default: str) -> str:
    """The language chosen in this browser (cookie), else the server's default."""
    lang = _cookies(scope).get(LANG_COOKIE, "")
    return lang if lang in ("es", "en") else default


class GuardMiddleware:
    """Pure ASGI middleware applying the rules of this module to every HTTP request."""

    def __init__(self, app: ASGIApp, config: ServeConfig) -> None:
        self.app = app
        self.config = config

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        config = self.config
        t = Translator(request_language(scope, config.lang))
        headers = _headers(scope)
        cookies = _cookies(scope)
        if config.loopback and not _loopback_host(headers.get("host", "")):
            await _deny(send, 421, t("guard.host.title"), t("guard.host.body"))
            return
        if config.token is not None:
            given = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"))).get("token")
            if given is not None and hmac.compare_digest(given, config.token):
                await _redirect_without_token(scope, send, config.token)
                return
            if not hmac.compare_digest(cookies.get(TOKEN_COOKIE, ""), config.token):
                await _deny(send, 401, t("guard.token.title"), t("guard.token.body"))
                return
        if scope["method"] not in ("GET", "HEAD") and _cross_site(headers):
            await _deny(send, 403, t("guard.csrf.title"), t("guard.csrf.body"))
            return
        length = headers.get("content-length", "")
        limit = config.max_upload_bytes
        too_large = (
            t("guard.size.title"),
            t("guard.size.body", size=t.number(limit / 1024 / 1024, 0)),
        )
        if length.isdigit() and int(length) > limit:
            await _deny(send, 413, *too_large)
            return
        session = cookies.get(SESSION_COOKIE, "")
        new_session = _SESSION.fullmatch(session) is None
        if new_session:
            session = secrets.token_urlsafe(32)
        scope.setdefault("state", {})["session"] = session
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                extra = list(SECURITY_HEADERS)
                if new_session:
                    extra.append((b"set-cookie", _cookie(SESSION_COOKIE, session)))
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (name, value) for name, value in extra if name not in present
                ]
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except BodyTooLarge:
            if not started:
                await _deny(send, 413, *too_large)


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


def _cookies(scope: Scope) -> dict[str, str]:
    raw = _headers(scope).get("cookie", "")
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(raw)
    except Exception:  # a malformed cookie header counts as none
        return {}
    return {key: morsel.value for key, morsel in jar.items()}


def _loopback_host(host: str) -> bool:
    host = host.strip()
    if host.startswith("["):
        name = host[1:].split("]", 1)[0]
    elif host.count(":") == 1:
        name = host.split(":", 1)[0]
    else:  # a bare name, or a bare IPv6 address
        name = host
    return is_loopback(name)


def _cross_site(headers: dict[str, str]) -> bool:
    """Whether a state-changing request comes from a page of another origin."""
    if headers.get("sec-fetch-site", "") == "cross-site":
        return True
    origin = headers.get("origin")
    if origin is None:
        return False
    if origin == "null":
        return True
    return urlsplit(origin).netloc.lower() != headers.get("host", "").lower()


def _cookie(name: str, value: str) -> bytes:
    return f"{name}={value}; Path=/; HttpOnly; SameSite=Strict".encode("latin-1")


async def _redirect_without_token(scope: Scope, send: Send, token: str) -> None:
    query = [
        (k, v)
        for k, v in parse_qsl(scope.get("query_string", b"").decode("latin-1"))
        if k != "token"
    ]
    location = scope.get("path", "/") + (f"?{urlencode(query)}" if query else "")
    await send(
        {
            "type": "http.response.start",
            "status": 303,
            "headers": [
                (b"location", location.encode("latin-1")),
                (b"set-cookie", _cookie(TOKEN_COOKIE, token)),
                *SECURITY_HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": b""})


async def _deny(send: Send, status: int, title: str, body: str) -> None:
    page = (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
        f"<body><h1>{escape(title)}</h1><p>{escape(body)}</p></body></html>"
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"content-length", str(len(page)).encode()),
                *SECURITY_HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": page})
