"""Generate the bundled sample assembly in ``data/samples/assembly-150/`` for ``sortition tables``.

Run ``python data/samples/make_assembly.py`` from anywhere: the files are rewritten and a second
run produces byte-identical files. Uses numpy and the standard library only (not ``sortition``).

The panel is synthetic: 150 members with ids ``P001`` ... ``P150`` and four columns. Each column's
counts are fixed (``COUNTS``, in the spirit of a panel drawn to quotas in five communes of northern
Santiago) and each column is shuffled independently with one seeded generator, so the columns are
uncorrelated. No names or contact data: only ids. ``keep-together.csv`` and ``keep-apart.csv`` are
example rules (members sharing an interpreter, a member with the person who assists them;
relatives who should not share a table).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

SEED = 20261123
MEMBERS = 150
COUNTS: dict[str, dict[str, int]] = {
    "gender": {"Mujer": 76, "Hombre": 74},
    "age_band": {"18-29": 35, "30-44": 42, "45-59": 40, "60+": 33},
    "comuna": {"Renca": 38, "Quilicura": 34, "Conchalí": 30, "Independencia": 28, "Huechuraba": 20},
    "education": {"Básica o menos": 40, "Media completa": 58, "Técnica": 27, "Universitaria": 25},
}
KEEP_TOGETHER = [
    ("interprete-mapudungun", ["P012", "P047", "P133"]),
    ("acompanante-1", ["P065", "P101"]),
]
KEEP_APART = [
    ("P003", "P004"),
    ("P020", "P021"),
    ("P058", "P140"),
    ("P090", "P012"),
    ("P065", "P066"),
]

FOLDER = Path(__file__).resolve().parent / "assembly-150"


def panel_rows() -> list[list[str]]:
    rng = np.random.default_rng(SEED)
    columns = []
    for counts in COUNTS.values():
        cells = [value for value, count in counts.items() for _ in range(count)]
        assert len(cells) == MEMBERS
        order = np.argsort(rng.random(MEMBERS), kind="stable")
        columns.append([cells[k] for k in order])
    return [[f"P{i + 1:03d}", *(col[i] for col in columns)] for i in range(MEMBERS)]


def write(name: str, header: list[str], rows: list[list[str]]) -> None:
    lines = [",".join(header)] + [",".join(row) for row in rows]
    (FOLDER / name).write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    FOLDER.mkdir(exist_ok=True)
    write("panel.csv", ["id", *COUNTS], panel_rows())
    write("keep-together.csv", ["group", "id"], [[g, m] for g, ms in KEEP_TOGETHER for m in ms])
    write("keep-apart.csv", ["id_a", "id_b"], [list(p) for p in KEEP_APART])


if __name__ == "__main__":
    main()
