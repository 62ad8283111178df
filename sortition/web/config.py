"""Settings of one `sortition serve` process: where runs live, who may connect, limits."""

from __future__ import annotations

import ipaddress
import secrets
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # one request's body, all files together


@dataclass(frozen=True)
class ServeConfig:
    """What the app needs to know about how it was started.

    workdir: the folder holding every run (personal data never leaves it).
    token: when set, every request must carry it (cookie, or ?token= on the first visit);
        `serve_config` sets one whenever the host is not a loopback address.
    loopback: the server listens on a loopback address only; then the Host header must name
        one too (no DNS rebinding by a web page elsewhere).
    secret: signs the per-session CSRF tokens; new at each start.
    """

    workdir: Path
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    lang: str = "en"
    token: str | None = None
    loopback: bool = True
    max_upload_bytes: int = MAX_UPLOAD_BYTES
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)


def is_loopback(host: str) -> bool:
    """Whether `host` (an address or 'localhost') only accepts connections from this computer."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def serve_config(
    workdir: str | Path,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    lang: str = "en",
    max_upload_bytes: int = MAX_UPLOAD_BYTES,
) -> ServeConfig:
    """The configuration for `sortition serve`: an access token whenever `host` is not a
    loopback address (anyone on the network could reach the server otherwise)."""
    loopback = is_loopback(host)
    token = None if loopback else secrets.token_urlsafe(24)
    return ServeConfig(
        workdir=Path(workdir).resolve(),
        host=host,
        port=port,
        lang=lang,
        token=token,
        loopback=loopback,
        max_upload_bytes=max_upload_bytes,
    )
