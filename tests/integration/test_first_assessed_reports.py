"""The reports read the first assessed days (``item_first_assessed``) up to their data cut-off
(review51 2): a day stored after the pack (a catch-up replay, say) does not change what
``reproduce`` makes, and one stored before it is read again. SQLite and PostgreSQL, with the
seed scenario (stuurgroep meeting 2016-04-12)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from regie.bootstrap import App
from tests.cli_in_process import regie
from tests.integration.reports_scenario import cli_env, scenario_app

AGENDA = ("agenda", "--body", "stuurgroep", "--meeting", "2016-04-12", "--as-of", "2016-04-05")
VOORTGANG = ("voortgang", "--from", "2016-01-01", "--to", "2016-03-31", "--as-of", "2016-04-05")
EARLY = date(2016, 1, 4)  # a day long before the pack: most items silent for 20 working days


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    return scenario_app(tmp_path / "home", database_url)


def _store_days(app: App, at: datetime) -> None:
    """Every item of the plan first assessed on EARLY, the rows written at ``at``."""
    from store.models_faults import ItemFirstAssessedRow

    plan = app.load_plan()
    rows = [
        {"programme_id": plan.programme.id, "item_code": d.item_id, "as_of": EARLY,
         "recorded_at": at}
        for d in plan.deadlines()
    ]  # fmt: skip
    with app.session() as session, session.begin():
        session.execute(ItemFirstAssessedRow.__table__.insert(), rows)


def _make(app: App, args: tuple[str, ...]) -> tuple[int, str]:
    from regie.report_archive import archived

    made = regie("report", *args, "--format", "md", env=cli_env(app))
    assert made.code == 0, made.err
    row = max(archived(app), key=lambda r: r.id)
    return row.id, made.out


@pytest.mark.parametrize("args", [AGENDA, VOORTGANG], ids=["agenda", "voortgang"])
def test_a_day_stored_after_the_report_does_not_change_its_reproduction(
    app: App, args: tuple[str, ...]
) -> None:
    from regie.reports import reproduce

    report_id, text = _make(app, args)
    assert "verouderd" not in text.split("Leeswijzer")[0].lower()  # nobody first assessed yet
    _store_days(app, datetime.now(UTC) + timedelta(seconds=1))  # the catch-up replay after it
    again = reproduce(app, report_id)
    assert again.matches


@pytest.mark.parametrize("args", [AGENDA, VOORTGANG], ids=["agenda", "voortgang"])
def test_a_day_stored_before_the_report_is_read_again_by_reproduce(
    app: App, args: tuple[str, ...]
) -> None:
    """The rows are newer than every update: the data cut-off counts them too."""
    from regie.reports import reproduce

    _store_days(app, datetime.now(UTC))
    report_id, text = _make(app, args)
    assert "verouderd" in text.lower()
    assert reproduce(app, report_id).matches
