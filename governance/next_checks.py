"""The next check of each item: the first day its state, colour, stale flag, reminder stage or
escalation could change without new input (governance.incremental, the module notes)."""

from __future__ import annotations

from datetime import date, timedelta

from governance.assessor import ItemAssessment
from governance.item_start import ONGOING_KINDS
from governance.plan import ReminderPolicy
from governance.rag import State
from governance.reminders import SILENT_STATES
from governance.workdays import WorkCalendar

_DAY = timedelta(days=1)
#: A date D, the day its next overdue stage starts, and the number N of the first overdue stage
#: after it that will be prompted (None: none will): that day is no next check, ``overdue-N``'s
#: day is (:meth:`Scheduler.too_soon_next`, :meth:`Scheduler.backed_off_next`).
Skip = tuple[date, date, int | None]


class Scheduler:
    """:meth:`next_check` for many items at one ``as_of``, with working-day sums cached per date
    (most items share their due dates and update days with others)."""

    def __init__(self, as_of: date, policy: ReminderPolicy, cal: WorkCalendar) -> None:
        self.as_of = as_of
        self.policy = policy
        self.cal = cal
        self._by_due: dict[date, list[date]] = {}
        self._due_next: dict[date, date | None] = {}
        self._after: dict[tuple[date, int], date] = {}
        self._ongoing_kinds = {k.value for k in ONGOING_KINDS}
        self._block = _next_block(as_of, policy.open_ended_every_months)
        self._too_soon: dict[tuple[str, int], tuple[date, Skip] | None] = {}
        self._backed_off: dict[str, Skip | None] = {}

    def add(self, day: date, n: int) -> date:
        key = (day, n)
        found = self._after.get(key)
        if found is None:
            found = self.cal.add_working_days(day, n) if n > 0 else day
            self._after[key] = found
        return found

    def _due_days(self, due: date) -> list[date]:
        """The days a dated item's state or stage may change, whatever its updates say."""
        days = self._by_due.get(due)
        if days is None:
            policy, cal = self.policy, self.cal
            days = [
                cal.window_start(due, policy.first_prompt_days),
                cal.window_start(due, policy.second_prompt_days),
                cal.working_day_on_or_before(due),  # the ``due`` stage of a deadline on a day off
                due,
                due + _DAY,
                self.add(due, policy.escalate_after_overdue_days),
            ]
            every = policy.overdue_every_days
            if every > 0:
                passed = max(cal.working_days_between(due, self.as_of), 0) // every
                days.append(self.add(due, (passed + 1) * every))
            self._by_due[due] = days
        return days

    def _next_due_day(self, due: date, skip: Skip | None = None) -> date | None:
        """The earliest of :meth:`_due_days` after ``as_of`` (None if none is); with ``skip``
        of this date, its next overdue prompt's day replaced by the one after it."""
        if skip is not None and skip[0] == due:
            return self._next_due_day_skipping(due, skip[1], skip[2])
        if due in self._due_next:
            return self._due_next[due]
        later = [d for d in self._due_days(due) if d > self.as_of]
        found = self._due_next[due] = min(later) if later else None
        return found

    def _next_due_day_skipping(self, due: date, day: date, stage: int | None) -> date | None:
        days = self._due_days(due)
        every = self.policy.overdue_every_days
        if every <= 0 or days[-1] != day:
            return self._next_due_day(due)  # not the next overdue prompt's day: nothing left out
        later = [d for d in days[:-1] if d > self.as_of]
        if stage is not None:
            later.append(self.add(due, stage * every))
        return min(later) if later else None

    def too_soon_next(self, stage: str, on: date | None = None) -> Skip | None:
        """Of an item first prompted today (or ``on`` that day, an earlier day of the stage)
        about ``stage`` (``due@D`` or ``overdue-N@D``): the date D and the day its next overdue
        stage starts, when that stage will be left out as too close to that prompt
        (governance.reminders, ``_dated_stage``: it starts fewer than half of
        ``overdue_every_days`` working days after it). That day changes nothing for the item,
        so it is no next check; None when the next stage will be prompted."""
        every = self.policy.overdue_every_days
        gap = -(-every // 2)
        if every <= 0 or gap <= 0:
            return None
        name, at, day = stage.partition("@")
        if not at:
            return None
        if name == "due":
            n = 0
        elif name.startswith("overdue-") and name[8:].isdigit():
            n = int(name[8:])
        else:
            return None
        key = (day, n)
        if key in self._too_soon:
            found = self._too_soon[key]
        else:
            d = date.fromisoformat(day)
            starts = self.add(d, n * every)
            comes = self.add(d, (n + 1) * every)
            after = max(self.cal.add_working_days(comes, -gap), starts)
            found = self._too_soon[key] = (after, (d, comes, n + 2))
        if found is None:
            return None
        after, skip = found
        return skip if (self.as_of if on is None else on) > after else None

    def backed_off_next(self, stage: str) -> Skip | None:
        """Of an item whose ``stage`` (``overdue-N@D``) was due today and left out for every
        contact by the back-off after its run escalated (governance.reminders, "Back-off"):
        the overdue stages of D after it that the back-off leaves out too (N not a multiple of
        m), none of them a next check. The back-off only grows until new input (an update
        starts a new run, a plan or contact change re-assesses the item): contacts left out
        today stay so, and a new date's normal cadence, once over, does not come back."""
        if stage in self._backed_off:  # thousands of items share a due date's stages
            return self._backed_off[stage]
        found = self._backed_off[stage] = self._backed_off_next(stage)
        return found

    def _backed_off_next(self, stage: str) -> Skip | None:
        policy = self.policy
        every, after = policy.overdue_every_days, policy.after_escalation_every_days
        name, at, day = stage.partition("@")
        if every <= 0 or not at or not name.startswith("overdue-") or not name[8:].isdigit():
            return None
        n = int(name[8:])
        d = date.fromisoformat(day)
        if after == 0:
            return d, self.add(d, (n + 1) * every), None  # no overdue prompt any more
        m = -(-after // every)
        if (n + 1) % m == 0:
            return None  # the next stage is prompted
        return d, self.add(d, (n + 1) * every), (n // m + 1) * m

    def next_check(self, item: ItemAssessment, skip: Skip | None = None) -> date | None:
        """The first day after ``as_of`` on which ``item``'s state, colour, stale flag,
        reminder stage or escalation could change without new input; None if only new input
        can change it. ``skip`` (:meth:`too_soon_next`): a date's next overdue prompt day
        that will prompt nothing, left out.

        May be early (a needless re-assessment), never late. Waiting on another item's colour
        is not counted here: dependents are re-assessed with the items they depend on.
        """
        if item.state in SILENT_STATES:
            return None
        latest = item.latest_update
        since_update = latest.reported_on if latest is not None else None
        stale_after = self.policy.stale_after_days
        first = item.first_assessed
        due = item.due
        as_of = self.as_of
        if due is None:
            if item.period_kind not in self._ongoing_kinds:
                return None  # at risk without a date: only input (or prompts) changes it
            start = item.start
            if start is not None and start > as_of:
                return start  # before its start nothing changes: no stage, never stale
            active = max(since_update, start) if since_update and start else since_update or start
            if active is not None and first is not None and first > active:
                active = first  # the stale clock starts at the first assessment at the earliest
            # The next block (a quarter) starts after as_of, and so does the start (above):
            # the earlier of the block and a stale day still ahead.
            block = self._block
            if active is None:
                return block
            stale_on = self.add(active, stale_after)
            return stale_on if as_of < stale_on < block else block
        forecast = item.forecast
        # The stale limit counts from the due date's window, the latest update or the first
        # prompt, whichever is latest.
        window = self._due_days(due)[0]
        active_on = window if since_update is None else max(since_update, window)
        if first is not None and first > active_on:
            active_on = first
        stale_on = self.add(active_on, stale_after)
        if item.state is State.SLIPPED and forecast is not None:
            # Slipped (the owner's forecast after the due date, not passed), before its due
            # date or after it: no stage, no escalation and the same state and colour until
            # the forecast is reached (its own prompt, then overdue the day after); only the
            # forecast and the stale limit matter. The due date's days (its reminder windows,
            # the day after it) and the forecast's windows change nothing of it: no checks.
            later = [d for d in (forecast, forecast + _DAY, stale_on) if d > as_of]
            return min(later) if later else None
        # The days every item with this due date shares, then the item's own: the earliest
        # after as_of of them all (the due date's share is worked out once per date). Past
        # a forecast after the due date (overdue since it passed) the forecast's days take
        # over (below): the due date's own are all past or no longer its stages.
        best: date | None
        if forecast is not None and due < forecast < as_of:
            best = None
        else:
            best = self._next_due_day(due, skip)
        candidates: tuple[date, ...]
        candidates = (stale_on,) if forecast is None else (forecast + _DAY, stale_on)
        if since_update is not None:
            # An overdue item escalates once silent long enough since the date it is overdue
            # against (the due date, or a forecast after it that passed) and since its latest
            # update: the later of the two days. The date's is a check already (its days, or
            # the forecast's below); the update's only when it comes after it.
            after = self.policy.escalate_after_overdue_days
            answered = self.add(since_update, after)
            against = forecast if forecast is not None and forecast > due else due
            if answered > self.add(against, after):
                candidates = (*candidates, answered)
        if forecast is not None and forecast > due:
            # Past its due date the owner's forecast takes over: its prompt on the day, its
            # overdue prompts and escalation counted from it (governance.reminders, "Forecasts").
            comes = self._next_due_day(forecast, skip)
            if comes is not None:
                candidates = (*candidates, comes)
        for day in candidates:
            if day > as_of and (best is None or day < best):
                best = day
        return best


def _next_block(as_of: date, months: int) -> date:
    """The first day of the next block of ``months`` months (a quarter by default)."""
    months = max(months, 1)
    block = (as_of.year * 12 + as_of.month - 1) // months * months + months
    year, month0 = divmod(block, 12)
    return date(year, month0 + 1, 1)
