"""The reminder stage an item is in on a day (the package notes, "Stages")."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from governance.assessment import ONGOING_KINDS, ItemAssessment, State
from governance.plan import ReminderPolicy
from governance.programme_end import ended
from governance.reminders.records import NOTICE_PREFIX, SILENT_STATES
from governance.workdays import WorkCalendar


class Stage(NamedTuple):
    name: str
    starts_on: date
    previous: str | None = None  # the stage before it, for one asked soon after (see below)
    previous_after: date | None = None  # that stage first prompted after this: too soon


def current_stage(
    item: ItemAssessment,
    as_of: date,
    policy: ReminderPolicy,
    calendar: WorkCalendar,
    *,
    end: date | None,
) -> Stage | None:
    """The reminder stage ``item`` is in at ``as_of``, None when it is not to be prompted.
    ``end``: the programme's end (``programme.end``), after which an item without a deadline
    has no periodic stage (no default: a caller that forgot it would prompt past the end)."""
    return Stages(as_of, policy, calendar, end=end).of(item)


class Stages:
    """:func:`current_stage` for many items at one ``as_of``: thousands of items share a few
    hundred due dates and starts, so each date's stage is worked out once."""

    __slots__ = ("as_of", "cal", "dated", "ended", "forecasts", "periodic", "policy")

    def __init__(
        self, as_of: date, policy: ReminderPolicy, cal: WorkCalendar, *, end: date | None
    ) -> None:
        self.as_of, self.policy, self.cal = as_of, policy, cal
        # After the programme's end an open-ended or periodic item has nothing left to be
        # asked about on a schedule (walk32b 7): a dated one keeps its deadline's stages.
        self.ended = ended(end, as_of)
        self.dated: dict[tuple[date, bool], Stage | None] = {}
        self.forecasts: dict[date, Stage] = {}
        self.periodic: dict[date | None, Stage | None] = {}

    def of(self, item: ItemAssessment) -> Stage | None:
        state = item.state
        if state in SILENT_STATES:
            if state is State.UNDATED and item.cancelled_predecessors:
                # Its predecessors were cancelled, so it has no date now (fix55l): its owner is
                # told once (the stage names them: a later one cancelled is told again), on
                # the day it is found (a day off: the next working day, remember's held). It
                # asks nothing, so no answer suppresses it: it "starts" after every update
                # (a start of its own day would let an update of that day put it off to the
                # next, when an incremental run does not look at the item again).
                return Stage(NOTICE_PREFIX + ",".join(item.cancelled_predecessors), date.max)
            return None
        due = item.due
        if due is not None:
            forecast = item.forecast
            if forecast is not None and due < forecast <= self.as_of:
                # The owner's forecast after the due date, reached (the module notes,
                # "Forecasts"): the stage is the forecast's alone, whatever the due date and
                # state. Items share forecast days as they share due dates: each worked out once.
                staged = self.forecasts.get(forecast)
                if staged is None:
                    staged = self.forecasts[forecast] = _forecast_stage(
                        forecast, self.as_of, self.policy, self.cal
                    )
                return staged
            key = (due, state is State.SLIPPED)  # the only part of the state a stage reads
            if key in self.dated:
                return self.dated[key]
            found = self.dated[key] = _dated_stage(due, state, self.as_of, self.policy, self.cal)
            return found
        if item.period_kind in ONGOING_KINDS and not self.ended:
            start = item.start
            if start in self.periodic:
                return self.periodic[start]
            months = self.policy.open_ended_every_months
            found = self.periodic[start] = _periodic_stage(start, self.as_of, months)
            return found
        return None


def _dated_stage(
    due: date, state: State, as_of: date, policy: ReminderPolicy, cal: WorkCalendar
) -> Stage | None:
    """The stage of an item due on ``due`` with no forecast after it that ``as_of`` has reached
    (else :func:`_forecast_stage`)."""
    # The due date is part of the name: prompts for an old due date must not count for a new one.
    at = f"@{due.isoformat()}"
    every = policy.overdue_every_days
    # A stage first prompted late (after missed days) close before the next one: the next is
    # left out when it starts fewer than half of ``every`` working days after that prompt. A
    # stage prompted on the day it began leaves the next alone, however close the policy set it.
    gap = -(-every // 2)

    def stage(name: str, starts: date, before: tuple[str, date] | None) -> Stage:
        if before is None or gap <= 0:
            return Stage(name + at, starts)
        previous, began = before
        after = max(cal.add_working_days(starts, -gap), began)
        return Stage(name + at, starts, previous + at, after)

    if state is State.SLIPPED:
        # The owner's forecast after the due date is still ahead (reached: _forecast_stage), even
        # before the due date: asking about the date they have just moved asks what they said.
        return None
    if as_of > due:
        n = cal.working_days_between(due, as_of) // every if every > 0 else 0
        if n >= 1:
            before: tuple[str, date] | None
            if n > 1:
                before = (f"overdue-{n - 1}", cal.add_working_days(due, (n - 1) * every))
            else:
                before = ("due", due) if policy.on_due_date else None
            return stage(f"overdue-{n}", cal.add_working_days(due, n * every), before)
    second = cal.window_start(due, policy.second_prompt_days)
    first = cal.window_start(due, policy.first_prompt_days)
    # A deadline on a day off is asked about on the last working day before it: no prompt goes
    # out on the day itself, and on the next working day the item is already te laat.
    on_due = cal.working_day_on_or_before(due)
    if as_of >= on_due and policy.on_due_date:
        return stage("due", on_due, ("second", second))
    if as_of >= second:
        return stage("second", second, ("first", first))
    if as_of >= first:
        return stage("first", first, None)
    return None


def _forecast_stage(
    forecast: date, as_of: date, policy: ReminderPolicy, cal: WorkCalendar
) -> Stage:
    """The stage of an item past its due date whose owner's forecast ``as_of`` has reached:
    ``due@F`` from the forecast day F, then ``overdue-N@F`` counted from F."""
    at = f"@{forecast.isoformat()}"
    every = policy.overdue_every_days
    n = cal.working_days_between(forecast, as_of) // every if every > 0 else 0
    if n < 1:
        return Stage("due" + at, forecast)
    starts = cal.add_working_days(forecast, n * every)
    gap = -(-every // 2)
    if n > 1:
        previous, began = f"overdue-{n - 1}", cal.add_working_days(forecast, (n - 1) * every)
    else:
        previous, began = "due", forecast
    after = max(cal.add_working_days(starts, -gap), began)
    return Stage(f"overdue-{n}{at}", starts, previous + at, after)


def _periodic_stage(start: date | None, as_of: date, months: int) -> Stage | None:
    if start is not None and as_of < start:
        return None
    months = max(months, 1)
    first = (as_of.year * 12 + as_of.month - 1) // months * months
    year, month0 = divmod(first, 12)
    opens = date(year, month0 + 1, 1)
    label = f"{year}Q{month0 // 3 + 1}" if months == 3 else f"{year}M{month0 + 1:02d}"
    return Stage(f"periodic-{label}", max(opens, start) if start else opens)
