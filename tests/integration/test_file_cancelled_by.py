"""An item the plan file drops with ``cancelled_by`` but no recorded decision (a programme
adopting Regie mid-term, a re-sync into a fresh database) is *vervallen* from the date its text
names (review "newprog", finding 4): the sync records the cancellation the decision would have,
so status, the agenda pack and the rounds see it dropped; the pack never both says *vervallen*
and asks for a date. A decision can still restore it, and `decision add --cancel` writes one
cancellation, not two. SQLite and PostgreSQL, through the real commands."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from regie.bootstrap import App
from tests.cli import Result
from tests.cli_in_process import regie
from tests.integration.reports_scenario import cli_env, migrated_app

DROPPED = "besluit Stuurgroep Plan van aanpak MVI, 12 januari 2016"


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    return migrated_app(tmp_path / "home", database_url)  # a copy of the seed plan


def _edit(app: App, old: str, new: str) -> None:
    path = Path(str(app.settings.plan_path))
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _drop_in_file(app: App, item_id: str, gereed: str, text: str = DROPPED) -> None:
    """Write ``cancelled_by`` under the item's gereed, by hand (no decision)."""
    old = f'- id: "{item_id}"\n'
    path = Path(str(app.settings.plan_path))
    source = path.read_text(encoding="utf-8")
    start = source.index(old)
    at = source.index(f'gereed: "{gereed}"\n', start) + len(f'gereed: "{gereed}"\n')
    indent = source[source.rindex("\n", 0, at - 1) + 1 :].split("gereed")[0]
    path.write_text(source[:at] + f'{indent}cancelled_by: "{text}"\n' + source[at:], "utf-8")


def _status(app: App, as_of: date) -> dict[str, dict[str, Any]]:
    shown = regie("status", "--as-of", as_of.isoformat(), "--format", "json", env=cli_env(app))
    assert shown.code == 0, shown.err
    return {row["id"]: row for row in json.loads(shown.out)}


def _cancellations(app: App, item_id: str) -> list[tuple[str, date, str]]:
    import sqlalchemy as sa

    from store.models import StatusUpdateRow as U

    with app.session() as session:
        rows = session.execute(
            sa.select(U.status, U.reported_on, U.source)
            .where(U.item_code == item_id)
            .order_by(U.id)
        ).tuples()
        return [(s, r, src) for s, r, src in rows]


def _decide(app: App, meeting: str, text: str, *args: str) -> Result:
    return regie("decision", "add", "--body", "stuurgroep", "--meeting", meeting, "--text", text,
                 *args, env=cli_env(app))  # fmt: skip


def _pack(app: App, meeting: str, as_of: str) -> str:
    pack = regie("report", "agenda", "--body", "stuurgroep", "--meeting", meeting,
                 "--as-of", as_of, "--format", "md", env=cli_env(app))  # fmt: skip
    assert pack.code == 0, pack.err
    return pack.out


def test_cancelled_by_in_the_file_drops_the_item_from_its_date(app: App) -> None:
    _drop_in_file(app, "3.6.1", "Ntb")
    synced = regie("sync", env=cli_env(app))
    assert synced.code == 0, synced.err
    assert "cancelled as the plan file says (cancelled_by): 3.6.1" in synced.out
    assert _cancellations(app, "3.6.1") == [("cancelled", date(2016, 1, 12), "decision")]

    assert _status(app, date(2016, 1, 11))["3.6.1"]["state"] == "undated"
    assert _status(app, date(2016, 2, 1))["3.6.1"]["state"] == "cancelled"
    assert _status(app, date(2016, 2, 1))["3.6.2"]["state"] == "undated"  # its sibling stays

    pack = _pack(app, "2016-04-12", "2016-04-01")
    assert "Datum vaststellen voor 3.6.1?" not in pack
    assert "Datum vaststellen voor 3.6.2?" in pack

    # Synced again (unchanged file, or a later edit elsewhere): nothing more is written.
    again = regie("sync", env=cli_env(app))
    assert again.code == 0 and "cancelled as" not in again.out
    _edit(app, "title: Lanceren innovatiemarkt\n", "title: Lanceren de innovatiemarkt\n")
    assert regie("sync", env=cli_env(app)).code == 0
    assert len(_cancellations(app, "3.6.1")) == 1

    # A later decision brings it back; the sync does not drop it again.
    restored = _decide(app, "2016-04-12", "3.6.1 gaat toch door", "--restore", "3.6.1")
    assert restored.code == 0, restored.err
    assert _status(app, date(2016, 5, 2))["3.6.1"]["state"] == "undated"
    assert regie("sync", env=cli_env(app)).code == 0
    assert [s for s, _, _ in _cancellations(app, "3.6.1")] == ["cancelled", "on_track"]


