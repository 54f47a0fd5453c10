"""The digests' overview line counted per owner group (perf55c) gives the counts of counting
item by item (walk55b 3's definition with review55b 6's start, kept here as the reference):
random states and digests on the synthetic plan (an office standing in for organisations
without a contact) and on a small one, on days before, between and after the items' starts."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Mapping, Sequence
from datetime import date

from benchmarks.synthetic import build_plan
from governance.item_start import work_start
from governance.plan import Contact, Plan
from governance.rag import State
from governance.reminders import (
    Digest,
    DigestItem,
    OpenElsewhere,
    OpenItems,
    count_open_elsewhere,
    open_elsewhere,
    recipients,
)
from tests.unit.planbuilder import act, contact, from_, make_plan, ms, on

STATES = [s.value for s in State]
DAYS = (date(2014, 1, 1), date(2016, 3, 1), date(2017, 6, 30), date(2019, 10, 1), date(2031, 1, 1))


def _reference(
    plan: Plan, states: Mapping[str, str], digests: Sequence[Digest], as_of: date
) -> dict[str, OpenElsewhere]:
    """Item by item, as walk55b 3 defined the line."""
    out = {}
    for digest in digests:
        listed = {i.item_id for i in digest.items}
        n_open = n_late = 0
        for deadline in plan.deadline_table().by_id.values():
            state = states.get(deadline.item_id)
            if state is None or state in ("done", "cancelled") or deadline.item_id in listed:
                continue
            # Ongoing work before its start: its period's, else the programme's (review55b 6).
            start = work_start(deadline.period, plan.programme.start)
            if state == "ongoing" and start is not None and as_of < start:
                continue
            if digest.contact_id in recipients(plan, deadline.owners):
                n_open += 1
                n_late += state == "overdue"
        out[digest.key] = OpenElsewhere(n_open, n_late)
    return out


def _synthetic() -> Plan:
    """The benchmark's plan at 1k items; three organisations without a contact (the office
    is asked for their items) and the office's own contact."""
    plan = build_plan(1_000, seed=2015)
    office = Contact("pmo", "Programmabureau", "org01", programme_office=True)
    return dataclasses.replace(plan, contacts=(*plan.contacts[3:], office))


def _small() -> Plan:
    return make_plan(  # type: ignore[arg-type]
        act("1.1", ms("1.1.1", on(date(2016, 3, 1))), ms("1.1.2", from_(date(2017, 1, 1)))),
        act("1.2", ms("1.2.1", from_(date(2016, 6, 1))), owners=("RWS", "WS")),
        act("1.3", ms("1.3.1", on(date(2016, 1, 11)), owners=("EZ",)), owners=("WS",)),
        act("1.4", ms("1.4.1"), owners=()),
        contacts=(
            contact("anna", "RWS"),
            contact("carla", "WS"),
            contact("pmo", "PMO", office=True),
        ),
    )


def _case(plan: Plan, rng: random.Random) -> tuple[dict[str, str], list[Digest]]:
    ids = list(plan.deadline_table().by_id)
    states = {i: rng.choice(STATES) for i in ids if rng.random() < 0.9}
    states.update((f"gone-{n}", rng.choice(STATES)) for n in range(3))  # not in the plan
    digests = []
    for n, person in enumerate(rng.sample(plan.contacts, k=min(len(plan.contacts), 6))):
        for rerun in range(rng.choice((1, 1, 2))):
            listed = [*rng.sample(ids, k=min(len(ids), rng.randint(0, 40))), "gone-0"]
            items = tuple(DigestItem(i, "due", "", None, "", None, "") for i in listed)
            digests.append(Digest(person.id, DAYS[0], items, f"d{n}-{rerun}"))
    return states, digests


def test_counted_per_owner_group_as_item_by_item() -> None:
    rng = random.Random(55)
    totals = dict.fromkeys(DAYS, OpenElsewhere(0, 0))
    for plan in (_synthetic(), _small()):
        for _ in range(12):
            states, digests = _case(plan, rng)
            for day in DAYS:
                items = OpenItems.of(states)
                expected = _reference(plan, states, digests, day)
                assert count_open_elsewhere(plan, items, digests, day) == expected, day
                assert open_elsewhere(plan, states, digests, day) == expected
                n_open, n_late = totals[day]
                for v in expected.values():
                    n_open, n_late = n_open + v.open, n_late + v.late
                totals[day] = OpenElsewhere(n_open, n_late)
    # Late items counted; ongoing work left out before its start and counted after it.
    assert all(t.late > 0 for t in totals.values()), totals
    assert totals[DAYS[0]].open < totals[DAYS[2]].open < totals[DAYS[-1]].open, totals


def test_the_day_s_states_replace_the_remembered_ones() -> None:
    """An incremental day: the memory's states, those of the items judged today replacing
    them (also a digest's item the day did not judge)."""
    rng = random.Random(8)
    for plan in (_synthetic(), _small()):
        ids = list(plan.deadline_table().by_id)
        for _ in range(12):
            remembered, digests = _case(plan, rng)
            today = {i: rng.choice(STATES) for i in rng.sample(ids, k=len(ids) // 5)}
            for day in DAYS:
                expected = _reference(plan, {**remembered, **today}, digests, day)
                items = OpenItems.of(remembered)
                assert count_open_elsewhere(plan, items, digests, day, today=today) == expected


def test_the_ids_by_state() -> None:
    assert OpenItems.of({"a": "done", "b": "overdue", "c": "ongoing", "d": "on_track"}) == (
        ["b", "c", "d"],
        ["b"],
        ["c"],
    )
