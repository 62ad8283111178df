"""Quota tables from census figures: population totals per value, apportioned to the panel's seats.

The census comes in long format: one row per cell (e.g. commune x sex x age band) with a count
column. For each category the population of each value is summed and the k seats are shared out
by the largest-remainder (Hamilton) method; each quota is the apportioned seats widened by a
tolerance either side, clipped to 0..k.

Rules, stated once here and relied on by the tests:

- Ties. Seats left after the floors go to the largest fractional remainders; equal remainders
  (compared exactly, as fractions) go to the larger population first, then to the value that comes
  first (order of first appearance in the census file, or the order of the requested age bands).
- Age bands. With `bands` (e.g. 18-29, 30-44, 45-59, 60+) the census age bands are mapped into
  the requested ones. Ages are taken as uniform within a census band, so the band that straddles
  `adult_age` contributes only its adult share: with adult age 18, 2/5 of the 15-19 count (ages 18
  and 19). Bands below the adult age are dropped, from *every* category's totals, so all
  categories apportion the same adult population. The requested bands must start at `adult_age`,
  be contiguous and non-overlapping, end with an open band ('60+'), and every other edge must be a
  census band edge. Without `bands` the counts are used as they are (children included).
- Names. Values are matched after `sortition.inputs.tables.normalize` (case, accents composed,
  spaces) and keep the spelling first seen. `rename` gives a census column the pool's feature
  name and `relabel` the pool's value spelling; values relabelled alike are merged.

The package re-exports its public API. Its modules: `counts` (reading the census: `read_census`,
`CensusTable`), `subset` (`census_rows`: only the rows of chosen communes, say),
`apportion` (`largest_remainder`), `bands` (requested and census age bands, and
the part of each row that counts) and `quotas` (`census_quotas`: the seats and quotas of every
category, with the checks of --by, --rename and --relabel).
"""

from __future__ import annotations

from sortition.inputs.census.apportion import largest_remainder
from sortition.inputs.census.bands import (
    DEFAULT_ADULT_AGE,
    DEFAULT_AGE_COLUMN,
    AgeBand,
    parse_band,
    parse_bands,
)
from sortition.inputs.census.counts import (
    BUNDLED_CENSUS,
    DEFAULT_COUNT_COLUMN,
    BadCensusCount,
    CensusTable,
    read_census,
)
from sortition.inputs.census.quotas import CategorySeats, CensusQuotas, ValueSeats, census_quotas
from sortition.inputs.census.subset import census_rows

__all__ = [
    "BUNDLED_CENSUS",
    "DEFAULT_ADULT_AGE",
    "DEFAULT_AGE_COLUMN",
    "DEFAULT_COUNT_COLUMN",
    "AgeBand",
    "BadCensusCount",
    "CategorySeats",
    "CensusQuotas",
    "CensusTable",
    "ValueSeats",
    "census_quotas",
    "census_rows",
    "largest_remainder",
    "parse_band",
    "parse_bands",
    "read_census",
]
