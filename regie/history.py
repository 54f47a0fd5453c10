"""Status updates, the event log, replays and the outbox, as the CLI shows them."""

from __future__ import annotations

from collections.abc import Callable
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
    """Append one status update from the command line: the programme office answering, or the
    contact ``author`` names, through the one answer use case (:func:`regie.answers.record_answer`).

    Refusals are :class:`~regie.answers.AnswerRefused` in domain words (the answer's fields, a
    refusal reason); the command line words them as its flags.
    """
    from dataclasses import replace

    from governance.answers import OFFICE, Answerer, AnswerInput, FieldProblem, Refusal, contact
    from regie.answers import AnswerRefused, record_answer, unpublished_note

    plan = app.load_plan()
    action = plan.action(item_id)
    if action is not None and action.gereed is None and action.milestones:
        # The engine judges an action by its milestones; an answer on the action itself would
        # be stored but change nothing, which is worse than a clear refusal.
        ids = ", ".join(m.id for m in action.milestones)
        problem = FieldProblem(
            "item_id",
            f"dit punt heeft geen eigen datum gereed: antwoord per mijlpaal ({ids})",
            f"no gereed of its own: report on its milestones ({ids})",
        )
        raise AnswerRefused(Refusal.INVALID, problems=[problem])
    answer = AnswerInput(item_id, status, forecast, completed_on, comment)
    # An author who is a contact of the plan answers as that contact, under the rules every
    # other channel applies (own organisation's items, no cancelling); any other name is the
    # office recording on someone's behalf.
    person = contact(plan, author) if author else None
    if person is not None:
        who = Answerer(person.id, person.name)
    else:
        who = replace(OFFICE, name=author) if author else OFFICE
    recorded = record_answer(app, answer, who, channel=source, as_of=as_of, plan=plan, sync=True)
    done = f"{item_id}: {status} recorded for {as_of} (update {recorded.update.id})"
    note = unpublished_note([recorded])
    return done if note is None else f"{done}\n{note}"


def list_events(app: App, since: date | None, item: str | None) -> list[StoredEvent]:
    from store import Repository

    with app.session() as session:
        return Repository(session, app.programme_id()).events(since=since, item=item)


def is_known_item(app: App, item: str) -> bool:
    """Whether ``item`` is an action or milestone of the plan file or of the store (an item taken
    out of the plan keeps its history there)."""
    from store import Repository

    plan = app.load_plan()
    if plan.action(item) is not None or any(m.id == item for m in plan.milestones()):
        return True
    with app.session() as session:
        return Repository(session, plan.programme.id).has_item(item)


def list_outbox(app: App, status: str | None) -> list[OutboxRecord]:
    from store import Repository
    from store.models import OUTBOX_STATUSES

    if status is not None and status not in OUTBOX_STATUSES:
        known = ", ".join(OUTBOX_STATUSES)
        raise InvalidInput(f"--status: unknown outbox status {status[:40]!r} (known: {known})")
    with app.session() as session:
        return Repository(session, app.programme_id()).outbox(status=status)


def replay(
    app: App, start: date, end: date, progress: Callable[[int, int], None] | None = None
) -> list[str]:
    """Run the deadline check for every working day from ``start`` to ``end`` (inclusive).

    Reminders found on the way are recorded as suppressed: history is rebuilt, nobody is
    mailed about 2015 today.
    """
    from governance.dates import outside_life, programme_life
    from governance.workdays import WorkCalendar
    from regie.cycle import deadline_check
    from store import Repository

    if end < start:
        raise InvalidInput(f"--to {end} is before --from {start}")
    plan = app.load_plan()
    beyond = outside_life(programme_life(plan), {"--from": start, "--to": end})
    if beyond:
        raise InvalidInput(*beyond)
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
    working = list(calendar.working_days_in(start, end))
    for day in working:
        report = deadline_check(app, day, plan=plan, replay=True)
        days += 1
        if progress is not None:
            progress(days, len(working))
        events += len(report.events)
        queued += len(report.queued)
        if report.events:
            made, asked = len(report.events), len(report.queued)
            lines.append(f"{day}: {_count(made, 'event')}, {_count(asked, 'reminder')}")
    lines.append(
        f"replayed {days} working days {start} … {end}: {_count(events, 'event')}, "
        f"{_count(queued, 'reminder')} recorded (suppressed, not sent)"
    )
    return lines


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
