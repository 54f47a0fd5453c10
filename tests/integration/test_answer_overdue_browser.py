"""The answer link of an overdue item in headless Chromium against the real `regie serve`:
the new date is the form's first question, the statuses say what they mean for an overdue
item, and a date years ahead or a *Risico* without a note is an error at its field before
anything is stored."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.cli_in_process import regie
from tests.integration.answer_app import ANSWERS_PLAN
from tests.integration.browser import axe_violations, save_artifact
from tests.integration.server import running_server

if TYPE_CHECKING:
    from playwright.sync_api import Page


def forecasts(env: dict[str, str]) -> list[str | None]:
    result = regie("status", "--format", "json", env=env)  # answers count for today
    assert result.code == 0, result.err
    return [r["latest_update"]["forecast"] for r in json.loads(result.out) if r["latest_update"]]


@pytest.mark.slow
def test_an_overdue_items_form_asks_the_new_date_first(page: Page, tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {"REGIE_HOME": str(home), "REGIE_PLAN": str(ANSWERS_PLAN), "REGIE_DATABASE_URL": ""}
    with running_server(env) as server:
        # Asked in June 2025; opened today, long past the item's deadline (30 juni 2025).
        assert regie("cycle", "--as-of", "2025-06-10", env=server.env).code == 0
        (mail,) = [p for p in (home / "outbox").rglob("*.eml") if "anna" in p.name]
        (link,) = re.findall(r"Antwoorden: (\S+)", mail.read_text())

        page.goto(link)
        assert "De deadline is verstreken." in page.content()
        first = page.locator("form input:not([type=hidden]), form fieldset").first
        assert first.get_attribute("id") == "forecast"  # before the status
        assert page.get_by_label("Nieuwe verwachte datum gereed").is_visible()
        radios = page.get_by_role("radio")
        parents = [radios.nth(n).locator("xpath=..") for n in range(3)]
        labels = [" ".join(p.inner_text().split()) for p in parents]
        assert labels[0] == "Op schema, met de nieuwe datum hierboven"
        assert labels[1].startswith("Risico: loopt vast of hulp nodig")
        assert axe_violations(page) == []

        # Risico here is "loopt vast": without a word of what is stuck, an error at the note
        # (walk32c 5), nothing stored.
        page.get_by_label("Risico: loopt vast").check()
        page.get_by_role("button", name="Versturen").click()
        assert "wat er vastloopt" in page.locator("#note-fout").inner_text()
        assert page.locator("#note").get_attribute("aria-invalid") == "true"
        assert forecasts(server.env) == []
        assert axe_violations(page) == []

        too_far = date.today() + timedelta(days=3 * 366)  # answers count for today
        page.get_by_label("Nieuwe verwachte datum gereed").fill(too_far.isoformat())
        page.get_by_label("Op schema").check()
        page.get_by_role("button", name="Versturen").click()
        assert "meer dan 2 jaar vooruit" in page.locator("#forecast-fout").inner_text()
        assert forecasts(server.env) == []
        assert axe_violations(page) == []

        later = date.today() + timedelta(days=30)
        page.get_by_label("Nieuwe verwachte datum gereed").fill(later.isoformat())
        page.get_by_label("Op schema").check()
        page.get_by_role("button", name="Versturen").click()
        assert page.locator("#vastgelegd").inner_text().startswith("Verschoven naar ")
        save_artifact(page, "answer-overdue-new-date.png")
        assert forecasts(server.env) == [later.isoformat()]
