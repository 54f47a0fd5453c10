"""Migration 0040 (review56 2): a memory made while a corrected update's forecast still counted
is not trusted once: its header is removed, so the next cycle judges every item from the
updates (a full run, as a first one) and makes the memory anew; nothing else is touched."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from governance.answers import Answerer, AnswerInput
from regie.answers import record_answer
from regie.bootstrap import App
from regie.cycle import deadline_check
from store import Repository, downgrade, sync_plan, upgrade
from store.models_incremental import AssessmentMemoryRow, ItemMemoryRow
from tests.integration.answer_app import ANSWERS_PLAN
from tests.integration.link_setup import link_app

DAY = date(2025, 6, 10)
ANNA = Answerer("anna", "Anna de Wit")


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


def _state(app: App, day: date) -> str:
    with app.session() as session:
        known = Repository(session, "wegen-test").previous_states(day + timedelta(days=1))
    assert known is not None
    return known.states["1.1.1"]


def test_0040_makes_a_memory_with_a_withdrawn_date_anew(app: App, migrated_url: str) -> None:
    from governance.clock import utcnow
    from governance.updates import StatusUpdate, UpdateStatus

    first = AnswerInput("1.1.1", "on_track", forecast=date(2025, 8, 1), note="Extra ronde")
    record_answer(app, first, ANNA, channel="email", as_of=date(2025, 6, 2))
    with app.session() as session, session.begin():
        repo = Repository(session, "wegen-test")
        (given,) = repo.status_updates(until=DAY)
        repo.add_status_update(
            StatusUpdate("1.1.1", UpdateStatus.AT_RISK, DAY, comment="Datum nog onbekend",
                         recorded_at=utcnow(), corrects=given.id)
        )  # fmt: skip
    deadline_check(app, DAY)
    assert _state(app, DAY) == "at_risk"
    # What the rule before 0040 left in the memory: the withdrawn date still counted.
    with app.session() as session, session.begin():
        m = ItemMemoryRow
        session.execute(
            sa.update(m)
            .where(m.programme_id == "wegen-test", m.item_code == "1.1.1")
            .values(state="slipped", forecast=date(2025, 8, 1), next_check=date(2025, 12, 1))
        )
    downgrade(migrated_url, "0039")
    upgrade(migrated_url)
    with app.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(AssessmentMemoryRow)) == 0
        assert session.scalar(sa.select(sa.func.count()).select_from(ItemMemoryRow))  # kept
    report = deadline_check(app, DAY + timedelta(days=1))
    assert not report.incremental  # judged from the updates, not the memory
    assert _state(app, DAY + timedelta(days=1)) == "at_risk"
    with app.session() as session:
        (forecast,) = session.execute(
            sa.select(ItemMemoryRow.forecast).where(ItemMemoryRow.item_code == "1.1.1")
        ).one()
    assert forecast is None  # the memory made anew
    later = deadline_check(app, DAY + timedelta(days=2))
    assert later.incremental and _state(app, DAY + timedelta(days=2)) == "at_risk"
