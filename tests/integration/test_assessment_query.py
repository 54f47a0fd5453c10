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


def add_corrections(repo: Repository, stored: list[StatusUpdate], seed: int) -> None:
    """Corrections of some updates (each corrected once; some corrections corrected in turn),
    counting from their own day, a few days after the corrected one: most give no forecast
    (review56 2: the corrected date then no longer stands)."""
    rng = random.Random(seed)
    targets = rng.sample(stored, 60)
    for n, target in enumerate(targets):
        for _ in range(1 + (n % 4 == 0)):  # every fourth correction corrected again
            assert target.id is not None
            reported = target.reported_on + timedelta(days=rng.randrange(0, 40))
            target = repo.add_status_update(
                StatusUpdate(
                    item_id=target.item_id,
                    status=rng.choice(list(UpdateStatus)),
                    reported_on=reported,
                    forecast=reported + timedelta(days=90) if rng.random() < 0.3 else None,
                    comment=f"correction of {target.id}",
                    recorded_at=datetime(2017, 2, 1, tzinfo=UTC) + timedelta(minutes=n),
                    corrects=target.id,
                )
            )


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
        stored = [repo.add_status_update(update) for update in random_updates(codes, 400, seed)]
        add_corrections(repo, stored, seed)
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


def test_a_corrected_update_s_forecast_is_picked_by_neither_read(database_url: str) -> None:
    """review56 2: a correction without a forecast replaces the corrected update's date, from
    the correction's day on: the assessment's read and the quoted forecast's read
    (store.forecasts_given) fall back to the date given before it, or to none."""
    from store.forecasts_given import forecasts_given

    plan = load_plan(SEED_PLAN)
    upgrade(database_url)
    engine = make_engine(database_url)
    sessions = session_factory(engine)
    pid = plan.programme.id
    at = datetime(2016, 1, 4, 9, tzinfo=UTC)

    def add(
        repo: Repository, item: str, on: date, forecast: date | None, corrects: int | None = None
    ) -> int:
        update = StatusUpdate(
            item, UpdateStatus.AT_RISK, on, forecast, recorded_at=at, corrects=corrects
        )
        stored = repo.add_status_update(update)
        assert stored.id is not None
        return stored.id

    with sessions() as session, session.begin():
        sync_plan(session, plan, now=datetime.now(UTC))
        repo = Repository(session, pid)
        add(repo, "1.1.2", date(2015, 11, 2), date(2016, 5, 1))  # stands again
        dated = add(repo, "1.1.2", date(2015, 11, 30), date(2016, 6, 1))
        fix = add(repo, "1.1.2", date(2015, 12, 2), None, corrects=dated)
        alone = add(repo, "1.3.1", date(2015, 11, 30), date(2016, 2, 1))
        add(repo, "1.3.1", date(2015, 11, 30), None, corrects=alone)
    with sessions() as session:
        day = date(2015, 12, 2)
        picked = {u.id for u in assessment_updates(session, pid, day)}
        assert dated not in picked and alone not in picked and fix in picked
        result = assess(plan, assessment_updates(session, pid, day), day)
        assert result.items["1.1.2"].forecast == date(2016, 5, 1)
        assert result.items["1.3.1"].forecast is None
        some = assessment_updates(session, pid, day, ["1.1.2", "1.3.1"])
        assert {u.id for u in some} == picked  # the only items with updates
        given = forecasts_given(session, pid, ["1.1.2", "1.3.1"], day)
        assert {i: g.forecast for i, g in given.items()} == {"1.1.2": date(2016, 5, 1)}
        # The day before the correction of 1.1.2 its corrected date is in force, as known then.
        before = forecasts_given(session, pid, ["1.1.2"], date(2015, 12, 1))
        assert before["1.1.2"].forecast == date(2016, 6, 1)
        day = date(2015, 12, 1)
        earlier = assess(plan, assessment_updates(session, pid, day), day)
        assert earlier.items["1.1.2"].forecast == date(2016, 6, 1)
    engine.dispose()
