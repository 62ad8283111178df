"""A sweep's grid: the axes a researcher names in GRID.toml, expanded into cells.

A cell is one instance (generated, or read from files) solved by one algorithm. Its key is the
SHA-256 of its canonical description, the package version and, for file instances, the files'
own hashes: the same key means the same result, so an interrupted sweep skips finished cells and a
changed input or version runs again. The algorithm's random stream comes from the key as well,
so no result depends on which worker ran the cell or in what order.

GRID.toml (paths are relative to the grid file; every list is an axis):

    [sweep]
    algorithms = ["maximin", "leximin"]
    gap = 0.01                     # optional, for the exact algorithms

    [[generated]]                  # any number of these blocks
    profiles = ["uk", "chile"]
    quotas = ["tight"]             # "loose" and/or "tight"
    pool_sizes = [200, 400]
    panel_sizes = [20]
    features = [6]                 # optional: the profile's default
    household_shares = [0.0]       # optional: the profile's own
    seeds = [1, 2, 3]

    [[files]]
    name = "renca"
    pool = "../renca/pool.csv"
    quotas = "../renca/quotas.csv"
    panel_size = 40
    household_columns = ["address"]
"""

from __future__ import annotations

import hashlib
import itertools
import tomllib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sortition import __version__
from sortition.algorithms import ALGORITHM_NAMES
from sortition.audit.canonical import canonical_json, sha256_hex
from sortition.errors import InputError, Location
from sortition.options import MAX_GAP
from sortition.research.generator_profiles import PROFILES
from sortition.research.generator_tight import QUOTA_CLASSES
from sortition.text import quoted, quoted_path


@dataclass(frozen=True)
class Cell:
    """One instance and one algorithm. Generated instances carry the generator's arguments,
    file instances their paths and the SHA-256 of each file."""

    algorithm: str
    gap: float | None
    source: str  # "generated" or "files"
    profile: str = ""
    quotas: str = ""
    pool_size: int = 0
    panel_size: int = 0
    features: int | None = None
    household_share: float | None = None
    seed: str = ""
    name: str = ""
    pool_path: str = ""
    quota_path: str = ""
    household_columns: tuple[str, ...] = ()
    pool_sha256: str = ""
    quotas_sha256: str = ""

    @property
    def key(self) -> str:
        """What identifies the cell's result: its description (without local paths, which
        differ between machines) and the package version."""
        record = {k: v for k, v in asdict(self).items() if k not in ("pool_path", "quota_path")}
        record["household_columns"] = list(self.household_columns)
        record["version"] = __version__
        return sha256_hex(canonical_json(record))[:16]

    @property
    def instance_label(self) -> str:
        """The instance without the algorithm: cells of equal label share one instance."""
        if self.source == "files":
            return self.name
        share = "" if self.household_share is None else f" hh{self.household_share:g}"
        features = "" if self.features is None else f" f{self.features}"
        return (
            f"{self.profile}/{self.quotas} n{self.pool_size} k{self.panel_size}"
            f"{features}{share} seed {self.seed}"
        )

    def to_json(self) -> dict[str, Any]:
        record = asdict(self)
        record["household_columns"] = list(self.household_columns)
        return record

    @staticmethod
    def from_json(record: dict[str, Any]) -> Cell:
        return Cell(**{**record, "household_columns": tuple(record["household_columns"])})


