"""Use cases behind the CLI and the flows: load → call governance → store / hand to adapters."""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from governance import clock
from regie.bootstrap import App, first_line
from regie.errors import InvalidInput

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session

    from governance.plan import Action, Milestone, Plan
    from store.sync import SyncResult

T = TypeVar("T")


def utcnow() -> datetime:
    """Now, in UTC: :func:`governance.clock.utcnow`, looked up at each call, so that a clock
    faked there (a test) moves every use case and the office's date (:func:`today`) with it."""
    return clock.utcnow()


def today(app: App, plan: Plan | None = None, now: datetime | None = None) -> date:
    """The business date in the programme office's time zone (REGIE_TIMEZONE, else the plan's)
    at ``now`` (default: :func:`utcnow`); between 22:00/23:00 and 24:00 UTC it is already
    tomorrow in Amsterdam.

    The one place that turns the clock into a business date; pass ``plan`` when it is loaded.
    Without it the zone is :func:`office_zone`'s: the date never parses the plan again and
    never fails with it (a command that needs the plan reports its problems when it loads it)."""
    zone = office_zone(app) if plan is None else app.settings.timezone or plan.calendar.timezone
    return clock.local_date(now or utcnow(), zone)


def simulated_day(app: App, programme_id: str) -> date | None:
    """Under REGIE_SIMULATE: the last day `regie cycle --simulate` ran, where the simulation's
    history stands (it may be after today); None without a simulation or before its first run.
    A decision or an update of a day up to it belongs to the simulation, not to the future."""
    if not app.settings.simulate:
        return None
    from store import Repository

    with app.session() as session:
        return Repository(session, programme_id).last_assessed()


def simulation_short_of(app: App, programme_id: str, day: date) -> str | None:
    """How the simulation falls short of ``day`` (:func:`simulated_day`), as an error says it:
    ``has reached <its last day>`` or ``has not run``; None once it has reached ``day``."""
    simulated = simulated_day(app, programme_id)
    if simulated is not None and day <= simulated:
        return None
    return f"has reached {simulated}" if simulated else "has not run"


def simulation_hint(
    app: App, programme_id: str, day: date, what: str, requested: date | None = None
) -> str:
    """Without REGIE_SIMULATE, for a refusal of a day after ``day`` (today): where the store
    holds days `regie cycle --simulate` ran after today, the clause that names the switch
    (``; the store holds a simulation up to … : REGIE_SIMULATE=1 lets <what> follow its days``);
    else "" (walk49 2). Only such a cycle records a day after today. ``requested``: the day
    asked for, where the switch lets through only days the simulation reached; after its last
    the clause names that day and no switch, which would refuse it too (review50 6)."""
    from store import Repository

    with app.session() as session:
        last = Repository(session, programme_id).last_assessed()
    if last is None or last <= day:
        return ""
    if requested is not None and requested > last:
        return f"; the store holds a simulation only up to {last} (`regie cycle --simulate`)"
    return (
        f"; the store holds a simulation up to {last} (`regie cycle --simulate`): "
        f"REGIE_SIMULATE=1 lets {what} follow its days"
    )


def sync_store(
    app: App,
    session: Session,
    plan: Plan,
    *,
    now: datetime | None = None,
    cancelling: Collection[str] = (),
    add_programme: bool = False,
) -> SyncResult:
    """:func:`store.sync_plan` in the caller's transaction, its events and cancellations filed
    under the office's day (REGIE_TIMEZONE, else the plan's), as every other event is. The
    plan's programme is added to a database holding others only with ``add_programme``
    (:mod:`regie.programme_guard`: else one line, exit 2)."""
    from regie.programme_guard import said_in_one_line
    from store import sync_plan

    now = now or utcnow()
    day = today(app, plan, now)
    with said_in_one_line(app):
        return sync_plan(
            session, plan, now=now, plan_path=str(plan.path), cancelling=cancelling, day=day,
            add_programme=add_programme,
        )  # fmt: skip


