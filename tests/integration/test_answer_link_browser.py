"""The e-mail answer link end to end in headless Chromium against the real `regie serve`:
the link from the sent e-mail, GET stores nothing, POST stores once, a second POST is refused."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.cli_in_process import regie
from tests.integration.answer_app import ANSWERS_PLAN
from tests.integration.browser import appears, save_artifact
from tests.integration.server import running_server

if TYPE_CHECKING:
    from playwright.sync_api import Page


def latest_updates(env: dict[str, str]) -> list[dict[str, object]]:
    result = regie("status", "--format", "json", env=env)  # answers count for today
    assert result.code == 0, result.err
    return [r["latest_update"] for r in json.loads(result.out) if r["latest_update"]]


@pytest.mark.slow
def test_answer_link_in_a_real_browser(page: Page, tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {"REGIE_HOME": str(home), "REGIE_PLAN": str(ANSWERS_PLAN), "REGIE_DATABASE_URL": ""}
    with running_server(env) as server:
        cycle = regie("cycle", "--as-of", "2025-06-10", env=server.env)
        assert cycle.code == 0, cycle.err
        (mail,) = [p for p in (home / "outbox").rglob("*.eml") if "anna" in p.name]
        text = mail.read_text()
        (link,) = re.findall(r"Antwoorden: (\S+)", text)
        assert link.startswith(server.url + "/antwoord/")

        other_tab = page.context.new_page()
        for tab in (other_tab, page):  # a mail scanner, then the person: GET never stores
            tab.goto(link)
        assert page.get_by_role("heading", name="Update geven").is_visible()
        assert "Knelpuntenkaart" in page.content()
        assert latest_updates(server.env) == []

        page.get_by_label("Risico").check()
        page.get_by_label("Toelichting").fill("Aannemer later; <b>geen</b> opmaak")
        later = (date.today() + timedelta(days=90)).isoformat()  # answers count for today
        page.get_by_label("Verwachte datum gereed").fill(later)
        page.get_by_role("button", name="Versturen").click()
        assert appears(page.get_by_role("heading", name="Dank u, uw antwoord is opgeslagen"))
        save_artifact(page, "answer-link-done.png")
        (update,) = latest_updates(server.env)
        assert update["status"] == "at_risk" and update["author"] == "anna"
        assert update["comment"] == "Aannemer later; <b>geen</b> opmaak"
        assert update["forecast"] == later

        other_tab.get_by_label("Op schema").check()  # the form still open in another tab
        other_tab.get_by_role("button", name="Versturen").click()
        assert appears(other_tab.get_by_text("al gebruikt").first)
        page.go_back()  # not cached (no-store): the form is fetched again and refused
        assert "al gebruikt" in page.content()
        assert len(latest_updates(server.env)) == 1
        assert latest_updates(server.env)[0]["status"] == "at_risk"
        events = regie("events", "--format", "json", env=server.env)
        refused = [e for e in json.loads(events.out) if e["name"] == "regie.answer.refused"]
        assert [e["payload"]["reason"] for e in refused] == ["link_used"]
