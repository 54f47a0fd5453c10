"""The incremental daily cycle on real databases records what a full assessment would.

Each day the cycle runs (incrementally once it can), and the test then assesses every item from
scratch against the same database: the states stored for the day, the events recorded on it
and the prompts queued must be exactly the full assessment's. Updates arrive between days
(some back-filled, some post-dated) and the plan is edited (a date moved, an action removed and
restored).
"""

from __future__ import annotations

import dataclasses
import random
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import sqlalchemy as sa

from governance.assessment import assess
from governance.periods import Period, PeriodKind
from governance.plan import Plan
from governance.planfile.load import load_plan
from governance.reminders import plan_reminders
from governance.updates import StatusUpdate, UpdateStatus
from governance.workdays import WorkCalendar
from regie.cycle import deadline_check, quiet
from store import Repository
from store.assessment_query import assessment_updates
from store.states import latest_states
from tests.conftest import SEED_PLAN
from tests.integration.test_cycle import make_app

_STATUSES = (UpdateStatus.ON_TRACK, UpdateStatus.AT_RISK, UpdateStatus.DONE)


def _edited(plan: Plan, day: date) -> Plan:
    """From November an action is gone and a milestone's date moved; January restores both."""
    if not date(2015, 11, 1) <= day < date(2016, 1, 1):
        return plan
    steps = []
    for s in plan.steps:
        actions = []
        for a in s.actions:
            if a.id == "2.1":
                continue
            if a.milestones and a.milestones[0].period and a.milestones[0].period.end:
                first = a.milestones[0]
                end = first.period.end + timedelta(days=40)  # type: ignore[union-attr]
                moved = dataclasses.replace(first, period=Period(PeriodKind.DATE, "x", end, end))
                a = dataclasses.replace(a, milestones=(moved, *a.milestones[1:]))
            actions.append(a)
        steps.append(dataclasses.replace(s, actions=tuple(actions)))
    return dataclasses.replace(plan, steps=tuple(steps), source_hash="edited")


def test_incremental_cycle_equals_full_assessment_every_day(
    tmp_path: Path, database_url: str
) -> None:
    app = make_app(tmp_path, database_url)
    seed = load_plan(SEED_PLAN)
    cal = WorkCalendar.for_plan(seed)
    rng = random.Random(8)
    pid = seed.programme.id
    day, last = date(2015, 9, 28), date(2016, 2, 12)
    incremental_days = 0
    while day <= last:
        plan = _edited(seed, day)
        report = deadline_check(app, day, plan=plan)
        incremental_days += report.assessed < len(plan.deadlines())
        with app.session() as session:
            repo = Repository(session, pid)
            previous = repo.previous_states(before=day)
            updates = assessment_updates(session, pid, day)
            full = assess(
                plan, updates, day, previous.states if previous else None, cal,
                previous.stale if previous else None,
            )  # fmt: skip
            stored = {r.item_id: r for r, _ in latest_states(session, pid, day, inclusive=True)}
            for item in full.items.values():
                got = stored[item.item_id]
                want = (item.state.value, item.rag.value, item.stale, item.due)
                assert (got.state, got.rag, got.stale, got.due) == want, (day, item.item_id)
            before = [r for r in repo.prompt_history(until=day) if r.queued_on < day]
            reminders = plan_reminders(plan, full, before, day, cal)
            if not cal.is_working_day(day):
                reminders = quiet(reminders)
            queued = sorted(
                (r.item_id, r.stage, r.contact_id)
                for r in repo.prompt_history(until=day)
                if r.queued_on == day
            )
            assert queued == sorted((r.item_id, r.stage, r.contact_id) for r in reminders.records)
            recorded = {e.dedupe_key for e in repo.events(since=day) if e.occurred_on == day}
            wanted = {e.key for e in [*full.events, *reminders.events]}
            assert recorded == wanted, day
            # Tomorrow's news: a few updates, some for earlier days, some for later ones.
            current = [d.item_id for d in plan.deadlines()]
            for _ in range(rng.randint(0, 3)):
                reported = day + timedelta(days=rng.choice((-20, -3, 0, 0, 0, 5)))
                repo.add_status_update(
                    StatusUpdate(
                        rng.choice(current), rng.choice(_STATUSES), reported,
                        forecast=reported + timedelta(days=rng.randint(-10, 90))
                        if rng.random() < 0.3 else None,
                        recorded_at=datetime.combine(day, time(18), UTC),
                    )
                )  # fmt: skip
            session.commit()
        day += timedelta(days=1)
    assert incremental_days > 80  # of 138: the incremental path is what ran most days
    with app.engine.connect() as conn:
        remembered = conn.execute(sa.text("SELECT count(*) FROM item_memory")).scalar_one()
    assert remembered == len(seed.deadlines())
