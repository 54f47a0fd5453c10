"""Repository on SQLite and PostgreSQL: status history, latest per item, events, revisions."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from governance.plan import ItemLevel, Plan
from governance.updates import StatusUpdate, UpdateStatus
from store import EventRecord, Repository, UnknownItem, sync_plan
from store.dialect import ARRAY_INSERT_FROM_ROWS
from store.models import EventRow, StatusUpdateRow
from tests.integration.array_inserts import assert_overlong_refused_alike
from tests.integration.store_plans import T0, drop_milestone, make_sample_plan, quarter
from tests.integration.store_reads import stored_items


class Clock:
    """A settable clock: every call returns the next minute."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2015, 9, 10, 9, 0, tzinfo=UTC))


@pytest.fixture
def repo(session: Session, sample_plan: Plan, clock: Clock) -> Iterator[Repository]:
    sync_plan(session, sample_plan, now=T0)
    session.commit()
    yield Repository(session, sample_plan.programme.id, clock=clock)


def _update(item: str, status: UpdateStatus, day: int, **kw: Any) -> StatusUpdate:
    return StatusUpdate(item, status, date(2015, 9, day), **kw)


def test_add_returns_the_update_with_id_and_utc_recorded_at(
    repo: Repository, session: Session, clock: Clock
) -> None:
    given = _update(
        "1.1.1",
        UpdateStatus.AT_RISK,
        12,
        forecast=date(2015, 10, 15),
        comment="leverancier laat",
        author="jdevries",
        source="slack",
    )
    stored = repo.add_status_update(given)
    session.commit()

    assert stored.id is not None
    assert stored.recorded_at == clock.now
    assert stored == dataclasses.replace(given, id=stored.id, recorded_at=clock.now)
    [read] = repo.status_updates()
    assert read == stored
    assert read.recorded_at is not None and read.recorded_at.tzinfo is not None
    assert read.recorded_at.utcoffset() == timedelta(0)


def test_recorded_at_given_in_another_zone_comes_back_as_the_same_instant_in_utc(
    repo: Repository, session: Session
) -> None:
    amsterdam_summer = timezone(timedelta(hours=2))
    at = datetime(2015, 9, 12, 11, 30, tzinfo=amsterdam_summer)
    repo.add_status_update(_update("1.2", UpdateStatus.ON_TRACK, 12, recorded_at=at))
    session.commit()

    [read] = repo.status_updates()
    assert read.recorded_at == at
    assert read.recorded_at is not None and read.recorded_at.tzinfo == UTC


def test_naive_recorded_at_is_refused(repo: Repository) -> None:
    naive = datetime(2015, 9, 12, 11, 30)
    with pytest.raises(ValueError, match="timezone-aware"):
        repo.add_status_update(_update("1.2", UpdateStatus.ON_TRACK, 12, recorded_at=naive))


def test_history_is_kept_and_ordered(repo: Repository, session: Session) -> None:
    # Inserted out of order: ordering is by reported_on, then recorded_at, then id.
    late = repo.add_status_update(_update("1.1.1", UpdateStatus.DONE, 20))
    early = repo.add_status_update(_update("1.1.1", UpdateStatus.ON_TRACK, 11))
    same_day_first = repo.add_status_update(_update("1.2", UpdateStatus.ON_TRACK, 15))
    same_day_second = repo.add_status_update(_update("1.2", UpdateStatus.AT_RISK, 15))
    session.commit()

    assert repo.status_updates() == [early, same_day_first, same_day_second, late]
    assert repo.status_updates(until=date(2015, 9, 15)) == [
        early,
        same_day_first,
        same_day_second,
    ]
    assert repo.status_updates(until=date(2015, 9, 10)) == []
    assert repo.status_updates(item="1.1.1") == [early, late]


def test_latest_update_per_item(repo: Repository, session: Session) -> None:
    repo.add_status_update(_update("1.1.1", UpdateStatus.ON_TRACK, 11))
    done = repo.add_status_update(_update("1.1.1", UpdateStatus.DONE, 20))
    risk = repo.add_status_update(_update("1.2", UpdateStatus.AT_RISK, 15))
    correction = repo.add_status_update(_update("1.2", UpdateStatus.ON_TRACK, 15))
    session.commit()

    assert repo.latest_updates() == {"1.1.1": done, "1.2": correction}
    assert repo.latest_updates(until=date(2015, 9, 19)) == {
        "1.1.1": repo.status_updates(item="1.1.1")[0],
        "1.2": correction,
    }
    assert risk in repo.status_updates()  # the superseded answer is still history


@pytest.mark.parametrize("code", ["9.9", "1.1.9", ""])
def test_unknown_item_is_rejected(repo: Repository, code: str) -> None:
    with pytest.raises(UnknownItem) as info:
        repo.add_status_update(_update(code, UpdateStatus.DONE, 12))
    assert info.value.code == code
    assert repo.status_updates() == []


