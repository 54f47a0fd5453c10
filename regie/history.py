"""Status updates, the event log, replays and the outbox, as the CLI shows them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from regie.bootstrap import App
from regie.errors import InvalidInput

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from governance.decisions import Decision
    from governance.plan import Plan
    from governance.updates import StatusUpdate
    from store.audit import AuditRow
    from store.records import OutboxRecord, StoredEvent

from regie.services import OFFICE_ZONE as OFFICE_ZONE  # the office's zone, one rule
from regie.services import office_zone as office_zone


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
    corrects: int | None = None,
) -> str:
    """Append one status update from the command line: the programme office answering, or the
    contact ``author`` names, through the one answer use case (:func:`regie.answers.record_answer`).

    Refusals are :class:`~regie.answers.AnswerRefused` in domain words (the answer's fields, a
    refusal reason); the command line words them as its flags. ``corrects``: the id of the
    update this one corrects (:mod:`governance.corrections`; the comment is its reason).
    """
    from dataclasses import replace

    from governance.answers import (
        OFFICE,
        Answerer,
        AnswerInput,
        FieldProblem,
        Problem,
        Refusal,
        contact,
    )
    from regie.answers import (
        AnswerRefused,
        backdated_note,
        office_note,
        record_answer,
        unpublished_note,
    )

    plan = app.load_plan()
    action = plan.action(item_id)
    if action is not None and action.gereed is None and action.milestones:
        # The engine judges an action by its milestones; an answer on the action itself would
        # be stored but change nothing, which is worse than a clear refusal.
        ids = ", ".join(m.id for m in action.milestones)
        problem = FieldProblem(
            "item_id",
            Problem.NO_OWN_DATE,
            f"no gereed of its own: report on its milestones ({ids})",
            {"milestones": [m.id for m in action.milestones]},
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
    recorded = record_answer(
        app, answer, who, channel=source, as_of=as_of, plan=plan, sync=True, corrects=corrects
    )
    fixed = f", correcting update {corrects}" if corrects is not None else ""
    done = f"{item_id}: {status} recorded for {as_of} (update {recorded.update.id}{fixed})"
    notes = [n for n in (backdated_note([recorded]), unpublished_note([recorded])) if n]
    if recorded.update.comment and author is None and corrects is None:
        # Nobody named: the office's own words, read by every owner. A correction's comment is
        # its reason, the office's by nature.
        notes.append(office_note(None, "name them with --author CONTACT"))
    return "\n".join([done, *notes])


@dataclass(frozen=True, slots=True)
class UpdateLine:
    """One update of an item's history as the command line shows it: who by name, and what
    it corrects or was corrected by."""

    update: StatusUpdate
    author: str
    corrects: StatusUpdate | None  # the update this one corrects
    corrected_by: StatusUpdate | None  # the update that corrects this one (up to as_of)
    #: Who typed it in (the operator, the office's web user), on the office's channels
    #: (:data:`OFFICE_CHANNELS`): an owner's reply the office recorded names both; None
    #: elsewhere, or before migration 0018.
    recorded_by: str | None = None


#: The channels on which the office types an update in: the command line, a sheet's import and
#: the office's pages; and the office's own edit of the plan file (``plan``: a ``cancelled_by``
#: typed in without a decision, walk58b 1). On the owners' own (a link, Slack) the recorder is
#: only the process.
OFFICE_CHANNELS = frozenset({"cli", "import", "web", "plan"})


def typed_in_by(session: Session, programme_id: str, item_id: str) -> dict[int, str | None]:
    """Per stored update of the item (by id): who typed it in (``recorded_by``). Only an update
    on one of :data:`OFFICE_CHANNELS` names a person by it: see :func:`office_recorder`."""
    import sqlalchemy as sa

    from store.models import StatusUpdateRow

    return dict(
        session.execute(
            sa.select(StatusUpdateRow.id, StatusUpdateRow.recorded_by).where(
                StatusUpdateRow.programme_id == programme_id,
                StatusUpdateRow.item_code == item_id,
            )
        )
        .tuples()
        .all()
    )


def office_recorder(update: StatusUpdate, typed: dict[int, str | None]) -> str | None:
    """Who in the office typed ``update`` in, when it came in on the office's channels; None on
    the owners' own (there the recorder is only the process) or when not recorded."""
    if update.id is None or update.source not in OFFICE_CHANNELS:
        return None
    return typed.get(update.id)


