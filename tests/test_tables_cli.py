"""`sortition tables` end to end: CliRunner in-process, and real `python -m sortition` runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from sortition.cli.main import cli

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "samples" / "assembly-150"
BALANCE = "gender,age_band,comuna,education"


def run(*args: str):
    return CliRunner().invoke(cli, ["tables", *args])


def sample_args(out: Path, *extra: str) -> list[str]:
    return [
        str(SAMPLE / "panel.csv"),
        "--table-size",
        "10",
        "--rounds",
        "2",
        "--balance",
        BALANCE,
        "--keep-together",
        str(SAMPLE / "keep-together.csv"),
        "--keep-apart",
        str(SAMPLE / "keep-apart.csv"),
        "--seed",
        "7",
        "--out",
        str(out),
        *extra,
    ]


def test_seats_the_bundled_sample(tmp_path):
    out = tmp_path / "tables"
    result = run(*sample_args(out))
    assert result.exit_code == 0, result.output
    assert "Seated 150 members at 15 tables of 10 for 2 round(s)" in result.output
    assert "Quality: repeated pairs 0 (lower bound 0, optimal)" in result.output
    assert "gender 0, age_band 0, comuna 0, education 0" in result.output
    assert "rules met: 2 keep-together, 5 keep-apart" in result.output
    assert "Greedy start:" in result.output
    names = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert names == [
        "members.csv",
        "members.xlsx",
        "repeats.csv",
        "round-1.html",
        "round-2.html",
        "summary.csv",
        "tables.csv",
    ]
    rows = (out / "tables.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == "id,round,table" and len(rows) == 301
    # the keep-together group shares a table in every round
    seats = {tuple(r.split(",")[:2]): r.split(",")[2] for r in rows[1:]}
    for rnd in ("1", "2"):
        assert len({seats[(m, rnd)] for m in ("P012", "P047", "P133")}) == 1
        assert seats[("P003", rnd)] != seats[("P004", rnd)]


def test_greedy_method_and_spread(tmp_path):
    out = tmp_path / "greedy"
    args = sample_args(out, "--method", "greedy")
    args[args.index(BALANCE)] = "gender,comuna"
    result = run(*args, "--spread", "age_band")
    assert result.exit_code == 0, result.output
    assert "(greedy)." in result.output and "spread: age_band" in result.output
    summary = (out / "summary.csv").read_text(encoding="utf-8")
    assert ",spread,age_band," in summary


def test_without_seed_a_fresh_seed_is_printed(tmp_path):
    args = sample_args(tmp_path / "out")
    seed_at = args.index("--seed")
    del args[seed_at : seed_at + 2]
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Seed: ") and "pass --seed" in result.output


def test_conflicting_rules_exit_3_naming_them_and_write_nothing(tmp_path):
    together = tmp_path / "together.csv"
    together.write_text("group,id\nfamily,P001\nfamily,P002\n", encoding="utf-8")
    apart = tmp_path / "apart.csv"
    apart.write_text("id_a,id_b\nP002,P001\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run(
        str(SAMPLE / "panel.csv"),
        *("--table-size", "10", "--rounds", "2", "--balance", BALANCE),
        *("--keep-together", str(together), "--keep-apart", str(apart), "--out", str(out)),
    )
    assert result.exit_code == 3
    message = result.output.strip().splitlines()[-1]
    assert message.startswith("Error: [E302] keep-apart pair P001/P002")
    assert "apart.csv, row 2" in message and "keep-together group 'family'" in message
    assert not out.exists()


def test_group_larger_than_a_table_exit_3(tmp_path):
    together = tmp_path / "together.csv"
    together.write_text(
        "group,id\n" + "".join(f"big,P{i:03d}\n" for i in range(1, 13)), encoding="utf-8"
    )
    result = run(
        str(SAMPLE / "panel.csv"),
        *("--table-size", "10", "--rounds", "1", "--balance", "gender"),
        *("--keep-together", str(together), "--out", str(tmp_path / "out")),
    )
    assert result.exit_code == 3
    assert "keep-together group 'big'" in result.output and "12 members" in result.output


def test_bad_input_is_one_line_naming_file_row_and_column(tmp_path):
    apart = tmp_path / "apart.csv"
    apart.write_text("id_a,id_b\nP001,P999\n", encoding="utf-8")
    result = run(
        str(SAMPLE / "panel.csv"),
        *("--table-size", "10", "--rounds", "1", "--balance", BALANCE),
        *("--keep-apart", str(apart), "--out", str(tmp_path / "out")),
    )
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert "apart.csv, row 2, column 'id_b'" in lines[0] and "'P999'" in lines[0]
    missing = run(
        str(SAMPLE / "panel.csv"),
        *("--table-size", "10", "--rounds", "1", "--balance", "gender,income"),
        *("--out", str(tmp_path / "out")),
    )
    assert missing.exit_code == 1 and "column 'income'" in missing.output


def test_earlier_results_are_kept_without_overwrite(tmp_path):
    out = tmp_path / "tables"
    assert run(*sample_args(out)).exit_code == 0
    before = (out / "tables.csv").read_bytes()
    again = run(*sample_args(out))
    assert again.exit_code == 2 and "--overwrite" in again.output
    replaced = run(*sample_args(out, "--overwrite"))
    assert replaced.exit_code == 0
    assert (out / "tables.csv").read_bytes() == before


def python_m_sortition(args: list[str], hashseed: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONHASHSEED": hashseed}
    return subprocess.run(
        [sys.executable, "-m", "sortition", "tables", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_real_subprocesses_give_byte_identical_files_whatever_the_hash_seed(tmp_path):
    outputs = []
    for hashseed in ("0", "12345"):
        out = tmp_path / f"run-{hashseed}"
        done = python_m_sortition(sample_args(out), hashseed, ROOT)
        assert done.returncode == 0, done.stderr
        assert "Quality: repeated pairs 0" in done.stdout
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert outputs[0] == outputs[1]
    # and the same as in-process
    inprocess = tmp_path / "inprocess"
    assert run(*sample_args(inprocess)).exit_code == 0
    assert (inprocess / "tables.csv").read_bytes() == outputs[0]["tables.csv"]
