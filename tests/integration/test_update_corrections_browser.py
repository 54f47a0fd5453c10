"""The item page's "Corrigeren" form in Chromium (walk28 #12): an officer corrects the latest
update, sees a refused date at its field, and then the history ties the correction to the
corrected update; the page stays accessible (axe) throughout."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.cli_in_process import regie
from tests.integration.browser import appears, axe_violations
from tests.integration.server import Server, running_server
from tests.integration.test_web_browser import FIXTURE, PASSWORD, _regie_stdin, log_in

if TYPE_CHECKING:
    from playwright.sync_api import Page


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("corrections")
    plan = tmp / "plan.yaml"
    shutil.copy(FIXTURE, plan)
    env = {"REGIE_HOME": str(tmp / "home"), "REGIE_PLAN": str(plan), "REGIE_DATABASE_URL": ""}
    for args in (
        ("sync",),
        ("update", "1.1.2", "--status", "done", "--comment", "Klaar", "--author", "kbakker",
         "--as-of", "2016-03-01"),
    ):  # fmt: skip
        result = regie(*args, env=env)
        assert result.code == 0, result.err
    added = _regie_stdin(env, PASSWORD + "\n", "user", "add", "office", "--name", "P. Bureau",
                         "--password-stdin")  # fmt: skip
    assert added.returncode == 0, added.stderr
    with running_server(env) as running:
        yield running


def test_an_officer_corrects_an_update_in_the_browser(page: Page, server: Server) -> None:
    log_in(page, server)
    page.goto(server.url + "/items/1.1.2")
    assert page.get_by_role("heading", name="Laatste update corrigeren").is_visible()
    assert page.get_by_label("Stand", exact=True).input_value() == "done"  # from the update
    assert axe_violations(page) == []

    page.get_by_label("Stand", exact=True).select_option("on_track")
    page.get_by_label("Verwachte datum gereed").fill("2016-06-30")  # before today: refused
    page.get_by_label("Reden van de correctie").fill("Correctie: nog niet vastgesteld")
    page.get_by_role("button", name="Correctie vastleggen").click()
    assert appears(page.get_by_role("alert"))
    assert "De verwachte datum ligt in het verleden." in page.get_by_role("alert").inner_text()
    field = page.get_by_label("Verwachte datum gereed")
    assert field.get_attribute("aria-invalid") == "true"
    assert page.get_by_label("Reden van de correctie").input_value().startswith("Correctie:")
    assert axe_violations(page) == []

    # Gereed with an expected date typed in: refused at the field as on the owner's form, not
    # stored without it (fix57e 1).
    page.get_by_label("Stand", exact=True).select_option("done")
    page.get_by_role("button", name="Correctie vastleggen").click()
    assert appears(page.get_by_role("alert"))
    said = page.get_by_role("alert").inner_text()
    assert "Een verwachte datum hoort niet bij ‘gereed’ of ‘vervallen’." in said, said
    assert field.get_attribute("aria-invalid") == "true"
    assert field.input_value() == "2016-06-30"

    page.get_by_label("Stand", exact=True).select_option("at_risk")
    field.fill("")
    page.get_by_role("button", name="Correctie vastleggen").click()
    page.wait_for_url("**/items/1.1.2#update-2")
    history = page.locator("#update-2").inner_text()
    assert "Correctie van de update van 1 maart 2016 (K. Bakker" in history
    corrected = page.locator("#update-1")
    assert "gecorrigeerd op" in corrected.inner_text()
    assert corrected.locator("del").first.inner_text() == "gereed"
    assert axe_violations(page) == []


def test_an_empty_reason_is_the_server_s_dutch_error_not_the_browser_s(
    page: Page, server: Server
) -> None:
    """walk58c 4: the form has ``novalidate`` and its reason says *(verplicht)*: an empty reason
    reaches the server, whose summary says it in Dutch and links to the field (before, Chromium
    showed its own bubble, "Please fill out this field.", and sent nothing). A completion date
    past the programme's end names its field. Nothing is recorded."""
    log_in(page, server)
    page.goto(server.url + "/items/1.1.2")
    updates = page.locator("[id^='update-']").count()
    reason = page.get_by_label("Reden van de correctie (verplicht)")
    assert reason.is_visible()
    page.get_by_label("Stand", exact=True).select_option("done")
    page.locator("#correctie-completed_on").fill("2031-02-01")
    reason.fill("")
    page.get_by_role("button", name="Correctie vastleggen").click()
    assert appears(page.get_by_role("alert"))
    assert page.title().startswith("Fout: ")
    links = page.get_by_role("alert").get_by_role("link")
    said = {
        links.nth(n).inner_text(): links.nth(n).get_attribute("href") for n in range(links.count())
    }
    assert said.get("Geef de reden van de correctie.") == "#correctie-note", said
    past_end = [text for text, href in said.items() if href == "#correctie-completed_on"]
    assert past_end and past_end[0].startswith("Datum gereed: deze datum ligt te ver na"), said
    assert page.get_by_label("Reden van de correctie").get_attribute("aria-invalid") == "true"
    assert page.locator("[id^='update-']").count() == updates
    assert axe_violations(page) == []