def item_updates(app: App, item_id: str, as_of: date) -> list[UpdateLine]:
    """The item's updates reported on or before ``as_of``, oldest first (as the assessment
    orders them), each with what it corrects and what corrects it by then."""
    from governance.answers import OFFICE
    from governance.corrections import corrected_by
    from store import Repository

    plan = app.load_plan()
    names = {c.id: c.name for c in plan.contacts}
    with app.session() as session:
        updates = Repository(session, plan.programme.id).status_updates(as_of, item=item_id)
        typed = typed_in_by(session, plan.programme.id, item_id)
    by_id = {u.id: u for u in updates}
    by = corrected_by(updates)

    def name(author: str | None) -> str:
        if author == OFFICE.name:
            return "the office"
        return names.get(author or "", author or "-")

    return [
        UpdateLine(
            u,
            name(u.author),
            by_id.get(u.corrects) if u.corrects is not None else None,
            by.get(u.id) if u.id is not None else None,
            office_recorder(u, typed),
        )
        for u in updates
    ]


def list_events(
    app: App,
    since: date | None,
    item: str | None,
    *,
    recorded_since: datetime | None = None,
    recorded_until: datetime | None = None,
) -> list[StoredEvent]:
    """Events by business date (``since``) and by when they were recorded: ``recorded_since``
    (inclusive) to ``recorded_until`` (exclusive), so that a back-dated entry recorded after
    an audit shows up in the next one."""
    from store import Repository

    if recorded_since and recorded_until and recorded_until <= recorded_since:
        raise InvalidInput(
            f"--recorded-until {recorded_until.isoformat()} is not after "
            f"--recorded-since {recorded_since.isoformat()}"
        )
    with app.session() as session:
        return Repository(session, app.programme_id()).events(
            since=since, item=item, recorded_since=recorded_since, recorded_until=recorded_until
        )


def parse_instant(value: str | None, option: str, zone: str) -> datetime | None:
    """``YYYY-MM-DD`` (midnight), ``YYYY-MM-DDTHH:MM[:SS]`` or either with an offset (``Z``,
    ``+01:00``); without an offset the time is in ``zone`` (the office's)."""
    from zoneinfo import ZoneInfo

    if value is None:
        return None
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        raise InvalidInput(
            f"{option}: {value[:40]!r} is not a date or date-time "
            "(YYYY-MM-DD, YYYY-MM-DDTHH:MM, optionally with +HH:MM or Z)"
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ZoneInfo(zone))
    return parsed


def office_time(instant: datetime | None, zone: str) -> str:
    """``2026-12-04 05:10:33 +01:00``: when something was recorded, in the office's zone with
    its UTC offset written out (empty for none)."""
    from zoneinfo import ZoneInfo

    if instant is None:
        return ""
    local = instant.astimezone(ZoneInfo(zone))
    offset = local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M:%S} {offset[:3]}:{offset[3:]}"


def decisions_recorded(app: App, body_id: str | None) -> list[tuple[Decision, str | None]]:
    """The decisions (:func:`regie.decisions.decisions`) with who recorded each (None: before
    migration 0018)."""
    import sqlalchemy as sa

    from regie.decisions import decisions
    from store.models_reports import DecisionRow

    found = decisions(app, body_id)
    with app.session() as session:
        who = dict(
            session.execute(
                sa.select(DecisionRow.id, DecisionRow.recorded_by).where(
                    DecisionRow.programme_id == app.programme_id()
                )
            )
            .tuples()
            .all()
        )
    return [(d, who.get(d.id) if d.id is not None else None) for d in found]


def audit_export(app: App, start: datetime, end: datetime) -> list[AuditRow]:
    """Every recorded action with ``start <= recorded_at < end`` (store.audit.audit_rows)."""
    from store.audit import audit_rows

    if end <= start:
        raise InvalidInput(f"--to {end.isoformat()} is not after --from {start.isoformat()}")
    with app.session() as session:
        return audit_rows(session, app.programme_id(), start, end)


def audit_verify(app: App) -> list[str]:
    """The problems :func:`store.audit.verify` finds (none: the checks passed)."""
    from store import current_revision
    from store.audit import reference_triggers, verify
    from store.pg_guards import reference_guards

    with app.session() as session:
        revision = current_revision(app.engine)
        if app.engine.dialect.name == "sqlite":
            return verify(session, reference_triggers(revision))
        return verify(session, guards=reference_guards(revision))


