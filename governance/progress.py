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
from governance.assessment import Assessment, ItemAssessment
from governance.decisions import (
    DECISION_SOURCE,
    Decision,
    DecisionKind,
    Measurement,
    decision_label,
    restores,
)
from governance.periods import DATED_KINDS, PeriodKind
from governance.plan import Indicator, Plan, ReportObligation
from governance.provenance import DueChange

_LATE = frozenset({"overdue", "slipped"})
_FINISHED = frozenset({"done", "cancelled"})
#: The source of the status update that marks a report's action gereed when the report is
#: archived (``regie report voortgang --mark-done``): the office's record, not the owner's word.
REPORT_SOURCE = "report"
#: Sources of updates that are not an owner's own words: a decision's (a drop, a restore) and
#: a report's mark. The report neither quotes them as *toelichting eigenaar* nor counts them.
NOT_THE_OWNERS = frozenset({DECISION_SOURCE, REPORT_SOURCE})
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
            # A decision's update (a drop, a restore) is the body's word: its decision is listed;
            # a report's mark is the office's record of the report made.
            latest = item.latest_update
            note = line.note if latest is not None and latest.source not in NOT_THE_OWNERS else None
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
    # Items with an owner's update: a decision's (a drop, a restore) or a report's mark is not
    # the owner's word.
    used = sum(
        1
        for i in assessment.items.values()
        if i.latest_update is not None and i.latest_update.source not in NOT_THE_OWNERS
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


# --- the period a reporting obligation's next report covers -----------------------------------

#: The cadences of a reporting obligation (``reports[].cadence``) a default period is made for,
#: in calendar months; read without case, surrounding space or an adjective's final ``e``
#: (``Tweejaarlijkse`` reads as ``tweejaarlijks``). ``tweejaarlijks`` is every two years, as
#: the MVI plan uses it ("de tweejaarlijks uit te voeren benchmark", a biennial report to the
#: Kamer); twice a year is ``halfjaarlijks`` (or ``twee keer per jaar``). Any other text is no
#: cadence Regie guesses: the period is then given (``--from``/``--to``).
CADENCES: dict[str, int] = {
    "maandelijks": 1, "per maand": 1, "elke maand": 1, "iedere maand": 1, "monthly": 1,
    "per kwartaal": 3, "elk kwartaal": 3, "ieder kwartaal": 3, "kwartaal": 3,
    "driemaandelijks": 3, "quarterly": 3,
    "halfjaarlijks": 6, "per halfjaar": 6, "elk halfjaar": 6, "ieder halfjaar": 6,
    "zesmaandelijks": 6, "twee keer per jaar": 6, "tweemaal per jaar": 6, "half-yearly": 6,
    "semi-annual": 6, "semiannual": 6,
    "jaarlijks": 12, "per jaar": 12, "elk jaar": 12, "ieder jaar": 12, "eens per jaar": 12,
    "annual": 12, "annually": 12, "yearly": 12,
    "tweejaarlijks": 24, "elke twee jaar": 24, "iedere twee jaar": 24, "om de twee jaar": 24,
    "eens per twee jaar": 24, "per twee jaar": 24, "biennial": 24, "biennially": 24,
}  # fmt: skip
#: The cadences as the command line lists them when it meets another one.
CADENCE_NAMES = ("maandelijks", "per kwartaal", "halfjaarlijks", "jaarlijks", "tweejaarlijks")


def cadence_months(cadence: str | None) -> int | None:
    """The months of one period of ``cadence`` (:data:`CADENCES`); None for none or another."""
    if cadence is None:
        return None
    text = " ".join(cadence.lower().split())
    if text.endswith("lijkse"):
        text = text[:-1]
    return CADENCES.get(text)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later (the month's last day when it is shorter:
    31 August + 6 → 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if year > date.max.year:
        return date.max
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def period_after(end: date, months: int) -> tuple[date, date]:
    """The period of ``months`` that follows one ending on ``end``."""
    start = end + timedelta(days=1)
    return start, add_months(start, months) - timedelta(days=1)


def whole_periods(start: date, months: int, as_of: date) -> tuple[date, date] | None:
    """From ``start`` through the end of the last whole period of ``months`` (counted from
    ``start``) that is over on ``as_of`` (it ends on or before it); None when none is."""
    count = ((as_of.year - start.year) * 12 + as_of.month - start.month) // months + 1
    while count > 0 and add_months(start, count * months) - timedelta(days=1) > as_of:
        count -= 1
    if count <= 0:
        return None
    return start, add_months(start, count * months) - timedelta(days=1)


def delivery_window(start: date, end: date, obligation: ReportObligation | None) -> date:
    """The last due date of an item the report over ``start``–``end`` can deliver: the end of
    the period after it, one cadence long (as long as the report's own without a cadence)."""
    months = cadence_months(obligation.cadence) if obligation is not None else None
    try:
        return period_after(end, months)[1] if months is not None else end + (end - start)
    except OverflowError:  # a period that ends at the calendar's last day
        return date.max


def delivered_items(
    assessment: Assessment, action_id: str, end: date, until: date
) -> tuple[ItemAssessment, ...]:
    """The items of ``action_id`` (its own gereed, its milestones) a report ending on ``end``
    delivers: open (not done, not cancelled) and due from ``end`` through ``until``. An item
    due before the report's period ended belongs to an earlier report; one without a date, or
    a periodic one, is never finished by one report."""
    return tuple(
        i
        for i in assessment.items.values()
        if i.action_id == action_id
        and i.state.value not in _FINISHED
        and i.due is not None
        and end <= i.due <= until
    )
