"""After an answer, the thank-you page offers the same message's other items (review "owner",
finding 12: a digest of five items meant five mails' worth of clicking): each with the very link
the mail holds, only while it may still be answered, and never a link issued anew."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from regie.bootstrap import App
from regie.cycle import deadline_check, send_reminders
from tests.integration.link_setup import LINK, delivered_text, link_app
from tests.integration.test_answer_standing import csrf, text
from web.app import create_app

DAY = date(2025, 9, 15)  # anna's digest: 1.1.1 (overdue) and 1.1.2 (due soon)
KEY = "reminder:wegen-test:anna:2025-09-15:digest"


@pytest.fixture
def app(migrated_url: str, tmp_path: Path) -> App:
    return link_app(migrated_url, tmp_path)


def _links(app: App) -> list[str]:
    deadline_check(app, DAY)
    send_reminders(app)
    mail = delivered_text(app, KEY)
    assert re.findall(r"^- (\S+) ", mail, flags=re.M) == ["1.1.1", "1.1.2"]
    return [token for _, token in LINK.findall(mail)]


def _answer(web: TestClient, token: str) -> str:
    form = web.get(f"/antwoord/{token}")
    assert form.status_code == 200
    page = web.post(f"/antwoord/{token}", data={"status": "done", "csrf_token": csrf(form.text)})
    assert page.status_code == 200, page.text
    return page.text


def test_the_thank_you_page_offers_the_messages_other_items(app: App) -> None:
    first, second = _links(app)
    web = TestClient(create_app(app))
    page = _answer(web, first)
    shown = text(page)
    assert "Andere punten uit hetzelfde bericht" in shown
    assert "1.1.2 Prioriteiten" in shown and "1.1.1 Knelpuntenkaart" in shown  # answered one
    offered = re.findall(r'href="/antwoord/([^"]+)"', page.split('id="andere-punten"', 1)[1])
    assert offered == [second]  # the mail's own link, not a new one
    # Answered through the offer, the last item leaves nothing more to offer.
    last = _answer(web, second)
    assert 'id="andere-punten"' not in last
    # And the first item, already answered, is not offered again on a later page either.
    assert first not in last


def test_an_item_answered_elsewhere_is_not_offered(app: App) -> None:
    first, second = _links(app)
    web = TestClient(create_app(app))
    _answer(web, second)  # the second item first, through its own link
    page = _answer(web, first)
    assert 'id="andere-punten"' not in page
