"""What goes on a governance body's agenda pack: pure content, no formatting.

Short and by exception, like a PRINCE2 highlight report: per step one line with its RAG colour
and counts; green items only counted, amber and red ones listed; *ter besluitvorming* built from
the data, each entry with the question the body must answer; a look ahead to the next meeting;
the full table as annex. Sections 1 (opening) and 6 (rondvraag) are fixed agenda items.

*Sinds de vorige vergadering* (:func:`since_last`) lists what changed since the body's previous
meeting: items finished, added to or removed from the plan, dates moved (with or without a
decision), owners changed, items cancelled or taken up again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar, cast
from zoneinfo import ZoneInfo

from governance.assessment import Assessment, ItemAssessment
from governance.assessor import PlanIndex
from governance.characters import displayable
from governance.contact_changes import CONTACT_LAYOUT, contact_changes
from governance.decisions import (
    NOT_THE_OWNERS,
    Decision,
    DecisionKind,
    decision_label,
    restores,
)
from governance.dutch import long_date
from governance.meetings import Meeting
from governance.periods import DATED_KINDS, PeriodKind
from governance.plan import GovernanceBody, Plan
from governance.provenance import DueChange, Removal, removals
from governance.rag import SLIP_RED_WORKING_DAYS, Rag, State
from governance.workdays import WorkCalendar

#: The questions a body is asked, per reason (Dutch: they are printed on the pack as they are).
QUESTIONS: dict[str, str] = {
    "overdue": "Nieuwe datum vaststellen voor {id}?",
    "slipped": "Verschuiving van {id} naar {forecast} accorderen?",
    "ratify": "Verschuiving van {id} van {before} naar {after} accorderen?",
    "red": "Maatregelen vaststellen voor {id}?",
    "undated": "Datum vaststellen voor {id}?",
    "waiting": "Termijn vaststellen voor {id}, dat wacht op {waiting_on}?",
    "escalated": "Eigenaar aanspreken over {id} (escalatie van {since} onbeantwoord)?",
    "removed": "Verwijdering van {id} uit het plan accorderen?",
}
REASONS: dict[str, str] = {
    "overdue": "te laat",
    "slipped": "verschoven",
    "ratify": "datum gewijzigd zonder besluit",
    "red": "rood",
    "undated": "geen datum (Ntb)",
    "waiting": "wacht op afhankelijkheid",
    "escalated": "escalatie onbeantwoord",
    "removed": "uit het plan verwijderd zonder besluit",
}
_OPEN_STATES = frozenset(set(State) - {State.DONE, State.CANCELLED})
#: Without a next meeting, the look-ahead covers this long after the meeting.
DEFAULT_HORIZON = timedelta(days=91)
#: The longest list a pack section shows (per step, ter besluitvorming, vooruitblik): a pack is
#: short at any programme size; the rest is counted and left to the annex.
LIMITS: dict[str, int] = {"step": 12, "asked": 25, "ahead": 25, "progress": 25, "since": 25}
#: Most severe first when a list is cut: reasons, then RAG colours.
_REASON_ORDER = (
    "overdue", "red", "slipped", "ratify", "removed", "escalated", "waiting", "undated",
)  # fmt: skip
_RAG_ORDER = ("red", "amber", "grey", "green")
#: States worst first (an action's milestones, counted on the decision list).
_STATE_ORDER = (
    State.OVERDUE, State.SLIPPED, State.AT_RISK, State.WAITING, State.UNDATED, State.DUE_SOON,
    State.ON_TRACK, State.ONGOING, State.DONE, State.CANCELLED,
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ItemLine:
    """One item as a pack shows it; ``note`` is the owner's latest comment, made inert."""

    item_id: str
    step: int
    action_id: str
    action_title: str
    title: str
    owners: tuple[str, ...]  # organisation ids
    gereed: str  # as promised, verbatim, with a decision's revision spelt out
    due: date | None
    forecast: date | None
    state: str
    rag: str
    stale: bool
    note: str | None
    note_on: date | None
    waiting_on: tuple[str, ...]
    #: The day the latest update was recorded, when that was later than the day after the day
    #: it reports for (a back-dated answer: shown as *nagekomen, vastgelegd op …*); else None.
    recorded_late: date | None = None


@dataclass(frozen=True, slots=True)
class StepLine:
    number: int
    title: str
    rag: str
    counts: dict[str, int]  # per RAG colour value, all four present
    total: int
    exceptions: tuple[ItemLine, ...]  # amber and red items


#: How heavily a point ter besluitvorming weighs, heaviest first: an owner's request to approve a
#: slip, a date set by a decision (of this body) that was missed again, an escalation left
#: unanswered, a choice only the body can make (a date or removal to ratify, measures for a red
#: item), then the routine ones (a new date for a late item, a date for an undated one, a term
#: for a waiting one). :func:`by_weight` orders the list so; a cut drops routine points first.
WEIGHTS = ("slip", "again", "escalated", "choice", "routine")


@dataclass(frozen=True, slots=True)
class DecisionAsked:
    item: ItemLine
    reason: str  # a key of QUESTIONS
    reason_label: str
    question: str
    weight: str = "routine"  # one of WEIGHTS
    #: Since when the item is late (its deadline passed) or its escalation unanswered.
    late_since: date | None = None
    #: The body's earlier meetings the point was on the agenda of: as their archived packs
    #: listed it (layout 3), else as the data then stood.
    earlier: tuple[date, ...] = ()
    #: A missed date that a decision had set: the gereed decided and the meeting that did.
    decided_gereed: str | None = None
    decided_on: date | None = None
    #: Of ``earlier``: the meetings whose archived pack did not keep what it listed (archived
    #: before packs kept it), worked out from the data as they then stood instead.
    earlier_estimated: tuple[date, ...] = ()


@dataclass(frozen=True, slots=True)
class DecisionLine:
    decision: Decision
    follow_up: str | None  # the item's state now, for decisions about an item
    item_title: str | None
    #: It brought a dropped item back (:func:`governance.decisions.restores`): "hersteld".
    restored: bool = False
    #: A decision about an action assessed through its milestones (no line of its own): the
    #: action's title and its milestones' states now (state value, how many), worst first.
    action_title: str | None = None
    milestone_states: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True, slots=True)
