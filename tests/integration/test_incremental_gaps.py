"""Issue #8, correctness first: the daily cycle run on days with gaps between them (weekly,
monthly, irregular: weekends among them) stores what a full assessment of the same day stores
(memory with its next checks, events, prompts, outbox), every day, on SQLite and PostgreSQL.

Found by fix57b (fix57k): on weekly days an escalated item's overdue stage caught up late is
prompted, and the next stage starts too soon after it to be prompted; the day of the prompt
left the stages the back-off leaves out of the next check (2016-01-27 for 1.2.1), a full run
on a later day of the too-soon stage did not (2016-01-13: a wake-up that prompts nobody). The
same for an item not escalated: a full run on a later day of the stage prompted late (or on a
day off) checked it on the too-soon stage's first day, which prompts nobody."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, time, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from regie.bootstrap import App
from regie.cycle import deadline_check
from tests.integration.test_daily import _answers
from tests.integration.test_escalation_delivery import make_app

FIRST, LAST = date(2015, 9, 28), date(2016, 7, 29)


def _days(cadence: str) -> Iterator[date]:
    """The days the cycle runs: every Monday, the 28th of each month, or 1 to 17 days apart."""
    rng = random.Random(3)
    day = FIRST
    while day <= LAST:
        yield day
        if cadence == "weekly":
            day += timedelta(days=7)
        elif cadence == "monthly":
            day = date(day.year + day.month // 12, day.month % 12 + 1, 28)
        else:
            day += timedelta(days=rng.choice((1, 1, 2, 3, 4, 6, 9, 13, 17)))


def _state(app: App) -> dict[str, list[tuple[str, ...]]]:
    """What the days stored, without ids and wall-clock times."""
    tables = {
        "memory": "SELECT item_code, state, rag, stale, due, next_check FROM item_memory",
        "events": "SELECT dedupe_key, name, item_code, occurred_on FROM events",
        "prompts": "SELECT item_code, stage, contact_code, queued_on FROM prompts",
        "outbox": "SELECT key, kind, recipient, status, subject, body_text FROM outbox",
    }
    with app.engine.connect() as conn:
        return {
            name: sorted(tuple(str(v) for v in row) for row in conn.execute(sa.text(query)))
            for name, query in tables.items()
        }


@pytest.mark.parametrize("cadence", ["weekly", "monthly", "irregular"])
def test_days_with_gaps_store_what_a_full_run_of_the_day_stores(
    tmp_path: Path, database_url: str, cadence: str
) -> None:
    """Each day as the daily cycle runs it, then again judging every item: the full rerun
    stores nothing new and the same memory. Owners answer now and then (a few updates after
    each day, some back-filled or post-dated). Escalations, the back-off after them and
    stages caught up late all happen on these days."""
    app = make_app(tmp_path, database_url)
    plan = app.load_plan()
    rng = random.Random(8)
    incremental = 0
    for day in _days(cadence):
        run = deadline_check(app, day)
        incremental += run.incremental
        before = _state(app)
        deadline_check(app, day, full_assessment=True)
        after = _state(app)
        assert after == before, (day, [k for k in before if before[k] != after[k]])
        _answers(app, plan, day, rng, most=3, label="antwoord", at=time(18))
    assert incremental > 5  # the days ran incrementally, not all as full runs
    with app.engine.connect() as conn:
        raised = conn.execute(
            sa.text("SELECT count(*) FROM events WHERE name = 'regie.escalation.raised'")
        ).scalar_one()
    assert raised > 10
