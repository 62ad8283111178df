"""Tests of the invitation lottery (`sortition.invite`, `sortition invite`).

Acceptance: every stratum gets its largest-remainder share; every resident's inclusion probability
n_s / N_s is within 1 / N_s of N / P (exactly), and over 2,000 seeds each resident is drawn about
that often; the same seed or sources give the same bytes; the log lists ids only; verification
recomputes the draw and catches a changed id.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import click
import numpy as np
import pytest
from click.testing import CliRunner

from sortition.audit.log import fingerprinted, to_json_bytes
from sortition.cli.invite_command import invite_command
from sortition.errors import (
    EXIT_BAD_INPUT,
    EXIT_BAD_USAGE,
    BlankId,
    DuplicateId,
    InputError,
    MissingColumn,
    SortitionError,
    UnreadableFile,
    UsageError,
)
from sortition.inputs.census import largest_remainder
from sortition.invite import (
    LOG_KIND,
    BadInvitationCount,
    BlankStratum,
    InviteRequest,
    allocate,
    invitation_log,
    invitations_csv,
    invite,
    invited_rows,
    read_register,
    sample,
    stratum_seed,
    verify_invitations,
    write_invitations,
)
from sortition.invite.output import line_starts as _line_starts
from sortition.invite.output import rows_by_parsing as _rows_by_parsing
from sortition.randomness import rfc3797_key

ROOT = Path(__file__).resolve().parent.parent
HEADER = ["id", "name", "commune", "province", "address"]
SOURCES = ("3 17 22 35 41 44", "7 19")


def write_register(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def resident(i: int, commune: str, province: str = "Santiago") -> list[str]:
    return [f"R{i:04d}", f"Persona {i}", commune, province, f"Calle Secreta {i}, depto {i % 7}"]


def sixty(tmp_path: Path) -> Path:
    """60 residents in 3 strata of 31, 17 and 12, interleaved in register order."""
    communes = ["Renca"] * 31 + ["Buin"] * 17 + ["Alhué"] * 12
    random.Random(4).shuffle(communes)
    return write_register(
        tmp_path / "register.csv", [resident(i, c) for i, c in enumerate(communes)]
    )


def read_output(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


# ---------------------------------------------------------------------------------------------
# Allocation


def test_every_stratum_gets_its_largest_remainder_share(tmp_path: Path) -> None:
    """Acceptance: sizes 5, 3, 2 and 5 invitations -> exact 2.5, 1.5, 1 -> 3, 1, 1.

    The remainders of A and B tie (0.5); A is larger, so A gets the last invitation.
    """
    rows = [resident(i, c) for i, c in enumerate("BACABAACAB")]
    register = write_register(tmp_path / "r.csv", rows)
    result = invite(InviteRequest(str(register), 5, ("commune",), seed="1"))
    table = {s.key: (s.population, s.invitations) for s in result.strata}
    assert table == {("A",): (5, 3), ("B",): (3, 1), ("C",): (2, 1)}
    assert [s.key for s in result.strata] == [("A",), ("B",), ("C",)]  # key order


def test_equal_remainders_and_sizes_go_to_the_first_key() -> None:
    assert allocate([2, 2, 2], 1) == (1, 0, 0)
    assert allocate([2, 2, 2], 2) == (1, 1, 0)
    assert allocate([1, 3, 3], 2) == (0, 1, 1)  # remainders 2/7 < 6/7: the larger strata
    assert allocate([3, 1, 3], 1) == (1, 0, 0)  # equal remainders 3/7: first of the larger


def test_allocation_agrees_with_the_census_apportionment() -> None:
    rng = np.random.default_rng(5)
    for _ in range(300):
        sizes = rng.integers(1, 60, rng.integers(1, 9)).tolist()
        seats = int(rng.integers(1, sum(sizes) + 1))
        result = allocate(sizes, seats)
        assert result == largest_remainder(sizes, seats)
        assert sum(result) == seats
        for n, size in zip(result, sizes, strict=True):
            exact = Fraction(seats * size, sum(sizes))
            assert n in (exact.__floor__(), exact.__ceil__())


def test_strata_of_two_columns_in_key_order(tmp_path: Path) -> None:
    rows = [
        resident(0, "Renca", "Santiago"),
        resident(1, "Buin", "Maipo"),
        resident(2, "Paine", "Maipo"),
        resident(3, "Buin", "Maipo"),
    ]
    register = write_register(tmp_path / "r.csv", rows)
    result = invite(InviteRequest(str(register), 2, ("commune", "province"), seed="x"))
    assert [(s.key, s.population) for s in result.strata] == [
        (("Buin", "Maipo"), 2),
        (("Paine", "Maipo"), 1),
        (("Renca", "Santiago"), 1),
    ]
    assert [s.invitations for s in result.strata] == [1, 1, 0]  # remainders 0, 1/2, 1/2


# ---------------------------------------------------------------------------------------------
# Inclusion probabilities


def test_inclusion_probabilities_are_within_one_over_stratum_size(tmp_path: Path) -> None:
    """Acceptance, exact: |n_s / N_s - N / P| < 1 / N_s for every stratum."""
    register = read_register(sixty(tmp_path), strata_columns=["commune"])
    population = register.population
    for n in range(1, population + 1):
        allocation = allocate(register.sizes.tolist(), n)
        for count, size in zip(allocation, register.sizes.tolist(), strict=True):
            assert abs(Fraction(count, size) - Fraction(n, population)) < Fraction(1, size)


def test_each_resident_is_drawn_about_as_often_as_its_probability(tmp_path: Path) -> None:
    """Acceptance: over 2,000 seeds each resident's frequency is close to n_s / N_s."""
    register = read_register(sixty(tmp_path), strata_columns=["commune"])
    allocation = allocate(register.sizes.tolist(), 10)
    assert dict(zip(register.strata, allocation, strict=True)) == {
        ("Alhué",): 2,
        ("Buin",): 3,
        ("Renca",): 5,
    }
    draws = 2000
    hits = np.zeros(register.population)
    for seed in range(draws):
        rows = sample(register, allocation, str(seed))
        assert len(rows) == 10 and len(np.unique(rows)) == 10
        counts = np.bincount(register.stratum_of[rows], minlength=3)
        assert counts.tolist() == list(allocation)
        hits[rows] += 1
    expected = (np.asarray(allocation) / register.sizes)[register.stratum_of]
    spread = np.sqrt(expected * (1 - expected) / draws)
    assert np.all(np.abs(hits / draws - expected) < 5 * spread)
    # each draw takes exactly 5 of Renca's 31 residents
    renca = np.flatnonzero(register.stratum_of == register.strata.index(("Renca",)))
    assert abs(hits[renca].mean() / draws - 5 / 31) < 1e-12


