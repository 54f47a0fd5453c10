"""What the cycle holds of its messages at 100k items (#8 round 32): a day's digests are
megabytes each. New messages are inserted a few to a statement, taken as they come (none kept
past its statement); the sync's withdrawal check has SQLite parse one payload at a time.
SQLite's own memory is read from its library (``sqlite3_memory_highwater``)."""

from __future__ import annotations

import ctypes
import ctypes.util
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from store import OutboxRecord, Repository, make_engine
from store.models import OutboxRow, ProgrammeRow
from store.models_delivery import OutboxDigestItemRow
from store.outbox import TEXT_PER_INSERT, withdraw
from tests.integration.migrated_template import MigratedTemplates

NOW = datetime(2015, 10, 5, 6, 0, tzinfo=UTC)
DAY = date(2015, 10, 5)


def _items(n: int, tag: str) -> list[dict[str, Any]]:
    """A digest's items: distinct per ``tag``, ≈ 90 characters of JSON each."""
    return [{"id": f"{tag}.{i}", "stage": f"overdue:2015-09-{i % 28 + 1:02d}:1"} for i in range(n)]


def _message(
    key: str, size: int = 0, items: int = 0, kind: str = "reminder_digest"
) -> OutboxRecord:
    return OutboxRecord(
        key=key, kind=kind, recipient=f"c{key}", recipient_name="C", subject="Verzoek",
        body_text="é" * size, payload={"items": _items(items, key)}, created_on=DAY,
    )  # fmt: skip


def _programme(session: Session) -> Repository:
    session.add(ProgrammeRow(id="p", title="p", created_at=NOW, updated_at=NOW))
    session.flush()
    return Repository(session, "p", clock=lambda: NOW)


def test_messages_go_a_few_to_a_statement_in_order_each_key_once(session: Session) -> None:
    repo = _programme(session)
    repo.enqueue([_message("old")])
    small = [_message(f"s{n}", 100, 3) for n in range(30)]
    big = [_message(f"b{n}", TEXT_PER_INSERT - 50, 50) for n in range(3)]  # one fills one
    given = [*small[:20], big[0], _message("old"), big[1], small[0], big[2], *small[20:]]
    statements: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO OUTBOX "):
            statements.append(statement)

    engine = session.get_bind()
    sa.event.listen(engine, "before_cursor_execute", seen)
    try:
        queued = repo.enqueue(iter(given))
    finally:
        sa.event.remove(engine, "before_cursor_execute", seen)
    # New keys in input order, "old" (stored) and s0's second message (a key seen) left out.
    expected = [m.key for m in [*small[:20], *big, *small[20:]]]
    assert queued == expected
    o = OutboxRow
    ids = dict(session.execute(sa.select(o.key, o.id).where(o.key != "old")).tuples().all())
    assert sorted(ids, key=ids.__getitem__) == expected  # ids in input order
    # The 20 small ones; b0 with the stored key's (left out by the database); b1; b2; the
    # 10 small ones after: a few to a statement, by their text.
    assert len(statements) == 5
    t = OutboxDigestItemRow
    entries = session.execute(sa.select(t.message_id, sa.func.count()).group_by(t.message_id))
    assert dict(entries.tuples().all()) == {
        ids[key]: 50 if key.startswith("b") else 3 for key in expected
    }


def test_the_withdrawal_check_reads_every_channel_in_one_statement(session: Session) -> None:
    """fix57c 5: perf56a read each unsent message's channel on SQLite with a statement of its
    own, a statement per message on every sync; now one for all, on both databases (the memory
    test below: still one parsed payload at a time)."""
    from dataclasses import replace

    from store.outbox_channels import carried_channels

    repo = _programme(session)
    carried = {0: "email", 1: None, 2: "slack"}  # 1: a JSON null; the others carry none
    repo.enqueue(
        [
            replace(m, payload={**m.payload, "channel": carried[n]}) if n in carried else m
            for n, m in enumerate(_message(f"m{n}", 10, 2) for n in range(40))
        ]
    )
    repo.enqueue([_message("round", kind="round_request")])
    statements: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    engine = session.get_bind()
    sa.event.listen(engine, "before_cursor_execute", seen)
    try:
        found = carried_channels(session, "p", ("pending",), "round_request")
    finally:
        sa.event.remove(engine, "before_cursor_execute", seen)
    assert [(key, channel) for _, key, _, channel in found] == [
        (f"m{n}", carried.get(n)) for n in range(40)
    ]
    assert len(statements) == 1, statements


