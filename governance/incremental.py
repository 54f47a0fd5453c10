"""The daily assessment at the cost of what changed: re-assess only items that can have changed.

The store keeps, per item, what the last assessment said (state, colour, stale flag, due date)
and its *next check*: the first day on which its state, colour, stale flag, reminder stage or
escalation could change without new input (:func:`next_check`). On a later day an item is
re-assessed when

- its next check has come;
- it has a status update recorded since the last run, or one that counts from a day after the
  last run (so back-filled and post-dated updates are both caught);
- its plan entry changed (:func:`item_fingerprint`), it is new, removed or restored, or its action
  gained or lost items;
- it depends (directly or through others) on any of the above.

Everything else keeps its remembered state and colour; roll-ups use both. The result equals
:func:`governance.assessment.assess` on every item (tests/unit/test_incremental.py replays years
of days to check that). A first run, another reminder policy, programme start, contact list or
calendar (:func:`basis`) is a full assessment: the caller decides. A rerun of the memory's
own day chooses what changed since its earlier run (``assess_selected(…, before_day=True)``).

An item whose prompts on record (this run's, an earlier run's of the day, or older ones) make
enough unanswered ones for an escalation is checked again on the day they do, once the owner's
grace (``unanswered_grace_days``) has run out; one overdue long enough to escalate, on the day
the grace after its first prompt about that date runs out (governance.reminders, "Asked
first"); one whose prompt was held back on a day without prompts, on the next working day.
One first prompted late in its overdue stage (adoption, days without prompts) is not checked
on the first day of the next one when that stage is left out as too close to the prompt.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from datetime import date, timedelta
from importlib.metadata import version
from typing import NamedTuple

from governance.assessment import Assessment, rollups, step_rollups
from governance.assessor import ONGOING_KINDS, Assessor, ItemAssessment, PlanIndex
from governance.events import state_events
from governance.periods import PeriodKind
from governance.plan import Deadline, Plan, ReminderPolicy
from governance.rag import RAG_VALUES, STATE_VALUES, Rag, State
from governance.records import positional_constructor
from governance.reminders import (
    NO_FACTS,
    PromptFacts,
    PromptQuestion,
    PromptRecord,
    ReminderPlan,
    escalation_run,
    prompt_questions,
    settled_since,
)
from governance.tally import COLOUR_PLACE, NO_ITEMS, Tally, worst_value
from governance.updates import FINISHED, StatusUpdate, UpdateStatus, latest_updates
from governance.workdays import WorkCalendar

__all__ = [
    "RULES_VERSION",
    "InconsistentMemory",
    "Remembered",
    "Scheduler",
    "assess_selected",
    "basis",
    "item_fingerprint",
    "known_latest",
    "new_remembered",
    "plan_changes",
    "remember",
    "select",
    "select_due",
    "state_counts",
    "with_dependencies",
]

#: Raise when the assessment or reminder rules change: stored next checks are then recomputed.
#: A full run still takes each item's previous state and latest update from the memory (facts
#: of what was recorded, not judgements): a change to which update counts as an item's latest
#: needs a migration that refills or empties ``item_memory`` (as 0010 filled it).
RULES_VERSION = 3

_DAY = timedelta(days=1)
_SILENT = frozenset({State.DONE, State.CANCELLED, State.UNDATED, State.WAITING})
_RAGS = {r.value: r for r in Rag}
_STATUSES = {s.value: s for s in UpdateStatus}
_STATUS_VALUES = {s: s.value for s in UpdateStatus}
_FINISHED_VALUES = frozenset(s.value for s in FINISHED)
#: ``StatusUpdate(*fields)`` without the frozen dataclass's per-field ``object.__setattr__``.
_new_update = positional_constructor(StatusUpdate)


class Remembered(NamedTuple):
    """What the last assessment said about one item (a named tuple: 100,000 are read a day).

    With it, what that assessment counted of the item's updates: the latest update's id, day,
    status value and source (None: no update) and the latest forecast. Until a new update
    counts for the item (it is then re-assessed from the updates read), they are what a read
    of its updates would give again: :func:`known_latest`.

    No field has a default: a row built without the four counted values would silently read
    as "known, no update and no forecast" and the item be judged without its updates.
    """

    state: str
    rag: str
    stale: bool
    due: date | None
    next_check: date | None
    action_id: str
    latest_id: int | None
    latest_on: date | None
    latest_status: str | None
    forecast: date | None
    # The latest update's source: a decision's update is no owner's answer (the reminders).
    latest_source: str | None


#: ``Remembered`` from one tuple of its eleven values, in field order: without the named tuple's
#: Python-level ``__new__`` (a full run makes 100,000 twice: the rows read and the rows made).
new_remembered = functools.partial(tuple.__new__, Remembered)


def basis(plan: Plan, calendar: WorkCalendar) -> str:
    """A digest of everything that applies to all items at once: when it changes, every
    remembered state is suspect and the day gets a full assessment."""
    parts = (
        f"rules {RULES_VERSION}",
        repr(plan.reminders),
        repr(plan.programme.start),
        repr(plan.contacts),
        calendar.fingerprint(),
        f"holidays {version('holidays')}",
    )
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def item_fingerprint(d: Deadline) -> str:
    """A digest of one item's plan entry (what the assessment and reminders read of it).

    A change of its recipe (what it reads, how it writes it) must raise
    ``governance.parser_version.PARSER_VERSION``: a full run keeps the stored fingerprints while the
    plan's source hash (which includes that version) is unchanged (``regie.daily``), so stale
    ones would stay until the next plan edit re-judged every item."""
    p = d.period
    period = _period_text(p.kind, p.start, p.end) if p is not None else "None"
    # The text of repr((level, action id, step, title, gereed, period, owners)), written out
    # so that the period's part (dates are slow to repr) is made once per distinct period.
    text = (
        f"({d.level.value!r}, {d.action_id!r}, {d.step!r}, {d.title!r}, {d.gereed!r}, "
        f"{period}, {d.owners!r})"
    )
    return hashlib.blake2b(f"{text}{d.depends_on!r}".encode(), digest_size=12).hexdigest()


@functools.lru_cache(maxsize=4096)
def _period_text(kind: PeriodKind, start: date | None, end: date | None) -> str:
    return repr((kind.value, start, end))


def plan_changes(index: PlanIndex, stored: Mapping[str, tuple[str, str]]) -> set[str]:
    """Ids (and action ids) touched by plan edits, from the stored ``id → (fingerprint, action
    id)``: new, changed, removed and restored items, and the actions they left or joined."""
    touched: set[str] = set()
    for item_id, d in index.by_id.items():
        before = stored.get(item_id)
        if before is None or before[0] != item_fingerprint(d):
            touched.update((item_id, d.action_id))
            if before is not None:
                touched.add(before[1])
    for item_id, (_, action_id) in stored.items():
        if item_id not in index.by_id:
            touched.update((item_id, action_id))
    return touched


def select(
    index: PlanIndex,
    as_of: date,
    memory: Mapping[str, Remembered],
    *,
    updated: Iterable[str] = (),
    touched: Iterable[str] = (),
) -> list[str]:
    """The items to re-assess at ``as_of``, in plan order (see the module notes), from the
    memory of every item."""
    due = [i for i, r in memory.items() if r.next_check is not None and r.next_check <= as_of]
    missing = [i for i in index.by_id if i not in memory]
    return select_due(index, due, missing=missing, updated=updated, touched=touched)


def select_due(
    index: PlanIndex,
    due: Iterable[str],
    *,
    missing: Iterable[str] = (),
    updated: Iterable[str] = (),
    touched: Iterable[str] = (),
) -> list[str]:
    """:func:`select` from what the store tells without reading every item: the remembered
    items whose next check has come (``due``) and the plan's items it does not hold."""
    seeds = set(due)
    seeds.update(missing)
    seeds.update(updated)
    seeds.update(touched)
    chosen = index.with_dependents(seeds)
    return list(filter(chosen.__contains__, index.by_id))  # plan order, filtered in C


