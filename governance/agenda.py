"""What goes on a governance body's agenda pack: pure content, no formatting.

Short and by exception, like a PRINCE2 highlight report: per step one line with its RAG colour
and counts; green items only counted, amber and red ones listed; *ter besluitvorming* built from
the data, each entry with the question the body must answer; a look ahead to the next meeting;
the full table as annex. Sections 1 (opening) and 6 (rondvraag) are fixed agenda items.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import TypeVar, cast

from governance.assessment import Assessment, ItemAssessment
from governance.assessor import PlanIndex
from governance.characters import displayable
from governance.decisions import Decision, DecisionKind
from governance.dutch import long_date
from governance.meetings import Meeting
from governance.periods import DATED_KINDS, PeriodKind
from governance.plan import GovernanceBody, Plan
from governance.rag import Rag, State
from governance.workdays import WorkCalendar

#: The questions a body is asked, per reason (Dutch: they are printed on the pack as they are).
QUESTIONS: dict[str, str] = {
    "overdue": "Nieuwe datum vaststellen voor {id}?",
    "slipped": "Verschuiving van {id} naar {forecast} accorderen?",
    "red": "Maatregelen vaststellen voor {id}?",
    "undated": "Datum vaststellen voor {id}?",
    "waiting": "Termijn vaststellen voor {id}, dat wacht op {waiting_on}?",
    "escalated": "Eigenaar aanspreken over {id} (escalatie van {since} onbeantwoord)?",
}
REASONS: dict[str, str] = {
    "overdue": "te laat",
    "slipped": "verschoven",
    "red": "rood",
    "undated": "geen datum (Ntb)",
    "waiting": "wacht op afhankelijkheid",
    "escalated": "escalatie onbeantwoord",
}
_OPEN_STATES = frozenset(set(State) - {State.DONE, State.CANCELLED})
#: Without a next meeting, the look-ahead covers this long after the meeting.
DEFAULT_HORIZON = timedelta(days=91)
#: The longest list a pack section shows (per step, ter besluitvorming, vooruitblik): a pack is
#: short at any programme size; the rest is counted and left to the annex.
LIMITS: dict[str, int] = {"step": 12, "asked": 25, "ahead": 25, "progress": 25}
#: Most severe first when a list is cut: reasons, then RAG colours.
_REASON_ORDER = ("overdue", "red", "slipped", "escalated", "waiting", "undated")
_RAG_ORDER = ("red", "amber", "grey", "green")


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


@dataclass(frozen=True, slots=True)
class DecisionAsked:
    item: ItemLine
    reason: str  # a key of QUESTIONS
    reason_label: str
    question: str


@dataclass(frozen=True, slots=True)
class DecisionLine:
    decision: Decision
    follow_up: str | None  # the item's state now, for decisions about an item
    item_title: str | None


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


def gereed_text(plan_item: object, gereed: str | None, dropped_with: str | None = None) -> str:
    """'oorspronkelijk Najaar 2015, bijgesteld Q2-2016 (besluit stuurgroep 12 januari 2016)'.
    ``dropped_with``: the decision that dropped the item's action (and so the item)."""
    original = getattr(plan_item, "original_gereed", None)
    revised_by = getattr(plan_item, "revised_by", None)
    cancelled_by = getattr(plan_item, "cancelled_by", None) or dropped_with
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
    i: ItemAssessment, plan_item: object, actions: dict[str, str], dropped_with: str | None
) -> ItemLine:
    latest = i.latest_update
    return ItemLine(
        item_id=i.item_id,
        step=i.step,
        action_id=i.action_id,
        action_title=actions.get(i.action_id, ""),
        title=i.title,
        owners=i.owners,  # organisation ids: short, and what a programme office says
        gereed=gereed_text(plan_item, i.gereed, dropped_with),
        due=i.due,
        forecast=i.forecast,
        state=i.state.value,
        rag=i.rag.value,
        stale=i.stale,
        note=inert(latest.comment) if latest else None,
        note_on=latest.reported_on if latest else None,
        waiting_on=i.waiting_on,
        # A decision's update counts from its meeting by design: the decision is what is late.
        recorded_late=recorded_late(latest.reported_on, latest.recorded_at)
        if latest is not None and latest.source != "decision"
        else None,
    )


