"""Seating the selected assembly at diverse tables, round after round (`sortition tables`).

Modules, in the order a seating is made:

- `model`: the problem (members, balanced and spread columns, keep-together groups, keep-apart
  pairs, table sizes and proportional shares);
- `inputs`: reading the panel and the rule files, with errors naming file, row and column;
- `earlier`: the rounds already held that a seating continues (`--earlier`, `--held`);
- `feasibility`: whether the hard rules can hold, and a seating that keeps them;
- `greedy`: the baseline, each member to the least similar table;
- `state` and `search`: the seeded local search over swaps within a round;
- `exact`: an integer program for small cases (the reference the tests hold the search to);
- `metrics`: the figures of a seating and a lower bound on repeated pairs;
- `output` and `html`: tables.csv, members.csv, summary.csv and a printable page per round;
- `seating`: `seat`, which ties them together, and `write_seating`.
"""

from sortition.tables.inputs import read_problem
from sortition.tables.metrics import Quality, evaluate, repeat_lower_bound
from sortition.tables.model import Column, KeepApart, KeepTogether, SeatingProblem
from sortition.tables.output import absent_line, earlier_line, quality_line, repeats_line
from sortition.tables.search import SearchProgress
from sortition.tables.seating import METHODS, SeatingResult, seat, write_seating

__all__ = [
    "METHODS",
    "Column",
    "KeepApart",
    "KeepTogether",
    "Quality",
    "SearchProgress",
    "SeatingProblem",
    "SeatingResult",
    "absent_line",
    "earlier_line",
    "evaluate",
    "quality_line",
    "read_problem",
    "repeat_lower_bound",
    "repeats_line",
    "seat",
    "write_seating",
]
