"""Issue 15's privacy test: no personal value reaches a publishable file, whatever the command.

A pool with names, e-mails, phones and addresses (nombre, email, telefono, direccion) goes
through every command that writes results (select, select --reserves, select --panels, lottery,
draw with and without --pool, replace, compare, invite), with a plain id column and with the id
column set to the e-mail, the phone or the name, or marked personal. Every publishable file
(everything under a public/ folder, the lottery file, the invitation log) is searched for every
value of every personal column: none may appear. The private files are searched too, to show the
values are there to be found.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sortition.cli.main import cli
from sortition.errors import UsageError
from sortition.inputs.pool import read_pool
from sortition.inputs.privacy import (
    personal_reason,
    pool_key,
    pseudonym,
    pseudonymize_pool,
    refuse_personal_features,
)

PERSONAL = ("nombre", "email", "telefono", "direccion")
FIRST = ["Ana", "Luis", "María José", "Pedro", "Camila", "Jorge", "Valentina", "Tomás"]
LAST = ["Pérez", "Soto", "Muñoz", "Rojas", "Díaz", "Fuentes", "Araya", "Vergara"]
SIZE = 64
PANEL = 8


def invoke(*args: object) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def write_pool(path: Path) -> Path:
    """64 registrants, households of two at every eighth address; gender and age quotas."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", *PERSONAL, "genero", "edad"])
    for i in range(SIZE):
        name = f"{FIRST[i % 8]} {LAST[(i // 8) % 8]} {chr(65 + i % 26)}."
        street = i - 1 if i % 8 == 1 else i  # rows 8k and 8k+1 share an address
        writer.writerow(
            [
                f"R{i:04d}",
                name,
                f"persona.{i:02d}@correo.example",
                f"+56 9 {5000 + i:04d} {7000 + 3 * i:04d}",
                f"Pasaje Los Aromos {100 + street}, Renca",
                "Mujer" if i % 2 else "Hombre",
                ["18-39", "40-59", "60+"][i % 3],
            ]
        )
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def write_quotas(path: Path) -> Path:
    path.write_text(
        "feature,value,min,max\ngenero,Mujer,4,4\ngenero,Hombre,4,4\n"
        "edad,18-39,2,3\nedad,40-59,2,3\nedad,60+,2,3\n",
        encoding="utf-8",
    )
    return path


def personal_values(pool: Path, extra: tuple[str, ...] = ()) -> set[str]:
    with pool.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {row[column] for row in rows for column in (*PERSONAL, *extra)}


def publishable(base: Path) -> list[Path]:
    """Every file under a public/ folder, and the single-file public outputs."""
    files = [p for p in base.rglob("*") if p.is_file() and "public" in p.relative_to(base).parts]
    files += [p for p in base.glob("*.json") if p.is_file()]  # lottery.json, invitation logs
    return sorted(files)


def private(base: Path) -> list[Path]:
    return sorted(p for p in base.rglob("*") if p.is_file() and "private" in p.parts)