def assess_selected(
    index: PlanIndex,
    item_ids: Collection[str],
    updates: Iterable[StatusUpdate],
    as_of: date,
    calendar: WorkCalendar,
    memory: Mapping[str, Remembered],
    earlier: Mapping[str, tuple[str, bool]] | None = None,
    tally: Tally | None = None,
    known: Collection[str] = (),
    *,
    before_day: bool = False,
) -> Assessment:
    """The assessment of ``item_ids`` (which :func:`select` chose); the roll-ups cover every
    item, the others with their remembered colours. ``updates`` must hold the updates of the
    chosen items and of the items they depend on. ``earlier`` gives the last recorded (state,
    stale flag) of chosen items the memory does not hold (restored ones), for their events.

    Without ``tally`` ``memory`` holds every remembered item. With the ``tally`` of every
    remembered item it needs only the chosen items, the items they depend on and those no
    longer in the plan: the roll-ups count the others' colours instead of reading them.

    ``known`` (:func:`known_latest`) names items whose latest update and forecast are taken
    from their memory rows: ``updates`` then need not hold theirs.

    ``before_day``: a rerun of the memory's own day. The events then compare with ``earlier``
    alone, the states recorded before the day (an item without is new), not with the memory,
    which holds the earlier run's judgement of this day.
    """
    latest, forecasts = latest_updates(updates, as_of)
    if known:
        _recall_latest(known, memory, latest, forecasts)
    by_id = index.by_id
    assessor = Assessor(index, latest, forecasts, as_of, calendar, _KnownRags(memory, by_id))
    for item_id in item_ids:
        assessor.judge(by_id[item_id])
    items = assessor.results()
    if tally is None:
        # Every plan item is judged or remembered (select chooses those the memory lacks).
        rags = (
            (d.action_id, items[i].rag if i in items else _RAGS[memory[i].rag])
            for i, d in by_id.items()
        )
        actions, steps, programme = rollups(index.plan.steps, rags)
    else:
        actions = _counted_actions(index, tally, memory, items)
        steps, programme = step_rollups(index.plan.steps, actions)
    if before_day:
        before = dict(earlier or {})
    else:
        before = {i: (r.state, r.stale) for i in items if (r := memory.get(i)) is not None}
        for i, value in (earlier or {}).items():
            before.setdefault(i, value)
    previous = {i: state for i, (state, _) in before.items()}
    stale = frozenset(i for i, (_, flag) in before.items() if flag)
    events = state_events(items.values(), as_of, previous, stale)
    return Assessment(as_of, items, actions, steps, programme, events)


