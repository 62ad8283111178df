"""The long computations of the web app, run in a worker process (`sortition.web.jobs`).

Each task only builds the library's request from the form's parameters and calls the library,
exactly as the CLI does: `select` then `write_result_set` for a draw, `make_lottery` then
`write_lottery` for the commitment, `replace_dropouts` then `write_replacement`, `read_problem`
then `seat` and `write_seating` for the seating at tables. Progress
lines and the outcome go to the parent through a queue. `error_record` turns any error into
what the page shows, with the organizer's own file names instead of the run's paths.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sortition.errors import SortitionError
from sortition.inputs.history import HistoryRule
from sortition.invite import Invitations, InviteRequest, invitation_files, invite
from sortition.options import DEFAULT_FAIRNESS_SLACK, SolveOptions, Status
from sortition.outputs.live import live_status, seating_status
from sortition.outputs.report_html import add_report
from sortition.outputs.result_set import check_output_file, check_result_folder, write_result_set
from sortition.process.inputs import DrawInputs, input_files
from sortition.process.publish import LotteryRequest, make_lottery, write_lottery
from sortition.process.replace import ReplacementRequest, replace_dropouts, replacement_files
from sortition.process.replace import replacement_inputs as replacement_input_paths
from sortition.process.selection import SelectionRequest, select, selection_files
from sortition.randomness import new_seed
from sortition.tables import SearchProgress, read_problem, seat, write_seating
from sortition.tables.seating import SeatingResult, problem_inputs
from sortition.web.runs import RESULT_FOLDERS, Run

STATUS_INTERVAL = 0.5  # seconds between the live statuses sent to the page


class Progress:
    """What a task tells the page while it runs: progress lines (call it with one) and the
    algorithm's live `Status` (`status`), sent at most every `STATUS_INTERVAL` seconds."""

    def __init__(self, messages: Any) -> None:
        self.messages = messages
        self._sent = -float("inf")

    def __call__(self, line: str) -> None:
        self.messages.put(("progress", line))

    def status(self, status: Status | None) -> None:
        if status is not None and self._due():
            self.messages.put(("status", live_status(status)))

    def seating(self, progress: SearchProgress) -> None:
        """The seating search's best levels so far (same throttle as `status`)."""
        if self._due():
            self.messages.put(("status", seating_status(progress)))

    def _due(self) -> bool:
        now = time.monotonic()
        if now - self._sent < STATUS_INTERVAL:
            return False
        self._sent = now
        return True


def run_task(kind: str, run_dir: str, params: dict[str, Any], messages: Any) -> None:
    """Entry point of the worker process: run one task, send ('progress', line) and ('status',
    live status) messages and finally ('done', result) or ('error', error_record)."""
    progress = Progress(messages)
    run = Path(run_dir)
    progress("reading the files")
    try:
        task = TASKS[kind]
        result = task(run, params, progress)
    except BaseException as error:  # the page must say why, whatever it was
        messages.put(("error", error_record(error, run, params.get("names") or {})))
    else:
        messages.put(("done", result))
    messages.close()
    messages.join_thread()


def _options(params: dict[str, Any], progress: Progress) -> SolveOptions:
    return SolveOptions(
        time_limit=params.get("time_limit"),
        gap=params.get("gap"),
        fairness_slack=float(params.get("fairness_slack", DEFAULT_FAIRNESS_SLACK)),
        legacy_draws=int(params.get("legacy_draws") or 1000),
        progress=progress,
        status=progress.status,
    )


def _draw_inputs(params: dict[str, Any], progress: Progress) -> DrawInputs:
    """What the draw and lottery forms share (`sortition.process.inputs`)."""
    return DrawInputs(
        pool_path=params["pool_path"],
        quota_path=params["quota_path"],
        panel_size=int(params["panel_size"]),
        algorithm=params["algorithm"],
        id_column=params["id_column"],
        household_columns=tuple(params.get("household_columns") or ()),
        allow_duplicates=bool(params.get("allow_duplicates")),
        options=_options(params, progress),
        population_path=params.get("population_path") or None,
        history=_history(params.get("history")),
    )


