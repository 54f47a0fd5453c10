"""In headless Chromium against the real `regie serve` (review "owner", findings 1, 3, 4, 8):
the thank-you page says what was recorded and offers "Wijzigen"; the correction form starts
from the answer given; once the office cancels the item, a form still open cannot reopen it,
and the page shows back what was typed."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.cli_in_process import regie
from tests.integration.answer_app import ANSWERS_PLAN
from tests.integration.browser import appears, axe_violations, save_artifact
from tests.integration.server import running_server

if TYPE_CHECKING:
    from playwright.sync_api import Page


def history(env: dict[str, str]) -> list[tuple[str, str]]:
    result = regie("events", "--item", "1.1.1", "--format", "json", env=env)
    assert result.code == 0, result.err
    return [
        (e["payload"]["status"], e["payload"].get("author") or e["payload"].get("contact"))
        for e in json.loads(result.out)
        if e["name"] == "regie.status.updated"
    ]


@pytest.mark.slow
def test_correct_an_answer_then_a_cancellation_stops_an_open_form(
    page: Page, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    env = {"REGIE_HOME": str(home), "REGIE_PLAN": str(ANSWERS_PLAN), "REGIE_DATABASE_URL": ""}
    with running_server(env) as server:
        assert regie("cycle", "--as-of", "2025-06-10", env=server.env).code == 0
        (mail,) = [p for p in (home / "outbox").rglob("*.eml") if "anna" in p.name]
        (link,) = re.findall(r"Antwoorden: (\S+)", mail.read_text())

        page.goto(link)
        assert "Er is nog geen antwoord voor dit punt." in page.content()
        page.get_by_label("Op schema").check()
        later = date.today() + timedelta(days=60)
        page.get_by_label("Verwachte datum gereed").fill(later.isoformat())
        page.get_by_label("Toelichting").fill("Extra ronde met de provincie")
        page.get_by_role("button", name="Versturen").click()
        recorded = page.locator("#vastgelegd").inner_text()
        assert recorded.startswith("Verschoven naar ") and "deadline 30 juni 2025" in recorded
        save_artifact(page, "answer-recorded.png")
        assert axe_violations(page) == []

        page.get_by_role("link", name="Wijzigen").click()
        assert axe_violations(page) == []
        assert page.get_by_label("Op schema").is_checked()
        assert page.get_by_label("Toelichting").input_value() == "Extra ronde met de provincie"
        page.get_by_label("Risico").check()
        page.get_by_role("button", name="Versturen").click()
        assert appears(page.get_by_role("heading", name="Dank u, uw antwoord is opgeslagen"))
        assert [s for s, _ in history(server.env)] == ["on_track", "at_risk"]  # both kept

        page.get_by_role("link", name="Wijzigen").click()  # a second correction, left open
        page.get_by_role("radio", name="Gereed").check()
        page.get_by_label("Verwachte datum gereed").fill("")
        page.get_by_label("Toelichting").fill("Opgeleverd, zie verslag")
        cancel = regie("update", "1.1.1", "--status", "cancelled", "--comment", "Dubbel",
                       env=server.env)  # fmt: skip
        assert cancel.code == 0, cancel.err
        page.get_by_role("button", name="Versturen").click()
        assert appears(page.get_by_role("heading", name="Dit punt is vervallen"))
        assert appears(page.get_by_text("Vervallen gemeld door het programmabureau").first)
        typed = page.get_by_label("Toelichting")  # shown back, to copy
        assert typed.input_value() == "Opgeleverd, zie verslag"
        save_artifact(page, "answer-cancelled.png")
        assert axe_violations(page) == []
        assert [s for s, _ in history(server.env)] == ["on_track", "at_risk", "cancelled"]


@pytest.mark.slow
def test_gereed_after_a_wrong_click_is_stored_in_one_go(page: Page, tmp_path: Path) -> None:
    """walk56b 1, 4: "Wijzigen" after *Op schema* by mistake, then *Gereed* with the form as it
    was filled in (its expected date left in) is stored; once the office answered since, the
    form no longer says it changes the person's own answer."""
    home = tmp_path / "home"
    env = {"REGIE_HOME": str(home), "REGIE_PLAN": str(ANSWERS_PLAN), "REGIE_DATABASE_URL": ""}
    own = "U wijzigt hiermee uw eigen antwoord."
    with running_server(env) as server:
        assert regie("cycle", "--as-of", "2025-06-10", env=server.env).code == 0
        (mail,) = [p for p in (home / "outbox").rglob("*.eml") if "anna" in p.name]
        (link,) = re.findall(r"Antwoorden: (\S+)", mail.read_text())
        page.goto(link)
        page.get_by_label("Op schema").check()
        later = date.today() + timedelta(days=60)
        page.get_by_label("Verwachte datum gereed").fill(later.isoformat())
        page.get_by_role("button", name="Versturen").click()

        page.get_by_role("link", name="Wijzigen").click()
        assert page.get_by_label("Verwachte datum gereed").input_value() == later.isoformat()
        assert appears(page.get_by_text(own))
        page.get_by_role("radio", name="Gereed").check()
        page.get_by_label("Toelichting").fill("Per ongeluk op Op schema gedrukt")
        page.get_by_role("button", name="Versturen").click()
        assert appears(page.get_by_role("heading", name="Dank u, uw antwoord is opgeslagen"))
        assert [s for s, _ in history(server.env)] == ["on_track", "done"]

        page.get_by_role("link", name="Wijzigen").click()
        office = regie("update", "1.1.1", "--status", "at_risk", "--comment", "Nog niet af",
                       env=server.env)  # fmt: skip
        assert office.code == 0, office.err
        page.reload()
        after = page.locator("#wijzigt").inner_text()
        assert after.startswith("Na uw antwoord heeft het programmabureau geantwoord: ‘Risico’")
        assert page.get_by_text(own).count() == 0
        assert axe_violations(page) == []
