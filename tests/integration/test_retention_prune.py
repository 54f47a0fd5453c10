"""Retention beyond the outbox (retention49): `regie prune` does what `regie outbox prune`
does and, in the same transaction, erases old bounces' address and server words (keeping each
contact's latest permanent bounce not ended by a later send, and every row's dedupe key), so
who bounces is the same after it, with no plan needed (review49 1, 3); deletes web sessions
that are over and Slack look-ups; a dry run changes nothing, a second run prunes nothing, the
operator is recorded. The tables every programme of the database shares (web sessions, e-mail
look-ups) go by limits of their own, whatever a programme's cut-off, and are recorded apart
(retention50). On SQLite and PostgreSQL."""

from __future__ import annotations

import importlib.util
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import ModuleType

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from governance.counts import count
from regie.bootstrap import App
from regie.bounces import bouncing
from store import OutboxRecord, Repository, bounces, downgrade, upgrade
from store.db import MIGRATIONS_DIR
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
    live; Slack look-ups old, past their use (30 days found, 1 day not found) and fresh."""
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
    stale = NOW - timedelta(days=40)  # after the cut-off, but no look-up reads it (30 days)
    for email, user, when in (
        ("old@example.org", "U1", OLD), ("stale@example.org", "U1", stale),
        ("fresh@example.org", "U1", RECENT),
        ("nobody@example.org", None, NOW - timedelta(days=2)),  # not found: read for a day
        ("nobody.yet@example.org", None, NOW - timedelta(hours=3)),
    ):  # fmt: skip
        session.add(SlackLookupRow(email=email, user_id=user, looked_up_at=when))
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
    assert "would erase the address and server's words of 2 bounces" in dry.out, dry.out
    assert "1 kept whole: a contact's latest bounce, not ended" in dry.out
    assert "would delete 1 Slack user resolved before" in dry.out
    shared = (
        "installation-wide (every programme of this database; not by the cut-off): would delete "
        "2 web sessions expired or ended and 3 Slack e-mail look-ups no longer read"
    )
    assert shared in dry.out, dry.out
    assert f"and remove {count(len(files), 'file copy', 'file copies')}" in dry.out
    assert "dry run: nothing changed (add --yes to prune)" in dry.out
    # Whichever cut-off a programme of the database prunes with, the shared tables lose the
    # same rows: the order in which its programmes prune does not matter (review49 8).
    recent = regie("prune", "--older-than", "5d", env=env)
    assert recent.code == 0, recent.err
    assert shared in recent.out and "would delete 2 Slack users" in recent.out, recent.out
    with app.session() as session:
        assert _tables(session) == before
    assert all(f.exists() for f in files)

    done = regie("--operator", "a.avg", "prune", "--older-than", "400d", "--yes", env=env)
    assert done.code == 0, done.err
    assert "erased the address and server's words of 2 bounces" in done.out, done.out
    assert "deleted 2 web sessions" in done.out and "deleted 1 Slack user" in done.out
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
    assert (lookups, users) == ({"fresh@example.org", "nobody.yet@example.org"}, {"U0NEW"})
    events = json.loads(regie("events", "--format", "json", env=env).out)
    (event,) = [e for e in events if e["name"] == "regie.data.pruned"]
    assert event["payload"]["by"] == "a.avg"
    assert event["payload"]["counts"] == {"mail_bounces": 2, "slack_users": 1}
    assert event["payload"]["installation"] == {"web_sessions": 2, "slack_lookups": 3}
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
    assert "erased the address and server's words of 0 bounces" in second.out
    assert "pruned 0 messages" in second.out and "deleted 0 web sessions" in second.out
    assert "nothing pruned: not recorded" in second.out
    with app.session() as session:
        assert _tables(session) == after
    events = json.loads(regie("events", "--format", "json", env=env).out)
    assert [e["name"] for e in events].count("regie.data.pruned") == 1

    # An expired session needs no cut-off: the live one expires, the next prune takes it.
    sender_clock.now = NOW + timedelta(hours=6)
    later = regie("prune", "--before", "2026-01-01", "--yes", env=env)
    assert later.code == 0, later.err
    assert "deleted 1 web session" in later.out and "of 0 bounces" in later.out
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


def _migration_0037() -> ModuleType:
    path = MIGRATIONS_DIR / "versions" / "0037_mail_bounces_pruned.py"
    spec = importlib.util.spec_from_file_location("migration_0037", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PRUNE_KEEPS: tuple[str, ...] = _migration_0037().PRUNE_KEEPS


def test_the_guard_holds_every_column_a_prune_does_not_erase() -> None:
    """A column added to mail_bounces later must be added to 0037's list (or a later guard's)
    too, else a "prune" could change it unseen (review49 2)."""
    erased = {"email", "diagnostic", "pruned_at"}
    assert set(PRUNE_KEEPS) | erased == set(MailBounceRow.__table__.c.keys())
    assert not set(PRUNE_KEEPS) & erased


@pytest.mark.parametrize("column", PRUNE_KEEPS)
def test_a_prune_that_also_changes_a_kept_column_is_refused(migrated_url: str, column: str) -> None:
    """Every column a prune keeps, changed together with an otherwise valid prune: refused (a
    changed dedupe_key, say, would let the same bounce read again be recorded anew)."""
    engine = sa.create_engine(migrated_url)
    now = datetime(2026, 12, 6, tzinfo=UTC)
    other = {
        "id": 4242, "programme_id": "q", "dedupe_key": "other", "message_key": "other",
        "recipient": "bram", "permanent": False, "status": "2.0.0", "reported_at": now,
        "recorded_at": now,
    }  # fmt: skip
    try:
        with Session(engine) as session:
            for programme in ("p", "q"):
                session.add(ProgrammeRow(id=programme, title=programme, created_at=now,
                                         updated_at=now))  # fmt: skip
            _bounce(session, "p", "anna", "old", OLD)
            session.commit()
        prune = {"email": "", "diagnostic": None, "pruned_at": now, column: other[column]}
        with pytest.raises(sa.exc.IntegrityError, match="append-only"), engine.begin() as c:
            c.execute(sa.update(MailBounceRow).values(prune))
    finally:
        engine.dispose()


def _plan(tmp_path: Path, **emails: str | None) -> Path:
    """The answers plan with some contacts' e-mail lines changed (None: taken out)."""
    lines = ANSWERS_PLAN.read_text(encoding="utf-8").splitlines(keepends=True)
    for contact, email in emails.items():
        at = lines.index(f"    email: {contact}@example.org\n")
        lines[at : at + 1] = [f"    email: {email}\n"] if email else []
    path = tmp_path / "plan.yaml"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def test_who_bounces_is_the_same_after_a_prune_without_a_plan(
    migrated_url: str, tmp_path: Path, sender_clock: Clock
) -> None:
    """Kept whole: each contact's latest permanent bounce not ended by a later send, whatever
    the plan says now (review49 3): anna's (her address now), carla's (an address the plan
    gave her before and gives her again later). bram's was ended by a later e-mail and is
    erased; the office then took his address out (Slack only): a pruned bounce's empty
    address is not his missing one (review49 1). The plan cannot be read during the prune."""
    home = tmp_path / "home"
    plan = _plan(tmp_path, bram=None, carla="carla.new@example.org")
    env = {"REGIE_HOME": str(home), "REGIE_PLAN": str(plan), "REGIE_DATABASE_URL": migrated_url}
    sender_clock.now = NOW
    app = answers_app(migrated_url, home, plan)
    with app.session() as session:
        programme = "wegen-test"
        session.add(ProgrammeRow(id=programme, title="t", created_at=OLD, updated_at=OLD))
        session.commit()
        for contact in ("anna", "bram", "carla"):
            _bounce(session, programme, contact, "old", OLD)
        session.commit()
        repo = Repository(session, programme, clock=lambda: OLD)
        repo.enqueue([OutboxRecord(
            key="later", kind="reminder_digest", recipient="bram", recipient_name="Bram",
            subject="s", body_text="b", email="bram@example.org", created_on=date(2025, 1, 1),
        )])  # fmt: skip
        repo.claim_outbox(now=RECENT, keys=["later"])
        repo.mark_sent("later", channel="email", external_id="<l@regie>", now=RECENT)
        session.commit()
    assert _bouncing(app) == {"anna": "anna-old"}

    good = plan.read_text(encoding="utf-8")
    plan.write_text("programme: [\n", encoding="utf-8")  # being edited: no plan loads
    done = regie("prune", "--older-than", "400d", "--yes", env=env)
    assert done.code == 0, done.err
    assert "erased the address and server's words of 1 bounce" in done.out, done.out
    assert "2 kept whole: a contact's latest bounce, not ended" in done.out
    plan.write_text(good, encoding="utf-8")
    with app.session() as session:
        erased = session.scalars(
            sa.select(MailBounceRow.dedupe_key).where(MailBounceRow.pruned_at.is_not(None))
        ).all()
    assert erased == ["bram-old"]
    assert _bouncing(app) == {"anna": "anna-old"}
    assert set(app.bouncing_addresses(app.load_plan())) == {"anna@example.org"}
    shown = regie("doctor", "--format", "json", env=env)
    (mail,) = [c for c in json.loads(shown.out) if c["check"] == "mail"]
    assert "anna" in mail["detail"] and "bram" not in mail["detail"], mail

    # carla's old address, given again: her kept bounce marks it, as it did before.
    again = answers_app(migrated_url, home, _plan(tmp_path, bram=None))
    assert _bouncing(again) == {"anna": "anna-old", "carla": "carla-old"}
