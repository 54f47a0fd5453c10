"""An action given a gereed of its own no longer lends its ``depends_on`` to its milestones
(docs/plan-schema.md, "Dependencies"): `decision add --set-gereed` and `plan validate` say so.
The seed's action 2.1 has no gereed and depended on 2.2 and 2.3, which its three milestones
inherited, until walk57a 2 narrowed it to what Bijlage 2 says: these tests read the seed as it
was (:mod:`tests.golden_seed`). SQLite and PostgreSQL (the ``database_url`` fixture), on a copy
of that plan."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from governance.decisions import ended_inheritance, inherited_dependencies
from governance.planfile import load_plan, parse_plan
from regie import services
from regie.bootstrap import App
from regie.decisions import add_decision
from store import sync_plan
from tests.conftest import SEED_PLAN
from tests.golden_seed import golden_seed_text, write_golden_seed
from tests.integration.migrated_template import shared_templates
from tests.integration.reports_scenario import DECISION_MEETING, make_app

NOTE = "note: 2.1's milestones no longer wait on 2.2, 2.3 (the action now has its own gereed)"
ACTION = """      - id: "2.1"
        group: Ontwikkelen systematiek voor monitoring en benchmarking
        title: Ontwikkelen systematiek benchmark op organisatieontwikkelingsniveau
"""
DATED = f'{ACTION}        gereed: "Q4-2016"\n'


def _app(tmp_path: Path, database_url: str) -> App:

    shared_templates().fill_if_empty(database_url)  # empty: a copy of the migrated template
    return make_app(tmp_path / "home", database_url, golden=True)


def test_a_decision_that_dates_the_action_says_its_milestones_stop_waiting(
    tmp_path: Path, database_url: str
) -> None:
    app = _app(tmp_path, database_url)
    lines = add_decision(
        app, "stuurgroep", DECISION_MEETING, "Eigen datum", set_gereed=("2.1", "Q4-2016")
    )
    assert lines[-1] == NOTE, lines
    # The action has a gereed of its own now: a later decision moves it without a note.
    again = add_decision(app, "stuurgroep", DECISION_MEETING, "Later", set_gereed=("2.1", "2017"))
    assert not [x for x in again if x.startswith("note:")], again


def test_plan_validate_notes_an_edit_that_dates_the_action(
    tmp_path: Path, database_url: str
) -> None:
    app = _app(tmp_path, database_url)
    plan = app.load_plan()
    with app.session() as session, session.begin():
        sync_plan(session, plan, now=datetime(2016, 1, 4, tzinfo=UTC), plan_path=str(plan.path))
    assert NOTE not in services.validate(app, None)
    path = Path(str(plan.path))
    text = path.read_text(encoding="utf-8")
    assert ACTION in text
    path.write_text(text.replace(ACTION, DATED), "utf-8")
    assert NOTE in services.validate(app, None).splitlines()


def test_a_milestone_that_names_an_id_itself_keeps_waiting_on_it(tmp_path: Path) -> None:
    seed = load_plan(write_golden_seed(tmp_path / "actions.yaml"))
    before = inherited_dependencies(seed)
    assert before["2.1"] == ("2.2", "2.3")
    text = golden_seed_text().replace(ACTION, DATED)
    text = text.replace('depends_on: ["2.1.1", "2.3.2"]', 'depends_on: ["2.1.1", "2.3"]')
    after = parse_plan(text, str(SEED_PLAN))
    assert ended_inheritance(after, before) == [
        "note: 2.1's milestones no longer wait on what it depends on (the action now has its "
        "own gereed): 2.1.1 on 2.2, 2.3; 2.1.2 on 2.2; 2.1.3 on 2.2, 2.3"
    ]
    assert ended_inheritance(seed, before) == []
