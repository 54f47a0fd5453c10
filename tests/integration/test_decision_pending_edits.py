"""walk55a 4: a decision recorded while the plan file has edits not synced yet claims only the
plan revisions it makes itself: `--adds` the creation of the items it adds (an action's with
its milestones), `--set-gereed` its item's date; a text-only decision none. The other pending
edits are recorded as a plain `regie sync` records them, so a view of an earlier day
(`regie status --as-of`) undoes them by the day they were recorded, while the decision's own
date is rewound by its meeting. SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from regie.bootstrap import App
from tests.cli_in_process import regie
from tests.integration.migrated_template import shared_templates
from tests.integration.reports_scenario import cli_env, make_app

FIRST_SYNC = datetime(2015, 9, 30, 8, tzinfo=UTC)
OWNER = (
    '            gereed: "Q4-2015"\n            owners: [PIANOo]\n'
    '            depends_on: ["3.1.1"]\n'
)
NEW = (
    '          - id: "3.1.9"\n            title: Evaluatie behoeftepeiling\n'
    '            gereed: "Q3-2017"\n            owners: [BZ]\n'
)


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    from store import sync_plan

    shared_templates().fill_if_empty(database_url)
    app = make_app(tmp_path / "home", database_url)
    plan = app.load_plan()
    with app.session() as session, session.begin():
        sync_plan(session, plan, now=FIRST_SYNC, plan_path=str(plan.path))
    return app


def _edit_owner(app: App, *, add: bool = False) -> None:
    """3.1.2's owner PIANOo → BZ in the file (and 3.1.9 added after it), not synced."""
    path = Path(app.settings.plan_path)
    text = path.read_text(encoding="utf-8")
    assert text.count(OWNER) == 1
    new = OWNER.replace("[PIANOo]", "[BZ]") + (NEW if add else "")
    path.write_text(text.replace(OWNER, new), encoding="utf-8")


def _decide(app: App, meeting: str, *args: str) -> None:
    done = regie("decision", "add", "--body", "stuurgroep", "--meeting", meeting,
                 "--text", "Besluit", *args, env=cli_env(app))  # fmt: skip
    assert done.code == 0, done.err


def _claimed(app: App) -> list[tuple[str, str, str | None]]:
    """(code, kind, field) of the plan revisions the decisions' audit events name."""
    with app.session() as session:
        payloads = session.execute(
            sa.text("SELECT payload FROM events WHERE name = 'regie.decision.recorded'")
        ).scalars()
        ids = [i for p in payloads for i in (json.loads(p) if isinstance(p, str) else p)
               ["plan_revisions"]]  # fmt: skip
        if not ids:
            return []
        rows = session.execute(
            sa.text("SELECT code, kind, field FROM plan_revisions WHERE id IN :ids ORDER BY id")
            .bindparams(sa.bindparam("ids", expanding=True)),
            {"ids": ids},
        )  # fmt: skip
        return [tuple(r) for r in rows]


def _status(app: App, day: str) -> dict[str, dict[str, object]]:
    done = regie("status", "--as-of", day, "--format", "json", env=cli_env(app))
    assert done.code == 0, done.err
    return {r["id"]: r for r in json.loads(done.out)}


def test_an_addition_claims_only_the_item_it_adds(app: App) -> None:
    _edit_owner(app, add=True)
    _decide(app, "2016-10-11", "--adds", "3.1.9")
    assert _claimed(app) == [("3.1.9", "created", None)]
    # The owner change is a plain edit, recorded today: undone in a view of an earlier day.
    assert _status(app, "2016-06-01")["3.1.2"]["owners"] == ["PIANOo"]
    today = regie("status", "--format", "json", env=cli_env(app))
    assert {r["id"]: r["owners"] for r in json.loads(today.out)}["3.1.2"] == ["BZ"]


def test_a_new_date_claims_only_its_own_revisions(app: App) -> None:
    _edit_owner(app)
    _decide(app, "2015-10-13", "--set-gereed", "3.2", "Q2-2016")
    claimed = _claimed(app)
    assert claimed and {code for code, _, _ in claimed} == {"3.2"}, claimed
    assert ("3.2", "changed", "period") in claimed
    before, after = _status(app, "2015-10-01"), _status(app, "2015-12-01")
    assert before["3.1.2"]["owners"] == after["3.1.2"]["owners"] == ["PIANOo"]
    # The decision's date is rewound by its meeting, not by the day it was recorded.
    assert before["3.2"]["gereed"] == "Q4-2015" and after["3.2"]["gereed"] == "Q2-2016"


def test_a_text_only_decision_claims_no_revision(app: App) -> None:
    _edit_owner(app)
    _decide(app, "2015-10-13", "--item", "3.2")
    assert _claimed(app) == []
    assert _status(app, "2015-12-01")["3.1.2"]["owners"] == ["PIANOo"]
