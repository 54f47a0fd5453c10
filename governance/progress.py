"""What goes in the progress report to the Kamer (*voortgangsrapportage*): pure content.

Kamerbrief-style, all from data: per step its goal (from the plan), *gerealiseerd* (finished in
the period, with the date), *lopend*, *vertraagd of gewijzigd* (promised versus the new date,
with the reason from the owner's note and the decisions), *vooruitblik*; indicators (target
against measured values; one without a measurement says so, nothing is invented); a summary per
step; the full table as annex.
"""

from __future__ import annotations

import calendar
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from governance.agenda import ItemLine, item_lines
from governance.assessment import Assessment
from governance.decisions import (
    DECISION_SOURCE,
    Decision,
    DecisionKind,
    Measurement,
    decision_label,
    restores,
)
from governance.periods import DATED_KINDS, PeriodKind
from governance.plan import Indicator, Plan
from governance.provenance import DueChange

_LATE = frozenset({"overdue", "slipped"})
_FINISHED = frozenset({"done", "cancelled"})
#: The look-ahead after the period in calendar months, when the report does not say otherwise.
AHEAD_MONTHS = 6
#: Kinds whose gereed is a fuzzy date the plan keeps verbatim (the introduction's example).
_FUZZY_KINDS = DATED_KINDS - {PeriodKind.DATE}


@dataclass(frozen=True, slots=True)
class Change:
    """A delay or change: what was promised, what it is now, and why (notes, decisions)."""

    item: ItemLine
    promised: str
    now: date | str | None  # a forecast or revised gereed; None when no new date is known
    reasons: tuple[str, ...]
    #: Due dates moved in the plan file without a decision, oldest first (the report says so).
    edits: tuple[DueChange, ...] = ()


@dataclass(frozen=True, slots=True)
class Done:
    item: ItemLine
    on: date


@dataclass(frozen=True, slots=True)
class StepProgress:
    number: int
    title: str
    goal: str | None
    done: tuple[Done, ...]
    ongoing: tuple[ItemLine, ...]
    changed: tuple[Change, ...]
    ahead: tuple[ItemLine, ...]
    total: int


@dataclass(frozen=True, slots=True)
class IndicatorProgress:
    indicator: Indicator
    goal_text: str
    measurements: tuple[Measurement, ...]  # oldest first

    @property
    def latest(self) -> Measurement | None:
        return self.measurements[-1] if self.measurements else None


@dataclass(frozen=True, slots=True)
class ProgressReport:
    programme_title: str
    programme_short: str
    source_document: str | None
    start: date
    end: date
    as_of: date
    ahead_until: date
    steps: tuple[StepProgress, ...]
    indicators: tuple[IndicatorProgress, ...]
    annex: tuple[ItemLine, ...]
    decisions: tuple[Decision, ...]
    updates_used: int
    #: The plan's first fuzzy gereed (a quarter, season, …) as written; None when it has none.
    date_example: str | None = None
    #: Item id → completion date, for the finished items of the annex that have one.
    completed_on: dict[str, date] = field(default_factory=dict)


def months_after(end: date, months: int) -> date:
    """The last day of the ``months`` calendar months that follow ``end``: 30 April + 6 →
    31 October, 31 August + 6 → the last day of February, 15 January + 6 → 15 July.

    The span starts the day after ``end`` and ends the day before the same day ``months``
    later (the first of the next month when that day does not exist); ``date.max`` when that
    lies beyond it."""
    if end == date.max:
        return date.max
    first = end + timedelta(days=1)
    index = first.year * 12 + first.month - 1 + months
    year, month = divmod(index, 12)
    if year > date.max.year:
        return date.max
    month += 1
    last_day = calendar.monthrange(year, month)[1]
    if first.day > last_day:  # from 30 August: no 30 February, so through its last day
        return date(year, month, last_day)
    return date(year, month, first.day) - timedelta(days=1)


