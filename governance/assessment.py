"""Assess every deadline of a plan on one day: state, RAG colour, stale flag, transition events.

Pure: the result follows from the plan, the owners' status updates and an explicit ``as_of``.
Only updates reported on or before ``as_of`` count (so replaying history sees only the past);
per item the latest by (reported_on, recorded_at, id) wins. The owner's forecast is the one in
the latest update that gave a forecast.

States, strongest first: done / cancelled (the owner said so) > overdue > slipped > at risk >
waiting > due soon > on track. Items without a date are undated (to be decided) and open-ended
or recurring items are ongoing, unless done, cancelled or at risk.

- overdue: ``as_of`` is past the due date and no live forecast covers it;
- slipped: the latest forecast is after the due date and not itself past yet. This holds before
  and after the due date; once the forecast has passed too, the item is overdue;
- at risk: the latest update says so and the item is neither overdue nor slipped;
- waiting: a *dependent* item (``Afhankelijk van …``, or ``idem`` below one) whose dependencies are
  not all done. Once they are, it is due ``dependency_lead_days`` working days after the last one
  was completed and is assessed like any dated item. A dated item with unfinished dependencies
  stays date-driven; ``waiting_on`` lists them for the agenda;
- due soon: inside the first reminder window (at most ``first_prompt_days`` working days before
  the due date), not past it.

A dependency id may name an action (done when its own deadline, if any, and all its milestones
are done or cancelled; completed on the latest completion date) or a single item.

Stale: an active item (dated and inside or past its first reminder window, or ongoing and
started) with no update for ``stale_after_days`` working days. The clock starts at the later of
the latest update and the day the item became active, so an old update does not make an item
stale on its first active day.

Events: one per item whose state differs from ``previous`` (an id missing from ``previous``, or
``previous=None`` on a first run, counts as a change). ``regie.milestone.stale`` is emitted when
the flag turns on: on a first run for every stale item, later when ``previous_stale`` (feed back
:meth:`Assessment.stale_ids`) is given and does not hold the id.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from governance.events import MILESTONE_STALE, DomainEvent, Payload, transition_event_name
from governance.periods import DATED_KINDS, Period, PeriodKind
from governance.plan import Deadline, ItemLevel, Plan
from governance.rag import Rag, State, item_rag, rollup, worst
from governance.updates import StatusUpdate, UpdateStatus
from governance.workdays import WorkCalendar

__all__ = [
    "ONGOING_KINDS",
    "Assessment",
    "ItemAssessment",
    "Rag",
    "State",
    "assess",
    "latest_updates",
]

ONGOING_KINDS = frozenset({PeriodKind.OPEN_ENDED, PeriodKind.RECURRING})
_KIND_VALUES = {k: k.value for k in PeriodKind}
_MIN_INSTANT = datetime.min


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


@dataclass(frozen=True, slots=True)
class Assessment:
    as_of: date
    items: dict[str, ItemAssessment]  # plan order
    actions: dict[str, Rag]
    steps: dict[int, Rag]
    programme: Rag
    events: list[DomainEvent]

    def states(self) -> dict[str, str]:
        """Item id → state value: store it and pass it back as ``previous``."""
        return {i.item_id: i.state.value for i in self.items.values()}

    def stale_ids(self) -> frozenset[str]:
        """Ids with the stale flag on: pass back as ``previous_stale``."""
        return frozenset(i.item_id for i in self.items.values() if i.stale)

    def counts(self) -> dict[str, int]:
        """Items per state value, every state listed (zero included)."""
        out = dict.fromkeys((s.value for s in State), 0)
        for item in self.items.values():
            out[item.state.value] += 1
        return out


def latest_updates(
    updates: Sequence[StatusUpdate], as_of: date
) -> tuple[dict[str, StatusUpdate], dict[str, date]]:
    """Per item: the latest update reported on or before ``as_of``, and the latest forecast.

    "Latest" is by (reported_on, recorded_at, id); of updates equal on all three the one given
    last wins. One pass, comparing the full order only when reported_on ties, since this runs
    over every update on record.
    """
    latest: dict[str, StatusUpdate] = {}
    with_forecast: dict[str, StatusUpdate] = {}
    for u in updates:
        if u.reported_on > as_of:
            continue
        item = u.item_id
        current = latest.get(item)
        if current is None or _not_before(u, current):
            latest[item] = u
        if u.forecast is not None:
            current = with_forecast.get(item)
            if current is None or _not_before(u, current):
                with_forecast[item] = u
    return latest, {item: u.forecast for item, u in with_forecast.items() if u.forecast is not None}


def _not_before(u: StatusUpdate, other: StatusUpdate) -> bool:
    """Whether ``u`` sorts at or after ``other`` by (reported_on, recorded_at, id)."""
    if u.reported_on != other.reported_on:
        return u.reported_on > other.reported_on
    return _order(u) >= _order(other)


def _order(u: StatusUpdate) -> tuple[date, datetime, int]:
    at = u.recorded_at or _MIN_INSTANT
    if at.tzinfo is not None:  # compare aware and naive stamps alike, as UTC
        at = at.astimezone(UTC).replace(tzinfo=None)
    return (u.reported_on, at, u.id if u.id is not None else -1)


# The two working records below never leave this module. They are not frozen (a frozen
# dataclass costs about a microsecond more per instance), and _Facts copies the two fields of
# _Timing it needs rather than keeping it: objects alive until the end of ``assess`` are what the
# cyclic GC walks again and again.


@dataclass(slots=True)
class _Timing:
    """An item's effective period after following ``idem``."""

    kind: PeriodKind | None
    start: date | None
    end: date | None
    depends_on: tuple[str, ...]