def _in_plan_file(plan: Plan, item: str) -> bool:
    """Whether ``item`` is an action or a milestone of the plan file (an action with milestones
    is no deadline of its own, so the deadline table will not do)."""
    return plan.action(item) is not None or any(m.id == item for m in plan.milestones())


def is_known_item(app: App, item: str) -> bool:
    """Whether ``item`` is an action or milestone of the plan file or of the store (an item taken
    out of the plan keeps its history there)."""
    from store import Repository

    plan = app.load_plan()
    if _in_plan_file(plan, item):
        return True
    with app.session() as session:
        return Repository(session, plan.programme.id).has_item(item)


def renumbered_as(app: App, item: str) -> str | None:
    """The id that took over ``item``'s history when the plan renumbered it (``formerly``),
    None when it did not or ``item`` is still in the plan file."""
    from store.sync_formerly import renumbered_to

    plan = app.load_plan()
    if _in_plan_file(plan, item):
        return None
    with app.session() as session:
        return renumbered_to(session, plan.programme.id, item)


def list_outbox(
    app: App, status: str | None, *, since: date | None = None, limit: int | None = None
) -> list[OutboxRecord]:
    """The outbox, oldest first: of ``status``, queued from the start of day ``since`` (the
    office's zone) on, the newest ``limit`` of them."""
    from datetime import time
    from zoneinfo import ZoneInfo

    from store import Repository
    from store.models import OUTBOX_STATUSES

    if status is not None and status not in OUTBOX_STATUSES:
        known = ", ".join(OUTBOX_STATUSES)
        raise InvalidInput(f"--status: unknown outbox status {status[:40]!r} (known: {known})")
    if limit is not None and limit < 1:
        raise InvalidInput(f"--limit: {limit} is not a number of messages of at least 1")
    start = (
        datetime.combine(since, time(0), tzinfo=ZoneInfo(office_zone(app)))
        if since is not None
        else None
    )
    with app.session() as session:
        return Repository(session, app.programme_id()).outbox(
            status=status, limit=limit, since=start, newest=True
        )


def replay(
    app: App, start: date, end: date, progress: Callable[[int, int], None] | None = None
) -> list[str]:
    """Run the deadline check for every working day from ``start`` to ``end`` (inclusive).

    Reminders found on the way are recorded as suppressed: history is rebuilt, nobody is
    mailed about 2015 today. Its escalations count on its own days only: a live day escalates
    again, once, what is still late and unanswered (store.replayed_prompts).
    """
    from governance.counts import count
    from governance.dates import outside_life, programme_life
    from governance.events import ESCALATION_RAISED
    from governance.workdays import WorkCalendar
    from regie.cycle import deadline_check
    from regie.plan_in_force import PlanInForce
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
    if last is not None and start <= last == end:
        # The same command again after it finished: nothing is left to replay (walk56e 7).
        return [f"already assessed up to {end}: nothing to replay"]
    if last is not None and start < last < end:
        # A replay that was stopped half-way: the same command carries on after the last day
        # it finished, instead of refusing its own earlier work.
        lines.append(f"resuming after {last} (assessed up to there already)")
        start = last + timedelta(days=1)
    events = queued = days = 0
    escalated: set[str] = set()  # the items a replayed day escalated
    working = list(calendar.working_days_in(start, end))
    # Each day judged by the plan in force on it (walk56a 1), rewound only when it changes.
    in_force = PlanInForce()
    for day in working:
        report = deadline_check(app, day, plan=plan, replay=True, in_force=in_force)
        days += 1
        if progress is not None:
            progress(days, len(working))
        events += len(report.events)
        queued += len(report.queued)
        escalated.update(e.item_id for e in report.events if e.name == ESCALATION_RAISED)
        if report.events:
            made, asked = len(report.events), len(report.queued)
            lines.append(f"{day}: {count(made, 'event')}, {count(asked, 'reminder')}")
    if escalated:
        # Nobody received them: the first live day escalates those still late (fix57b).
        lines.append(
            f"{count(len(escalated), 'item')} escalated on replayed days, to nobody: the first "
            "live `regie cycle` escalates those still late and unanswered to the programme office"
        )
    lines.append(
        f"replayed {count(days, 'working day')} {start} … {end}: {count(events, 'event')}, "
        f"{count(queued, 'reminder')} recorded (suppressed, not sent)"
    )
    return lines