#: The office's zone when neither REGIE_TIMEZONE nor a readable plan gives one (the plan's
#: default ``calendar.timezone``).
OFFICE_ZONE = "Europe/Amsterdam"


def office_zone(app: App) -> str:
    """The office's time zone: REGIE_TIMEZONE, else the plan's (read once per version of the
    file, :func:`regie.plan_cache.current_plan`), else, while the file cannot be read, the last
    good plan's in this process (:func:`regie.plan_cache.last_good_plan`), else
    :data:`OFFICE_ZONE`."""
    if app.settings.timezone:
        return app.settings.timezone
    from regie.plan_cache import current_plan, last_good_plan

    # Through the per-version cache: a broken file is parsed once, not on every request that
    # files an event (a revoked calendar link, a login); meanwhile the last good plan's zone.
    try:
        return current_plan(app)[0].calendar.timezone
    except InvalidInput:
        good = last_good_plan(app)
        return good[0].calendar.timezone if good is not None else OFFICE_ZONE


def office_day(app: App, now: datetime) -> date:
    """``now``'s date in the office's zone, also while the plan cannot be read (then in
    :data:`OFFICE_ZONE`): the day an audit event is filed under must not fail with the plan."""
    return clock.local_date(now, office_zone(app))


# --- plan -------------------------------------------------------------------------------------


def plan_counts(plan: Plan) -> str:
    """ "4 steps, 21 actions, 8 milestones, 5 organisations": what `plan validate` and `regie
    doctor` say was read (the office checks its actions were, walk58a 8)."""
    from governance.counts import count

    milestones = sum(1 for _ in plan.milestones())
    actions = sum(1 for _ in plan.actions())
    return (
        f"{count(len(plan.steps), 'step')}, {count(actions, 'action')}, "
        f"{count(milestones, 'milestone')}, {count(len(plan.organisations), 'organisation')}"
    )


def validate(app: App, path: Path | None) -> str:
    plan = app.load_plan(path)  # raises InvalidInput with every problem
    summary = f"{plan.path}: OK — {plan_counts(plan)}"
    contacts = app.settings.contacts_path
    if contacts:
        read = [f"contacts: {contacts} (REGIE_CONTACTS), {len(plan.contacts)}"]
    else:  # which source was read, always: an empty REGIE_CONTACTS is easy to miss
        read = [
            f"contacts: {plan.path} (the plan file; REGIE_CONTACTS not set), {len(plan.contacts)}"
        ]
    notes = [
        *owners_without_contact(plan),
        *members_without_contact(plan),
        *bodies_without_members(plan),
        *long_owner_names(plan),
        *example_meetings(plan),
        *gereed_after_end(plan),
        *meetings_after_end(plan),
        *escalation_before_overdue_prompt(plan),
        *lost_dates(app, plan),
        *ended_inheritance(app, plan),
    ]
    from regie.due_dates import undecided_in_file

    notes += undecided_in_file(app, plan)  # a due date moved without a decision
    return "\n".join([summary, *read, *notes])


def gereed_after_end(plan: Plan, only: Collection[str] | None = None) -> list[str]:
    """One warning (``PATH:LINE:COL``) per open item whose fixed *gereed* ends after
    ``programme.end`` (walk30 9); ``only``: of these items alone (a decision's, said at once
    as `regie plan validate` says it afterwards, walk46 7). A computed deadline (``depends_on``)
    is not known here: the daily cycle and `regie status` say when it falls after the end."""
    end = plan.programme.end
    if end is None:
        return []
    out = []
    for action in plan.actions():
        rows: list[tuple[Action | Milestone, str | None]] = [(action, action.cancelled_by)]
        rows += [(m, m.cancelled_by or action.cancelled_by) for m in action.milestones]
        for item, cancelled in rows:
            if only is not None and item.id not in only:
                continue
            due = item.period.end if item.period is not None else None
            if cancelled or due is None or due <= end:
                continue
            where = f"{item.location}: " if item.location is not None else f"{plan.path}: "
            out.append(
                f"{where}warning: {item.id} gereed {item.gereed!r} (due {due.isoformat()}) is "
                f"after the programme's end {end.isoformat()}"
            )
    return out