def build_progress(
    plan: Plan,
    assessment: Assessment,
    start: date,
    end: date,
    *,
    decisions: Sequence[Decision] = (),
    measurements: Sequence[Measurement] = (),
    ahead_months: int = AHEAD_MONTHS,
    due_changes: Sequence[DueChange] = (),
) -> ProgressReport:
    """``due_changes``: due dates moved in the plan file without a decision (the plan's
    revisions); each such item is listed under *vertraagd of gewijzigd*, promised against now,
    whatever its state: a promise does not move silently."""
    lines = item_lines(plan, assessment)
    edited: dict[str, list[DueChange]] = {}
    for c in due_changes:
        edited.setdefault(c.item_id, []).append(c)
    by_item: dict[str, list[Decision]] = {}
    for d in decisions:
        if d.item_id and d.meeting_on <= assessment.as_of:
            by_item.setdefault(d.item_id, []).append(d)
    restored = restores(d for ds in by_item.values() for d in ds)
    plan_items: dict[str, object] = {}
    for action in plan.actions():
        plan_items[action.id] = action
        for m in action.milestones:
            plan_items[m.id] = m
    ahead_until = months_after(end, ahead_months)
    steps = []
    for step in plan.steps:
        mine = [x for x in lines.values() if x.step == step.number]
        done = []
        ongoing = []
        changed = []
        upcoming = []
        for line in mine:
            item = assessment.items[line.item_id]
            if line.state == "done" and item.completed_on and start <= item.completed_on <= end:
                done.append(Done(line, item.completed_on))
            original = getattr(plan_items.get(line.item_id), "original_gereed", None)
            moved = by_item.get(line.item_id, [])
            # A decision's update (a drop, a restore) is the body's word: its decision is listed.
            latest = item.latest_update
            note = line.note if latest is not None and latest.source != DECISION_SOURCE else None
            edits = tuple(edited.get(line.item_id, ()))
            if (
                line.state in _LATE
                or original
                or edits
                or any(d.kind is DecisionKind.CANCEL for d in moved)
            ):
                changed.append(
                    _change(plan, line, plan_items.get(line.item_id), moved, edits, note, restored)
                )
            elif line.state not in _FINISHED:
                ongoing.append(line)
            if (
                line.state not in _FINISHED
                and line.due is not None
                and end < line.due <= ahead_until
            ):
                upcoming.append(line)
        steps.append(
            StepProgress(
                step.number, step.title, step.goal, tuple(done), tuple(ongoing), tuple(changed),
                tuple(upcoming), len(mine),
            )
        )  # fmt: skip
    goals = {g.id: g.text for g in plan.goals}
    per_indicator: dict[str, list[Measurement]] = {}
    for value in sorted(measurements, key=lambda v: (v.measured_on, v.id or 0)):
        if value.measured_on <= assessment.as_of:
            per_indicator.setdefault(value.indicator_id, []).append(value)
    indicators = tuple(
        IndicatorProgress(i, goals.get(i.goal_id, ""), tuple(per_indicator.get(i.id, ())))
        for i in plan.indicators()
    )
    # Items with an owner's update: a decision's (a drop, a restore) is not the owner's word.
    used = sum(
        1
        for i in assessment.items.values()
        if i.latest_update is not None and i.latest_update.source != DECISION_SOURCE
    )
    return ProgressReport(
        programme_title=plan.programme.title,
        programme_short=plan.programme.short_title or plan.programme.title,
        source_document=plan.programme.source_document,
        start=start,
        end=end,
        as_of=assessment.as_of,
        ahead_until=ahead_until,
        steps=tuple(steps),
        indicators=indicators,
        annex=tuple(lines.values()),
        decisions=tuple(d for d in decisions if start <= d.meeting_on <= end),
        updates_used=used,
        date_example=date_example(plan),
        completed_on={
            i.item_id: i.completed_on
            for i in assessment.items.values()
            if i.completed_on is not None and i.state.value in _FINISHED
        },
    )


def date_example(plan: Plan) -> str | None:
    """The first gereed of the plan, in plan order, that is a fuzzy date (``Q3-2015``,
    ``Najaar 2015``, ``H1 2016``): the introduction's example of dates kept as written."""
    for d in plan.deadlines():
        if d.period is not None and d.period.kind in _FUZZY_KINDS and d.gereed:
            return " ".join(d.gereed.split())
    return None


def _change(
    plan: Plan,
    line: ItemLine,
    plan_item: object,
    decisions: list[Decision],
    edits: tuple[DueChange, ...] = (),
    note: str | None = None,
    restored: Collection[Decision] = (),
) -> Change:
    """Promised (the first gereed) against now (the forecast, else a revised gereed). A gereed
    edited in the plan file without a decision: promised is the gereed before the first such
    edit (or the decisions' original), now the gereed the plan has. ``note``: the owner's latest
    explanation (none when the latest update is a decision's); ``restored``: the decisions that
    brought a dropped item back (:func:`governance.decisions.restores`)."""
    reasons = [
        f"{decision_label(plan, d)}: {d.text}{' (hersteld)' if d in restored else ''}"
        for d in decisions
    ]
    if note:
        reasons.append(f"toelichting eigenaar: {note}")
    original = getattr(plan_item, "original_gereed", None)
    gereed = getattr(plan_item, "gereed", None)
    now: date | str | None = None
    if line.forecast is not None:
        now = line.forecast
    elif original or edits or any(d in restored for d in decisions):
        now = gereed
    if line.state == "cancelled":
        now = "vervallen"
    promised = original or (edits[0].gereed_before if edits else None) or gereed
    return Change(line, promised or "geen datum", now, tuple(reasons), edits)
