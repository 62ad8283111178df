"""The run's quota table from a census, in the browser (`sortition quotas`).

The page takes the bundled 2017 census of the Santiago Metropolitan Region (or an uploaded one
in long format), only the rows of some communes (or of any values of any column), the categories
to apportion with their names and values as the pool spells them, age bands, panel size and
tolerance; it shows the apportionment (population, share, exact and apportioned seats, min and
max per value) and a button makes it the run's quota table, as if uploaded. Making the table
again after a change replaces the preview; nothing reaches the run's inputs until the button.

The page only gathers the form and calls `sortition.inputs.census`; the apportionment rules and
every check of the choices live there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from sortition.errors import SortitionError
from sortition.inputs.census import (
    BUNDLED_CENSUS,
    DEFAULT_ADULT_AGE,
    DEFAULT_AGE_COLUMN,
    DEFAULT_COUNT_COLUMN,
    CensusQuotas,
    census_quotas,
    census_rows,
)
from sortition.inputs.census import read_census as read_census_file
from sortition.inputs.tables import normalize, read_table
from sortition.outputs.files import quotas_to_csv_bytes, write_file_atomically
from sortition.web.common import (
    PostedForm,
    file_field,
    open_run,
    read_form,
    redirect,
    render,
    text_field,
)
from sortition.web.data_views import MAX_PANEL, parse_inputs, read_inputs
from sortition.web.draw_views import number_field
from sortition.web.runs import Run
from sortition.web.tasks import error_record

PREVIEW = "quotas-census.csv"  # the made table, in the run's folder until it is used
BUNDLED_NAME = BUNDLED_CENSUS.name
DEFAULT_BANDS = "18-29,30-44,45-59,60+"
DEFAULT_BY = ("sex", DEFAULT_AGE_COLUMN)
MAX_FILTER_VALUES = 60  # columns with more distinct values are not offered as row filters
MAX_TOLERANCE = 1000


def census_file(run: Run) -> tuple[Path, str]:
    """The census the page uses and its source: an uploaded one ('upload') or the bundled
    census ('bundled')."""
    uploaded = run.input_path("census")
    return (uploaded, "upload") if uploaded is not None else (BUNDLED_CENSUS, "bundled")


def _error(run: Run, error: SortitionError) -> dict[str, Any]:
    """An error as the page shows it, naming the bundled census by its file name only."""
    record = error_record(error, run.path, run.read_state("names"))
    for key in ("message", "hint", "file"):  # the package's path is no business of the page
        if isinstance(record.get(key), str):
            record[key] = record[key].replace(str(BUNDLED_CENSUS), BUNDLED_NAME)
    return record


def describe(run: Run, count_column: str) -> dict[str, Any]:
    """The census's columns for the form: the count column (the one asked for, else
    'population', else the last) and, for every other column, its values in file order; with
    the error reading the counts, if any, so that another count column can be chosen."""
    path, _source = census_file(run)
    try:
        table = read_table(path)
    except SortitionError as error:
        return {"header": [], "columns": [], "error": _error(run, error)}
    header = [str(h) for h in table.header]
    chosen = next((h for h in header if normalize(h) == normalize(count_column)), None)
    if chosen is None:
        last = header[-1] if header else DEFAULT_COUNT_COLUMN
        chosen = next((h for h in header if normalize(h) == DEFAULT_COUNT_COLUMN), last)
    columns = []
    for i, name in enumerate(header):
        if name != chosen:
            cells = (row[i].strip() for row in table.rows if i < len(row))
            columns.append({"name": name, "values": list(dict.fromkeys(c for c in cells if c))})
    described: dict[str, Any] = {"header": header, "count_column": chosen, "columns": columns}
    try:
        read_census_file(path, count_column=chosen)
    except SortitionError as error:
        described["error"] = _error(run, error)
    return described


def _defaults(run: Run, columns: list[dict[str, Any]], count_column: str) -> dict[str, Any]:
    names = {normalize(c["name"]): c["name"] for c in columns}
    age = names.get(normalize(DEFAULT_AGE_COLUMN), "")
    panel_size = run.read_state("settings").get("panel_size")
    return {
        "count_column": count_column,
        "by": [names[normalize(b)] for b in DEFAULT_BY if normalize(b) in names],
        "where": {},
        "rename": {},
        "relabel": {},
        "age_column": age,
        "bands": DEFAULT_BANDS if age else "",
        "adult_age": DEFAULT_ADULT_AGE,
        "panel_size": panel_size or "",
        "tolerance": 1,
    }


async def census_page(request: Request) -> Response:
    """The census form and, once made, the apportionment with the button to use it."""
    run = open_run(request)
    chosen = run.read_state("censusform")
    described = await run_in_threadpool(
        describe, run, str(chosen.get("count_column") or DEFAULT_COUNT_COLUMN)
    )
    if not chosen:
        chosen = _defaults(run, described["columns"], str(described.get("count_column", "")))
    _path, source = census_file(run)
    made = run.read_state("census")
    return render(
        request,
        "census.html",
        run=run,
        source=source,
        names=run.read_state("names"),
        census=described,
        filters=[c for c in described["columns"] if len(c["values"]) <= MAX_FILTER_VALUES],
        chosen=chosen,
        made=made,
        upload_failure=run.read_state("uploaderror"),
        has_quotas=run.input_path("quotas") is not None,
    )


async def upload_census(request: Request) -> Response:
    """Store an uploaded census (replacing an earlier one); 'use the bundled census' removes
    it. Either way the earlier choices and preview go, since they named the other file."""
    run = open_run(request)
    form = await read_form(request)
    run.clear_state("uploaderror")
    if form.get("use_bundled") == "on":
        path = run.input_path("census")
        if path is not None:
            path.unlink()
    else:
        upload = file_field(form, "census")
        if upload is None:
            return redirect(f"/runs/{run.id}/census")
        if not run.store_upload("census", upload):
            return redirect(f"/runs/{run.id}/census")
    run.clear_state("censusform", "census")
    (run.path / PREVIEW).unlink(missing_ok=True)
    return redirect(f"/runs/{run.id}/census")


def census_params(form: PostedForm, columns: list[dict[str, Any]]) -> dict[str, Any]:
    """The choices from the posted form, kept only where they name the census's own columns
    and values (400 for a malformed number). The library checks the rest and says what is
    wrong."""
    names = [str(c["name"]) for c in columns]
    values = {str(c["name"]): [str(v) for v in c["values"]] for c in columns}
    panel_size = number_field(form, "panel_size", int)
    tolerance = number_field(form, "tolerance", int)
    adult_age = number_field(form, "adult_age", int)
    if panel_size is None or not 0 < panel_size <= MAX_PANEL:
        raise HTTPException(400, "bad_number")
    if tolerance is None or not 0 <= tolerance <= MAX_TOLERANCE:
        raise HTTPException(400, "bad_number")
    if adult_age is None or not 0 <= adult_age <= 150:
        raise HTTPException(400, "bad_number")
    by = [c for c in form.getlist("by") if c in names]
    where = {}
    for column in names:
        ticked = [v for v in form.getlist(f"where:{column}") if v in values[column]]
        if ticked:
            where[column] = ticked
    rename = {}
    relabel: dict[str, dict[str, str]] = {}
    for column in by:
        name = text_field(form, f"name:{column}", 200)
        if name and name != column:
            rename[column] = name
        labels = {}
        for i, value in enumerate(_label_keys(form, column, values[column])):
            label = text_field(form, f"label:{column}:{i}", 200)
            if label and label != value:
                labels[value] = label
        if labels:
            relabel[column] = labels
    age_column = text_field(form, "age_column", 200)
    return {
        "count_column": text_field(form, "count_column", 200),
        "by": by,
        "where": where,
        "rename": rename,
        "relabel": relabel,
        "age_column": age_column if age_column in names else "",
        "bands": text_field(form, "bands", 200),
        "adult_age": int(adult_age),
        "panel_size": int(panel_size),
        "tolerance": int(tolerance),
    }


def band_list(text: str) -> list[str]:
    """The age bands of the form's comma-separated field, blanks left out."""
    return [band.strip() for band in text.split(",") if band.strip()]


