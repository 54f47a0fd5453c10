"""A Belgian programme end to end (review "newprog", findings 5 and 9), on SQLite and
PostgreSQL: its extra days off move the reminders of the daily cycle, and the office pages show
times in the plan's own zone, named as such."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from regie.bootstrap import App, bootstrap
from regie.config import load_settings
from tests.integration.server import TEST_SECRET_KEY
from tests.integration.test_web_item_page import _client, visible

BE_PLAN = Path(__file__).resolve().parents[1] / "fixtures" / "plans" / "circulair_bouwen_be.yaml"


def _app(tmp_path: Path, url: str, **env: str) -> App:
    plan = tmp_path / "plan.yaml"
    shutil.copy(BE_PLAN, plan)
    settings = {
        "REGIE_HOME": str(tmp_path / "home"),
        "REGIE_DATABASE_URL": url,
        "REGIE_PLAN": str(plan),
        "REGIE_SECRET_KEY": TEST_SECRET_KEY,
        **env,
    }
    return bootstrap(load_settings(settings))


def _prompts(app: App) -> list[tuple[object, ...]]:
    with app.engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                sa.text("SELECT item_code, contact_code FROM prompts ORDER BY item_code")
            )
        ]


def test_the_first_reminder_comes_a_working_day_earlier_for_a_closure_day(
    tmp_path: Path, migrated_url: str
) -> None:
    """1.1 is due Tuesday 30 September 2025 and owners are first asked two working days before.
    Monday 29 September is a closure day (``extra_days_off``), so the window opens on Thursday
    25 September, not Friday 26."""
    from regie.cycle import deadline_check

    app = _app(tmp_path, migrated_url)
    assert deadline_check(app, date(2025, 9, 24)).queued == []
    report = deadline_check(app, date(2025, 9, 25))
    assert report.queued, "the first prompt opens on Thursday 25 September"
    assert ("1.1", "ovam") in _prompts(app)


def test_item_page_times_are_in_the_plans_zone_with_its_name(
    tmp_path: Path, migrated_url: str
) -> None:
    from regie.history import record_update
    from regie.services import sync

    app = _app(tmp_path, migrated_url)
    sync(app, None)
    record_update(
        app, "1.1", "on_track", as_of=date(2025, 9, 1), forecast=None, completed_on=None,
        comment=None, author="ovam",
    )  # fmt: skip
    shown = visible(_client(app).get("/items/1.1").text)
    assert re.search(r"Vastgelegd op .*\d\d:\d\d:\d\d \(Brusselse tijd, UTC\+0[12]:00\)", shown)
    assert "Amsterdamse tijd" not in shown


def test_regie_timezone_names_the_zone_the_pages_use(tmp_path: Path, migrated_url: str) -> None:
    """REGIE_TIMEZONE overrides the plan's zone, as for the command line's times; a zone
    without a Dutch name is shown by its own name, with its offset."""
    from regie.history import record_update
    from regie.services import sync

    app = _app(tmp_path, migrated_url, REGIE_TIMEZONE="America/Kralendijk")
    sync(app, None)
    record_update(
        app, "1.1", "on_track", as_of=date(2025, 9, 1), forecast=None, completed_on=None,
        comment=None, author="ovam",
    )  # fmt: skip
    shown = visible(_client(app).get("/items/1.1").text)
    assert re.search(r"\d\d:\d\d:\d\d \(America/Kralendijk, UTC-04:00\)", shown), shown
