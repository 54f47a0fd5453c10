"""A mail outage of a few hours (ops review, finding 1): while the relay is down only the message
actually tried uses up an attempt, the others wait untried; once it is back every message goes
out once; a dead message is said by `regie send` (exit 1) and revived by `regie outbox retry`.
A real SMTP server (aiosmtpd), stopped then started, and a real database (SQLite, PostgreSQL)."""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from governance.clock import utcnow
from regie.bootstrap import App, bootstrap
from regie.config import load_settings
from regie.cycle import deadline_check, send_reminders
from store.models import EventRow, OutboxRow
from tests.cli_in_process import regie
from tests.fakes.smtp import SmtpServer
from tests.integration.mail_setup import CONTACTS, DAY, mail_env, outbox_rows

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning", "ignore::DeprecationWarning")


@pytest.fixture
def relay() -> SmtpServer:
    """The relay, down until a test starts it (``with relay:``)."""
    return SmtpServer()


#: A second IenM contact: the office answers for none of IenM's items (ienm does, walk49 4),
#: so without one the day queues six messages, as many as the outage's runs try.
SECOND_IENM = """\
  - id: ienm2
    name: I. Tweede
    organisation: IenM
    email: ienm2@example.nl
"""


@pytest.fixture
def env(tmp_path: Path, migrated_url: str, relay: SmtpServer) -> dict[str, str]:
    (tmp_path / "contacts.yaml").write_text(CONTACTS + SECOND_IENM, encoding="utf-8")
    return mail_env(tmp_path, migrated_url, relay, REGIE_OPERATOR="beheerder")


def _app(env: dict[str, str]) -> App:
    return bootstrap(load_settings(env))


def _backoff_passed(app: App) -> None:
    """As if the back-off of every failed message had run out (hours pass during an outage)."""
    with app.session() as session, session.begin():
        session.execute(
            sa.update(OutboxRow)
            .where(OutboxRow.status == "failed")
            .values(next_attempt_at=utcnow() - timedelta(minutes=1))
        )


def _day_passed(app: App) -> None:
    """As if the messages tried had been tried first a day and an hour ago."""
    with app.session() as session, session.begin():
        session.execute(
            sa.update(OutboxRow)
            .where(OutboxRow.first_attempt_at.is_not(None))
            .values(first_attempt_at=utcnow() - timedelta(hours=25))
        )


def test_an_outage_uses_up_only_the_attempts_tried_and_all_go_out_once_after(
    env: dict[str, str], relay: SmtpServer
) -> None:
    app = _app(env)  # the relay is down
    # The owners asked a week before (recorded as given, as a replay does): the day's overdue
    # prompts and the escalations that follow their grace make more than the six runs try.
    deadline_check(app, DAY - timedelta(days=7), replay=True)
    queued = deadline_check(app, DAY).queued
    assert len(queued) >= 7  # more than the six runs try
    for _ in range(6):  # the 15-minute send timer, six runs during the outage
        report = send_reminders(app)
        assert report.stopped is not None and "not reachable" in report.stopped
        assert report.sent == [] and len(report.failed) == 1  # only the message tried
    rows = {k: r for k, r in outbox_rows(app).items() if k in queued}  # not the replay's
    tried = {k: r for k, r in rows.items() if r.attempts}
    untried = {k: r for k, r in rows.items() if not r.attempts}
    # Each run tried one message (the one before waits for its back-off): six attempts in all.
    assert sorted(r.attempts for r in tried.values()) == [1] * 6
    assert {r.status for r in tried.values()} == {"failed"}
    assert len(untried) == len(queued) - 6
    assert {r.status for r in untried.values()} == {"pending"}
    assert all(r.claim_token is None for r in untried.values())

    with relay:  # the relay is back
        _backoff_passed(app)
        report = send_reminders(app)
        assert report.failed == [] and sorted(report.sent) == sorted(queued)
        assert send_reminders(app).sent == []
    delivered = Counter(m["X-Regie-Key"] for m in relay.mails())
    assert delivered == Counter(queued)  # each exactly once
    assert {r.status for k, r in outbox_rows(app).items() if k in queued} == {"sent"}


