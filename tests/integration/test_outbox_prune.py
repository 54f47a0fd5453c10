"""Retention (walk31 finding 8): `regie outbox prune` erases the personal content of old
messages in a final state (sent, suppressed, dead) and keeps their rows, keys, kinds, statuses
and dates, so nothing is ever queued (or sent) twice; pending, failed and sending messages are
left alone; the database's guard lets exactly that change through on a sent row. On SQLite and
PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from governance.counts import count
from store import OutboxRecord, Repository, outbox
from store.models import OutboxRow, ProgrammeRow
from store.models_delivery import OutboxDigestItemRow
from tests.cli_in_process import regie
from tests.integration.answer_app import ANSWERS_PLAN
from tests.integration.mail_setup import Clock, sender_clock

CREATED = datetime(2015, 9, 7, 6, 0, tzinfo=UTC)
T = datetime(2015, 9, 7, 9, 0, tzinfo=UTC)
LATER = T + timedelta(days=500)

__all__ = ["sender_clock"]  # the fixture, used by name


@pytest.fixture
def repo(session: Session) -> Iterator[Repository]:
    session.add(ProgrammeRow(id="p", title="p", created_at=CREATED, updated_at=CREATED))
    session.commit()
    yield Repository(session, "p", clock=lambda: CREATED)


def _message(key: str, **kw: object) -> OutboxRecord:
    fields: dict[str, object] = {
        "kind": "reminder_digest",
        "recipient": "jdevries",
        "recipient_name": "J. de Vries",
        "subject": f"Verzoek om update ({key})",
        "body_text": f"Beste J. de Vries, … {key}",
        "body_html": "<p>Beste J. de Vries</p>",
        "email": "jdv@example.org",
        "slack": "U123",
        "payload": {
            "as_of": "2015-09-07",
            "items": [{"id": "1.1", "stage": "first", "title": "Wet", "owner": "J. de Vries"}],
            "render": {"contact": {"name": "J. de Vries", "email": "jdv@example.org"}},
            "channel": "#jdv",
        },
        "created_on": date(2015, 9, 7),
    }
    fields.update(kw)
    return OutboxRecord(key=key, **fields)  # type: ignore[arg-type]


def _rows(session: Session) -> dict[str, sa.Row[tuple[object, ...]]]:
    o = OutboxRow
    query = sa.select(
        o.key, o.status, o.kind, o.recipient, o.recipient_name, o.email, o.slack, o.subject,
        o.body_text, o.body_html, o.payload, o.created_at, o.sent_at, o.pruned_at,
    )  # fmt: skip
    return {r.key: r for r in session.execute(query)}


def _final_and_open(repo: Repository, session: Session) -> None:
    """sent, suppressed, dead, and pending, failed, sending: one each."""
    keys = ["sent", "dead", "failed", "sending", "pending"]
    repo.enqueue([_message(k) for k in keys])
    repo.enqueue([_message("suppressed")], status="suppressed")
    for key in ("sent", "dead", "failed", "sending"):
        repo.claim_outbox(now=T, keys=[key])
    repo.mark_sent("sent", channel="email", external_id="<x@regie>", now=T)
    session.execute(sa.update(OutboxRow).where(OutboxRow.key == "dead").values(status="dead"))
    session.execute(sa.update(OutboxRow).where(OutboxRow.key == "failed").values(status="failed"))
    session.commit()


def test_prune_erases_final_messages_and_keeps_their_keys(
    repo: Repository, session: Session
) -> None:
    _final_and_open(repo, session)
    before = _rows(session)
    entries = session.execute(sa.select(OutboxDigestItemRow.__table__)).all()

    dry = outbox.prune(session, "p", LATER, now=LATER, apply=False)
    assert dry == ["sent", "dead", "suppressed"]
    assert _rows(session) == before  # a dry run changes nothing

    done = outbox.prune(session, "p", LATER, now=LATER, apply=True)
    session.commit()
    assert done == dry
    after = _rows(session)
    for key in ("pending", "failed", "sending"):
        assert after[key] == before[key]  # not final: never touched
    for key in done:
        row, was = after[key], before[key]
        # What says it was sent, and when, stays; the personal content goes.
        kept = (row.status, row.kind, row.recipient, row.created_at, row.sent_at)
        assert kept == (was.status, was.kind, was.recipient, was.created_at, was.sent_at)
        assert (row.recipient_name, row.email, row.slack, row.subject) == ("", None, None, "")
        assert (row.body_text, row.body_html, row.pruned_at) == ("", None, LATER)
        assert row.payload == {"as_of": "2015-09-07", "items": [{"id": "1.1", "stage": "first"}]}
        assert "Vries" not in json.dumps(row.payload)
    # The digests' stored (item, stage) entries, which escalations count, are unchanged.
    assert session.execute(sa.select(OutboxDigestItemRow.__table__)).all() == entries
    # Pruned once: a second prune finds nothing; a message queued again is not queued.
    assert outbox.prune(session, "p", LATER, now=LATER, apply=True) == []
    assert repo.enqueue([_message(k) for k in done]) == []
    # A pruned dead message has nothing left to send: a retry leaves it dead.
    assert outbox.retry(session, "p", ["dead"], now=LATER, day=LATER.date()) == ([], [])
    assert outbox.dead_keys(session, "p") == []
    session.commit()
    assert _rows(session)["dead"].status == "dead"


def test_prune_keeps_messages_sent_after_the_cut_off(repo: Repository, session: Session) -> None:
    _final_and_open(repo, session)
    assert outbox.prune(session, "p", T, now=LATER, apply=True) == ["dead", "suppressed"]
    assert outbox.prune(session, "p", T + timedelta(seconds=1), now=LATER, apply=True) == ["sent"]


def test_the_database_lets_only_a_prune_change_a_sent_message(
    repo: Repository, session: Session, engine: sa.Engine
) -> None:
    _final_and_open(repo, session)
    sent = OutboxRow.key == "sent"
    erase = {
        "recipient_name": "", "email": None, "slack": None, "subject": "", "body_text": "",
        "body_html": None, "payload": {},
    }  # fmt: skip
    # Erasing without saying so (pruned_at), or keeping an address, or changing a date: refused.
    for values in (
        erase,
        {**erase, "pruned_at": LATER, "email": "x@y.org"},
        {**erase, "pruned_at": LATER, "sent_at": LATER},
        {**erase, "pruned_at": LATER, "key": "other"},
        # review11 2: a "prune" that writes new content instead of erasing it.
        {**erase, "pruned_at": LATER, "subject": "FORGED"},
        {**erase, "pruned_at": LATER, "body_text": "FORGED"},
        {**erase, "pruned_at": LATER, "recipient_name": "FORGED"},
    ):
        with pytest.raises(sa.exc.IntegrityError, match="stays sent"), engine.begin() as conn:
            conn.execute(sa.update(OutboxRow).where(sent).values(values))
    outbox.prune(session, "p", LATER, now=LATER, apply=True)
    session.commit()
    # Pruned: it stays as it is now (no second "prune" writes anything back).
    for values in ({"body_text": "x"}, {"pruned_at": None}, {**erase, "pruned_at": T}):
        with pytest.raises(sa.exc.IntegrityError, match="stays sent"), engine.begin() as conn:
            conn.execute(sa.update(OutboxRow).where(sent).values(values))


def _json(env: dict[str, str], *args: str) -> list[dict[str, object]]:
    out = regie("outbox", "--format", "json", *args, env=env)
    assert out.code == 0, out.err
    return list(json.loads(out.out))


def test_outbox_prune_on_the_command_line(
    migrated_url: str, tmp_path: Path, sender_clock: Clock
) -> None:
    home = tmp_path / "home"
    env = {"REGIE_HOME": str(home), "REGIE_PLAN": str(ANSWERS_PLAN)}
    env["REGIE_DATABASE_URL"] = migrated_url
    assert regie("cycle", "--as-of", "2025-06-10", env=env).code == 0
    files = sorted((home / "outbox").glob("*.eml"))
    listed = _json(env)
    sent = [m["key"] for m in listed if m["status"] == "sent"]
    assert sent and len(files) == len(sent)

    sender_clock.now += timedelta(days=401)
    dry = regie("outbox", "prune", "--older-than", "400d", env=env)
    assert dry.code == 0, dry.err
    assert f"would prune {count(len(listed), 'message')}" in dry.out
    assert f"remove {count(len(files), 'file copy', 'file copies')}" in dry.out
    assert "dry run: nothing changed (add --yes to prune)" in dry.out
    assert _json(env) == listed and all(f.exists() for f in files)
    # Not old enough yet: kept.
    young = regie("outbox", "prune", "--older-than", "402d", "--yes", env=env)
    assert young.code == 0, young.err
    assert "pruned 0 messages" in young.out and _json(env) == listed

    done = regie("--operator", "a.avg", "outbox", "prune", "--older-than", "400d", "--yes", env=env)
    assert done.code == 0, done.err
    assert f"pruned {count(len(listed), 'message')}" in done.out
    copies = count(len(files), "file copy", "file copies")
    assert f"removed {copies}; recorded (regie.outbox.pruned)" in done.out
    assert not list((home / "outbox").glob("*.eml"))
    pruned = _json(env)
    same = ("key", "kind", "recipient", "status", "created_on", "channel")
    assert [{k: m[k] for k in same} for m in pruned] == [{k: m[k] for k in same} for m in listed]
    assert {m["subject"] for m in pruned} == {""}
    # review11 6: a script tells a pruned message from one with an empty subject.
    assert {m["pruned_at"] for m in listed} == {None}
    assert all(isinstance(m["pruned_at"], str) for m in pruned)
    table = regie("outbox", env=env)  # the human table says why subject and name are empty
    assert table.code == 0 and table.out.count("pruned on ") == len(pruned), table.out
    events = json.loads(regie("events", "--format", "json", env=env).out)
    (event,) = [e for e in events if e["name"] == "regie.outbox.pruned"]
    assert event["payload"]["count"] == len(listed) and event["payload"]["by"] == "a.avg"

    # review11 3: a copy an interrupted prune left behind goes on the next run.
    files[0].write_text("left behind", encoding="utf-8")
    left = regie("outbox", "prune", "--older-than", "400d", env=env)
    assert "would remove 1 file copy left by an earlier prune" in left.out, left.out
    assert files[0].exists()
    swept = regie("outbox", "prune", "--older-than", "400d", "--yes", env=env)
    assert swept.code == 0, swept.err
    assert "pruned 0 messages" in swept.out and "removed 1 file copy" in swept.out
    assert not files[0].exists()

    # The day's cycle again: its messages are in the outbox, so none is queued or sent again.
    again = regie("cycle", "--as-of", "2025-06-10", env=env)
    assert again.code == 0, again.err
    assert _json(env) == pruned
    assert not list((home / "outbox").glob("*.eml"))

    bad = regie("outbox", "prune", "--older-than", "soon", env=env)
    assert bad.code != 0 and "--older-than: 'soon' is not a number of days" in bad.err
    assert "Traceback" not in bad.err
    both = regie("outbox", "prune", env=env)
    assert both.code != 0 and "give --older-than DAYS" in both.err


def test_outbox_lists_since_a_day_and_the_newest_few(
    migrated_url: str, tmp_path: Path, sender_clock: Clock
) -> None:
    home = tmp_path / "home"
    env = {"REGIE_HOME": str(home), "REGIE_PLAN": str(ANSWERS_PLAN)}
    env["REGIE_DATABASE_URL"] = migrated_url
    assert regie("cycle", "--as-of", "2025-06-10", env=env).code == 0
    first = _json(env)
    sender_clock.now += timedelta(days=3)
    assert regie("cycle", "--as-of", "2025-06-24", env=env).code == 0
    every = _json(env)
    later = every[len(first) :]
    assert later, "the second cycle queued nothing: the test shows nothing"
    day = (sender_clock.now).date().isoformat()
    assert _json(env, "--since", day) == later
    assert _json(env, "--limit", "1") == every[-1:]
    assert _json(env, "--since", day, "--limit", str(len(every))) == later
    bad = regie("outbox", "--limit", "0", env=env)
    assert bad.code != 0 and "--limit: 0 is not a number of messages" in bad.err
    bad = regie("outbox", "--since", "gisteren", env=env)
    assert bad.code != 0 and "--since:" in bad.err and "Traceback" not in bad.err


def test_a_prune_does_not_bring_back_a_bounce_a_later_send_ended(
    repo: Repository, session: Session
) -> None:
    """A bounce is over once a later e-mail to that address was sent; pruning that e-mail
    erases the address it went to, and must not make the address bounce again."""
    from store import bounces

    repo.enqueue([_message("bounced"), _message("later")])
    repo.claim_outbox(now=T, keys=["bounced"])
    repo.mark_sent("bounced", channel="email", external_id="<b@regie>", now=T)
    [found] = bounces.find_messages(session, key="bounced", digest=None)
    bounces.record(
        session, found, dedupe_key="d1", email="jdv@example.org", permanent=True,
        status="5.1.1", diagnostic="no such user", reported_at=T, now=T + timedelta(hours=1),
    )  # fmt: skip
    repo.claim_outbox(now=T + timedelta(days=1), keys=["later"])
    repo.mark_sent("later", channel="email", external_id="<l@regie>", now=T + timedelta(days=1))
    session.commit()
    assert bounces.latest_bounces(session, "p") == {}
    outbox.prune(session, "p", LATER, now=LATER, apply=True)
    session.commit()
    assert bounces.latest_bounces(session, "p") == {}


def test_a_pruned_bounce_notice_and_a_refused_e_mail_name_nobody(
    repo: Repository, session: Session
) -> None:
    """review11 1: nothing of a pruned message names a person or holds an address: not a
    bounce notice's payload (the bounced contact's name, the server's reason) and not a dead
    or suppressed e-mail's reason; a withdrawn prompt keeps the start code reads."""
    name, address = "Jan Jansen", "jan.jansen@example.org"
    notice = _message(
        "notice",
        kind="bounce_notice",
        payload={
            "programme": "Wegen", "items": [], "bounced": "jjansen", "bounced_name": name,
            "reason": f"550 5.1.1 <{address}>: no such user", "to_channel": True,
        },
    )  # fmt: skip
    repo.enqueue([notice, _message("refused"), _message("withdrawn")])
    repo.claim_outbox(now=T, keys=["notice"])
    repo.mark_sent("notice", channel="email", external_id="<n@regie>", now=T)
    reasons = {
        "refused": ("dead", f"refused by the mail server: {address} (550 no such user)"),
        "withdrawn": ("suppressed", f"withdrawn: contact jdevries: {name} <{address}> left"),
    }
    for key, (status, error) in reasons.items():
        session.execute(
            sa.update(OutboxRow).where(OutboxRow.key == key).values(status=status, last_error=error)
        )
    session.commit()
    assert outbox.prune(session, "p", LATER, now=LATER, apply=True) == [
        "notice", "refused", "withdrawn",
    ]  # fmt: skip
    session.commit()
    columns = OutboxRow.__table__.columns
    rows = {r.key: r for r in session.execute(sa.select(*columns))}
    for key, row in rows.items():
        text = json.dumps([str(v) for v in row], ensure_ascii=False)
        for personal in (name, "Jansen", address, "Vries", "jdv@example.org"):
            assert personal not in text, (key, personal)
    assert rows["notice"].payload == {"programme": "Wegen", "items": [], "to_channel": True}
    assert rows["refused"].last_error is None
    assert rows["withdrawn"].last_error == outbox.WITHDRAWN