def _label_keys(form: PostedForm, column: str, values: list[str]) -> list[str]:
    """The values whose new spellings the form carries for `column`: the requested age bands
    for the age column (when bands are asked for), else the census values."""
    if normalize(column) == normalize(text_field(form, "age_column", 200)):
        bands = band_list(text_field(form, "bands", 200))
        if bands:
            return bands
    return values


def make(run: Run, params: dict[str, Any]) -> None:
    """Apportion the census with `params` and keep the table and its figures as the preview
    (or the error, with file, row and column)."""
    path, _source = census_file(run)
    (run.path / PREVIEW).unlink(missing_ok=True)
    try:
        census = read_census_file(path, count_column=params["count_column"] or "population")
        if params["where"]:
            census = census_rows(census, params["where"])
        bands = band_list(str(params["bands"]))
        result = census_quotas(
            census,
            params["by"],
            params["panel_size"],
            tolerance=params["tolerance"],
            bands=bands or None,
            adult_age=params["adult_age"],
            age_column=params["age_column"] or DEFAULT_AGE_COLUMN,
            rename=params["rename"],
            relabel=params["relabel"],
        )
    except SortitionError as error:
        run.write_state("census", {"error": _error(run, error)})
        return
    write_file_atomically(run.path / PREVIEW, quotas_to_csv_bytes(result.features))
    run.write_state("census", apportionment(result))


