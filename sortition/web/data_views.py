"""The first steps of a draw: upload the pool and the quotas, choose the columns, see the parsed
categories (or the errors with row and column), check that the quotas can be met."""

from __future__ import annotations

from typing import Any

import numpy as np
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from sortition.errors import SortitionError
from sortition.inputs.build import LoadedInstance, load_instance
from sortition.inputs.duplicates import scan_duplicates
from sortition.inputs.quotas import read_quotas
from sortition.inputs.tables import normalize, read_table
from sortition.outputs.files import quotas_to_csv_bytes, write_file_atomically
from sortition.panel.feasibility import check as check_feasibility
from sortition.panel.feasibility import household_count
from sortition.web.common import file_field, open_run, read_form, redirect, text_field
from sortition.web.runs import Run
from sortition.web.tasks import error_record

CHECK_TIME_LIMIT = 120.0  # seconds for the feasibility check in a request
HOUSEHOLD_NAMES = ("address", "dirección", "direccion", "domicilio", "household", "hogar")
MAX_PANEL = 100_000


async def upload(request: Request) -> Response:
    """Store the pool, the quota table and/or the optional population table and history of
    earlier selections, then read the pool's columns. The population table and the history are
    read by the draw, when its form asks for them."""
    run = open_run(request)
    form = await read_form(request)
    run.clear_state("uploaderror")
    for role in ("pool", "quotas", "population", "history"):
        upload = file_field(form, role)
        if upload is None:
            continue
        if not run.store_upload(role, upload):
            return redirect(f"/runs/{run.id}#files")
        if role != "history":  # (the history is read by the draw, with its own choices)
            run.clear_state("parsed", "check", "settings")
    await run_in_threadpool(read_inputs, run)
    return redirect(f"/runs/{run.id}#columns")


def read_inputs(run: Run) -> None:
    """Save the pool's header (for the column choice) and any error reading either file."""
    names = run.read_state("names")
    pool = run.input_path("pool")
    if pool is not None:
        try:
            header = list(read_table(pool).header)
            run.write_state("columns", {"header": header})
        except SortitionError as error:
            run.write_state("columns", {"error": error_record(error, run.path, names)})
    quotas = run.input_path("quotas")
    run.clear_state("quotaerror")
    if quotas is not None:
        try:
            read_quotas(quotas)
        except SortitionError as error:
            run.write_state("quotaerror", {"error": error_record(error, run.path, names)})


async def settings(request: Request) -> Response:
    """Save the id and household columns and the panel size, and read the whole instance."""
    run = open_run(request)
    form = await read_form(request)
    header = run.read_state("columns").get("header") or []
    id_column = text_field(form, "id_column")
    households = [h for h in form.getlist("household") if isinstance(h, str) and h in header]
    panel = text_field(form, "panel_size")
    chosen = {
        "id_column": id_column if id_column in header else (header[0] if header else "id"),
        "household_columns": households,
        "panel_size": int(panel) if panel.isdigit() and 0 < int(panel) <= MAX_PANEL else None,
    }
    run.write_state("settings", chosen)
    run.clear_state("check")
    await run_in_threadpool(parse_inputs, run)
    return redirect(f"/runs/{run.id}#categories")


def parse_inputs(run: Run) -> None:
    """Read the whole instance with the chosen settings and keep what the page shows of it
    (or the error); without a panel size yet, say that one is needed."""
    chosen = run.read_state("settings")
    if chosen.get("panel_size") is None:
        run.write_state("parsed", {"error": {"key": "panel_size"}})
        return
    try:
        loaded = _load(run)
        run.write_state("parsed", instance_summary(loaded))
    except SortitionError as error:
        run.write_state("parsed", {"error": error_record(error, run.path, run.read_state("names"))})


def _load(run: Run) -> LoadedInstance:
    chosen = run.read_state("settings")
    pool, quotas = run.input_path("pool"), run.input_path("quotas")
    if pool is None or quotas is None:
        raise SortitionError("upload both the pool and the quota table first")
    return load_instance(
        pool,
        quotas,
        panel_size=int(chosen["panel_size"]),
        id_column=str(chosen["id_column"]),
        household_columns=tuple(chosen.get("household_columns") or ()),
    )


def instance_summary(loaded: LoadedInstance) -> dict[str, Any]:
    """What the page shows about the read instance: each category's values with their quotas and
    the number of registrants holding them, households, duplicate registrations (row numbers)."""
    instance = loaded.instance
    features = []
    for f, feature in enumerate(instance.features):
        counts = np.bincount(instance.values[:, f], minlength=len(feature.values)).tolist()
        features.append(
            {
                "name": feature.name,
                "column": loaded.feature_columns[f],
                "values": [
                    {"value": value, "min": quota.min, "max": quota.max, "pool": int(count)}
                    for value, quota, count in zip(
                        feature.values, feature.quotas, counts, strict=True
                    )
                ],
            }
        )
    columns, groups = scan_duplicates(loaded.pool, None)
    return {
        "people": instance.size,
        "panel_size": instance.panel_size,
        "households": household_count(instance) if loaded.household_columns else None,
        "features": features,
        "contact_columns": list(columns),
        "duplicates": [{"rows": list(g.rows), "ids": list(g.ids)} for g in groups],
    }


async def check(request: Request) -> Response:
    """Can some panel meet every quota? If not, the smallest change of the quotas."""
    run = open_run(request)
    await read_form(request)
    await run_in_threadpool(_check, run)
    return redirect(f"/runs/{run.id}#check")


def _check(run: Run) -> None:
    try:
        loaded = _load(run)
        report = check_feasibility(loaded.instance, time_limit=CHECK_TIME_LIMIT)
    except SortitionError as error:
        run.write_state("check", {"error": error_record(error, run.path, run.read_state("names"))})
        return
    corrected = None
    if report.relaxed_features is not None:
        corrected = quotas_to_csv_bytes(report.relaxed_features)
        write_file_atomically(run.path / "quotas-corrected.csv", corrected)
    run.write_state(
        "check",
        {
            "feasible": report.feasible,
            "problems": [problem.message for problem in report.problems],
            "relaxation": [
                {
                    "feature": c.feature, "value": c.value, "old_min": c.old_min,
                    "old_max": c.old_max, "new_min": c.new_min, "new_max": c.new_max,
                }
                for c in report.relaxation
            ],
            "cost": report.relaxation_cost,
            "household_limit": report.household_limit,
            "corrected": corrected is not None,
        },
    )  # fmt: skip


async def use_corrected(request: Request) -> Response:
    """Replace the quota table by the corrected one that the check suggested."""
    run = open_run(request)
    await read_form(request)
    corrected = run.path / "quotas-corrected.csv"
    if corrected.is_file():
        name = "corrected-" + normalize(run.display_name("quotas")).replace(" ", "-")
        run.save_upload("quotas", name.rsplit(".", 1)[0] + ".csv", corrected.read_bytes())
        run.clear_state("check")
        await run_in_threadpool(read_inputs, run)
        await run_in_threadpool(parse_inputs, run)
    return redirect(f"/runs/{run.id}#categories")
