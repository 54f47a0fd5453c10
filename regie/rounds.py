"""Status rounds: before a governance body meets, every contact with open items in scope is asked
for an update by a date (not about an item waiting on another: nothing to tell yet); on the
last working day before it, those who have not answered are chased once (:func:`chase_day`,
or the first run after it when none ran that day);
on the date the round closes and the programme office gets a summary.

Everything goes through the outbox with keys that make each step happen once
(``round:<id>:<contact>:request``, ``…:chase:<day>``, ``…:summary``), so the daily run may be
repeated, skipped or run late. An item counts as answered when it has a status update reported
from the day the round started up to the day it closed (through any channel). A chase goes to
whoever answers for the item on its day (:func:`governance.round_answering.answering_now`), the
request on record staying as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from regie.bootstrap import App
from regie.errors import InvalidInput

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from governance.assessment import Assessment
    from governance.plan import Deadline, Plan
    from governance.updates import StatusUpdate
    from governance.workdays import WorkCalendar
    from store.answers import Round, RoundRequest

ROUND_KINDS = ("round_request", "round_chase", "round_summary")


class NothingToAsk(InvalidInput):
    """A round would ask nobody (every item in scope finished, or no contact to ask): none is
    started. The daily meeting preparation says so and goes on; `regie round start` fails."""


@dataclass
class RoundReport:
    round_id: int
    body: str
    answer_by: date
    started: bool = False
    queued: list[str] = field(default_factory=list)
    closed: bool = False
    #: The body's other open rounds when this one started ("round 1, answers by 2025-06-13"):
    #: their contacts are asked twice.
    also_open: list[str] = field(default_factory=list)
    #: What is odd about the answer-by date or the body's meetings (:func:`_date_warnings`):
    #: one line each.
    warnings: list[str] = field(default_factory=list)
    #: Contacts asked by this round's requests about items that their reminder digest of the
    #: same day, already sent, asked too (a round started by hand after the morning's digests):
    #: the request still goes, as the round's formal one; the duplicate is only said.
    reminded_today: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "round": self.round_id,
            "body": self.body,
            "answer_by": self.answer_by.isoformat(),
            "started": self.started,
            "queued": len(self.queued),
            "closed": self.closed,
            "also_open": list(self.also_open),
            "warnings": list(self.warnings),
            "reminded_today": list(self.reminded_today),
        }


def parse_scope(plan: Plan, scope: str | None) -> tuple[str, str] | None:
    """``step:N`` or ``owner:ORG``; anything else is one line naming what the plan has
    (walk33 10: an unknown owner named neither itself nor the plan's organisations)."""
    if scope is None:
        return None
    kind, _, value = scope.partition(":")
    if kind == "step" and value.isdigit() and int(value) in {s.number for s in plan.steps}:
        return kind, str(int(value))  # ``step:03`` is step 3, as items name it (review46 13)
    if kind == "owner" and plan.organisation(value) is not None:
        return kind, value
    if kind == "owner":
        known = ", ".join(o.id for o in plan.organisations) or "none"
        raise InvalidInput(f"--scope {scope}: unknown organisation {value!r} (known: {known})")
    if kind == "step":
        steps = ", ".join(str(s.number) for s in plan.steps) or "none"
        raise InvalidInput(
            f"--scope {scope}: the plan has no step {value!r} (step:N; steps: {steps})"
        )
    raise InvalidInput(f"--scope: {scope!r} is not step:N (a step of the plan) or owner:ORG")


def start_round(
    app: App,
    body: str,
    answer_by: date,
    scope: str | None,
    as_of: date,
    plan: Plan | None = None,
    *,
    dry_run: bool = False,
    meeting_on: date | None = None,
) -> RoundReport:
    """Record the round and queue one request per contact with open items in scope.

    ``dry_run``: record nothing (no round, so no round number is used up); the report says
    whether the round would start and holds one key per contact it would ask. ``meeting_on``:
    the meeting the round prepares (the meeting preparation's, or ``--meeting``: one of the
    body's known meetings on or after ``answer_by``, else refused; none: :func:`round_meeting`)."""
    from governance.assessment import State
    from governance.item_start import not_started_ids
    from governance.programme_end import asked_no_longer, ended
    from governance.reminders import recipients
    from regie.cycle import transaction
    from regie.services import sync_store, utcnow
    from store.answers import RoundRequest
    from store.answers import start_round as store_round

    plan = plan or app.load_plan()
    bodies = [g.id for g in plan.governance]
    if body not in bodies:
        known = ", ".join(bodies) or "none in the plan"
        raise InvalidInput(f"--body: unknown governance body {body!r} (known: {known})")
    if answer_by <= as_of:
        raise InvalidInput(f"--answer-by: {answer_by} is not after {as_of}")
    _check_horizon(plan, answer_by, as_of)
    _check_working_day(plan, answer_by)
    where = parse_scope(plan, scope)
    days = meeting_days(app, plan)  # read before the write transaction (its own connection)
    if meeting_on is not None:
        _check_meeting(body, meeting_on, answer_by, days)
    warnings = _date_warnings(plan, body, answer_by, days)
    with app.session() as session, transaction(session, commit=not dry_run):
        sync_store(app, session, plan)
        assessment = _assessed(session, plan, as_of)
        requests: list[RoundRequest] = []
        open_items = 0
        # No deadline, and the programme has ended: not asked (as escalations: end46 3), by the
        # rule a round's chase and a pack's *Statusronde* follow.
        left_out = asked_no_longer(assessment.items, plan.programme.end, as_of)
        # Ongoing work before its start (``2028 e.v.`` in 2027) is not active yet: nobody is
        # asked about it until it starts, as no reminder asks about it (walk54 8).
        starts_later = not_started_ids(assessment.items, as_of)
        left_out |= starts_later
        not_yet = False  # an item in scope left out as not started (what NothingToAsk says)
        for item in assessment.items.values():
            if item.state in (State.DONE, State.CANCELLED, State.WAITING):
                # A waiting item's owner cannot act until what it waits on is done (walk32b 5):
                # it is asked in the first round after, when it has its computed deadline.
                continue
            if where and where[0] == "step" and str(item.step) != where[1]:
                continue
            if where and where[0] == "owner" and where[1] not in item.owners:
                continue
            if item.item_id in left_out:
                not_yet = not_yet or item.item_id in starts_later
                continue
            open_items += 1
            for contact_id in recipients(plan, item.owners):
                org = next(c.organisation for c in plan.contacts if c.id == contact_id)
                requests.append(RoundRequest(item.item_id, contact_id, org))
        if not requests and not _round_exists(session, plan.programme.id, body, answer_by):
            # A round asks people about open items; one without would ask nobody and end in a
            # summary of "0 of 0" (and take the body's date from a round that can ask).
            raise NothingToAsk(
                _nothing_to_ask(
                    scope, as_of, open_items, ended(plan.programme.end, as_of), not_yet=not_yet
                )
            )
        if dry_run:
            exists = _round_exists(session, plan.programme.id, body, answer_by)
            report = RoundReport(0, body, answer_by, started=not exists, warnings=warnings)
            if not exists:
                report.queued = sorted({f"round:?:{q.contact_id}:request" for q in requests})
            return report
        found, created = store_round(
            session, plan.programme.id, body, answer_by, scope, as_of, utcnow(), requests,
            meeting_on,
        )  # fmt: skip
        report = RoundReport(found.id, body, answer_by, started=created, warnings=warnings)
        if created:
            report.also_open = _also_open(session, plan.programme.id, body, found.id)
            report.queued = _queue(
                app, session, plan, found, "round_request", "request", as_of, days, assessment
            )
            report.reminded_today = _reminded_today(session, plan.programme.id, as_of, requests)
    return report


def _reminded_today(
    session: Session, programme_id: str, as_of: date, requests: list[RoundRequest]
) -> list[str]:
    """The contacts among ``requests`` whose reminder digest of ``as_of`` already went out
    asking about some of the same items (:attr:`RoundReport.reminded_today`)."""
    from store.outbox import sent_digest_items

    sent = sent_digest_items(session, programme_id, as_of)
    if not sent:
        return []
    return sorted({r.contact_id for r in requests if r.item_id in sent.get(r.contact_id, ())})


def _date_warnings(
    plan: Plan, body: str, answer_by: date, days: dict[str, list[date]]
) -> list[str]:
    """A round whose answer-by date no meeting of ``body`` follows, or that lies after the
    programme's end with none following: allowed (a meeting may still be added, a last round
    may be late), but said, as its messages then name no meeting (round_meeting.j2). A closing
    meeting after the end that follows the date is named: nothing to warn of (walk46 8)."""
    warnings = []
    held = days.get(body, [])
    # A body whose meetings Regie does not know is normal (its messages say "de komende
    # vergadering"): a note, not a warning, so that a body left without them is not missed
    # (walk32a 10); a known schedule with nothing after the date is worth a warning.
    if not held:
        warnings.append(
            f"note: {body} has no meetings scheduled (none in the plan, none added with "
            '`regie meeting add`): the round\'s messages say "de komende vergadering"'
        )
    elif not any(d >= answer_by for d in held):
        warnings.append(
            f"warning: no {body} meeting on or after {answer_by} (its last is {held[-1]}): "
            "the round's messages name no meeting"
        )
    end = plan.programme.end
    if end is not None and answer_by > end and not any(d >= answer_by for d in held):
        warnings.append(f"warning: --answer-by {answer_by} is after the programme's end ({end})")
    return warnings


def _check_meeting(
    body: str, meeting_on: date, answer_by: date, days: dict[str, list[date]]
) -> None:
    """Refuse a meeting (``--meeting``) that is not one of ``body``'s known meetings on or after
    the answer-by date: the round's messages would name a meeting that does not take place, or
    one before the answers are in; the refusal names the nearest that would do."""
    held = days.get(body, [])
    if meeting_on in held and meeting_on >= answer_by:
        return
    fits = [d for d in held if d >= answer_by]
    if meeting_on in held:
        raise InvalidInput(
            f"--meeting: {meeting_on} is before --answer-by {answer_by} (the first {body} "
            f"meeting on or after it is {fits[0]})"
            if fits
            else f"--meeting: {meeting_on} is before --answer-by {answer_by}, and no {body} "
            "meeting is known after it"
        )
    if not fits:
        known = f"its last is {held[-1]}" if held else "none is known"
        raise InvalidInput(
            f"--meeting: {meeting_on} is not a known {body} meeting, and none is on or after "
            f"--answer-by {answer_by} ({known}; add one with `regie meeting add`)"
        )
    before = [d for d in fits if d < meeting_on][-1:]
    after = [d for d in fits if d > meeting_on][:1]
    nearest = ", ".join(str(d) for d in before + after)
    raise InvalidInput(
        f"--meeting: {meeting_on} is not a known {body} meeting on or after --answer-by "
        f"{answer_by} (nearest: {nearest})"
    )


def _check_horizon(plan: Plan, answer_by: date, as_of: date) -> None:
    """Refuse an answer-by day further ahead than a new date may lie (the plan's
    ``reminders.new_date_max_years``): 9999-12-31 is a typo, and such a round would never be
    chased or closed."""
    from governance.new_date import latest_allowed

    years = plan.reminders.new_date_max_years
    last = latest_allowed(as_of, years)
    if answer_by > last:
        raise InvalidInput(
            f"--answer-by: {answer_by} is more than {years} years after {as_of} "
            f"(the latest is {last}; reminders.new_date_max_years)"
        )


def _check_working_day(plan: Plan, answer_by: date) -> None:
    """Refuse an answer-by day the office does not work (a weekend day, a public holiday, one of
    ``calendar.extra_days_off``): owners would read "vóór 25 december", and the round would be
    chased on the days before a day nobody reads the answers."""
    from governance.workdays import WorkCalendar
    from regie.days_off import day_off

    calendar = WorkCalendar.for_plan(plan)
    off = day_off(plan, answer_by)
    if off is None:
        return
    raise InvalidInput(
        f"--answer-by: {answer_by} is {off}, not a working day "
        f"(the working day before it is {calendar.working_day_on_or_before(answer_by)})"
    )


def _also_open(session: Session, programme_id: str, body: str, started: int) -> list[str]:
    from store.answers import rounds

    return [
        f"round {r.id}, answers by {r.answer_by}"
        for r in rounds(session, programme_id, open_only=True)
        if r.body == body and r.id != started
    ]


def _round_exists(session: Session, programme_id: str, body: str, answer_by: date) -> bool:
    from store.answers import rounds

    return any(r.body == body and r.answer_by == answer_by for r in rounds(session, programme_id))


def _nothing_to_ask(
    scope: str | None, as_of: date, open_items: int, ended: bool, *, not_yet: bool = False
) -> str:
    """Why a round asks nobody. ``not_yet``: an item in scope is ongoing work that has not
    started (:func:`governance.item_start.not_started`), so the reasons name that too."""
    where = f"--scope {scope}: " if scope else ""
    if open_items:
        return (
            f"{where}no one to ask about the {open_items} open "
            f"item{'' if open_items == 1 else 's'} on {as_of}: their owners have no contact and "
            "the plan has no programme office contact; no round started"
        )
    items = "every item in scope" if scope else "every item"
    reasons = ["done", "cancelled", "waiting on another item"]
    if not_yet:
        reasons.append("not started yet")
    if ended:  # an item without a deadline is no longer asked (:func:`no_longer_asked`)
        reasons.append("without a deadline after the end")
    why = f"{', '.join(reasons[:-1])} or {reasons[-1]}"
    return f"{where}nothing to ask on {as_of}: {items} is {why}; no round started"


def progress_rounds(
    app: App, as_of: date, plan: Plan | None = None, *, dry_run: bool = False
) -> list[RoundReport]:
    """Chase and close the open rounds as of ``as_of`` (idempotent per day). ``dry_run``: the
    same work, rolled back (the reports say what would be queued and closed)."""
    from governance.workdays import WorkCalendar
    from regie.cycle import transaction
    from regie.services import utcnow
    from store.answers import close_round, round_chased, round_requests, rounds

    plan = plan or app.load_plan()
    calendar = WorkCalendar.for_plan(plan)
    reports = []
    pid = plan.programme.id
    with app.session() as session:
        open_rounds = rounds(session, pid, open_only=True)
        if not open_rounds:
            return []  # most days: no round, nothing to read or write
        steps = {r.id: _step(r, as_of, calendar) for r in open_rounds}
        # A round chased already waits for its answer-by day (review14 6): one small read on
        # the few days from its chase day, so those days expand no schedule below.
        due = {
            rid
            for rid, step in steps.items()
            if step == "close" or (step == "chase" and not round_chased(session, pid, rid))
        }
    # The meeting days (a schedule expanded over the programme's term, and a read) only for a
    # day on which some round sends something; read before the write transaction (their own
    # connection).
    days = meeting_days(app, plan) if due and plan.governance else {}
    #: The plan as of ``as_of`` for the chases' stands: assessed once, for every round chased.
    stands: Assessment | None = None
    with app.session() as session, transaction(session, commit=not dry_run):
        every = rounds(session, pid)
        for r in [r for r in every if r.closed_on is None]:
            report = RoundReport(r.id, r.body, r.answer_by)
            # A round started since the look above has nothing to do today (it is neither
            # chased nor closed on the day it asks): the next day's step takes it.
            step = _step(r, as_of, calendar) if r.id in due else None
            if step == "close":
                # A round that asked nobody (started before such rounds were refused) closes
                # without a summary of "0 of 0".
                if round_requests(session, r.id):
                    report.queued = _queue(
                        app, session, plan, r, "round_summary", "summary", as_of, days
                    )
                # The instant it closed, recorded with the close (a round without a summary
                # has one too): a pack made before it reads the round as open (review7 6).
                report.closed = close_round(session, r.id, as_of, utcnow())
            elif step == "chase":
                on = chase_day(r.started_on, r.answer_by, calendar)
                left = left_for(r, round_meeting(days, r, every, plan), days)
                if left is not None and left[1] is not None:
                    # Its meeting is off and the next one gets a round of its own, as the
                    # owners were told: asked again then, not chased for none (walk46 1).
                    reports.append(report)
                    continue
                # A day after the chase day catches up a chase no run sent (machine down). A
                # round is chased once: not again when its chase day moved since (a day off
                # added or taken away: review14 3), nor by a second run of the day. Checked
                # again in this transaction, which records the chase.
                if on is not None and not round_chased(session, pid, r.id):
                    # Keyed by the chase day, not the run's: a catch-up and a rerun of it, or
                    # a late run after the chase went, queue nothing new.
                    stands = stands or _assessed(session, plan, as_of)
                    report.queued = _queue(
                        app, session, plan, r, "round_chase", f"chase:{on}", as_of, days, stands
                    )
            reports.append(report)
    return reports


def _step(r: Round, as_of: date, calendar: WorkCalendar) -> str | None:
    """What an open round does on ``as_of``: ``close`` on or after its answer-by day,
    ``chase`` from its :func:`chase_day` until then (the days after it, none a working day,
    catch up a chase day on which nothing ran), else None."""
    if as_of >= r.answer_by:
        return "close"
    on = chase_day(r.started_on, r.answer_by, calendar)
    if on is not None and on <= as_of:
        return "chase"
    return None


def chase_day(started_on: date, answer_by: date, calendar: WorkCalendar) -> date | None:
    """The one day a round asking from ``started_on`` for answers by ``answer_by`` chases its
    silent contacts: the last working day before ``answer_by`` — one reminder, not one a day
    (walk32b 3). None when that day is the working day right after the request (a late start)
    or earlier: the owner would be asked the same again the next morning."""
    day = calendar.working_day_on_or_before(answer_by - timedelta(days=1))
    after_request = calendar.working_day_on_or_after(started_on + timedelta(days=1))
    return day if day > after_request else None


def _assessed(session: Session, plan: Plan, as_of: date) -> Assessment:
    from governance.assessment import assess
    from store.assessment_query import assessment_updates
    from store.first_assessed import first_assessed_days

    pid = plan.programme.id
    first = first_assessed_days(session, pid)
    return assess(plan, assessment_updates(session, pid, as_of), as_of, first_assessed=first)


def _answering_organisations(plan: Plan, updates: Sequence[StatusUpdate]) -> dict[str, set[str]]:
    """Per item, the organisations whose own contacts answered it in the round. An item shared
    by two owners and answered by one counts as that owner's response and is not counted for
    the other (:func:`round_progress`); one answered only by the office, a decision or someone
    outside its owners (no owner's contact among them) counts for every owner."""
    from governance.answers import contact

    out: dict[str, set[str]] = {}
    for u in updates:
        person = contact(plan, u.author) if u.author else None
        orgs = out.setdefault(u.item_id, set())
        if person is not None and not person.programme_office:
            orgs.add(person.organisation)
    return out


def answered_until(r: Round, as_of: date | None) -> date | None:
    """The last day whose answers count for round ``r``: the day it closed (its summary is
    written that morning from what is in by then, an answer of that morning included), or
    ``as_of`` when earlier (what a chase or ``round status --as-of`` sees on that day; an answer
    recorded later, e.g. through a link at today's date in a demo run for 2015, does not
    count); None for an open round asked about today."""
    ends = [d for d in (r.closed_on, as_of) if d is not None]
    return min(ends) if ends else None


def round_progress(
    session: Session, plan: Plan, r: Round, as_of: date | None = None
) -> dict[str, Any]:
    """Who was asked, who answered: per organisation and the items still without answer.
    An item counts as answered with an update reported from the round's start up to
    :func:`answered_until` (for a closed round: recorded before its summary was queued), not
    with a correction (or a correction of one) of an update reported before the round
    (:func:`governance.agenda_round.answers_round`)."""
    from governance.agenda_round import answers_round, first_of_chain
    from store import Repository
    from store.answers import round_requests

    requests = round_requests(session, r.id)
    # A closed round counts what its summary counted: an answer recorded later on the closing
    # day came in after the summary and is not the round's. (None: closed before 0031 without
    # a summary, nothing recorded when.)
    closed_at = r.closed_at if r.closed_on is not None else None
    updates = Repository(session, plan.programme.id).status_updates(answered_until(r, as_of))
    reported = {u.id: u.reported_on for u in updates}
    # A correction of a correction is judged by the chain's first update (round45 2).
    parents = {u.id: u.corrects for u in updates if u.id is not None}
    counted = [
        u
        for u in updates
        if answers_round(
            u.reported_on,
            None if (first := first_of_chain(u.corrects, parents)) is None else reported.get(first),
            r.started_on,
        )
        and (closed_at is None or u.recorded_at is None or u.recorded_at <= closed_at)
    ]
    in_window = {u.item_id for u in counted}
    answered = {q.item_id for q in requests if q.item_id in in_window}
    answered_for = _answering_organisations(plan, counted)
    deadlines = {d.item_id: d for d in plan.deadlines()}
    asked_by: dict[str, set[str]] = {}
    for q in requests:
        asked_by.setdefault(q.item_id, set()).add(q.organisation)
    # Each item counts for every organisation that owns it (not for whoever answers for it: the
    # office answers for owners without a contact). An item no longer in the plan falls back to
    # the organisations of the contacts asked about it.
    owners: dict[str, list[str]] = {}
    for item_id, asked in asked_by.items():
        d = deadlines.get(item_id)
        owners[item_id] = list(d.owners) if d and d.owners else sorted(asked)
    per_org: dict[str, dict[str, set[str]]] = {}
    for item_id, orgs in owners.items():
        # An item of several owners answered by one owner's contact is that owner's response;
        # the others are neither asked for it any more (not chased) nor counted against.
        by = answered_for.get(item_id, set()) & set(orgs) if item_id in answered else set()
        for name in orgs:
            org = per_org.setdefault(name, {"asked": set(), "answered": set()})
            if by and name not in by:
                continue
            org["asked"].add(item_id)
            if item_id in answered:
                org["answered"].add(item_id)
    missing = sorted(set(asked_by) - answered)
    return {
        "round": r.id,
        "body": r.body,
        "answer_by": r.answer_by.isoformat(),
        "scope": r.scope,
        "started_on": r.started_on.isoformat(),
        "closed_on": r.closed_on.isoformat() if r.closed_on else None,
        "items": len(asked_by),
        "answered": len(answered),
        "organisations": [
            {
                "id": org,
                "name": plan.owner_name(org),
                "asked": len(v["asked"]),
                "answered": len(v["answered"]),
                "rate": round(len(v["answered"]) / len(v["asked"]), 3) if v["asked"] else 1.0,
            }
            for org, v in sorted(per_org.items())
        ],
        "without_answer": [_unanswered(i, deadlines.get(i), owners[i], plan) for i in missing],
        "silent_contacts": sorted({q.contact_id for q in requests if q.item_id not in answered}),
        # Who answered in the round themselves (a chase thanks them for it).
        "answering_contacts": sorted({u.author for u in counted if u.author}),
    }


def _unanswered(item_id: str, d: Deadline | None, owners: list[str], plan: Plan) -> dict[str, Any]:
    """An item without answer as the summary and ``round status --format json`` show it."""
    return {
        "id": item_id,
        "title": d.title if d else "",
        "owners": owners,
        "owner_names": plan.owner_names(owners),
        "gereed": d.gereed if d else None,
        "due": d.period.end.isoformat() if d and d.period and d.period.end else None,
    }


def round_status(app: App, as_of: date | None = None) -> list[dict[str, Any]]:
    """Every round as of ``as_of`` (None: a closed round as its summary counted, an open one
    with every answer so far), with the meeting it prepares (``meeting_on``, as its messages
    name it: :func:`round_meeting`; None when none is known; a round left without its meeting
    also has ``meeting_cancelled`` and ``next_meeting``, None when none is left)."""
    from store.answers import rounds

    plan = app.load_plan()
    with app.session() as session:
        found = rounds(session, plan.programme.id)
        progress = [round_progress(session, plan, r, as_of) for r in found]
    if not found:
        return []
    days = meeting_days(app, plan)  # its own connection: after the session above
    tied = round_meetings(days, found, plan)
    out = []
    for p, r in zip(progress, found, strict=True):
        # A round left without its meeting names it and the next one (walk46 10).
        cancelled, following = left_for(r, tied[r.id], days) or (None, None)
        row = p | {"meeting_on": _iso(tied[r.id])}
        if cancelled is not None:
            row |= {"meeting_cancelled": _iso(cancelled), "next_meeting": _iso(following)}
        out.append(row)
    return out


def left_for(
    r: Round, tied: date | None, days: dict[str, list[date]]
) -> tuple[date, date | None] | None:
    """A round left without its meeting (cancel46): ``tied`` (:func:`round_meeting`) none and the
    meeting recorded with it no longer known (cancelled, or moved with no meeting to take the
    round over). Then the recorded day and the body's next meeting after it, which has or gets
    a round of its own (None: no meeting left); else None."""
    held = days.get(r.body, [])
    if tied is not None or r.meeting_on is None or r.meeting_on in held:
        return None
    return r.meeting_on, next((d for d in held if d > r.meeting_on), None)


def meeting_days(app: App, plan: Plan) -> dict[str, list[date]]:
    """Every body's meeting days (plan and database), in date order."""
    from regie.report_reads import meetings

    days: dict[str, list[date]] = {}
    for m in meetings(app, plan=plan):
        days.setdefault(m.body_id, []).append(m.on)
    return days


def round_meeting(
    days: dict[str, list[date]], r: Round, found: Sequence[Round], plan: Plan
) -> date | None:
    """The meeting a round prepares, among ``found`` (the programme's rounds: a meeting moved
    since the round started ties to the nearest that has no round of its own and whose own
    round would have started by the round's answer-by date, by ``plan``'s calendar; required,
    so that no caller falls back to the older rule unseen):
    :func:`governance.agenda_round.tie_rounds`, the rule of the round's mails, ``round status``,
    the pack's *Statusronde* and the daily preparation alike."""
    return round_meetings(days, [*found, r], plan)[r.id]


def round_meetings(
    days: dict[str, list[date]], found: Sequence[Round], plan: Plan
) -> dict[int, date | None]:
    """The meeting each of ``found`` prepares, by round id (:func:`round_meeting`)."""
    from governance.agenda_round import round_start, tie_rounds

    tied: dict[int, date | None] = {}
    for body in {r.body for r in found}:
        mine = {r.id: r for r in found if r.body == body}  # once each, ``found`` may repeat one
        rows = [(r.id, r.meeting_on, r.answer_by) for r in mine.values()]
        tied |= tie_rounds(rows, days.get(body, []), round_start(plan, body))
    return tied


@dataclass(frozen=True, slots=True)
class AskedBy:
    """What an answer form says of the round a link came from: answers wanted by ``answer_by``,
    for ``body``'s meeting on ``meeting_on`` (None: no meeting of the body follows)."""

    answer_by: date
    body: str
    meeting_on: date | None


def link_round(app: App, plan: Plan, outbox_key: str, as_of: date) -> AskedBy | None:
    """The open round whose request or chase (key ``round:<id>:…``) carried a link, while its
    answer-by date is not past; None for another link (a digest's, a correction's)."""
    from store.answers import rounds

    parts = outbox_key.split(":")
    if len(parts) < 3 or parts[0] != "round" or not parts[1].isdigit():
        return None
    with app.session() as session:
        every = rounds(session, plan.programme.id)
    found = [r for r in every if r.id == int(parts[1])]
    if not found or found[0].closed_on is not None or found[0].answer_by < as_of:
        return None
    r = found[0]
    body = next((g.name for g in plan.governance if g.id == r.body), None)
    if body is None:
        return None
    # The meeting as the round's own messages name it (round_meeting), not a query of its own.
    meeting_on = round_meeting(meeting_days(app, plan), r, every, plan)
    return AskedBy(r.answer_by, body, meeting_on if meeting_on and meeting_on >= as_of else None)


def _queue(
    app: App,
    session: Session,
    plan: Plan,
    r: Round,
    kind: str,
    stage: str,
    as_of: date,
    days: dict[str, list[date]],
    assessment: Assessment | None = None,
) -> list[str]:
    """Render and enqueue the round's messages of one kind; return the newly queued keys.
    ``assessment``: the plan's as of ``as_of`` (each item's stand in a request or chase)."""
    from governance.answers import contact
    from governance.item_start import not_started_ids
    from governance.programme_end import asked_no_longer
    from governance.programme_end import ended as has_ended
    from governance.round_answering import answering_now
    from notifications.render import header_text, render
    from regie.answer_links import LINK_LIFETIME
    from regie.cycle import answer_linker
    from regie.services import utcnow
    from store import OutboxRecord, Repository
    from store.answers import add_links, round_requests, rounds

    progress = round_progress(session, plan, r, as_of)
    silent = set(progress["silent_contacts"])
    missing = {i["id"] for i in progress["without_answer"]}
    body = next(g for g in plan.governance if g.id == r.body)
    from regie.messages import office_fields

    programme = {
        "title": plan.programme.title,
        "short_title": plan.programme.short_title,
        **office_fields(plan),  # the plan's own name for the office, if it gives one
    }
    deadlines = {d.item_id: d for d in plan.deadlines()}
    linker = answer_linker(app, plan) if kind != "round_summary" else None
    # A reply by mail reaches the office only when the mail carries a Reply-To.
    reply_to = app.mail_reply_to(plan) is not None
    # An owner's request or chase shows each item's stand; the summary to the office does not.
    judged = assessment.items if assessment is not None and kind != "round_summary" else {}
    per_contact: dict[str, list[str]] = {}
    #: Per recipient: the organisations without a contact whose items it answers for instead.
    no_contact: dict[str, dict[str, list[str]]] = {}
    #: Per recipient: the items the round's request asked of that very contact (a successor or
    #: the office answers for items asked of one who left, an organisation's new contact for
    #: items the office was asked).
    asked_of: dict[str, set[str]] = {}
    #: Per recipient: the items the round asked of the office standing in for an owner without
    #: a contact (the request's organisation does not own the item), now this recipient's: its
    #: chase says the request went to the office, not to a contact of its organisation.
    asked_office: dict[str, set[str]] = {}
    #: The contacts who answered in the round themselves: a chase thanks them rather than
    #: saying nothing came in from them.
    answered_by = set(progress["answering_contacts"])
    if kind == "round_summary":
        per_contact = {c.id: [] for c in plan.contacts if c.programme_office}
    else:
        requests = round_requests(session, r.id)
        # Per item, the organisations whose own contacts were asked: the office stood in for
        # the other owners (:func:`governance.round_answering.answering_now`).
        asked_for: dict[str, set[str]] = {}
        for q in requests:
            asked = contact(plan, q.contact_id)
            if asked is None or not asked.programme_office:
                asked_for.setdefault(q.item_id, set()).add(q.organisation)
        for q in requests:
            if kind == "round_chase" and (q.contact_id not in silent or q.item_id not in missing):
                continue
            d = deadlines.get(q.item_id)
            routed = answering_now(
                plan,
                q.contact_id,
                q.organisation,
                d.owners if d else None,
                asked_for.get(q.item_id, set()),
            )
            for to, note in routed.items():
                listed = per_contact.setdefault(to, [])
                if q.item_id not in listed:
                    listed.append(q.item_id)
                if note:
                    no_contact.setdefault(to, {}).setdefault(q.organisation, []).append(q.item_id)
                if to == q.contact_id:
                    asked_of.setdefault(to, set()).add(q.item_id)
                elif d is not None and d.owners and q.organisation not in d.owners:
                    asked_office.setdefault(to, set()).add(q.item_id)
    meeting_on = round_meeting(days, r, rounds(session, plan.programme.id), plan)
    # No meeting to name although the body's are known, or a date after the programme's end:
    # the messages say so neutrally rather than "de komende vergadering" (walk30 4).
    end = plan.programme.end
    no_meeting = meeting_on is None and (
        bool(days.get(r.body)) or (end is not None and r.answer_by > end)
    )
    # Left without its meeting: the messages name the one called off, and the next (walk46 1).
    cancelled_on, following = left_for(r, meeting_on, days) or (None, None)
    # An owner asked after the programme's end reads that it ended, as in the reminder digest
    # (walk32b 7, round45 3); the office's summary is no request.
    ended = _iso(end) if has_ended(end, as_of) and kind != "round_summary" else None
    left_out = asked_no_longer(judged, end, as_of)
    # Nor is ongoing work not started yet asked (walk54 8; a round started before that rule
    # may hold it).
    left_out |= not_started_ids(judged, as_of)
    messages = []
    for contact_id, asked_ids in sorted(per_contact.items()):
        # A chase after the end leaves out an item without a deadline, as a round started
        # after the end does not ask it (walk46 9); one left with nothing is not chased.
        item_ids = [i for i in asked_ids if i not in left_out]
        person = contact(plan, contact_id)
        if person is None or (asked_ids and not item_ids):
            continue
        key = f"round:{r.id}:{contact_id}:{stage}"
        items = []
        for item_id in item_ids:
            d = deadlines.get(item_id)
            url = linker(contact_id, item_id, key) if linker and person.email else None
            assessed = judged.get(item_id)
            items.append(
                {
                    "item_id": item_id,
                    "title": d.title if d else item_id,
                    "gereed": d.gereed if d else None,
                    # The assessed deadline, as the digest shows it: a dependent item's is
                    # computed from what it waits for (the plan's period has none).
                    "due": (assessed.due if assessed else None)
                    or (d.period.end if d and d.period else None),
                    "answer_url": url,
                    # The stand, as the digest shows it (none for an item out of the plan).
                    "state": assessed.state.value if assessed else None,
                    "days_overdue": assessed.working_days_overdue if assessed else None,
                }
            )
        context = {
            "contact": person,
            "programme": programme,
            "body": body,
            "round": r,
            "meeting_on": meeting_on,
            "no_meeting": no_meeting,
            "cancelled_on": cancelled_on,
            "following": following,
            "items": items,
            "progress": progress,
            "as_of": as_of,
            "key": key,
            # Organisations left without a contact since the round started (the office asked).
            "no_contact": [
                (plan.owner_name(org), ids)
                for org, ids in sorted(no_contact.get(contact_id, {}).items())
            ],
            # How many of these items the round's request asked of this very person: all of
            # them, or fewer when it answers for a contact who left (a successor, the office).
            "asked_of_you": len(asked_of.get(contact_id, set()) & set(item_ids)),
            # Of the others, how many the office was asked as a stand-in (review50 3); an office
            # contact taking over from another is told of "another contact" as before.
            "asked_office": 0
            if person.programme_office
            else len(asked_office.get(contact_id, set()) & set(item_ids)),
            "answered_some": contact_id in answered_by,
            # How to answer (round_how.j2): the links' validity, whether a reply reaches the
            # office, and whether this is the office itself (no reply to itself).
            "link_days": LINK_LIFETIME.days,
            "reply_reaches": reply_to and bool(person.email),
            "to_office": person.programme_office,
            "programme_ended": ended,
        }
        messages.append(
            OutboxRecord(
                key=key,
                kind=kind,
                recipient=person.id,
                recipient_name=person.name,
                email=person.email,
                slack=person.slack,
                subject=header_text(render(f"{kind}.subject.j2", **context)),
                body_text=render(f"{kind}.txt.j2", **context),
                body_html=render(f"{kind}.html.j2", **context),
                payload={
                    "as_of": as_of.isoformat(),
                    "programme": plan.programme.short_title or plan.programme.title,
                    "round": r.id,
                    "body": body.name,
                    "answer_by": r.answer_by.isoformat(),
                    "meeting_on": _iso(meeting_on),
                    "no_meeting": no_meeting,
                    "answered": progress["answered"],
                    "asked": progress["items"],
                    "items": [_shown(i) for i in (items or progress["without_answer"])],
                    "asked_of_you": context["asked_of_you"],  # Slack's chase intro reads it
                    "asked_office": context["asked_office"],
                    "answered_some": context["answered_some"],
                    **office_fields(plan),  # Slack's chase names the office as the plan does
                }
                # The office's summary: its response per organisation, as the mail lists it.
                | ({"organisations": progress["organisations"]} if kind == "round_summary" else {})
                | ({"programme_ended": ended} if ended else {})
                | (
                    {"cancelled_on": _iso(cancelled_on), "following": _iso(following)}
                    if cancelled_on
                    else {}
                ),
                created_on=as_of,
            )
        )
    queued = Repository(session, plan.programme.id).enqueue(messages)
    if linker is not None:
        add_links(session, plan.programme.id, linker.made(set(queued)), utcnow())
    return queued


def run_round_day(
    app: App,
    as_of: date | None,
    *,
    body: str | None = None,
    answer_by: date | None = None,
    scope: str | None = None,
    meeting_on: date | None = None,
) -> dict[str, Any]:
    """What the ``status-round`` flow does before sending: start (if asked), chase, close.
    ``meeting_on``: the meeting the round prepares (``--meeting``; None: derived,
    :func:`round_meeting`)."""
    from regie.cycle import ensure_not_future
    from regie.services import today

    plan = app.load_plan()
    day = as_of or today(app)
    ensure_not_future(app, plan, day)  # a day to come would send its requests and chases early
    started = None
    if body is not None or answer_by is not None:
        if body is None or answer_by is None:
            raise InvalidInput("a round needs both --body and --answer-by")
        started = start_round(
            app, body, answer_by, scope, day, plan, meeting_on=meeting_on
        ).summary()
    progressed = [r.summary() for r in progress_rounds(app, day, plan)]
    return {"as_of": day.isoformat(), "started": started, "rounds": progressed}


def _shown(item: dict[str, Any]) -> dict[str, Any]:
    """What a channel shows per item (Slack builds its blocks from the payload)."""
    due = item.get("due")
    shown = {
        "id": item.get("item_id") or item.get("id"),
        "title": item.get("title", ""),
        "gereed": item.get("gereed"),
        "due": due.isoformat() if isinstance(due, date) else due,  # a date, ISO text or None
        "owners": list(item.get("owners", ())),
        "owner_names": list(item.get("owner_names") or item.get("owners", ())),
    }
    if item.get("state"):  # an owner's request or chase: the item's stand
        shown["state"] = item["state"]
        shown["days_overdue"] = item.get("days_overdue")
    return shown


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
