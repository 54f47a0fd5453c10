"""The daily cycle's "updates stored since the last run" must not skip an update whose id is
lower than one already seen but which committed later (two writers on PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from governance.plan import Plan
from governance.updates import StatusUpdate, UpdateStatus
from store import Repository, sync_plan
from store.memory import newest_update_id, updated_items

T0 = datetime(2015, 9, 1, 8, tzinfo=UTC)
DAY = date(2015, 9, 1)


def _add(session: Session, programme_id: str, item: str) -> int:
    update = StatusUpdate(item, UpdateStatus.ON_TRACK, DAY, recorded_at=T0)
    stored = Repository(session, programme_id).add_status_update(update)
    assert stored.id is not None
    return stored.id


def _since(engine: Engine, programme_id: str, after_id: int) -> set[str]:
    with Session(engine) as session:
        return updated_items(session, programme_id, after_id=after_id, after_day=DAY, through=DAY)


def _watermark(engine: Engine, since: int) -> int:
    with Session(engine) as session:
        return newest_update_id(session, since)


def _with_a_gap(engine: Engine, plan: Plan) -> tuple[int, int]:
    """Two stored updates with a rolled-back id between them; their ids."""
    pid = plan.programme.id
    with Session(engine) as session, session.begin():
        sync_plan(session, plan, now=T0)
        first = _add(session, pid, "1.1.1")
    with Session(engine) as session:
        session.begin()
        _add(session, pid, "1.1.2")
        session.rollback()  # a gap in the ids, forever
    with Session(engine) as session, session.begin():
        last = _add(session, pid, "2.1.1")
    return first, last


def test_an_update_committed_after_a_higher_id_is_still_seen(
    engine: Engine, sample_plan: Plan
) -> None:
    pid = sample_plan.programme.id
    with Session(engine) as session, session.begin():
        sync_plan(session, sample_plan, now=T0)
        first = _add(session, pid, "1.1.1")
    start = _watermark(engine, 0)
    assert start == first

    slow, fast = Session(engine), Session(engine)
    try:
        slow.begin()
        low = _add(slow, pid, "1.1.2")  # takes the lower id, commits last
        if engine.dialect.name == "sqlite":
            slow.commit()  # SQLite has one writer at a time: ids become visible in order
        fast.begin()
        high = _add(fast, pid, "2.1.1")
        fast.commit()
        assert low < high
        # A daily cycle runs now: it sees `high`, not `low` (on PostgreSQL still in flight).
        seen_now = _since(engine, pid, start)
        watermark = _watermark(engine, start)
        if engine.dialect.name == "postgresql":
            assert seen_now == {"2.1.1"}
            assert watermark < low  # max(id) would be `high`, and `low` lost for good
            slow.commit()
        else:
            assert seen_now == {"1.1.2", "2.1.1"}
            assert watermark == high
    finally:
        slow.close()
        fast.close()
    if engine.dialect.name == "postgresql":  # the next cycle reads from the watermark on
        assert "1.1.2" in _since(engine, pid, watermark)
    # With nothing in flight any more the watermark moves up to the newest id.
    assert _watermark(engine, watermark) == high


def test_a_rolled_back_id_does_not_hold_the_watermark_once_nothing_is_in_flight(
    engine: Engine, sample_plan: Plan
) -> None:
    first, last = _with_a_gap(engine, sample_plan)
    assert _watermark(engine, first) == last


def test_other_transactions_committing_meanwhile_do_not_hold_the_watermark(
    engine: Engine, sample_plan: Plan
) -> None:
    """Busy neighbours (another programme's answers, Prefect's own tables) commit all the time;
    only a writer that may hold an unseen update id may keep the watermark below a gap."""
    import threading

    first, last = _with_a_gap(engine, sample_plan)
    stop = threading.Event()

    def neighbour() -> None:  # commits as fast as it can, writing no update
        with engine.connect() as connection:
            while not stop.is_set():
                with connection.begin():
                    connection.exec_driver_sql("SELECT 1")
                    if engine.dialect.name == "postgresql":
                        connection.exec_driver_sql("SELECT txid_current()")

    thread = threading.Thread(target=neighbour)
    thread.start()
    try:
        assert [_watermark(engine, first) for _ in range(20)] == [last] * 20
    finally:
        stop.set()
        thread.join()