def known_latest(
    item_ids: Iterable[str], memory: Mapping[str, Remembered], updated: Collection[str]
) -> set[str]:
    """Those of ``item_ids`` whose latest update and forecast their memory row tells, so that
    their updates need not be read: the item has a row and no update counts for it that the
    row's assessment did not count (not in ``updated``: nothing stored since the last run, nor
    counting from a day after it; updates are append-only). Finished items are left out: their
    judgement also reads the completion day, which the memory does not keep.

    An item not in ``updated`` on any run since its row was written has the same latest
    update and forecast as then (every run re-assesses, and so rewrites, the items updated).
    """
    finished = _FINISHED_VALUES
    out: set[str] = set()
    for item_id in item_ids:
        if item_id in updated:
            continue
        r = memory.get(item_id)
        if r is not None and r.latest_status not in finished:
            out.add(item_id)
    return out


def _recall_latest(
    known: Iterable[str],
    memory: Mapping[str, Remembered],
    latest: dict[str, StatusUpdate],
    forecasts: dict[str, date],
) -> None:
    """Put the remembered latest update and forecast of ``known`` items into the maps the
    assessor reads. The update is a lighter copy (id, day and status: all the rules and the
    reminders read of an unfinished item's latest update, with its source: a decision's update
    answers no prompt; no comment or author; source ``"memory"`` when the row does not say)."""
    statuses, make = _STATUSES, _new_update
    for item_id in known:
        r = memory[item_id]
        if r.latest_on is not None and r.latest_status is not None:
            latest[item_id] = make(
                item_id, statuses[r.latest_status], r.latest_on,
                None, None, None, None, r.latest_source or "memory", None, r.latest_id,
            )  # fmt: skip
        if r.forecast is not None:
            forecasts[item_id] = r.forecast


def _gone(
    index: PlanIndex, memory: Mapping[str, Remembered], items: Mapping[str, ItemAssessment]
) -> Iterator[Remembered]:
    """The remembered rows that no longer count: those of the items just judged and of the
    items no longer in the plan."""
    by_id = index.by_id
    for item_id, r in memory.items():
        if item_id in items or item_id not in by_id:
            yield r


