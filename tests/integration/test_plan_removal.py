"""An item deleted from the plan file without a decision does not go unnoticed (review
"newprog", finding 3): `regie sync` (and the cycle's sync) and `regie plan validate` warn, as
for a date moved without one; the agenda pack's *Sinds de vorige vergadering* names the item by
its title (from the plan's revisions) and says *zonder besluit*; *Ter besluitvorming* puts the
removal to the body until a decision about the item (`decision add --item`, which may name an
item no longer in the plan) answers it. An item dropped by a decision and then tidied out of
the file is not asked about. SQLite and PostgreSQL.

The plan is synced at chosen moments (``sync_plan(now=…)``): the first sync, then the edit on
19 December 2016 that deletes milestone 3.5.2 and action 3.6 (with 3.6.1 and 3.6.2)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from regie.bootstrap import App
from regie.reports import agenda_formats, agenda_pack
from reports.render import asked_question
from tests.cli_in_process import regie
from tests.integration.migrated_template import shared_templates
from tests.integration.reports_scenario import cli_env, make_app

FIRST_SYNC = datetime(2015, 9, 30, 8, tzinfo=UTC)
EDITED = datetime(2016, 12, 19, 10, tzinfo=UTC)
MEETING, AS_OF = date(2017, 1, 10), date(2017, 1, 3)
NEXT, NEXT_AS_OF = date(2017, 4, 11), date(2017, 4, 4)

MILESTONE_352 = """          - id: "3.5.2"
            title: Bijeenkomst
            gereed: "Q4 -2015"
"""
ACTION_36_START = '      - id: "3.6"\n'
ACTION_37_START = '      - id: "3.7"\n'


def _sync(app: App, now: datetime) -> list[str]:
    from regie.services import sync_warnings
    from store import sync_plan

    plan = app.load_plan()
    with app.session() as session, session.begin():
        result = sync_plan(session, plan, now=now, plan_path=str(plan.path))
        return sync_warnings(session, plan, result)


def _delete(app: App) -> None:
    path = Path(app.settings.plan_path)
    text = path.read_text(encoding="utf-8")
    assert text.count(MILESTONE_352) == 1
    text = text.replace(MILESTONE_352, "")
    start, end = text.index(ACTION_36_START), text.index(ACTION_37_START)
    path.write_text(text[:start] + text[end:], encoding="utf-8")


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:

    shared_templates().fill_if_empty(database_url)  # empty: a copy of the migrated template
    app = make_app(tmp_path / "home", database_url)
    assert _sync(app, FIRST_SYNC) == []
    _delete(app)
    return app


def test_validate_and_sync_warn_about_an_item_removed_without_a_decision(app: App) -> None:
    validated = regie("plan", "validate", env=cli_env(app))
    assert validated.code == 0, validated.err
    pending = [x for x in validated.out.splitlines() if "syncing removes it" in x]
    assert len(pending) == 2, validated.out
    first = "3.5.2 'Bijeenkomst' is not in the file: syncing removes it without a recorded"
    assert first in pending[0]
    assert "3.6 'Lessen innovatiegericht inkopen delen' (with 3.6.1, 3.6.2) is not" in pending[1]

    warnings = _sync(app, EDITED)
    assert len(warnings) == 2, warnings
    assert "3.5.2 'Bijeenkomst' removed from the plan without a recorded decision" in warnings[0]
    assert "regie decision add --cancel 3.5.2" in warnings[0]
    action = "3.6 'Lessen innovatiegericht inkopen delen' (with 3.6.1, 3.6.2) removed"
    assert action in warnings[1]
    # Synced: nothing left to warn about in the file.
    validated = regie("plan", "validate", env=cli_env(app))
    assert "syncing removes it" not in validated.out


def test_an_item_dropped_by_a_decision_then_removed_is_no_warning(
    tmp_path: Path, database_url: str
) -> None:
    from regie.decisions import add_decision

    shared_templates().fill_if_empty(database_url)  # empty: a copy of the migrated template
    app = make_app(tmp_path / "home", database_url)
    _sync(app, FIRST_SYNC)
    add_decision(app, "stuurgroep", date(2016, 4, 12), "3.5.2 vervalt", cancel="3.5.2")
    path = Path(app.settings.plan_path)
    text = path.read_text(encoding="utf-8")
    start = text.index('          - id: "3.5.2"\n')
    end = text.index(ACTION_36_START)
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    assert _sync(app, datetime.now(UTC)) == []


def test_the_pack_names_the_removed_item_and_puts_the_removal_to_the_body(app: App) -> None:
    from regie.decisions import add_decision

    _sync(app, EDITED)
    pack = agenda_pack(app, "stuurgroep", MEETING, AS_OF)
    assert pack.since_last is not None
    removed = {e.item_id: e for e in pack.since_last.entries if e.kind == "removed"}
    assert removed["3.5.2"].title == "Bijeenkomst"
    assert removed["3.6"].title == "Lessen innovatiegericht inkopen delen"
    assert removed["3.6.1"].title == "Uitvoeren analyse"
    assert all(e.decided_by is None for e in removed.values())

    asked = {a.item.item_id: a for a in pack.asked}
    assert asked["3.5.2"].reason == "removed"
    assert asked_question(asked["3.5.2"]) == "Verwijdering van 3.5.2 uit het plan accorderen?"
    assert (asked["3.5.2"].item.title, asked["3.5.2"].item.gereed) == ("Bijeenkomst", "Q4 -2015")
    assert asked_question(asked["3.6"]) == (
        "Verwijdering van 3.6 (met 3.6.1, 3.6.2) uit het plan accorderen?"
    )
    assert "3.6.1" not in asked  # asked once, with its action

    text = agenda_formats(app, "stuurgroep", MEETING, AS_OF, ("md",), archive=False)[0]
    md = text.content.decode()
    assert "| 3.5.2 | Bijeenkomst | uit het plan verwijderd zonder besluit (vastgelegd op" in md
    assert "**Verwijdering van 3.5.2 uit het plan accorderen?**" in md
    html = agenda_formats(app, "stuurgroep", MEETING, AS_OF, ("html",), archive=False)[0]
    assert "Verwijdering van 3.6 (met 3.6.1, 3.6.2) uit het plan accorderen?" in (
        html.content.decode()
    )

    # The body's decision about the removal (the item is no longer in the plan) answers it.
    add_decision(app, "stuurgroep", MEETING, "Verwijdering 3.5.2 geaccordeerd", item_id="3.5.2")
    later = agenda_pack(app, "stuurgroep", NEXT, NEXT_AS_OF)
    asked = {a.item.item_id: a for a in later.asked}
    assert "3.5.2" not in asked and asked["3.6"].reason == "removed"
    taken = next(d for d in later.decisions if d.decision.item_id == "3.5.2")
    assert taken.item_title == "Bijeenkomst"  # named as it left the plan
