"""Low-level steps of all-or-nothing writes: durable files, one-step exchange, locks, signals.

Used by `sortition.outputs.result_set` (folders of results) and `sortition.outputs.files` (single
files). The test hooks are read only here: ``SORTITION_TEST_WRITE_PAUSE=STEP`` makes
`checkpoint(STEP)` print ``sortition test hook: paused at STEP`` on stderr and sleep, so that a test
can kill the writer at that step; ``SORTITION_TEST_NO_EXCHANGE=1`` makes `exchange` report the call
unavailable.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

try:  # advisory locks tell a live writer's temporaries from those of a killed run
    import fcntl
except ImportError:  # pragma: no cover - not on Windows
    fcntl = None  # type: ignore[assignment]

PAUSE_VARIABLE = "SORTITION_TEST_WRITE_PAUSE"
NO_EXCHANGE_VARIABLE = "SORTITION_TEST_NO_EXCHANGE"
RENAME_EXCHANGE = 2  # linux/fs.h
AT_FDCWD = -100
_UNSUPPORTED = (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP)


def write_new_file(path: Path, content: bytes, *, keep_locked: bool = False) -> int | None:
    """Create `path` (and missing parent folders), write `content` and fsync it. With
    `keep_locked` the file is locked from its creation and the open descriptor returned (None
    where locks are not available): the caller closes it once the file has its final name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, 0o666)
    try:
        if keep_locked and fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        view = memoryview(content)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        raise
    if keep_locked and fcntl is not None:
        return fd
    os.close(fd)
    return None


def fsync_directory(folder: Path) -> None:
    """Make renames in `folder` durable where the platform allows fsync on a folder."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def fsync_tree(folder: Path) -> None:
    """fsync every folder under `folder`, deepest first."""
    for root, _, _ in os.walk(folder, topdown=False):
        fsync_directory(Path(root))


def exchange(first: Path, second: Path) -> bool:
    """Swap two existing paths in one step (Linux renameat2 with RENAME_EXCHANGE, through
    ctypes); False where the call or the file system does not support it."""
    if not sys.platform.startswith("linux") or os.environ.get(NO_EXCHANGE_VARIABLE):
        return False
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    function.argtypes += [ctypes.c_uint]
    function.restype = ctypes.c_int
    a, b = os.fsencode(first), os.fsencode(second)
    if function(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), os.fspath(second))


def hold_lock(path: Path) -> int | None:
    """Lock `path` (file or folder) for as long as the returned descriptor stays open."""
    if fcntl is None:
        return None
    fd = os.open(path, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


@contextlib.contextmanager
def unless_locked(path: Path) -> Iterator[bool]:
    """Lock a leftover temporary for the block; yields False if a live writer holds it."""
    if fcntl is None:
        yield True
        return
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        yield False
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        yield False
        return
    try:
        yield True
    finally:
        os.close(fd)


class WriteInterrupted(BaseException):
    """A signal arrived during a write phase; raised so that cleanup runs, then re-delivered."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def signals_raise() -> Iterator[None]:
    """During the block SIGTERM, SIGINT and SIGHUP raise `WriteInterrupted` (and any further
    ones are ignored), so that `finally` clauses inside it run; after the block the signal is
    delivered again to the handler that was there before. Signals already ignored stay ignored;
    off the main thread this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    numbers = [getattr(signal, n) for n in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, n)]
    previous = {n: signal.getsignal(n) for n in numbers}
    watched = [n for n in numbers if previous[n] not in (signal.SIG_IGN, None)]

    def interrupt(signum: int, _frame: object) -> None:
        for number in watched:
            signal.signal(number, signal.SIG_IGN)
        raise WriteInterrupted(signum)

    def restore() -> None:
        for number in watched:
            signal.signal(number, previous[number])

    for number in watched:
        signal.signal(number, interrupt)
    try:
        yield
    except WriteInterrupted as interrupted:
        restore()
        signal.raise_signal(interrupted.signum)  # the earlier handler: default ends the process
        raise SystemExit(128 + interrupted.signum) from None
    finally:
        restore()


def checkpoint(step: str) -> None:
    """Test hook: pause at `step` when SORTITION_TEST_WRITE_PAUSE names it (see the module)."""
    if os.environ.get(PAUSE_VARIABLE) == step:
        print(f"sortition test hook: paused at {step}", file=sys.stderr, flush=True)
        time.sleep(3600)
