"""Status updates, the event log, replays and the outbox, as the CLI shows them."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from regie.bootstrap import App
from regie.errors import InvalidInput

if TYPE_CHECKING:
    from store.records import OutboxRecord, StoredEvent


def record_update(
    app: App,
    item_id: str,
    status: str,
    *,
    as_of: date,
    forecast: date | None,
    completed_on: date | None,
    comment: str | None,
    author: str | None,
    source: str = "cli",
) -> str:
    """Append one status update (and its regie.status.updated event) in one transaction."""
    from governance.events import status_updated
    from governance.updates import StatusUpdate, UpdateStatus
    from regie.services import utcnow
    from store import EventRecord, Repository, UnknownItem, sync_plan

    known = [s.value for s in UpdateStatus]
    if status not in known:
        raise InvalidInput(f"--status: unknown status {status!r} (known: {', '.join(known)})")
    if completed_on and status != UpdateStatus.DONE:
        raise InvalidInput("--completed-on: only with --status done")
    if completed_on and completed_on > as_of:
        raise InvalidInput(f"--completed-on: {completed_on} is after the update's date {as_of}")
    plan = app.load_plan()
    action = plan.action(item_id)
    if action is not None and action.gereed is None and action.milestones:
        # The engine judges an action by its milestones; an answer on the action itself would
        # be stored but change nothing, which is worse than a clear refusal.
        ids = ", ".join(m.id for m in action.milestones)
        raise InvalidInput(f"{item_id} has no gereed of its own: report on its milestones ({ids})")
    update = StatusUpdate(
        item_id=item_id,
        status=UpdateStatus(status),
        reported_on=as_of,
        forecast=forecast,
        completed_on=completed_on,
        comment=comment,
        author=author,
        source=source,
    )
    with app.session() as session, session.begin():
        sync_plan(session, plan, now=utcnow(), plan_path=str(plan.path))
        repo = Repository(session, plan.programme.id)
        try:
            stored = repo.add_status_update(update)
        except UnknownItem:
            raise InvalidInput(
                f"{item_id}: no such action or milestone in {plan.programme.id}"
            ) from None
        event = status_updated(stored)
        repo.record_events(
            [
                EventRecord(
                    event.name, event.item_id, event.occurred_on, dict(event.payload), event.key
                )
            ]
        )
    _emit_to_prefect(event.name, event.resource_id, dict(event.payload))
    return f"{item_id}: {status} recorded for {as_of} (update {stored.id})"


def _emit_to_prefect(name: str, resource_id: str, payload: dict[str, Any]) -> None:
    """Tell a Prefect server (if one is configured) so its triggers reassess at once."""
    import os

    if not os.environ.get("PREFECT_API_URL"):
        return  # no server: the next scheduled cycle picks the update up
    from prefect.events import emit_event

    emit_event(event=name, resource={"prefect.resource.id": resource_id}, payload=payload)


def list_events(app: App, since: date | None, item: str | None) -> list[StoredEvent]:
    from store import Repository

    with app.session() as session:
        return Repository(session, app.programme_id()).events(since=since, item=item)


def list_outbox(app: App, status: str | None) -> list[OutboxRecord]:
    from store import Repository
    from store.models import OUTBOX_STATUSES

    if status is not None and status not in OUTBOX_STATUSES:
        known = ", ".join(OUTBOX_STATUSES)
        raise InvalidInput(f"--status: unknown outbox status {status!r} (known: {known})")
    with app.session() as session:
        return Repository(session, app.programme_id()).outbox(status=status)


def replay(app: App, start: date, end: date) -> list[str]:
    """Run the deadline check for every working day from ``start`` to ``end`` (inclusive).

    Reminders found on the way are recorded as suppressed: history is rebuilt, nobody is
    mailed about 2015 today.
    """
    from governance.workdays import WorkCalendar
    from regie.cycle import deadline_check
    from store import Repository

    if end < start:
        raise InvalidInput(f"--to {end} is before --from {start}")
    plan = app.load_plan()
    calendar = WorkCalendar.for_plan(plan)
    lines = []
    with app.session() as session:
        last = Repository(session, plan.programme.id).last_assessed()
    if last is not None and start < last <= end:
        # A replay that was stopped half-way: the same command carries on where it was (the
        # last day again adds nothing), instead of refusing its own earlier work.
        lines.append(f"resuming after {last} (assessed up to there already)")
        start = last
    events = queued = days = 0
    for day in calendar.working_days_in(start, end):
        report = deadline_check(app, day, plan=plan, replay=True)
        days += 1
        events += len(report.events)
        queued += len(report.queued)
        if report.events:
            lines.append(f"{day}: {len(report.events)} events, {len(report.queued)} reminders")
    lines.append(
        f"replayed {days} working days {start} … {end}: {events} events, "
        f"{queued} reminders recorded (suppressed, not sent)"
    )
    return lines