@dataclass(slots=True)
class _Facts:
    state: State
    due: date | None
    kind: PeriodKind | None  # the effective kind and period start (see _Timing)
    start: date | None
    waiting_on: tuple[str, ...]
    stale: bool
    overdue_days: int
    reason: str
    completed_on: date | None
    confirmed_in_window: bool
    slip_days: int | None


class _Assessor:
    def __init__(self, plan: Plan, updates: Sequence[StatusUpdate], as_of: date, cal: WorkCalendar):
        self.plan = plan
        self.policy = plan.reminders
        self.as_of = as_of
        self.cal = cal
        self.deadlines = plan.deadlines()
        self.by_id = {d.item_id: d for d in self.deadlines}
        self.latest, self.forecasts = latest_updates(updates, as_of)
        self.members: dict[str, list[str]] = {}  # action id → its deadline ids
        for d in self.deadlines:
            self.members.setdefault(d.action_id, []).append(d.item_id)
        # Periods of every row, deadline or not, so ``idem`` can follow any row above. Two dicts
        # of the plan's own objects rather than one of new tuples: fewer objects for the GC.
        self.periods: dict[str, Period | None] = {}
        self.depends: dict[str, tuple[str, ...]] = {}
        for action in plan.actions():
            if action.id not in self.periods:
                self.periods[action.id] = action.period
                self.depends[action.id] = action.depends_on
            for m in action.milestones:
                self.periods[m.id] = m.period
                self.depends[m.id] = m.depends_on
        self.facts: dict[str, _Facts] = {}
        self._rags: dict[str, Rag] = {}
        # Working-day sums per date: many items share a due date, and every count ends at as_of.
        self._windows: dict[date, date] = {}  # due date → first day of its reminder window
        self._to_as_of: dict[date, int] = {}  # day → working_days_between(day, as_of)

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

    def timing(self, item_id: str, seen: frozenset[str] = frozenset()) -> _Timing:
        period, deps = self.periods.get(item_id), self.depends.get(item_id, ())
        if period is None:
            return _Timing(None, None, None, deps)
        if period.kind is not PeriodKind.SAME_AS_ABOVE:
            return _Timing(period.kind, period.start, period.end, deps)
        # ``idem`` the loader left unresolved: follow the row it names.
        target = period.same_as
        if target and target in self.periods and target not in seen:
            above = self.timing(target, seen | {item_id})
            return _Timing(
                above.kind, period.start or above.start, period.end or above.end,
                deps or above.depends_on,
            )  # fmt: skip
        kind = PeriodKind.DATE if period.end else PeriodKind.OPEN_ENDED if period.start else None
        return _Timing(kind, period.start, period.end, deps)

    def completion(self, item_id: str) -> date | None:
        """When an item was finished (done or cancelled), None while it is open."""
        u = self.latest.get(item_id)
        if u is None or u.status not in (UpdateStatus.DONE, UpdateStatus.CANCELLED):
            return None
        if u.status is UpdateStatus.DONE and u.completed_on is not None:
            return u.completed_on
        return u.reported_on

    def dependency_done(self, dep: str) -> date | None:
        """Completion date of a dependency (an action or an item), None while unfinished."""
        ids = self.members.get(dep) or ([dep] if dep in self.by_id else [])
        dates = [self.completion(i) for i in ids]
        if not dates or any(d is None for d in dates):
            return None
        return max(d for d in dates if d is not None)

    def assess_item(self, d: Deadline) -> _Facts:
        latest = self.latest.get(d.item_id)
        timing = self.timing(d.item_id)
        if timing.kind in ONGOING_KINDS and timing.start is None:
            timing = _Timing(timing.kind, self.plan.programme.start, None, timing.depends_on)
        completed = self.completion(d.item_id)
        if latest is not None and completed is not None:
            state = State.DONE if latest.status is UpdateStatus.DONE else State.CANCELLED
            verb = "done" if state is State.DONE else "cancelled"
            reason = f"{verb} on {completed}"
            return self._facts(d.item_id, state, timing, reason=reason, completed=completed)
        deps = timing.depends_on
        done_deps = {dep: self.dependency_done(dep) for dep in deps} if deps else {}
        waiting_on = tuple(dep for dep, when in done_deps.items() if when is None) if deps else ()
        at_risk = latest is not None and latest.status is UpdateStatus.AT_RISK

        def without_date(state: State, reason: str) -> _Facts:
            # With no due date to judge, the owner's "at risk" outranks waiting/undated/ongoing.
            if at_risk:
                state, reason = State.AT_RISK, _risk_reason(latest)
            return self._facts(d.item_id, state, timing, waiting_on, reason=reason)

        if timing.kind is PeriodKind.DEPENDENT:
            if not deps:
                return without_date(State.UNDATED, "dependent, no dependency named")
            if waiting_on:
                return without_date(State.WAITING, f"waiting on {', '.join(waiting_on)}")
            finished = max(when for when in done_deps.values() if when is not None)
            due = self.cal.add_working_days(finished, self.policy.dependency_lead_days)
        elif timing.kind in DATED_KINDS and timing.end is not None:
            due = timing.end
        elif timing.kind in ONGOING_KINDS:
            since = f"ongoing since {timing.start}" if timing.start else "ongoing"
            return without_date(State.ONGOING, since)
        else:
            why = f"no date: gereed {d.gereed!r}" if d.gereed else "no gereed"
            return without_date(State.UNDATED, why)
        return self._dated(d.item_id, timing, due, latest, at_risk, waiting_on)

    def _dated(
        self,
        item_id: str,
        timing: _Timing,
        due: date,
        latest: StatusUpdate | None,
        at_risk: bool,
        waiting_on: tuple[str, ...],
    ) -> _Facts:
        as_of = self.as_of
        forecast = self.forecasts.get(item_id)
        window = self.window(due)
        slip = None
        if forecast is not None and forecast > due and forecast >= as_of:
            state = State.SLIPPED
            slip = self.cal.working_days_between(due, forecast)
            reason = f"forecast {forecast} after due {due}"
        elif as_of > due:
            state = State.OVERDUE
            passed = f"forecast {forecast} passed" if forecast and forecast > due else ""
            reason = f"due {due}, {passed or 'no completion reported'}"
        elif at_risk:
            state, reason = State.AT_RISK, _risk_reason(latest)
        elif as_of >= window:
            left = -self.to_as_of(due)  # working_days_between(as_of, due): it is antisymmetric
            state, reason = State.DUE_SOON, f"due {due}, {left} working days left"
        else:
            state, reason = State.ON_TRACK, f"due {due}"
        confirmed = (
            latest is not None
            and latest.status is UpdateStatus.ON_TRACK
            and latest.reported_on >= window
        )
        overdue = self.to_as_of(due) if state is State.OVERDUE else 0
        stale = as_of >= window and self._stale(latest, window)
        return _Facts(
            state, due, timing.kind, timing.start, waiting_on, stale, overdue, reason, None,
            confirmed, slip,
        )  # fmt: skip

    def _stale(self, latest: StatusUpdate | None, active_since: date | None) -> bool:
        since = active_since
        if latest is not None:
            since = max(latest.reported_on, active_since) if active_since else latest.reported_on
        if since is None:
            return False
        return self.to_as_of(since) >= self.policy.stale_after_days

    def _facts(
        self,
        item_id: str,
        state: State,
        timing: _Timing,
        waiting_on: tuple[str, ...] = (),
        *,
        reason: str,
        completed: date | None = None,
    ) -> _Facts:
        """Facts for items without a due date (and finished items)."""
        stale = False
        ongoing = timing.kind in ONGOING_KINDS and state in (State.ONGOING, State.AT_RISK)
        if ongoing and (timing.start is None or self.as_of >= timing.start):
            stale = self._stale(self.latest.get(item_id), timing.start)
        return _Facts(
            state, None, timing.kind, timing.start, waiting_on, stale, 0, reason, completed, False,
            None,
        )  # fmt: skip

    # --- colours ---------------------------------------------------------------------------

    def rag(self, item_id: str, visiting: frozenset[str] = frozenset()) -> Rag:
        cached = self._rags.get(item_id)
        if cached is not None:
            return cached
        f = self.facts[item_id]
        waits: list[Rag] = []
        if f.state is State.WAITING:
            for dep in f.waiting_on:
                ids = self.members.get(dep) or ([dep] if dep in self.by_id else [])
                inner = visiting | {item_id}
                waits.extend(self.rag(i, inner) for i in ids if i not in inner)
        rag = item_rag(
            f.state,
            stale=f.stale,
            confirmed_in_window=f.confirmed_in_window,
            slip_working_days=f.slip_days,
            waiting_on=waits,
        )
        self._rags[item_id] = rag
        return rag

    def run(self) -> dict[str, ItemAssessment]:
        for d in self.deadlines:
            self.facts[d.item_id] = self.assess_item(d)
        for item_id in self.facts:  # every colour first: a waiting item reads others' facts
            self.rag(item_id)
        out: dict[str, ItemAssessment] = {}
        # Each item's facts are dropped as its result is made, so the number of live objects
        # stays flat here and the cyclic GC is not triggered by this loop.
        for item_id in list(self.facts):
            f = self.facts.pop(item_id)
            d = self.by_id[item_id]  # the last deadline with this id, as before
            out[d.item_id] = ItemAssessment(
                item_id=d.item_id,
                level=d.level,
                action_id=d.action_id,
                step=d.step,
                title=d.title,
                gereed=d.gereed,
                period_kind=_KIND_VALUES[f.kind] if f.kind else None,
                due=f.due,
                state=f.state,
                rag=self._rags[d.item_id],
                stale=f.stale,
                owners=d.owners,
                latest_update=self.latest.get(d.item_id),
                forecast=self.forecasts.get(d.item_id),
                waiting_on=f.waiting_on,
                working_days_overdue=f.overdue_days,
                reason=f.reason,
                start=f.start,
                completed_on=f.completed_on,
            )
        return out


