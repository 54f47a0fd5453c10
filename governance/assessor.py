"""The per-item rules of the assessment (see :mod:`governance.assessment` for what they say).

:class:`PlanIndex` is what the rules need to know about a plan, built once per plan;
:class:`Assessor` judges items at one ``as_of``: all of them (:func:`governance.assessment.assess`)
or only some, with the colours of the others given (the incremental daily cycle).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from governance.item_start import ONGOING_KINDS, work_start
from governance.periods import DATED_KINDS, PeriodKind
from governance.plan import Deadline, ItemLevel, Plan
from governance.rag import Rag, State, colour
from governance.records import positional_constructor
from governance.updates import FINISHED, StatusUpdate, UpdateStatus, completion
from governance.workdays import WorkCalendar


@dataclass(frozen=True, slots=True)
class ItemAssessment:
    item_id: str
    level: ItemLevel
    action_id: str
    step: int
    title: str
    gereed: str | None
    period_kind: str | None  # the effective kind (``idem`` resolved)
    due: date | None
    state: State
    rag: Rag
    stale: bool
    owners: tuple[str, ...]
    latest_update: StatusUpdate | None
    forecast: date | None
    waiting_on: tuple[str, ...]
    working_days_overdue: int
    reason: str
    start: date | None = None  # period start (ongoing items: from when updates are expected)
    completed_on: date | None = None  # done or cancelled: the day it was finished
    #: The first day Regie assessed the item (stored by the daily cycle, this day if never):
    #: the stale clock starts no earlier. None: not limited (``assess`` without the days).
    first_assessed: date | None = None
    #: An open item without a due date: its state before the owner's *risico* outranked it
    #: (UNDATED, WAITING or ONGOING, :meth:`Assessor._without_date`); None for a dated or a
    #: finished item. The agenda's date question reads it (review54 5).
    undated_state: State | None = None
    #: A dependent item (*Afhankelijk van …*) whose predecessors are finished but one of them
    #: was cancelled, not delivered (walk55d 1): those predecessors. Its date cannot be derived
    #: (it is *undated*, for the body to date or let lapse); () otherwise.
    cancelled_predecessors: tuple[str, ...] = ()


#: ``ItemAssessment(*fields)`` for the 100,000 results of a full run, without the frozen
#: dataclass's per-field ``object.__setattr__`` (the same object, built in about half the time).
_new_assessment = positional_constructor(ItemAssessment)


class PlanIndex:
    """A plan's deadlines by id, the deadlines of each action, and who depends on whom.

    The look-ups are the plan's own (:meth:`governance.plan.Plan.deadline_table`, made with its
    deadlines, once per plan): an index costs nothing more to make, whatever the plan's size.
    They are shared by every index of the plan: read-only."""

    def __init__(self, plan: Plan) -> None:
        table = plan.deadline_table()
        if table.unresolved_idem is not None:
            raise ValueError(
                f"item {table.unresolved_idem}: unresolved 'idem' (load plans through "
                "governance.planfile)"
            )
        self.plan = plan
        self.deadlines = list(table.deadlines)
        self.by_id = table.by_id  # the last one, for duplicate ids
        self.members = table.members  # action id → its deadline ids
        self._depending = table.depending
        #: The ids of the items that depend on something (a few hundred of 100,000).
        self.depending = frozenset(table.depending)
        self._dependents: dict[str, list[str]] | None = None

    def dependency_items(self, dep: str) -> list[str]:
        """The items a dependency id stands for: an action's deadlines, or the item itself."""
        return self.members.get(dep) or ([dep] if dep in self.by_id else [])

    def with_dependents(self, item_ids: Iterable[str]) -> set[str]:
        """``item_ids`` and every item that depends on them, directly or through others."""
        if self._dependents is None:
            # Built whole, then published: an index may be shared by threads (regie.plan_cache).
            dependents: dict[str, list[str]] = {}
            by_id = self.by_id
            # The few with any (494 of 101,023 items at 100k), as by_id holds them: a duplicate
            # id's last deadline, once.
            for d in (by_id[i] for i in dict.fromkeys(self._depending)):
                for dep in d.depends_on:
                    # The name itself too: it may be an item or action just removed.
                    dependents.setdefault(dep, []).append(d.item_id)
                    for target in self.dependency_items(dep):
                        dependents.setdefault(target, []).append(d.item_id)
            self._dependents = dependents
        out = set(item_ids)
        todo = list(self._dependents.keys() & out)  # most have no dependents: left out in C
        while todo:
            for child in self._dependents.get(todo.pop(), ()):
                if child not in out:
                    out.add(child)
                    todo.append(child)
        return out