def escalation_before_overdue_prompt(plan: Plan) -> list[str]:
    """A warning (``PATH:LINE:COL``) when the reminder settings escalate a silent overdue item
    to the office no later than its owner's first overdue prompt (walk49 3): the owner is
    never chased once after the due date before the office hears."""
    from governance.plan import ReminderPolicy
    from governance.reminders.escalations import escalates_unprompted

    policy = plan.reminders
    found = escalates_unprompted(policy)
    if found is None:
        return []
    escalates, prompted, decided = found
    defaults = ReminderPolicy()

    def setting(name: str) -> str:
        # As the second_prompt_days check says it: a value the plan did not change is named so.
        value = getattr(policy, name)
        return (
            f"{name} ({value}, the default)"
            if value == getattr(defaults, name)
            else (f"{name} {value}")
        )

    advice = (
        "make escalate_after_unanswered 2 or more, or unanswered_grace_days more than "
        "overdue_every_days"
        if "escalate_after_unanswered" in decided
        else "make escalate_after_overdue_days more than overdue_every_days"
    )
    return [
        f"{_at(plan, policy.escalation_at)}: warning: reminders: a silent overdue item "
        f"escalates {_working_days(escalates)} after its due date "
        f"({', '.join(map(setting, decided))}), before its owner's first overdue reminder "
        f"{_working_days(prompted)} after it ({setting('overdue_every_days')}) could be "
        f"answered: {advice}"
    ]


def _working_days(count: int) -> str:
    return f"{count} working day" if count == 1 else f"{count} working days"


def meetings_after_end(plan: Plan) -> list[str]:
    """One warning (``PATH:LINE:COL``) per meeting date listed after ``programme.end`` (a
    closing meeting: held, with its round and pack; warned of in case the year is a typo), and
    per rule whose ``until`` would give meetings after the end: a rule stops at the end, so
    those are not held (end46 1)."""
    from governance.programme_end import closing_meetings, rule_past_end

    end = plan.programme.end
    if end is None:
        return []
    out = []
    for body in plan.governance:
        schedule = body.meetings
        if schedule is None:
            continue
        places = dict(schedule.dates_at)
        for day in closing_meetings(schedule, end):
            where = _at(plan, places.get(day))
            out.append(f"{where}: {closing_meeting_warning(body.id, day, end)}")
        rule = schedule.rule
        lost = rule_past_end(rule, end) if rule is not None else []
        if rule is not None and lost:
            where = _at(plan, rule.until_at)
            days = ", ".join(d.isoformat() for d in lost[:3]) + (", …" if len(lost) > 3 else "")
            out.append(
                f"{where}: warning: governance body {body.id!r}: the meeting rule's 'until' "
                f"{rule.until} lies after the programme's end {end.isoformat()}: its "
                f"meetings after {end.isoformat()} are not held ({days}): list a closing "
                "meeting under 'dates'"
            )
    return out


def closing_meeting_warning(body_id: str, day: date, end: date) -> str:
    """The warning of a meeting after the programme's end, listed in the plan file or added
    with `regie meeting add` (walk46 7): held, but the year may be a typo."""
    return (
        f"warning: governance body {body_id!r}: meeting date {day.isoformat()} is after the "
        f"programme's end {end.isoformat()}: it is held as a closing meeting, with its status "
        "round and agenda pack (is the year right?)"
    )


def _at(plan: Plan, place: tuple[int, int] | None) -> str:
    """``PATH:LINE:COL`` of a place in the plan file (``PATH`` alone when not known)."""
    return f"{plan.path}:{place[0]}:{place[1]}" if place else str(plan.path)