def leaks(files: list[Path], values: set[str]) -> list[tuple[str, str]]:
    """(file, value) for every personal value found in a file, as written or JSON-escaped."""
    found = []
    for path in files:
        text = path.read_bytes().decode("utf-8", errors="replace")
        for value in values:
            forms = {value, json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1]}
            if any(form in text for form in forms):
                found.append((path.name, value))
    return found


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every result-writing command on the pool; each run in its own folder."""
    base = tmp_path_factory.mktemp("privacy")
    pool = write_pool(base / "pool.csv")
    quotas = write_quotas(base / "quotas.csv")
    common = [pool, quotas, "-k", PANEL, "-a", "maximin", "--household-columns", "direccion", "-q"]
    outs: dict[str, Path] = {"pool": pool, "quotas": quotas}

    def run(name: str, *args: object) -> Path:
        folder = base / name
        folder.mkdir()
        result = invoke(*[str(a).replace("{}", str(folder)) for a in args])
        assert result.exit_code == 0, (name, result.output)
        (folder / "stdout.txt").write_text(result.stdout, encoding="utf-8")
        outs[name] = folder
        return folder

    run("select", "select", *common, "--seed", 1, "--reserves", 3, "--out", "{}/out")
    for column in ("email", "telefono", "nombre"):
        run(f"select-{column}", "select", *common, "--seed", 1, "--reserves", 3,
            "--id-column", column, "--out", "{}/out")  # fmt: skip
    run("select-marked", "select", *common, "--seed", 1, "--personal-columns", "id",
        "--out", "{}/out")  # fmt: skip
    run("panels", "select", *common, "--seed", 2, "--panels", 2, "--id-column", "email",
        "--out", "{}/out")  # fmt: skip
    lottery = run("lottery", "lottery", *common, "--tickets", 50, "--id-column", "email",
                  "--out", "{}/lottery.json")  # fmt: skip
    run("draw", "draw", lottery / "lottery.json", "--source", "3 5 8", "--pool", pool,
        "--reserve-tickets", 1, "--out", "{}/out")  # fmt: skip
    run("draw-nopool", "draw", lottery / "lottery.json", "--source", "3 5 8", "--out", "{}/out")
    drawn = outs["select-email"] / "out"
    dropouts = base / "dropouts.csv"
    with (drawn / "private" / "selected.csv").open(encoding="utf-8", newline="") as handle:
        first = next(csv.DictReader(handle))
    dropouts.write_text(f"email\n{first['email']}\n", encoding="utf-8")
    run("replace", "replace", drawn / "public" / "selection-log.json", "--dropouts", dropouts,
        "--seed", 3, "--out", "{}/out", "-q")  # fmt: skip
    run("replace-pool", "replace", drawn / "public" / "selection-log.json", "--dropouts",
        dropouts, "--pool", pool, "--seed", 3, "--out", "{}/out", "-q")  # fmt: skip
    run("compare", "compare", pool, quotas, "-k", PANEL, "--algorithms", "maximin,legacy",
        "--draws", 20, "--id-column", "email", "--household-columns", "direccion", "-q",
        "--out", "{}/out")  # fmt: skip
    run("invite", "invite", pool, "-n", 10, "--strata", "genero", "--seed", 4,
        "--id-column", "email", "--out", "{}/invitations.csv")  # fmt: skip
    run("invite-plain", "invite", pool, "-n", 10, "--seed", 4, "--out", "{}/invitations.csv")
    return outs


RUNS = ["select", "select-email", "select-telefono", "select-nombre", "select-marked", "panels",
        "lottery", "draw", "draw-nopool", "replace", "replace-pool", "compare", "invite",
        "invite-plain"]  # fmt: skip


@pytest.mark.parametrize("name", RUNS)
def test_no_personal_value_in_any_publishable_file(runs: dict[str, Path], name: str) -> None:
    folder = runs[name]
    files = publishable(folder)
    assert files, f"{name} wrote no publishable file"
    extra = ("id",) if name == "select-marked" else ()
    assert leaks(files, personal_values(runs["pool"], extra)) == []


@pytest.mark.parametrize("name", ["select", "select-email", "draw", "replace-pool", "invite"])
def test_the_private_files_do_hold_the_personal_values(runs: dict[str, Path], name: str) -> None:
    folder = runs[name]
    files = private(folder) or [folder / "invitations.csv"]
    assert leaks(files, personal_values(runs["pool"]))  # the search would find them


@pytest.mark.parametrize(
    ("name", "column"),
    [("select-email", "email"), ("select-telefono", "telefono"), ("select-nombre", "nombre"),
     ("select-marked", "id"), ("lottery", "email"), ("draw", "email"), ("compare", "email"),
     ("invite", "email")],
)  # fmt: skip
def test_the_organizer_is_told_the_ids_were_pseudonymized(
    runs: dict[str, Path], name: str, column: str
) -> None:
    stdout = (runs[name] / "stdout.txt").read_text(encoding="utf-8")
    assert f"The id column '{column}' holds personal data" in stdout
    assert "pseudonymous ids (p-...)" in stdout


def test_every_result_command_says_what_to_publish_and_what_to_keep(runs: dict[str, Path]) -> None:
    for name in RUNS:
        stdout = (runs[name] / "stdout.txt").read_text(encoding="utf-8")
        assert "Publish: " in stdout, name
        if name not in ("lottery", "compare"):
            assert "Keep private (personal data): " in stdout, name
    select = (runs["select"] / "stdout.txt").read_text(encoding="utf-8")
    assert "/out/public/ (probabilities.csv, selection-log.json, report.html)" in select
    assert (
        "/out/private/ (selected.csv, selected.xlsx, remaining.csv, remaining.xlsx, reserves.csv, "
        "reserves.xlsx, README.txt)"
    ) in select


def test_private_folder_has_a_readme_in_spanish_and_english(runs: dict[str, Path]) -> None:
    text = (runs["select"] / "out" / "private" / "README.txt").read_text(encoding="utf-8")
    assert "DATOS PERSONALES - NO PUBLICAR" in text and "PERSONAL DATA - DO NOT PUBLISH" in text


def test_pseudonyms_are_the_same_in_the_log_probabilities_and_mapping(
    runs: dict[str, Path],
) -> None:
    out = runs["select-email"] / "out"
    log = json.loads((out / "public" / "selection-log.json").read_text(encoding="utf-8"))
    assert log["options"]["id_column"] == "email"
    assert log["options"]["id_pseudonyms"]["length"] == 12
    with (out / "private" / "pseudonyms.csv").open(encoding="utf-8", newline="") as handle:
        mapping = {row["pseudonym"]: row["email"] for row in csv.DictReader(handle)}
    assert len(mapping) == SIZE and all(p.startswith("p-") and len(p) == 14 for p in mapping)
    assert set(log["probabilities"]) == set(mapping)
    with (out / "private" / "selected.csv").open(encoding="utf-8", newline="") as handle:
        selected = sorted(row["email"] for row in csv.DictReader(handle))
    assert sorted(mapping[p] for p in log["draw"]["selected"]) == selected
    key = bytes.fromhex((out / "private" / "pseudonym-key.txt").read_text().split()[0])
    assert all(pseudonym(key, real) == p for p, real in mapping.items())


def test_plain_ids_stay_as_they_are(runs: dict[str, Path]) -> None:
    out = runs["select"] / "out"
    log = json.loads((out / "public" / "selection-log.json").read_text(encoding="utf-8"))
    assert "id_pseudonyms" not in log["options"]
    assert sorted(log["probabilities"]) == [f"R{i:04d}" for i in range(SIZE)]
    assert not (out / "private" / "pseudonyms.csv").exists()


def test_pseudonymized_runs_are_byte_identical_and_verify(
    runs: dict[str, Path], tmp_path: Path
) -> None:
    again = tmp_path / "again"
    result = invoke(
        "select", runs["pool"], runs["quotas"], "-k", PANEL, "-a", "maximin", "--household-columns",
        "direccion", "-q", "--seed", 1, "--reserves", 3, "--id-column", "email", "--out", again,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    first = runs["select-email"] / "out"
    for path in first.rglob("*"):
        if path.is_file():
            assert (again / path.relative_to(first)).read_bytes() == path.read_bytes(), path
    checked = invoke(
        "verify", again / "public" / "selection-log.json", "--pool", runs["pool"],
        "--quotas", runs["quotas"],
    )  # fmt: skip
    assert checked.exit_code == 0, checked.output
    assert "both files are byte-identical to the logged ones" in checked.output


@pytest.mark.parametrize("name", ["draw", "replace", "replace-pool"])
def test_later_steps_verify_with_the_same_pseudonyms(runs: dict[str, Path], name: str) -> None:
    log = runs[name] / "out" / "public" / "selection-log.json"
    extra = ["--lottery", runs["lottery"] / "lottery.json"] if name == "draw" else []
    result = invoke("verify", log, *extra)
    assert result.exit_code == 0, result.output
    if name != "draw":
        replaced = (runs[name] / "out" / "private" / "replacements.csv").read_text("utf-8")
        assert "@correo.example" in replaced  # real ids back in the private files


def test_invitation_log_verifies_with_the_register(runs: dict[str, Path]) -> None:
    log = runs["invite"] / "invitations-log.json"
    record = json.loads(log.read_text(encoding="utf-8"))
    assert all(person.startswith("p-") for person in record["invited"])
    result = invoke("verify", log, "--register", runs["pool"])
    assert result.exit_code == 0, result.output
    header = (runs["invite"] / "invitations.csv").read_text("utf-8").splitlines()[0]
    assert header.endswith(",pseudonym")


def test_a_personal_feature_column_is_refused(runs: dict[str, Path], tmp_path: Path) -> None:
    quotas = tmp_path / "quotas.csv"
    quotas.write_text(
        "feature,value,min,max\n"
        + "".join(
            f"telefono,{v},0,1\n" for v in sorted(personal_values(runs["pool"])) if "+56" in v
        ),
        encoding="utf-8",
    )
    result = invoke("select", runs["pool"], quotas, "-k", 2, "--seed", 1, "--out", tmp_path / "o")
    assert result.exit_code == 2
    assert "holds personal data" in result.stderr and "feature" in result.stderr
    assert not (tmp_path / "o").exists()


def test_personal_columns_must_exist(runs: dict[str, Path], tmp_path: Path) -> None:
    result = invoke(
        "select", runs["pool"], runs["quotas"], "-k", PANEL, "--personal-columns", "correo",
        "--seed", 1, "--out", tmp_path / "o",
    )  # fmt: skip
    assert result.exit_code == 2 and "'correo'" in result.stderr


# ---------------------------------------------------------------------------------------------
# The library: detection and keys


@pytest.mark.parametrize(
    ("column", "values", "personal"),
    [
        ("id", ["R0039", "R0040"], False),
        ("folio", ["1", "2", "317"], False),
        ("id", ["ana@example.org", "R2"], True),  # one e-mail is enough
        ("id", ["+56 9 1234 5678", "+56 9 8765 4321"], True),
        ("id", ["12.345.678-9", "9.876.543-2"], True),  # identity numbers
        ("codigo", ["20240001", "x"], True),  # half the cells look like numbers
        ("Correo electrónico", ["a", "b"], True),
        ("Teléfono", ["a", "b"], True),
        ("Nombre completo", ["a", "b"], True),
        ("RUT", ["a", "b"], True),
        ("runner", ["a", "b"], False),  # 'run' only as a whole word
    ],
)
def test_personal_id_columns_are_recognised(column: str, values: list[str], personal: bool) -> None:
    assert (personal_reason(column, values) is not None) is personal


def test_the_key_depends_on_every_cell_and_is_not_the_logged_file_hash(
    runs: dict[str, Path], tmp_path: Path
) -> None:
    pool = read_pool(runs["pool"], id_column="email")
    key = pool_key(pool)
    assert key != hashlib.sha256(runs["pool"].read_bytes()).digest()
    text = runs["pool"].read_text(encoding="utf-8")
    resaved = tmp_path / "resaved.csv"
    resaved.write_text(text.replace("\n", "\r\n"), encoding="utf-8")  # other line endings
    assert pool_key(read_pool(resaved, id_column="email")) == key
    changed = tmp_path / "changed.csv"
    changed.write_text(text.replace("Pasaje Los Aromos 100,", "Pasaje Los Aromos 999,"), "utf-8")
    assert pool_key(read_pool(changed, id_column="email")) != key
    hidden, pseudonyms = pseudonymize_pool(pool)
    assert pseudonyms is not None and pseudonyms.reason == "its name says e-mail"
    assert list(hidden.table["email"]) == [pseudonyms.pseudonym[v] for v in pool.table["email"]]
    assert list(hidden.table["nombre"]) == list(pool.table["nombre"])  # other columns untouched


def test_issue_scenario_id_column_email_keeps_emails_out_of_log_and_probabilities(
    tmp_path: Path,
) -> None:
    # issue 15: with --id-column email every e-mail landed in selection-log.json and
    # probabilities.csv, with no warning (found wherever the command puts them)
    pool, quotas = write_pool(tmp_path / "pool.csv"), write_quotas(tmp_path / "quotas.csv")
    out = tmp_path / "out"
    result = invoke(
        "select", pool, quotas, "-k", PANEL, "-a", "maximin", "--seed", 1, "--id-column", "email",
        "--out", out, "-q",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    published = [*out.rglob("selection-log.json"), *out.rglob("probabilities.csv")]
    assert len(published) == 2
    assert leaks(published, personal_values(pool)) == []
    assert "holds personal data" in result.stdout


def test_draw_without_the_pool_says_how_to_get_real_ids(runs: dict[str, Path]) -> None:
    stdout = (runs["draw-nopool"] / "stdout.txt").read_text(encoding="utf-8")
    assert "pass --pool with the pool to write the real ids" in stdout


def test_honest_features_with_long_numbers_or_address_words_are_not_refused(
    tmp_path: Path,
) -> None:
    pool = tmp_path / "pool.csv"
    pool.write_text(
        "id,ingreso,zona direccion,email\n"
        "a,1000000-2000000,Norte,a@x.example\nb,2000000-3000000,Sur,b@x.example\n",
        encoding="utf-8",
    )
    read = read_pool(pool)
    refuse_personal_features(read, ["ingreso", "zona direccion"])
    with pytest.raises(UsageError, match="holds personal data"):
        refuse_personal_features(read, ["email"])
    with pytest.raises(UsageError, match="marked with --personal-columns"):
        refuse_personal_features(read, ["ingreso"], ["Ingreso"])