def _dropped(
    index: PlanIndex, memory: Mapping[str, Remembered], items: Mapping[str, ItemAssessment]
) -> list[Remembered]:
    """The remembered rows of items no longer in the plan (not judged: a judged item is the
    plan's), which no longer count."""
    by_id = index.by_id
    return [r for item_id, r in memory.items() if item_id not in by_id and item_id not in items]


class InconsistentMemory(Exception):
    """The item memory read does not fit the plan: a row it should hold was not loaded, or
    its counts do not add up to the plan's items. Not a ``LookupError``: a lookup's default
    must not hide it. The caller assesses in full instead (which rebuilds the memory)."""


def _counted_actions(
    index: PlanIndex,
    tally: Tally,
    memory: Mapping[str, Remembered],
    items: Mapping[str, ItemAssessment],
) -> dict[str, Rag]:
    """Each action's colour (the worst of its items'), in plan order: from the tally's counts
    per action, with the just judged ``items`` in place of their remembered rows (only those
    actions' counts change): the same as :func:`governance.assessment.rollups` over one pair
    per item."""
    stored = tally.actions
    touched: dict[str, list[int]] = {}  # the counts of the actions the day's rows move in
    place = COLOUR_PLACE
    rag_values = RAG_VALUES  # not Enum.value, a Python-level property: once per judged item
    remembered = memory.get
    # A judged item still counted where its row is (same action, same colour: most of a day's
    # items) moves no count: its -1 and +1 would cancel. Only the others touch their actions.
    for item_id, item in items.items():
        colour, action_id = rag_values[item.rag], item.action_id
        r = remembered(item_id)
        if r is not None:
            if r.rag == colour and r.action_id == action_id:
                continue
            counts = touched.get(r.action_id)
            if counts is None:
                counts = touched[r.action_id] = list(stored.get(r.action_id, NO_ITEMS))
            counts[place[r.rag]] -= 1
        counts = touched.get(action_id)
        if counts is None:
            counts = touched[action_id] = list(stored.get(action_id, NO_ITEMS))
        counts[place[colour]] += 1
    for r in _dropped(index, memory, items):
        counts = touched.get(r.action_id)
        if counts is None:
            counts = touched[r.action_id] = list(stored.get(r.action_id, NO_ITEMS))
        counts[place[r.rag]] -= 1
    before = sum(sum(stored.get(a, NO_ITEMS)) for a in touched)
    if tally.items - before + sum(map(sum, touched.values())) != len(index.by_id):
        raise InconsistentMemory("memory tally does not cover the plan's items")
    for action_id, counts in touched.items():
        if min(counts) < 0:
            raise InconsistentMemory(f"memory tally below zero for action {action_id}")
    now = {a: tuple(c) for a, c in touched.items()}
    # The colour of each distinct counts tuple once (a few hundred at 100k items).
    colours = {c: _rag_of(c) for c in {*now.values(), *stored.values()}}
    actions: dict[str, Rag] = {}
    for action_id in _action_order(index):
        found = now.get(action_id) or stored.get(action_id)  # (a tuple of counts is not falsy)
        rag = None if found is None else colours[found]
        if rag is None:
            raise InconsistentMemory(f"action {action_id}: no item judged or remembered")
        actions[action_id] = rag
    return actions


def _rag_of(counts: Sequence[int]) -> Rag | None:
    value = worst_value(counts)
    return None if value is None else _RAGS[value]


def _action_order(index: PlanIndex) -> Iterable[str]:
    """The plan's action ids in the order of their first item (as the roll-ups list them)."""
    if len(index.by_id) == len(index.deadlines):
        return index.members  # no duplicate item ids: the same order, already built
    return dict.fromkeys(d.action_id for d in index.by_id.values())


def state_counts(
    index: PlanIndex,
    tally: Tally,
    memory: Mapping[str, Remembered],
    items: Mapping[str, ItemAssessment],
) -> dict[str, int]:
    """Items per state value over the plan, every state listed (zero included): the just
    judged ``items`` and, for the others, the ``tally`` of the memory (``memory`` as for
    :func:`assess_selected` with a tally)."""
    out = dict.fromkeys((s.value for s in State), 0)
    for state, n in tally.states.items():
        out[state] = out.get(state, 0) + n
    for r in _gone(index, memory, items):
        out[r.state] = out.get(r.state, 0) - 1
    state_values = STATE_VALUES
    for item in items.values():
        out[state_values[item.state]] += 1
    if sum(out.values()) != len(index.by_id) or min(out.values()) < 0:
        raise InconsistentMemory("memory tally does not cover the plan's items")
    return out