def test_an_action_dropped_in_the_file_drops_its_open_milestones(app: App) -> None:
    # 3.6 has no gereed of its own in the seed: the drop goes under its title.
    _edit(
        app,
        "title: Lessen innovatiegericht inkopen delen\n",
        f'title: Lessen innovatiegericht inkopen delen\n        cancelled_by: "{DROPPED}"\n',
    )
    assert regie("sync", env=cli_env(app)).code == 0
    now = _status(app, date(2016, 2, 1))
    assert (now["3.6.1"]["state"], now["3.6.2"]["state"]) == ("cancelled", "cancelled")
    # Restoring the action brings back the milestones its (file's) drop cancelled.
    restored = _decide(app, "2016-04-12", "3.6 gaat toch door", "--restore", "3.6")
    assert restored.code == 0, restored.err
    assert "restored with it: 3.6.1, 3.6.2" in restored.out
    later = _status(app, date(2016, 5, 2))
    assert (later["3.6.1"]["state"], later["3.6.2"]["state"]) == ("undated", "undated")


def test_a_decision_that_cancels_writes_one_cancellation(app: App) -> None:
    assert regie("sync", env=cli_env(app)).code == 0
    dropped = _decide(app, "2016-04-12", "3.6.2 vervalt", "--cancel", "3.6.2")
    assert dropped.code == 0, dropped.err
    assert _cancellations(app, "3.6.2") == [("cancelled", date(2016, 4, 12), "decision")]
    assert regie("sync", env=cli_env(app)).code == 0
    assert len(_cancellations(app, "3.6.2")) == 1


def test_the_incremental_cycle_equals_a_full_assessment_when_the_file_drops_items(
    tmp_path: Path, database_url: str
) -> None:
    """The cycle's sync records the file's drops (a milestone, and an action with its
    milestones, dropped back-dated from 1 October 2015 by decisions the register holds) in the
    middle of a run of days: every day the incremental step stores what a full assessment of
    every item says."""
    import dataclasses
    from datetime import timedelta

    from governance.planfile.load import load_plan
    from regie.cycle import deadline_check
    from tests.conftest import SEED_PLAN
    from tests.integration.test_cycle import make_app
    from tests.integration.test_daily import _assert_day_is_full_assessment

    text = "besluit Stuurgroep Plan van aanpak MVI, 1 oktober 2015"
    seed = load_plan(SEED_PLAN)

    def dropped(plan: Any) -> Any:
        steps = []
        for s in plan.steps:
            actions = []
            for a in s.actions:
                if a.id == "2.1":
                    a = dataclasses.replace(a, cancelled_by=text)
                milestones = tuple(
                    dataclasses.replace(m, cancelled_by=text) if m.id == "3.5.1" else m
                    for m in a.milestones
                )
                actions.append(dataclasses.replace(a, milestones=milestones))
            steps.append(dataclasses.replace(s, actions=tuple(actions)))
        return dataclasses.replace(plan, steps=tuple(steps), source_hash="dropped")

    app = make_app(tmp_path, database_url)
    day, last, edit = date(2015, 9, 28), date(2015, 10, 30), date(2015, 10, 14)
    incremental = 0
    while day <= last:
        plan = dropped(seed) if day >= edit else seed
        report = deadline_check(app, day, plan=plan)
        if day == date(2015, 9, 28):  # the programme is stored now
            _register_drops(app, date(2015, 10, 1), "2.1", "3.5.1")
        incremental += report.assessed < len(plan.deadlines())
        _assert_day_is_full_assessment(app, report, plan, day)
        if day == edit:
            assert "cancelled as the plan file says (cancelled_by): 2.1.1" in report.synced
            assert report.counts.get("cancelled", 0) >= 3, report.counts
        day += timedelta(days=1)
    assert incremental > 20


def _register_drops(app: App, meeting: date, *items: str) -> None:
    """Decisions of the stuurgroep to drop ``items``, in the register only (the plan file is
    edited by the caller): a ``cancelled_by`` typed in after the first sync counts as the
    body's decision only when it names one the register holds (walk58b 1)."""
    from governance.decisions import Decision, DecisionKind
    from store.reports_repo import ReportsRepository

    with app.session() as session, session.begin():
        repo = ReportsRepository(session, app.programme_id())
        for item in items:
            repo.add_decision(Decision("stuurgroep", meeting, DecisionKind.CANCEL, "vervalt", item))