def test_retry_and_mark_sent_refuse_a_pruned_dead_message(
    migrated_url: str, tmp_path: Path, sender_clock: Clock
) -> None:
    """review11 5: a pruned dead message has nothing left to send: `retry` and `mark-sent`
    refuse it in one line saying so (a dry run no longer promises to mark it)."""
    env = {"REGIE_HOME": str(tmp_path / "home"), "REGIE_PLAN": str(ANSWERS_PLAN)}
    env["REGIE_DATABASE_URL"] = migrated_url
    assert regie("cycle", "--as-of", "2025-06-10", env=env).code == 0
    engine = sa.create_engine(migrated_url)
    try:
        with Session(engine) as session:
            programme = session.scalars(sa.select(ProgrammeRow.id)).one()
            Repository(session, programme, clock=lambda: CREATED).enqueue([_message("dead")])
            session.execute(
                sa.update(OutboxRow).where(OutboxRow.key == "dead").values(status="dead")
            )
            # 23:30 UTC is the next day in Amsterdam: the office's day is said (review12 12).
            late = LATER.replace(hour=23, minute=30)
            outbox.prune(session, programme, LATER, now=late, apply=True)
            session.commit()
    finally:
        engine.dispose()
    day = (late + timedelta(days=1)).date().isoformat()
    why = f"dead (dead, pruned on {day}: nothing left to send)"
    for args in (("retry", "--key", "dead"), ("mark-sent", "dead")):
        out = regie("outbox", *args, env=env)
        assert out.code != 0 and why in out.err, out.err + out.out
        assert "Traceback" not in out.err and "would" not in out.out