def test_sample_takes_the_smallest_numbers_of_each_stratum(tmp_path: Path) -> None:
    """The documented procedure, recomputed by hand."""
    register = read_register(sixty(tmp_path), strata_columns=["commune"])
    allocation = allocate(register.sizes.tolist(), 10)
    expected = []
    for s, key in enumerate(register.strata):
        members = np.flatnonzero(register.stratum_of == s)
        rng = np.random.Generator(np.random.PCG64(_seed_sequence(stratum_seed("7", key))))
        numbers = rng.random(len(members))
        expected += members[np.lexsort((members, numbers))[: allocation[s]]].tolist()
    assert sample(register, allocation, "7").tolist() == sorted(expected)
    assert stratum_seed("7", ("Alhué",)) == '7|["Alhué"]'


def _seed_sequence(text: str) -> np.random.SeedSequence:
    import hashlib

    digest = hashlib.sha256(b"sortition/seed/v1\x00" + text.encode("utf-8")).digest()
    return np.random.SeedSequence(np.frombuffer(digest, dtype="<u4").astype(np.uint64).tolist())


# ---------------------------------------------------------------------------------------------
# Outputs, determinism, privacy


def run(register: Path, out: Path, **options: object) -> Path:
    request = InviteRequest(str(register), **options)  # type: ignore[arg-type]
    write_invitations(  # overwrite: some tests draw twice into one folder
        invite(request), out / "invitations.csv", out / "invitations-log.json", overwrite=True
    )
    return out


