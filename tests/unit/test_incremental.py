"""The incremental daily assessment equals the full one, every day of multi-year replays.

Two twins live through the same days: one assesses every item every day (the full path of the
daily cycle), the other re-assesses only what :mod:`governance.incremental` selects and
remembers the rest. Every day their states, colours, stale flags, due dates, roll-ups, events
and reminder plans must be equal, while updates arrive (some back-filled, some post-dated) and
the plan and the holiday calendar change under them.
"""

from __future__ import annotations

import bisect
import dataclasses
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import pytest

from benchmarks.synthetic import build_plan, generate_updates
from governance.assessment import Assessment, assess
from governance.assessor import ItemAssessment, PlanIndex
from governance.escalated_today import contacts_questions, contacts_wanted, with_contacts
from governance.incremental import (
    Remembered,
    assess_selected,
    basis,
    item_fingerprint,
    known_latest,
    plan_changes,
    select,
    select_due,
    state_counts,
    with_dependencies,
)
from governance.next_checks import Scheduler
from governance.periods import Period, PeriodKind
from governance.plan import Action, ItemLevel, Plan, ReminderPolicy
from governance.planfile.load import load_plan
from governance.rag import RAG_VALUES, STATE_VALUES, Rag, State
from governance.remember import remember
from governance.reminders import (
    PromptRecord,
    ReminderPlan,
    contacts_of,
    facts_from_history,
    plan_reminders,
    plan_reminders_from,
    prompt_questions,
    recipients,
)
from governance.tally import Tally, tally_changes
from governance.updates import StatusUpdate, UpdateStatus, latest_updates
from governance.workdays import WorkCalendar
from tests.conftest import SEED_PLAN

_DAY = timedelta(days=1)
_STATUS_VALUES = {s: s.value for s in UpdateStatus}
_STATUSES = (UpdateStatus.ON_TRACK, UpdateStatus.AT_RISK, UpdateStatus.DONE, UpdateStatus.CANCELLED)


_INDEXES: dict[int, tuple[Plan, PlanIndex]] = {}


def index_of(plan: Plan) -> PlanIndex:
    """One index per plan object, as the daily cycle keeps it (regie.plan_cache): a replay
    meets the same few plans on hundreds of days."""
    found = _INDEXES.get(id(plan))
    if found is None or found[0] is not plan:
        found = _INDEXES[id(plan)] = (plan, PlanIndex(plan))
    return found[1]


def quiet(plan: ReminderPlan, day: date, cal: WorkCalendar) -> ReminderPlan:
    if cal.is_working_day(day):
        return plan
    return dataclasses.replace(
        plan, digests=(), escalations=(), escalation_digests=(), events=(), records=(),
        unaddressed=(),
    )  # fmt: skip


def keep_first_days(first: dict[str, date], result: Assessment) -> None:
    """The first assessed days as the store keeps them (``store.first_assessed``): each judged
    item's day as judged where it differs from the stored one (new, or earlier)."""
    for item_id, item in result.items.items():
        if item.first_assessed is not None and first.get(item_id) != item.first_assessed:
            first[item_id] = item.first_assessed


@dataclass
class Seen:
    """The updates a twin has been given, indexed as the store's indexes serve them: per item
    (in the order recorded) and per day they count from. Each day's list extends the day
    before's (``World.known``), so only the new updates are read, not every update on record."""

    by_item: dict[str, list[StatusUpdate]] = field(default_factory=dict)
    on: dict[date, set[str]] = field(default_factory=dict)  # reported_on → item ids
    count: int = 0
    tail: StatusUpdate | None = None  # the last update read: the next list holds it there
    ordered: bool = True  # every id given, each greater than the one before

    def read(self, updates: list[StatusUpdate]) -> list[StatusUpdate] | None:
        """The updates new since the last call, which are those with a greater id than any
        before; None when that is not so (a list that does not extend the last, ids that do
        not grow): the caller then looks at the whole list as before."""
        count = self.count
        extends = not count or (len(updates) >= count and updates[count - 1] is self.tail)
        if not extends:
            self.by_item, self.on, count = {}, {}, 0
        fresh = updates[count:]
        top = self.tail.id if extends and self.tail is not None else 0
        by_item, on = self.by_item, self.on
        for u in fresh:
            if u.id is None or top is None or u.id <= top:
                self.ordered, top = False, None
            else:
                top = u.id
            by_item.setdefault(u.item_id, []).append(u)
            on.setdefault(u.reported_on, set()).add(u.item_id)
        self.count, self.tail = len(updates), updates[-1] if updates else None
        return fresh if extends and self.ordered else None

    def counting_from(self, after: date, day: date) -> set[str]:
        """The items with an update read whose day is after ``after``, up to ``day``."""
        out: set[str] = set()
        on, span = self.on, (day - after).days
        if span <= len(on):
            for n in range(1, span + 1):
                out.update(on.get(after + timedelta(days=n), ()))
        else:
            for when, ids in on.items():
                if after < when <= day:
                    out.update(ids)
        return out


@dataclass
class Full:
    """The full path: every item every day; ``previous`` is what ``item_states`` would say,
    ``first`` what ``item_first_assessed`` would."""

    previous: dict[str, str] | None = None
    stale: set[str] = field(default_factory=set)
    history: list[PromptRecord] = field(default_factory=list)
    first: dict[str, date] = field(default_factory=dict)
    given: Seen = field(default_factory=Seen)
    picked: tuple[dict[str, StatusUpdate], dict[str, date]] | None = None
    last: date | None = None
    check_on: date | None = None  # the replay's last day: the picks checked whole on it

    def day(
        self, plan: Plan, updates: list[StatusUpdate], day: date, cal: WorkCalendar
    ) -> tuple[Assessment, ReminderPlan]:
        stale = frozenset(self.stale) if self.previous is not None else None
        result = assess(
            plan, updates, day, self.previous, cal, stale, index=index_of(plan),
            picked=self.picks(updates, day), first_assessed=self.first,
        )  # fmt: skip
        keep_first_days(self.first, result)
        if cal.is_working_day(day):
            reminders = plan_reminders(plan, result, self.history, day, cal)
        else:  # what ``quiet`` leaves of any plan on a day off: nothing but the day
            reminders = ReminderPlan(day, (), (), (), (), (), ())
        # What item_states would say tomorrow: one pass over the 10k items of a big plan.
        previous = self.previous = self.previous if self.previous is not None else {}
        states, flagged = STATE_VALUES, self.stale
        for item_id, item in result.items.items():
            previous[item_id] = states[item.state]
            if item.stale:
                flagged.add(item_id)
            else:
                flagged.discard(item_id)
        self.history += reminders.records
        return result, reminders

    def picks(
        self, updates: list[StatusUpdate], day: date
    ) -> tuple[dict[str, StatusUpdate], dict[str, date]]:
        """:func:`latest_updates` of every update on record: each item's pick depends on its
        own updates counted by ``day`` alone, so only the items with an update new today or
        counting from today are picked again (the rest are yesterday's picks)."""
        fresh, last, picked = self.given.read(updates), self.last, self.picked
        if fresh is None or picked is None or last is None or day <= last:
            picked = latest_updates(updates, day)
        else:
            latest, forecasts = picked
            by_item = self.given.by_item
            for item_id in {u.item_id for u in fresh} | self.given.counting_from(last, day):
                mine, forecast = latest_updates(by_item[item_id], day)
                for got, into in ((mine, latest), (forecast, forecasts)):
                    if item_id in got:
                        into[item_id] = got[item_id]  # type: ignore[assignment]
                    else:
                        into.pop(item_id, None)
            # Checked against the picks of the whole list: every day while the list is short
            # (the seed's replays), twice a month and on the replay's last day on a long one.
            if len(updates) <= 5_000 or day.day in (1, 15) or day == self.check_on:
                assert picked == latest_updates(updates, day), day
        self.picked, self.last = picked, day
        return picked