def _history(rule: dict[str, Any] | None) -> HistoryRule | None:
    """The cooldown rule the draw form asked for (`draw_views.history_params`), if any."""
    if not rule:
        return None
    return HistoryRule(
        rule["path"], int(rule["cooldown"]), str(rule["as_of"]), rule["mode"], rule["factor"]
    )


def _select(run: Path, params: dict[str, Any], progress: Progress) -> dict[str, Any]:
    request = SelectionRequest(
        _draw_inputs(params, progress),
        seed=params.get("seed") or None,
        reserves=int(params.get("reserves") or 0),
    )
    out = run / "output"
    overwrite = bool(params.get("overwrite"))
    inputs = input_files(request.inputs)
    check_result_folder(out, inputs, overwrite=overwrite)
    selection = select(request)
    progress("writing the output files")
    files = add_report(selection_files(selection), params.get("lang", "en"))
    write_result_set(out, files, inputs, overwrite=overwrite)
    return {"seed": selection.seed, "seed_generated": selection.seed_generated}


def _lottery(run: Path, params: dict[str, Any], progress: Progress) -> dict[str, Any]:
    request = LotteryRequest(
        _draw_inputs(params, progress),
        num_tickets=int(params.get("tickets") or 1000),
        planned_sources=params.get("planned_sources") or None,
        draw_date=params.get("draw_date") or None,
    )
    path = run / "lottery.json"
    overwrite = bool(params.get("overwrite"))
    check_output_file(path, input_files(request.inputs), overwrite=overwrite)
    lottery = make_lottery(request)
    write_lottery(lottery, path, overwrite=overwrite)
    return {"fingerprint": lottery.fingerprint}


def _replace(run: Path, params: dict[str, Any], progress: Progress) -> dict[str, Any]:
    request = ReplacementRequest(
        log_path=params["log_path"],
        dropouts_path=params["dropouts_path"],
        pool_path=params.get("pool_path"),
        seed=params.get("seed") or None,
        sources=tuple(params.get("sources") or ()),
        options=_options(params, progress),
        after_path=params.get("after_path"),
    )
    out = run / str(params.get("out_folder", "replacement"))
    inputs = replacement_input_paths(request)
    # a wave already drawn (perhaps notified) is drawn again only when the form says so
    overwrite = bool(params.get("overwrite"))
    check_result_folder(out, inputs, overwrite=overwrite)
    replacement = replace_dropouts(request)
    files = add_report(replacement_files(replacement), params.get("lang", "en"))
    write_result_set(out, files, inputs, overwrite=overwrite)
    return {"replacements": list(replacement.replacement_ids)}


def _tables(run: Path, params: dict[str, Any], progress: Progress) -> dict[str, Any]:
    problem = read_problem(
        params["panel_path"],
        table_size=int(params["table_size"]),
        rounds=int(params["rounds"]),
        balance=list(params["balance"]),
        spread=list(params.get("spread") or ()),
        id_column=str(params.get("id_column") or "id"),
        keep_together=params.get("together_path") or None,
        keep_apart=params.get("apart_path") or None,
        label=list(params.get("label") or ()),
        earlier=params.get("earlier_path") or None,
        held=params.get("held") or None,
        absent=list(params.get("absent") or ()),
    )
    target = Run(run.name, run)
    out = target.tables
    # a seating already made (perhaps printed) is replaced only when the form says so
    overwrite = bool(params.get("overwrite"))
    check_result_folder(out, problem_inputs(problem), overwrite=overwrite)
    seed = params.get("seed") or new_seed()
    progress(f"seating {problem.n} members at {problem.num_tables} tables, seed {seed}")
    result = seat(
        problem, seed=seed, time_limit=params.get("time_limit"), on_progress=progress.seating
    )
    progress("writing the output files")
    write_seating(result, out, overwrite=overwrite, lang=params.get("lang", "en"))
    summary = seating_summary(result, seed_generated=not params.get("seed"))
    target.write_state("seating", summary)  # the page's figures, beside the files
    return summary