def test_invited_rows_have_every_column_in_register_order(tmp_path: Path) -> None:
    register = sixty(tmp_path)
    out = run(register, tmp_path / "a", invitations=10, strata_columns=("commune",), seed="s")
    rows = read_output(out / "invitations.csv")
    original = read_output(register)
    assert rows[0] == HEADER
    assert len(rows) == 11
    positions = [original.index(row) for row in rows[1:]]
    assert positions == sorted(positions)
    log = json.loads((out / "invitations-log.json").read_text(encoding="utf-8"))
    assert sorted(row[0] for row in rows[1:]) == log["invited"]


def test_same_seed_and_same_sources_give_identical_bytes(tmp_path: Path) -> None:
    register = sixty(tmp_path)
    files = ("invitations.csv", "invitations-log.json")
    for randomness in ({"seed": "Renca 2026"}, {"sources": SOURCES}):
        first = run(
            register, tmp_path / "1", invitations=9, strata_columns=("commune",), **randomness
        )
        again = run(
            register, tmp_path / "2", invitations=9, strata_columns=("commune",), **randomness
        )
        for name in files:
            assert (first / name).read_bytes() == (again / name).read_bytes()
    other = invite(InviteRequest(str(register), 9, ("commune",), seed="Renca 2027"))
    assert (
        other.invited_ids
        != invite(InviteRequest(str(register), 9, ("commune",), seed="Renca 2026")).invited_ids
    )


def test_sources_seed_the_draw_with_their_rfc3797_key(tmp_path: Path) -> None:
    register = sixty(tmp_path)
    by_sources = invite(InviteRequest(str(register), 9, ("commune",), sources=SOURCES))
    key = rfc3797_key(SOURCES)
    assert key == "3.17.22.35.41.44./7.19./"
    by_key = invite(InviteRequest(str(register), 9, ("commune",), seed=key))
    assert by_sources.invited_ids == by_key.invited_ids
    log = invitation_log(by_sources)
    assert log["randomness"]["method"] == "rfc3797"
    assert log["randomness"]["key"] == log["randomness"]["seed"] == key
    assert log["randomness"]["sources"] == list(SOURCES)


def test_log_holds_ids_and_strata_only(tmp_path: Path) -> None:
    register = sixty(tmp_path)
    result = invite(InviteRequest(str(register), 10, ("commune",), seed="p"))
    log = invitation_log(result)
    text = to_json_bytes(log).decode("utf-8")
    assert log["kind"] == LOG_KIND and log["schema_version"] == "1"
    assert log["inputs"]["register"] == {"file": "register.csv", "sha256": result.register.sha256}
    assert log["options"] == {"invitations": 10, "id_column": "id", "strata_columns": ["commune"]}
    assert log["population"] == 60
    assert log["randomness"]["committed_in_advance"] is False
    assert log["randomness"]["seed_source"] == "given"
    assert log["strata"][0] == {"stratum": ["Alhué"], "population": 12, "invitations": 2}
    assert len(log["invited"]) == 10 and log["invited"] == sorted(log["invited"])
    for row in read_output(register)[1:]:
        for secret in (row[1], row[3], row[4], "Calle", "Persona", "Santiago"):
            assert secret not in text
    assert str(tmp_path) not in text
    assert log == fingerprinted(log)


