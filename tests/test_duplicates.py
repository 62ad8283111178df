"""Duplicate registrations: linking by normalized contact values, groups, and the error message.

Pools are tiny CSV files written to tmp_path; one test runs over the santiago-region sample, whose
contacts are fake and unique.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from sortition.errors import InputError, MissingColumn
from sortition.inputs.duplicates import (
    DuplicateGroup,
    DuplicateRegistrations,
    SharedValue,
    contact_key,
    contact_kind,
    duplicate_error,
    find_duplicates,
)
from sortition.inputs.pool import read_pool

ROOT = Path(__file__).resolve().parent.parent
SANTIAGO_POOL = ROOT / "data" / "samples" / "santiago-region" / "pool.csv"

CHAIN = (
    "id,name,email,phone\n"
    "a,Ana, Ana.Perez@Example.CL ,+56 2 2222 2222\n"  # row 2
    "x,Xavier,xavier@example.cl,+56 9 8888 7777\n"  # row 3
    "b,Ana P.,ana.perez@example.cl,+56 9 1234 5678\n"  # row 4
    "y,Yolanda,,\n"  # row 5
    "c,Anita,anita@example.cl,56912345678\n"  # row 6
)


def pool_from(tmp_path: Path, text: str):
    path = tmp_path / "pool.csv"
    path.write_text(text, encoding="utf-8")
    return read_pool(path)


def test_chain_of_email_and_phone_forms_one_group(tmp_path):
    groups = find_duplicates(pool_from(tmp_path, CHAIN), ["email", "phone"])
    assert len(groups) == 1
    (group,) = groups
    assert group.ids == ("a", "b", "c")
    assert group.rows == (2, 4, 6)
    assert group.shared == (
        SharedValue("email", ("email",), "ana.perez@example.cl", (2, 4)),
        SharedValue("phone", ("phone",), "56912345678", (4, 6)),
    )
    assert group.columns == ("email", "phone")


def test_blanks_and_placeholders_never_link(tmp_path):
    text = (
        "id,email,phone,address\n"
        "1,,,\n"
        "2, ,  ,\n"
        "3,n/a,0,-\n"
        "4,N/A,000,-\n"
        "5,sin correo,---,Sin información\n"
        "6,sin correo,+56,sin información\n"
    )
    assert find_duplicates(pool_from(tmp_path, text), ["email", "phone", "address"]) == ()


def test_no_duplicates_gives_empty_tuple(tmp_path):
    text = "id,email,phone\n1,a@x.cl,+56 9 1111 1111\n2,b@x.cl,+56 9 2222 2222\n"
    assert find_duplicates(pool_from(tmp_path, text), ["email", "phone"]) == ()
    assert find_duplicates(pool_from(tmp_path, text), []) == ()


def test_groups_are_sorted_by_first_row_and_deterministic(tmp_path):
    text = (
        "id,Correo,Teléfono móvil,Dirección\n"
        "p1,z@x.cl,,Calle 1\n"  # row 2: with p4 by address
        "p2,k@x.cl,0056 9 5555 5555,\n"  # row 3: with p3 by phone
        "p3,,+56 (9) 5555-5555,\n"  # row 4
        "p4,,,  calle   1 \n"  # row 5
        "p5,K@X.CL,,\n"  # row 6: with p2 by e-mail
    )
    pool = pool_from(tmp_path, text)
    columns = ["correo", "dirección", "teléfono móvil"]
    groups = find_duplicates(pool, columns)
    assert [g.rows for g in groups] == [(2, 5), (3, 4, 6)]
    assert [g.ids for g in groups] == [("p1", "p4"), ("p2", "p3", "p5")]
    assert groups[0].shared == (SharedValue("other", ("Dirección",), "calle 1", (2, 5)),)
    assert [s.kind for s in groups[1].shared] == ["email", "phone"]
    assert groups[1].columns == ("Correo", "Teléfono móvil")
    for _ in range(3):
        assert find_duplicates(pool, columns) == groups
        assert find_duplicates(pool, list(reversed(columns))) == groups


def test_emails_and_phones_match_across_their_columns(tmp_path):
    text = (
        "id,email,email2,phone,mobile,alias\n"
        "1,a@x.cl,,,+56 9 1000 0000,same\n"
        "2,,A@x.cl,56910000000,,\n"
        "3,,,,,\n"
        "4,,,,,same\n"
    )
    groups = find_duplicates(pool_from(tmp_path, text), ["email", "email2", "phone", "mobile"])
    assert len(groups) == 1
    assert groups[0].rows == (2, 3)
    assert groups[0].shared[0].columns == ("email", "email2")
    assert groups[0].shared[1].columns == ("phone", "mobile")
    # a generic column links only within itself
    groups = find_duplicates(pool_from(tmp_path, text), ["alias"])
    assert [g.rows for g in groups] == [(2, 5)]


def test_a_person_repeating_a_value_in_two_columns_does_not_link_to_self(tmp_path):
    text = "id,email,email2\n1,a@x.cl,a@x.cl\n2,b@x.cl,\n"
    assert find_duplicates(pool_from(tmp_path, text), ["email", "email2"]) == ()


def test_missing_contact_column_names_file_and_column(tmp_path):
    pool = pool_from(tmp_path, CHAIN)
    with pytest.raises(MissingColumn) as info:
        find_duplicates(pool, ["email", "telefono"])
    error = info.value
    assert error.location is not None
    assert error.location.file == pool.path
    assert error.location.column == "telefono"
    assert "'telefono'" in error.message and error.hint
    assert "\n" not in str(error)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("email", "email"),
        ("E-mail", "email"),
        ("correo_electronico", "email"),
        ("Correo electrónico", "email"),
        ("mail", "email"),
        ("phone", "phone"),
        ("Teléfono", "phone"),
        ("telefono", "phone"),
        ("celular", "phone"),
        ("Móvil", "phone"),
        ("mobile phone", "phone"),
        ("tel", "phone"),
        ("address", "other"),
        ("first_name", "other"),
        ("hotel", "other"),
    ],
)
def test_contact_kind(name, kind):
    assert contact_kind(name) == kind


def test_contact_key_rules():
    assert contact_key("  Ana.Perez@Example.CL ", "email") == "ana.perez@example.cl"
    assert contact_key("ana perez@example.cl", "email") == "anaperez@example.cl"
    assert contact_key("not an address", "email") == ""
    assert contact_key("+56 9 1234 5678", "phone") == "56912345678"
    assert contact_key("0056-9-1234-5678", "phone") == "56912345678"
    assert contact_key("9 1234 5678", "phone") == "912345678"  # no country code: no match
    assert contact_key("12345", "phone") == ""
    assert contact_key("  Calle  Uno ", "other") == "calle uno"
    for blank in ("", "   ", "-", "N/A", "none", "?"):
        assert contact_key(blank, "other") == ""


def test_duplicate_error_is_one_line_without_contact_values(tmp_path):
    groups = find_duplicates(pool_from(tmp_path, CHAIN), ["email", "phone"])
    error = duplicate_error(groups, path="pool.csv")
    assert isinstance(error, DuplicateRegistrations) and isinstance(error, InputError)
    assert error.code == "E113"
    assert error.message == (
        "3 registrants in 1 group share contact details (rows 2, 4, 6: email, phone)"
    )
    assert error.hint == "remove duplicates or pass --allow-duplicates"
    text = str(error)
    assert text.startswith("[E113] pool.csv: 3 registrants")
    assert "\n" not in text
    for value in ("ana.perez", "example", "5678", "56912345678"):
        assert value not in text


def test_duplicate_error_summarizes_many_groups():
    groups = tuple(
        DuplicateGroup(
            (f"a{i}", f"b{i}"),
            rows,
            (SharedValue("email", ("email", "e-mail 2"), "x@y.cl", rows),),
        )
        for i in range(5)
        for rows in [(2 * i + 2, 2 * i + 3)]
    )
    error = duplicate_error(groups)
    assert error.location is None
    assert error.message == (
        "10 registrants in 5 groups share contact details (rows 2, 3: email, e-mail 2; "
        "rows 4, 5: email, e-mail 2; rows 6, 7: email, e-mail 2; and 2 more groups)"
    )
    with pytest.raises(ValueError):
        duplicate_error(())


def test_santiago_sample_has_no_duplicate_contacts():
    pool = read_pool(SANTIAGO_POOL)
    assert find_duplicates(pool, ["email", "phone"]) == ()
    # shared addresses are the sample's households: 225 registrants in 100 groups
    groups = find_duplicates(pool, ["address"])
    assert (len(groups), sum(len(g.rows) for g in groups)) == (100, 225)


# ---------------------------------------------------------------------------------------------
# The commands: check reports duplicates, select and lottery refuse them unless allowed


def _duplicated_pool(tmp_path: Path) -> tuple[Path, Path]:
    """example_small_20 with row 3 registering again under row 4's phone and row 2's e-mail."""
    source = Path(__file__).resolve().parents[1] / "data" / "samples" / "example_small_20"
    lines = (source / "pool.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    email, phone = header.index("email"), header.index("phone")
    rows = list(csv.reader(io.StringIO("\n".join(lines))))
    rows[2][email] = rows[1][email].upper()  # P002 shares P001's e-mail (case differs)
    rows[2][phone] = rows[3][phone].replace(" ", "")  # and P003's phone (spacing differs)
    pool = tmp_path / "pool.csv"
    with pool.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return pool, source / "quotas.csv"


def test_check_lists_duplicate_groups_and_select_refuses_them(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from sortition.cli.main import cli

    pool, quotas = _duplicated_pool(tmp_path)
    runner = CliRunner()
    checked = runner.invoke(cli, ["check", str(pool), str(quotas), "-k", "20"])
    assert checked.exit_code == 0, checked.output
    assert "1 group(s) of registrants share contact details" in checked.stdout
    assert "- rows 2, 3, 4 (ids P001, P002, P003)" in checked.stdout

    out = tmp_path / "out"
    refused = runner.invoke(cli, ["select", str(pool), str(quotas), "-k", "20", "--out", str(out)])
    assert refused.exit_code == 1
    assert "[E113]" in refused.stderr and "rows 2, 3, 4" in refused.stderr
    assert "--allow-duplicates" in refused.stderr
    assert "@" not in refused.stderr  # no contact values in the message
    assert not out.exists()

    allowed = runner.invoke(
        cli,
        ["select", str(pool), str(quotas), "-k", "20", "--allow-duplicates", "--seed", "1",
         "--out", str(out), "--quiet"],
    )  # fmt: skip
    assert allowed.exit_code == 0, allowed.output
    log = (out / "public" / "selection-log.json").read_text(encoding="utf-8")
    assert '"duplicate_groups_allowed": 1' in log

    lottery = tmp_path / "lottery.json"
    refused_lottery = runner.invoke(
        cli, ["lottery", str(pool), str(quotas), "-k", "20", "--out", str(lottery)]
    )
    assert refused_lottery.exit_code == 1 and not lottery.exists()
    ids_only = runner.invoke(
        cli,
        ["select", str(pool), str(quotas), "-k", "20", "--contact-columns", "id",
         "--seed", "1", "--out", str(tmp_path / "names"), "--quiet"],
    )  # fmt: skip
    assert ids_only.exit_code == 0, ids_only.output
