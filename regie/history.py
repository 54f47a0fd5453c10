"""Status updates, the event log, replays and the outbox, as the CLI shows them."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

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
    """Append one status update (and its regie.status.updated event) in one transaction.

    Refusals are :class:`~governance.updates.UpdateRejected` in domain words (field and
    problem); each entrypoint words them for its own users.
    """
    from governance.clock import utcnow
    from governance.events import status_updated
    from governance.updates import StatusUpdate, UpdateRejected, check_update
    from store import EventRecord, Repository, UnknownItem, sync_plan

    checked = check_update(status, as_of, completed_on)
    plan = app.load_plan()
    action = plan.action(item_id)
    if action is not None and action.gereed is None and action.milestones:
        # The engine judges an action by its milestones; an answer on the action itself would
        # be stored but change nothing, which is worse than a clear refusal.
        ids = ", ".join(m.id for m in action.milestones)
        raise UpdateRejected("item_id", f"no gereed of its own: report on its milestones ({ids})")
    update = StatusUpdate(
        item_id=item_id,
        status=checked,
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
            raise UpdateRejected(
                "item_id", f"no such action or milestone in {plan.programme.id}"
            ) from None
        event = status_updated(stored)
        repo.record_events(
            [
                EventRecord(
                    event.name, event.item_id, event.occurred_on, dict(event.payload), event.key
                )
            ]
        )
    if app.settings.prefect_api_url:
        # A Prefect server's triggers reassess at once. Without one, the next scheduled cycle
        # picks the update up (and importing Prefect would only slow the CLI down).
        from regie.events import publish

        publish([event], plan.programme.id)
    return f"{item_id}: {status} recorded for {as_of} (update {stored.id})"


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

    if end < start:
        raise InvalidInput(f"--to {end} is before --from {start}")
    plan = app.load_plan()
    calendar = WorkCalendar.for_plan(plan)
    lines = []
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
