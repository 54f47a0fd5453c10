"""A ``cancelled_by`` or ``revised_by`` typed into the plan after its first sync that names no
decision the register holds (walk58b 1) is the office's plan edit, not the body's decision:
`plan validate` and the sync warn about it; the cancellation it makes is dated on the sync's
day, has source ``plan`` and no author, and is a plan revision with who and when. A text that
names a decision of the register still counts as that decision. SQLite and PostgreSQL, through
the real commands (the plan as first synced: tests/integration/test_file_cancelled_by.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from regie.bootstrap import App
from tests.cli_in_process import regie
from tests.integration.reports_scenario import cli_env, migrated_app
from tests.integration.test_file_cancelled_by import _drop_in_file, _edit, _status

TEXT = "besluit Stuurgroep Plan van aanpak MVI, 12 januari 2016"


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    app = migrated_app(tmp_path / "home", database_url)  # a copy of the seed plan
    first = regie("sync", env=cli_env(app))
    assert first.code == 0, first.err
    return app


def _env(app: App) -> dict[str, str]:
    return {**cli_env(app), "REGIE_OPERATOR": "bureau-jan"}


def _updates(app: App, item_id: str) -> list[dict[str, Any]]:
    from store.models import StatusUpdateRow as U

    with app.session() as session:
        rows = session.execute(sa.select(U).where(U.item_code == item_id).order_by(U.id))
        return [
            {
                "status": u.status,
                "reported_on": u.reported_on,
                "source": u.source,
                "author": u.author,
                "recorded_by": u.recorded_by,
                "recorded_at": u.recorded_at,
            }
            for u in rows.scalars()
        ]


def _revisions(app: App, item_id: str) -> list[tuple[str, Any, Any, str | None]]:
    from store.models import PlanRevisionRow as R

    with app.session() as session:
        rows = session.execute(
            sa.select(R.field, R.before, R.after, R.recorded_by)
            .where(R.code == item_id, R.kind == "changed")
            .order_by(R.id)
        )
        return [(f, b, a, by) for f, b, a, by in rows.tuples()]


def test_a_cancelled_by_typed_in_later_is_the_offices_plan_edit(app: App) -> None:
    from regie.services import today

    _drop_in_file(app, "3.6.1", "Ntb", TEXT)

    checked = regie("plan", "validate", env=_env(app))
    assert checked.code == 0, checked.err
    assert "3.6.1 cancelled_by: " in checked.out
    assert "names no decision the register holds" in checked.out
    assert "3.6.2 cancelled_by" not in checked.out  # its sibling is not dropped

    synced = regie("sync", env=_env(app))
    assert synced.code == 0, synced.err
    assert "cancelled as the plan file says (cancelled_by): 3.6.1" in synced.out
    assert "3.6.1 cancelled_by: " in synced.out and "names no decision" in synced.out

    (update,) = _updates(app, "3.6.1")
    day = today(app, app.load_plan())
    # Dated when recorded (the day the sync files its events under), not on the text's day;
    # nobody's decision: no author, the operator recorded it.
    assert update["status"] == "cancelled"
    assert update["reported_on"] == day
    assert (update["source"], update["author"]) == ("plan", None)
    assert update["recorded_by"] == "bureau-jan"
    assert _revisions(app, "3.6.1") == [("cancelled_by", None, TEXT, "bureau-jan")]

    # Before the day it was typed in the item was not dropped, also not from the text's day.
    assert _status(app, date(2016, 2, 1))["3.6.1"]["state"] == "undated"
    assert _status(app, day)["3.6.1"]["state"] == "cancelled"

    # The file as synced now: no more warnings, nothing written twice.
    assert "names no decision" not in regie("plan", "validate", env=_env(app)).out
    again = regie("sync", env=_env(app))
    assert again.code == 0 and "cancelled as" not in again.out
    assert len(_updates(app, "3.6.1")) == 1


def test_a_cancelled_by_naming_a_decision_of_the_register_is_that_decision(app: App) -> None:
    from governance.decisions import Decision, DecisionKind
    from store.reports_repo import ReportsRepository

    with app.session() as session, session.begin():
        ReportsRepository(session, app.programme_id()).add_decision(
            Decision("stuurgroep", date(2016, 1, 12), DecisionKind.CANCEL, "vervalt", "3.6.1")
        )
    _drop_in_file(app, "3.6.1", "Ntb", TEXT)
    assert "names no decision" not in regie("plan", "validate", env=_env(app)).out
    synced = regie("sync", env=_env(app))
    assert synced.code == 0, synced.err
    assert "names no decision" not in synced.out
    (update,) = _updates(app, "3.6.1")
    assert (update["reported_on"], update["source"]) == (date(2016, 1, 12), "decision")
    assert update["author"] == "stuurgroep"
    assert _revisions(app, "3.6.1") == []


def test_a_revised_by_typed_in_later_is_warned_about(app: App) -> None:
    _edit(
        app,
        '            gereed: "Q3-2015"\n            note: >-\n              Telos verkent',
        '            gereed: "Q2-2016"\n            gereed_original: "Q3-2015"\n'
        f'            revised_by: "{TEXT}"\n            note: >-\n              Telos verkent',
    )
    checked = regie("plan", "validate", env=_env(app))
    assert checked.code == 0, checked.err
    assert "2.3.2 revised_by: " in checked.out and "names no decision" in checked.out
    synced = regie("sync", env=_env(app))
    assert synced.code == 0, synced.err
    assert "2.3.2 revised_by: " in synced.out and "names no decision" in synced.out


def test_the_item_page_shows_the_plan_edit(tmp_path: Path, migrated_url: str) -> None:
    """*Bron*: the plan file, without a decision; *Door*: nobody's decision, the operator
    recorded it; *Planwijzigingen*: the ``cancelled_by`` text, recorded with who and when."""
    from regie.services import sync
    from store.actor import acting_as
    from tests.integration.test_item_page_decision_author import _app, _client
    from tests.integration.test_web_item_page import visible

    app = _app(tmp_path, migrated_url)
    sync(app, None)
    _drop_in_file(app, "3.6.1", "Ntb", TEXT)
    with acting_as("bureau-jan"):
        assert "names no decision" in sync(app, None)
    page = _client(app).get("/items/3.6.1")
    assert page.status_code == 200, page.text
    text = visible(page.text)
    assert "planbestand, zonder besluit" in text
    assert "vervallen (zonder besluit)" in text and TEXT in text
    assert "Stuurgroep Plan van aanpak MVI (stuurgroep)" not in text
