"""The seating's rule conflicts read wholly in Spanish: the groups, pairs, rows and tables they
name are phrases of the catalogs, and a list of them is translated item by item (before, the
English phrases went into the Spanish line as they were)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from sortition.cli.main import cli
from sortition.i18n.library_text import translate_library_text
from sortition.text import phrase_list

ROOT = Path(__file__).resolve().parent.parent
PANEL_ROWS = (ROOT / "data" / "samples" / "assembly-150" / "panel.csv").read_text().splitlines()
ENGLISH_WORDS = ("keep-together", "keep-apart", "tables of", "row", " and ", "must", "groups")

# (keep-together rows, keep-apart rows, table size, English phrase expected, Spanish expected)
CASES = {
    "groups sharing members, too large": (
        ["g1,P001", "g1,P002", "g1,P003", "g1,P004", "g1,P005", "g2,P005", "g2,P006"],
        [],
        4,
        "keep-together group 'g2' (kt.csv, rows 7, 8)",
        "estos grupos que van juntos comparten integrantes y suman 6 integrantes, pero en las 3 "
        "mesas de 4 caben como máximo 4: el grupo 'g1' que va junto (kt.csv, filas 2, 3, 4, 5, "
        "6); el grupo 'g2' que va junto (kt.csv, filas 7, 8)",
    ),
    "one group too large": (
        ["g1,P001", "g1,P002", "g1,P003", "g1,P004", "g1,P005"],
        [],
        4,
        "keep-together group 'g1' (kt.csv, rows 2, 3, 4, 5, 6) has 5 members",
        "el grupo 'g1' que va junto (kt.csv, filas 2, 3, 4, 5, 6) tiene 5 integrantes, pero en "
        "las 3 mesas de 4 caben como máximo 4",
    ),
    "a pair kept together by a chain of groups": (
        ["g1,P001", "g1,P003", "g2,P003", "g2,P002"],
        ["P001,P002"],
        6,
        "keep-apart pair P001/P002 (ka.csv, row 2) must sit apart",
        "la pareja separada P001/P002 (ka.csv, fila 2) debe sentarse en mesas distintas, pero "
        "estos grupos que van juntos, unidos por integrantes en común, la mantienen en la misma "
        "mesa: el grupo 'g1' que va junto (kt.csv, filas 2, 3); el grupo 'g2' que va junto "
        "(kt.csv, filas 4, 5)",
    ),
    "more mutually apart members than tables": (
        ["g1,P008", "g1,P010"],
        ["P001,P008", "P001,P009", "P008,P009"],
        6,
        "(by 3 keep-apart pairs (ka.csv, rows 2, 3, 4)), but there are only 2 tables; the groups: "
        "keep-together group 'g1' (kt.csv, rows 2, 3)",
        "(por 3 parejas que deben ir separadas (ka.csv, filas 2, 3, 4)), pero solo hay 2 mesas; "
        "los grupos: el grupo 'g1' que va junto (kt.csv, filas 2, 3)",
    ),
    "rules that only conflict together": (
        [f"g1,P00{i}" for i in (1, 2, 3, 4)]
        + [f"g2,P00{i}" for i in (5, 6, 7, 8)]
        + ["g3,P009", "g3,P010", "g3,P011"],
        [],
        6,
        "these 3 rules cannot all hold at the 2 tables of 6: keep-together group 'g1' (kt.csv, "
        "rows 2, 3, 4, 5); keep-together group 'g2'",
        "estas 3 reglas no pueden cumplirse todas en las 2 mesas de 6: el grupo 'g1' que va "
        "junto (kt.csv, filas 2, 3, 4, 5); el grupo 'g2' que va junto (kt.csv, filas 6, 7, 8, "
        "9); el grupo 'g3' que va junto (kt.csv, filas 10, 11, 12)",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_seating_conflict_reads_wholly_in_spanish(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    together, apart, size, english, spanish = CASES[case]
    monkeypatch.chdir(tmp_path)  # the message names the files as given
    Path("p.csv").write_text("\n".join(PANEL_ROWS[:13]) + "\n", encoding="utf-8")
    args = ["tables", "p.csv", "--rounds", "2", "--balance", "gender", "--seed", "1"]
    args += ["--table-size", str(size), "--out", "out"]
    if together:
        Path("kt.csv").write_text("group,id\n" + "\n".join(together) + "\n", encoding="utf-8")
        args += ["--keep-together", "kt.csv"]
    if apart:
        Path("ka.csv").write_text("id_a,id_b\n" + "\n".join(apart) + "\n", encoding="utf-8")
        args += ["--keep-apart", "ka.csv"]
    runner = CliRunner()
    in_english = runner.invoke(cli, args)
    in_spanish = runner.invoke(cli, [*args, "--lang", "es"])
    assert in_english.exit_code == in_spanish.exit_code != 0
    assert english in in_english.output
    line = next(x for x in in_spanish.output.splitlines() if x.startswith("Error"))
    assert spanish in line, line
    message = line.split("] ", 1)[1].split(". Cómo corregirlo", 1)[0]
    assert not [word for word in ENGLISH_WORDS if word in message], message
    assert not Path("out").exists()


def test_a_list_field_is_translated_item_by_item_and_only_when_every_item_is() -> None:
    groups = phrase_list(["keep-together group 'a' (rows 2, 3)", "keep-together group 'b'"])
    message = f"these 2 rules cannot all hold at the 2 tables of 6: {groups}"
    assert translate_library_text(message, "es") == (
        "estas 2 reglas no pueden cumplirse todas en las 2 mesas de 6: el grupo 'a' que va "
        "junto (filas 2, 3); el grupo 'b' que va junto"
    )
    # a field holding the separator that is not a list of phrases stays as written
    odd = "these 2 rules cannot all hold at the 2 tables of 6: x; keep-together group 'b'"
    assert translate_library_text(odd, "es") == (
        "estas 2 reglas no pueden cumplirse todas en las 2 mesas de 6: x; keep-together group 'b'"
    )
