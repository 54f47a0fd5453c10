"""When the outbox gives a message up (outage2): not after five attempts in ≈ 2 h 36 min, but
only when its first attempt is also a day old (REGIE_OUTBOX_GIVE_UP_HOURS), so a mail outage of
hours kills nothing; migration 0022 keeps the first attempt's time. A real SMTP server
(aiosmtpd), real databases (SQLite, PostgreSQL), the senders' clock moved on by the test."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from regie.bootstrap import App, bootstrap
from regie.config import load_settings
from regie.cycle import deadline_check, send_reminders
from regie.errors import InvalidInput
from store import make_engine, outbox
from store.db import downgrade, upgrade
from tests.fakes.smtp import SmtpServer
from tests.integration.mail_setup import CONTACTS, DAY, Clock, mail_env, outbox_rows

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning", "ignore::DeprecationWarning")


def _app(tmp_path: Path, url: str, relay: SmtpServer, **extra: str) -> App:
    return bootstrap(load_settings(mail_env(tmp_path, url, relay, **extra)))


def _statuses(app: App) -> Counter[str]:
    return Counter(r.status for r in outbox_rows(app).values())


def test_a_three_hour_outage_then_recovery_delivers_every_message(
    tmp_path: Path, migrated_url: str, sender_clock: Clock
) -> None:
    relay = SmtpServer()  # down
    app = _app(tmp_path, migrated_url, relay)
    queued = deadline_check(app, DAY).queued
    start = sender_clock.now
    # The send timer every 15 minutes for three hours and a quarter, the relay down throughout:
    # the first message is tried at 0, 15, 30, 60 and 180 minutes (its back-offs 1 m, 5 m,
    # 30 m and 2 h), its fifth attempt; the old rule made it dead there.
    while sender_clock.now - start <= timedelta(hours=3, minutes=15):
        report = send_reminders(app)
        assert report.sent == [] and report.dead == []
        sender_clock.now += timedelta(minutes=15)
    tried = _statuses(app)
    assert tried["dead"] == 0 and tried["failed"] >= 2, tried
    assert max(r.attempts for r in outbox_rows(app).values()) == 5

    with relay:  # back: the timer goes on (hourly here) until every message has gone out
        while _statuses(app)["sent"] < len(queued) and sender_clock.now - start < timedelta(days=1):
            send_reminders(app)
            sender_clock.now += timedelta(hours=1)
    assert _statuses(app) == Counter(sent=len(queued))
    assert Counter(m.mail["X-Regie-Key"] for m in relay.received) == Counter(queued)  # once each


def test_a_message_failing_for_over_a_day_goes_dead_and_the_setting_shortens_the_window(
    tmp_path: Path, migrated_url: str, sender_clock: Clock
) -> None:
    relay = SmtpServer()  # down for good
    app = _app(tmp_path, migrated_url, relay)
    deadline_check(app, DAY)
    start = sender_clock.now
    dead: list[str] = []
    while not dead and sender_clock.now - start < timedelta(days=3):
        dead = send_reminders(app).dead
        sender_clock.now += timedelta(minutes=15)
    assert len(dead) == 1
    with app.session() as session:
        row = outbox.message(session, app.programme_id(), dead[0])
    assert row is not None and row.attempts >= 5
    # Dead on the first failure after the day, not at the fifth attempt (2 h 36 min).
    assert timedelta(days=1) <= sender_clock.now - start <= timedelta(days=1, hours=13)

    shorter = _app(tmp_path, migrated_url, relay, REGIE_OUTBOX_GIVE_UP_HOURS="0")
    assert shorter.settings.outbox_give_up_hours == 0
    sender_clock.now += timedelta(hours=1)
    before = _statuses(app)["dead"]
    others: list[str] = []
    begun = sender_clock.now
    while not others and sender_clock.now - begun < timedelta(days=1):
        others = send_reminders(shorter).dead
        sender_clock.now += timedelta(minutes=15)
    # 0 hours: dead at the fifth attempt, as before this change (≈ 2 h 36 min).
    assert len(others) == 1 and _statuses(app)["dead"] == before + 1
    assert sender_clock.now - begun < timedelta(hours=4)


def test_a_message_no_channel_reaches_is_dead_after_its_attempts_alone(
    tmp_path: Path, migrated_url: str, sender_clock: Clock
) -> None:
    """No e-mail address (Unreachable): waiting does not help, so the old rule stays."""
    with SmtpServer() as relay:
        app = _app(tmp_path, migrated_url, relay)
        (tmp_path / "contacts.yaml").write_text(
            CONTACTS.replace("    email: telos@example.nl\n", ""), encoding="utf-8"
        )
        app = bootstrap(app.settings)
        queued = deadline_check(app, DAY).queued
        unreachable = [k for k in queued if ":telos:" in k]
        assert unreachable
        start = sender_clock.now
        dead: list[str] = []
        while sender_clock.now - start < timedelta(hours=6):
            dead += send_reminders(app).dead
            sender_clock.now += timedelta(minutes=15)
    assert sorted(dead) == sorted(unreachable)  # after 5 attempts (≈ 2 h 36 min), not a day
    rows = outbox_rows(app)
    assert {rows[k].attempts for k in unreachable} == {5}
    assert "geen e-mailadres" in str(rows[unreachable[0]].last_error)


@pytest.mark.parametrize("value", ["-1", "x", "145", "nan", "inf"])
def test_the_give_up_setting_is_checked(value: str, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="REGIE_OUTBOX_GIVE_UP_HOURS"):
        load_settings({"REGIE_HOME": str(tmp_path), "REGIE_OUTBOX_GIVE_UP_HOURS": value})
    settings = load_settings({"REGIE_HOME": str(tmp_path), "REGIE_OUTBOX_GIVE_UP_HOURS": "36.5"})
    assert settings.outbox_give_up_hours == 36.5
    assert load_settings({"REGIE_HOME": str(tmp_path)}).outbox_give_up_hours is None


def test_0022_up_and_down_keep_the_rows_and_the_triggers(database_url: str) -> None:
    upgrade(database_url, "0021")
    engine = make_engine(database_url)
    at = datetime(2026, 12, 1, 7, 0, tzinfo=UTC)
    try:
        with engine.begin() as c:
            c.execute(
                sa.text(
                    "INSERT INTO programmes (id, title, created_at, updated_at) "
                    "VALUES ('p', 'P', :at, :at)"
                ),
                {"at": at.replace(tzinfo=None)},
            )
            for key, status, attempts in (
                ("a", "sent", 1),
                ("b", "failed", 3),
                ("c", "pending", 0),
            ):
                c.execute(
                    sa.text(
                        "INSERT INTO outbox (programme_id, key, kind, recipient, recipient_name, "
                        "subject, body_text, payload, created_on, status, attempts, created_at) "
                        "VALUES ('p', :key, 'reminder_digest', 'x', 'X', 's', 't', '{}', "
                        ":on, :status, :attempts, :at)"
                    ),
                    {"key": key, "status": status, "attempts": attempts, "on": DAY,
                     "at": at.replace(tzinfo=None)},
                )  # fmt: skip
        rows = "SELECT key, status, attempts FROM outbox ORDER BY key"
        with engine.connect() as c:
            before = c.execute(sa.text(rows)).all()

        upgrade(database_url, "0022")
        engine.dispose()
        with engine.begin() as c:
            assert c.execute(sa.text(rows)).all() == before
            assert set(c.execute(sa.text("SELECT first_attempt_at FROM outbox")).scalars()) == {
                None
            }
            c.execute(sa.text("UPDATE outbox SET first_attempt_at = created_at WHERE key = 'b'"))
        _triggers_hold(engine)

        downgrade(database_url, "0021")
        engine.dispose()
        with engine.connect() as c:
            assert c.execute(sa.text(rows)).all() == before
            columns = {col["name"] for col in sa.inspect(c).get_columns("outbox")}
        assert "first_attempt_at" not in columns
        _triggers_hold(engine)
        upgrade(database_url)  # and up again
    finally:
        engine.dispose()


def _triggers_hold(engine: sa.Engine) -> None:
    """A sent row stays unchanged and no row is deleted, after the migration as before."""
    for statement in (
        "UPDATE outbox SET subject = 'changed' WHERE key = 'a'",
        "DELETE FROM outbox WHERE key = 'c'",
    ):
        with pytest.raises(sa.exc.DatabaseError), engine.begin() as c:
            c.execute(sa.text(statement))