def test_archived_item_is_rejected(repo: Repository, session: Session, sample_plan: Plan) -> None:
    sync_plan(session, drop_milestone(sample_plan, "2.1.1"), now=T0 + timedelta(days=1))
    session.commit()

    with pytest.raises(UnknownItem, match=r"2\.1\.1"):
        repo.add_status_update(_update("2.1.1", UpdateStatus.DONE, 12))


def test_item_of_another_programme_is_rejected(repo: Repository, session: Session) -> None:
    other = make_sample_plan("ander-programma")
    sync_plan(session, drop_milestone(other, "1.1.1"), now=T0, add_programme=True)
    session.commit()
    other_repo = Repository(session, "ander-programma")

    with pytest.raises(UnknownItem):
        other_repo.add_status_update(_update("1.1.1", UpdateStatus.DONE, 12))
    repo.add_status_update(_update("1.1.1", UpdateStatus.DONE, 12))  # fine in its own programme
    assert other_repo.status_updates() == []


def test_already_stored_update_is_not_added_again(repo: Repository, session: Session) -> None:
    stored = repo.add_status_update(_update("1.2", UpdateStatus.DONE, 12))
    with pytest.raises(ValueError, match="already stored"):
        repo.add_status_update(stored)


def _event(key: str, day: int = 12, item: str | None = "1.1.1", name: str = "Due") -> EventRecord:
    return EventRecord(name, item, date(2015, 9, day), {"key": key, "days": day}, key)


def test_events_are_deduplicated_without_breaking_the_transaction(
    repo: Repository, session: Session
) -> None:
    assert repo.record_events([_event("a"), _event("b")]) == 2
    assert repo.record_events([_event("a"), _event("c"), _event("c")]) == 1
    # The duplicate did not poison the transaction (PostgreSQL would, on a plain INSERT).
    repo.add_status_update(_update("1.2", UpdateStatus.DONE, 12))
    session.commit()

    assert [e.dedupe_key for e in repo.events()] == ["a", "b", "c"]
    assert session.scalar(sa.select(sa.func.count()).select_from(EventRow)) == 3
    assert session.scalar(sa.select(sa.func.count()).select_from(StatusUpdateRow)) == 1
    assert repo.record_events([]) == 0
    assert repo.record_new_events([_event("d"), _event("b"), _event("e")]) == ["d", "e"]


def test_same_dedupe_key_in_two_programmes_is_two_events(
    repo: Repository, session: Session
) -> None:
    sync_plan(session, make_sample_plan("ander-programma"), now=T0, add_programme=True)
    other = Repository(session, "ander-programma")

    assert repo.record_events([_event("a")]) == 1
    assert other.record_events([_event("a")]) == 1
    session.commit()
    assert len(repo.events()) == len(other.events()) == 1


def test_events_round_trip_filter_and_order(
    repo: Repository, session: Session, clock: Clock
) -> None:
    records = [_event("x", 20), _event("y", 11, item=None, name="CycleRan"), _event("z", 15)]
    repo.record_events(records)
    session.commit()

    events = repo.events()
    assert [e.dedupe_key for e in events] == ["y", "z", "x"]
    y = events[0]
    assert (y.name, y.item_id, y.occurred_on, y.payload) == (
        "CycleRan",
        None,
        date(2015, 9, 11),
        {"key": "y", "days": 11},
    )
    assert y.recorded_at == clock.now and y.recorded_at.tzinfo is not None
    assert [e.dedupe_key for e in repo.events(since=date(2015, 9, 15))] == ["z", "x"]
    assert [e.dedupe_key for e in repo.events(item="1.1.1")] == ["z", "x"]


def test_bulk_events_store_days_and_instants_as_the_typed_columns_do(
    repo: Repository, session: Session, clock: Clock
) -> None:
    """record_new_events converts the repeated day and instant once (SQLite); what is stored
    must be the text an ORM insert of the same values stores, so reads and sorting agree."""
    repo.record_new_events([_event("bulk", 11)])
    session.add(
        EventRow(
            programme_id=repo.programme_id, name="MilestoneOverdue", item_code="1.1.1",
            occurred_on=date(2015, 9, 11), recorded_at=clock.now, payload={}, dedupe_key="orm",
        )
    )  # fmt: skip
    session.commit()
    e = EventRow.__table__.c
    text = sa.select(
        e.dedupe_key, sa.cast(e.occurred_on, sa.String), sa.cast(e.recorded_at, sa.String)
    )
    stored = {key: (day, instant) for key, day, instant in session.execute(text).all()}
    assert stored["bulk"] == stored["orm"]
    assert stored["bulk"][0].startswith("2015-09-11")


def test_many_events_in_one_call(repo: Repository, session: Session) -> None:
    records = [_event(f"k{i}", 1 + i % 28) for i in range(1203)]
    assert repo.record_events(records) == 1203
    assert repo.record_events(records[::2]) == 0
    session.commit()
    assert len(repo.events()) == 1203