def _invite(run: Path, params: dict[str, Any], progress: Progress) -> dict[str, Any]:
    request = InviteRequest(
        params["register_path"],
        int(params["invitations"]),
        tuple(params.get("strata") or ()),
        str(params.get("id_column") or "id"),
        params.get("seed") or None,
        (),
        tuple(params.get("personal") or ()),
    )
    target = Run(run.name, run)
    inputs = {"register": request.register_path}
    # invitations already drawn (perhaps mailed) are replaced only when the form says so
    overwrite = bool(params.get("overwrite"))
    check_result_folder(target.invite, inputs, overwrite=overwrite)
    progress(f"reading the register and drawing {request.invitations:,} invitations")
    result = invite(request)
    write_result_set(target.invite, invitation_files(result), inputs, overwrite=overwrite)
    summary = invitation_summary(result, seed_generated=not params.get("seed"))
    target.write_state("invited", summary)  # the page's figures, beside the files
    return summary


def invitation_summary(result: Invitations, *, seed_generated: bool) -> dict[str, Any]:
    """What the invitation page shows: counts, seed and the allocation by stratum."""
    register = result.register
    return {
        "invitations": result.request.invitations,
        "population": register.population,
        "strata_columns": list(register.strata_columns),
        "strata": [
            {"key": list(s.key), "population": s.population, "invitations": s.invitations}
            for s in result.strata
        ],
        "seed": result.randomness.seed,
        "seed_generated": seed_generated,
        "pseudonyms": result.pseudonyms is not None,
    }


def seating_summary(result: SeatingResult, *, seed_generated: bool) -> dict[str, Any]:
    """What the tables page shows of a seating (kept with the job's outcome)."""
    problem, quality, base = result.problem, result.quality, result.baseline
    return {
        "members": problem.n,
        "tables": problem.num_tables,
        "sizes": sorted({int(s) for s in problem.sizes}, reverse=True),
        "rounds": problem.rounds,
        "held": problem.held,  # rounds already held before these (their pages come after)
        "absent": list(problem.absent),  # members not seated in these rounds
        "balance": [column.name for column in problem.balance],
        "labels": list(problem.label_columns),
        "together": len(problem.together),
        "apart": len(problem.apart),
        "seed": result.seed,
        "seed_generated": seed_generated,
        "seconds": round(result.seconds, 1),
        "stopped": result.stopped,
        "reproducible": result.reproducible,
        "repeated_pairs": quality.repeated_pairs,
        "repeat_lower_bound": quality.repeat_lower_bound,
        "pairs_met_twice": quality.pairs_met_twice,
        "most_meetings": quality.most_meetings,
        "outside": quality.balance_violation,
        "worst_balance": dict(quality.worst_balance),
        "rule_violations": list(quality.rule_violations),
        "greedy_outside": base.balance_violation,
        "greedy_repeated_pairs": base.repeated_pairs,
    }


TASKS: dict[str, Callable[[Path, dict[str, Any], Progress], dict[str, Any]]] = {
    "select": _select,
    "lottery": _lottery,
    "replace": _replace,
    "tables": _tables,
    "invite": _invite,
}


def error_record(error: BaseException, run: Path, names: dict[str, str]) -> dict[str, Any]:
    """What the page shows about an error: code, message, file (as the organizer named it),
    row, column and hint; the run's own paths never appear."""
    if not isinstance(error, SortitionError):
        return {"code": "", "message": f"{type(error).__name__}: {error}", "hint": ""}
    location = error.location
    file = None
    if location is not None and location.file:
        file = _display(location.file, run, names)
    return {
        "code": error.code,
        "message": _display(error.message, run, names),
        "hint": _display(error.hint, run, names),
        "file": file,
        "row": location.row if location is not None else None,
        "column": location.column if location is not None else None,
    }


def _display(text: str, run: Path, names: dict[str, str]) -> str:
    """`text` with the run's stored input paths replaced by the organizer's file names."""
    inputs = run / "inputs"
    for role, name in names.items():
        for suffix in (".csv", ".xlsx", ".json"):
            stored = inputs / f"{role}{suffix}"
            text = text.replace(str(stored), name)
    for folder in RESULT_FOLDERS:
        text = text.replace(str(run / folder), folder)
    return text.replace(str(run) + "/", "")
