"""The Spanish app shows no English sentence on the pages an organizer walks through.

Library texts reach the pages in English and are worded in Spanish on the way
(`sortition.web.app_texts`, `sortition.i18n.library_text`); a text that skips that step shows up
in English, as the quota check's counting problems and a replacement error once did. This walk
(Starlette's TestClient) goes through a draw on the Renca sample, its quota check (feasible and
not), the result, its verification, a refused replacement and a seating, and flags every line of
visible text holding two or more common English words.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from starlette.testclient import TestClient
from test_web import RENCA, client_for, csrf_of, prepared_run, wait_for
from test_web_invite import new_invite_run
from test_web_invite import register as a_register
from test_web_invite import upload as upload_register
from test_web_tables import new_tables_run

from sortition.web.config import ServeConfig

ENGLISH = re.compile(
    r"\b(the|and|of|with|this|these|from|is|are|not|for|your|which|each|every|was|were|has|"
    r"have|only|must|than|pass|give)\b"
)
TAG = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.DOTALL)


def english_lines(page: str) -> list[str]:
    """Lines of the page's visible text that read as English."""
    text = html.unescape(TAG.sub("\n", page))
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if len(ENGLISH.findall(line.lower())) >= 2]


def test_the_spanish_pages_of_a_draw_and_a_seating_hold_no_english(tmp_path: Path) -> None:
    client: TestClient = client_for(ServeConfig(workdir=tmp_path / "work", lang="es"))
    pages: dict[str, str] = {"home": client.get("/").text}
    small = {"id_column": "id", "household": "address", "panel_size": "5"}
    run, token = prepared_run(client, settings=small)
    client.post(f"/runs/{run}/check", data={"csrf": token})
    pages["infeasible check"] = client.get(f"/runs/{run}").text
    settings = {"id_column": "id", "household": "address", "panel_size": "40"}
    client.post(f"/runs/{run}/settings", data={"csrf": token, **settings})
    client.post(f"/runs/{run}/check", data={"csrf": token})
    pages["feasible check"] = client.get(f"/runs/{run}").text
    client.post(f"/runs/{run}/draw", data={"csrf": token, "algorithm": "maximin", "seed": "1"})
    assert wait_for(client, run)["state"] == "done"
    client.post(f"/runs/{run}/verify-draw", data={"csrf": token})
    pages["result and verification"] = client.get(f"/runs/{run}/result").text
    client.post(f"/runs/{run}/replace", data={"csrf": token, "dropouts": "NOBODY", "seed": "2"})
    assert wait_for(client, run)["state"] == "failed"
    pages["refused replacement"] = client.get(f"/runs/{run}/result").text
    pages["census"] = client.get(f"/runs/{run}/census").text
    tables, tables_token = new_tables_run(client)
    panel = ("panel.csv", (RENCA.parent / "assembly-150" / "panel.csv").read_bytes(), "text/csv")
    client.post(f"/runs/{tables}/tables/panel", data={"csrf": tables_token}, files={"panel": panel})
    form = {"csrf": tables_token, "id_column": "id", "table_size": "10", "rounds": "4",
            "balance": ["gender", "age_band", "comuna", "education"], "seed": "7"}  # fmt: skip
    client.post(f"/runs/{tables}/tables", data=form)
    assert wait_for(client, tables)["state"] == "done"
    pages["seating"] = client.get(f"/runs/{tables}/tables").text
    verify = client.post("/runs", data={"csrf": csrf_of(client), "kind": "verify"})
    pages["verify page"] = client.get(verify.headers["location"]).text
    assert "Ya compartieron mesa" in client.get(f"/runs/{tables}/tables/files/round-2.html").text
    found = {name: english_lines(page) for name, page in pages.items()}
    found.update(lottery_and_invitations(client, tmp_path))
    assert not any(found.values()), {name: lines for name, lines in found.items() if lines}
    assert "suman 36, más que el tamaño del panel 5" in html.unescape(pages["infeasible check"])


def lottery_and_invitations(client: TestClient, tmp_path: Path) -> dict[str, list[str]]:
    """A committed lottery (its statement, a refused and a good reveal) and drawn invitations:
    the English-looking lines of each page."""
    pages: dict[str, str] = {}
    run, token = prepared_run(client)
    commit = {"csrf": token, "algorithm": "maximin", "planned_sources": "el Loto 5123",
              "draw_date": "2026-12-01"}  # fmt: skip
    client.post(f"/runs/{run}/lottery", data=commit)
    assert wait_for(client, run)["state"] == "done"
    pages["lottery"] = client.get(f"/runs/{run}/lottery").text
    client.post(f"/runs/{run}/reveal", data={"csrf": token, "sources": "siete"})
    pages["refused reveal"] = client.get(f"/runs/{run}/lottery").text
    client.post(f"/runs/{run}/reveal", data={"csrf": token, "sources": "17 20 22 35 36 38 48"})
    wait_for(client, run)
    pages["revealed"] = client.get(f"/runs/{run}/result").text
    invite, invite_token = new_invite_run(client)
    upload_register(client, invite, invite_token, a_register(tmp_path))
    form = {"csrf": invite_token, "id_column": "id", "strata": "commune", "invitations": "20"}
    client.post(f"/runs/{invite}/invite", data={**form, "seed": "2026"})
    assert wait_for(client, invite)["state"] == "done"
    pages["invitations"] = client.get(f"/runs/{invite}/invite").text
    assert "20 invitaciones" in pages["invitations"]
    assert "Ganador" in pages["revealed"] or "boleto" in pages["revealed"].lower()
    return {name: english_lines(page) for name, page in pages.items()}
