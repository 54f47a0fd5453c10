"""Migration 0041 (perf57b, issue #8): each memory row keeps its item's first assessed day, as
``item_first_assessed`` holds it; the daily cycle then takes the due items' days from their rows
and writes the column with every row it writes."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from governance.answers import Answerer, AnswerInput
from regie.answers import record_answer
from regie.bootstrap import App
from regie.cycle import deadline_check
from store import downgrade, memory, sync_plan, upgrade
from store.models_faults import ItemFirstAssessedRow
from store.models_incremental import ItemMemoryRow
from tests.integration.answer_app import ANSWERS_PLAN
from tests.integration.link_setup import link_app

DAY = date(2025, 6, 10)
PID = "wegen-test"


@pytest.fixture
def app(migrated_url: str, tmp_path: Path) -> App:
    from governance.clock import utcnow

    plan_file = tmp_path / "plan.yaml"
    plan_file.write_text(ANSWERS_PLAN.read_text(encoding="utf-8"), encoding="utf-8")
    app = link_app(migrated_url, tmp_path, plan_file)
    plan = app.load_plan()
    with app.session() as session, session.begin():
        sync_plan(session, plan, now=utcnow(), plan_path=str(plan.path))
    return app


def _kept(app: App) -> dict[str, date | None]:
    m = ItemMemoryRow
    with app.session() as session:
        rows = session.execute(
            sa.select(m.item_code, m.first_assessed).where(m.programme_id == PID)
        )
        return dict(rows.tuples().all())


def _stored(app: App) -> dict[str, date]:
    f = ItemFirstAssessedRow
    with app.session() as session:
        rows = session.execute(sa.select(f.item_code, f.as_of).where(f.programme_id == PID))
        return dict(rows.tuples().all())


def test_0041_fills_the_kept_day_from_item_first_assessed(app: App, migrated_url: str) -> None:
    deadline_check(app, DAY)
    deadline_check(app, DAY + timedelta(days=1))
    stored = _stored(app)
    assert stored and set(_kept(app)) == set(stored)
    # One item's history moved earlier by hand, one item's day removed: the migration copies
    # what the table holds, NULL where it holds nothing.
    moved, gone = sorted(stored)[:2]
    f = ItemFirstAssessedRow
    with app.session() as session, session.begin():
        session.execute(sa.update(f).where(f.item_code == moved).values(as_of=date(2025, 1, 6)))
        session.execute(sa.delete(f).where(f.item_code == gone))
    downgrade(migrated_url, "0040")
    upgrade(migrated_url)
    kept = _kept(app)
    assert {c: d for c, d in kept.items() if d is not None} == _stored(app)
    assert kept[moved] == date(2025, 1, 6) and kept[gone] is None
    # The first cycle after it: incremental, on the kept days; an item without one is read
    # from (and recorded in) item_first_assessed when chosen, and every day kept is the table's.
    after = deadline_check(app, DAY + timedelta(days=2))
    assert after.incremental
    kept, stored = _kept(app), _stored(app)
    assert {c: d for c, d in kept.items() if d is not None} == {
        c: d for c, d in stored.items() if kept[c] is not None
    }
    assert kept[moved] == stored[moved] == date(2025, 1, 6)
    assert kept[gone] is None or kept[gone] == stored[gone]


def test_every_written_row_keeps_the_stored_day(app: App) -> None:
    """The first run (no memory), an incremental day, a full run, a rebuild and a replayed
    day: after each, every memory row keeps exactly its item's stored first assessed day."""
    from regie.cycle import deadline_check as check

    days = [DAY + timedelta(days=n) for n in range(4)]
    check(app, days[0])  # no memory yet: a full run
    assert _kept(app) == _stored(app)
    # An answer: the item is re-assessed on the incremental day and its row written.
    answer = AnswerInput("1.1.1", "at_risk", forecast=date(2025, 8, 1), note="Later")
    record_answer(app, answer, Answerer("anna", "Anna de Wit"), channel="email", as_of=days[1])
    later = check(app, days[1])
    assert later.incremental and later.assessed and _kept(app) == _stored(app)
    check(app, days[2], full_assessment=True)
    assert _kept(app) == _stored(app)
    check(app, days[3], rebuild_memory=True)
    assert _kept(app) == _stored(app)
    check(app, days[3] + timedelta(days=1), replay=True)
    assert _kept(app) == _stored(app)


def test_a_row_whose_kept_day_differs_is_written_whole(app: App) -> None:
    """A row that differs from the stored one only in its next check has that column updated,
    unless its kept first assessed day differs too: then the whole row, the day with it."""
    from governance.clock import utcnow

    deadline_check(app, DAY)
    with app.session() as session, session.begin():
        kept: dict[str, date] = {}
        stored = memory.load_items(session, PID, None, kept)
        header = memory.load_header(session, PID)
        assert header is not None and kept
        code, other = sorted(kept)[:2]
        later = date(2026, 1, 5)
        moved = {c: stored[c]._replace(next_check=later) for c in (code, other)}
        memory.save(
            session, PID, header, moved, None, replace_all=False, recorded_at=utcnow(),
            stored=stored, first_days={code: date(2025, 1, 6), other: kept[other]},
            stored_first=kept,
        )  # fmt: skip
    m = ItemMemoryRow
    with app.session() as session:
        rows = session.execute(
            sa.select(m.item_code, m.next_check, m.first_assessed).where(
                m.programme_id == PID, m.item_code.in_([code, other])
            )
        )
        found = {c: (check, first) for c, check, first in rows.tuples()}
    assert found == {code: (later, date(2025, 1, 6)), other: (later, kept[other])}