def apportionment(result: CensusQuotas) -> dict[str, Any]:
    """The figures the page shows for a made table: one row per value of every category."""
    return {
        "panel_size": result.panel_size,
        "tolerance": result.tolerance,
        "adult_age": result.adult_age,
        "partial": [[label, str(share)] for label, share in result.partial_bands],
        "rows": [
            {
                "feature": category.feature,
                "value": value.value,
                "population": float(value.population),
                "share": float(value.share),
                "exact": float(value.exact),
                "seats": value.seats,
                "min": value.quota.min,
                "max": value.quota.max,
            }
            for category in result.categories
            for value in category.values
        ],
    }


async def make_quotas(request: Request) -> Response:
    """Make the quota table from the posted choices and show it (not yet used)."""
    run = open_run(request)
    form = await read_form(request)
    described = await run_in_threadpool(
        describe, run, text_field(form, "count_column", 200) or DEFAULT_COUNT_COLUMN
    )
    if described.get("error"):  # say why under the form, which keeps the last good choice
        run.write_state("census", {"error": described["error"]})
        (run.path / PREVIEW).unlink(missing_ok=True)
        return redirect(f"/runs/{run.id}/census#made")
    params = census_params(form, described["columns"])
    run.write_state("censusform", params)
    await run_in_threadpool(make, run, params)
    return redirect(f"/runs/{run.id}/census#made")


async def use_quotas(request: Request) -> Response:
    """Make the previewed table the run's quota table, then back to the run's page."""
    run = open_run(request)
    await read_form(request)
    made = run.path / PREVIEW
    if not made.is_file():
        return redirect(f"/runs/{run.id}/census")
    run.save_upload("quotas", PREVIEW, made.read_bytes())
    run.clear_state("check", "parsed")
    await run_in_threadpool(read_inputs, run)
    if run.read_state("settings").get("panel_size") is not None:  # columns already chosen
        await run_in_threadpool(parse_inputs, run)
    return redirect(f"/runs/{run.id}#categories")