class _KnownRags(Mapping[str, Rag]):
    """The remembered colours of the plan's items, looked up only for the few items a judged
    one waits on (not a dict of all 100,000 made each day)."""

    def __init__(self, memory: Mapping[str, Remembered], by_id: Mapping[str, Deadline]) -> None:
        self._memory = memory
        self._by_id = by_id

    def __getitem__(self, item_id: str) -> Rag:
        if item_id not in self._by_id:
            raise KeyError(item_id)
        found = self._memory.get(item_id)
        if found is None:  # a dependency's row not loaded: never silently grey
            raise InconsistentMemory(f"item {item_id}: in the plan, its memory row not loaded")
        return _RAGS[found.rag]

    def __iter__(self) -> Iterator[str]:
        return (i for i in self._memory if i in self._by_id)

    def __len__(self) -> int:
        return sum(1 for _ in self)


#: A date D, the day its next overdue stage starts, and the number N of the first overdue stage
#: after it that will be prompted (None: none will): that day is no next check, ``overdue-N``'s
#: day is (:meth:`Scheduler.too_soon_next`, :meth:`Scheduler.backed_off_next`).
_Skip = tuple[date, date, int | None]


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
        self._too_soon: dict[tuple[str, int], _Skip | None] = {}
        self._backed_off: dict[str, _Skip | None] = {}

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

    def _next_due_day(self, due: date, skip: _Skip | None = None) -> date | None:
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

    def too_soon_next(self, stage: str) -> _Skip | None:
        """Of an item first prompted today about ``stage`` (``due@D`` or ``overdue-N@D``): the
        date D and the day its next overdue stage starts, when that stage will be left out as
        too close to today's prompt (governance.reminders, ``_dated_stage``: it starts fewer
        than half of ``overdue_every_days`` working days after it). That day changes nothing
        for the item, so it is no next check; None when the next stage will be prompted."""
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
            return self._too_soon[key]
        d = date.fromisoformat(day)
        starts = self.add(d, n * every)
        comes = self.add(d, (n + 1) * every)
        after = max(self.cal.add_working_days(comes, -gap), starts)
        found = self._too_soon[key] = (d, comes, n + 2) if self.as_of > after else None
        return found

    def backed_off_next(self, stage: str) -> _Skip | None:
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

    def _backed_off_next(self, stage: str) -> _Skip | None:
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

    def next_check(self, item: ItemAssessment, skip: _Skip | None = None) -> date | None:
        """The first day after ``as_of`` on which ``item``'s state, colour, stale flag,
        reminder stage or escalation could change without new input; None if only new input
        can change it. ``skip`` (:meth:`too_soon_next`): a date's next overdue prompt day
        that will prompt nothing, left out.

        May be early (a needless re-assessment), never late. Waiting on another item's colour
        is not counted here: dependents are re-assessed with the items they depend on.
        """
        if item.state in _SILENT:
            return None
        latest = item.latest_update
        since_update = latest.reported_on if latest is not None else None
        stale_after = self.policy.stale_after_days
        due = item.due
        as_of = self.as_of
        if due is None:
            if item.period_kind not in self._ongoing_kinds:
                return None  # at risk without a date: only input (or prompts) changes it
            start = item.start
            if start is not None and start > as_of:
                return start  # before its start nothing changes: no stage, never stale
            active = max(since_update, start) if since_update and start else since_update or start
            stale_on = self.add(active, stale_after) if active is not None else None
            days: list[date | None] = [start, stale_on, self._block]
            later = [d for d in days if d is not None and d > as_of]
            return min(later) if later else None
        forecast = item.forecast
        if item.state is State.SLIPPED and due < as_of and forecast is not None:
            # Slipped past its due date: no stage and no overdue escalation until the forecast
            # is reached (its own prompt, then overdue the day after); only the forecast and
            # the stale limit matter.
            window = self._due_days(due)[0]
            active_on = window if since_update is None else max(since_update, window)
            best: date | None = None
            candidates: tuple[date, ...] = (
                forecast,
                forecast + _DAY,
                self.add(active_on, stale_after),
            )
        else:
            # The days every item with this due date shares, then the item's own: the earliest
            # after as_of of them all (the due date's share is worked out once per date). Past
            # a forecast after the due date (overdue since it passed) the forecast's days take
            # over (below): the due date's own are all past or no longer its stages.
            if forecast is not None and due < forecast < as_of:
                best = None
            else:
                best = self._next_due_day(due, skip)
            window = self._due_days(due)[0]
            active_on = window if since_update is None else max(since_update, window)
            stale_on = self.add(active_on, stale_after)
            if since_update is not None:
                answered = self.add(since_update, self.policy.escalate_after_overdue_days)
                if forecast is not None:
                    candidates = (forecast + _DAY, stale_on, answered)
                else:
                    candidates = (stale_on, answered)
            elif forecast is not None:
                candidates = (forecast + _DAY, stale_on)
            else:
                candidates = (stale_on,)
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