def test_a_dead_message_fails_send_until_outbox_retry_revives_it(
    env: dict[str, str], relay: SmtpServer
) -> None:
    app = _app(env)
    queued = deadline_check(app, DAY).queued
    for _ in range(5):  # hours of outage: the first message uses up its five attempts
        _backoff_passed(app)
        send_reminders(app)
    rows = outbox_rows(app)
    # Five attempts within hours: not dead yet (the give-up window, 24 h, has not passed).
    assert not [k for k, r in rows.items() if r.status == "dead"]
    [key] = [k for k, r in rows.items() if r.attempts == 5]
    assert rows[key].status == "failed"
    _day_passed(app)  # the outage goes on for a day: the next failure is its last
    _backoff_passed(app)
    send_reminders(app)
    rows = outbox_rows(app)
    dead = sorted(k for k, r in rows.items() if r.status == "dead")
    assert dead == [key] and rows[key].attempts == 6

    with relay:
        sent = regie("send", env=env)
        # Everything else goes out; the dead one is said, and the run is not a success.
        assert sent.code == 1, sent.out + sent.err
        assert f"dead (no more attempts, not sent): 1 message: {key}" in sent.err
        assert "regie outbox retry --all-dead --yes" in sent.err
        assert len(relay.mails()) == len(queued) - 1
        assert regie("send", env=env).code == 1  # still dead: still said
        cycle = regie("cycle", "--as-of", DAY.isoformat(), env=env)
        assert cycle.code == 1 and f"1 message: {key}" in cycle.err, cycle.out + cycle.err

        dry = regie("outbox", "retry", "--key", key, env=env)
        assert dry.code == 0, dry.err
        assert "dry run: nothing changed" in dry.out
        assert outbox_rows(app)[key].status == "dead"
        assert regie("outbox", "retry", env=env).code == 2  # --key or --all-dead
        assert regie("outbox", "retry", "--key", "nope", env=env).code == 2

        done = regie("outbox", "retry", "--all-dead", "--yes", env=env)
        assert done.code == 0, done.err
        assert f"retrying 1 message: {key}" in done.out
        row = outbox_rows(app)[key]
        assert (row.status, row.attempts) == ("pending", 0)

        again = regie("send", env=env)
        assert again.code == 0, again.out + again.err
        assert "email: 1 sent, 0 failed" in again.out and "dead" not in again.err
        assert regie("send", env=env).code == 0
        delivered = Counter(m["X-Regie-Key"] for m in relay.mails())
        assert delivered == Counter(queued)
    with app.session() as session:
        events = session.scalars(
            sa.select(EventRow).where(EventRow.name == "regie.outbox.retried")
        ).all()
    assert [(e.payload["messages"], e.payload["by"]) for e in events] == [([key], "beheerder")]
    listed = json.loads(regie("outbox", "--status", "sent", "--format", "json", env=env).out)
    assert key in {r["key"] for r in listed}


def test_after_a_restore_the_cycle_queues_without_sending_and_mark_sent_keeps_them_back(
    env: dict[str, str], relay: SmtpServer
) -> None:
    """Ops review, finding 10: `regie cycle --no-send` queues without delivering, so the office
    can mark the messages that went out before the restore as sent; `regie send` sends the rest
    once, never the marked ones."""
    with relay:
        cycle = regie("cycle", "--as-of", DAY.isoformat(), "--no-send", env=env)
        assert cycle.code == 0, cycle.out + cycle.err
        assert "--no-send" in cycle.out and relay.mails() == []
        app = _app(env)
        rows = outbox_rows(app)
        assert {r.status for r in rows.values()} == {"pending"} and len(rows) >= 2
        gone, *rest = sorted(rows)
        dry = regie("outbox", "mark-sent", gone, env=env)
        assert dry.code == 0 and "dry run" in dry.out and outbox_rows(app)[gone].status == "pending"
        assert regie("outbox", "mark-sent", "nope", env=env).code == 2
        done = regie("outbox", "mark-sent", gone, "--yes", env=env)
        assert done.code == 0, done.err
        assert outbox_rows(app)[gone].status == "sent"
        again = regie("outbox", "mark-sent", gone, "--yes", env=env)
        assert again.code == 2 and "(sent)" in again.err  # a sent message stays as it is
        sent = regie("send", env=env)
        assert sent.code == 0, sent.out + sent.err
        assert sorted(m["X-Regie-Key"] for m in relay.mails()) == rest
    with app.session() as session:
        events = session.scalars(
            sa.select(EventRow).where(EventRow.name == "regie.outbox.marked_sent")
        ).all()
    assert [(e.payload["messages"], e.payload["by"]) for e in events] == [([gone], "beheerder")]


