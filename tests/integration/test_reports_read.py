"""store.reports_read against what the normal write paths store, on SQLite and PostgreSQL: the
values come back converted (dates, times, UTC instants) and in their order, on a plain
connection of its own."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from governance.decisions import Decision, DecisionKind
from governance.events import ESCALATION_RAISED, REMINDER_QUEUED, DomainEvent
from governance.meetings import Meeting
from governance.plan import Plan
from store import EventRecord, Repository, reports_read, sync_plan
from store.reports_repo import ReportsRepository
from tests.integration.store_plans import T0

DAY = date(2016, 1, 12)
LATER = date(2016, 4, 12)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2016, 1, 12, 22, 30, 15, 123456, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


def _recorded(event: DomainEvent) -> EventRecord:
    """As the daily cycle records an event (regie.cycle)."""
    return EventRecord(event.name, event.item_id, event.occurred_on, dict(event.payload), event.key)


def test_reads_give_back_what_the_write_paths_stored(
    engine: Engine, session: Session, sample_plan: Plan
) -> None:
    programme = sample_plan.programme.id
    sync_plan(session, sample_plan, now=T0)
    reports = ReportsRepository(session, programme, clock=Clock())
    meetings = [
        Meeting("stuurgroep", LATER, time(9, 30), "Den Haag, zaal 2", source="db", note="extra"),
        Meeting("stuurgroep", DAY, None, None, source="db"),
        Meeting("kernteam", DAY, time(14, 0), None, source="db"),
    ]
    assert all(reports.add_meeting(m) for m in meetings)
    written = [
        reports.add_decision(d)
        for d in (
            Decision("stuurgroep", LATER, DecisionKind.DECISION, "later besloten"),
            Decision(
                "stuurgroep",
                DAY,
                DecisionKind.SET_GEREED,
                "verschoven",
                "1.1.1",
                "Q3 2015",
                "Q1 2016",
            ),
            Decision("kernteam", DAY, DecisionKind.DECISION, "alleen vastgelegd"),
            Decision("stuurgroep", DAY, DecisionKind.CANCEL, "vervalt", "1.1.2"),
        )
    ]
    escalation = DomainEvent(
        ESCALATION_RAISED, "1.1.1", DAY, {"kind": "overdue", "contacts": ["a"]}, "a+b"
    )
    Repository(session, programme).record_events(
        _recorded(e)
        for e in (
            escalation,
            DomainEvent(REMINDER_QUEUED, "1.1.2", DAY, {}, "a"),
            DomainEvent(ESCALATION_RAISED, "1.1.2", LATER, {}, "a"),
        )
    )
    session.commit()

    with engine.connect() as connection:
        read = reports_read.decisions(connection, programme)
        assert read == [written[1], written[2], written[3], written[0]]  # by meeting, then id
        assert [d.id for d in read[:3]] == sorted(d.id for d in read[:3] if d.id is not None)
        assert all(d.recorded_at is not None and d.recorded_at.tzinfo is UTC for d in read)
        # The clock was called for 3 meetings and 2 decisions before this one was recorded.
        assert read[0].recorded_at == datetime(2016, 1, 12, 22, 35, 15, 123456, tzinfo=UTC)
        assert reports_read.decisions(connection, programme, "stuurgroep", DAY) == [
            written[1],
            written[3],
        ]
        assert reports_read.meetings(connection, programme, None) == [
            meetings[1],
            meetings[2],
            meetings[0],
        ]
        assert reports_read.meetings(connection, programme, "kernteam") == [meetings[2]]
        assert reports_read.events_named(connection, programme, ESCALATION_RAISED, DAY) == [
            ("1.1.1", DAY)
        ]
        assert reports_read.events_named(connection, programme, ESCALATION_RAISED, LATER) == [
            ("1.1.1", DAY),
            ("1.1.2", LATER),
        ]