def owners_without_contact(plan: Plan) -> list[str]:
    """Warnings for organisations that own open items (not cancelled in the file) and have no
    contact: their reminders go to the programme office, which the author may not have meant (a
    contacts file that lacks one), or to nobody when the plan has no programme-office contact.
    None when the plan has no contacts at all (a plan not yet filled in)."""
    if not plan.contacts:
        return []
    reached = {c.organisation for c in plan.contacts}
    cancelled = {a.id for a in plan.actions() if a.cancelled_by} | {
        m.id for a in plan.actions() for m in a.milestones if m.cancelled_by or a.cancelled_by
    }
    owned: dict[str, int] = {}
    for d in plan.deadlines():
        if d.item_id in cancelled:
            continue
        for owner in d.owners:
            owned[owner] = owned.get(owner, 0) + 1
    goes_to = (
        "their reminders go to the programme office"
        if any(c.programme_office for c in plan.contacts)
        else "nobody receives their reminders (the plan has no programme-office contact either)"
    )
    return [
        f"warning: organisation {org!r} owns {n} open item{'' if n == 1 else 's'} and has no "
        f"contact: {goes_to}"
        for org, n in owned.items()
        if org not in reached
    ]


#: Longer than this, an owner's name crowds a mail line and the pack's and report's table cells.
OWNER_NAME_WIDTH = 40


def long_owner_names(plan: Plan) -> list[str]:
    """One warning per organisation whose owner name (``short_name``, else ``name``) is longer
    than :data:`OWNER_NAME_WIDTH`: it is what mails, agenda packs and reports print as the owner.
    A warning, not an error: a long name still reads, only less well."""
    out = []
    for org in plan.organisations:
        label = org.label
        if len(label) <= OWNER_NAME_WIDTH:
            continue
        if org.short_name:
            advice = f"shorten it to at most {OWNER_NAME_WIDTH} characters"
            field = "short_name"
        else:
            advice = "give it a 'short_name' (an abbreviation) for mails, packs and reports"
            field = "name"
        out.append(
            f"warning: owner name of organisation {org.id!r} is long: its {field} has "
            f"{len(label)} characters and is shown as the owner in mail lines and table cells: "
            f"{advice}"
        )
    return out


def bodies_unreached(plan: Plan) -> dict[str, list[str]]:
    """Member organisations of a governance body that have no contact, each with the bodies it
    is a member of (plan order): a body's agenda pack goes to its members' contacts and the
    programme office (:func:`regie.prepare.body_contacts`), so they never receive it. Empty
    when the plan has no contacts at all (a plan not yet filled in)."""
    if not plan.contacts:
        return {}
    reached = {c.organisation for c in plan.contacts}
    unreached: dict[str, list[str]] = {}
    for body in plan.governance:
        for org in body.members:
            if org not in reached and body.id not in unreached.setdefault(org, []):
                unreached[org].append(body.id)
    return unreached


def members_without_contact(plan: Plan) -> list[str]:
    """One warning per governance body member organisation without any contact."""
    return [
        f"warning: governance body member {org!r} ({', '.join(bodies)}) has no contact: "
        "it receives no agenda pack"
        for org, bodies in bodies_unreached(plan).items()
    ]


def bodies_without_members(plan: Plan) -> list[str]:
    """One warning (``PATH:LINE:COL``) per governance body whose plan gives ``members: []``
    (walk32a 10): like no ``members`` at all, its status rounds ask every owner
    (:func:`regie.rounds._members`), and its agenda pack goes to the programme office only
    (:func:`regie.prepare.body_contacts`); an empty list looks like members left out."""
    office = any(c.programme_office for c in plan.contacts)
    pack = (
        "its agenda pack goes to the programme office only"
        if office
        else "nobody receives its agenda pack (the plan has no programme-office contact)"
    )
    return [
        f"{body.members_location}: warning: governance body {body.id!r} has 'members: []': "
        f"its status rounds ask every owner and {pack}"
        for body in plan.governance
        if not body.members and body.members_location is not None
    ]


def example_bodies(plan: Plan) -> list[str]:
    """Governance bodies whose meeting schedule is still marked ``example: true``."""
    return [b.id for b in plan.governance if b.meetings is not None and b.meetings.example]


