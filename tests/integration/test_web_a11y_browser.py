"""Accessibility checks in headless Chromium against the real `regie serve` (WCAG 2.1 AA, as
EN 301 549 asks of Dutch government sites): reflow at 320 CSS pixels (1.4.10) with the long
Dutch compounds of a real plan, phone cards that do not read the column name twice (1.3.1),
the owner's answer form and the login page after a failed POST (focus, title, invalid fields:
3.3.1, 4.1.2) and the Dutch 503 page; axe-core finds nothing serious on them."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.cli_in_process import regie
from tests.integration.answer_app import ANSWERS_PLAN
from tests.integration.browser import appears, axe_violations, save_artifact
from tests.integration.server import Server, running_server
from tests.integration.test_web_browser import PASSWORD, _regie_stdin, log_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "plans" / "feeds.yaml"
PHONE = {"width": 320, "height": 640}
#: Titles from the seed plan that are one long word at a heading's size.
LONG_ACTION = "Ontwikkelen systematiek benchmark op organisatieontwikkelingsniveau"
LONG_ITEM = "Opdrachtformulering"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Server:
    tmp = tmp_path_factory.mktemp("a11y")
    plan = tmp / "plan.yaml"
    shutil.copy(FIXTURE, plan)
    text = plan.read_text(encoding="utf-8")
    text = text.replace("title: Wijkscan uitvoeren", f"title: {LONG_ACTION}", 1)
    text = text.replace("title: Vervolgmeting", f"title: {LONG_ITEM}", 1)
    plan.write_text(text, encoding="utf-8")
    env = {"REGIE_HOME": str(tmp / "home"), "REGIE_PLAN": str(plan), "REGIE_DATABASE_URL": ""}
    assert regie("sync", env=env).code == 0
    added = _regie_stdin(env, PASSWORD + "\n", "user", "add", "office", "--name", "P. Bureau",
                         "--password-stdin")  # fmt: skip
    assert added.returncode == 0, added.stderr
    for decision in (  # for the Besluiten page: a long text and every effect column
        ("--item", "1.1.3", "--text", f"{LONG_ITEM}: {LONG_ACTION} blijft ongewijzigd"),
        ("--set-gereed", "2.1", "2017", "--text", "Wijkaanpak later starten"),
    ):
        made = regie("decision", "add", "--body", "regieteam", "--meeting", "2016-03-29",
                     *decision, env=env)  # fmt: skip
        assert made.code == 0, made.err
    with running_server(env) as running:
        yield running


def _page_width(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def test_pages_reflow_at_320_pixels(page: Page, server: Server) -> None:
    log_in(page, server)
    page.set_viewport_size(PHONE)
    widths = {}
    page.goto(server.url + "/")
    assert page.get_by_role("heading", name=f"1.1 {LONG_ACTION}").is_visible()
    widths["overview"] = _page_width(page)
    page.goto(server.url + "/items/1.1.3")
    assert page.get_by_role("heading", level=1).inner_text() == f"1.1.3 {LONG_ITEM}"
    widths["item"] = _page_width(page)
    page.goto(server.url + "/agenda")
    page.get_by_label("Bereik").select_option("programme")
    page.get_by_role("button", name="Abonnement maken").click()
    assert appears(page.locator('a[href^="webcal:"]'))
    widths["agenda with a new subscription"] = _page_width(page)
    page.goto(server.url + "/besluiten?stap=1")
    assert page.get_by_role("link", name="1.1.3", exact=True).is_visible()
    widths["decisions"] = _page_width(page)
    save_artifact(page, "agenda-320.png")
    assert {name: w for name, w in widths.items() if w > PHONE["width"]} == {}


def test_phone_cards_do_not_read_the_column_name_twice(page: Page, server: Server) -> None:
    """On a phone a row is a card whose cells show their column's name; the cell stays under
    its column header for a screen reader, so the shown name is not part of the cell's."""
    log_in(page, server)
    page.set_viewport_size(PHONE)
    page.goto(server.url + "/")
    label = page.locator('td[data-label="Stand"]').first
    assert label.is_visible()
    shown = page.evaluate("el => getComputedStyle(el, '::before').content", label.element_handle())
    assert "Stand" in shown or "attr" in shown  # the label is still shown
    cdp = page.context.new_cdp_session(page)
    nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    cells = [
        n["name"]["value"]
        for n in nodes
        if n.get("role", {}).get("value") in ("cell", "gridcell") and n.get("name")
    ]
    assert cells, "no table cells in the accessibility tree"
    labels = ("Nr:", "Stand:", "Mijlpaal:", "Gereed:", "Deadline:", "Eigenaar:")
    assert [c for c in cells if c.startswith(labels)] == []


