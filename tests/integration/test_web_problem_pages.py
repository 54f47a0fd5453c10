"""Pages for problems are Dutch HTML pages in the site's layout (lang, title, heading: WCAG 2.1
3.1.1, 2.4.2, 1.3.1), not plain text: the 503 an owner sees when they click an answer link while
the plan file is broken (status code and Retry-After kept, no server detail without a login),
and the 404 for revoking a calendar subscription that does not exist."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from starlette.testclient import TestClient

from regie.users import add_user, log_in
from tests.integration.feed_clients import synced_app
from tests.integration.test_web_item_page import visible
from web.app import create_app
from web.security import session_cookie_name

PASSWORD = "een lang wachtwoord 123"


def _is_a_dutch_page(html: str) -> tuple[str, str]:
    """(the title, the first heading), after checking the page is Dutch HTML with both."""
    assert re.search(r'<html lang="nl">', html), html[:200]
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    h1 = re.search(r"<h1>(.*?)</h1>", html, re.S)
    assert title and h1, html
    return visible(title[1]), visible(h1[1])


def _office(web: TestClient, app: object) -> TestClient:
    now = datetime.now(UTC)
    add_user(app, "office", PASSWORD, "P. Bureau", now)  # type: ignore[arg-type]
    session = log_in(app, "office", PASSWORD, now)  # type: ignore[arg-type]
    assert session is not None
    return TestClient(web.app, cookies={session_cookie_name(app): session})  # type: ignore[arg-type]


def test_the_unavailable_page_is_a_dutch_page_without_server_details(
    tmp_path: Path, migrated_url: str
) -> None:
    app = synced_app(tmp_path, migrated_url)
    client = TestClient(create_app(app))
    with app.settings.plan_path.open("a") as plan:
        plan.write("  - broken: [\n")
    for page in (client.get("/antwoord/abc"), client.post("/antwoord/abc", data={})):
        assert page.status_code == 503
        assert page.headers["retry-after"] == "300"
        assert page.headers["content-type"].startswith("text/html")
        title, heading = _is_a_dutch_page(page.text)
        assert title.startswith("Tijdelijk niet beschikbaar – ")
        assert heading == "Regie is tijdelijk niet beschikbaar"
        assert "Probeer het over een paar minuten opnieuw." in visible(page.text)
        text = page.text.lower()
        assert str(app.settings.plan_path).lower() not in text and "yaml" not in text
        assert "kan deze pagina nu niet tonen" not in text
    # The programme office, logged in, is told what to fix, on the same kind of page.
    office = _office(client, app).get("/")
    assert office.status_code == 503 and office.headers["retry-after"] == "300"
    _, heading = _is_a_dutch_page(office.text)
    assert heading == "Regie is tijdelijk niet beschikbaar"
    assert "Regie kan deze pagina nu niet tonen: " in visible(office.text)
    assert str(app.settings.plan_path) in visible(office.text)


def test_revoking_an_unknown_subscription_gets_the_not_found_page(
    tmp_path: Path, migrated_url: str
) -> None:
    app = synced_app(tmp_path, migrated_url)
    office = _office(TestClient(create_app(app)), app)
    agenda = office.get("/agenda")
    csrf = agenda.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    from regie.feeds import create_token

    made = create_token(app, "programme", None, datetime.now(UTC))
    fullwidth = "".join(chr(ord(d) - ord("0") + 0xFF10) for d in str(made.id))
    # A real token's id in another script's digits is no id of ours either (walk57b 9).
    for token_id in ("9999", "geen-nummer", fullwidth):
        page = office.post(f"/agenda/{token_id}/intrekken", data={"csrf_token": csrf})
        assert page.status_code == 404, token_id
        assert page.headers["content-type"].startswith("text/html")
        title, heading = _is_a_dutch_page(page.text)
        assert title.startswith("Abonnement niet gevonden – ") and heading == title.split(" – ")[0]
        shown = visible(page.text)
        assert "Er is geen abonnement met dit nummer." in shown
        assert "Uitloggen" in shown  # the menu, as on the office's other pages
