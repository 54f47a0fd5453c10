"""The office's web page in headless Chromium against the real `regie serve`: login, filters,
an item's history, the overdue list, calendar tokens, logout; refusals; axe-core; screenshots."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.cli_in_process import regie
from tests.integration.browser import appears, axe_violations, save_artifact
from tests.integration.server import Server, running_server
from web.security import cookie_names

if TYPE_CHECKING:
    from playwright.sync_api import Page

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "plans" / "feeds.yaml"
PASSWORD = "correct horse battery staple"
NOTE = "Wacht op leverancier, offerte; <b>niet</b> vet 🚧"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Server:
    tmp = tmp_path_factory.mktemp("web")
    plan = tmp / "plan.yaml"
    shutil.copy(FIXTURE, plan)
    env = {"REGIE_HOME": str(tmp / "home"), "REGIE_PLAN": str(plan), "REGIE_DATABASE_URL": ""}
    for args in (
        ("sync",),
        ("update", "1.1.2", "--status", "at_risk", "--comment", NOTE, "--author", "kbakker",
         "--as-of", "2016-03-01"),
        ("update", "2.1", "--status", "done", "--as-of", "2016-03-01"),
        ("report", "agenda", "--body", "regieteam", "--meeting", "2016-03-29", "--format", "md",
         "--as-of", "2016-03-01"),
    ):  # fmt: skip
        result = regie(*args, env=env)
        assert result.code == 0, result.err
    added = _regie_stdin(env, PASSWORD + "\n", "user", "add", "office", "--name", "P. Bureau",
                         "--password-stdin")  # fmt: skip
    assert added.returncode == 0, added.stderr
    with running_server(env) as running:
        yield running


def _regie_stdin(env: dict[str, str], text: str, *args: str):  # type: ignore[no-untyped-def]
    import os
    import subprocess
    import sys

    from tests.cli import ROOT

    return subprocess.run(
        [sys.executable, "-m", "regie.cli", *args], input=text, text=True, capture_output=True,
        cwd=ROOT, env={**os.environ, **env}, timeout=120,
    )  # fmt: skip


def log_in(page: Page, server: Server, password: str = PASSWORD) -> None:
    page.goto(server.url + "/")
    assert "/inloggen" in page.url
    page.get_by_label("Gebruikersnaam").fill("office")
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()


def test_office_walks_through_the_programme(page: Page, server: Server) -> None:
    page.goto(server.url + "/inloggen")
    assert axe_violations(page) == []
    log_in(page, server)
    assert page.get_by_role("heading", level=1).inner_text() == "Overzicht van het plan"
    assert page.get_by_role("heading", name="Stap 1: Inventariseren").is_visible()
    assert NOTE in page.content() or "&lt;b&gt;niet&lt;/b&gt;" in page.content()
    assert page.locator("b", has_text="niet").count() == 0  # the note is escaped, not HTML
    assert axe_violations(page) == []
    shot = save_artifact(page, "overview.png")
    assert shot.stat().st_size > 10_000

    # Filters live in the URL, so a view can be shared.
    page.get_by_label("Eigenaar", exact=True).select_option("GEM")
    page.get_by_role("button", name="Filteren").click()
    page.wait_for_url(re.compile("eigenaar=GEM"))
    ids = page.locator("td.item-id").all_inner_texts()
    assert ids == ["2.1"]
    page.goto(server.url + "/?stap=1&status=overdue")
    assert page.get_by_label("Stap", exact=True).input_value() == "1"
    assert set(page.locator("td.item-id").all_inner_texts()) == {"1.1.1", "1.1.2", "1.1.3"}

    # An item's page: full history.
    page.get_by_role("link", name="1.1.1", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("1.1.1 Inventarisatie")
    for heading in ("Statusupdates", "Herinneringen", "Gebeurtenissen", "Planwijzigingen"):
        assert page.get_by_role("heading", name=heading).is_visible()
    assert "aangemaakt" in page.inner_text("main")  # the plan revision that created it
    assert axe_violations(page) == []
    page.goto(server.url + "/items/1.1.2")
    assert "Wacht op leverancier, offerte; <b>niet</b> vet 🚧" in page.inner_text("main")

    # The overdue list, longest overdue first.
    page.get_by_role("link", name="Te laat").first.click()
    page.wait_for_url(re.compile("/te-laat"))  # the whole list loaded, not only the heading
    assert page.get_by_role("heading", level=1).inner_text() == "Te laat"
    overdue_ids = page.locator("td.item-id").all_inner_texts()
    assert "1.1.1" in overdue_ids and "2.1" not in overdue_ids
    assert axe_violations(page) == []
    page.get_by_role("link", name=re.compile(r"^Stap 1: Inventariseren \(\d+\)$")).click()
    page.wait_for_url(re.compile("stap=1"))
    assert set(page.locator("td.item-id").all_inner_texts()) == {"1.1.1", "1.1.2", "1.1.3"}

    # The archived reports, downloadable.
    page.get_by_role("link", name="Rapporten").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Rapporten"
    assert appears(page.get_by_role("cell", name="Regieteam Gezonde Wijk", exact=True))
    # Its date in words, as the row's cells (walk58c 5: the archived title's ISO date before).
    link = page.get_by_role(
        "link", name=re.compile("^Agendapakket Regieteam Gezonde Wijk 29 maart 2016")
    )
    download = page.request.get(server.url + str(link.get_attribute("href")))
    assert download.status == 200 and download.body().startswith(b"#")
    digest = page.locator("td details").first
    digest.locator("summary").click()  # the full hash opens for keyboard and touch too
    shown = digest.locator("code").nth(1).inner_text()
    assert shown == hashlib.sha256(download.body()).hexdigest()
    assert axe_violations(page) == []

    # Calendar tokens: make one, see its URL once, revoke it.
    page.get_by_role("link", name="Agenda-abonnementen").click()
    # The scope is picked by name from the plan, grouped, the id beside it (a native select:
    # keyboard, screen reader, no JavaScript needed).
    picker = page.get_by_role("combobox", name="Bereik")
    assert picker.evaluate("el => el.tagName") == "SELECT"
    groups = page.locator("#bereik optgroup")
    assert [g.get_attribute("label") for g in groups.all()] == [
        "Alles", "Contactpersonen (de deadlines waarover zij worden herinnerd)",
        "Organisaties (de deadlines van hun acties)", "Stappen", "Overleggen (hun vergaderingen)",
    ]  # fmt: skip
    assert picker.input_value() == "programme"  # the first choice
    named = page.locator("#bereik option").all_inner_texts()
    assert "K. Bakker, GGD Regio, afdeling Preventie (kbakker)" in named
    assert "Stap 1: Inventariseren" in named and "Regieteam Gezonde Wijk (regieteam)" in named
    assert axe_violations(page) == []
    # A page left open while the organisation left the plan posts what is no longer there.
    picker.evaluate("el => { el.add(new Option('weg', 'org:NOPE')); el.value = 'org:NOPE'; }")
    page.get_by_role("button", name="Abonnement maken").click()
    assert page.get_by_role("alert").inner_text().count("er is geen organisatie ‘NOPE’") == 1
    assert page.get_by_label("Bereik").get_attribute("aria-invalid") == "true"
    assert axe_violations(page) == []
    page.get_by_label("Bereik").focus()  # chosen with the keyboard: type the first letters
    page.keyboard.type("GGD")
    assert page.get_by_label("Bereik").input_value() == "org:GGD"
    page.get_by_label("Omschrijving (voor wie of waarvoor)").fill("K. Bakker")
    page.get_by_role("button", name="Abonnement maken").click()
    url = page.locator("code.url").inner_text()
    assert re.fullmatch(re.escape(server.url) + r"/calendar/[A-Za-z0-9_-]{32}\.ics", url)
    # The scope by its name, in the new subscription's heading and in the table; the raw
    # code only as a detail beside it.
    made = page.get_by_role("heading", name="Nieuw abonnement voor GGD Regio", exact=False)
    assert made.inner_text().endswith("(org:GGD)")
    cell = page.get_by_role("cell", name="GGD Regio, afdeling Preventie (org:GGD)")
    assert cell.is_visible() and cell.locator("code").inner_text() == "org:GGD"
    assert axe_violations(page) == []
    page.get_by_role("button", name="Intrekken").click()
    assert appears(page.get_by_role("cell", name="ingetrokken"))
    ended = page.request.get(url)  # a calendar that says the subscription ended (not a 404)
    assert ended.status == 200 and "beëindigd" in ended.text()

    # Log out: the session is over.
    page.get_by_role("button", name=re.compile("Uitloggen")).click()
    assert appears(page.get_by_text("U bent uitgelogd."))
    page.goto(server.url + "/te-laat")
    assert "/inloggen" in page.url


def test_wrong_password_and_missing_csrf_are_refused(page: Page, server: Server) -> None:
    log_in(page, server, password="not the password")
    assert "/inloggen" in page.url
    assert page.get_by_role("alert").inner_text().startswith("Er ging iets mis")
    assert page.get_by_label("Gebruikersnaam").input_value() == "office"
    assert axe_violations(page) == []
    refused = page.request.post(
        server.url + "/inloggen", form={"gebruikersnaam": "office", "wachtwoord": PASSWORD}
    )
    assert refused.status == 403
    assert "regie_session" not in str(page.context.cookies())

    # A stale session cookie (expired, or its user disabled) must not spoil the login form.
    stale = cookie_names(server.env.get("REGIE_BASE_URL") or server.url).session
    page.context.add_cookies([{"name": stale, "value": "stale", "url": server.url}])
    log_in(page, server)
    assert page.get_by_role("heading", level=1).inner_text() == "Overzicht van het plan"
    no_token = page.request.post(server.url + "/uitloggen", form={})
    forged = page.request.post(server.url + "/agenda", form={"bereik": "programme",
                                                              "csrf_token": "0" * 64})  # fmt: skip
    assert (no_token.status, forged.status) == (403, 403)
    page.goto(server.url + "/")  # still logged in: the refused logout did nothing
    assert page.get_by_role("heading", level=1).inner_text() == "Overzicht van het plan"


def test_overview_on_a_phone(browser, server: Server) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, is_mobile=True, bypass_csp=True, locale="nl-NL"
    )
    page = context.new_page()
    try:
        log_in(page, server)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375  # no sideways scrolling: tables become cards
        assert axe_violations(page) == []
        save_artifact(page, "overview-phone.png")
    finally:
        context.close()
