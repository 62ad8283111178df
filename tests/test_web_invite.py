"""Invitations drawn from a register in the web app (Starlette's TestClient): the same files as
the library for the same register, choices and seed; personal data kept to the private file;
pseudonyms when the id column is personal; errors with row and column; Spanish; bad forms.

The page calls `sortition.invite` through the worker task, so its two files must be the very
bytes `invitation_files` gives for the same register (under the same file name) and seed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from starlette.testclient import TestClient
from test_invite import resident, write_register
from test_web import client_for, csrf_of, local, wait_for  # noqa: F401

from sortition.invite import InviteRequest, invitation_files, invite
from sortition.web.config import ServeConfig


def new_invite_run(client: TestClient) -> tuple[str, str]:
    response = client.post("/runs", data={"csrf": csrf_of(client), "kind": "invite"})
    run = response.headers["location"].split("/")[2]
    assert response.headers["location"] == f"/runs/{run}/invite"
    return run, csrf_of(client, f"/runs/{run}/invite")


def register(tmp_path: Path) -> Path:
    communes = ["Renca"] * 120 + ["Quilicura"] * 50 + ["Lampa"] * 30
    rows = [resident(i, communes[(i * 7) % 200]) for i in range(200)]
    return write_register(tmp_path / "register.csv", rows)


def upload(client: TestClient, run: str, token: str, path: Path, name: str = "padron.csv") -> None:
    client.post(
        f"/runs/{run}/invite/register",
        data={"csrf": token},
        files={"register": (name, path.read_bytes(), "text/csv")},
    )


def test_invitations_drawn_in_the_browser_are_the_librarys(
    local: TestClient,  # noqa: F811
    tmp_path: Path,
) -> None:
    run, token = new_invite_run(local)
    assert 'id="invite-form"' not in local.get(f"/runs/{run}/invite").text  # no register yet
    path = register(tmp_path)
    upload(local, run, token, path)
    page = local.get(f"/runs/{run}/invite").text
    assert "Register: padron.csv." in page
    assert re.findall(r'name="strata" value="([^"]+)"', page) == [
        "name",
        "commune",
        "province",
        "address",
    ]
    assert 'id="pseudonyms" ' in page and 'id="pseudonyms" checked' not in page
    form = {"csrf": token, "id_column": "id", "strata": "commune", "invitations": "20"}
    started = local.post(f"/runs/{run}/invite", data={**form, "seed": "2026"})
    assert started.headers["location"] == f"/runs/{run}/progress"
    wait_for(local, run)
    page = local.get(f"/runs/{run}/invite").text
    assert "20 invitations drawn from 200 rows of the register (10.00%)." in page
    assert "Stratified by commune: 3 strata." in page
    strata = re.findall(
        r"<tr><td>(\w+)</td><td class=\"num\">(\d+)</td><td class=\"num\">(\d+)", page
    )
    assert strata == [("Lampa", "30", "3"), ("Quilicura", "50", "5"), ("Renca", "120", "12")]
    expected = invitation_files(invite(InviteRequest(str(path), 20, ("commune",), "id", "2026")))
    mailing = local.get(f"/runs/{run}/invite/files/invitations.csv")
    assert mailing.content == expected["private/invitations.csv"]
    assert "Calle Secreta" in mailing.text  # addresses, for mailing: the private file only
    workbook = local.get(f"/runs/{run}/invite/files/invitations.xlsx")  # for a mail merge
    assert workbook.content == expected["private/invitations.xlsx"]
    assert 'id="invitations-workbook"' in page
    log = local.get(f"/runs/{run}/invite/files/invitations-log.json")
    assert log.content == expected["public/invitations-log.json"]
    assert "Calle Secreta" not in log.text and "Persona" not in log.text
    assert json.loads(log.text)["inputs"]["register"]["file"] == "register.csv"
    # a second draw does not replace these invitations unless the form says so
    local.post(f"/runs/{run}/invite", data={**form, "seed": "2027"})
    status = wait_for(local, run)
    assert status["state"] == "failed" and status["error"]["code"] == "E203"
    again = local.get(f"/runs/{run}/invite/files/invitations.csv")
    assert again.content == expected["private/invitations.csv"]
    assert 'id="invite-overwrite"' in local.get(f"/runs/{run}/invite").text
    local.post(f"/runs/{run}/invite", data={**form, "seed": "2027", "overwrite": "on"})
    assert wait_for(local, run)["state"] == "done"
    replaced = local.get(f"/runs/{run}/invite/files/invitations.csv")
    assert replaced.content != expected["private/invitations.csv"]


def test_an_identity_number_as_id_is_published_as_pseudonyms(
    local: TestClient,  # noqa: F811
    tmp_path: Path,
) -> None:
    run, token = new_invite_run(local)
    rows = [[f"{10_000_000 + 7919 * i}-{i % 10}", f"Calle {i}", "Renca"] for i in range(40)]
    path = write_register(tmp_path / "rut.csv", rows, header=["rut", "direccion", "comuna"])
    upload(local, run, token, path, "rut.csv")
    page = local.get(f"/runs/{run}/invite").text
    assert 'id="pseudonyms" checked' in page  # the id column looks personal: ticked
    local.post(
        f"/runs/{run}/invite",
        data={"csrf": token, "id_column": "rut", "invitations": "5", "pseudonyms": "on"},
    )
    wait_for(local, run)
    page = local.get(f"/runs/{run}/invite").text
    assert "One sample of the whole register." in page and "(ids as pseudonyms)" in page
    assert "(generated; write it down to repeat the draw)" in page
    log = json.loads(local.get(f"/runs/{run}/invite/files/invitations-log.json").text)
    assert len(log["invited"]) == 5
    assert not set(log["invited"]) & {row[0] for row in rows}


def test_register_errors_and_malformed_forms(
    local: TestClient,  # noqa: F811
    tmp_path: Path,
) -> None:
    run, token = new_invite_run(local)
    rows = [resident(i, "Renca") for i in range(10)]
    rows[6][0] = rows[2][0]  # a repeated id
    path = write_register(tmp_path / "register.csv", rows)
    upload(local, run, token, path)
    local.post(f"/runs/{run}/invite", data={"csrf": token, "id_column": "id", "invitations": "3"})
    status = wait_for(local, run)
    assert status["state"] == "failed"
    page = local.get(f"/runs/{run}/invite").text
    assert "<code>E105</code>" in page and "padron.csv" in page and '<b class="row">8</b>' in page
    assert "Two rows share an identifier" in page
    bad = {"csrf": token, "id_column": "id", "invitations": "0"}
    assert local.post(f"/runs/{run}/invite", data=bad).status_code == 400
    bad = {"csrf": token, "id_column": "nope", "invitations": "3"}
    assert local.post(f"/runs/{run}/invite", data=bad).status_code == 400
    assert local.post(f"/runs/{run}/invite", data={"invitations": "3"}).status_code == 403
    refused = local.post(
        f"/runs/{run}/invite/register",
        data={"csrf": token},
        files={"register": ("padron.xlsx", b"PK\x03\x04xx", "application/zip")},
    )
    assert refused.status_code == 303
    assert 'role="alert"' in local.get(f"/runs/{run}/invite").text


def test_spanish_invitation_page(tmp_path: Path) -> None:
    client = client_for(ServeConfig(workdir=tmp_path / "work", lang="es"))
    assert "Sortear invitaciones de un padrón" in client.get("/").text
    run, token = new_invite_run(client)
    upload(client, run, token, register(tmp_path))
    page = client.get(f"/runs/{run}/invite").text
    assert "Estratos, invitaciones y semilla" in page
    client.post(
        f"/runs/{run}/invite",
        data={"csrf": token, "id_column": "id", "strata": "commune", "invitations": "20"},
    )
    wait_for(client, run)
    page = client.get(f"/runs/{run}/invite").text
    assert "20 invitaciones sorteadas entre 200 filas del padrón (10,00 %)." in page
    assert "manténgalo privado, nunca lo publique" in page


def test_an_invitation_log_is_verified_in_the_browser_against_its_register(
    local: TestClient,  # noqa: F811
    tmp_path: Path,
) -> None:
    """The verify page takes an invitation log with the register: every check passes; a
    changed register fails; without the register the page says to add it."""
    run, token = new_invite_run(local)
    path = register(tmp_path)
    upload(local, run, token, path)
    form = {"csrf": token, "id_column": "id", "strata": "commune", "invitations": "20"}
    local.post(f"/runs/{run}/invite", data={**form, "seed": "9"})
    wait_for(local, run)
    log = local.get(f"/runs/{run}/invite/files/invitations-log.json").content
    check = local.post("/runs", data={"csrf": csrf_of(local), "kind": "verify"})
    target = check.headers["location"].rsplit("/", 1)[0]
    token = csrf_of(local, f"{target}/verify")
    files = {"log": ("invitations-log.json", log, "application/json")}
    local.post(f"{target}/verify", data={"csrf": token}, files=files)
    page = local.get(f"{target}/verify").text
    assert "this is an invitation log" in page
    local.post(
        f"{target}/verify",
        data={"csrf": token},
        files={"register": ("padron.csv", path.read_bytes(), "text/csv")},
    )
    page = local.get(f"{target}/verify").text
    assert 'class="verdict ok"' in page and "check-fail" not in page
    changed = path.read_bytes().replace(b"Calle Secreta 5,", b"Calle Secreta 55,")
    local.post(
        f"{target}/verify",
        data={"csrf": token},
        files={"register": ("padron.csv", changed, "text/csv")},
    )
    page = local.get(f"{target}/verify").text
    assert 'class="verdict bad"' in page and "check-fail" in page
