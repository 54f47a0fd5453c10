"""POST /slack/interactivity: signature, replay guard, buttons and the modal, user mapping."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from regie.bootstrap import App
from store import Repository
from tests.integration.slack_requests import (
    BEFORE_DEADLINES,
    button,
    set_clock,
    sign,
    signed,
    slack_app,
    submission,
)
from web.app import create_app

REQUEST_ONLY = pytest.mark.one_database(
    "a request's checks before any write, from SQL this file's other PostgreSQL tests run"
)


@pytest.fixture
def app(migrated_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> App:
    # A day before the plan's deadlines: a bare "Op schema" is an answer (not "Nieuwe datum…").
    set_clock(monkeypatch, BEFORE_DEADLINES)
    return slack_app(migrated_url, tmp_path)


@pytest.fixture
def web(app: App) -> TestClient:
    return TestClient(create_app(app))


def stored(app: App) -> list[tuple[str, str, str | None, str]]:
    with app.session() as session:
        return [
            (u.item_id, u.status.value, u.author, u.source)
            for u in Repository(session, "wegen-test").status_updates()
        ]


def refused(app: App) -> list[str]:
    with app.session() as session:
        events = Repository(session, "wegen-test").events()
    return [str(e.payload["reason"]) for e in events if e.name == "regie.answer.refused"]


def post(web: TestClient, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    response = web.post("/slack/interactivity", content=body, headers=headers)
    return response.status_code, response.text


def test_a_button_stores_the_answer_once(app: App, web: TestClient) -> None:
    body, headers = signed(button("U0ANNA", "1.1.1", "on_track"))
    assert post(web, body, headers)[0] == 200
    assert stored(app) == [("1.1.1", "on_track", "anna", "slack")]
    code, _ = post(web, body, headers)  # the same request again: a replay
    assert code == 409
    assert stored(app) == [("1.1.1", "on_track", "anna", "slack")]


@REQUEST_ONLY
@pytest.mark.parametrize(
    "tamper",
    [
        lambda b, h: (b, {**h, "x-slack-signature": "v0=" + "0" * 64}),  # wrong signature
        lambda b, h: (b + b"x", h),  # body changed after signing
        lambda b, h: (b, {k: v for k, v in h.items() if k != "x-slack-signature"}),
        lambda b, h: (b, {**h, "x-slack-request-timestamp": "yesterday"}),
    ],
)
def test_unsigned_requests_are_refused(app: App, web: TestClient, tamper: object) -> None:
    body, headers = tamper(*signed(button("U0ANNA", "1.1.1", "done")))  # type: ignore[operator]
    assert post(web, body, headers)[0] == 401
    assert stored(app) == [] and refused(app) == []


@REQUEST_ONLY
def test_a_stale_timestamp_is_refused(app: App, web: TestClient) -> None:
    stale = BEFORE_DEADLINES.timestamp() - 6 * 60  # by Regie's clock
    body, headers = signed(button("U0ANNA", "1.1.1", "done"), at=stale)
    assert post(web, body, headers)[0] == 401
    assert stored(app) == []


@REQUEST_ONLY
def test_wrong_secret_is_refused(app: App, web: TestClient) -> None:
    body, headers = signed(button("U0ANNA", "1.1.1", "done"), secret="another-secret")
    assert post(web, body, headers)[0] == 401


@REQUEST_ONLY
@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"payload=",
        b"payload=%7B",
        b"payload=null",
        b"payload=%5B%5D",
        b"payload=%FF",
        b"a=b&c",
    ],
)
def test_malformed_payloads_are_400(app: App, web: TestClient, body: bytes) -> None:
    assert post(web, *sign(body))[0] == 400
    assert stored(app) == []


def test_a_foreign_user_is_refused_and_logged(app: App, web: TestClient) -> None:
    body, headers = signed(button("U0CARLA", "1.1.1", "done"))
    assert post(web, body, headers)[0] == 200  # acknowledged; the person is told in Slack
    assert stored(app) == []
    assert refused(app) == ["unknown_contact"]


def test_not_the_owner_is_refused_and_logged(app: App, web: TestClient) -> None:
    from store.answers import remember_slack_user

    with app.session() as session, session.begin():
        from regie.services import utcnow

        remember_slack_user(session, "wegen-test", "U0CARLA", "carla", None, utcnow())
    body, headers = signed(button("U0CARLA", "1.1.1", "done"))
    assert post(web, body, headers)[0] == 200
    assert stored(app) == []
    assert refused(app) == ["not_owner"]


@REQUEST_ONLY
def test_modal_submission_with_field_errors_comes_back_as_errors(app: App, web: TestClient) -> None:
    code, text = post(web, *signed(submission("U0ANNA", "1.1.1", None, note="x")))
    assert code == 200
    assert '"response_action":"errors"' in text.replace(" ", "") and "status" in text
    assert "Kies een stand." in json.loads(text)["errors"].values()  # the form's word
    code, text = post(web, *signed(submission("U0ANNA", "1.1.1", "on_track", note="x" * 2001)))
    assert '"note"' in text and "2.000" in text  # as the answer form writes it (walk56b 7)
    code, text = post(web, *signed(submission("U0ANNA", "1.1.1", "done", forecast="2025-09-01")))
    assert '"forecast"' in text
    assert stored(app) == []


def test_modal_submission_stores_status_note_and_forecast(app: App, web: TestClient) -> None:
    later = (BEFORE_DEADLINES.date() + timedelta(days=90)).isoformat()  # answers count for today
    payload = submission("U0ANNA", "1.1.2", "at_risk", note="*vet* <!channel>", forecast=later)
    code, text = post(web, *signed(payload))
    assert code == 200 and text == ""
    with app.session() as session:
        (update,) = Repository(session, "wegen-test").status_updates()
    assert (update.item_id, update.status.value, update.author) == ("1.1.2", "at_risk", "anna")
    assert update.comment == "*vet* <!channel>"
    assert str(update.forecast) == later


@REQUEST_ONLY
def test_cancelled_by_an_owner_is_refused_in_the_modal(app: App, web: TestClient) -> None:
    code, text = post(web, *signed(submission("U0ANNA", "1.1.1", "cancelled")))
    assert code == 200 and "programmabureau" in text
    assert stored(app) == [] and refused(app) == ["office_only"]


@REQUEST_ONLY
def test_not_configured_is_404(app: App) -> None:
    app.settings = replace(app.settings, slack_signing_secret=None)
    web = TestClient(create_app(app))
    assert post(web, *signed(button("U0ANNA", "1.1.1", "done")))[0] == 404


def test_an_answer_and_its_replay_guard_are_one_transaction(app: App, web: TestClient) -> None:
    """One COMMIT per Slack answer (the signature is recorded with the answer), and a replay
    rolls back whatever it would have written: a refused attempt is logged once, not twice."""
    import sqlalchemy as sa

    commits: list[object] = []
    sa.event.listen(app.engine, "commit", commits.append)
    body, headers = signed(button("U0ANNA", "1.1.1", "on_track"))
    assert post(web, body, headers)[0] == 200
    assert len(commits) == 1
    body, headers = signed(button("U0CARLA", "1.1.1", "done"))  # unknown: refused and logged
    assert post(web, body, headers)[0] == 200
    assert post(web, body, headers)[0] == 409
    assert refused(app) == ["unknown_contact"]
    assert stored(app) == [("1.1.1", "on_track", "anna", "slack")]


def test_a_modal_opening_is_replay_guarded_on_its_own(app: App, web: TestClient) -> None:
    from notifications.slack_answer_blocks import MODAL

    payload = button("U0ANNA", "1.1.1", "on_track")
    payload["actions"][0]["action_id"] = payload["actions"][0]["action_id"].replace(
        "on_track", MODAL
    )
    body, headers = signed(payload)
    assert post(web, body, headers)[0] == 200
    assert post(web, body, headers)[0] == 409
    assert stored(app) == []


def test_a_signature_rolled_back_with_a_refused_answer_is_still_recorded(app: App) -> None:
    """An answer refused after the guard ran (e.g. its item is not in the database yet) rolls
    the signature back with it: the guard must not count as done, so it is recorded alone and
    the same request cannot be replayed."""
    import pytest

    from regie.slack_answers import Replayed, ReplayGuard

    guard = ReplayGuard("sig-rolled-back")
    with pytest.raises(RuntimeError), app.session() as session, session.begin():
        guard(session)
        raise RuntimeError("refused after the guard")
    assert not guard.done
    guard.alone(app)
    assert guard.done
    with pytest.raises(Replayed), app.session() as session, session.begin():
        ReplayGuard("sig-rolled-back")(session)


def _from(payload: dict[str, object], team: str | None, app_id: str | None) -> dict[str, object]:
    """The payload as Slack sends it from workspace ``team`` and app ``app_id``."""
    return {
        **payload,
        **({"team": {"id": team, "domain": "x"}} if team else {}),
        **({"api_app_id": app_id} if app_id else {}),
    }


@pytest.mark.parametrize(
    ("team", "app_id"),
    [("T0OTHER", "A0REGIE"), ("T0REGIE", "A0OTHER"), (None, "A0REGIE"), ("T0REGIE", None)],
)
def test_another_workspace_or_app_is_refused_when_configured(
    app: App, team: str | None, app_id: str | None
) -> None:
    from store.models_answers import SlackRequestRow

    app.settings = replace(app.settings, slack_team_id="T0REGIE", slack_app_id="A0REGIE")
    web = TestClient(create_app(app))
    with app.session() as session:
        seen = session.query(SlackRequestRow).count()
    for payload in (
        button("U0ANNA", "1.1.1", "done"),
        submission("U0ANNA", "1.1.1", "done", note="Klaar"),
    ):
        body, headers = signed(_from(payload, team, app_id))
        assert post(web, body, headers) == (401, "invalid or stale signature\n")
    assert stored(app) == [] and refused(app) == []  # nothing stored, nothing logged
    with app.session() as session:
        assert session.query(SlackRequestRow).count() == seen  # not even the signature
    # From the workspace and app configured: taken as always.
    body, headers = signed(_from(button("U0ANNA", "1.1.1", "on_track"), "T0REGIE", "A0REGIE"))
    assert post(web, body, headers)[0] == 200
    assert stored(app) == [("1.1.1", "on_track", "anna", "slack")]


@REQUEST_ONLY
def test_socket_mode_payloads_are_checked_the_same_way(app: App) -> None:
    from regie.slack_answers import ForeignOrigin, Malformed, handle_interaction

    app.settings = replace(app.settings, slack_team_id="E0ORG")  # an organisation-wide install
    plan = app.load_plan()
    payload = _from(button("U0ANNA", "1.1.1", "done"), "T0OTHER", "A0REGIE")
    with pytest.raises(ForeignOrigin) as refused_here:
        handle_interaction(app, plan, payload, date(2025, 6, 2))
    assert isinstance(refused_here.value, Malformed)  # the listener logs it and acks empty
    assert stored(app) == []
    payload["enterprise"] = {"id": "E0ORG"}
    handle_interaction(app, plan, payload, date(2025, 6, 2))
    assert [s[:2] for s in stored(app)] == [("1.1.1", "done")]


@REQUEST_ONLY
def test_unset_workspace_and_app_are_not_checked(app: App, web: TestClient) -> None:
    assert (app.settings.slack_team_id, app.settings.slack_app_id) == (None, None)
    body, headers = signed(_from(button("U0ANNA", "1.1.1", "on_track"), "T0ANY", "A0ANY"))
    assert post(web, body, headers)[0] == 200
    assert stored(app) == [("1.1.1", "on_track", "anna", "slack")]