_KIND_VALUES = {k: k.value for k in PeriodKind}
_DATED_KINDS = DATED_KINDS
_DEPENDENT = PeriodKind.DEPENDENT
_AT_RISK, _DONE, _ON_TRACK = UpdateStatus.AT_RISK, UpdateStatus.DONE, UpdateStatus.ON_TRACK
_WAITING = State.WAITING
#: The states in which an item without a due date can go stale (ongoing work).
_OPEN_UNDATED = frozenset({State.ONGOING, State.AT_RISK})


class _Due:
    """What every item with one due date shares at one ``as_of`` (reasons, working-day
    counts): worked out once per date, not once per item."""

    __slots__ = ("due_soon", "on_track", "overdue", "overdue_days", "window")

    def __init__(self, assessor: Assessor, due: date) -> None:
        self.window = assessor.window(due)
        to_as_of = assessor.to_as_of(due)
        self.on_track = f"due {due}"
        self.due_soon = f"due {due}, {-to_as_of} working days left"
        self.overdue = f"due {due}, no completion reported"
        self.overdue_days = to_as_of


class Assessor:
    """The rules at one ``as_of`` over the given latest updates and forecasts."""

    def __init__(
        self,
        index: PlanIndex,
        latest: Mapping[str, StatusUpdate],
        forecasts: Mapping[str, date],
        as_of: date,
        cal: WorkCalendar,
        known_rags: Mapping[str, Rag] | None = None,
        first_assessed: Mapping[str, date] | None = None,
        dropped: bool = True,
    ) -> None:
        self.index = index
        # A cancelled predecessor dates no dependent (walk55d 1; False: it counts as delivered
        # on the day it was cancelled, as reports of earlier layouts were made).
        self.dropped = dropped
        self.policy = index.plan.reminders
        self.programme_start = index.plan.programme.start
        self.latest = latest
        self.forecasts = forecasts
        self.as_of = as_of
        self.cal = cal
        # Colours of items not judged by this assessor (``is None``: a lazy mapping has no cheap
        # truth value).
        self.known_rags = known_rags if known_rags is not None else {}
        # Item → the first day Regie assessed it (None: the stale clock is not limited).
        self.first_assessed = first_assessed
        # Each judged item's result, made as it is judged (in the order judged). A waiting
        # item's colour depends on what it waits on, judged before or after it: it is given
        # in :meth:`results`, once every item is judged (``_waiting``).
        self.items: dict[str, ItemAssessment] = {}
        self._waiting: list[str] = []
        self._rags: dict[str, Rag] = {}  # the waiting items' colours, worked out
        # Working-day sums per date: many items share a due date, and every count ends at as_of.
        self._windows: dict[date, date] = {}  # due date → first day of its reminder window
        self._to_as_of: dict[date, int] = {}  # day → working_days_between(day, as_of)
        self._dues: dict[date, _Due] = {}
        self._ongoing: dict[date | None, str] = {}  # an ongoing item's start → its reason

    # --- working days, cached ----------------------------------------------------------------

    def window(self, due: date) -> date:
        opens = self._windows.get(due)
        if opens is None:
            opens = self.cal.window_start(due, self.policy.first_prompt_days)
            self._windows[due] = opens
        return opens

    def to_as_of(self, day: date) -> int:
        """``working_days_between(day, as_of)``; negative when ``day`` is after ``as_of``."""
        count = self._to_as_of.get(day)
        if count is None:
            count = self.cal.working_days_between(day, self.as_of)
            self._to_as_of[day] = count
        return count

    # --- per item facts ----------------------------------------------------------------------

    def dependency_done(self, dep: str) -> date | None:
        """Completion date of a dependency (an action or an item), None while unfinished."""
        dates = [completion(self.latest.get(i)) for i in self.index.dependency_items(dep)]
        if not dates or any(d is None for d in dates):
            return None
        return max(d for d in dates if d is not None)

    def dependency_dropped(self, dep: str) -> bool:
        """A finished dependency none of whose items was done: every one cancelled."""
        ids = self.index.dependency_items(dep)
        cancelled = UpdateStatus.CANCELLED
        return bool(ids) and all(
            (u := self.latest.get(i)) is not None and u.status is cancelled for i in ids
        )

    def judge(self, d: Deadline) -> ItemAssessment:
        """One item's result (kept in ``self.items``; a waiting item's colour is given by
        :meth:`results`)."""
        item = self.items[d.item_id] = self._judge(d)
        return item

    def judge_all(self, deadlines: Iterable[Deadline]) -> None:
        """:meth:`judge` each of ``deadlines``, in order (one call for a whole plan)."""
        items, judge = self.items, self._judge
        for d in deadlines:
            items[d.item_id] = judge(d)

    def first_day(self, item_id: str) -> date | None:
        """The first day Regie assessed ``item_id``: the stored day, or ``as_of`` when it has
        none or a later one (this assessment is then its first); None when not limited."""
        days = self.first_assessed
        if days is None:
            return None
        first = days.get(item_id)
        as_of = self.as_of
        return as_of if first is None or first > as_of else first

    def _judge(self, d: Deadline) -> ItemAssessment:
        latest = self.latest.get(d.item_id)
        period, deps = d.period, d.depends_on
        start = work_start(period, self.programme_start)
        kind: PeriodKind | None = period.kind if period is not None else None
        if latest is not None:
            status = latest.status
            if status in FINISHED:
                completed = completion(latest)
                if status is _DONE:
                    state, reason = State.DONE, f"done on {completed}"
                else:
                    state, reason = State.CANCELLED, f"cancelled on {completed}"
                return self._undated(d, state, kind, start, (), reason, completed, latest)
            at_risk = status is _AT_RISK
        else:
            at_risk = False
        if deps:
            done_deps = {dep: self.dependency_done(dep) for dep in deps}
            waiting_on = tuple(dep for dep, when in done_deps.items() if when is None)
        else:
            waiting_on = ()
        if kind is _DEPENDENT:
            if not deps:
                return self._without_date(
                    d, State.UNDATED, "dependent, no dependency named", kind, start, waiting_on,
                    latest, at_risk,
                )  # fmt: skip
            if waiting_on:
                return self._without_date(
                    d, _WAITING, f"waiting on {', '.join(waiting_on)}", kind, start,
                    waiting_on, latest, at_risk,
                )  # fmt: skip
            dropped = (
                tuple(dep for dep in deps if self.dependency_dropped(dep)) if self.dropped else ()
            )
            if dropped:
                item = self._without_date(
                    d, State.UNDATED, f"predecessor {', '.join(dropped)} cancelled", kind,
                    start, waiting_on, latest, at_risk,
                )  # fmt: skip
                return dataclasses.replace(item, cancelled_predecessors=dropped)
            finished = max(when for when in done_deps.values() if when is not None)
            due = self.cal.add_working_days(finished, self.policy.dependency_lead_days)
        elif kind in _DATED_KINDS and period is not None and period.end is not None:
            due = period.end
        elif kind in ONGOING_KINDS:
            # Thousands of ongoing items share a few starts: each reason made once.
            why = self._ongoing.get(start)
            if why is None:
                why = self._ongoing[start] = f"ongoing since {start}" if start else "ongoing"
            if not at_risk:  # as _without_date, one call fewer (most ongoing items)
                return self._undated(
                    d, State.ONGOING, kind, start, waiting_on, why, None, latest, State.ONGOING
                )
            return self._without_date(
                d, State.ONGOING, why, kind, start, waiting_on, latest, at_risk
            )
        else:
            why = f"no date: gereed {d.gereed!r}" if d.gereed else "no gereed"
            return self._without_date(
                d, State.UNDATED, why, kind, start, waiting_on, latest, at_risk
            )
        return self._dated(d, kind, start, due, latest, at_risk, waiting_on)

    def _without_date(
        self,
        d: Deadline,
        state: State,
        reason: str,
        kind: PeriodKind | None,
        start: date | None,
        waiting_on: tuple[str, ...],
        latest: StatusUpdate | None,
        at_risk: bool,
    ) -> ItemAssessment:
        # With no due date to judge, the owner's "at risk" outranks waiting/undated/ongoing.
        undated_state = state
        if at_risk:
            state, reason = State.AT_RISK, _risk_reason(latest)
        return self._undated(d, state, kind, start, waiting_on, reason, None, latest, undated_state)

    def _dated(
        self,
        d: Deadline,
        kind: PeriodKind | None,
        start: date | None,
        due: date,
        latest: StatusUpdate | None,
        at_risk: bool,
        waiting_on: tuple[str, ...],
    ) -> ItemAssessment:
        as_of = self.as_of
        item_id = d.item_id
        forecast = self.forecasts.get(item_id)
        shared = self._dues.get(due)
        if shared is None:
            shared = self._dues[due] = _Due(self, due)
        window = shared.window
        slip = None
        overdue_days = 0
        if forecast is not None and forecast > due and forecast >= as_of:
            state = State.SLIPPED
            slip = self.cal.working_days_between(due, forecast)
            reason = f"forecast {forecast} after due {due}"
        elif as_of > due:
            state = State.OVERDUE
            if forecast and forecast > due:
                reason = f"due {due}, forecast {forecast} passed"
            else:
                reason = shared.overdue
            overdue_days = shared.overdue_days
        elif at_risk:
            state, reason = State.AT_RISK, _risk_reason(latest)
        elif as_of >= window:
            state, reason = State.DUE_SOON, shared.due_soon
        else:
            state, reason = State.ON_TRACK, shared.on_track
        first = self.first_day(item_id)
        if latest is None:
            stale = as_of >= window and self._stale(None, window, first)
            confirmed = False
        else:
            stale = as_of >= window and self._stale(latest, window, first)
            confirmed = latest.status is _ON_TRACK and latest.reported_on >= window
        # A dated item is never waiting: its colour is its own.
        return _new_assessment(
            item_id, d.level, d.action_id, d.step, d.title, d.gereed,
            _KIND_VALUES[kind] if kind else None, due, state,
            colour(state, stale, confirmed, slip, False), stale, d.owners, latest, forecast,
            waiting_on, overdue_days, reason, start, None, first, None, (),
        )  # fmt: skip

    def _stale(
        self, latest: StatusUpdate | None, active_since: date | None, first: date | None
    ) -> bool:
        """No update for ``stale_after_days`` working days, counted from the latest of the
        latest update, the day the item became active and its first assessment (nobody was
        asked before Regie was there). Without an update or a day it became active, never."""
        since = active_since
        if latest is not None:
            since = max(latest.reported_on, active_since) if active_since else latest.reported_on
        if since is None:
            return False
        if first is not None and first > since:
            since = first
        return self.to_as_of(since) >= self.policy.stale_after_days

    def _undated(
        self,
        d: Deadline,
        state: State,
        kind: PeriodKind | None,
        start: date | None,
        waiting_on: tuple[str, ...],
        reason: str,
        completed: date | None,
        latest: StatusUpdate | None,
        undated_state: State | None = None,
    ) -> ItemAssessment:
        """The result of an item without a due date (and of a finished item)."""
        item_id = d.item_id
        stale = False
        first = self.first_day(item_id)
        ongoing = kind in ONGOING_KINDS and state in _OPEN_UNDATED
        if ongoing and (start is None or self.as_of >= start):
            stale = self._stale(latest, start, first)
        if state is _WAITING:
            self._waiting.append(item_id)  # its colour given once every item is judged
        return _new_assessment(
            item_id, d.level, d.action_id, d.step, d.title, d.gereed,
            _KIND_VALUES[kind] if kind else None, None, state,
            colour(state, stale, False, None, False), stale, d.owners, latest,
            self.forecasts.get(item_id), waiting_on, 0, reason, start, completed, first,
            undated_state, (),
        )  # fmt: skip

    # --- colours and results -----------------------------------------------------------------

    def rag(self, item_id: str, visiting: frozenset[str] = frozenset()) -> Rag:
        """The colour of a judged item; of another item, the colour given in ``known_rags``."""
        item = self.items.get(item_id)
        if item is None:
            return self.known_rags.get(item_id, Rag.GREY)
        if item.state is not _WAITING:
            return item.rag
        cached = self._rags.get(item_id)
        if cached is not None:
            return cached
        inner = visiting | {item_id}
        waits: list[Rag] = []
        for dep in item.waiting_on:
            ids = self.index.dependency_items(dep)
            waits.extend(self.rag(i, inner) for i in ids if i not in inner)
        troubled = any(r in (Rag.AMBER, Rag.RED) for r in waits)
        rag = colour(_WAITING, item.stale, False, None, troubled)
        self._rags[item_id] = rag
        return rag

    def results(self) -> dict[str, ItemAssessment]:
        """Every judged item's assessment, in the order judged (the assessor's own dict).

        Made while judging; the few waiting items (293 of 101,023 at 100k) get their colour
        here, from what they wait on (judged before or after them, or given)."""
        items = self.items
        for item_id in self._waiting:
            item = items[item_id]
            if item.state is not _WAITING:
                continue  # a duplicate id judged again, not waiting
            rag = self.rag(item_id)
            if rag is not item.rag:
                items[item_id] = dataclasses.replace(item, rag=rag)
        self._waiting = []
        return items


def _risk_reason(latest: StatusUpdate | None) -> str:
    # Formatted only for items that are at risk: most are not.
    return f"owner reports at risk on {latest.reported_on}" if latest else ""
