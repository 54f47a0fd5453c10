"""The outbox on SQLite and PostgreSQL: enqueue, claim, sent/failed/dead, reclaim, triggers."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from store import OutboxError, OutboxRecord, Repository, make_engine, outbox
from store.models import OutboxRow, ProgrammeRow
from store.outbox import ABANDONED, GIVE_UP_AFTER, MAX_ATTEMPTS, RETRY_BACKOFF, retry_delay

CREATED = datetime(2015, 9, 7, 6, 0, tzinfo=UTC)
T = datetime(2015, 9, 7, 9, 0, tzinfo=UTC)


def _add_programme(session: Session, programme_id: str) -> Repository:
    session.add(
        ProgrammeRow(id=programme_id, title=programme_id, created_at=CREATED, updated_at=CREATED)
    )
    session.commit()
    return Repository(session, programme_id, clock=lambda: CREATED)


@pytest.fixture
def repo(session: Session) -> Iterator[Repository]:
    yield _add_programme(session, "p")


def _message(key: str, **kw: object) -> OutboxRecord:
    fields: dict[str, object] = {
        "kind": "reminder_digest",
        "recipient": "jdevries",
        "recipient_name": "J. de Vries",
        "subject": f"Verzoek om update ({key})",
        "body_text": f"Beste J. de Vries, … {key}",
        "email": "jdv@example.org",
        "payload": {"items": [{"id": "1.1", "stage": "first"}], "key": key},
        "created_on": date(2015, 9, 7),
    }
    fields.update(kw)
    return OutboxRecord(key=key, **fields)  # type: ignore[arg-type]


def _status(repo: Repository) -> dict[str, tuple[str, int]]:
    return {r.key: (r.status, r.attempts) for r in repo.outbox()}


def _claim_one(repo: Repository, now: datetime, **kw: object) -> OutboxRecord:
    [row] = repo.claim_outbox(now=now, **kw)  # type: ignore[arg-type]
    return row


# --- enqueue --------------------------------------------------------------------------------------


def test_enqueue_is_idempotent_per_key(repo: Repository, session: Session) -> None:
    assert repo.enqueue([_message("a"), _message("b")]) == ["a", "b"]
    assert repo.enqueue([_message("c"), _message("b", subject="anders"), _message("c")]) == ["c"]
    assert repo.enqueue([]) == []
    session.commit()

    rows = repo.outbox()
    assert [r.key for r in rows] == ["a", "b", "c"]
    assert rows[1].subject == "Verzoek om update (b)"  # the first one queued stays
    count = sa.select(sa.func.count()).select_from(OutboxRow)
    assert session.scalar(count) == 3


def test_enqueued_message_reads_back_whole(repo: Repository, session: Session) -> None:
    given = _message("a", slack="U123", body_html="<p>Beste</p>")
    repo.enqueue([given])
    session.commit()

    [row] = repo.outbox()
    assert row == OutboxRecord(
        key="a",
        kind=given.kind,
        recipient=given.recipient,
        recipient_name=given.recipient_name,
        subject=given.subject,
        body_text=given.body_text,
        email=given.email,
        slack="U123",
        body_html="<p>Beste</p>",
        payload=dict(given.payload),
        created_on=given.created_on,
        status="pending",
        attempts=0,
        created_at=CREATED,
    )
    assert row.created_at is not None and row.created_at.tzinfo == UTC


def test_suppressed_messages_are_kept_but_never_claimed(repo: Repository) -> None:
    assert repo.enqueue([_message("old")], status="suppressed") == ["old"]
    assert repo.enqueue([_message("old")]) == []  # a later pending run does not revive it
    assert repo.claim_outbox(now=T + timedelta(days=365)) == []
    assert _status(repo) == {"old": ("suppressed", 0)}
    with pytest.raises(ValueError, match="enqueue status"):
        repo.enqueue([_message("x")], status="sent")


def test_same_key_in_two_programmes(repo: Repository, session: Session) -> None:
    other = _add_programme(session, "q")
    assert repo.enqueue([_message("a")]) == ["a"]
    assert other.enqueue([_message("a")]) == ["a"]
    assert [r.key for r in other.claim_outbox(now=T)] == ["a"]
    assert _status(repo) == {"a": ("pending", 0)}  # the other programme's claim left ours alone


def test_outbox_filters_by_status_and_limit(repo: Repository) -> None:
    repo.enqueue([_message(k) for k in "abcd"])
    repo.claim_outbox(now=T, limit=2)
    assert [r.key for r in repo.outbox(status="sending")] == ["a", "b"]
    assert [r.key for r in repo.outbox(status="pending")] == ["c", "d"]
    assert [r.key for r in repo.outbox(limit=3)] == ["a", "b", "c"]
    assert repo.outbox(status="sent") == []
    with pytest.raises(ValueError, match="unknown outbox status"):
        repo.outbox(status="verzonden")


def test_keys_with_status_are_the_keys_alone_oldest_first(repo: Repository) -> None:
    repo.enqueue([_message(k) for k in "abcde"])
    repo.claim_outbox(now=T, limit=3)  # a, b, c sending
    repo.mark_failed("b", error="smtp down", now=T)
    repo.mark_sent("c", channel="email", external_id=None, now=T)
    assert repo.outbox_keys_with_status("pending", "failed") == ["b", "d", "e"]
    assert repo.outbox_keys_with_status("sending") == ["a"]
    assert repo.outbox_keys_with_status("dead") == []
    with pytest.raises(ValueError, match="unknown outbox status"):
        repo.outbox_keys_with_status("pending", "verzonden")


# --- claim and mark -------------------------------------------------------------------------------


def test_claim_moves_oldest_first_to_sending(repo: Repository) -> None:
    repo.enqueue([_message(k) for k in "abc"])
    assert repo.claim_outbox(now=T, limit=0) == []

    first = repo.claim_outbox(now=T, limit=2)
    assert [(r.key, r.status, r.attempts) for r in first] == [
        ("a", "sending", 1),
        ("b", "sending", 1),
    ]
    assert [r.key for r in repo.claim_outbox(now=T)] == ["c"]
    assert repo.claim_outbox(now=T) == []  # nothing is claimed twice
    assert _status(repo) == {"a": ("sending", 1), "b": ("sending", 1), "c": ("sending", 1)}


def test_mark_sent(repo: Repository) -> None:
    repo.enqueue([_message("a")])
    repo.claim_outbox(now=T)
    repo.mark_sent("a", channel="email", external_id="<m1@regie>", now=T + timedelta(seconds=2))

    [row] = repo.outbox()
    assert (row.status, row.attempts, row.channel, row.external_id) == (
        "sent",
        1,
        "email",
        "<m1@regie>",
    )
    assert row.sent_at == T + timedelta(seconds=2)


def test_failures_back_off_then_die(repo: Repository) -> None:
    repo.enqueue([_message("a")])
    now = T
    for attempt in range(1, MAX_ATTEMPTS):
        row = _claim_one(repo, now)
        assert row.attempts == attempt
        repo.mark_failed("a", error=f"smtp down {attempt}", now=now)
        [failed] = repo.outbox()
        assert failed.status == "failed" and failed.last_error == f"smtp down {attempt}"
        assert failed.next_attempt_at == now + retry_delay(attempt)
        # Not before its time, then exactly on it.
        assert repo.claim_outbox(now=now + retry_delay(attempt) - timedelta(seconds=1)) == []
        now += retry_delay(attempt)

    # Its attempts used up ≈ 2 h 36 min after the first: not dead while the first attempt is
    # less than a day old (an outage of hours); tried again at the last back-off meanwhile.
    while now - T < GIVE_UP_AFTER:
        row = _claim_one(repo, now)
        assert row.attempts >= MAX_ATTEMPTS
        assert repo.mark_failed("a", error=f"smtp down {row.attempts}", now=now) == "failed"
        [failed] = repo.outbox()
        assert failed.next_attempt_at == now + RETRY_BACKOFF[-1]
        assert repo.claim_outbox(now=now + RETRY_BACKOFF[-1] - timedelta(seconds=1)) == []
        now += RETRY_BACKOFF[-1]

    assert _claim_one(repo, now).attempts == MAX_ATTEMPTS + 2  # 1 m … 2 h, then 12 h twice
    assert repo.mark_failed("a", error="smtp still down", now=now) == "dead"
    [dead] = repo.outbox()
    assert (dead.status, dead.next_attempt_at, dead.last_error) == ("dead", None, "smtp still down")
    assert repo.claim_outbox(now=now + timedelta(days=30)) == []


def test_the_give_up_window_counts_from_the_first_attempt_not_the_queueing(
    repo: Repository, session: Session
) -> None:
    """Queued days before its first attempt (sending stopped), a message still gets the whole
    window; a release untried is no first attempt; `outbox retry` starts a fresh window."""
    repo.enqueue([_message("a")])
    first = T + timedelta(days=3)
    now = first
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert _claim_one(repo, now).attempts == attempt
        assert repo.mark_failed("a", error="down", now=now) == "failed"
        now += retry_delay(attempt)
    assert now - first < GIVE_UP_AFTER < now - CREATED
    # A shorter window (REGIE_OUTBOX_GIVE_UP_HOURS): dead once the first attempt is that old.
    _claim_one(repo, now)
    assert repo.mark_failed("a", error="down", now=now, give_up_after=now - first) == "dead"

    assert outbox.revive(session, "p", ["a"], now=now, day=now.date()) == ["a"]
    [row] = repo.outbox()
    assert (row.status, row.attempts) == ("pending", 0)
    later = now + GIVE_UP_AFTER
    for attempt in range(1, MAX_ATTEMPTS + 1):  # counted from the retry, not the first window
        _claim_one(repo, later)
        assert repo.mark_failed("a", error="down", now=later) == "failed"
        later += retry_delay(attempt)


def test_a_release_untried_is_no_first_attempt(repo: Repository, session: Session) -> None:
    repo.enqueue([_message("a")])
    row = _claim_one(repo, T)
    assert outbox.release(session, "p", "a", claim_token=row.claim_token) == "pending"
    first = session.scalar(sa.select(OutboxRow.first_attempt_at).where(OutboxRow.key == "a"))
    assert first is None
    later = T + timedelta(days=2)
    row = _claim_one(repo, later)
    assert session.scalar(sa.select(OutboxRow.first_attempt_at)) == later


def test_retry_delays() -> None:
    assert [retry_delay(n) for n in range(1, 5)] == [
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=30),
        timedelta(hours=2),
    ]
    assert retry_delay(len(RETRY_BACKOFF) + 3) == RETRY_BACKOFF[-1]
    assert retry_delay(0) == RETRY_BACKOFF[0]


def test_a_failed_message_that_gets_through_is_sent_without_error(repo: Repository) -> None:
    repo.enqueue([_message("a")])
    repo.claim_outbox(now=T)
    repo.mark_failed("a", error="timeout", now=T)
    later = T + retry_delay(1)
    assert _claim_one(repo, later).last_error == "timeout"
    repo.mark_sent("a", channel="slack", external_id=None, now=later)

    [row] = repo.outbox()
    assert (row.status, row.attempts, row.last_error, row.next_attempt_at) == (
        "sent",
        2,
        None,
        None,
    )


def test_max_attempts_is_honoured_when_a_message_fails(repo: Repository) -> None:
    repo.enqueue([_message("a")])
    repo.claim_outbox(now=T)
    assert repo.mark_failed("a", error="x", now=T, max_attempts=3) == "failed"
    # A failed message is claimed once its back-off has passed: its failure decided that.
    later = T + timedelta(hours=1)
    assert _claim_one(repo, later, max_attempts=1).attempts == 2
    assert repo.mark_failed("a", error="x", now=later, max_attempts=2) == "failed"  # < a day
    _claim_one(repo, later + retry_delay(2))
    # A failure waiting does not cure (no channel reaches the recipient): the attempts decide.
    assert repo.mark_failed("a", error="x", now=later, max_attempts=3, permanent=True) == "dead"


def test_stale_sending_rows_are_reclaimed(repo: Repository) -> None:
    repo.enqueue([_message("a")])
    repo.claim_outbox(now=T)  # ... and the sender crashed
    assert repo.claim_outbox(now=T + timedelta(minutes=14)) == []
    again = _claim_one(repo, T + timedelta(minutes=16))
    assert (again.key, again.status, again.attempts) == ("a", "sending", 2)
    assert repo.claim_outbox(now=T + timedelta(minutes=20)) == []  # the new claim is fresh
    assert (
        _claim_one(repo, T + timedelta(hours=1), reclaim_after=timedelta(minutes=5)).attempts == 3
    )


def test_a_sender_that_keeps_crashing_leaves_the_message_dead(repo: Repository) -> None:
    repo.enqueue([_message("a")])
    now = T
    for _ in range(MAX_ATTEMPTS):
        _claim_one(repo, now)
        now += timedelta(hours=1)
    assert repo.claim_outbox(now=now) == []
    [row] = repo.outbox()
    assert (row.status, row.attempts, row.last_error) == ("dead", MAX_ATTEMPTS, ABANDONED)


def test_sent_is_never_claimed_again(repo: Repository) -> None:
    repo.enqueue([_message("a"), _message("b")])
    repo.claim_outbox(now=T)
    repo.mark_sent("a", channel="file", external_id="a.eml", now=T)
    repo.mark_failed("b", error="x", now=T)
    far = T + timedelta(days=365)
    assert [r.key for r in repo.claim_outbox(now=far, reclaim_after=timedelta(0))] == ["b"]
    # Even reclaiming every 'sending' row at once leaves the sent one alone.
    later = far + timedelta(days=1)
    assert [r.key for r in repo.claim_outbox(now=later, reclaim_after=timedelta(0))] == ["b"]
    assert _status(repo) == {"a": ("sent", 1), "b": ("sending", 3)}


def test_marking_needs_a_claimed_message(repo: Repository) -> None:
    repo.enqueue([_message("a")])
    with pytest.raises(OutboxError, match="not in the outbox") as unknown:
        repo.mark_sent("zz", channel="file", external_id=None, now=T)
    assert (unknown.value.key, unknown.value.status) == ("zz", None)
    with pytest.raises(OutboxError, match="'pending'"):
        repo.mark_failed("a", error="x", now=T)
    with pytest.raises(OutboxError, match="'pending'"):
        repo.mark_sent("a", channel="file", external_id=None, now=T)

    repo.claim_outbox(now=T)
    repo.mark_sent("a", channel="file", external_id=None, now=T)
    with pytest.raises(OutboxError, match="'sent'") as sent:
        repo.mark_failed("a", error="late failure", now=T)
    assert sent.value.status == "sent"
    with pytest.raises(OutboxError, match="'sent'"):
        repo.mark_sent("a", channel="slack", external_id="ts", now=T)
    assert _status(repo) == {"a": ("sent", 1)}
    assert repo.outbox()[0].channel == "file"


def test_naive_now_is_refused(repo: Repository) -> None:
    repo.enqueue([_message("a")])
    with pytest.raises(ValueError, match="timezone-aware"):
        repo.claim_outbox(now=datetime(2015, 9, 7, 9, 0))


# --- what the database itself refuses -------------------------------------------------------------


def test_outbox_rows_cannot_be_deleted(
    repo: Repository, session: Session, engine: sa.Engine
) -> None:
    repo.enqueue([_message("a")])
    session.commit()
    with pytest.raises(sa.exc.IntegrityError, match="never deleted"), engine.begin() as conn:
        conn.execute(sa.delete(OutboxRow))
    assert [r.key for r in repo.outbox()] == ["a"]


def test_a_sent_row_stays_sent_in_the_database(
    repo: Repository, session: Session, engine: sa.Engine
) -> None:
    repo.enqueue([_message("a")])
    repo.claim_outbox(now=T)
    repo.mark_sent("a", channel="file", external_id=None, now=T)
    session.commit()
    for status in ("pending", "failed", "sending"):
        with pytest.raises(sa.exc.IntegrityError, match="stays sent"), engine.begin() as conn:
            conn.execute(sa.update(OutboxRow).values(status=status))
    # Nor does anything else of it change: what was sent is what the record says (#7 §7).
    for column, value in (("external_id", "a.eml"), ("body_text", "x"), ("email", "x@y.org")):
        with pytest.raises(sa.exc.IntegrityError, match="stays sent"), engine.begin() as conn:
            conn.execute(sa.update(OutboxRow).values({column: value}))
    [row] = repo.outbox()
    assert (row.status, row.external_id, row.email) == ("sent", None, "jdv@example.org")


@pytest.mark.postgres
def test_outbox_cannot_be_truncated_on_postgres(postgres_url: str) -> None:
    from store import upgrade

    upgrade(postgres_url)
    engine = make_engine(postgres_url)
    try:
        with Session(engine) as session:
            _add_programme(session, "p").enqueue([_message("a")])
            session.commit()
        with pytest.raises(sa.exc.IntegrityError, match="never deleted"), engine.begin() as conn:
            conn.execute(sa.text("TRUNCATE outbox"))
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_large_messages_are_compressed_with_lz4_when_the_server_has_it(postgres_url: str) -> None:
    from store import upgrade

    upgrade(postgres_url)
    engine = make_engine(postgres_url)
    html = "".join(
        f"<tr><td>{n}</td><td>Mijlpaal {n * 7919 % 10007} – één</td></tr>" for n in range(5000)
    )
    try:
        with Session(engine) as session:
            if int(session.scalar(sa.text("SHOW server_version_num"))) < 140000:
                pytest.skip("PostgreSQL < 14 has one compression method only")
            repo = _add_programme(session, "p")
            has_lz4 = session.scalar(
                sa.text(
                    "SELECT 'lz4' = ANY(enumvals) FROM pg_settings "
                    "WHERE name = 'default_toast_compression'"
                )
            )
            before = session.scalar(sa.text("SHOW default_toast_compression"))
            assert repo.enqueue([_message("a", body_html=html)]) == ["a"]
            # The transaction's own setting is back as it was for whatever it writes next.
            assert session.scalar(sa.text("SHOW default_toast_compression")) == before
            session.commit()
            method = session.scalar(sa.text("SELECT pg_column_compression(body_html) FROM outbox"))
            assert method == ("lz4" if has_lz4 else before)
            [row] = repo.outbox()
            assert row.body_html == html
    finally:
        engine.dispose()


# --- concurrent senders (PostgreSQL: SQLite serialises writers) -----------------------------------


@pytest.fixture
def pg_engines(postgres_url: str) -> Iterator[tuple[sa.Engine, sa.Engine]]:
    from store import upgrade

    upgrade(postgres_url)
    first, second = make_engine(postgres_url), make_engine(postgres_url)
    for engine in (first, second):  # connect now, so neither sender starts late
        with engine.connect():
            pass
    yield first, second
    first.dispose()
    second.dispose()


@pytest.mark.postgres
def test_an_open_claim_is_skipped_not_waited_for(
    pg_engines: tuple[sa.Engine, sa.Engine],
) -> None:
    first, second = pg_engines
    with Session(first) as session:
        _add_programme(session, "p").enqueue([_message(str(i)) for i in range(6)])
        session.commit()
    with Session(first) as a, Session(second) as b:
        claimed_a = Repository(a, "p").claim_outbox(now=T, limit=3)  # not committed yet
        with b.begin():
            b.execute(sa.text("SET LOCAL lock_timeout = '2s'"))  # waiting would be a bug
            claimed_b = Repository(b, "p").claim_outbox(now=T)
        a.rollback()  # the sender died before committing: its rows are claimable again
        with a.begin():
            claimed_again = Repository(a, "p").claim_outbox(now=T)
    assert [r.key for r in claimed_a] == ["0", "1", "2"]
    assert [r.key for r in claimed_b] == ["3", "4", "5"]
    assert [(r.key, r.attempts) for r in claimed_again] == [("0", 1), ("1", 1), ("2", 1)]


@pytest.mark.postgres
def test_concurrent_claims_are_disjoint(pg_engines: tuple[sa.Engine, sa.Engine]) -> None:
    total = 300
    with Session(pg_engines[0]) as session:
        _add_programme(session, "p").enqueue([_message(f"m{i:03}") for i in range(total)])
        session.commit()
    start = threading.Barrier(2)
    claims: list[list[str]] = [[], []]
    errors: list[BaseException] = []

    def sender(index: int) -> None:
        try:
            start.wait()
            while True:
                with Session(pg_engines[index]) as session, session.begin():
                    rows = Repository(session, "p").claim_outbox(now=T, limit=7)
                if not rows:
                    return
                claims[index].extend(r.key for r in rows)
        except BaseException as exc:  # reported below: a thread's exception is otherwise lost
            errors.append(exc)

    threads = [threading.Thread(target=sender, args=(i,)) for i in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    assert claims[0] and claims[1], "both senders should have claimed something"
    assert not set(claims[0]) & set(claims[1])
    assert sorted(claims[0] + claims[1]) == [f"m{i:03}" for i in range(total)]
    with Session(pg_engines[0]) as session:
        assert set(_status(Repository(session, "p")).values()) == {("sending", 1)}


def test_a_set_up_test_is_claimed_only_by_its_own_key_and_never_reclaimed(
    repo: Repository,
) -> None:
    repo.enqueue([_message("a"), _message("test:x:1", kind="test"), _message("b")])
    repo._session.commit()
    assert [r.key for r in repo.claim_outbox(now=T)] == ["a", "b"]  # a general send skips it
    assert [r.key for r in repo.claim_outbox(now=T, keys=["test:x:1"], max_attempts=1)] == [
        "test:x:1"
    ]
    repo._session.commit()
    # Its sender died: the row is not taken again, however long it waits, but marked dead.
    later = T + timedelta(days=1)
    assert repo.claim_outbox(now=later, keys=["test:x:1"]) == []
    assert _status(repo)["test:x:1"] == ("dead", 1)