@dataclass
class Incremental:
    """The incremental path, with the memory the store would keep."""

    memory: dict[str, Remembered] = field(default_factory=dict)
    fingerprints: dict[str, tuple[str, str]] = field(default_factory=dict)
    basis: str | None = None
    plan: Plan | None = None
    last: date | None = None
    seen: int = 0
    history: list[PromptRecord] = field(default_factory=list)
    reassessed: list[int] = field(default_factory=list)
    from_memory: list[int] = field(default_factory=list)  # judged without their updates read
    recorded: dict[str, tuple[str, bool]] = field(default_factory=dict)  # item_states, latest
    counts: dict[str, int] = field(default_factory=dict)  # items per state, the whole plan
    tally: Tally | None = None  # as stored: changed in place each incremental day
    first: dict[str, date] = field(default_factory=dict)  # item_first_assessed: kept by full runs
    given: Seen = field(default_factory=Seen)
    prompts: dict[str, list[PromptRecord]] = field(default_factory=dict)  # history, per item

    def day(
        self, plan: Plan, updates: list[StatusUpdate], day: date, cal: WorkCalendar
    ) -> tuple[Assessment, ReminderPlan]:
        index = index_of(plan)
        now = basis(plan, cal)
        new = self.given.read(updates)
        if self.last is None or now != self.basis or self.last >= day:
            # As the store does: the previous day from item_states, and a memory built afresh.
            previous = {i: state for i, (state, _) in self.recorded.items()}
            stale = frozenset(i for i, (_, flag) in self.recorded.items() if flag)
            first = not self.recorded
            result = assess(
                plan, updates, day, None if first else previous, cal, None if first else stale,
                index=index, first_assessed=self.first,
            )  # fmt: skip
            self.memory = {}
            self.tally = None  # counted again from the new rows (store.memory.save)
            self.counts = result.counts()
        else:
            last = self.last
            if new is None:
                updated = {
                    u.item_id
                    for u in updates
                    if u.id > self.seen or last < u.reported_on <= day  # type: ignore[operator]
                }
            else:  # the same set: the ids above ``seen`` are the new updates (Seen.read)
                updated = {u.item_id for u in new} | self.given.counting_from(last, day)
            touched = plan_changes(index, self.fingerprints) if plan is not self.plan else set()
            # As regie.daily reads the store: the rows whose next check has come, counts per
            # state and action colour, then the rows of the chosen items, what they depend on
            # and the items gone from the plan.
            memory = self.memory
            due = [i for i, r in memory.items() if r.next_check and r.next_check <= day]
            missing = [i for i in index.by_id if i not in memory]
            dropped = {i for i in memory if i not in index.by_id}
            chosen = select_due(index, due, missing=missing, updated=updated, touched=touched)
            assert chosen == select(index, day, memory, updated=updated, touched=touched)
            needed = with_dependencies(index, chosen)
            keep = needed | dropped | set(due)  # one set: `in due` (a list) per row was slow
            part = {i: r for i, r in memory.items() if i in keep}
            # The tally as the store keeps it: changed in place, always the rows' own count.
            tally = self.tally if self.tally is not None else Tally.of(memory)
            assert (tally.states, tally.actions) == Tally.of(memory)[:2], day
            # As regie.daily: the updates of the needed items whose memory rows do not tell
            # their latest update and forecast (updated since, new to the memory, finished).
            known = known_latest(needed, part, updated)
            self.from_memory.append(len(known & set(chosen)))
            # Each needed item's updates in the order recorded (all latest_updates reads).
            by_item = self.given.by_item
            picked = [u for i in needed if i not in known for u in by_item.get(i, ())]
            earlier = {
                i: self.recorded[i] for i in chosen if i not in memory and i in self.recorded
            }
            # As regie.daily: the stored first assessed days of the chosen items only.
            days = {i: self.first[i] for i in chosen if i in self.first}
            result = assess_selected(
                index, chosen, picked, day, cal, part, earlier, tally=tally, known=known,
                first_assessed=days,
            )  # fmt: skip
            self.counts = state_counts(index, tally, part, result.items)
            if day.day == 1:  # now and then, the same with every row read (no tally)
                every = assess_selected(
                    index, chosen, picked, day, cal, memory, earlier, known=known,
                    first_assessed=days,
                )  # fmt: skip
                assert (every.actions, every.steps, every.programme) == (
                    result.actions,
                    result.steps,
                    result.programme,
                )
        keep_first_days(self.first, result)
        self.reassessed.append(len(result.items))
        # As regie.daily: the judged items' questions answered from the prompts on record.
        questions = prompt_questions(
            result, day, plan.reminders, cal, contacts_of(plan), end=plan.programme.end
        )
        # The judged items' prompts on record (as the store reads them by item).
        prompts = self.prompts
        asked = [r for i in questions if (rs := prompts.get(i)) for r in rs]
        facts = facts_from_history(asked, questions, day)
        reminders = plan_reminders_from(plan, result, questions, facts, day, cal)
        scheduler = Scheduler(day, plan.reminders, cal)
        working = cal.is_working_day(day)
        # As regie.daily: who was prompted about the items escalating today, stage on record.
        wanted = contacts_wanted(reminders, facts, questions, scheduler, recorded=working)
        if wanted:
            told = facts_from_history(asked, contacts_questions(questions, wanted), day)
            facts = with_contacts(facts, told)
        fresh = remember(
            result,
            reminders,
            scheduler,
            facts,
            recorded=working,
            recipients_of=lambda owners: tuple(recipients(plan, owners)),
            end=plan.programme.end,
        )
        gone = [i for i in self.memory if i not in index.by_id]
        if self.memory and self.tally is None:  # the day after a full run
            self.tally = Tally.of(self.memory)
        if self.tally is not None:
            changes = tally_changes(self.tally, self.memory, fresh, gone)
            assert changes is not None, day
            self.tally = self.tally.changed(changes)._replace(stored=True)
        self.memory.update(fresh)
        reminders = quiet(reminders, day, cal)
        self.history += reminders.records
        for r in reminders.records:
            prompts.setdefault(r.item_id, []).append(r)
        for item_id, item in result.items.items():
            self.recorded[item_id] = (STATE_VALUES[item.state], item.stale)
        # The memory holds the plan's items only; a restored item is new to it. (Only the rows
        # of ``gone`` can be missing from the plan: ``fresh`` holds judged plan items.)
        if gone:
            self.memory = {i: r for i, r in self.memory.items() if i in index.by_id}
        if plan is not self.plan:  # fingerprints change only with the plan
            self.fingerprints = {
                i: (item_fingerprint(d), d.action_id) for i, d in index.by_id.items()
            }
        self.basis, self.plan, self.last = now, plan, day
        if new is not None and updates:  # ids grow along the list: the last is the greatest
            self.seen = max(self.seen, updates[-1].id or 0)
        else:
            self.seen = max((u.id or 0 for u in updates), default=self.seen)
        return result, reminders


# compare reads a memory row's fields by position: these, in this order.
assert Remembered._fields[:4] == ("state", "rag", "stale", "due")
assert Remembered._fields[6:] == (
    "latest_id",
    "latest_on",
    "latest_status",
    "forecast",
    "latest_source",
)


def _events(result: Assessment | ReminderPlan) -> list[tuple[str, object]]:
    return sorted((e.key, sorted(e.payload.items())) for e in result.events)  # type: ignore[arg-type]


