"""Long work off the request thread: each job is a separate worker process, watched by a thread.

The worker (`sortition.web.tasks.run_task`) calls the library and sends its progress lines
(`SolveOptions.progress`) and its outcome through a queue. Cancelling terminates the process
(SIGTERM): the library's result sets clean up after it, so a cancelled draw leaves the earlier
results or none, never a mix. A job's final state is saved in its run's folder, so the result
outlives the server and any tab can see it.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import queue
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from sortition.web.runs import Run
from sortition.web.tasks import run_task

RUNNING, DONE, FAILED, CANCELLED = "running", "done", "failed", "cancelled"
MAX_LINES = 500  # progress lines kept per job


@dataclass
class Job:
    """One worker process and what it has said so far."""

    run: Run
    kind: str
    process: Any  # multiprocessing.Process of the spawn context
    messages: Any  # its queue
    started: float = field(default_factory=time.time)
    finished: float | None = None
    state: str = RUNNING
    lines: list[str] = field(default_factory=list)
    error: dict[str, Any] | None = None
    result: dict[str, Any] | None = None
    live: dict[str, Any] | None = None  # the algorithm's latest status (outputs.live.live_status)
    cancel_requested: bool = False

    def status(self) -> dict[str, Any]:
        end = self.finished if self.finished is not None else time.time()
        return {
            "kind": self.kind,
            "state": self.state,
            "lines": list(self.lines),
            "elapsed": round(end - self.started, 1),
            "error": self.error,
            "result": self.result,
            "live": self.live if self.state == RUNNING else None,
        }


class JobManager:
    """The jobs of one server: at most one running job per run."""

    def __init__(self) -> None:
        self._context = multiprocessing.get_context("spawn")  # no fork of a threaded server
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def start(self, run: Run, kind: str, params: dict[str, Any]) -> bool:
        """Start `kind` for the run; False if a job of this run is still running."""
        with self._lock:
            current = self._jobs.get(run.id)
            if current is not None and current.state == RUNNING:
                return False
            messages = self._context.Queue()
            process = self._context.Process(
                target=run_task,
                args=(kind, str(run.path), params, messages),
                name=f"sortition-{kind}-{run.id[:8]}",
                daemon=True,
            )
            job = Job(run, kind, process, messages)
            run.clear_state("job")
            self._jobs[run.id] = job
            process.start()
        threading.Thread(target=self._watch, args=(job,), daemon=True).start()
        return True

    def status(self, run: Run) -> dict[str, Any] | None:
        """The job's status (live, or saved when it ended); None if the run never had one."""
        with self._lock:
            job = self._jobs.get(run.id)
            if job is not None:
                return job.status()
        saved = run.read_state("job")
        return saved or None

    def cancel(self, run: Run) -> bool:
        """Stop the run's job; False if none is running."""
        with self._lock:
            job = self._jobs.get(run.id)
            if job is None or job.state != RUNNING:
                return False
            job.cancel_requested = True
        with contextlib.suppress(Exception):
            job.process.terminate()
        return True

    def forget(self, run: Run) -> None:
        """Cancel and drop the run's job (before its folder is deleted)."""
        self.cancel(run)
        with self._lock:
            job = self._jobs.pop(run.id, None)
        if job is not None:
            job.process.join(timeout=5)

    def shutdown(self) -> None:
        """Stop every running job (the server is stopping)."""
        with self._lock:
            jobs = list(self._jobs.values())
        for job in jobs:
            if job.state == RUNNING:
                job.cancel_requested = True
                with contextlib.suppress(Exception):
                    job.process.terminate()
        for job in jobs:
            job.process.join(timeout=5)

    def _watch(self, job: Job) -> None:
        """Collect the worker's messages until it ends, then record the final state."""
        outcome: tuple[str, dict[str, Any]] | None = None
        while True:
            try:
                kind, payload = job.messages.get(timeout=0.2)
            except queue.Empty:
                if not job.process.is_alive():
                    break
                continue
            except (EOFError, OSError):
                break
            if kind == "progress":
                with self._lock:
                    job.lines.append(str(payload))
                    del job.lines[:-MAX_LINES]
            elif kind == "status":
                with self._lock:
                    job.live = dict(payload)
            else:
                outcome = (kind, payload)
                break
        job.process.join(timeout=10)
        with self._lock:
            job.finished = time.time()
            if job.cancel_requested:
                job.state = CANCELLED
            elif outcome is None:
                job.state = FAILED
                job.error = {"message": f"worker stopped (exit code {job.process.exitcode})"}
            elif outcome[0] == "done":
                job.state, job.result = DONE, outcome[1]
            else:
                job.state, job.error = FAILED, outcome[1]
            status = job.status()
        with contextlib.suppress(OSError):
            job.messages.close()
        if job.run.path.is_dir():
            with contextlib.suppress(Exception):
                job.run.write_state("job", status)
