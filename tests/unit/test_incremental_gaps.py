"""The incremental daily assessment equals the full one on days with gaps between them (weekly,
monthly, irregular: weekends among them), next checks included (fix57k).

The twins of :mod:`tests.unit.test_incremental` live through the days; after each, a copy of
the incremental twin runs the day again in full (what ``regie cycle --full`` does: every item
judged, its next check set anew from the prompts on record): it must remember the same next
check for every item as the day's incremental run. Before fix57k a stage prompted late (a day
reached after a gap) left the stages after it that prompt nobody out of the next check on the
prompt's day, but a full run on a later day did not: an escalated item's back-off stages after
the too-soon next stage, and a not escalated item's too-soon next stage itself (a later day of
the prompted stage; a day off).
"""

from __future__ import annotations

import copy
import random
from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from governance.planfile.load import load_plan
from tests.conftest import SEED_PLAN
from tests.unit.test_incremental import (
    Full,
    Incremental,
    World,
    calendars,
    compare,
    edited,
    random_updates,
)


def _days(cadence: str, first: date, last: date) -> Iterator[date]:
    rng = random.Random(11)
    day = first
    while day <= last:
        yield day
        if cadence == "weekly":
            day += timedelta(days=7)
        elif cadence == "monthly":
            day = date(day.year + day.month // 12, day.month % 12 + 1, 28)
        else:
            day += timedelta(days=rng.choice((1, 2, 3, 4, 6, 9, 13, 17)))


@pytest.mark.parametrize("cadence", ["weekly", "monthly", "irregular"])
def test_a_full_rerun_of_a_day_after_a_gap_remembers_the_same_next_checks(cadence: str) -> None:
    plan = load_plan(SEED_PLAN)
    first, last = date(2015, 8, 3), date(2017, 6, 30)
    world = World(
        edited(plan, seed=5),
        calendars(plan.calendar.holidays_country, date(2016, 11, 14)),
        random_updates(plan, first, last, per_day=0.7, seed=19),
    )
    full, inc = Full(), Incremental()
    incremental = 0
    for day in _days(cadence, first, last):
        plan_then, cal, updates = world.plan_on(day), world.calendar_on(day), world.known(day)
        want = full.day(plan_then, updates, day, cal)
        have = inc.day(plan_then, updates, day, cal)
        compare(day, plan_then, want, inc, have)
        incremental += len(have[0].items) < len(plan_then.deadlines())
        rerun = copy.deepcopy(inc)
        rerun.day(plan_then, updates, day, cal)  # the same day again: a full run
        checks = {i: r.next_check for i, r in inc.memory.items()}
        again = {i: r.next_check for i, r in rerun.memory.items()}
        differ = {i: (checks[i], again.get(i)) for i in checks if checks[i] != again.get(i)}
        assert again == checks, (day, differ)
    assert incremental > 3