def example_meetings(plan: Plan) -> list[str]:
    """One warning per governance body whose meeting dates are still an example plan's."""
    return [
        f"warning: governance body {body!r}: its meetings are marked 'example: true' (the dates "
        "of an example plan, not your own): set its real dates and remove 'example'; until then "
        "calendar feeds and the subscriptions page call them 'voorbeelddatum'"
        for body in example_bodies(plan)
    ]


def synced_plan_read(
    app: App,
    programme_id: str,
    in_file: Callable[[Path, str], T],
    on_server: Callable[[Engine, str], T],
) -> T | None:
    """What the synced plan in an existing database says, read as it is (nothing is created or
    migrated by validating): ``in_file`` reads a SQLite file, ``on_server`` PostgreSQL. None
    when there is no database yet, an older schema or a server that is down: no warnings."""
    settings = app.settings
    try:
        if settings.is_sqlite:
            database = Path(settings.database_url.split("///", 1)[-1].split("?", 1)[0])
            if not database.is_file():
                return None
            return in_file(database, programme_id)
        return on_server(app.engine, programme_id)
    except Exception:
        return None


def lost_dates(app: App, plan: Plan) -> list[str]:
    """Warnings (not errors, ``PATH:LINE:COL`` at the item) for items that had a date in the
    synced plan and have no ``gereed:`` now: a deleted one silently makes an item undated. A
    gereed changed to a text without a date (``Q2-2027 e.v.``, ``Ntb``) was not deleted: the
    due date moved, which :func:`regie.due_dates.undecided_in_file` says (walk54 7). Only
    against an existing database (:func:`synced_plan_read`)."""
    from regie.due_dates import item_locations
    from store.plan_dates import dated_items_in_file, dated_items_on_server

    read = dated_items_in_file, dated_items_on_server
    stored = synced_plan_read(app, plan.programme.id, *read)
    if stored is None:
        return []
    now = {d.item_id: d for d in plan.deadlines()}
    at = item_locations(plan)
    warnings = []
    for code, gereed in stored:
        current = now.get(code)
        if current is not None and not current.gereed:
            was = gereed or "a date"
            warnings.append(
                f"warning: {at.get(code, plan.path)}: {code} had gereed {was!r} in the synced "
                "plan and has no date now (was 'gereed:' deleted?)"
            )
    return warnings


def ended_inheritance(app: App, plan: Plan) -> list[str]:
    """Notes for actions whose milestones waited on the action's ``depends_on`` in the synced
    plan and no longer do in the file: the action got a ``gereed`` of its own (as ``decision
    add --set-gereed`` says). Against an existing database only (:func:`synced_plan_read`)."""
    from governance.decisions import ended_inheritance as notes
    from store.plan_dates import inheriting_actions_in_file, inheriting_actions_on_server

    read = inheriting_actions_in_file, inheriting_actions_on_server
    stored = synced_plan_read(app, plan.programme.id, *read)
    return [] if stored is None else notes(plan, stored)


# --- database ---------------------------------------------------------------------------------


def db_upgrade(app: App, revision: str) -> str:
    from store import upgrade

    return _migrate(app, "upgrade", revision, upgrade)


def db_downgrade(app: App, revision: str) -> str:
    from store import downgrade

    return _migrate(app, "downgrade", revision, downgrade)


def _migrate(app: App, verb: str, revision: str, step: Callable[[str, str], None]) -> str:
    from regie.bootstrap import newer_database
    from regie.errors import DatabaseNotReady
    from store import current_revision
    from store.db import newer_than_code

    app.require_usable_sqlite()
    if verb == "downgrade":  # there is nothing to take down: no new, empty file either
        _require_database(app, f"db {verb}")
    before = _revision_or_fail(app)
    if newer_than_code(before):
        raise DatabaseNotReady(newer_database(app.safe_url, before))
    try:
        step(app.settings.database_url, revision)
    except Exception as exc:
        raise InvalidInput(f"db {verb} {revision}: {first_line(exc)}") from exc
    after = current_revision(app.settings.database_url)
    if after == before:
        return f"{app.safe_url}: already at {after or 'empty'}, nothing to do"
    return f"{app.safe_url}: {before or 'empty'} → {after or 'empty'}"