def remember(
    assessment: Assessment,
    reminders: ReminderPlan,
    scheduler: Scheduler,
    facts: Mapping[str, PromptFacts],
    *,
    recorded: bool,
    questions: Mapping[str, PromptQuestion] | None = None,
    recipients_of: Callable[[Sequence[str]], Collection[str]] | None = None,
) -> dict[str, Remembered]:
    """What to keep of the items just assessed, with their next checks.

    ``reminders`` is the day's plan before it was held back, ``recorded`` whether its records
    are stored today (not on a day off) and ``facts`` what the prompts on record before today's
    told the plan (:func:`governance.reminders.plan_reminders_from`), asked ``questions``
    (:func:`governance.reminders.prompt_questions`: worked out again when not given).
    Besides :meth:`Scheduler.next_check`, an item is checked tomorrow when something for it was
    due but nobody can receive it; on the day its unanswered prompts escalate (the owner's grace
    ended); on the day an item overdue long enough escalates, its owner's grace after the first
    prompt about its date ended; on the next working day when its prompt was held back on a day
    off. ``recipients_of`` (owners → the contacts prompted for them,
    :func:`governance.reminders.recipients`): without it no prompted stage's next stages are
    left out (:func:`_settled_after_prompt`).
    """
    as_of = assessment.as_of
    tomorrow = as_of + _DAY
    busy = {i.item_id for d in reminders.digests for i in d.items}
    busy.update(e.item_id for e in reminders.escalations)
    again = {i.item_id for i in reminders.unaddressed}
    # Items whose unanswered prompts escalate on a later day: that day (the owner's grace,
    # ``unanswered_grace_days`` after the prompt that makes the count, has run out).
    ripe: dict[str, date] = {}
    held: set[str] = set()
    today: dict[str, list[PromptRecord]] = {}
    if not recorded:
        # Held back on a day off: nothing is prompted before the next working day, so the
        # prompt is looked at again then (a state change before it has its own next check).
        held = busy - again
    else:
        for r in reminders.records:
            today.setdefault(r.item_id, []).append(r)
    needed = scheduler.policy.escalate_after_unanswered
    if needed > 0:
        # Besides the items prompted now, those with enough prompts on record (in ``facts``):
        # an earlier run of this day prompted them (a rerun, e.g. after an owner's answer),
        # or the owner's grace has not run out yet (also on a day off, which records none).
        # On a first run of a day an item with that many ripe unanswered escalates today
        # instead (``escalation_run`` below, or ``escalated``).
        pending = (busy if recorded else set()).union(
            i for i, f in facts.items() if len(f.unanswered) >= needed and not f.escalated
        )
        for item_id in pending:
            latest = assessment.items[item_id].latest_update
            known = facts.get(item_id, NO_FACTS)
            records = today.get(item_id, ())
            run = escalation_run(item_id, latest)
            if known.escalated or any(r.stage.startswith(run) for r in records):
                continue  # no escalation for unanswered prompts, or this run had its one
            # Unanswered from tomorrow: those on record (after the latest update's day, up to
            # today) and today's, unless the latest update is of today. They escalate once
            # the ``needed``-th of them (by first day) is ``unanswered_grace_days`` old.
            stages = dict(known.unanswered)
            since = latest.reported_on if latest is not None else None
            if since is None or since < as_of:
                for r in records:
                    if not r.is_escalation:
                        stages.setdefault(r.stage, as_of)
            if len(stages) >= needed:
                nth = sorted(stages.values())[needed - 1]
                grace = scheduler.policy.unanswered_grace_days
                ripe[item_id] = max(scheduler.add(nth, grace), tomorrow)
    if questions is None:
        questions = prompt_questions(assessment, as_of, scheduler.policy, scheduler.cal)
    _asked_first(assessment, reminders, scheduler, facts, today, ripe, questions)
    working = scheduler.cal.working_day_on_or_after(tomorrow) if held else tomorrow

    # Items first prompted today whose next overdue stage will be left out as too close to
    # this prompt (most items the day a programme's prompts start, or after days without
    # them): that stage's first day is no next check. Today's first prompt is today's record
    # or, on a rerun of the day, the earlier run's (the first day of an unanswered stage): a
    # rerun, incremental or full, then sets the same next check as the first run. Not for an
    # item whose run has escalated (its unanswered prompts are no longer told).
    skips: dict[str, _Skip] = {}
    if recorded:
        escalating = {e.item_id for e in reminders.escalations}
        asked = set(today)
        asked.update(i for i, f in facts.items() if f.stage_prompted)
        for item_id in asked:
            question = questions.get(item_id)
            stage = None if question is None else question.stage
            known = facts.get(item_id, NO_FACTS)
            if stage is None or known.escalated or item_id in escalating:
                continue
            if known.stage_prompted:
                if known.unanswered.get(stage) != as_of:
                    continue  # first asked on an earlier day (or answered since): no skip
            elif not any(r.stage == stage for r in today.get(item_id, ())):
                continue
            skip = scheduler.too_soon_next(stage)
            if skip is not None:
                skips[item_id] = skip
    # Items whose overdue stage was due today and left out for every contact by the
    # back-off after an escalation: the stages it leaves out next are no next checks (on
    # a continuous run most overdue items have escalated; 3 of 4 of their stages prompt
    # nobody by default). Also on a day off: a full run then sets what the last working day's
    # run did.
    for item_id, question in questions.items():
        stage = question.stage
        if stage is None or item_id in busy or item_id in again or item_id in today:
            continue
        facts_of = facts.get(item_id)
        if facts_of is None or not facts_of.escalated or facts_of.stage_prompted:
            continue
        if facts_of.too_soon or facts_of.escalated_on is None or facts_of.escalated_on >= as_of:
            continue  # escalated today: a rerun must set what the first run did
        skip = scheduler.backed_off_next(stage)
        if skip is not None:
            skips[item_id] = skip
    if recipients_of is not None:
        skips.update(_settled_after_prompt(assessment, scheduler, facts, questions, today,
                                           again, recipients_of))  # fmt: skip

    def check(item_id: str, item: ItemAssessment) -> date | None:
        if item_id in again:
            return tomorrow
        scheduled = scheduler.next_check(item, skips.get(item_id))
        escalates = ripe.get(item_id)
        if escalates is not None and (scheduled is None or escalates < scheduled):
            scheduled = escalates
        if item_id in held:
            return working if scheduled is None else min(scheduled, working)
        return scheduled

    # Positional (a named tuple's keyword call costs twice as much), with the enums' values
    # looked up rather than read through Enum.value: once per judged item.
    make = new_remembered
    states, rags, statuses = STATE_VALUES, RAG_VALUES, _STATUS_VALUES
    return {
        item_id: make((
            states[item.state],
            rags[item.rag],
            item.stale,
            item.due,
            check(item_id, item),
            item.action_id,
            None if (latest := item.latest_update) is None else latest.id,
            None if latest is None else latest.reported_on,
            None if latest is None else statuses[latest.status],
            item.forecast,
            None if latest is None else latest.source,
        ))
        for item_id, item in assessment.items.items()
    }  # fmt: skip


