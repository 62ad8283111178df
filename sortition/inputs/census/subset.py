"""Part of a census: only the rows whose cells in some columns hold chosen values.

A municipality drawing its own assembly needs its own commune's population, while a regional
census file (such as the bundled 2017 census of the 52 communes of the Santiago Metropolitan
Region) lists every commune. `census_rows` keeps the rows matching every condition (column =
one of the values), so quotas are apportioned over that population only. Values are matched
after `sortition.inputs.tables.normalize` (case, accents composed, spaces), like every census
name. Row numbers are kept, so later errors still name the file's own rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sortition.errors import InputError, Location, UnknownValue, UsageError
from sortition.inputs.census.counts import CensusTable
from sortition.inputs.tables import normalize
from sortition.text import listing, quoted


def census_rows(counts: CensusTable, where: Mapping[str, Sequence[str]]) -> CensusTable:
    """The census restricted to rows whose column c holds one of `where[c]`, for every c.

    Raises MissingColumn for a column the census lacks, UnknownValue for a value no row holds
    (listing the values there are), UsageError for a condition without values, and InputError
    when no row meets every condition.
    """
    keep = [True] * len(counts.rows)
    for wanted, values in where.items():
        actual = counts.column(
            wanted, hint="check the column names in --where (case and spaces are ignored)"
        )
        if not values:
            raise UsageError(
                f"--where names column {quoted(actual)} without any value",
                hint=f"write it like --where {actual}=VALUE[,VALUE...]",
            )
        position = counts.header.index(actual)
        present: dict[str, str] = {}
        for row in counts.rows:
            present.setdefault(normalize(row[position]), row[position])
        chosen = set()
        for value in values:
            key = normalize(value)
            if key not in present:
                raise UnknownValue(
                    f"no census row has {quoted(value)} in {quoted(actual)}; values found: "
                    f"{listing(sorted(present.values()))}",
                    location=Location(file=counts.path, column=actual),
                    hint="spell the value as the census does (case and accents aside)",
                )
            chosen.add(key)
        for i, row in enumerate(counts.rows):
            keep[i] = keep[i] and normalize(row[position]) in chosen
    if not any(keep):
        raise InputError(
            "no census row meets every --where condition together",
            location=Location(file=counts.path),
            hint="check that the chosen values can occur on the same rows",
        )
    picked = [i for i, k in enumerate(keep) if k]
    return CensusTable(
        counts.path,
        counts.header,
        tuple(counts.rows[i] for i in picked),
        tuple(counts.row_numbers[i] for i in picked),
        tuple(counts.counts[i] for i in picked),
        counts.count_column,
        counts.sha256,
    )