def db_current(app: App) -> str:
    from regie.bootstrap import newer_database
    from regie.errors import DatabaseNotReady
    from store import head_revision
    from store.db import newer_than_code

    _require_database(app, "db current")
    current = _revision_or_fail(app)
    if newer_than_code(current):
        raise DatabaseNotReady(newer_database(app.safe_url, current))
    head = head_revision()
    note = "up to date" if current == head else f"latest is {head}: run `regie db upgrade`"
    return f"{app.safe_url}: {current or 'empty'} ({note})"


def _require_database(app: App, command: str) -> None:
    """Refuse ``command`` in one line when its SQLite file does not exist: reading the
    revision would make a new, empty database where a mistyped URL points."""
    from regie.errors import DatabaseNotReady

    app.require_usable_sqlite()  # a missing directory: the line every command says
    if (refusal := app.settings.no_database_refusal(command)) is not None:
        raise DatabaseNotReady(refusal)


def _revision_or_fail(app: App) -> str | None:
    from regie.errors import DatabaseNotReady
    from store import current_revision

    app.require_usable_sqlite()  # reading the revision would create a missing file
    try:
        return current_revision(app.settings.database_url)
    except Exception as exc:
        from regie.disk_full import full_disk

        said = full_disk(exc, app.settings.database_url) or first_line(exc)
        raise DatabaseNotReady(f"database {app.safe_url}: {said}") from exc


# --- sync and status --------------------------------------------------------------------------


def sync_warnings(session: Session, plan: Plan, result: SyncResult) -> list[str]:
    """The warnings of a sync just done, one line each: a due date moved, an item removed or
    added without a decision. `regie sync` and the cycle's sync (`regie cycle`) print the same
    lines."""
    from regie.due_dates import (
        added_after_sync,
        formerly_lines,
        plan_edits_after_sync,
        undecided_after_sync,
    )

    return [
        *undecided_after_sync(session, plan, result.revisions),
        *plan_edits_after_sync(session, plan, result),
        *added_after_sync(session, plan, result),
        *formerly_lines(plan, result),
    ]


def sync(app: App, path: Path | None, *, add_programme: bool = False) -> str:
    """`regie sync`; ``add_programme``: the plan's programme may join others in the database
    (:mod:`regie.programme_guard`)."""
    plan = app.load_plan(path)
    with app.session() as session, session.begin():
        result = sync_store(app, session, plan, add_programme=add_programme)
        warnings = sync_warnings(session, plan, result)
    if not result.changed:
        return f"{plan.programme.id}: in sync with {plan.path} (nothing changed)"
    return "\n".join(
        [
            f"{plan.programme.id}: synced {plan.path} — {result.created} created, "
            f"{result.changed_count} changed, {result.archived} archived, "
            f"{result.restored} restored"
            f"{result.notes()}",  # the contacts named, as in the cycle's line
            *warnings,
        ]
    )