def _risk_reason(latest: StatusUpdate | None) -> str:
    # Formatted only for items that are at risk: most are not.
    return f"owner reports at risk on {latest.reported_on}" if latest else ""


def assess(
    plan: Plan,
    updates: Sequence[StatusUpdate],
    as_of: date,
    previous: Mapping[str, str] | None = None,
    calendar: WorkCalendar | None = None,
    previous_stale: Collection[str] | None = None,
) -> Assessment:
    """Assess every deadline of ``plan`` at ``as_of`` (see the module notes for the rules)."""
    assessor = _Assessor(plan, updates, as_of, calendar or WorkCalendar.for_plan(plan))
    items = assessor.run()
    by_action: dict[str, list[Rag]] = {}
    for item in items.values():
        by_action.setdefault(item.action_id, []).append(item.rag)
    actions = {action_id: worst(rags) for action_id, rags in by_action.items()}
    steps = {
        step.number: rollup(actions[a.id] for a in step.actions if a.id in actions)
        for step in plan.steps
    }
    events = _events(items, as_of, previous, previous_stale)
    return Assessment(as_of, items, actions, steps, rollup(actions.values()), events)


#: Plain values and event names per member, looked up once per item rather than recomputed.
_STATE_VALUES = {s: s.value for s in State}
_RAG_VALUES = {r: r.value for r in Rag}
_TRANSITIONS = {s: transition_event_name(s.value) for s in State}


def _events(
    items: Mapping[str, ItemAssessment],
    as_of: date,
    previous: Mapping[str, str] | None,
    previous_stale: Collection[str] | None,
) -> list[DomainEvent]:
    events: list[DomainEvent] = []
    first_run = previous is None and previous_stale is None
    for item in items.values():
        state = _STATE_VALUES[item.state]
        before = previous.get(item.item_id) if previous is not None else None
        changed = before != state
        turned_stale = previous_stale is not None and item.item_id not in previous_stale
        stale = item.stale and (first_run or turned_stale)
        if not (changed or stale):
            continue  # most items on most days: build no payload
        due = item.due.isoformat() if item.due else None
        rag = _RAG_VALUES[item.rag]
        if changed:
            payload: Payload = {
                "from": before,
                "to": state,
                "due": due,
                "rag": rag,
                "gereed": item.gereed,
            }
            events.append(DomainEvent(_TRANSITIONS[item.state], item.item_id, as_of, payload))
        if stale:
            flagged: Payload = {"state": state, "due": due, "rag": rag, "gereed": item.gereed}
            events.append(DomainEvent(MILESTONE_STALE, item.item_id, as_of, flagged))
    return events
