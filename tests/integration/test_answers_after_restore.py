"""Answers given with links and Slack buttons sent after the backup a database was restored from
(docs/operations.md, "Restore").

The restored database does not know the link (nor the message it came in): the owner gets a
Dutch page that says the link no longer works, that the answer was not stored and whom to
contact — not a 500, not the site's generic "not found" page, not "damaged" (the owner did
nothing wrong). Nothing is stored, and never against another item, also once the restored
service has sent new links (the rows may get the lost ones' ids). A Slack button names its item
itself: the answer is stored for that item, as the button says.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, time
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from regie.bootstrap import App
from store import Repository
from tests.integration.link_setup import FIRST_DAY, link_app, queue_and_send
from tests.integration.slack_requests import SIGNING_SECRET, button, set_clock, signed
from web.app import create_app

GONE = "Deze link is niet (meer) geldig."
NOT_STORED = "Uw antwoord is niet opgeslagen."
CONTACT = "Neem contact op met het programmabureau"


def _client(app: App) -> TestClient:
    return TestClient(create_app(app), raise_server_exceptions=True)


def _updates(app: App) -> list[tuple[str, str, str | None, str]]:
    with app.session() as session:
        return [
            (u.item_id, u.status.value, u.author, u.source)
            for u in Repository(session, "wegen-test").status_updates()
        ]


def _csrf(page: str) -> str:
    return page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


@pytest.fixture
def restored(migrated_url: str, tmp_path: Path, backup_of: object) -> tuple[App, App, str, str]:
    """(the service before the restore, the service on the restored database, anna's link for
    1.1.1 sent after the backup, the csrf token of the form she opened before the restore)."""
    from regie.services import sync

    before = link_app(migrated_url, tmp_path / "before")
    sync(before, None)  # the backup knows the programme and its items
    backup_url = backup_of(before)  # type: ignore[operator]
    ((item, token),) = queue_and_send(before, FIRST_DAY)["anna"]
    assert item == "1.1.1"
    page = _client(before).get(f"/antwoord/{token}")
    assert page.status_code == 200  # the link works until the restore
    csrf = _csrf(page.text)
    before.engine.dispose()
    after = link_app(backup_url, tmp_path / "after")
    after.settings = replace(after.settings, slack_signing_secret=SIGNING_SECRET)
    return before, after, token, csrf


def _says_the_link_is_gone(page_text: str, *, posted: bool) -> None:
    for text in (GONE, CONTACT):
        assert text in page_text, page_text
    # Opening a link stores nothing: only a submit has an answer that was not stored (walk30 11).
    assert (NOT_STORED in page_text) is posted, page_text
    assert "beschadigd" not in page_text  # the owner did not damage anything
    assert "Naar het overzicht" not in page_text  # not the site's generic "not found" page
    assert "Traceback" not in page_text


def test_a_link_sent_after_the_backup_is_refused_in_dutch_and_stores_nothing(
    restored: tuple[App, App, str, str],
) -> None:
    _, after, token, csrf = restored
    web = _client(after)
    page = web.get(f"/antwoord/{token}")
    assert page.status_code == 404
    _says_the_link_is_gone(page.text, posted=False)
    assert re.search(r"<title>[^<]*Fietsroutes</title>", page.text)
    # The form opened before the restore, sent after it.
    form = {"status": "done", "note": "Klaar", "csrf_token": csrf}
    page = web.post(f"/antwoord/{token}", data=form)
    assert page.status_code == 404
    _says_the_link_is_gone(page.text, posted=True)
    assert _updates(after) == []


def test_new_links_after_the_restore_never_take_an_old_links_answer(
    restored: tuple[App, App, str, str],
) -> None:
    """The restored service sends its reminders again (restore step 4): the new links' rows may
    get the ids the lost ones had; the old link still answers for nothing."""
    _, after, old, csrf = restored
    again = queue_and_send(after, FIRST_DAY)
    new = dict(again["anna"])["1.1.1"]
    assert new != old
    web = _client(after)
    page = web.post(f"/antwoord/{old}", data={"status": "done", "csrf_token": csrf})
    assert page.status_code == 404
    _says_the_link_is_gone(page.text, posted=True)
    assert _updates(after) == []
    page = web.get(f"/antwoord/{new}")
    assert page.status_code == 200
    done = web.post(
        f"/antwoord/{new}",
        data={
            "status": "at_risk",
            "note": "Wacht op de aanbesteding",
            "csrf_token": _csrf(page.text),
        },
    )
    assert done.status_code == 200, done.text
    assert _updates(after) == [("1.1.1", "at_risk", "anna", "email")]


def test_a_slack_button_sent_after_the_backup_answers_for_its_own_item(
    restored: tuple[App, App, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, after, _, _ = restored
    # Pressed on the reminder's day, before 1.1.1's deadline: a bare "Op schema" is an answer.
    set_clock(monkeypatch, datetime.combine(FIRST_DAY, time(10), UTC))
    body, headers = signed(button("U0ANNA", "1.1.1", "on_track"))
    response = _client(after).post("/slack/interactivity", content=body, headers=headers)
    assert response.status_code == 200, response.text
    assert _updates(after) == [("1.1.1", "on_track", "anna", "slack")]