def status_rows(
    app: App,
    as_of: date | None,
    *,
    step: int | None = None,
    owner: str | None = None,
    state: str | None = None,
    sources: bool = False,
) -> tuple[date, list[dict[str, Any]]]:
    """Assess the plan against every recorded status update; rows for display or JSON.
    ``sources``: each latest update also names its ``source`` (who may read its note depends on
    it: :func:`governance.answers.written_by`); the JSON leaves it out.

    The plan is the one of ``as_of`` (:func:`governance.provenance.plan_as_of`), as reports
    have it: a decision taken at a meeting after ``as_of`` does not move an item's date yet,
    nor a plan-file edit synced after that day."""
    from governance.assessment import State, assess
    from governance.item_start import not_started, shows_as
    from governance.labels import NOT_STARTED_KEY
    from governance.programme_end import past_end
    from regie.forecasts import forecasts_in_force
    from store.assessment_query import assessment_updates
    from store.first_assessed import first_assessed_days

    plan = app.load_plan(None)
    as_of = as_of or today(app)
    if state is not None and state not in {s.value for s in State} | {NOT_STARTED_KEY}:
        known = ", ".join([*(s.value for s in State), NOT_STARTED_KEY])
        raise InvalidInput(f"--state: unknown state {state!r} (known: {known})")
    if owner is not None and plan.organisation(owner) is None:
        known = ", ".join(o.id for o in plan.organisations)
        raise InvalidInput(f"--owner: unknown organisation {owner!r} (known: {known})")
    if step is not None and step not in {s.number for s in plan.steps}:
        raise InvalidInput(f"--step: the plan has no step {step}")
    with app.session() as session:
        plan = _plan_of_day(session, plan, as_of)
        updates = assessment_updates(session, plan.programme.id, as_of)
        first = first_assessed_days(session, plan.programme.id)
    assessment = assess(plan, updates, as_of, first_assessed=first)
    # ``state``: as the table names the row (ongoing work before its start is *nog niet
    # gestart*, not *doorlopend*); the JSON's ``state`` stays ``ongoing`` beside it.
    shown = [
        item
        for item in assessment.items.values()
        if (step is None or item.step == step)
        and (owner is None or owner in item.owners)
        and (state is None or shows_as(item, state, as_of))
    ]
    with app.session() as session:
        # The forecast in force (walk55a 2), as the reports and the office's pages show it: of
        # the rows shown only (a few: their plan revisions only, fix57e 4).
        forecasts = forecasts_in_force(session, plan, shown, as_of)
    # Done and cancelled items have no due date left to judge, but readers (and reports) still
    # want the date the plan gave them: take it from the plan's period.
    planned = {d.item_id: d.period.end for d in plan.deadlines() if d.period is not None}
    rows = []
    for item in shown:
        latest = item.latest_update
        rows.append(
            {
                "id": item.item_id,
                "level": item.level.value,
                "action_id": item.action_id,
                "step": item.step,
                "title": item.title,
                "gereed": item.gereed,
                "due": _iso(item.due or planned.get(item.item_id)),
                "completed_on": _iso(item.completed_on),
                "state": item.state.value,
                # Ongoing work whose start is still ahead (walk54 8): not *doorlopend* yet.
                "not_started": not_started(item, as_of),
                "rag": item.rag.value,
                "stale": item.stale,
                "owners": list(item.owners),
                "forecast": _iso(forecasts.get(item.item_id)),
                "waiting_on": list(item.waiting_on),
                # Undated because its predecessors were cancelled (fix57f 1): a date to decide.
                "cancelled_predecessors": list(item.cancelled_predecessors),
                # Open and due after programme.end (walk30 9): `regie status` marks it.
                "after_end": past_end(item, plan.programme.end),
                "latest_update": (
                    {
                        "status": latest.status.value,
                        "reported_on": latest.reported_on.isoformat(),
                        "forecast": latest.forecast.isoformat() if latest.forecast else None,
                        "comment": latest.comment,
                        "author": latest.author,
                        **({"source": latest.source} if sources else {}),
                    }
                    if latest
                    else None
                ),
            }
        )
    return as_of, rows


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def plan_of_day(app: App, plan: Plan, as_of: date) -> Plan:
    """The plan as it stood on ``as_of``: a decision taken at a meeting after it does not move
    an item's date yet, nor a plan-file edit synced after that day (``status --as-of``, a
    calendar export for another day)."""
    with app.session() as session:
        return _plan_of_day(session, plan, as_of)


def _plan_of_day(session: Session, plan: Plan, as_of: date) -> Plan:
    from governance.provenance import end_of_day, plan_as_of
    from store import reports_read
    from store.dialect import reader

    decisions = reports_read.decisions(reader(session), plan.programme.id)
    edits = reports_read.plan_edits(reader(session), plan.programme.id, end_of_day(plan, as_of))
    return plan_as_of(plan, decisions, as_of, edits)