def test_after_an_outage_a_failed_message_is_said_waiting_and_outbox_retry_sends_it_now(
    env: dict[str, str], relay: SmtpServer
) -> None:
    """walk31, finding 4: once the relay is back, the message tried during the outage waits for
    its back-off (up to 12 h); `regie send` says how many wait and when the next is tried,
    `regie outbox` shows each one's next attempt, and `regie outbox retry` makes it due now —
    without ever sending a sent message again."""
    from regie.history import office_time
    from regie.services import office_zone

    app = _app(env)  # the relay is down
    queued = deadline_check(app, DAY).queued
    send_reminders(app)  # the first message tried and failed; the rest wait untried
    [key] = [k for k, r in outbox_rows(app).items() if r.status == "failed"]
    with app.session() as session, session.begin():  # the back-off after a long outage
        session.execute(
            sa.update(OutboxRow)
            .where(OutboxRow.key == key)
            .values(next_attempt_at=utcnow() + timedelta(hours=12))
        )
    due = outbox_rows(app)[key].next_attempt_at
    assert due is not None

    with relay:
        sent = regie("send", env=env)
        assert sent.code == 0, sent.out + sent.err
        assert f"email: {len(queued) - 1} sent, 0 failed" in sent.out
        shown = office_time(due, office_zone(app))
        assert f"waiting for a later attempt: 1 message, next attempt {shown}" in sent.out
        assert "regie outbox retry --all-failed --yes" in sent.out

        listed = json.loads(regie("outbox", "--format", "json", env=env).out)
        by_key = {r["key"]: r for r in listed}
        assert by_key[key]["status"] == "failed"
        assert by_key[key]["next_attempt_at"] == due.isoformat()
        assert {r["next_attempt_at"] for k, r in by_key.items() if k != key} == {None}
        table = regie("outbox", "--status", "failed", env=env)
        assert f"next attempt {shown}" in " ".join(table.out.split()), table.out

        # A sent message is refused, with its status: it never goes out twice.
        other = next(k for k in queued if k != key)
        refused = regie("outbox", "retry", "--key", other, "--yes", env=env)
        assert refused.code == 2 and f"{other} (sent)" in refused.err, refused.err
        dry = regie("outbox", "retry", "--all-failed", env=env)
        assert dry.code == 0 and f"would retry 1 message: {key}" in dry.out, dry.err
        assert outbox_rows(app)[key].next_attempt_at == due
        done = regie("outbox", "retry", "--key", key, "--yes", env=env)
        assert done.code == 0, done.err
        assert f"due now, attempts kept: 1 failed message: {key}" in done.out
        row = outbox_rows(app)[key]
        assert (row.status, row.attempts) == ("failed", 1)

        again = regie("send", env=env)
        assert again.code == 0, again.out + again.err
        assert "email: 1 sent, 0 failed" in again.out and "waiting" not in again.out
        assert regie("outbox", "retry", "--all-failed", "--yes", env=env).out.startswith(
            "no failed messages"
        )
        delivered = Counter(m["X-Regie-Key"] for m in relay.mails())
        assert delivered == Counter(queued)  # each exactly once
    with app.session() as session:
        events = session.scalars(
            sa.select(EventRow).where(EventRow.name == "regie.outbox.retried")
        ).all()
    assert [(e.payload["due_now"], e.payload["by"]) for e in events] == [([key], "beheerder")]