def test_the_decisions_page_on_a_phone(page: Page, server: Server) -> None:
    """Besluiten at 375 pixels: each decision a card (its cells labelled, no sideways scroll),
    the filter form usable; axe finds nothing serious, with and without a bad filter."""
    log_in(page, server)
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(server.url + "/besluiten")
    menu = page.get_by_role("link", name="Besluiten", exact=True)
    assert menu.get_attribute("aria-current") == "page"
    cell = page.locator('td[data-label="Gevolg"]').first
    assert cell.is_visible()
    assert page.evaluate("el => getComputedStyle(el).display", cell.element_handle()) != (
        "table-cell"  # a card: the cells stack
    )
    assert _page_width(page) <= 375
    assert axe_violations(page) == []
    page.get_by_label("Gevolg").select_option("set_gereed")
    page.get_by_role("button", name="Filteren").click()
    page.wait_for_url(re.compile("gevolg=set_gereed"))
    assert page.locator('td[data-label="Gevolg"]').all_inner_texts() == [
        "gereed bijgesteld: 2016 → 2017"
    ]
    save_artifact(page, "besluiten-375.png")
    page.goto(server.url + "/besluiten?stap=x")
    assert page.locator(".error-summary").is_visible()
    assert axe_violations(page) == []
    # walk58c 6: as the forms say theirs, the title says so, the problem links to its field,
    # which is invalid and described by it.
    assert page.title().startswith("Fout: Besluiten")
    link = page.locator(".error-summary").get_by_role(
        "link", name="Stap: het plan heeft geen stap ‘x’."
    )
    assert link.get_attribute("href") == "#stap"
    field = page.get_by_label("Stap", exact=True)
    assert field.get_attribute("aria-invalid") == "true"
    assert (
        field.evaluate(
            "el => document.getElementById(el.getAttribute('aria-describedby')).textContent"
        )
        == "Stap: het plan heeft geen stap ‘x’."
    )
    assert page.get_by_label("Gevolg").get_attribute("aria-invalid") is None
    link.click()
    assert page.evaluate("document.activeElement.id") == "stap"