def test_unstratified_draw_is_one_simple_random_sample(tmp_path: Path) -> None:
    register = sixty(tmp_path)
    result = invite(InviteRequest(str(register), 7, seed="u"))
    assert [(s.key, s.population, s.invitations) for s in result.strata] == [((), 60, 7)]
    assert invitation_log(result)["strata"] == [{"stratum": [], "population": 60, "invitations": 7}]


def test_cut_rows_equal_parsed_rows(tmp_path: Path) -> None:
    """The fast path (cutting lines) and the second parse give the same cells."""
    rows = [resident(i, "Renca") for i in range(20)]
    rows[3][4] = 'Pasaje "Las Flores" 12, depto 3'
    rows[5][1] = "  Ana  "
    path = tmp_path / "r.csv"
    write_register(path, rows)
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    register = read_register(path, strata_columns=["commune"])
    everyone = np.arange(20)
    assert _line_starts(register) is not None
    assert invited_rows(register, everyone) == _rows_by_parsing(register, everyone) == rows


def test_quoted_line_breaks_fall_back_to_parsing(tmp_path: Path) -> None:
    rows = [resident(i, "Renca") for i in range(12)]
    rows[4][4] = "Calle 1\nBlock B"
    register = read_register(write_register(tmp_path / "r.csv", rows), strata_columns=["commune"])
    assert _line_starts(register) is None
    assert invited_rows(register, np.array([0, 4, 11])) == [rows[0], rows[4], rows[11]]
    result = invite(InviteRequest(str(register.path), 12, ("commune",), seed="1"))
    assert read_output(Path(_write(result, tmp_path)))[1:] == rows


def _write(result, tmp_path: Path) -> str:
    out = tmp_path / "out" / "invitations.csv"
    write_invitations(result, out, tmp_path / "out" / "log.json")
    return str(out)


def test_semicolons_bom_blank_trailing_lines_and_spaces(tmp_path: Path) -> None:
    text = "\ufeffid;commune;address\n a1 ;Renca ;x\na2; Renca;y\na3;Buin;z\n\n;;\n"
    path = tmp_path / "r.csv"
    path.write_text(text, encoding="utf-8")
    register = read_register(path, strata_columns=["Commune"])
    assert register.ids.tolist() == ["a1", "a2", "a3"]
    assert register.strata == (("Buin",), ("Renca",))
    assert register.sizes.tolist() == [1, 2]
    result = invite(InviteRequest(str(path), 3, ("commune",), seed="1"))
    assert (
        invitations_csv(result).decode()
        == "id;commune;address\n a1 ;Renca ;x\na2; Renca;y\na3;Buin;z\n"
    )


# ---------------------------------------------------------------------------------------------
# Errors


def error_of(tmp_path: Path, rows: list[list[str]], **options: object) -> SortitionError:
    path = write_register(tmp_path / "bad.csv", rows)
    with pytest.raises(SortitionError) as info:
        invite(InviteRequest(str(path), **{"invitations": 1, "seed": "1", **options}))  # type: ignore[arg-type]
    message = str(info.value)
    assert "\n" not in message and "Fix:" in message, message
    return info.value


def test_missing_id_and_strata_columns(tmp_path: Path) -> None:
    rows = [resident(0, "Renca")]
    error = error_of(tmp_path, rows, id_column="rut")
    assert isinstance(error, MissingColumn) and "bad.csv" in str(error) and "'rut'" in str(error)
    assert "--id-column" in str(error)
    error = error_of(tmp_path, rows, strata_columns=("comuna",))
    assert (
        isinstance(error, MissingColumn) and "'comuna'" in str(error) and "--strata" in str(error)
    )


def test_blank_stratum_names_row_and_column(tmp_path: Path) -> None:
    rows = [resident(i, "Renca") for i in range(4)]
    rows[2][2] = "  "
    error = error_of(tmp_path, rows, strata_columns=("commune",))
    assert isinstance(error, BlankStratum)
    assert "bad.csv, row 4, column 'commune'" in str(error)