def _settled_after_prompt(
    assessment: Assessment,
    scheduler: Scheduler,
    facts: Mapping[str, PromptFacts],
    questions: Mapping[str, PromptQuestion],
    today: Mapping[str, Sequence[PromptRecord]],
    again: Collection[str],
    recipients_of: Callable[[Sequence[str]], Collection[str]],
) -> dict[str, _Skip]:
    """The items whose current overdue stage (``overdue-N@D``) is on record — prompted today
    or before — after their run escalated (before the stage began), when the back-off will
    leave the next stages out for every contact: those stages are no next checks, the next
    prompted one is (:meth:`Scheduler.backed_off_next`). Without it the item wakes on N+1,
    prompts nobody, and only from then skips (≈ 1 of 3 left-out stages per cycle on a
    continuous run).

    Decided as the reminders will on N+1's first day, from what stays fixed until new input:
    the escalation is about the current due date (a new date's normal cadence is not
    counted), and every contact the owners have (``recipients_of``) is settled on that day
    (:func:`governance.reminders.settled`: prompted by the escalation's day, or first
    prompted long enough before it), their first prompts counted with today's. Between now
    and then nothing is prompted for the stage (it is on record), so every day of stage N —
    the first run of the prompt's day, a rerun, a full run later — decides the same. An
    update, a plan or a contact change re-assesses the item anyway."""
    policy, cal = scheduler.policy, scheduler.cal
    as_of, every = assessment.as_of, policy.overdue_every_days
    items = assessment.items
    found: dict[str, _Skip] = {}
    windows: dict[date, date] = {}
    for item_id, question in questions.items():
        stage = question.stage
        if stage is None or item_id in again or not stage.startswith("overdue-"):
            continue
        known = facts.get(item_id)
        if known is None or not known.escalated or known.too_soon:
            continue
        records = today.get(item_id, ())
        if not known.stage_prompted and not any(r.stage == stage for r in records):
            continue
        skip = scheduler.backed_off_next(stage)
        if skip is None:
            continue  # N+1 is prompted
        escalated_on = known.escalated_on
        starts = scheduler.add(skip[0], int(stage[8:].partition("@")[0]) * every)
        if escalated_on is None or escalated_on >= starts:
            # Escalated while stage N runs: the first run of that day (whose facts do not
            # say so yet, nor who was prompted when the stage is on record) keeps N+1, so
            # every later day of the stage must too (a rerun, a full run).
            continue
        item = items[item_id]
        due = item.due
        if due is None:
            continue
        opened = windows.get(due)
        if opened is None:
            opened = windows[due] = cal.window_start(due, policy.first_prompt_days)
        if escalated_on < opened:
            continue  # about an earlier date: the new date's normal cadence may prompt N+1
        to = recipients_of(item.owners)
        if not to:
            continue
        contacts = known.contacts
        prompted = {r.contact_id for r in records if not r.is_escalation}
        comes = skip[1]
        for contact in to:
            seen = contacts.get(contact)
            first = seen[0] if seen is not None else as_of if contact in prompted else None
            if first is None or not settled_since(first, escalated_on, comes, policy, cal):
                break  # never prompted (a hand-over on N+1) or only lately
        else:
            found[item_id] = skip
    return found


