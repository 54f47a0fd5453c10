"""Retention beyond the outbox (retention49): `regie prune` does what `regie outbox prune`
does and, in the same transaction, erases old bounces' address and server words (keeping the
bounce that marks a contact's address as bouncing now, and every row's dedupe key), deletes
web sessions that are over and Slack look-ups older than the cut-off; a dry run changes
nothing, a second run prunes nothing, the operator is recorded. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from regie.bootstrap import App
from regie.bounces import bouncing
from store import bounces, downgrade, upgrade
from store.models import ProgrammeRow
from store.models_answers import SlackUserRow
from store.models_delivery import MailBounceRow, SlackLookupRow
from store.models_web import UserRow, WebSessionRow
from tests.cli_in_process import regie
from tests.integration.answer_app import ANSWERS_PLAN, answers_app
from tests.integration.mail_setup import Clock, sender_clock

__all__ = ["sender_clock"]  # the fixture, used by name

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC) + timedelta(days=600)
OLD = NOW - timedelta(days=599)  # past a 400-day cut-off
RECENT = NOW - timedelta(days=10)


def _bounce(session: Session, programme: str, contact: str, key: str, when: datetime,
            *, permanent: bool = True) -> None:  # fmt: skip
    sent = bounces.SentMessage(programme, f"reminder:{contact}:{key}", contact, "N.", None)
    assert bounces.record(
        session, sent, dedupe_key=f"{contact}-{key}", email=f"{contact}@example.org",
        permanent=permanent, status="5.1.1" if permanent else "4.2.2",
        diagnostic=f"550 <{contact}@example.org> no such user", reported_at=when, now=when,
    )  # fmt: skip


def _seed(session: Session, programme: str) -> None:
    """anna: an old and a recent bounce (bouncing by the recent one); carla: one old bounce,
    still her address's latest (bouncing by it); bram: an old delay. Sessions expired, ended,
    live; Slack look-ups old and fresh."""
    _bounce(session, programme, "anna", "old", OLD)
    _bounce(session, programme, "bram", "delay", OLD, permanent=False)
    _bounce(session, programme, "carla", "old", OLD + timedelta(hours=1))
    _bounce(session, programme, "anna", "recent", RECENT)
    user = UserRow(username="kim", password_hash="x", created_at=OLD)
    session.add(user)
    session.flush()
    for token, expires, ended in (
        ("expired", NOW - timedelta(hours=1), None),
        ("ended", NOW + timedelta(hours=5), NOW - timedelta(hours=2)),
        ("live", NOW + timedelta(hours=5), None),
    ):
        session.add(WebSessionRow(token_hash=token, user_id=user.id, created_at=NOW - timedelta(
            hours=8), expires_at=expires, ended_at=ended))  # fmt: skip
    for email, when in (("old@example.org", OLD), ("fresh@example.org", RECENT)):
        session.add(SlackLookupRow(email=email, user_id="U1", looked_up_at=when))
    for slack_id, when in (("U0OLD", OLD), ("U0NEW", RECENT)):
        session.add(SlackUserRow(programme_id=programme, slack_user_id=slack_id,
                                 contact_code="anna", email=None, looked_up_at=when))  # fmt: skip
    session.commit()


def _tables(session: Session) -> dict[str, list[tuple[object, ...]]]:
    tables = {"bounces": MailBounceRow, "sessions": WebSessionRow, "lookups": SlackLookupRow,
              "users": SlackUserRow}  # fmt: skip
    return {
        name: sorted(
            (tuple(r) for r in session.execute(sa.select(model.__table__)).tuples()), key=repr
        )
        for name, model in tables.items()
    }


def _bouncing(app: App) -> dict[str, str]:
    with app.session() as session:
        return {c: b.bounce.dedupe_key for c, b in bouncing(session, app.load_plan()).items()}


def test_prune_erases_what_is_old_and_keeps_what_a_decision_needs(
    migrated_url: str, tmp_path: Path, sender_clock: Clock
) -> None:
    home = tmp_path / "home"
    env = {"REGIE_HOME": str(home), "REGIE_PLAN": str(ANSWERS_PLAN)}
    env["REGIE_DATABASE_URL"] = migrated_url
    assert regie("cycle", "--as-of", "2025-06-10", env=env).code == 0  # messages to prune too
    files = sorted((home / "outbox").glob("*.eml"))
    assert files
    sender_clock.now = NOW
    app = answers_app(migrated_url, home)
    with app.session() as session:
        programme = session.scalars(sa.select(ProgrammeRow.id)).one()
        _seed(session, programme)
        before = _tables(session)
    marked = _bouncing(app)
    assert marked == {"anna": "anna-recent", "carla": "carla-old"}

    dry = regie("prune", "--older-than", "400d", env=env)
    assert dry.code == 0, dry.err
    assert "would erase the address and server's words of 2 bounce(s)" in dry.out, dry.out
    assert "1 kept whole: it marks a contact's address as bouncing now" in dry.out
    assert "would delete 2 web session(s) expired or ended" in dry.out
    assert "would delete 1 Slack e-mail look-up(s) and 1 Slack user(s)" in dry.out
    assert f"and remove {len(files)} file copies" in dry.out
    assert "dry run: nothing changed (add --yes to prune)" in dry.out
    with app.session() as session:
        assert _tables(session) == before
    assert all(f.exists() for f in files)

    done = regie("--operator", "a.avg", "prune", "--older-than", "400d", "--yes", env=env)
    assert done.code == 0, done.err
    assert "erased the address and server's words of 2 bounce(s)" in done.out, done.out
    assert "deleted 2 web session(s)" in done.out
    assert "recorded (regie.outbox.pruned, regie.data.pruned)" in done.out
    assert not list((home / "outbox").glob("*.eml"))
    with app.session() as session:
        rows = {
            r.dedupe_key: r for r in session.execute(sa.select(MailBounceRow.__table__)).mappings()
        }
        sessions = set(session.scalars(sa.select(WebSessionRow.token_hash)))
        lookups = set(session.scalars(sa.select(SlackLookupRow.email)))
        users = set(session.scalars(sa.select(SlackUserRow.slack_user_id)))
    # Old and not marking anyone: address and words gone; the row, its key and dates stay.
    for key in ("anna-old", "bram-delay"):
        row = rows[key]
        assert (row["email"], row["diagnostic"]) == ("", None)
        assert NOW <= row["pruned_at"] < NOW + timedelta(minutes=5)  # the command's clock
        assert row["recorded_at"] < NOW - timedelta(days=400)
        assert row["recipient"] == key.split("-")[0] and row["status"]
    # carla's old bounce still marks her address: whole. anna's recent one: not old enough.
    for key in ("carla-old", "anna-recent"):
        assert rows[key]["pruned_at"] is None and rows[key]["email"].endswith("@example.org")
        assert "no such user" in rows[key]["diagnostic"]
    assert _bouncing(app) == marked  # who bounces now has not changed
    assert sessions == {"live"}
    assert (lookups, users) == ({"fresh@example.org"}, {"U0NEW"})
    events = json.loads(regie("events", "--format", "json", env=env).out)
    (event,) = [e for e in events if e["name"] == "regie.data.pruned"]
    assert event["payload"]["by"] == "a.avg"
    assert event["payload"]["counts"] == {
        "mail_bounces": 2, "web_sessions": 2, "slack_lookups": 1, "slack_users": 1,
    }  # fmt: skip
    assert event["payload"]["before"].startswith((NOW - timedelta(days=400)).date().isoformat())
    assert [e["name"] for e in events].count("regie.outbox.pruned") == 1
    verified = regie("audit", "verify", env=env)  # the triggers are 0037's, as installed
    assert verified.code == 0, verified.out + verified.err

    # The same bounce read again from the mailbox (never emptied) is not recorded anew.
    with app.session() as session:
        sent = bounces.SentMessage(programme, "reminder:anna:old", "anna", "N.", None)
        again = bounces.record(
            session, sent, dedupe_key="anna-old", email="anna@example.org", permanent=True,
            status="5.1.1", diagnostic="no such user", reported_at=OLD, now=NOW,
        )  # fmt: skip
        session.commit()
        assert not again
        after = _tables(session)

    second = regie("prune", "--older-than", "400d", "--yes", env=env)
    assert second.code == 0, second.err
    assert "erased the address and server's words of 0 bounce(s)" in second.out
    assert "pruned 0 message(s)" in second.out and "deleted 0 web session(s)" in second.out
    assert "nothing pruned: not recorded" in second.out
    with app.session() as session:
        assert _tables(session) == after
    events = json.loads(regie("events", "--format", "json", env=env).out)
    assert [e["name"] for e in events].count("regie.data.pruned") == 1

    # An expired session needs no cut-off: the live one expires, the next prune takes it.
    sender_clock.now = NOW + timedelta(hours=6)
    later = regie("prune", "--before", "2026-01-01", "--yes", env=env)
    assert later.code == 0, later.err
    assert "deleted 1 web session(s)" in later.out and "of 0 bounce(s)" in later.out
    assert "recorded (regie.data.pruned)" in later.out

    bad = regie("prune", env=env)
    assert bad.code != 0 and "prune: give --older-than DAYS" in bad.err
    assert "Traceback" not in bad.err
    bad = regie("prune", "--older-than", "soon", env=env)
    assert bad.code != 0 and "--older-than: 'soon' is not a number of days" in bad.err


def test_the_database_lets_only_a_prune_change_a_bounce(migrated_url: str) -> None:
    """Migration 0037: a bounce is still append-only but for exactly the prune (address '',
    no words, pruned_at set once, the rest unchanged); the downgrade takes that back."""
    engine = sa.create_engine(migrated_url)
    now = datetime(2026, 12, 6, tzinfo=UTC)
    with Session(engine) as session:
        session.add(ProgrammeRow(id="p", title="p", created_at=now, updated_at=now))
        _bounce(session, "p", "anna", "old", OLD)
        session.commit()
    prune = {"email": "", "diagnostic": None, "pruned_at": now}
    try:
        for values in (
            {"email": "", "diagnostic": None},  # erasing without saying so
            {**prune, "email": "x@example.org"},  # keeping (or forging) an address
            {**prune, "diagnostic": "FORGED"},
            {**prune, "recipient": "bram"},
            {**prune, "recorded_at": now},
            {"status": "2.0.0"},
        ):
            with pytest.raises(sa.exc.IntegrityError, match="append-only"), engine.begin() as c:
                c.execute(sa.update(MailBounceRow).values(values))
        with engine.begin() as conn:
            conn.execute(sa.update(MailBounceRow).values(prune))
        for values in ({"pruned_at": None}, {**prune, "pruned_at": now + timedelta(days=1)}):
            with pytest.raises(sa.exc.IntegrityError, match="append-only"), engine.begin() as c:
                c.execute(sa.update(MailBounceRow).values(values))
        with pytest.raises(sa.exc.IntegrityError, match="append-only"), engine.begin() as c:
            c.execute(sa.delete(MailBounceRow))
        engine.dispose()
        downgrade(migrated_url, "0036")
        with engine.begin() as conn:
            assert "pruned_at" not in {c["name"] for c in sa.inspect(conn).get_columns(
                "mail_bounces")}  # fmt: skip
            assert conn.scalar(sa.text("SELECT email FROM mail_bounces")) == ""
        with pytest.raises(sa.exc.IntegrityError, match="append-only"), engine.begin() as c:
            c.execute(sa.text("UPDATE mail_bounces SET email = 'x'"))
        engine.dispose()
        upgrade(migrated_url)
        with engine.connect() as conn:
            assert conn.scalar(sa.text("SELECT count(*) FROM mail_bounces")) == 1
    finally:
        engine.dispose()
