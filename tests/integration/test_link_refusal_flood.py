"""A used, expired or replaced link cannot fill the audit log (security review, finding 3).

A refusal is recorded only for a person's attempt: the form's own token (an HMAC of the link's
id, checkable after the link stopped working) and well-formed fields; and then at most once per
link, reason and clock hour.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from starlette.testclient import TestClient

from regie.answer_links import REFUSAL_WINDOW, csrf_token
from regie.bootstrap import App
from store import Repository
from tests.integration.link_setup import FIRST_DAY, link_app, queue_and_send
from tests.integration.server import TEST_SECRET_KEY
from web.app import create_app

REFUSED = "regie.answer.refused"


@pytest.fixture
def app(migrated_url: str, tmp_path: Path) -> App:
    return link_app(migrated_url, tmp_path)


def refusals(app: App) -> list[dict[str, object]]:
    with app.session() as session:
        return [
            dict(e.payload) for e in Repository(session, "wegen-test").events() if e.name == REFUSED
        ]


def used_link(app: App) -> tuple[TestClient, str, str]:
    """A link answered once; its form token (what the person's open form still carries)."""
    ((_, token),) = queue_and_send(app, FIRST_DAY)["anna"]
    web = TestClient(create_app(app))
    form_token = csrf_token(TEST_SECRET_KEY, token.partition(".")[0])
    assert f'value="{form_token}"' in web.get(f"/antwoord/{token}").text
    done = web.post(
        f"/antwoord/{token}",
        data={"status": "at_risk", "note": "Wacht op de aanbesteding", "csrf_token": form_token},
    )
    assert done.status_code == 200, done.text
    assert refusals(app) == []
    return web, token, form_token


def test_fifty_posts_without_the_forms_token_to_a_used_link_add_no_event(app: App) -> None:
    web, token, _ = used_link(app)
    junk = "x" * 1500
    for n in range(50):
        page = web.post(
            f"/antwoord/{token}",
            data={"status": "done", "note": junk, "csrf_token": "whatever" if n % 2 else "A" * 22},
        )
        assert page.status_code == 409
        assert "al gebruikt" in page.text
    assert web.post(f"/antwoord/{token}").status_code == 409  # an empty body
    assert refusals(app) == []


def test_malformed_fields_with_the_right_token_add_no_event(app: App) -> None:
    web, token, form_token = used_link(app)
    for data in (
        {"status": "<junk>", "csrf_token": form_token},
        {"status": "", "csrf_token": form_token},
        {"status": "at_risk", "forecast": "morgen", "csrf_token": form_token},
        {"status": "at_risk", "note": "x" * 2001, "csrf_token": form_token},
    ):
        page = web.post(f"/antwoord/{token}", data=data)
        assert page.status_code == 409, data
    assert refusals(app) == []


def test_a_genuine_attempt_is_recorded_once_per_link_reason_and_hour(app: App) -> None:
    web, token, form_token = used_link(app)
    again = {"status": "done", "note": "nogmaals", "csrf_token": form_token}
    for _ in range(5):
        assert web.post(f"/antwoord/{token}", data=again).status_code == 409
    (event,) = refusals(app)
    assert event == {
        "reason": "link_used",
        "channel": "email",
        "contact": "anna",
        "item": "1.1.1",
        "status": "done",
        "detail": None,
    }
    # The next window: one more line for the same link and reason, then quiet again.
    from governance import clock

    later = clock.utcnow() + REFUSAL_WINDOW + timedelta(minutes=1)
    with mock.patch("governance.clock.utcnow", return_value=later):
        for _ in range(3):
            assert web.post(f"/antwoord/{token}", data=again).status_code == 409
    assert [e["reason"] for e in refusals(app)] == ["link_used", "link_used"]