class ItemRevision:
    """One recorded revision of an action or milestone in the plan (``plan_revisions``): kind
    ``created``, ``archived``, ``restored`` (field None), or ``changed`` with its field. The
    ``before`` of an ``archived`` one holds the item's fields when it left the plan (``title``,
    ``gereed``, ``owners``, ``step`` or ``action``; :mod:`store.agenda_read`), when known."""

    item_id: str
    kind: str
    field: str | None
    before: Any
    after: Any
    recorded_at: datetime


#: The kinds of change *sinds de vorige vergadering*, in the order one item's are listed.
SINCE_KINDS = (
    "added", "restored", "done", "moved", "owners", "cancelled", "reinstated", "removed",
    "contact",  # an organisation's contact person (layout 3): ``item_id`` is the organisation's
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class SinceEntry:
    """One change since the previous meeting. ``before``/``after``: the gereed texts of a moved
    date, the owners of an owner change; ``decided_by``: the decision behind a moved date,
    a cancellation, a reinstatement or a removal (None: none recorded, the plan file was
    edited)."""

    item_id: str
    title: str
    kind: str  # one of SINCE_KINDS
    on: date | None = None
    before: str | None = None
    after: str | None = None
    decided_by: str | None = None
    #: The first pack layout that lists it (1: every pack; 2: an action taken up again by a
    #: decision about the action itself, whose milestones carry the dates; 3: an
    #: organisation's contact person changed).
    layout: int = 1


#: What got worse since the previous meeting, per item: ``late`` (open, its deadline passed
#: since then), ``at_risk`` (an owner reported a risk or a slip since then; not late).
WORSE_KINDS = ("late", "at_risk")


@dataclass(frozen=True, slots=True)
class RagChange:
    """The programme's (``step`` None) or a step's RAG then (at the previous meeting) and now."""

    step: int | None
    title: str
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class SinceLast:
    """What changed from ``since`` (the previous meeting's day, else ``basis``'s day) on."""

    since: date | None
    #: ``previous``: the body's previous meeting; ``start``: the programme's start date (a
    #: first meeting); ``plan``: the day the plan was first recorded (a first meeting of a
    #: programme without a start date); ``none``: nothing to count from (all is listed).
    basis: str
    entries: tuple[SinceEntry, ...]
    counts: dict[str, int]  # per kind of SINCE_KINDS, all present
    #: What got worse (:data:`WORSE_KINDS`; ``on``: the deadline passed, or the update's day),
    #: longest late first; the programme's and steps' RAG changes, programme first.
    worse: tuple[SinceEntry, ...] = ()
    rag_changes: tuple[RagChange, ...] = ()

    @property
    def layout1(self) -> SinceLast:
        """What packs of layout 1 listed (packs archived before layout 2, made again)."""
        entries = tuple(e for e in self.entries if e.layout == 1)
        counts = dict.fromkeys(SINCE_KINDS, 0)
        for e in entries:
            counts[e.kind] += 1
        return replace(self, entries=entries, counts=counts, worse=(), rag_changes=())

    def upto(self, layout: int) -> SinceLast:
        """What packs of ``layout`` (2 or later) listed: an archived pack made again."""
        entries = tuple(e for e in self.entries if e.layout <= layout)
        if len(entries) == len(self.entries):
            return self
        counts = dict.fromkeys(SINCE_KINDS, 0)
        for e in entries:
            counts[e.kind] += 1
        return replace(self, entries=entries, counts=counts)


_Entry = TypeVar("_Entry")  # an ItemLine, or an entry about one in its ``item``


@dataclass(frozen=True, slots=True)
class AgendaPack:
    programme_title: str
    programme_short: str
    body_id: str
    body_name: str
    meeting: Meeting
    previous: Meeting | None
    next: Meeting | None
    as_of: date
    programme_rag: str
    rag_counts: dict[str, int]
    decisions: tuple[DecisionLine, ...]
    steps: tuple[StepLine, ...]
    asked: tuple[DecisionAsked, ...]
    ahead: tuple[ItemLine, ...]
    annex: tuple[ItemLine, ...]
    horizon: date
    sources: tuple[str, ...] = field(default=())
    since_last: SinceLast | None = None
    #: The rules the pack's legend states: working days without an update before an item is
    #: *verouderd*, and past the deadline before a forecast makes a slip red.
    stale_after_days: int = 20
    slip_red_days: int = SLIP_RED_WORKING_DAYS
    #: The body's earlier meetings whose archived pack *eerder voorgelegd* read, and why
    #: (layout 4): ``sent`` (it counts), ``never_sent`` (made by hand or never queued) or
    #: ``made_after_meeting`` (as of the meeting's day or later); not one of them counts.
    earlier_packs: tuple[tuple[date, str], ...] = ()


def inert(text: str | None) -> str | None:
    """A note as plain text on one line, without control or direction-changing characters
    (:func:`governance.characters.displayable`: a note stored before they were refused); a
    leading formula character is quoted, so that a spreadsheet the table is pasted into shows
    it rather than computing it."""
    if text is None:
        return None
    flat = " ".join(displayable(text).split())
    if flat[:1] in ("=", "+", "-", "@"):
        flat = "'" + flat
    return flat


def gereed_text(
    plan_item: object, gereed: str | None, dropped_with: str | None = None, *, dropped: bool = True
) -> str:
    """'oorspronkelijk Najaar 2015, bijgesteld Q2-2016 (besluit stuurgroep 12 januari 2016)'.
    ``dropped_with``: the decision that dropped the item's action (and so the item);
    ``dropped``: False for an item assessed as open, whose ``cancelled_by`` does not apply on
    the day shown (a line never says *vervallen* for an item it asks a date for)."""
    original = getattr(plan_item, "original_gereed", None)
    revised_by = getattr(plan_item, "revised_by", None)
    cancelled_by = (getattr(plan_item, "cancelled_by", None) or dropped_with) if dropped else None
    text = gereed or "geen datum"
    if original and original != gereed:
        text = f"oorspronkelijk {original}, bijgesteld {text}"
        if revised_by:
            text += f" ({revised_by})"
    if cancelled_by:
        text += f"; vervallen ({cancelled_by})"
    return text


def item_lines(plan: Plan, assessment: Assessment) -> dict[str, ItemLine]:
    """Every assessed item as a line, in plan order."""
    plan_items: dict[str, object] = {}
    action_titles: dict[str, str] = {}
    dropped_actions: dict[str, str] = {}  # action id → the decision that dropped it
    for action in plan.actions():
        plan_items[action.id] = action
        action_titles[action.id] = action.title
        if action.cancelled_by:
            dropped_actions[action.id] = action.cancelled_by
        for m in action.milestones:
            plan_items[m.id] = m
    lines = {
        i.item_id: _line(
            i,
            plan_items.get(i.item_id),
            action_titles,
            # A milestone cancelled with its action names the action's decision.
            dropped_actions.get(i.action_id) if i.state is State.CANCELLED else None,
            plan.calendar.timezone,
        )
        for i in assessment.items.values()
    }
    return _with_deadlines(plan, assessment, lines)


def _with_deadlines(
    plan: Plan, assessment: Assessment, lines: dict[str, ItemLine]
) -> dict[str, ItemLine]:
    """Lines whose finished item (done, cancelled) keeps the deadline it had while open
    (:func:`finished_deadlines`): the report's annex still shows what was promised."""
    deadlines = finished_deadlines(plan, assessment, lines)
    if not deadlines:
        return lines
    out = dict(lines)
    for item_id, due in deadlines.items():
        out[item_id] = replace(out[item_id], due=due)
    return out


def finished_deadlines(
    plan: Plan,
    assessment: Assessment,
    ids: Iterable[str] | None = None,
    *,
    index: PlanIndex | None = None,
    calendar: WorkCalendar | None = None,
) -> dict[str, date]:
    """Item id → the deadline a finished item (done, cancelled) had while it was open, for
    the finished items among ``ids`` (all when None) that had one.

    The assessment gives a finished item no due date (nothing is due any more); readers still
    want what was promised. A dated gereed gives its last day; a dependent one the day it
    became due: ``dependency_lead_days`` working days after its dependencies were all done
    (none when they are not). ``index`` and ``calendar`` are the plan's, when the caller
    has them at hand (else they are built when a dependent item needs them)."""
    every = assessment.items
    chosen = every.values() if ids is None else (every[i] for i in ids if i in every)
    finished = [i for i in chosen if i.state in (State.DONE, State.CANCELLED)]
    if not finished:
        return {}
    # A page of the office's overview asks about a few items of a large plan: the index's map.
    deadlines = index.by_id if index is not None else {d.item_id: d for d in plan.deadlines()}
    out: dict[str, date] = {}
    for item in finished:
        d = deadlines.get(item.item_id)
        if d is None or d.period is None:
            continue
        due: date | None = None
        if d.period.kind in DATED_KINDS:
            due = d.period.end
        elif d.period.kind is PeriodKind.DEPENDENT and d.depends_on:
            if index is None:
                index = PlanIndex(plan)
            if calendar is None:
                calendar = WorkCalendar.for_plan(plan)
            last = _dependencies_done(index, assessment, d.depends_on)
            if last is not None:
                lead = plan.reminders.dependency_lead_days
                due = calendar.add_working_days(last, lead)
        if due is not None:
            out[item.item_id] = due
    return out


def _dependencies_done(
    index: PlanIndex, assessment: Assessment, deps: tuple[str, ...]
) -> date | None:
    """When the last of ``deps`` was done or cancelled (as the assessment reads a dependency);
    None while one is unfinished or unknown."""
    dates: list[date] = []
    for dep in deps:
        ids = index.dependency_items(dep)
        if not ids:
            return None
        for item_id in ids:
            item = assessment.items.get(item_id)
            if item is None or item.completed_on is None:
                return None
            dates.append(item.completed_on)
    return max(dates) if dates else None


def _line(
    i: ItemAssessment,
    plan_item: object,
    actions: dict[str, str],
    dropped_with: str | None,
    zone: str = "UTC",
) -> ItemLine:
    latest = i.latest_update
    return ItemLine(
        item_id=i.item_id,
        step=i.step,
        action_id=i.action_id,
        action_title=actions.get(i.action_id, ""),
        title=i.title,
        owners=i.owners,  # organisation ids: short, and what a programme office says
        gereed=gereed_text(plan_item, i.gereed, dropped_with, dropped=i.state is State.CANCELLED),
        due=i.due,
        forecast=i.forecast,
        state=i.state.value,
        rag=i.rag.value,
        stale=i.stale,
        note=inert(latest.comment) if latest else None,
        note_on=latest.reported_on if latest else None,
        waiting_on=i.waiting_on,
        # A decision's update counts from its meeting by design: the decision is what is late
        # (and a report's mark from the report's day): only an owner's answer comes in late.
        recorded_late=recorded_late(latest.reported_on, latest.recorded_at, zone)
        if latest is not None and latest.source not in NOT_THE_OWNERS
        else None,
    )


#: An update recorded more than this long after the day it reports for came in late.
LATE_AFTER = timedelta(days=1)


def recorded_late(
    reported_on: date, recorded_at: datetime | None, zone: str = "UTC"
) -> date | None:
    """The day (in the programme's ``zone``) an update was recorded when that is later than
    ``reported_on`` plus :data:`LATE_AFTER` (a back-dated answer, marked *nagekomen* wherever
    it is shown)."""
    if recorded_at is None:
        return None
    day = _zone_day(recorded_at, zone)
    return day if day > reported_on + LATE_AFTER else None


def _rag_counts(lines: Iterable[ItemLine]) -> dict[str, int]:
    counts = dict.fromkeys((r.value for r in Rag), 0)
    for line in lines:
        counts[line.rag] += 1
    return counts


def open_escalations(
    assessment: Assessment,
    escalations: Sequence[tuple[str, date]],
    decisions: Sequence[Decision] = (),
    due_changes: Sequence[DueChange] = (),
    zone: str = "UTC",
) -> dict[str, date]:
    """Per item whose escalation is still unanswered on ``assessment.as_of``, the day the first
    unanswered one was raised.

    An escalation is answered by anything about its item on or after the day it was raised and
    on or before ``as_of``: an owner's update, or a decision about the item (re-dated, cancelled,
    or only minuted; of any body). An item done or cancelled since has nothing left to chase. A
    decision about another item, or about none, answers nothing.

    It does not outlive the due date it was about either: a change of the item's due date
    recorded on or after the day it was raised (``due_changes``, with or without a decision;
    the plan the pack shows has it) ends it, as a new date starts its own prompts and its own
    silence. A date moved without a decision is put to the body by itself (``ratify``)."""
    as_of = assessment.as_of
    decided: dict[str, date] = {}  # item → its latest decision on or before as_of
    for d in decisions:
        if d.item_id is not None and d.meeting_on <= as_of:
            decided[d.item_id] = max(d.meeting_on, decided.get(d.item_id, d.meeting_on))
    moved: dict[str, date] = {}  # item → the day its due date last changed
    for c in due_changes:
        # An edit's day is the office's day (``zone``): an edit at 00:30 is not yesterday's.
        day = c.decision.meeting_on if c.decision is not None else _zone_day(c.recorded_at, zone)
        moved[c.item_id] = max(day, moved.get(c.item_id, day))
    out: dict[str, date] = {}
    for item_id, raised_on in escalations:
        item = assessment.items.get(item_id)
        if item is None or item.state not in _OPEN_STATES or raised_on > as_of:
            continue
        latest = item.latest_update
        answers = [decided[item_id]] if item_id in decided else []
        answers += [latest.reported_on] if latest is not None else []
        answers += [moved[item_id]] if item_id in moved else []
        if not answers or max(answers) < raised_on:
            out[item_id] = min(raised_on, out.get(item_id, raised_on))
    return out


def to_ratify(
    assessment: Assessment,
    due_changes: Sequence[DueChange],
    decisions: Sequence[Decision] = (),
    zone: str = "UTC",
) -> dict[str, tuple[str, str]]:
    """Per open item whose due date was last moved in the plan file without a decision (the
    progress report's *datum gewijzigd in het plan zonder besluit*,
    :func:`governance.provenance.due_changes`), the gereed before the first of those edits and
    the gereed now: what the body is asked to ratify. A decision about the item taken on or
    after the (last) edit's day and on or before ``as_of`` answers it, as does a later move by
    a decision."""
    as_of = assessment.as_of
    runs: dict[str, list[DueChange]] = {}  # item → its trailing undecided changes
    for c in sorted(due_changes, key=lambda c: c.recorded_at):
        if c.decided:
            runs.pop(c.item_id, None)
        else:
            runs.setdefault(c.item_id, []).append(c)
    out: dict[str, tuple[str, str]] = {}
    for item_id, edits in runs.items():
        item = assessment.items.get(item_id)
        if item is None or item.state not in _OPEN_STATES:
            continue
        since = _zone_day(edits[-1].recorded_at, zone)
        if any(d.item_id == item_id and since <= d.meeting_on <= as_of for d in decisions):
            continue
        before = edits[0].gereed_before or "geen datum"
        out[item_id] = (before, edits[-1].gereed_after or "geen datum")
    return out


def removed_to_ratify(
    revisions: Sequence[ItemRevision],
    decisions: Sequence[Decision] = (),
    zone: str = "UTC",
    as_of: date | None = None,
) -> list[Removal]:
    """The items removed from the plan file without a decision and not back in it
    (:func:`governance.provenance.removals`: a milestone removed with its action goes with the
    action), oldest first: what the body is asked to ratify. A decision about the item taken
    on or after the day it was removed (in ``zone``) and on or before ``as_of`` answers it, as
    does a drop of the item or its action by a decision (the file tidied after it)."""
    found = removals(
        ((r.item_id, r.kind, r.before, r.recorded_at) for r in revisions),
        decisions,
        zone=zone,
        as_of=as_of,
    )
    return [r for r in found if not r.decided]


def decisions_asked(
    assessment: Assessment,
    lines: dict[str, ItemLine],
    escalations: Sequence[tuple[str, date]] = (),
    decisions: Sequence[Decision] = (),
    due_changes: Sequence[DueChange] = (),
    zone: str = "UTC",
    revisions: Sequence[ItemRevision] = (),
    *,
    body_id: str | None = None,
    earlier_meetings: Sequence[date] = (),
    listed: Mapping[date, frozenset[str] | None] | None = None,
) -> list[DecisionAsked]:
    """What the body must decide, one entry per item, by its most pressing reason, in plan
    order (:func:`by_weight` ranks them). Each says how heavily it weighs (:data:`WEIGHTS`:
    a date set by a decision of ``body_id``, any body's when None, missed again is ``again``),
    since when it is late, and at which of ``earlier_meetings`` (the body's meetings before
    this one) it was on the agenda already (:func:`asked_before`).
    ``decisions``: those taken so far, which may have answered an escalation;
    ``due_changes``: the due-date changes the plan's revisions record (a date moved in the plan
    file without a decision is put to the body for ratification); ``revisions``: the items'
    plan revisions (an item removed from the plan file without a decision is put to the body
    too, after the items of the plan: :func:`removed_to_ratify`). ``listed``: per earlier
    meeting that got an archived pack, the items it listed (None: not kept), for
    :func:`asked_in_packs`; None: every meeting counts as the data then stood (layout 2)."""
    escalated = open_escalations(assessment, escalations, decisions, due_changes, zone)
    ratify = to_ratify(assessment, due_changes, decisions, zone)
    out: list[DecisionAsked] = []
    for item in assessment.items.values():
        reason = _reason(item, item.item_id in escalated, item.item_id in ratify)
        if reason is None:
            continue
        line = lines[item.item_id]
        before, after = ratify.get(item.item_id, ("", ""))
        question = QUESTIONS[reason].format(
            id=item.item_id,
            forecast=long_date(item.forecast) if item.forecast else "",
            waiting_on=", ".join(item.waiting_on),
            since=long_date(escalated.get(item.item_id, assessment.as_of)),
            before=before,
            after=after,
        )
        setting = _set_by(item.item_id, decisions, body_id, assessment.as_of)
        weight = _weight(reason, item.item_id in escalated, setting is not None)
        late_since = item.due if reason in ("overdue", "slipped") else escalated.get(item.item_id)
        earlier: tuple[date, ...]
        estimated: tuple[date, ...] = ()
        if listed is None:
            earlier = asked_before(item, reason, due_changes, earlier_meetings, zone)
        else:
            earlier, estimated = asked_in_packs(
                item, reason, due_changes, earlier_meetings, listed, zone
            )
        out.append(
            DecisionAsked(
                line, reason, REASONS[reason], question, weight, late_since, earlier,
                setting.gereed_after if setting is not None else None,
                setting.meeting_on if setting is not None else None,
                estimated,
            )
        )  # fmt: skip
    for removal in removed_to_ratify(revisions, decisions, zone, assessment.as_of):
        if removal.item_id in assessment.items:  # pragma: no cover - back: a restored revision
            continue
        with_items = f" (met {', '.join(removal.with_items)})" if removal.with_items else ""
        question = QUESTIONS["removed"].format(id=removal.item_id + with_items)
        out.append(
            DecisionAsked(removed_line(removal, lines), "removed", REASONS["removed"], question)
        )
    return out


def removed_line(removal: Removal, lines: dict[str, ItemLine]) -> ItemLine:
    """A removed item as a line of the pack's *ter besluitvorming*: what it was when it left
    the plan (no date to judge, no update: grey)."""
    fields = removal.fields
    action_id = removal.action_id
    step = fields.get("step")
    if step is None:
        step = next((x.step for x in lines.values() if x.action_id == action_id), 0)
    owners = fields.get("owners")
    action_title = next((x.action_title for x in lines.values() if x.action_id == action_id), "")
    return ItemLine(
        item_id=removal.item_id,
        step=int(step or 0),
        action_id=action_id,
        action_title=action_title if action_id != removal.item_id else removal.title,
        title=removal.title,
        owners=tuple(str(o) for o in owners) if isinstance(owners, list | tuple) else (),
        gereed=str(fields.get("gereed") or "geen datum"),
        due=None,
        forecast=None,
        state="removed",
        rag=Rag.GREY.value,
        stale=False,
        note=None,
        note_on=None,
        waiting_on=(),
    )


def _set_by(
    item_id: str, decisions: Sequence[Decision], body_id: str | None, as_of: date
) -> Decision | None:
    """The decision (of ``body_id``; any body's when None) that set the date an item has now:
    the latest that moved it, by meeting, when that was a ``set_gereed``."""
    mine = sorted(
        (
            d for d in decisions
            if d.item_id == item_id and d.meeting_on <= as_of
            and d.kind in (DecisionKind.SET_GEREED, DecisionKind.CANCEL)
        ),
        key=lambda d: (d.meeting_on, d.id or 0),
    )  # fmt: skip
    if not mine or mine[-1].kind is not DecisionKind.SET_GEREED:
        return None
    return mine[-1] if body_id is None or mine[-1].body_id == body_id else None


def _weight(reason: str, escalated: bool, set_by_decision: bool) -> str:
    if reason == "slipped":
        return "slip"
    if reason == "overdue" and set_by_decision:
        return "again"
    if escalated:
        return "escalated"
    if reason in ("ratify", "removed", "red"):
        return "choice"
    return "routine"


def asked_before(
    item: ItemAssessment,
    reason: str,
    due_changes: Sequence[DueChange],
    meetings: Sequence[date],
    zone: str = "UTC",
) -> tuple[date, ...]:
    """Which of ``meetings`` (earlier ones of the body) had this point on their agenda as the
    data then stood: a late item at each meeting after the deadline in force then had passed
    (a date moved by a decision counts from its meeting; one moved in the plan file from the
    day it was recorded), an undated one at each meeting while it had no date. Other reasons
    (a slip's forecast, a wait, a ratification) are not traced back."""
    if reason not in ("overdue", "undated", "escalated", "red") or not meetings:
        return ()
    changes = sorted(
        (
            (c.decision.meeting_on if c.decision is not None else _zone_day(c.recorded_at, zone), c)
            for c in due_changes
            if c.item_id == item.item_id
        ),
        key=lambda dc: dc[0],
    )
    out = []
    for on in sorted(meetings):
        due = changes[0][1].due_before if changes else item.due
        for day, c in changes:
            if day >= on:
                break
            due = c.due_after
        late = due is not None and due < on
        if (late and reason != "undated") or (due is None and reason == "undated"):
            out.append(on)
    return tuple(out)


def asked_in_packs(
    item: ItemAssessment,
    reason: str,
    due_changes: Sequence[DueChange],
    meetings: Sequence[date],
    listed: Mapping[date, frozenset[str] | None],
    zone: str = "UTC",
) -> tuple[tuple[date, ...], tuple[date, ...]]:
    """Which of ``meetings`` had the item *ter besluitvorming* in the pack that was archived for
    them (``listed``): a meeting that got no pack does not count. A pack archived before packs
    kept their list is read as the data then stood (:func:`asked_before`); those meetings are
    returned second, so the pack's data say which were worked out."""
    out, estimated = [], []
    for on in sorted(meetings):
        if on not in listed:
            continue  # the meeting passed without a pack: nothing was put to the body
        items = listed[on]
        if items is None:
            if asked_before(item, reason, due_changes, [on], zone):
                out.append(on)
                estimated.append(on)
        elif item.item_id in items:
            out.append(on)
    return tuple(out), tuple(estimated)


def by_weight(asked: Sequence[DecisionAsked]) -> list[DecisionAsked]:
    """The points ter besluitvorming heaviest first (:data:`WEIGHTS`), within a weight the
    longest late first, then in plan order."""
    order = {id(a): n for n, a in enumerate(asked)}
    return sorted(
        asked,
        key=lambda a: (
            WEIGHTS.index(a.weight) if a.weight in WEIGHTS else len(WEIGHTS),
            a.late_since or date.max,
            order[id(a)],
        ),
    )


def shortlist_asked(
    asked: Sequence[DecisionAsked], limit: int
) -> tuple[list[DecisionAsked], list[DecisionAsked]]:
    """The points a short list shows, heaviest first, and the routine ones left out: only
    routine points are cut, however many weighty ones there are (the list then is longer
    than ``limit``)."""
    ranked = by_weight(asked)
    if len(ranked) <= limit:
        return ranked, []
    weighty = [a for a in ranked if a.weight != "routine"]
    routine = [a for a in ranked if a.weight == "routine"]
    room = max(limit - len(weighty), 0)
    return weighty + routine[:room], routine[room:]


def _reason(item: ItemAssessment, escalated: bool, ratify: bool = False) -> str | None:
    if item.state is State.OVERDUE:
        return "overdue"
    if item.state is State.SLIPPED:
        return "slipped"
    if ratify:
        return "ratify"
    if item.state is State.UNDATED:
        return "undated"
    if item.state is State.WAITING:
        return "waiting"
    if item.rag is Rag.RED:
        return "red"
    if escalated:
        return "escalated"
    return None


def since_last(
    plan: Plan,
    assessment: Assessment,
    lines: dict[str, ItemLine],
    previous: Meeting | None,
    *,
    decisions: Sequence[Decision] = (),
    due_changes: Sequence[DueChange] = (),
    revisions: Sequence[ItemRevision] = (),
    first_recorded: datetime | None = None,
    previous_assessment: Assessment | None = None,
    contact_revisions: Sequence[ItemRevision] = (),
) -> SinceLast:
    """What changed since the body's previous meeting, one entry per change, in plan order,
    and what got worse (:func:`got_worse`; ``previous_assessment``: the data as they stood on
    the previous meeting's day, when there was one).

    A first meeting counts from the programme's start date, else from the day the plan was
    first recorded (``first_recorded``: the first sync; the items it created are the plan, not
    added to it). What the data record with a day counts from that day through ``as_of``:
    items finished (their ``completed_on``), decisions (their meeting). A plan-file edit has
    only the moment it was recorded: counted from that day on, whatever ``as_of`` (the pack
    shows the plan file as it is, with its edits). ``decisions``: those taken on or before
    ``as_of``; a due change made by a later decision is not in the plan the pack shows.
    ``contact_revisions``: the contacts' plan revisions (an organisation's contact person
    changed: :func:`governance.contact_changes.contact_changes`)."""
    as_of = assessment.as_of
    since: date | None
    if previous is not None:
        since, basis = previous.on, "previous"
    elif plan.programme.start is not None:
        since, basis = plan.programme.start, "start"
    elif first_recorded is not None:
        since, basis = local_day(plan, first_recorded), "plan"
    else:
        since, basis = None, "none"

    def within(day: date | None) -> bool:
        return day is not None and (since is None or since <= day) and day <= as_of

    def recorded(at: datetime) -> bool:
        return since is None or local_day(plan, at) >= since

    taken = [d for d in decisions if d.item_id is not None and d.meeting_on <= as_of]
    entries: list[SinceEntry] = []
    titles = {item_id: line.title for item_id, line in lines.items()}
    for r in revisions:
        if r.kind == "created" and isinstance(r.after, dict) and r.item_id not in titles:
            titles[r.item_id] = str(r.after.get("title") or "")
        elif r.kind == "archived" and isinstance(r.before, dict) and r.item_id not in titles:
            titles[r.item_id] = str(r.before.get("title") or "")  # its title when removed
    for i in assessment.items.values():
        if i.state is State.DONE and within(i.completed_on):
            entries.append(SinceEntry(i.item_id, i.title, "done", i.completed_on))
        elif i.state is State.CANCELLED and within(i.completed_on):
            drops = [
                d for d in taken
                if d.item_id in (i.item_id, i.action_id) and d.kind is DecisionKind.CANCEL
            ]  # fmt: skip
            by = decision_label(plan, drops[-1]) if drops else None
            entries.append(
                SinceEntry(i.item_id, i.title, "cancelled", i.completed_on, decided_by=by)
            )
        elif i.state in _OPEN_STATES:
            mine = sorted((d for d in taken if d.item_id == i.item_id), key=lambda d: d.meeting_on)
            drops = [d for d in mine if d.kind is DecisionKind.CANCEL]
            back = [
                d for d in mine
                if drops and d.kind is DecisionKind.SET_GEREED
                and d.meeting_on >= drops[-1].meeting_on and within(d.meeting_on)
            ]  # fmt: skip
            if back:
                label = decision_label(plan, back[-1])
                entries.append(
                    SinceEntry(i.item_id, i.title, "reinstated", back[-1].meeting_on,
                               after=back[-1].gereed_after, decided_by=label)
                )  # fmt: skip
    # An action assessed through its milestones, taken up again by a decision about the
    # action: one entry for the action (its milestones' dates are listed as they moved).
    restoring = restores(d for d in decisions if d.meeting_on <= as_of)
    actions = {a.id: a for a in plan.actions()}
    for d in sorted(restoring, key=lambda d: (d.meeting_on, d.id or 0)):
        action = actions.get(d.item_id or "")
        if action is None or d.item_id in assessment.items or not within(d.meeting_on):
            continue
        after = d.gereed_after if d.gereed_after != d.gereed_before else None
        entries.append(
            SinceEntry(action.id, action.title, "reinstated", d.meeting_on, after=after,
                       decided_by=decision_label(plan, d), layout=2)
        )  # fmt: skip
    reinstated = {(e.item_id, e.on) for e in entries if e.kind == "reinstated"}
    for c in due_changes:
        if c.decision is not None:
            if not within(c.decision.meeting_on) or (c.item_id, c.decision.meeting_on) in (
                reinstated
            ):
                continue  # a reinstatement says its new date itself
            on, by = c.decision.meeting_on, decision_label(plan, c.decision)
        elif recorded(c.recorded_at):
            on, by = local_day(plan, c.recorded_at), None
        else:
            continue
        entries.append(
            SinceEntry(c.item_id, titles.get(c.item_id, ""), "moved", on,
                       c.gereed_before or "geen datum", c.gereed_after or "geen datum", by)
        )  # fmt: skip
    kinds = {"created": "added", "archived": "removed", "restored": "restored"}
    for r in revisions:
        if not recorded(r.recorded_at):
            continue
        if r.kind == "created" and first_recorded is not None and r.recorded_at <= first_recorded:
            continue  # the plan as first recorded
        title = titles.get(r.item_id, "")
        if r.kind == "archived":
            # Removed by a decision's drop (the file tidied after it), or dealt with by one.
            found = removals(
                [(r.item_id, r.kind, r.before, r.recorded_at)],
                taken,
                zone=plan.calendar.timezone,
            )
            by = decision_label(plan, found[0].decision) if found[0].decision else None
            entries.append(
                SinceEntry(r.item_id, title, "removed", local_day(plan, r.recorded_at),
                           decided_by=by)
            )  # fmt: skip
        elif r.kind in kinds:
            entries.append(
                SinceEntry(r.item_id, title, kinds[r.kind], local_day(plan, r.recorded_at))
            )
        elif r.kind == "changed" and r.field == "owners":
            entries.append(
                SinceEntry(r.item_id, title, "owners", local_day(plan, r.recorded_at),
                           _owners(r.before), _owners(r.after))
            )  # fmt: skip
    for org, name, on, before, after in contact_changes(
        plan, contact_revisions, since, as_of, lambda at: local_day(plan, at)
    ):
        entries.append(SinceEntry(org, name, "contact", on, before, after, layout=CONTACT_LAYOUT))
    order = {item_id: n for n, item_id in enumerate(lines)}
    for n, line in enumerate(lines.values()):
        order.setdefault(line.action_id, n)  # an action before its first milestone
    entries.sort(
        key=lambda e: (
            order.get(e.item_id, len(order)),
            e.item_id,
            SINCE_KINDS.index(e.kind),
            e.on or date.min,
        )
    )
    counts = dict.fromkeys(SINCE_KINDS, 0)
    for e in entries:
        counts[e.kind] += 1
    worse, rag_changes = got_worse(plan, assessment, since, previous_assessment)
    return SinceLast(since, basis, tuple(entries), counts, worse, rag_changes)


def got_worse(
    plan: Plan, assessment: Assessment, since: date | None, previous: Assessment | None
) -> tuple[tuple[SinceEntry, ...], tuple[RagChange, ...]]:
    """What got worse from ``since`` through ``assessment.as_of``: open items whose deadline
    passed in that time (late now, and not late on ``since`` in ``previous`` when given), items
    reported at risk or slipped in that time (not late), and the RAG of the programme and of
    each step on ``since`` (``previous``) and now, where it changed."""
    as_of = assessment.as_of
    worse: list[SinceEntry] = []
    before = previous.items if previous is not None else {}
    for i in assessment.items.values():
        was = before.get(i.item_id)
        if i.state is State.OVERDUE:
            if i.due is None or (since is not None and i.due < since) or i.due >= as_of:
                continue
            if was is not None and was.state is State.OVERDUE:
                continue
            worse.append(SinceEntry(i.item_id, i.title, "late", i.due))
        elif i.state in (State.AT_RISK, State.SLIPPED):
            latest = i.latest_update
            on = latest.reported_on if latest is not None else None
            if on is None or (since is not None and on < since) or on > as_of:
                continue
            if was is not None and was.state in (State.AT_RISK, State.SLIPPED, State.OVERDUE):
                continue
            worse.append(SinceEntry(i.item_id, i.title, "at_risk", on, after=i.state.value))
    worse.sort(key=lambda e: (WORSE_KINDS.index(e.kind), e.on or date.max))
    changes: list[RagChange] = []
    if previous is not None:
        if previous.programme is not assessment.programme:
            changes.append(
                RagChange(None, plan.programme.title, previous.programme.value,
                          assessment.programme.value)
            )  # fmt: skip
        for step in plan.steps:
            then = previous.steps.get(step.number, Rag.GREY)
            now = assessment.steps.get(step.number, Rag.GREY)
            if then is not now:
                changes.append(RagChange(step.number, step.title, then.value, now.value))
    return tuple(worse), tuple(changes)


def local_day(plan: Plan, at: datetime) -> date:
    """The day in the programme's time zone of a recorded instant (naive: UTC)."""
    return _zone_day(at, plan.calendar.timezone)


def _zone_day(at: datetime, zone: str) -> date:
    aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return aware.astimezone(ZoneInfo(zone)).date()


def _owners(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "geen"
    return str(value) if value else "geen"


def build_agenda(
    plan: Plan,
    assessment: Assessment,
    body: GovernanceBody,
    meeting: Meeting,
    *,
    previous: Meeting | None,
    next_meeting: Meeting | None,
    decisions: Sequence[Decision] = (),
    escalations: Sequence[tuple[str, date]] = (),
    due_changes: Sequence[DueChange] = (),
    revisions: Sequence[ItemRevision] = (),
    first_recorded: datetime | None = None,
    earlier: Sequence[Meeting] = (),
    previous_assessment: Assessment | None = None,
    decisions_from: date | None = None,
    contact_revisions: Sequence[ItemRevision] = (),
    packs_listed: Mapping[date, frozenset[str] | None] | None = None,
    packs_not_counted: Mapping[date, str] | None = None,
) -> AgendaPack:
    """The pack for ``meeting`` as the data stand on ``assessment.as_of``.

    ``earlier``: the body's meetings before this one (a point ter besluitvorming says at which
    it was on the agenda already); ``previous_assessment``: the data as they stood on the
    previous meeting's day (*sinds de vorige vergadering* names the RAG changes);
    ``decisions_from``: list the body's decisions from this day on rather than from the
    previous meeting's (a meeting that got no pack: its decision list was never sent).
    ``packs_listed``: per earlier meeting with an archived pack, the items it put to the body
    (layout 3: *eerder voorgelegd* counts the packs archived; None: the meetings, layout 2);
    ``packs_not_counted``: the earlier meetings whose archived pack was never put to the body,
    and why (layout 4: only packs sent before the meeting count; kept as ``earlier_packs``).

    ``due_changes``: every change of a due date the plan's revisions record
    (:func:`governance.provenance.due_changes`, read with every decision recorded); those made
    by a decision taken after ``as_of`` are left out (the plan of ``as_of`` does not have them).
    ``revisions``: the items' plan revisions, ``first_recorded``: when the plan was first
    recorded (both for :func:`since_last`). A plan-file edit counts from the day (in the
    programme's time zone) it was recorded: one recorded after ``as_of`` is left out."""
    as_of = assessment.as_of
    due_changes = [
        c
        for c in due_changes
        if (c.decision.meeting_on if c.decision else local_day(plan, c.recorded_at)) <= as_of
    ]
    revisions = [r for r in revisions if local_day(plan, r.recorded_at) <= as_of]
    lines = item_lines(plan, assessment)
    steps = []
    for step in plan.steps:
        mine = [line for line in lines.values() if line.step == step.number]
        exceptions = tuple(line for line in mine if line.rag in (Rag.AMBER, Rag.RED))
        steps.append(
            StepLine(
                number=step.number,
                title=step.title,
                rag=assessment.steps.get(step.number, Rag.GREY).value,
                counts=_rag_counts(mine),
                total=len(mine),
                exceptions=exceptions,
            )
        )
    horizon = next_meeting.on if next_meeting else meeting.on + DEFAULT_HORIZON
    ahead = tuple(
        line
        for line in lines.values()
        if line.state in {s.value for s in _OPEN_STATES}
        and (
            (line.due is not None and meeting.on < line.due <= horizon)
            or (line.forecast is not None and meeting.on < line.forecast <= horizon)
        )
    )
    since = previous.on if previous else date.min
    if decisions_from is not None:
        since = min(since, decisions_from)
    recent = [d for d in decisions if d.body_id == body.id and since <= d.meeting_on < meeting.on]
    restored = restores(d for d in decisions if d.meeting_on <= assessment.as_of)
    # An item no longer in the plan (a decision about its removal) is named as it left it.
    removed_titles = {
        r.item_id: str(r.before.get("title") or "") or None
        for r in revisions
        if r.kind == "archived" and isinstance(r.before, dict)
    }
    actions = {a.id: a for a in plan.actions()}

    def milestone_states(action_id: str) -> tuple[tuple[str, int], ...]:
        states = [x.state for x in lines.values() if x.action_id == action_id]
        order = [s.value for s in _STATE_ORDER]
        counted = {s: states.count(s) for s in set(states)}
        return tuple(sorted(counted.items(), key=lambda sc: order.index(sc[0])))

    decision_lines = tuple(
        DecisionLine(
            d,
            lines[d.item_id].state if d.item_id in lines else None,
            lines[d.item_id].title if d.item_id in lines else removed_titles.get(d.item_id or ""),
            d in restored,
            *(
                (actions[d.item_id].title, milestone_states(d.item_id))
                if d.item_id in actions and d.item_id not in lines
                else (None, ())
            ),
        )
        for d in recent
    )
    return AgendaPack(
        programme_title=plan.programme.title,
        programme_short=plan.programme.short_title or plan.programme.title,
        body_id=body.id,
        body_name=body.name,
        meeting=meeting,
        previous=previous,
        next=next_meeting,
        as_of=assessment.as_of,
        programme_rag=assessment.programme.value,
        rag_counts=_rag_counts(lines.values()),
        decisions=decision_lines,
        steps=tuple(steps),
        asked=tuple(
            decisions_asked(
                assessment,
                lines,
                escalations,
                decisions,
                due_changes,
                plan.calendar.timezone,
                revisions,
                body_id=body.id,
                earlier_meetings=[m.on for m in earlier if m.on < meeting.on and m.on <= as_of],
                listed=packs_listed,
            )
        ),
        ahead=ahead,
        annex=tuple(lines.values()),
        horizon=horizon,
        since_last=since_last(
            plan,
            assessment,
            lines,
            previous,
            decisions=decisions,
            due_changes=due_changes,
            revisions=revisions,
            first_recorded=first_recorded,
            previous_assessment=previous_assessment,
            contact_revisions=contact_revisions,
        ),
        stale_after_days=plan.reminders.stale_after_days,
        earlier_packs=_earlier_packs(meeting.on, packs_listed, packs_not_counted),
    )


def _earlier_packs(
    meeting_on: date,
    listed: Mapping[date, frozenset[str] | None] | None,
    not_counted: Mapping[date, str] | None,
) -> tuple[tuple[date, str], ...]:
    """Per earlier meeting with an archived pack, whether it counted and why (layout 4)."""
    if not_counted is None:
        return ()
    why = {on: "sent" for on in listed or {}} | dict(not_counted)
    return tuple(sorted((on, w) for on, w in why.items() if on < meeting_on))


def shortlist(entries: Sequence[_Entry], limit: int) -> tuple[list[_Entry], int]:
    """At most ``limit`` entries and how many were left out. A list that fits keeps its order;
    a longer one shows the most severe first (reason, RAG, date), then in its own order."""
    if len(entries) <= limit:
        return list(entries), 0

    def severity(entry: _Entry) -> tuple[int, int, date]:
        line: ItemLine = getattr(entry, "item", None) or cast(ItemLine, entry)
        reason = getattr(entry, "reason", "")
        rank = _REASON_ORDER.index(reason) if reason in _REASON_ORDER else len(_REASON_ORDER)
        return rank, _RAG_ORDER.index(line.rag), line.due or date.max

    order = {id(e): n for n, e in enumerate(entries)}
    shown = sorted(sorted(entries, key=severity)[:limit], key=lambda e: order[id(e)])
    return shown, len(entries) - limit


def changes_plan(decision: Decision) -> bool:
    return decision.kind in (DecisionKind.SET_GEREED, DecisionKind.CANCEL)