def compare(day: date, plan: Plan, full: tuple[Assessment, ReminderPlan], inc: Incremental,
            got: tuple[Assessment, ReminderPlan]) -> None:  # fmt: skip
    (want, want_rem), (have, have_rem) = full, got
    # Every item of a 10k plan on every day: the enums' values looked up (Enum.value is a
    # Python-level property), the same comparisons.
    states, rags, statuses = STATE_VALUES, RAG_VALUES, _STATUS_VALUES
    judged, memory = have.items, inc.memory
    for item_id, item in want.items.items():
        mine = judged.get(item_id)
        r = memory[item_id]
        if mine is not None:
            seen = (states[mine.state], rags[mine.rag], mine.stale, mine.due)
        else:
            seen = r[:4]  # (state, rag, stale, due): the row's first four fields, sliced in C
        expected = (states[item.state], rags[item.rag], item.stale, item.due)
        assert seen == expected, f"{day} {item_id}: {seen} != {expected} ({item.reason})"
        if mine is not None:  # judged with the same first assessed day
            assert mine.first_assessed == item.first_assessed, f"{day} {item_id}"
        # Every item's memory row tells what the full assessment counted of its updates today
        # (what the next day's judgement without reading them relies on).
        latest = item.latest_update
        counted = (
            (latest.id, latest.reported_on, statuses[latest.status], item.forecast, latest.source)
            if latest is not None
            else (None, None, None, item.forecast, None)
        )
        remembered = r[6:]  # (latest_id, latest_on, latest_status, forecast, latest_source)
        assert remembered == counted, f"{day} {item_id}: remembered {r[6:]} != counted {counted}"
    assert (have.actions, have.steps, have.programme) == (want.actions, want.steps, want.programme)
    assert list(have.actions) == list(want.actions), day  # the same order too
    assert inc.counts == want.counts(), day
    assert _events(have) == _events(want), day
    assert have_rem == want_rem, day
    assert _events(have_rem) == _events(want_rem), day


@dataclass
class World:
    """What the twins live through: a plan (maybe edited) and a calendar per day, and updates
    in the order they were recorded."""

    plan_on: Callable[[date], Plan]
    calendar_on: Callable[[date], WorkCalendar]
    updates: list[StatusUpdate]
    recorded: list[date] = field(init=False)

    def __post_init__(self) -> None:
        self.recorded = [u.recorded_at.date() for u in self.updates]  # type: ignore[union-attr]

    def known(self, day: date) -> list[StatusUpdate]:
        return self.updates[: bisect.bisect_right(self.recorded, day)]


def replay(world: World, days: Iterator[date]) -> Incremental:
    span = list(days)
    full, inc = Full(check_on=span[-1] if span else None), Incremental()
    for day in span:
        plan, cal, updates = world.plan_on(day), world.calendar_on(day), world.known(day)
        want = full.day(plan, updates, day, cal)
        have = inc.day(plan, updates, day, cal)
        compare(day, plan, want, inc, have)
        assert inc.first == full.first, day
    return inc