def test_messages_are_taken_as_they_come_none_kept(session: Session) -> None:
    """Given an iterator of messages (the cycle renders each digest as it is taken), the
    queue holds at most a statement's messages at once: not every day's digest."""
    repo = _programme(session)
    size = TEXT_PER_INSERT  # one message a statement
    taken: list[int] = []

    def made() -> Iterator[OutboxRecord]:
        for n in range(8):
            taken.append(tracemalloc.get_traced_memory()[0])
            yield _message(f"m{n}", size, 200)

    repo.enqueue([_message("warm", 10, 2)])  # the statements compiled before measuring

    def peak(messages: Iterator[OutboxRecord]) -> int:
        tracemalloc.start()
        try:
            start = tracemalloc.get_traced_memory()[0]
            repo.enqueue(messages)
            return tracemalloc.get_traced_memory()[1] - start
        finally:
            tracemalloc.stop()

    one = peak(iter([_message("one", size, 200)]))
    eight = peak(made())
    assert len(taken) == 8
    assert one > size  # the message's text was held
    assert eight < 3 * one, f"eight messages {eight / 2**20:.1f} MiB, one {one / 2**20:.1f} MiB"


@pytest.fixture
def sqlite_session(sqlite_url: str, migrated_templates: MigratedTemplates) -> Iterator[Session]:
    """A session on a migrated SQLite database: SQLite's own memory is measured (no
    PostgreSQL variant: its server's memory is another process's)."""
    migrated_templates.fill(sqlite_url)
    engine = make_engine(sqlite_url)
    with Session(engine) as session:
        yield session
    engine.dispose()


def _sqlite_memory() -> tuple[Any, Any] | None:
    """SQLite's ``sqlite3_memory_used`` and ``sqlite3_memory_highwater`` of the library the
    driver uses, or None (not found, or its memory statistics off)."""
    import _sqlite3

    for name in (_sqlite3.__file__, ctypes.util.find_library("sqlite3")):
        try:
            lib = ctypes.CDLL(name)
            used, high = lib.sqlite3_memory_used, lib.sqlite3_memory_highwater
        except (OSError, TypeError, AttributeError):
            continue
        used.restype = high.restype = ctypes.c_int64
        high.argtypes = [ctypes.c_int]
        return used, high
    return None


def _sqlite_peak(session: Session, work: Any) -> int:
    """SQLite's memory high-water during ``work()`` above its use before, in bytes."""
    found = _sqlite_memory()
    if found is None:
        pytest.skip("SQLite's memory statistics are not reachable from here")
    used, high = found
    session.connection().exec_driver_sql("PRAGMA cache_size = 20")  # pages cached: not measured
    before = used()
    if before <= 0:
        pytest.skip("the driver's SQLite keeps no memory statistics")
    high(1)
    work()
    return int(high(0)) - before


def test_new_messages_are_bound_a_few_at_a_time(sqlite_session: Session) -> None:
    session = sqlite_session
    repo = _programme(session)
    repo.enqueue([_message("warm", 10, 2)])
    size = TEXT_PER_INSERT  # one message a statement, ≈ 0.4 MB of text and 0.3 MB of payload
    one = _sqlite_peak(session, lambda: repo.enqueue([_message("a", size, 4000)]))
    six = _sqlite_peak(
        session, lambda: repo.enqueue([_message(f"b{n}", size, 4000) for n in range(6)])
    )
    assert one > size  # the message was bound
    assert six < 2 * one, f"six messages {six / 2**20:.1f} MiB, one {one / 2**20:.1f} MiB"


def test_the_withdrawal_check_parses_one_payload_at_a_time(sqlite_session: Session) -> None:
    session = sqlite_session
    repo = _programme(session)
    repo.enqueue([_message("a", 10, 12_000)])  # ≈ 1 MB of JSON each, every one distinct
    channels = {"ca": None, **{f"cb{n}": None for n in range(6)}}

    def check() -> None:
        assert withdraw(session, "p", {}, channels, occurred_on=DAY, now=NOW) == {}

    one = _sqlite_peak(session, check)
    repo.enqueue([_message(f"b{n}", 10, 12_000) for n in range(6)])
    seven = _sqlite_peak(session, check)
    assert one > 1_000_000  # the payload was parsed
    assert seven < 2 * one, f"seven payloads {seven / 2**20:.1f} MiB, one {one / 2**20:.1f} MiB"