def test_items_are_current_actions_and_milestones_in_plan_order(
    repo: Repository, session: Session, sample_plan: Plan
) -> None:
    items = stored_items(session, repo.programme_id)
    assert [(i.item_id, i.level, i.action_id, i.step) for i in items] == [
        ("1.1", ItemLevel.ACTION, "1.1", 1),
        ("1.1.1", ItemLevel.MILESTONE, "1.1", 1),
        ("1.1.2", ItemLevel.MILESTONE, "1.1", 1),
        ("1.2", ItemLevel.ACTION, "1.2", 1),
        ("2.1", ItemLevel.ACTION, "2.1", 2),
        ("2.1.1", ItemLevel.MILESTONE, "2.1", 2),
    ]
    plan_items = {m.id: m for m in sample_plan.milestones()}
    for item in items:
        if item.level is ItemLevel.MILESTONE:
            m = plan_items[item.item_id]
            assert (item.title, item.gereed, item.period, item.owners) == (
                m.title,
                m.gereed,
                m.period,
                m.owners,
            )
    assert items[0].period is None and items[0].gereed is None
    assert items[1].period == quarter(2015, 3)

    sync_plan(session, drop_milestone(sample_plan, "1.1.2"), now=T0 + timedelta(days=1))
    assert "1.1.2" not in {i.item_id for i in stored_items(session, repo.programme_id)}


def test_revisions_filter(repo: Repository, session: Session, sample_plan: Plan) -> None:
    later = T0 + timedelta(days=3)
    sync_plan(session, drop_milestone(sample_plan, "1.1.2"), now=later)
    session.commit()

    assert [(r.kind, r.recorded_at) for r in repo.revisions(code="1.1.2")] == [
        ("created", T0),
        ("archived", later),
    ]
    assert [(r.entity, r.code) for r in repo.revisions(since=later)] == [("milestone", "1.1.2")]
    assert {r.code for r in repo.revisions(entity="organisation")} == {
        "IenM",
        "RIVM",
        "PIANOo",
    }


def test_programme_exists(repo: Repository, session: Session) -> None:
    assert repo.programme_exists()
    assert not Repository(session, "nog-niet-gesynct").programme_exists()


def test_a_large_batch_of_events_is_stored_as_a_small_one(
    repo: Repository, session: Session
) -> None:
    """From ARRAY_INSERT_FROM_ROWS rows on PostgreSQL the events go as one ``INSERT … SELECT``
    of array parameters (store.dialect.staged): the same stored text (names with the array
    syntax's own quotes, commas, braces and backslashes; day, instant, payload with tabs,
    newlines, quotes, non-ASCII), new keys in input order, ids in input order, duplicates
    skipped without breaking the transaction."""
    n = ARRAY_INSERT_FROM_ROWS + 7
    payload = {"note": 'tab\there "quoted" \\ newline\nëÿ€', "nested": {"n": [1, None, 2.5]}}

    names = ("Due", 'Due "a","b" \\ {NULL} ,x\\', "NULL")

    def event(key: str, i: int) -> EventRecord:
        day = date(2015, 9, 1 + i % 28)
        return EventRecord(names[i % 3], f"1.{i % 3}", day, payload | {"i": i}, key)

    assert repo.record_events([event(f"old{i}", i) for i in range(0, n, 50)]) == len(
        range(0, n, 50)
    )
    big = [event(f"big{i}", i) for i in range(n)] + [event(f"old{i}", i) for i in range(0, n, 50)]
    assert repo.record_new_events(big[::-1]) == [f"big{i}" for i in reversed(range(n))]
    for i in range(n):  # one at a time: the plain INSERT
        assert repo.record_new_events([event(f"small{i}", i)]) == [f"small{i}"]
    session.commit()
    e = EventRow.__table__.c
    query = sa.select(
        e.dedupe_key, e.id, e.name, e.item_code, sa.cast(e.occurred_on, sa.String),
        sa.cast(e.recorded_at, sa.String), sa.cast(e.payload, sa.String),
    )  # fmt: skip
    stored = {key: rest for key, *rest in session.execute(query).all()}
    assert len(stored) == 2 * n + len(range(0, n, 50))
    for i in range(n):  # the clock ticks per call: the instants differ, not their form
        big_row, small_row = stored[f"big{i}"], stored[f"small{i}"]
        assert big_row[1:4] + big_row[5:] == small_row[1:4] + small_row[5:]
        assert len(big_row[4]) == len(small_row[4]) and big_row[4] == stored["big0"][4]
    ids = [stored[f"big{i}"][0] for i in reversed(range(n))]
    assert ids == sorted(ids)


def test_an_overlong_event_key_is_refused_by_a_large_batch_as_by_a_small_one(
    repo: Repository, session: Session
) -> None:
    """PostgreSQL: a dedupe key longer than its column is refused by the array insert as by the
    plain one (a cast to ``varchar(n)[]`` cut it: a shortened key given back, two keys sharing
    their first n characters colliding silently). SQLite does not check lengths."""
    length = EventRow.__table__.c.dedupe_key.type.length
    assert length is not None
    assert_overlong_refused_alike(
        session,
        lambda n: [
            EventRecord("Due", "1.1", date(2015, 9, 1), {}, "k" * length + str(i)) for i in range(n)
        ],
        repo.record_new_events,
        EventRow,
    )