def every_day(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += _DAY


def random_updates(
    plan: Plan, first: date, last: date, per_day: float, seed: int
) -> list[StatusUpdate]:
    """Updates recorded day by day: mostly for that day, some back-filled, some post-dated."""
    rng = random.Random(seed)
    ids = [d.item_id for d in plan.deadlines()]
    out: list[StatusUpdate] = []
    for day in every_day(first, last):
        for _ in range(int(per_day) + (rng.random() < per_day % 1)):
            roll = rng.random()
            reported = day - timedelta(days=rng.randint(1, 60)) if roll < 0.1 else (
                day + timedelta(days=rng.randint(1, 20)) if roll < 0.15 else day
            )  # fmt: skip
            status = rng.choices(_STATUSES, (60, 25, 13, 2))[0]
            forecast = (
                reported + timedelta(days=rng.randint(-30, 200)) if rng.random() < 0.3 else None
            )
            completed = (
                reported - timedelta(days=rng.randint(0, 10))
                if status is UpdateStatus.DONE and rng.random() < 0.5
                else None
            )
            out.append(
                StatusUpdate(rng.choice(ids), status, reported, forecast, completed,
                             recorded_at=datetime.combine(day, time(9), UTC), id=len(out) + 1)
            )  # fmt: skip
    return out


def with_corrections(updates: list[StatusUpdate], share: float, seed: int) -> list[StatusUpdate]:
    """``updates`` (in the order recorded) with corrections as the store takes them: each of
    the item's latest update on record when it is made (a correction's correction too),
    counting from that update's day or a few days later, recorded right after the update it
    follows; most give no forecast (review56 2). Ids renumbered in the order recorded."""
    rng = random.Random(seed)
    out: list[StatusUpdate] = []
    latest: dict[str, StatusUpdate] = {}

    def add(u: StatusUpdate) -> None:
        u = dataclasses.replace(u, id=len(out) + 1)
        out.append(u)
        current = latest.get(u.item_id)
        key = (u.reported_on, u.recorded_at, u.id)
        if current is None or key >= (current.reported_on, current.recorded_at, current.id):
            latest[u.item_id] = u

    for update in updates:
        add(dataclasses.replace(update, id=None))
        if rng.random() >= share:
            continue
        target = latest[rng.choice(list(latest))]
        reported = target.reported_on + timedelta(days=rng.choice((0, 0, 1, 3)))
        add(
            StatusUpdate(
                target.item_id, rng.choice(_STATUSES), reported,
                reported + timedelta(days=rng.randint(-20, 120)) if rng.random() < 0.3 else None,
                recorded_at=update.recorded_at, corrects=target.id,
            )
        )  # fmt: skip
    return out


def edited(plan: Plan, seed: int) -> Callable[[date], Plan]:
    """The plan as it is on a day: from the 1st of some months dates move, an action is
    removed, and it comes back (restored) two months later."""
    rng = random.Random(seed)
    actions = list(plan.actions())
    cache: dict[tuple[int, int], Plan] = {}

    def on(day: date) -> Plan:
        key = (day.year, day.month)
        if key not in cache:
            cache[key] = _edit(
                plan,
                actions,
                random.Random(rng.random() + day.year * 12 + day.month),
                day.month % 3,
            )
        return cache[key]

    return on


def _edit(plan: Plan, actions: list[Action], rng: random.Random, phase: int) -> Plan:
    if phase == 0:
        return plan  # the original: everything restored, dates back
    gone = {rng.choice(actions).id for _ in range(3)}
    shift = timedelta(days=rng.choice((-45, -7, 14, 90)))

    def moved(p: Period | None) -> Period | None:
        if p is None or p.end is None or rng.random() > 0.2:
            return p
        start = p.start + shift if p.start else None
        return Period(PeriodKind.DATE, p.text, start, p.end + shift)

    steps = tuple(
        dataclasses.replace(
            s,
            actions=tuple(
                dataclasses.replace(
                    a,
                    period=moved(a.period),
                    milestones=tuple(
                        dataclasses.replace(m, period=moved(m.period)) for m in a.milestones
                    ),
                )
                for a in s.actions
                if a.id not in gone
            ),
        )
        for s in plan.steps
    )
    return dataclasses.replace(plan, steps=steps)


def calendars(country: str, change_on: date) -> Callable[[date], WorkCalendar]:
    """The plan's calendar, and from ``change_on`` one with three extra days off."""
    before = WorkCalendar(country)
    extra = [change_on + timedelta(days=n) for n in (3, 10, 40)]
    after = WorkCalendar(country, extra)
    return lambda day: before if day < change_on else after


def test_seed_replay_three_years_with_edits_and_a_calendar_change() -> None:
    plan = load_plan(SEED_PLAN)
    first, last = date(2015, 6, 1), date(2018, 5, 31)
    world = World(
        edited(plan, seed=1),
        calendars(plan.calendar.holidays_country, date(2016, 11, 14)),
        random_updates(plan, first, last, per_day=2.5, seed=7),
    )
    inc = replay(world, every_day(first, last))
    total = len(plan.deadlines())
    assert sum(inc.reassessed) < 0.5 * total * len(inc.reassessed)  # it is incremental
    # Most re-assessed items are judged from their memory rows, without their updates read.
    assert sum(inc.from_memory) > 0.5 * sum(inc.reassessed[1:])


def test_seed_replay_with_back_off_hand_overs_and_decisions_updates() -> None:
    """The reminder back-off after escalations (its cadence changed, then none at all), the
    contacts of two organisations replaced (hand-overs) and some updates recorded by a decision
    (no owner's answer; judged from the memory too): incremental == full every day."""
    seed = load_plan(SEED_PLAN)
    first, last = date(2015, 8, 3), date(2016, 12, 30)
    updates = [
        dataclasses.replace(u, source="decision", author="stuurgroep") if u.id % 4 == 0 else u
        for u in random_updates(seed, first, last, per_day=1.5, seed=23)
    ]  # fmt: skip
    edits = edited(seed, seed=4)
    # Two organisations' contacts replaced by successors (the same organisation) in March.
    leaving = {c.id for c in seed.contacts if not c.programme_office}
    leaving = set(sorted(leaving)[:2])
    successors = tuple(
        dataclasses.replace(c, id=f"{c.id}-opvolger", name=f"{c.name} (opvolger)")
        if c.id in leaving else c
        for c in seed.contacts
    )  # fmt: skip
    made: dict[tuple[int, int, bool], Plan] = {}

    def plan_on(day: date) -> Plan:
        plan = edits(day)
        every = 7 if day < date(2016, 6, 1) else 0  # a changed policy: a full run that day
        later = day >= date(2016, 3, 1)
        key = (id(plan), every, later)
        if key not in made:
            policy = dataclasses.replace(plan.reminders, after_escalation_every_days=every)
            contacts = successors if later else plan.contacts
            made[key] = dataclasses.replace(plan, reminders=policy, contacts=contacts)
        return made[key]

    world = World(plan_on, calendars(seed.calendar.holidays_country, date(2016, 2, 1)), updates)
    replay(world, every_day(first, last))


def test_seed_replay_with_corrections() -> None:
    """review56 2: corrections (most without a forecast, some counting from a later day, some
    corrected in turn) replace the updates they correct, in the latest update and the latest
    forecast: incremental == full every day, and the corrected dates do stand down."""
    plan = load_plan(SEED_PLAN)
    first, last = date(2015, 8, 3), date(2016, 6, 30)
    plain = random_updates(plan, first, last, per_day=1.5, seed=31)
    updates = with_corrections(plain, share=0.2, seed=5)
    corrected = {u.corrects for u in updates if u.corrects is not None}
    assert len(corrected) > 50
    cal = WorkCalendar(plan.calendar.holidays_country)
    world = World(lambda _: plan, lambda _: cal, updates)
    replay(world, every_day(first, last))
    # The replay met corrected dates that would stand, were the corrections not counted so.
    unmarked = [dataclasses.replace(u, corrects=None) for u in updates]
    for day in (date(2015, 12, 1), date(2016, 3, 1), last):
        assert latest_updates(unmarked, day)[1] != latest_updates(updates, day)[1], day


def test_replay_of_regie_started_mid_programme_is_stale_first_after_the_limit() -> None:
    """Regie comes in a year after the seed programme started (walk49 1): no item is stale on
    its first day; an item nobody answered for (ongoing since the start, or a dated one whose
    window opened long before) is first stale ``stale_after_days`` working days after its first
    assessment, that day's next check: incremental == full every day. An action added to the
    plan later has its items first assessed on the day it comes in; removed and restored, they
    keep that day."""
    seed = load_plan(SEED_PLAN)
    first, last = date(2016, 6, 1), date(2016, 10, 31)
    cal = WorkCalendar(seed.calendar.holidays_country)
    added, removed, restored = date(2016, 6, 20), date(2016, 8, 1), date(2016, 8, 8)
    gone = seed.steps[0].actions[0].id
    without = dataclasses.replace(
        seed,
        steps=(
            dataclasses.replace(seed.steps[0], actions=seed.steps[0].actions[1:]),
            *seed.steps[1:],
        ),
    )

    def plan_on(day: date) -> Plan:
        return without if day < added or removed <= day < restored else seed

    # A few answers, all months before Regie came in (they make no item stale earlier).
    old = [
        StatusUpdate(d.item_id, UpdateStatus.ON_TRACK, date(2015, 11, 2), recorded_at=datetime(
            2015, 11, 2, 12, tzinfo=UTC), id=n)
        for n, d in enumerate(seed.deadlines()[:8], 1)
    ]  # fmt: skip
    world = World(plan_on, lambda _: cal, old)
    full, inc = Full(), Incremental()
    turned: dict[str, date] = {}
    for day in every_day(first, last):
        plan = plan_on(day)
        want = full.day(plan, world.known(day), day, cal)
        have = inc.day(plan, world.known(day), day, cal)
        compare(day, plan, want, inc, have)
        assert inc.first == full.first, day
        for e in want[0].events:
            if e.name == "regie.milestone.stale":
                turned.setdefault(e.item_id, day)
    limit = seed.reminders.stale_after_days
    stale_on = cal.add_working_days(first, limit)
    assert turned and min(turned.values()) == stale_on
    later = {d.item_id for d in seed.deadlines() if d.action_id == gone}
    started = seed.programme.start
    ongoing = [
        d.item_id for d in seed.deadlines()
        if d.period and d.period.kind in (PeriodKind.OPEN_ENDED, PeriodKind.RECURRING)
        and (d.period.start or started or first) <= first
    ]  # fmt: skip
    silent = [i for i in ongoing if i not in {u.item_id for u in old} and i not in later]
    assert silent and all(turned.get(i) == stale_on for i in silent), turned
    # The added action's items: first assessed the day they came in, kept through the removal.
    assert {full.first[i] for i in later} == {added}
    assert {d for i, d in full.first.items() if i not in later} == {first}
    assert all(turned[i] >= cal.add_working_days(added, limit) for i in later if i in turned)


def _synthetic_world(milestones: int, updates: int) -> tuple[World, Plan]:
    plan = build_plan(milestones, seed=2015)
    rows = generate_updates(plan, updates, seed=2020)
    history = [
        StatusUpdate(r.item_code, UpdateStatus(r.status), r.reported_on, r.forecast,
                     r.completed_on, r.comment, r.author, r.source, r.recorded_at, n)
        for n, r in enumerate(rows, 1)
    ]  # fmt: skip
    world = World(edited(plan, seed=3), calendars("NL", date(2017, 3, 6)), history)
    return world, plan


@pytest.mark.slow
def test_synthetic_1k_replay_two_years() -> None:
    world, plan = _synthetic_world(1_000, 20_000)
    inc = replay(world, every_day(date(2016, 1, 1), date(2017, 12, 31)))
    assert sum(inc.reassessed[1:]) < 0.3 * len(plan.deadlines()) * (len(inc.reassessed) - 1)
    assert sum(inc.from_memory) > 0.5 * sum(inc.reassessed[1:])


@pytest.mark.slow
def test_synthetic_10k_replay() -> None:
    world, _ = _synthetic_world(10_000, 100_000)
    replay(world, every_day(date(2016, 9, 1), date(2017, 8, 31)))


def _item(**changes: object) -> ItemAssessment:
    base = ItemAssessment(
        item_id="1.1.1", level=ItemLevel.MILESTONE, action_id="1.1", step=1, title="m",
        gereed=None, period_kind=None, due=None, state=State.ON_TRACK, rag=Rag.GREEN,
        stale=False, owners=("org",), latest_update=None, forecast=None, waiting_on=(),
        working_days_overdue=0, reason="",
    )  # fmt: skip
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_replay_of_a_forecast_and_the_grace_for_unanswered_prompts() -> None:
    """The days a new rule makes things happen without new input are next checks too: the
    owner's forecast (its prompt, its lapse, the overdue escalation counted from it) and the
    end of the grace for unanswered prompts (the second unanswered prompt, overdue-1, on
    Christmas Eve escalates on 4 January). Incremental == full every day, and the full path
    does what the rules say."""
    from tests.unit.planbuilder import act, contact, make_plan, ms, on, policy, quarter

    plan = make_plan(
        act("1.1", ms("1.1.1", quarter(2026, 3))),  # due 30 September 2026
        act("3.1", ms("3.1.1", on(date(2026, 12, 18)))),  # due Friday 18 December 2026
        contacts=(contact("ann", "IenM"), contact("po", "Bureau", office=True)),
        reminders=policy(overdue_every_days=4, escalate_after_overdue_days=20),
    )
    cal = WorkCalendar("NL")
    forecast = date(2027, 1, 29)
    answer = StatusUpdate(
        "1.1.1", UpdateStatus.ON_TRACK, date(2026, 12, 4), forecast,
        recorded_at=datetime.combine(date(2026, 12, 4), time(9), UTC), id=1,
    )  # fmt: skip
    world = World(lambda _: plan, lambda _: cal, [answer])
    full, inc = Full(), Incremental()
    raised: list[tuple[date, str, str]] = []
    prompted: list[tuple[date, str, str]] = []
    for day in every_day(date(2026, 11, 2), date(2027, 3, 1)):
        want = full.day(plan, world.known(day), day, cal)
        have = inc.day(plan, world.known(day), day, cal)
        compare(day, plan, want, inc, have)
        raised += [(day, e.item_id, e.kind) for e in want[1].escalations]
        prompted += [(day, i.item_id, i.stage) for d in want[1].digests for i in d.items]
    assert (date(2027, 1, 4), "3.1.1", "unanswered") in raised
    assert next(d for d, i, _ in raised if i == "3.1.1") == date(2027, 1, 4)
    after = [(d, s) for d, i, s in prompted if i == "1.1.1" and d > date(2026, 12, 4)]
    assert after[0] == (forecast, "due@2027-01-29")
    late = [(d, k) for d, i, k in raised if i == "1.1.1" and d > date(2026, 12, 4)]
    # due@F and overdue-1@F (4 working days later) unanswered, the second 5 working days old.
    assert late == [(cal.add_working_days(forecast, 9), "unanswered")]


def test_replay_of_a_cancelled_predecessor_then_a_date_set_for_its_dependent() -> None:
    """walk55d 1: 2.4.1 cancelled leaves 2.5.1 (*Afhankelijk van …*) undated, never asked
    nor escalated (not dated from the cancellation), until a plan edit (or a decision) dates
    it: then it is asked as any dated item. Its owner is told once, the day it is found
    (fix57f 1: before, never), and that notice does not count as unanswered when the date
    comes. Incremental == full every day."""
    from tests.unit.planbuilder import act, contact, dependent, make_plan, ms, on, quarter

    def plan_with(second: Period) -> Plan:
        return make_plan(
            act("2.4", ms("2.4.1", quarter(2026, 4))),
            act("2.5", ms("2.5.1", second, depends_on=("2.4.1",)), owners=("LVVN",)),
            contacts=(contact("ann", "IenM"), contact("lou", "LVVN")),
        )

    before, after = plan_with(dependent()), plan_with(on(date(2027, 3, 31)))
    dated_on = date(2027, 2, 1)
    cal = WorkCalendar("NL")
    cancel = StatusUpdate(
        "2.4.1", UpdateStatus.CANCELLED, date(2026, 11, 16),
        recorded_at=datetime.combine(date(2026, 11, 16), time(9), UTC), id=1,
    )  # fmt: skip
    world = World(lambda day: after if day >= dated_on else before, lambda _: cal, [cancel])
    full, inc = Full(), Incremental()
    asked: list[tuple[date, str]] = []
    raised: list[date] = []
    for day in every_day(date(2026, 11, 2), date(2027, 4, 30)):
        plan = world.plan_on(day)
        want = full.day(plan, world.known(day), day, cal)
        have = inc.day(plan, world.known(day), day, cal)
        compare(day, plan, want, inc, have)
        item = want[0].items["2.5.1"]
        if date(2026, 11, 16) <= day < dated_on:
            said = (item.state, item.due, item.cancelled_predecessors)
            assert said == (State.UNDATED, None, ("2.4.1",)), day
        asked += [(day, i.stage) for d in want[1].digests for i in d.items if i.item_id == "2.5.1"]
        raised += [day for e in want[1].escalations if e.item_id == "2.5.1"]
    told = [(day, stage) for day, stage in asked if day < dated_on]
    assert told == [(date(2026, 11, 16), "predecessor-cancelled@2.4.1")]
    assert all(day >= dated_on for day in raised)
    assert any(stage.startswith("due@2027-03-31") for _, stage in asked)


def test_replay_of_a_predecessor_cancelled_on_a_day_off_tells_the_next_working_day() -> None:
    """fix57f 1: cancelled on a Saturday, the dependent's notice is held to Monday (no prompts on
    a day off) and sent once then; incremental == full every day."""
    from tests.unit.planbuilder import act, contact, dependent, make_plan, ms, quarter

    plan = make_plan(
        act("2.4", ms("2.4.1", quarter(2026, 4))),
        act("2.5", ms("2.5.1", dependent(), depends_on=("2.4.1",)), owners=("LVVN",)),
        contacts=(contact("ann", "IenM"), contact("lou", "LVVN")),
    )
    cal = WorkCalendar("NL")
    saturday = date(2026, 11, 14)
    cancel = StatusUpdate(
        "2.4.1", UpdateStatus.CANCELLED, saturday,
        recorded_at=datetime.combine(saturday, time(9), UTC), id=1,
    )  # fmt: skip
    world = World(lambda _: plan, lambda _: cal, [cancel])
    full, inc = Full(), Incremental()
    asked: list[tuple[date, str, str]] = []
    for day in every_day(date(2026, 11, 2), date(2027, 1, 29)):
        want = full.day(plan, world.known(day), day, cal)
        have = inc.day(plan, world.known(day), day, cal)
        compare(day, plan, want, inc, have)
        asked += [
            (day, i.stage, d.contact_id)
            for d in want[1].digests
            for i in d.items
            if i.item_id == "2.5.1"
        ]
    assert asked == [(date(2026, 11, 16), "predecessor-cancelled@2.4.1", "lou")]


def test_replay_of_an_adoption_mid_programme_asks_before_it_escalates() -> None:
    """Regie adopted with items long overdue, one added to the plan already overdue and one
    whose due date is moved into the past: each escalates for being overdue only once its
    owner was asked about that date and had the grace (governance.reminders, "Asked first").
    That day is a next check: incremental == full every day (a long overdue cadence, so no
    other prompt brings the items up for judgement on it)."""
    from tests.unit.planbuilder import act, contact, make_plan, ms, on, policy, quarter

    people = (contact("ann", "IenM"), contact("po", "Bureau", office=True))
    rules = policy(overdue_every_days=40, escalate_after_unanswered=0)
    old = (
        act("1.1", ms("1.1.1", quarter(2025, 1))),
        act("1.2", ms("1.2.1", quarter(2027, 2))),  # moved to 2026-03-31 on 11 January
    )
    first = make_plan(*old, contacts=people, reminders=rules)
    moved = act("1.2", ms("1.2.1", on(date(2026, 3, 31))))
    added = act("2.1", ms("2.1.1", quarter(2026, 2)))  # added on 1 February, overdue
    second = make_plan(old[0], moved, contacts=people, reminders=rules)
    third = make_plan(old[0], moved, added, contacts=people, reminders=rules)
    edits = {date(2027, 1, 11): second, date(2027, 2, 1): third}
    cal = WorkCalendar("NL")

    def plan_on(day: date) -> Plan:
        return next((p for d, p in sorted(edits.items(), reverse=True) if day >= d), first)

    world = World(plan_on, lambda _: cal, [])
    full, inc = Full(), Incremental()
    raised: dict[str, date] = {}
    asked: dict[str, date] = {}
    for day in every_day(date(2026, 12, 1), date(2027, 3, 31)):
        plan = plan_on(day)
        want = full.day(plan, world.known(day), day, cal)
        have = inc.day(plan, world.known(day), day, cal)
        compare(day, plan, want, inc, have)
        for e in want[1].escalations:
            raised.setdefault(e.item_id, day)
        for d in want[1].digests:
            for i in d.items:
                if i.stage.startswith("overdue-"):
                    asked.setdefault(i.item_id, day)
    assert asked == {"1.1.1": date(2026, 12, 1), "1.2.1": date(2027, 1, 11),
                     "2.1.1": date(2027, 2, 1)}  # fmt: skip
    assert raised == {i: cal.add_working_days(d, 5) for i, d in asked.items()}


def test_a_stage_too_close_to_a_late_first_prompt_is_no_next_check() -> None:
    """Prompted late about its overdue stage (the first live run, or the first after days
    without prompts), an item's next overdue stage, which starts fewer than half a cadence
    after that prompt, is left out (governance.reminders); its first day changes nothing and
    the item is not re-assessed on it, only when the stage after it is prompted. Incremental ==
    full every day."""
    from tests.unit.planbuilder import act, contact, make_plan, ms, policy, quarter

    people = (contact("ann", "IenM"), contact("po", "Bureau", office=True))
    # No escalation (whose back-off would thin the overdue prompts out).
    rules = policy(escalate_after_overdue_days=1000, escalate_after_unanswered=0)
    plan = make_plan(act("1.1", ms("1.1.1", quarter(2025, 1))), contacts=people, reminders=rules)
    cal = WorkCalendar("NL")
    due, every = date(2025, 3, 31), plan.reminders.overdue_every_days
    comes = cal.add_working_days(due, 40 * every)  # overdue-40's first day
    first = cal.add_working_days(comes, -1)  # overdue-39 prompted on its last day
    world = World(lambda _: plan, lambda _: cal, [])
    full, inc = Full(), Incremental()
    prompted: dict[date, str] = {}
    judged: list[date] = []
    for day in every_day(first, cal.add_working_days(comes, 2 * every)):
        want = full.day(plan, world.known(day), day, cal)
        have = inc.day(plan, world.known(day), day, cal)
        compare(day, plan, want, inc, have)
        prompted.update((day, i.stage) for d in want[1].digests for i in d.items)
        if "1.1.1" in have[0].items:
            judged.append(day)
    assert prompted[first] == f"overdue-39@{due}"
    assert comes not in prompted  # too soon after the prompt the day before
    after = cal.add_working_days(comes, every)
    assert prompted[after] == f"overdue-41@{due}"
    assert comes not in judged
    assert after in judged


def test_next_check_of_an_ongoing_item_not_yet_started_is_its_start() -> None:
    cal = WorkCalendar("NL")
    as_of, start = date(2019, 10, 1), date(2020, 1, 1)
    scheduler = Scheduler(as_of, ReminderPolicy(), cal)
    item = _item(period_kind="open_ended", state=State.ONGOING, start=start)
    # Not the quarter that begins before it (no prompt, no stale flag before the start).
    assert scheduler.next_check(item) == start
    started = _item(period_kind="open_ended", state=State.ONGOING, start=date(2019, 1, 1))
    assert scheduler.next_check(started) == date(2020, 1, 1)  # the next quarter's prompt


def test_next_check_of_a_slipped_item_past_due_skips_the_overdue_stages() -> None:
    cal = WorkCalendar("NL")
    as_of, due, forecast = date(2019, 10, 1), date(2019, 9, 2), date(2019, 11, 29)
    policy = ReminderPolicy()
    scheduler = Scheduler(as_of, policy, cal)
    update = StatusUpdate("1.1.1", UpdateStatus.ON_TRACK, date(2019, 9, 30), forecast)
    slipped = _item(due=due, state=State.SLIPPED, forecast=forecast, latest_update=update)
    stale_on = cal.add_working_days(date(2019, 9, 30), policy.stale_after_days)
    assert stale_on < forecast
    assert scheduler.next_check(slipped) == stale_on  # no overdue-N day in between
    overdue = dataclasses.replace(slipped, state=State.OVERDUE, forecast=None)
    first = scheduler.next_check(overdue)
    assert first is not None and first < stale_on  # an overdue item's next stage comes first


def test_next_check_of_a_slipped_item_before_due_is_its_forecast_or_stale_day() -> None:
    """Slipped before its due date (the owner's forecast after it): the due date's days (its
    second reminder window, the due date, the day after it, its overdue escalation) and the
    forecast's windows change nothing of the item; its next check is the forecast day or the
    day it goes stale (RESULTS §5, round 31: 909 of the busiest day's 9,959 items woke the
    day after their due date for nothing)."""
    cal = WorkCalendar("NL")
    as_of, due, forecast = date(2019, 9, 2), date(2019, 9, 30), date(2019, 11, 29)
    policy = ReminderPolicy()
    scheduler = Scheduler(as_of, policy, cal)
    update = StatusUpdate("1.1.1", UpdateStatus.ON_TRACK, date(2019, 8, 30), forecast)
    slipped = _item(due=due, state=State.SLIPPED, forecast=forecast, latest_update=update)
    window = cal.window_start(due, policy.first_prompt_days)
    stale_on = cal.add_working_days(max(window, update.reported_on), policy.stale_after_days)
    assert as_of < cal.window_start(due, policy.second_prompt_days) < due < stale_on < forecast
    assert scheduler.next_check(slipped) == stale_on
    # Stale already: the forecast day (its prompt), then the day after it (overdue).
    stale = dataclasses.replace(slipped, stale=True, first_assessed=None)
    later = Scheduler(stale_on, policy, cal)
    assert later.next_check(stale) == forecast
    assert Scheduler(forecast, policy, cal).next_check(stale) == forecast + _DAY
    # The same item not slipped (no forecast): the due date's days are its own.
    on_track = dataclasses.replace(slipped, state=State.ON_TRACK, forecast=None)
    assert scheduler.next_check(on_track) == window


def test_replay_of_an_item_slipped_before_its_due_date() -> None:
    """An owner moves the date before it comes (a forecast after the due date, reported in the
    reminder window): from then on the item is slipped and judged again on the day it goes
    stale, the forecast day (its ``due@F`` prompt) and the day after (overdue), not on its due
    date's days. Incremental == full every day."""
    from tests.unit.planbuilder import act, contact, make_plan, ms, on, policy

    plan = make_plan(
        act("3.1", ms("3.1.1", on(date(2026, 12, 18)))),  # due Friday 18 December 2026
        contacts=(contact("ann", "IenM"), contact("po", "Bureau", office=True)),
        reminders=policy(),
    )
    cal = WorkCalendar("NL")
    rules = plan.reminders
    due, told, forecast = date(2026, 12, 18), date(2026, 12, 1), date(2027, 1, 29)
    answer = StatusUpdate(
        "3.1.1", UpdateStatus.ON_TRACK, told, forecast,
        recorded_at=datetime.combine(told, time(9), UTC), id=1,
    )  # fmt: skip
    world = World(lambda _: plan, lambda _: cal, [answer])
    full, inc = Full(), Incremental()
    judged: list[date] = []
    prompted: list[tuple[date, str]] = []
    for day in every_day(date(2026, 11, 16), forecast + 3 * _DAY):
        want = full.day(plan, world.known(day), day, cal)
        have = inc.day(plan, world.known(day), day, cal)
        compare(day, plan, want, inc, have)
        if "3.1.1" in have[0].items:
            judged.append(day)
        prompted += [(day, i.stage) for d in want[1].digests for i in d.items]
        if told <= day <= forecast:
            assert want[0].items["3.1.1"].state is State.SLIPPED
    window = cal.window_start(due, rules.first_prompt_days)
    stale_on = cal.add_working_days(max(window, told), rules.stale_after_days)
    nothing = [
        cal.window_start(due, rules.second_prompt_days), due, due + _DAY,
        cal.add_working_days(due, rules.escalate_after_overdue_days),
        cal.window_start(forecast, rules.first_prompt_days),
        cal.window_start(forecast, rules.second_prompt_days),
    ]  # fmt: skip
    assert told < nothing[0] and stale_on not in nothing
    assert [d for d in judged if d > told] == [stale_on, forecast, forecast + _DAY]
    assert [(d, s) for d, s in prompted if d > told] == [(forecast, f"due@{forecast}")]


def test_next_check_of_an_update_s_silence_only_when_it_ends_after_the_date_s() -> None:
    """The day an item has been silent ``escalate_after_overdue_days`` since its latest update
    is a next check only when it comes after the day it has been as long overdue (RESULTS §5,
    round 31: 154 on-track items woke on it on the busiest day, 280 on an ordinary one, for
    nothing: they are not overdue, and when they are the date's day is the later one)."""
    cal = WorkCalendar("NL")
    policy = ReminderPolicy()
    after = policy.escalate_after_overdue_days
    as_of, due = date(2019, 10, 1), date(2019, 12, 31)
    scheduler = Scheduler(as_of, policy, cal)
    update = StatusUpdate("1.1.1", UpdateStatus.ON_TRACK, date(2019, 9, 27))
    on_track = _item(due=due, state=State.ON_TRACK, latest_update=update)
    answered = cal.add_working_days(update.reported_on, after)
    window = cal.window_start(due, policy.first_prompt_days)
    assert as_of < answered < window
    assert scheduler.next_check(on_track) == window
    # Overdue, answered after its due date: silent long enough since the answer is the later
    # day, so a check (no overdue prompts in between with overdue_every_days=0).
    rules = dataclasses.replace(policy, overdue_every_days=0)
    overdue = _item(due=date(2019, 9, 2), state=State.OVERDUE, latest_update=update)
    assert cal.add_working_days(date(2019, 9, 2), after) < answered
    assert Scheduler(as_of, rules, cal).next_check(overdue) == answered


def test_replay_of_an_answer_before_and_after_the_due_date() -> None:
    """One owner answers long before the due date (the day silent long enough since is no
    check), another after it, overdue (that day is: the item escalates on it, a new run).
    Incremental == full every day."""
    from tests.unit.planbuilder import act, contact, make_plan, ms, on, policy

    rules = policy(overdue_every_days=40, escalate_after_unanswered=0)
    plan = make_plan(
        act("1.1", ms("1.1.1", on(date(2027, 3, 31)))),
        act("2.1", ms("2.1.1", on(date(2026, 12, 18)))),
        contacts=(contact("ann", "IenM"), contact("po", "Bureau", office=True)),
        reminders=rules,
    )
    cal = WorkCalendar("NL")
    early, late = date(2027, 1, 4), date(2027, 1, 11)
    answers = [
        StatusUpdate(
            item, UpdateStatus.ON_TRACK, day, recorded_at=datetime.combine(day, time(9), UTC),
            id=n,
        )
        for n, (item, day) in enumerate((("1.1.1", early), ("2.1.1", late)), 1)
    ]  # fmt: skip
    world = World(lambda _: plan, lambda _: cal, answers)
    full, inc = Full(), Incremental()
    judged: list[date] = []
    raised: list[tuple[date, str]] = []
    for day in every_day(date(2026, 12, 1), date(2027, 2, 26)):
        want = full.day(plan, world.known(day), day, cal)
        have = inc.day(plan, world.known(day), day, cal)
        compare(day, plan, want, inc, have)
        if "1.1.1" in have[0].items:
            judged.append(day)
        raised += [(day, e.item_id) for e in want[1].escalations]
    after = rules.escalate_after_overdue_days
    assert cal.add_working_days(early, after) not in judged
    assert (cal.add_working_days(late, after), "2.1.1") in raised


def test_next_check_of_an_item_overdue_past_its_forecast_follows_the_forecast_alone() -> None:
    """Past a forecast after the due date the item's stages and overdue escalation are the
    forecast's: the due date's overdue-N days are no checks of its (RESULTS §5, round 23: a
    third of the forecast follow-ups' checks were those), the forecast's are."""
    cal = WorkCalendar("NL")
    as_of, due, forecast = date(2019, 10, 1), date(2019, 8, 1), date(2019, 9, 2)
    policy = ReminderPolicy()
    scheduler = Scheduler(as_of, policy, cal)
    update = StatusUpdate("1.1.1", UpdateStatus.ON_TRACK, date(2019, 9, 25), forecast)
    item = _item(due=due, state=State.OVERDUE, forecast=forecast, latest_update=update)
    every = policy.overdue_every_days
    forecasts_next = cal.add_working_days(
        forecast, (cal.working_days_between(forecast, as_of) // every + 1) * every
    )
    dues_next = cal.add_working_days(
        due, (cal.working_days_between(due, as_of) // every + 1) * every
    )
    assert as_of < dues_next < forecasts_next == date(2019, 10, 7)
    assert scheduler.next_check(item) == forecasts_next
    # Without the forecast (or before it passed) the due date's days are its own.
    assert scheduler.next_check(dataclasses.replace(item, forecast=None)) == dues_next


def test_a_dependency_not_loaded_is_an_error_not_grey() -> None:
    """The remembered colours the assessor looks up (``.get(item, GREY)``): a plan item whose
    row was not loaded raises InconsistentMemory (no lookup error, which ``get`` would turn
    into grey); an id not in the plan is simply unknown."""
    from governance.incremental import InconsistentMemory, _KnownRags

    index = PlanIndex(load_plan(SEED_PLAN))
    known = _KnownRags({}, index.by_id)
    assert not issubclass(InconsistentMemory, LookupError)
    with pytest.raises(InconsistentMemory):
        known.get(next(iter(index.by_id)), Rag.GREY)
    assert known.get("niet-in-het-plan", Rag.GREY) is Rag.GREY


def _row(latest_status: str | None, forecast: date | None = None) -> Remembered:
    """A memory row with a counted latest update of ``latest_status`` (None: no update, so no
    forecast either)."""
    if latest_status is None:
        return Remembered(
            "on_track", "green", False, None, None, "1.1", None, None, None, None, None
        )
    on = date(2019, 9, 2)
    return Remembered(
        "on_track", "green", False, None, None, "1.1", 1, on, latest_status, forecast, "cli"
    )


def test_known_latest_names_the_items_whose_row_tells_their_latest_update() -> None:
    """An item is judged from its row (its updates not read) when it has a row whose counted
    update is not finished (or there is none) and no update counts for it since; an updated
    item, a finished one (its completion day is not remembered), an item without a row and an
    item not asked about are not."""
    memory = {
        "open": _row("on_track", date(2019, 12, 1)),
        "at-risk": _row("at_risk"),
        "never-updated": _row(None),
        "updated": _row("on_track"),
        "updated-never-before": _row(None),
        "done": _row("done"),
        "cancelled": _row("cancelled"),
        "not-asked": _row("on_track"),
    }
    asked = [i for i in memory if i != "not-asked"] + ["no-row", "no-row-updated"]
    updated = {"updated", "updated-never-before", "no-row-updated"}
    known = known_latest(asked, memory, updated)
    assert known == {"open", "at-risk", "never-updated"}
    assert known_latest([], memory, updated) == set()
    assert known_latest(asked, {}, ()) == set()


def test_overdue_stages_the_back_off_leaves_out_are_no_next_checks() -> None:
    """After an item's run escalated, its owner is prompted about every 4th overdue stage only
    (governance.reminders, "Back-off": 20 working days, the cadence 5). Once a stage was left
    out for every contact, the next ones the back-off leaves out are no next checks either; once
    a stage was prompted with every contact settled (prompted by the escalation's day), the
    stages after it are not either: the item is re-assessed on the prompted stages only, also
    after the stage it escalated in (the first left-out one was a next check before perf55b).
    Incremental == full every day."""
    from tests.unit.planbuilder import act, contact, make_plan, ms, policy, quarter

    people = (contact("ann", "IenM"), contact("po", "Bureau", office=True))
    rules = policy(escalate_after_unanswered=0)
    plan = make_plan(act("1.1", ms("1.1.1", quarter(2025, 1))), contacts=people, reminders=rules)
    cal = WorkCalendar("NL")
    due, every = date(2025, 3, 31), plan.reminders.overdue_every_days
    assert -(-plan.reminders.after_escalation_every_days // every) == 4
    world = World(lambda _: plan, lambda _: cal, [])
    full, inc = Full(), Incremental()
    prompted: dict[date, str] = {}
    judged: list[date] = []
    escalated: list[date] = []
    start = cal.add_working_days(due, 40 * every)  # overdue-40's first day: prompted, then
    for day in every_day(start, cal.add_working_days(start, 24 * every)):
        want = full.day(plan, world.known(day), day, cal)
        have = inc.day(plan, world.known(day), day, cal)
        compare(day, plan, want, inc, have)
        prompted.update((day, i.stage) for d in want[1].digests for i in d.items)
        escalated += [day for e in want[1].escalations if e.item_id == "1.1.1"]
        if "1.1.1" in have[0].items:
            judged.append(day)
    assert escalated == [cal.add_working_days(start, 5)]  # asked first, then the grace
    stages = {n: cal.add_working_days(due, n * every) for n in range(42, 65)}
    assert [n for n, d in stages.items() if d in prompted] == [44, 48, 52, 56, 60, 64]
    assert [n for n, d in stages.items() if d in judged] == [44, 48, 52, 56, 60, 64]


def test_a_contact_added_after_the_escalation_is_prompted_on_the_stage_after_a_prompted_one() -> (
    None
):
    """The stages after a prompted one are left out of the next checks only while every
    contact is settled: a contact added after the escalation (a plan edit while the prompted
    stage runs) gets the next stage at the normal cadence, a hand-over, and the item is
    re-assessed for it. Incremental == full every day (the incremental twin would miss the
    prompt if the next check skipped that stage)."""
    from tests.unit.planbuilder import act, contact, make_plan, ms, policy, quarter

    ann, po, bob = (
        contact("ann", "IenM"),
        contact("po", "Bureau", office=True),
        contact("bob", "IenM"),
    )
    rules = policy(escalate_after_unanswered=0)
    milestone = act("1.1", ms("1.1.1", quarter(2025, 1)))
    before = make_plan(milestone, contacts=(ann, po), reminders=rules)
    after = make_plan(milestone, contacts=(ann, po, bob), reminders=rules)
    cal = WorkCalendar("NL")
    due, every = date(2025, 3, 31), before.reminders.overdue_every_days
    start = cal.add_working_days(due, 40 * every)
    added = cal.add_working_days(due, 44 * every + 2)  # while overdue-44 (prompted) runs
    world = World(lambda d: before if d < added else after, lambda _: cal, [])
    full, inc = Full(), Incremental()
    prompted: dict[tuple[date, str], str] = {}
    judged: list[date] = []
    for day in every_day(start, cal.add_working_days(start, 12 * every)):
        plan = world.plan_on(day)
        want = full.day(plan, world.known(day), day, cal)
        have = inc.day(plan, world.known(day), day, cal)
        compare(day, plan, want, inc, have)
        prompted.update(((day, d.contact_id), i.stage) for d in want[1].digests for i in d.items)
        if "1.1.1" in have[0].items:
            judged.append(day)
    stages = {n: cal.add_working_days(due, n * every) for n in range(42, 53)}
    assert (stages[44], "ann") in prompted
    assert prompted.get((stages[45], "bob")) == f"overdue-45@{due}"  # the hand-over
    assert (stages[45], "ann") not in prompted
    assert stages[45] in judged


def _escalating_mid_stage(
    added: int | None,
) -> tuple[dict[tuple[date, str], str], list[date], list[date], dict[int, date]]:
    """One item overdue from 2025-03-31, prompted on overdue-40's first day; the owner's grace
    is 7 working days, so its run escalates two days into overdue-41 (prompted on its first
    day: on record by then). ``added``: a contact ``bob`` joins that many working days after
    overdue-41's first day. The full and incremental twins every day for 14 stages: the prompts
    (day, contact) → stage, the days the item was re-assessed and escalated, the stages' days."""
    from tests.unit.planbuilder import act, contact, make_plan, ms, policy, quarter

    ann, po, bob = (
        contact("ann", "IenM"),
        contact("po", "Bureau", office=True),
        contact("bob", "IenM"),
    )
    rules = policy(escalate_after_unanswered=0, unanswered_grace_days=7)
    milestone = act("1.1", ms("1.1.1", quarter(2025, 1)))
    before = make_plan(milestone, contacts=(ann, po), reminders=rules)
    after = make_plan(milestone, contacts=(ann, po, bob), reminders=rules)
    cal = WorkCalendar("NL")
    due, every = date(2025, 3, 31), rules.overdue_every_days
    stages = {n: cal.add_working_days(due, n * every) for n in range(40, 55)}
    joins = None if added is None else cal.add_working_days(stages[41], added)
    world = World(lambda d: after if joins is not None and d >= joins else before,
                  lambda _: cal, [])  # fmt: skip
    full, inc = Full(), Incremental()
    prompted: dict[tuple[date, str], str] = {}
    judged: list[date] = []
    escalated: list[date] = []
    for day in every_day(stages[40], stages[54]):
        plan = world.plan_on(day)
        want = full.day(plan, world.known(day), day, cal)
        have = inc.day(plan, world.known(day), day, cal)
        compare(day, plan, want, inc, have)
        prompted.update(((day, d.contact_id), i.stage) for d in want[1].digests for i in d.items)
        escalated += [day for e in want[1].escalations if e.item_id == "1.1.1"]
        if "1.1.1" in have[0].items:
            judged.append(day)
    return prompted, judged, escalated, stages


def test_the_stages_after_the_one_an_item_escalated_in_are_no_next_checks() -> None:
    """An item whose run escalates while its overdue stage runs (prompted on its first day, on
    record since): on the escalation's first run the facts do not say so yet, but the plan
    does, and the contacts prompted about it are read then. The back-off leaves out the next
    three stages for them: none is a next check, the 4th (prompted) is. Before perf55b the
    first left-out stage after the escalation was one (a wake-up for nothing: on the bench's
    continuous run ≈ 5,700 items on 10-11). Incremental == full every day."""
    prompted, judged, escalated, stages = _escalating_mid_stage(None)
    assert escalated == [cal_add(stages[41], 2)]  # overdue-41 is on record by then
    assert (stages[41], "ann") in prompted
    on = {n for n, d in stages.items() if (d, "ann") in prompted}
    assert sorted(on) == [40, 41, 44, 48, 52]
    assert [n for n, d in stages.items() if d in judged] == [40, 41, 44, 48, 52]
    assert escalated[0] in judged


def test_a_contact_added_before_the_escalation_in_a_stage_keeps_the_next_stage() -> None:
    """As above, with a contact added one working day into overdue-41 (a full day, before the
    escalation): never prompted by the escalation's day, so not settled; the next stage is a
    hand-over to them, and the item is re-assessed for it. Incremental == full every day (the
    incremental twin would miss the hand-over if the next check skipped that stage)."""
    prompted, judged, escalated, stages = _escalating_mid_stage(1)
    assert escalated == [cal_add(stages[41], 2)]
    assert prompted.get((stages[42], "bob")) == "overdue-42@2025-03-31"  # the hand-over
    assert (stages[42], "ann") not in prompted
    assert stages[42] in judged


def cal_add(day: date, n: int) -> date:
    return WorkCalendar("NL").add_working_days(day, n)


def test_seen_gives_what_reading_the_whole_list_gives() -> None:
    """The replay's update index (``Seen``), which both twins read each day's new updates
    through, against reading the whole list each time: the new updates, each item's updates
    in order and the items counting from a span of days; with lists that extend the last one,
    one that does not, and ids that do not grow."""
    rng = random.Random(52)
    start = date(2016, 1, 1)
    for _ in range(40):
        seen, given, last, read = Seen(), [], 0, 0
        ordered = True
        for _ in range(rng.randint(1, 12)):
            if given and rng.random() < 0.1:  # a list that does not extend the last one
                given = given[: rng.randint(0, len(given) - 1)]
                ordered, last = True, (given[-1].id or 0) if given else 0
                seen, read = Seen(), 0  # as the twin starts over: all of it is new
            fresh = []
            for _ in range(rng.randint(0, 6)):
                new = last + 1 if rng.random() > 0.05 else max(1, last - 1)
                ordered, last = ordered and new > last, new
                day = start + timedelta(days=rng.randint(0, 30))
                fresh.append(
                    StatusUpdate(f"1.{rng.randint(1, 4)}", UpdateStatus.ON_TRACK, day, id=last)
                )
            given = given + fresh
            got = seen.read(given)
            assert got == (given[read:] if ordered else None)
            read = len(given)
            if not ordered:
                break
            for item in {u.item_id for u in given}:
                assert seen.by_item[item] == [u for u in given if u.item_id == item]
            after = start + timedelta(days=rng.randint(-2, 20))
            until = after + timedelta(days=rng.randint(0, 15))
            want = {u.item_id for u in given if after < u.reported_on <= until}
            assert seen.counting_from(after, until) == want
