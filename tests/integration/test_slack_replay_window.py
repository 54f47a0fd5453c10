"""The Slack replay guard holds as long as Slack's timestamp check accepts a request
(security review finding 4): a request stamped ahead of our clock was accepted again once its
signature had been pruned 5 minutes after arrival. Timestamps more than ``MAX_AHEAD`` in the
future are refused; a signature is kept until both its arrival and its timestamp are old."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from regie.bootstrap import App
from store import Repository, downgrade, make_engine, upgrade
from store.answers import first_seen
from store.models_answers import SlackRequestRow
from tests.integration.slack_requests import (
    BEFORE_DEADLINES,
    button,
    set_clock,
    signed,
    slack_app,
)
from web.app import create_app
from web.slack import MAX_AHEAD, REPLAY_WINDOW

#: Our clock's "now" at the start of a test, in whole seconds (as Slack's timestamps are): a day
#: before the plan's deadlines, where Anna's "Op schema" is an answer (not "Nieuwe datum…").
T0 = BEFORE_DEADLINES


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[float], None]:
    """Set Regie's clock (:func:`governance.clock.utcnow`) to T0 + the given seconds."""

    def at(seconds: float) -> None:
        set_clock(monkeypatch, T0 + timedelta(seconds=seconds))

    at(0)
    return at


@pytest.fixture
def app(migrated_url: str, tmp_path: Path, clock: Callable[[float], None]) -> App:
    return slack_app(migrated_url, tmp_path)


@pytest.fixture
def web(app: App, clock: Callable[[float], None]) -> TestClient:
    return TestClient(create_app(app))


def stored(app: App) -> list[tuple[str, str]]:
    with app.session() as session:
        return [
            (u.item_id, u.status.value) for u in Repository(session, "wegen-test").status_updates()
        ]


def post(web: TestClient, request: tuple[bytes, dict[str, str]]) -> int:
    body, headers = request
    return web.post("/slack/interactivity", content=body, headers=headers).status_code


def stamped(seconds: float) -> tuple[bytes, dict[str, str]]:
    """Anna's button, signed with the timestamp T0 + ``seconds``."""
    return signed(button("U0ANNA", "1.1.1", "on_track"), at=(T0.timestamp() + seconds))


def test_a_timestamp_far_ahead_is_refused_also_when_replayed_later(
    app: App, web: TestClient, clock: Callable[[float], None]
) -> None:
    """The review's request: stamped 290 s ahead, replayed 309 s later. slack-sdk alone
    accepts both (|now - ts| ≤ 300). The first is refused as too far ahead, and remembered:
    the replay, now inside the skew, is refused as one (409). Nothing is stored."""
    request = stamped(290)
    assert post(web, request) == 401
    clock(309)
    assert post(web, request) == 409
    assert stored(app) == []


def test_the_allowed_skew_is_max_ahead(app: App, web: TestClient) -> None:
    ahead = int(MAX_AHEAD.total_seconds())
    assert 0 < ahead <= 60
    assert post(web, stamped(ahead + 1)) == 401
    assert stored(app) == []
    assert post(web, stamped(ahead)) == 200
    assert stored(app) == [("1.1.1", "on_track")]


def test_a_request_stamped_ahead_cannot_be_replayed_after_its_arrival_window(
    app: App, web: TestClient, clock: Callable[[float], None]
) -> None:
    """Stamped as far ahead as allowed: after REPLAY_WINDOW since its arrival Slack's check
    still accepts it, so the guard must still know it."""
    ahead = int(MAX_AHEAD.total_seconds())
    window = int(REPLAY_WINDOW.total_seconds())
    request = stamped(ahead)
    assert post(web, request) == 200
    assert post(web, request) == 409
    clock(window + 1)  # the signature's arrival is older than the window
    assert post(web, request) == 409
    clock(ahead + window)  # the last second Slack's check accepts the timestamp
    assert post(web, request) == 409
    clock(ahead + window + 1)  # now stale: refused by the timestamp check
    assert post(web, request) == 401
    assert stored(app) == [("1.1.1", "on_track")]


def test_a_normal_request_is_accepted_once(
    app: App, web: TestClient, clock: Callable[[float], None]
) -> None:
    window = int(REPLAY_WINDOW.total_seconds())
    request = stamped(0)
    assert post(web, request) == 200
    clock(1)
    assert post(web, request) == 409
    clock(window)
    assert post(web, request) == 409
    clock(window + 1)
    assert post(web, request) == 401
    assert stored(app) == [("1.1.1", "on_track")]


def _signatures(session: Session) -> list[str]:
    return sorted(session.scalars(sa.select(SlackRequestRow.signature)))


def test_signatures_are_kept_until_arrival_and_timestamp_are_old(engine: Engine) -> None:
    """Store level, both databases: a signature is pruned only once both its arrival and the
    request's own time lie more than the window back; a replay inside that is refused."""
    window = timedelta(minutes=5)

    def seen(signature: str, at: float, request: float | None = None) -> bool:
        now = T0 + timedelta(seconds=at)
        when = None if request is None else T0 + timedelta(seconds=request)
        with Session(engine) as session, session.begin():
            return first_seen(session, signature, now, window, when)

    assert seen("ahead", 0, request=290)
    assert seen("past", 0, request=-10)
    assert seen("envelope", 0)  # no timestamp (Socket Mode envelopes): by arrival
    assert not seen("ahead", 1, request=290)
    # 309 s on: arrival-only pruning forgot "ahead", though its timestamp is 19 s old
    assert seen("other", 309)
    assert not seen("ahead", 309, request=290)
    with Session(engine) as session:
        assert _signatures(session) == ["ahead", "other"]  # "past" and "envelope" pruned
    assert seen("later", 591)  # 290 + 300 + 1: now "ahead" goes too
    with Session(engine) as session:
        assert _signatures(session) == ["later", "other"]


def test_0020_gives_existing_signatures_their_arrival_as_request_time(database_url: str) -> None:
    arrived = datetime(2016, 1, 4, 9, 30, tzinfo=UTC)
    upgrade(database_url, "0019")
    engine = make_engine(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                sa.text("INSERT INTO slack_requests (signature, received_at) VALUES ('s', :at)"),
                {"at": arrived},
            )
        upgrade(database_url, "0020")
        with Session(engine) as session:
            row = session.scalars(sa.select(SlackRequestRow)).one()
            assert (row.signature, row.received_at, row.request_time) == ("s", arrived, arrived)
        with engine.begin() as conn, pytest.raises(sa.exc.IntegrityError):
            conn.execute(  # every row has one from now on
                sa.text("INSERT INTO slack_requests (signature, received_at) VALUES ('t', :at)"),
                {"at": arrived},
            )
        downgrade(database_url, "0019")
        columns = {c["name"] for c in sa.inspect(engine).get_columns("slack_requests")}
        assert "request_time" not in columns
        with engine.begin() as conn:
            assert conn.execute(
                sa.text("SELECT signature FROM slack_requests")
            ).scalars().all() == ["s"]
        upgrade(database_url)
    finally:
        engine.dispose()