def read_grid(path: str | Path) -> tuple[Cell, ...]:
    """The cells of GRID.toml in a fixed order (instances as listed, then algorithms); a grid
    error names the file and the key and says how to fix it."""
    grid_path = Path(path)
    try:
        data = tomllib.loads(grid_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        message = f"file {quoted_path(str(grid_path))} does not exist"
        raise _error(grid_path, message, "check the path") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        hint = "see data/samples/sweep/grid.toml"
        raise _error(grid_path, f"not valid TOML: {error}", hint) from None
    sweep = _table(data, "sweep", grid_path)
    algorithms = _strings(sweep, "algorithms", grid_path, ALGORITHM_NAMES)
    gap = sweep.get("gap")
    if gap is not None and (not isinstance(gap, int | float) or not 0 < gap <= MAX_GAP):
        raise _error(grid_path, f"[sweep] gap = {gap!r}", f"use a number in (0, {MAX_GAP:g}]")
    unknown = set(data) - {"sweep", "generated", "files"}
    if unknown:
        raise _error(grid_path, f"unknown table {quoted(sorted(unknown)[0])}", _TABLES_HINT)
    instances: list[Cell] = []
    for block in _blocks(data, "generated", grid_path):
        instances += _generated(block, grid_path)
    for block in _blocks(data, "files", grid_path):
        instances.append(_files(block, grid_path))
    if not instances:
        raise _error(grid_path, "no instances", _TABLES_HINT)
    return tuple(
        Cell(**{**asdict(instance), "algorithm": algorithm, "gap": _gap(algorithm, gap)})
        for instance in instances
        for algorithm in algorithms
    )


_TABLES_HINT = "name instances in [[generated]] or [[files]] blocks beside [sweep]"


def _gap(algorithm: str, gap: float | None) -> float | None:
    return None if gap is None or algorithm == "legacy" else float(gap)


def _generated(block: dict[str, Any], path: Path) -> list[Cell]:
    known = {"profiles", "quotas", "pool_sizes", "panel_sizes", "features"}
    known |= {"household_shares", "seeds"}
    _no_unknown(block, known, "[[generated]]", path)
    profiles = _strings(block, "profiles", path, PROFILES)
    quota_classes = _strings(block, "quotas", path, QUOTA_CLASSES, default=["loose"])
    pool_sizes = _integers(block, "pool_sizes", path)
    panel_sizes = _integers(block, "panel_sizes", path)
    features: list[int | None] = list(_integers(block, "features", path, optional=True)) or [None]
    shares: list[float | None] = list(_shares(block, path)) or [None]
    seeds = [str(seed) for seed in _list(block, "seeds", path)]
    cells = []
    for profile, quotas, n, k, f, share, seed in itertools.product(
        profiles, quota_classes, pool_sizes, panel_sizes, features, shares, seeds
    ):
        if k >= n:
            raise _error(path, f"panel size {k} is not below pool size {n}", "use k < n")
        cells.append(Cell("", None, "generated", profile, quotas, n, k, f, share, seed))
    return cells


def _files(block: dict[str, Any], path: Path) -> Cell:
    known = {"name", "pool", "quotas", "panel_size", "household_columns"}
    _no_unknown(block, known, "[[files]]", path)
    name = block.get("name")
    if not isinstance(name, str) or not name:
        raise _error(path, "[[files]] needs a name", 'add name = "..."')
    paths = []
    for field in ("pool", "quotas"):
        value = block.get(field)
        if not isinstance(value, str):
            raise _error(path, f"[[files]] {name}: {field} is missing", f'add {field} = "FILE"')
        file = (path.parent / value).resolve()
        if not file.is_file():
            raise _error(path, f"[[files]] {name}: {quoted_path(value)} does not exist", "check it")
        paths.append(file)
    k = block.get("panel_size")
    if not isinstance(k, int) or isinstance(k, bool) or k < 1:
        raise _error(path, f"[[files]] {name}: panel_size {k!r}", "use a positive integer")
    columns = block.get("household_columns", [])
    if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns):
        raise _error(path, f"[[files]] {name}: household_columns", 'use ["column", ...]')
    return Cell(
        "", None, "files", name=name, panel_size=k, pool_path=str(paths[0]),
        quota_path=str(paths[1]), household_columns=tuple(columns),
        pool_sha256=_file_hash(paths[0]), quotas_sha256=_file_hash(paths[1]),
    )  # fmt: skip


def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _table(data: dict[str, Any], name: str, path: Path) -> dict[str, Any]:
    table = data.get(name)
    if not isinstance(table, dict):
        raise _error(path, f"no [{name}] table", 'add [sweep] with algorithms = ["maximin"]')
    return table


def _blocks(data: dict[str, Any], name: str, path: Path) -> list[dict[str, Any]]:
    blocks = data.get(name, [])
    if not isinstance(blocks, list) or not all(isinstance(b, dict) for b in blocks):
        raise _error(path, f"{name} must be [[{name}]] blocks", _TABLES_HINT)
    return blocks


def _list(
    block: dict[str, Any], key: str, path: Path, default: list[Any] | None = None
) -> list[Any]:
    value = block.get(key, default)
    if value is None:
        raise _error(path, f"{quoted(key)} is missing", f"add {key} = [...]")
    if not isinstance(value, list) or not value:
        raise _error(path, f"{quoted(key)} must be a non-empty list", f"write {key} = [...]")
    return value


def _strings(
    block: dict[str, Any], key: str, path: Path, allowed: tuple[str, ...],
    default: list[str] | None = None,
) -> list[str]:  # fmt: skip
    values = _list(block, key, path, default)
    for value in values:
        if value not in allowed:
            raise _error(path, f"{key}: unknown {value!r}", f"choose from {', '.join(allowed)}")
    return [str(v) for v in values]


def _integers(block: dict[str, Any], key: str, path: Path, optional: bool = False) -> list[int]:
    if optional and key not in block:
        return []
    values = _list(block, key, path)
    for value in values:
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise _error(path, f"{key}: {value!r} is not a positive integer", "fix the value")
    return [int(v) for v in values]


def _shares(block: dict[str, Any], path: Path) -> list[float]:
    if "household_shares" not in block:
        return []
    values = _list(block, "household_shares", path)
    for value in values:
        if not isinstance(value, int | float) or isinstance(value, bool) or not 0 <= value <= 1:
            raise _error(path, f"household_shares: {value!r}", "use numbers from 0 to 1")
    return [float(v) for v in values]


def _no_unknown(block: dict[str, Any], known: set[str], where: str, path: Path) -> None:
    unknown = sorted(set(block) - known)
    if unknown:
        raise _error(
            path, f"{where}: unknown key {quoted(unknown[0])}", f"use {', '.join(sorted(known))}"
        )


def _error(path: Path, message: str, hint: str) -> InputError:
    return InputError(message, location=Location(file=str(path)), hint=hint)
