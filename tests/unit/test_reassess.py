"""Re-assessing only what new updates touch equals the full assessment (same day, same plan)."""

from __future__ import annotations

import random
from datetime import date

import pytest

from benchmarks.synthetic import build_plan
from governance.assessment import assess
from governance.assessor import PlanIndex
from governance.plan import Plan
from governance.planfile.load import load_plan
from governance.reassess import affected, reassess
from governance.updates import StatusUpdate
from governance.workdays import WorkCalendar
from tests.conftest import SEED_PLAN
from tests.unit.test_incremental import random_updates


def _check(plan: Plan, as_of: date, seed: int, rounds: int, batch: int) -> int:
    """Random batches of new updates, each folded in; returns how many items were re-judged."""
    rng = random.Random(seed)
    pool = random_updates(plan, date(2016, 1, 1), as_of, per_day=3.0, seed=seed)
    rng.shuffle(pool)
    index, cal = PlanIndex(plan), WorkCalendar.for_plan(plan)
    known: list[StatusUpdate] = pool[: len(pool) // 2]
    current = assess(plan, known, as_of, index=index)
    judged = 0
    for _ in range(rounds):
        new = [pool.pop() for _ in range(min(rng.randint(1, batch), len(pool)))]
        known += new
        chosen, needed = affected(index, {u.item_id for u in new})
        judged += len(chosen)
        relevant = [u for u in known if u.item_id in needed]
        current = reassess(current, index, chosen, relevant, cal)
        full = assess(plan, known, as_of, index=index)
        assert current == full
        assert [e.payload for e in current.events] == [e.payload for e in full.events]
    return judged


@pytest.mark.parametrize("as_of", [date(2016, 6, 1), date(2017, 3, 15), date(2019, 10, 1)])
def test_seed_plan_after_random_batches_of_updates(as_of: date) -> None:
    plan = load_plan(SEED_PLAN)
    _check(plan, as_of, seed=as_of.toordinal(), rounds=40, batch=6)


def test_synthetic_1k_plan_after_random_batches_of_updates() -> None:
    plan = build_plan(1_000, seed=2015)
    judged = _check(plan, date(2017, 6, 1), seed=7, rounds=25, batch=4)
    assert judged < 0.2 * len(plan.deadlines()) * 25  # it does re-judge only a few


def test_no_new_updates_keeps_the_assessment() -> None:
    plan = load_plan(SEED_PLAN)
    index = PlanIndex(plan)
    before = assess(plan, [], date(2017, 1, 2), index=index)
    chosen, _ = affected(index, ["no-such-item"])
    assert chosen == []
    assert reassess(before, index, chosen, [], WorkCalendar.for_plan(plan)) is before