def test_the_answer_form_after_a_failed_post(page: Page, tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {"REGIE_HOME": str(home), "REGIE_PLAN": str(ANSWERS_PLAN), "REGIE_DATABASE_URL": ""}
    with running_server(env) as server:
        cycle = regie("cycle", "--as-of", "2025-06-10", env=server.env)
        assert cycle.code == 0, cycle.err
        (mail,) = [p for p in (home / "outbox").rglob("*.eml") if "anna" in p.name]
        (link,) = re.findall(r"Antwoorden: (\S+)", mail.read_text())
        page.goto(link)
        title = page.title()
        assert title.startswith("Update geven – ")
        assert axe_violations(page) == []
        # No status, a date the form cannot take (typed where the browser has no date control).
        page.locator("#forecast").evaluate("el => { el.type = 'text'; el.value = '22016-03-10'; }")
        page.get_by_role("button", name="Versturen").click()
        assert page.title() == "Fout: " + title
        summary = page.locator(".error-summary")
        assert page.evaluate("document.activeElement.classList.contains('error-summary')")
        assert "22016-03-10" in summary.inner_text()
        group = page.get_by_role("radiogroup", name="Stand (verplicht)")
        assert group.get_attribute("aria-invalid") == "true"
        assert page.get_by_role("radio", name="Op schema").get_attribute("required") is not None
        forecast = page.get_by_label("Verwachte datum gereed")
        assert forecast.get_attribute("aria-invalid") == "true"
        assert forecast.input_value() == ""
        described = forecast.evaluate(
            "el => el.getAttribute('aria-describedby').split(' ')"
            ".map(id => document.getElementById(id).textContent.trim())"
        )
        assert described[0].startswith("Kies een datum met de kalender bij het veld.")
        assert "‘22016-03-10’ is geen datum" in described[1]
        assert axe_violations(page) == []
        save_artifact(page, "answer-form-errors.png")
        summary.get_by_role("link", name="Kies een stand.").click()
        assert page.evaluate("document.activeElement.id") == "status"


def test_the_login_page_after_a_wrong_password(page: Page, server: Server) -> None:
    """Walk29 finding 12: as the answer form after a failed POST — the title says so, the
    error block has the focus, both fields are invalid and described by the message."""
    page.goto(server.url + "/inloggen")
    title = page.title()
    assert title.startswith("Inloggen – ")
    page.get_by_label("Gebruikersnaam").fill("office")
    page.get_by_label("Wachtwoord").fill("not the password")
    page.get_by_label("Wachtwoord").press("Enter")
    assert appears(page.locator(".error-summary"))
    assert page.title() == "Fout: " + title
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    for label in ("Gebruikersnaam", "Wachtwoord"):
        field = page.get_by_label(label)
        assert field.get_attribute("aria-invalid") == "true", label
        described = field.evaluate(
            "el => document.getElementById(el.getAttribute('aria-describedby')).textContent"
        )
        assert "de gebruikersnaam of het wachtwoord klopt niet" in described, label
    assert axe_violations(page) == []
    save_artifact(page, "login-error.png")


def test_the_login_page_with_an_empty_field(page: Page, server: Server) -> None:
    """walk58c 4: the form has ``novalidate`` and marks its fields *(verplicht)*: an empty
    password reaches the server, which says so in Dutch in the summary, linked to the field
    (before, Chromium's own bubble in the browser's language was the only error)."""
    page.goto(server.url + "/inloggen")
    title = page.title()
    page.get_by_label("Gebruikersnaam (verplicht)").fill("office")
    page.get_by_role("button", name="Inloggen").click()
    summary = page.locator(".error-summary")
    assert appears(summary)
    assert page.title() == "Fout: " + title
    link = summary.get_by_role("link", name="Vul uw wachtwoord in.")
    assert link.get_attribute("href") == "#wachtwoord"
    field = page.get_by_label("Wachtwoord (verplicht)")
    assert field.get_attribute("aria-invalid") == "true"
    assert (
        field.evaluate(
            "el => document.getElementById(el.getAttribute('aria-describedby')).textContent"
        )
        == "Vul uw wachtwoord in."
    )
    assert page.get_by_label("Gebruikersnaam").get_attribute("aria-invalid") is None
    assert page.get_by_label("Gebruikersnaam").input_value() == "office"
    assert axe_violations(page) == []
    link.click()
    assert page.evaluate("document.activeElement.id") == "wachtwoord"


def test_the_unavailable_page_passes_axe(page: Page, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    shutil.copy(FIXTURE, plan)
    env = {"REGIE_HOME": str(tmp_path / "home"), "REGIE_PLAN": str(plan),
           "REGIE_DATABASE_URL": ""}  # fmt: skip
    assert regie("sync", env=env).code == 0
    with running_server(env) as server:
        with plan.open("a") as broken:
            broken.write("  - broken: [\n")
        response = page.goto(server.url + "/antwoord/abc")
        assert response is not None and response.status == 503
        assert page.evaluate("document.documentElement.lang") == "nl"
        assert page.get_by_role("heading", level=1).inner_text() == (
            "Regie is tijdelijk niet beschikbaar"
        )
        assert axe_violations(page) == []
