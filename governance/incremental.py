"""The daily assessment at the cost of what changed: re-assess only items that can have changed.

The store keeps, per item, what the last assessment said (state, colour, stale flag, due date)
and its *next check*: the first day on which its state, colour, stale flag, reminder stage or
escalation could change without new input (:meth:`governance.next_checks.Scheduler.next_check`;
:func:`governance.remember.remember` makes the rows). On a later day an item is re-assessed when

- its next check has come;
- it has a status update recorded since the last run, or one that counts from a day after the
  last run (so back-filled and post-dated updates are both caught);
- its plan entry changed (:func:`item_fingerprint`), it is new, removed or restored, or its action
  gained or lost items;
- it depends (directly or through others) on any of the above.

Everything else keeps its remembered state and colour; roll-ups use both. The judged items'
first assessed days (the stale clock's earliest start) are given by the caller, as to
:func:`governance.assessment.assess`; the next check of an item not yet stale counts from the
latest of its latest update, the day it became active and that day. The result equals
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
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from datetime import date
from importlib.metadata import version
from typing import NamedTuple

from governance.assessment import Assessment, rollups, step_rollups
from governance.assessor import Assessor, ItemAssessment, PlanIndex
from governance.events import state_events
from governance.periods import PeriodKind
from governance.plan import Deadline, Plan
from governance.rag import RAG_VALUES, STATE_VALUES, Rag, State
from governance.records import positional_constructor
from governance.tally import COLOUR_PLACE, NO_ITEMS, Tally, worst_value
from governance.updates import FINISHED, StatusUpdate, UpdateStatus, latest_updates
from governance.workdays import WorkCalendar

__all__ = [
    "RULES_VERSION",
    "InconsistentMemory",
    "Remembered",
    "assess_selected",
    "basis",
    "item_fingerprint",
    "known_latest",
    "new_remembered",
    "plan_changes",
    "select",
    "select_due",
    "state_counts",
    "with_dependencies",
]

#: Raise when the assessment or reminder rules change: stored next checks are then recomputed.
#: A full run still takes each item's previous state and latest update from the memory (facts
#: of what was recorded, not judgements): a change to which update counts as an item's latest
#: needs a migration that refills or empties ``item_memory`` (as 0010 filled it).
#: 9: the stale clock starts no earlier than the item's first assessment; 10: a dependent whose
#: predecessor was cancelled is undated, not dated from the cancellation (walk55d 1); 11: an
#: update a correction replaced counts for neither the latest update nor the latest forecast
#: (review56 2; migration 0040 removes the memory's header, so the memory is made anew); 12:
#: on a live day an escalation only `regie replay` recorded does not count (fix57b), so the
#: memory of a replayed day is made under other rules than a live day's (:func:`basis`); 13:
#: whether a replayed escalation reached anyone is decided per escalation, by the digest that
#: carried it, no longer per office contact and day (fix57m: a live rerun of the replay's last
#: day made all of that day's replayed escalations count); 14: the owner of an undated
#: dependent whose predecessor was cancelled is told once (fix57f: the notice stage; the first
#: full run tells those undated before it); 15: an escalated item's overdue stage left out as
#: too soon (the stage before it caught up late, on a day reached after a gap) leaves out the
#: back-off's stages after it, in a full run as in an incremental one (fix57k).
RULES_VERSION = 15

_RAGS = {r.value: r for r in Rag}
_STATUSES = {s.value: s for s in UpdateStatus}
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


def basis(plan: Plan, calendar: WorkCalendar, *, replaying: bool = False) -> str:
    """A digest of everything that applies to all items at once: when it changes, every
    remembered state is suspect and the day gets a full assessment. ``replaying``: the day is
    one of `regie replay`'s, whose escalations count as made on its own days but not on a live
    day (:attr:`governance.reminders.PromptFacts.replayed`): the next checks of a replayed
    day's memory are not a live day's, so the first live day after a replay (and the first
    replayed day after live ones) judges every item."""
    parts = (
        f"rules {RULES_VERSION}",
        "replayed days" if replaying else "live days",
        repr(plan.reminders),
        repr(plan.programme.start),
        # The end too: the cycle's after-end events (regie.cycle._after_end) are found among
        # the items judged, so a moved end must judge them all (review9 1).
        repr(plan.programme.end),
        repr(plan.contacts),
        calendar.fingerprint(),
        f"holidays {_holidays_version()}",
    )
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


@functools.cache
def _holidays_version() -> str:
    """Read once per process: ``version()`` scans the installed distributions and parses a
    METADATA file on every call (≈ 10–15 ms, every cycle), and the package a process imported
    does not change while it runs."""
    return version("holidays")


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
    first_assessed: Mapping[str, date] | None = None,
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

    ``first_assessed``: the stored first assessed days of (at least) the chosen items, as
    :func:`governance.assessment.assess` takes them.
    """
    latest, forecasts = latest_updates(updates, as_of)
    if known:
        _recall_latest(known, memory, latest, forecasts)
    by_id = index.by_id
    assessor = Assessor(
        index, latest, forecasts, as_of, calendar, _KnownRags(memory, by_id), first_assessed
    )
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
    # Each item's state and stale flag before the day, in one pass: the memory's (not on a
    # rerun of its own day), else ``earlier``'s.
    previous: dict[str, str] = {}
    stale: set[str] = set()
    if not before_day:
        remembered = memory.get
        for i in items:
            r = remembered(i)
            if r is not None:
                previous[i] = r.state
                if r.stale:
                    stale.add(i)
    for i, (state, flag) in (earlier or {}).items():
        if i not in previous:
            previous[i] = state
            if flag:
                stale.add(i)
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
                None, None, None, None, r.latest_source or "memory", None, r.latest_id, None,
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


def with_dependencies(index: PlanIndex, item_ids: Iterable[str]) -> set[str]:
    """``item_ids`` and the items they name in ``depends_on``: whose updates
    :func:`assess_selected` needs."""
    out = set(item_ids)
    by_id = index.by_id
    for item_id in out & index.depending:  # only those that name one (in C)
        for dep in by_id[item_id].depends_on:
            out.update(index.dependency_items(dep))
    return out