def _asked_first(
    assessment: Assessment,
    reminders: ReminderPlan,
    scheduler: Scheduler,
    facts: Mapping[str, PromptFacts],
    today: Mapping[str, Sequence[PromptRecord]],
    ripe: dict[str, date],
    questions: Mapping[str, PromptQuestion],
) -> None:
    """Into ``ripe``: the items overdue long enough to escalate that did not today (their run
    has not escalated) → the day the owner's grace after the first prompt about the date
    they are overdue against runs out (governance.reminders, "Asked first"). Without such a
    prompt (held back, nobody to receive it, or an answer suppressed the stage) the day the
    next prompt comes is the next check already."""
    as_of = assessment.as_of
    escalated = {e.item_id for e in reminders.escalations}
    grace, tomorrow = scheduler.policy.unanswered_grace_days, as_of + _DAY
    for item_id, question in questions.items():
        about = question.asked_about
        if not about or item_id in escalated:
            continue
        known = facts.get(item_id, NO_FACTS)
        if known.escalated:
            continue
        first = known.asked_on
        if first is None and any(
            not r.is_escalation and r.stage.endswith(about) for r in today.get(item_id, ())
        ):
            first = as_of  # asked today: the grace counts from today
        if first is not None:
            day = max(scheduler.add(first, grace), tomorrow)
            if item_id not in ripe or day < ripe[item_id]:
                ripe[item_id] = day


def with_dependencies(index: PlanIndex, item_ids: Iterable[str]) -> set[str]:
    """``item_ids`` and the items they name in ``depends_on``: whose updates
    :func:`assess_selected` needs."""
    out = set(item_ids)
    by_id = index.by_id
    for item_id in list(out):
        for dep in by_id[item_id].depends_on:
            out.update(index.dependency_items(dep))
    return out