def test_blank_and_duplicate_ids(tmp_path: Path) -> None:
    rows = [resident(i, "Renca") for i in range(5)]
    rows[3][0] = ""
    error = error_of(tmp_path, rows)
    assert isinstance(error, BlankId) and "row 5, column 'id'" in str(error)
    rows[3][0] = " R0001 "
    error = error_of(tmp_path, rows)
    assert isinstance(error, DuplicateId) and "rows 3 and 5" in str(error)


def test_trailing_delimiters_do_not_shift_columns(tmp_path: Path) -> None:
    """Rows with one more (blank) cell than the header, as some exports write them."""
    path = tmp_path / "r.csv"
    path.write_text("id,commune\na,X,\nb,Y,\n", encoding="utf-8")
    register = read_register(path, strata_columns=["commune"])
    assert register.ids.tolist() == ["a", "b"] and register.strata == (("X",), ("Y",))
    rows = np.array([0, 1])
    assert (
        invited_rows(register, rows) == _rows_by_parsing(register, rows) == [["a", "X"], ["b", "Y"]]
    )
    path.write_text("id,commune\na,X,\nb,Y,oops\n", encoding="utf-8")
    with pytest.raises(UnreadableFile, match="row 3 has 3 cells"):
        invited_rows(read_register(path), rows)