#: An update recorded more than this long after the day it reports for came in late.
LATE_AFTER = timedelta(days=1)


def recorded_late(reported_on: date, recorded_at: datetime | None) -> date | None:
    """The day (UTC) an update was recorded when that is later than ``reported_on`` plus
    :data:`LATE_AFTER` (a back-dated answer, marked *nagekomen* wherever it is shown)."""
    if recorded_at is None:
        return None
    day = recorded_at.date()
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
) -> dict[str, date]:
    """Per item whose escalation is still unanswered on ``assessment.as_of``, the day the first
    unanswered one was raised.

    An escalation is answered by anything about its item on or after the day it was raised and
    on or before ``as_of``: an owner's update, or a decision about the item (re-dated, cancelled,
    or only minuted; of any body). An item done or cancelled since has nothing left to chase. A
    decision about another item, or about none, answers nothing."""
    as_of = assessment.as_of
    decided: dict[str, date] = {}  # item → its latest decision on or before as_of
    for d in decisions:
        if d.item_id is not None and d.meeting_on <= as_of:
            decided[d.item_id] = max(d.meeting_on, decided.get(d.item_id, d.meeting_on))
    out: dict[str, date] = {}
    for item_id, raised_on in escalations:
        item = assessment.items.get(item_id)
        if item is None or item.state not in _OPEN_STATES or raised_on > as_of:
            continue
        latest = item.latest_update
        answers = [decided[item_id]] if item_id in decided else []
        answers += [latest.reported_on] if latest is not None else []
        if not answers or max(answers) < raised_on:
            out[item_id] = min(raised_on, out.get(item_id, raised_on))
    return out


def decisions_asked(
    assessment: Assessment,
    lines: dict[str, ItemLine],
    escalations: Sequence[tuple[str, date]] = (),
    decisions: Sequence[Decision] = (),
) -> list[DecisionAsked]:
    """What the body must decide, one entry per item, by its most pressing reason.
    ``decisions``: those taken so far, which may have answered an escalation."""
    escalated = open_escalations(assessment, escalations, decisions)
    out: list[DecisionAsked] = []
    for item in assessment.items.values():
        reason = _reason(item, item.item_id in escalated)
        if reason is None:
            continue
        line = lines[item.item_id]
        question = QUESTIONS[reason].format(
            id=item.item_id,
            forecast=long_date(item.forecast) if item.forecast else "",
            waiting_on=", ".join(item.waiting_on),
            since=long_date(escalated.get(item.item_id, assessment.as_of)),
        )
        out.append(DecisionAsked(line, reason, REASONS[reason], question))
    return out


def _reason(item: ItemAssessment, escalated: bool) -> str | None:
    if item.state is State.OVERDUE:
        return "overdue"
    if item.state is State.SLIPPED:
        return "slipped"
    if item.state is State.UNDATED:
        return "undated"
    if item.state is State.WAITING:
        return "waiting"
    if item.rag is Rag.RED:
        return "red"
    if escalated:
        return "escalated"
    return None


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
) -> AgendaPack:
    """The pack for ``meeting`` as the data stand on ``assessment.as_of``."""
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
    recent = [d for d in decisions if d.body_id == body.id and since <= d.meeting_on < meeting.on]
    decision_lines = tuple(
        DecisionLine(
            d,
            lines[d.item_id].state if d.item_id in lines else None,
            lines[d.item_id].title if d.item_id in lines else None,
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
        asked=tuple(decisions_asked(assessment, lines, escalations, decisions)),
        ahead=ahead,
        annex=tuple(lines.values()),
        horizon=horizon,
    )


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
