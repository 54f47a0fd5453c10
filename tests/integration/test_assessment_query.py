"""The narrow load for the assessment equals the whole history, on both databases."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest

from governance.assessment import Assessment, assess
from governance.planfile.load import load_plan
from governance.updates import StatusUpdate, UpdateStatus
from store import Repository, make_engine, session_factory, sync_plan, upgrade
from store.assessment_query import assessment_updates
from tests.conftest import SEED_PLAN

START = date(2015, 6, 1)


def random_updates(codes: list[str], count: int, seed: int) -> list[StatusUpdate]:
    rng = random.Random(seed)
    statuses = list(UpdateStatus)
    out = []
    for n in range(count):
        reported = START + timedelta(days=rng.randrange(0, 700))
        status = rng.choice(statuses)
        forecast = (
            reported + timedelta(days=rng.randrange(-30, 200)) if rng.random() < 0.5 else None
        )
        out.append(
            StatusUpdate(
                item_id=rng.choice(codes),
                status=status,
                reported_on=reported,
                forecast=forecast,
                completed_on=reported
                if status is UpdateStatus.DONE and rng.random() < 0.5
                else None,
                comment=f"update {n}",
                # Same-day answers, some recorded out of order: the tie-breaks must agree.
                recorded_at=datetime(2017, 1, 1, tzinfo=UTC)
                + timedelta(minutes=rng.randrange(0, 50)),
            )
        )
    return out


def summary(assessment: Assessment) -> dict[str, tuple[object, ...]]:
    return {
        i.item_id: (
            i.state,
            i.rag,
            i.due,
            i.stale,
            i.forecast,
            i.completed_on,
            i.latest_update.id if i.latest_update else None,
            i.waiting_on,
        )
        for i in assessment.items.values()
    }


@pytest.mark.parametrize("seed", [1, 2])
def test_narrow_load_equals_full_history(database_url: str, seed: int) -> None:
    plan = load_plan(SEED_PLAN)
    upgrade(database_url)
    engine = make_engine(database_url)
    sessions = session_factory(engine)
    codes = [d.item_id for d in plan.deadlines()]
    with sessions() as session, session.begin():
        sync_plan(session, plan, now=datetime.now(UTC))
        repo = Repository(session, plan.programme.id)
        for update in random_updates(codes, 400, seed):
            repo.add_status_update(update)
    with sessions() as session:
        repo = Repository(session, plan.programme.id)
        for as_of in (date(2015, 9, 1), date(2016, 3, 31), date(2016, 11, 15), date(2017, 6, 1)):
            narrow = assessment_updates(session, plan.programme.id, as_of)
            full = repo.status_updates(until=as_of)
            assert len(narrow) < len(full)
            by_narrow, by_full = assess(plan, narrow, as_of), assess(plan, full, as_of)
            assert summary(by_narrow) == summary(by_full)  # readable diff on failure
            assert by_narrow.items == by_full.items and by_narrow.events == by_full.events
            # Some items only (PostgreSQL: one array parameter; SQLite: IN batches): the same
            # rows as the whole load has for them; a code the plan lacks has none.
            some = set(random.Random(seed).sample(codes, len(codes) // 2))
            chosen = assessment_updates(session, plan.programme.id, as_of, [*some, "NOPE"])
            assert sorted(u.id for u in chosen) == sorted(u.id for u in narrow if u.item_id in some)
            assert {u.id: u for u in chosen} == {u.id: u for u in narrow if u.item_id in some}
    engine.dispose()
