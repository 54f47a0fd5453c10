"""A stuurgroep decision that restores a dropped item records an update (source ``decision``,
author the body): that is no answer of the owner, who is prompted for the restored item's
current stage all the same — also on a day the item is judged from its memory row (the memory
keeps the update's source). SQLite and PostgreSQL, through the real commands."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from regie.bootstrap import App
from tests.cli_in_process import regie
from tests.integration.reports_scenario import cli_env, migrated_app


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    return migrated_app(tmp_path / "home", database_url)  # a copy of the seed plan


def _decide(app: App, meeting: str, text: str, *args: str) -> None:
    done = regie("decision", "add", "--body", "stuurgroep", "--meeting", meeting, "--text", text,
                 *args, env=cli_env(app))  # fmt: skip
    assert done.code == 0, done.err


def _cycle(app: App, day: date) -> None:
    done = regie("cycle", "--as-of", day.isoformat(), env=cli_env(app))
    assert done.code == 0, done.err


def _prompts(app: App, item_id: str) -> set[tuple[str, date]]:
    from store.models import PromptRow

    with app.session() as session:
        rows = session.execute(
            sa.select(PromptRow.stage, PromptRow.queued_on).where(PromptRow.item_code == item_id)
        ).all()
    return {(stage, on) for stage, on in rows}


def test_a_restored_item_is_prompted_though_the_decision_came_after_its_stage_began(
    app: App,
) -> None:
    """1.4 (gereed Apr 2016) dropped in January, restored with its date on 12 April, after its
    first reminder window opened. The first cycles after: Saturday 16 April (a day off: the
    prompt is held, the item judged from its updates) and Monday 18 April (judged from its
    memory row): the owner gets the first prompt on Monday."""
    _decide(app, "2016-01-12", "1.4 vervalt", "--cancel", "1.4")
    _decide(app, "2016-04-12", "1.4 gaat toch door", "--restore", "1.4")
    from governance.workdays import WorkCalendar

    cal = WorkCalendar.for_plan(app.load_plan())
    assert cal.window_start(date(2016, 4, 30), 15) < date(2016, 4, 12)  # the stage began before
    _cycle(app, date(2016, 4, 16))
    assert _prompts(app, "1.4") == set()
    _cycle(app, date(2016, 4, 18))
    assert _prompts(app, "1.4") == {("first@2016-04-30", date(2016, 4, 18))}