def test_blank_line_inside_the_register_is_a_blank_id(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("id,commune\na,X\n\nb,X\n", encoding="utf-8")
    with pytest.raises(BlankId, match="row 3"):
        read_register(path)


def test_invitation_count_out_of_range(tmp_path: Path) -> None:
    rows = [resident(i, "Renca") for i in range(5)]
    error = error_of(tmp_path, rows, invitations=6)
    assert isinstance(error, BadInvitationCount) and "only 5 residents" in str(error)
    assert error.exit_code == EXIT_BAD_USAGE
    error = error_of(tmp_path, rows, invitations=0)
    assert isinstance(error, BadInvitationCount) and "at least 1" in str(error)


def test_strata_spelled_two_ways_are_refused(tmp_path: Path) -> None:
    rows = [resident(0, "Lo Barnechea"), resident(1, "lo  barnechea")]
    error = error_of(tmp_path, rows, strata_columns=("commune",))
    assert type(error) is InputError and "row 3" in str(error) and "case or spacing" in str(error)


def test_seed_and_sources_together_and_unreadable_files(tmp_path: Path) -> None:
    rows = [resident(0, "Renca")]
    error = error_of(tmp_path, rows, sources=SOURCES)
    assert isinstance(error, UsageError)
    path = tmp_path / "latin1.csv"
    path.write_bytes("id,commune\n1,Peñalolén\n".encode("latin-1"))
    with pytest.raises(UnreadableFile, match="not UTF-8"):
        read_register(path)
    with pytest.raises(UnreadableFile, match="does not exist"):
        read_register(tmp_path / "missing.csv")
    (tmp_path / "empty.csv").write_text("id,commune\n", encoding="utf-8")
    with pytest.raises(SortitionError, match="no residents"):
        read_register(tmp_path / "empty.csv")


def test_bytes_that_are_not_utf8_are_found_across_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sortition.invite.register.UTF8_CHUNK_BYTES", 3)
    path = tmp_path / "r.csv"
    path.write_bytes("id,commune\n1,Peñalolén\n2,Ñuñoa\n".encode())
    assert read_register(path, strata_columns=["commune"]).strata == (("Peñalolén",), ("Ñuñoa",))
    path.write_bytes("id,commune\n1,Peñalolén\n2,Ñuñoa\n".encode() + b"3,\xf1o\n")
    with pytest.raises(UnreadableFile, match="byte 0xf1 in line 4"):
        read_register(path)


def test_same_bytes_whatever_the_hash_seed(tmp_path: Path) -> None:
    register = sixty(tmp_path)
    script = (
        "import sys; from sortition.invite import InviteRequest, invite, write_invitations; "
        "r = invite(InviteRequest(sys.argv[1], 10, ('commune',), seed='h')); "
        "write_invitations(r, sys.argv[2] + '/i.csv', sys.argv[2] + '/l.json')"
    )
    outputs = []
    for hash_seed in ("1", "2"):
        out = tmp_path / hash_seed
        out.mkdir()
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        subprocess.run([sys.executable, "-c", script, str(register), str(out)], env=env,
                       check=True, cwd=ROOT, timeout=120)  # fmt: skip
        outputs.append([(out / name).read_bytes() for name in ("i.csv", "l.json")])
    assert outputs[0] == outputs[1]


# ---------------------------------------------------------------------------------------------
# Verification


def checks_of(log: Path, register: Path) -> dict[str, bool]:
    return {check: ok for check, ok, _ in verify_invitations(log, register)}


def test_verification_recomputes_the_draw(tmp_path: Path) -> None:
    register = sixty(tmp_path)
    for name, randomness in (("seed", {"seed": "v"}), ("sources", {"sources": SOURCES})):
        out = run(
            register, tmp_path / name, invitations=10, strata_columns=("commune",), **randomness
        )
        results = verify_invitations(out / "invitations-log.json", register)
        assert [check for check, _, _ in results] == [
            "fingerprint",
            "randomness",
            "register file",
            "allocation",
            "invited ids",
        ]
        assert all(ok for _, ok, _ in results), results


def test_verification_catches_a_changed_id(tmp_path: Path) -> None:
    register = sixty(tmp_path)
    out = run(register, tmp_path / "o", invitations=10, strata_columns=("commune",), seed="v")
    log_path = out / "invitations-log.json"
    log = json.loads(log_path.read_text(encoding="utf-8"))
    outsider = next(f"R{i:04d}" for i in range(60) if f"R{i:04d}" not in log["invited"])
    log["invited"] = sorted([outsider, *log["invited"][1:]])
    log_path.write_bytes(to_json_bytes(log))
    checks = checks_of(log_path, register)
    assert checks["fingerprint"] is False and checks["invited ids"] is False
    assert checks["allocation"] and checks["register file"]
    log_path.write_bytes(to_json_bytes(fingerprinted(log)))  # re-fingerprinted: still caught
    checks = checks_of(log_path, register)
    assert checks["fingerprint"] and checks["invited ids"] is False
    detail = {c: d for c, _, d in verify_invitations(log_path, register)}["invited ids"]
    assert outsider in detail


def test_verification_catches_changed_sources_allocation_and_register(tmp_path: Path) -> None:
    register = sixty(tmp_path)
    out = run(
        register, tmp_path / "o", invitations=10, strata_columns=("commune",), sources=SOURCES
    )
    log_path = out / "invitations-log.json"
    original = json.loads(log_path.read_text(encoding="utf-8"))
    log = {**original, "randomness": {**original["randomness"], "sources": ["1 2 3"]}}
    log_path.write_bytes(to_json_bytes(fingerprinted(log)))
    assert checks_of(log_path, register)["randomness"] is False
    strata = [dict(row) for row in original["strata"]]
    strata[0]["invitations"] += 1
    strata[1]["invitations"] -= 1
    log_path.write_bytes(to_json_bytes(fingerprinted({**original, "strata": strata})))
    assert checks_of(log_path, register)["allocation"] is False
    log_path.write_bytes(to_json_bytes(fingerprinted({**original, "population": 61})))
    assert checks_of(log_path, register)["allocation"] is False
    log_path.write_bytes(to_json_bytes(original))
    changed = tmp_path / "changed.csv"
    changed.write_bytes(register.read_bytes() + b"R9999,Nadie,Renca,Santiago,Calle 9\n")
    checks = checks_of(log_path, changed)
    assert checks["register file"] is False and checks["allocation"] is False
    checks = checks_of(log_path, tmp_path / "nowhere.csv")
    assert checks["register file"] is False and checks["fingerprint"] is True


# ---------------------------------------------------------------------------------------------
# Command line


@click.group()
def group() -> None:
    """A throwaway group holding only the invite command."""


group.add_command(invite_command)


def test_cli_draws_writes_and_repeats_a_generated_seed(tmp_path: Path) -> None:
    register = sixty(tmp_path)
    first = tmp_path / "first" / "invitations.csv"
    result = CliRunner().invoke(
        group,
        [
            "invite",
            str(register),
            "--invitations",
            "10",
            "--strata",
            "commune",
            "--out",
            str(first),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "10 invitations drawn from 60 residents" in result.stdout
    assert "Renca" in result.stdout and "0.161290" in result.stdout  # 5 / 31
    seed = result.stdout.split("pass --seed ")[1].split(" ")[0]
    log = first.with_name("invitations-log.json")
    assert json.loads(log.read_text(encoding="utf-8"))["randomness"]["seed"] == seed
    second = tmp_path / "second" / "inv.csv"
    again = CliRunner().invoke(
        group,
        ["invite", str(register), "-n", "10", "--strata", "commune", "--seed", seed,
         "--out", str(second), "--log", str(tmp_path / "second" / "public.json")],
    )  # fmt: skip
    assert again.exit_code == 0, again.output
    assert second.read_bytes() == first.read_bytes()


def test_cli_sources_and_errors(tmp_path: Path) -> None:
    register = sixty(tmp_path)
    out = tmp_path / "o.csv"
    args = ["invite", str(register), "-n", "10", "--out", str(out), "--overwrite"]
    result = CliRunner().invoke(group, [*args, "--source", "1 2 3", "--source", "4 5"])
    assert result.exit_code == 0, result.output
    assert "RFC 3797 key 1.2.3./4.5./" in result.stdout
    bad = CliRunner().invoke(group, [*args, "--strata", "comuna"])
    assert bad.exit_code == EXIT_BAD_INPUT
    assert bad.stderr.startswith("Error: [E103]") and bad.stderr.count("\n") == 1
    too_many = CliRunner().invoke(group, [*args[:2], "-n", "61", *args[4:]])
    assert too_many.exit_code == EXIT_BAD_USAGE and "only 60 residents" in too_many.stderr
    clobber = CliRunner().invoke(
        group, ["invite", str(register), "-n", "1", "--out", str(register)]
    )
    assert clobber.exit_code == EXIT_BAD_USAGE and "overwrite the register" in clobber.stderr


def test_sortition_verify_checks_an_invitation_log(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from sortition.cli.main import cli

    register = tmp_path / "register.csv"
    lines = ["id,commune,address"] + [
        f"A{i:03d},{('Renca', 'Maipú')[i % 2]},Calle {i}" for i in range(100)
    ]
    register.write_text("\n".join(lines) + "\n", encoding="utf-8")
    runner = CliRunner()
    drawn = runner.invoke(
        cli,
        ["invite", str(register), "--invitations", "10", "--strata", "commune", "--seed", "5",
         "--out", str(tmp_path / "inv.csv")],
    )  # fmt: skip
    assert drawn.exit_code == 0, drawn.output
    log = tmp_path / "inv-log.json"
    checked = runner.invoke(cli, ["verify", str(log), "--register", str(register)])
    assert checked.exit_code == 0, checked.output
    assert "VERIFIED" in checked.stdout
    missing = runner.invoke(cli, ["verify", str(log)])
    assert missing.exit_code == 2 and "--register" in missing.stderr
    record = json.loads(log.read_text(encoding="utf-8"))
    record["invited"][0] = "A099" if record["invited"][0] != "A099" else "A098"
    log.write_text(json.dumps(record), encoding="utf-8")
    tampered = runner.invoke(cli, ["verify", str(log), "--register", str(register)])
    assert tampered.exit_code == 5
