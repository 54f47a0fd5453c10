"""An agenda pack's item lines (:mod:`governance.agenda`): each item as the pack and its annex
show it, the finished deadlines and RAG counts per step."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date, datetime, timedelta

from governance.agenda_model import (
    ItemLine,
    _zone_day,
)
from governance.assessment import Assessment, ItemAssessment
from governance.assessor import PlanIndex
from governance.characters import displayable
from governance.decisions import (
    NOT_THE_OWNERS,
    PLAN_SOURCE,
)
from governance.item_start import not_started_ids
from governance.periods import DATED_KINDS, PeriodKind
from governance.plan import Plan
from governance.rag import Rag, State
from governance.updates import UpdateStatus
from governance.workdays import WorkCalendar


def one_line(text: str | None) -> str | None:
    """A note as plain text on one line, without control or direction-changing characters
    (:func:`governance.characters.displayable`: a note stored before they were refused), as
    its writer typed it otherwise: what a document (a pack, a report) prints."""
    if text is None:
        return None
    return " ".join(displayable(text).split())


def inert(text: str | None) -> str | None:
    """:func:`one_line`, with a leading formula character quoted, so that a spreadsheet the
    text is written to shows it rather than computing it: for a CSV cell. Documents printed it
    so too up to agenda layout 21 and progress layout 20 (walk57b 5: a document is no
    spreadsheet; ``item_lines(guarded=False)`` prints the note as written)."""
    flat = one_line(text)
    if flat is not None and flat[:1] in ("=", "+", "-", "@"):
        flat = "'" + flat
    return flat


def gereed_text(
    plan_item: object,
    gereed: str | None,
    dropped_with: str | None = None,
    *,
    dropped: bool = True,
    undecided: bool = False,
) -> str:
    """'oorspronkelijk Najaar 2015, bijgesteld Q2-2016 (besluit stuurgroep 12 januari 2016)'.
    ``dropped_with``: the decision that dropped the item's action (and so the item);
    ``dropped``: False for an item assessed as open, whose ``cancelled_by`` does not apply on
    the day shown (a line never says *vervallen* for an item it asks a date for);
    ``undecided``: the cancellation is the office's plan edit, a ``cancelled_by`` typed in
    without a decision (update source ``plan``, walk58b 1): its text names no decision."""
    original = getattr(plan_item, "original_gereed", None)
    revised_by = getattr(plan_item, "revised_by", None)
    cancelled_by = (getattr(plan_item, "cancelled_by", None) or dropped_with) if dropped else None
    text = gereed or "geen datum"
    if original and original != gereed:
        text = f"oorspronkelijk {original}, bijgesteld {text}"
        if revised_by:
            text += f" ({revised_by})"
    if cancelled_by and undecided:
        text += "; vervallen in het plan zonder besluit"
    elif cancelled_by:
        text += f"; vervallen ({cancelled_by})"
    return text


def item_lines(plan: Plan, assessment: Assessment, *, guarded: bool = True) -> dict[str, ItemLine]:
    """Every assessed item as a line, in plan order. ``guarded``: each note's leading formula
    character quoted (:func:`inert`), as packs up to agenda layout 21 and reports up to
    progress layout 20 printed it; False: the note as written (:func:`one_line`)."""
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
            inert if guarded else one_line,
        )
        for i in assessment.items.values()
    }
    return _with_deadlines(plan, assessment, lines)


def with_not_started(assessment: Assessment, lines: dict[str, ItemLine]) -> dict[str, ItemLine]:
    """``lines`` with the ongoing items not started on the assessment's day marked so
    (:attr:`ItemLine.not_started`; agenda layout 19, progress layout 18, walk54 8)."""
    early = not_started_ids(assessment.items, assessment.as_of)
    if not early:
        return lines
    return {i: replace(x, not_started=True) if i in early else x for i, x in lines.items()}


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
    noted: Callable[[str | None], str | None] = inert,
) -> ItemLine:
    latest = i.latest_update
    return ItemLine(
        item_id=i.item_id,
        step=i.step,
        action_id=i.action_id,
        action_title=actions.get(i.action_id, ""),
        title=i.title,
        owners=i.owners,  # organisation ids: short, and what a programme office says
        gereed=gereed_text(
            plan_item,
            i.gereed,
            dropped_with,
            dropped=i.state is State.CANCELLED,
            undecided=latest is not None and latest.source == PLAN_SOURCE,
        ),
        due=i.due,
        forecast=i.forecast,
        state=i.state.value,
        rag=i.rag.value,
        stale=i.stale,
        note=noted(latest.comment) if latest else None,
        note_on=latest.reported_on if latest else None,
        waiting_on=i.waiting_on,
        # A decision's update counts from its meeting by design: the decision is what is late
        # (and a report's mark from the report's day): only an owner's answer comes in late.
        recorded_late=recorded_late(latest.reported_on, latest.recorded_at, zone)
        if latest is not None and latest.source not in NOT_THE_OWNERS
        else None,
        at_risk=latest is not None and latest.status is UpdateStatus.AT_RISK,
        cancelled_predecessors=i.cancelled_predecessors,
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
