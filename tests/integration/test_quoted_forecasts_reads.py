"""perf56c: the cycle's quoted forecasts (walk56a 3) read less and quote the same. The plan
revisions of the items asked about only, the decisions the cycle read already, the forecast
rows only where the latest update gave no forecast itself, and no entry for an item without a
standing forecast: every message quotes what fix56g's reads gave (every decision and revision,
an entry for every answered item), checked through :func:`regie.messages._quoted` on days
before and after a decision and plan-file edits, for a full assessment's items and for an
incremental run's memory copies (no forecast, no note on the latest update). SQLite and
PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from governance.assessment import assess
from governance.assessor import ItemAssessment
from governance.forecasts import QuotedForecast, forecasts_in_force, quoted_forecast
from governance.plan import Plan
from governance.provenance import RevisionFact, due_changes
from regie.bootstrap import App
from regie.forecasts import quoted_forecasts
from regie.messages import _quoted
from regie.plan_in_force import PlanInForce
from store import reports_read
from store.assessment_query import assessment_updates
from store.dialect import reader
from store.forecasts_given import forecasts_given
from tests.cli_in_process import regie
from tests.integration.feed_clients import synced_app
from tests.integration.migrated_template import copy_recorded, shared_templates

PID = "zorg-test"


def _run(app: App, *args: str) -> None:
    env = {
        "REGIE_HOME": str(app.settings.home),
        "REGIE_PLAN": str(app.settings.plan_path),
        "REGIE_DATABASE_URL": app.settings.database_url,
    }
    done = regie(*args, env=env)
    assert done.code == 0, done.err


def _edit(app: App, old: str, new: str) -> None:
    """A plan-file edit of a due date without a decision, synced (a plan revision)."""
    path = Path(app.settings.plan_path)
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    _run(app, "sync")


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    """The history of :func:`_record`, recorded once per worker and database kind and copied
    for each test (:func:`copy_recorded`; the copied folder holds the plan and the home)."""
    copy_recorded("quoted-forecasts", tmp_path / "r", database_url, _record, plan_file="plan.yaml")
    return synced_app(tmp_path / "r", database_url, sync=False)


def _record(folder: Path, database_url: str) -> None:
    """1.1.2 (18 april 2016): a forecast, a decision of 29 March that moves the date, then an
    update without one. 1.1.3: a forecast, then an update without one, then the plan file
    moves the date. 2.1: a forecast its latest update gives itself, the date moved in the file
    later. 1.1.1: answered, never a forecast. 1.1.6: its date edited, never answered."""
    shared_templates().fill_if_empty(database_url)
    folder.mkdir()
    app = synced_app(folder, database_url)
    _run(app, "update", "1.1.2", "-s", "at_risk", "--forecast", "2016-05-20",
         "--comment", "Vertraging", "--as-of", "2016-01-05")  # fmt: skip
    _run(app, "update", "1.1.3", "-s", "on_track", "--forecast", "2017-05-01",
         "--comment", "Later", "--as-of", "2016-02-01")  # fmt: skip
    _run(app, "update", "2.1", "-s", "at_risk", "--forecast", "2016-09-01",
         "--comment", "Eerst", "--as-of", "2016-02-02")  # fmt: skip
    _run(app, "update", "1.1.1", "-s", "at_risk", "--comment", "Zonder datum",
         "--as-of", "2016-02-03")  # fmt: skip
    _run(app, "update", "1.1.3", "-s", "at_risk", "--comment", "Geen datum",
         "--as-of", "2016-03-01")  # fmt: skip
    _run(app, "decision", "add", "--body", "regieteam", "--meeting", "2016-03-29",
         "--text", "Naar Q2-2016", "--set-gereed", "1.1.2", "Q2-2016")  # fmt: skip
    _run(app, "update", "1.1.2", "-s", "at_risk", "--comment", "Nog steeds",
         "--as-of", "2016-04-10")  # fmt: skip
    _run(app, "update", "2.1", "-s", "at_risk", "--forecast", "2016-10-01",
         "--comment", "Dan", "--as-of", "2016-05-02")  # fmt: skip
    _edit(app, "gereed: Q4-2016/Q1-2017", "gereed: Q2-2017")
    _edit(app, 'gereed: "2016"', 'gereed: "2017"')
    _edit(app, "gereed: Ntb", "gereed: Q4-2017")


def _reference(app: App, plan: Plan, items: list[ItemAssessment], as_of: date) -> dict:
    """fix56g's reads: every decision and plan revision, the forecast rows of every item with
    a standing forecast, an entry for every item with a latest update."""
    with app.session() as session:
        connection = reader(session)
        decisions = reports_read.decisions(connection, PID)
        revisions = reports_read.plan_revisions(connection, PID)
        moved = due_changes([RevisionFact(*r) for r in revisions], decisions)
        answered = [i for i in items if i.latest_update is not None]
        in_force = forecasts_in_force(plan, answered, decisions, moved, as_of)
        standing = [i.item_id for i in answered if i.forecast is not None]
        given = forecasts_given(session, PID, standing, as_of)
    out = {}
    for i in answered:
        assert i.latest_update is not None
        found = quoted_forecast(i.latest_update, given.get(i.item_id), in_force.get(i.item_id))
        out[i.item_id] = found
    return out


def _as_remembered(item: ItemAssessment) -> ItemAssessment:
    """The item as an incremental run has it: its latest update from the memory, which holds
    neither the update's forecast nor its note."""
    if item.latest_update is None:
        return item
    return replace(item, latest_update=replace(item.latest_update, forecast=None, comment=None))


def _items(app: App, plan: Plan, as_of: date) -> list[ItemAssessment]:
    with app.session() as session:
        updates = assessment_updates(session, PID, as_of)
    return list(assess(plan, updates, as_of).items.values())


def _days() -> list[date]:
    from governance.clock import utcnow

    # Before and after the decision; after the plan-file edits (stamped with today's sync).
    return [date(2016, 3, 1), date(2016, 6, 1), utcnow().date() + timedelta(days=1)]


def test_the_cycles_reads_quote_every_item_as_before(app: App) -> None:
    plan = app.load_plan()
    seen: set[tuple[str, str]] = set()
    for as_of in _days():
        full = _items(app, plan, as_of)
        for items in (full, [_as_remembered(i) for i in full]):
            wanted = _reference(app, plan, items, as_of)
            with app.session() as session:
                decided = PlanInForce().decisions(session, PID)
                for found in (
                    quoted_forecasts(session, plan, items, as_of),
                    quoted_forecasts(session, plan, items, as_of, decisions=decided),
                ):
                    quoted = {i.item_id: _quoted(found, i) for i in items if i.latest_update}
                    assert quoted == wanted, as_of
                    assert set(found) < set(wanted)  # the items without a forecast left out
            seen.update((i.item_id, _kind(i, wanted[i.item_id])) for i in items if i.latest_update)
    # The scenario quotes each kind: an own forecast, an earlier one with its day, one
    # superseded (a decision, a plan-file edit), and none at all.
    assert {k for _, k in seen} == {"own", "earlier", "superseded", "none"}, seen
    assert {("1.1.2", "superseded"), ("1.1.3", "earlier"), ("1.1.3", "superseded")} <= seen


def _kind(item: ItemAssessment, q: QuotedForecast) -> str:
    if item.forecast is None:
        return "none"
    if q.own is not None:
        return "own"
    if q.earlier_on is not None:
        return "earlier"
    return "superseded" if q.standing is None else "other"


def test_the_revisions_of_some_items_are_those_of_all(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In the same order, also when the codes are asked in several statements."""
    with app.session() as session:
        connection = reader(session)
        every = reports_read.plan_revisions(connection, PID)
        assert {r[0] for r in every} == {"1.1.2", "1.1.3", "2.1", "1.1.6"}
        for codes in (["1.1.3", "2.1"], ["2.1", "1.1.6", "9.9"], ["1.1.2"], []):
            wanted = [r for r in every if r[0] in codes]
            assert reports_read.plan_revisions(connection, PID, codes=codes) == wanted
            monkeypatch.setattr(reports_read, "_CODES", 1)
            assert reports_read.plan_revisions(connection, PID, codes=codes) == wanted
            monkeypatch.undo()


def test_the_views_read_their_items_revisions_and_show_the_same(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """fix57e 4: `regie status` (also filtered), the office's pages and the calendar feeds read
    the plan revisions of the items they show with a forecast (few), not every one; every row
    is what reading every revision gave (``FEW_ITEMS`` below zero: the old read)."""
    import regie.forecasts
    from regie.office import overview
    from regie.services import status_rows

    asked: list[object] = []
    read = reports_read.plan_revisions

    def spy(*args: object, codes: object = None, **kwargs: object) -> object:
        asked.append(codes)
        return read(*args, codes=codes, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(reports_read, "plan_revisions", spy)
    plan = app.load_plan()
    owner = next(a for a in plan.actions() if a.id == "1.1").owners[0]
    forecasts = set()
    for as_of in _days():
        shown = [status_rows(app, as_of), status_rows(app, as_of, owner=owner)]
        pages = [overview(app, as_of), overview(app, as_of, owner=owner)]
        assert asked and all(codes is not None for codes in asked), asked
        forecasts |= {row["forecast"] for row in shown[0][1]}
        asked.clear()
        monkeypatch.setattr(regie.forecasts, "FEW_ITEMS", -1)
        assert [status_rows(app, as_of), status_rows(app, as_of, owner=owner)] == shown
        assert [overview(app, as_of), overview(app, as_of, owner=owner)] == pages
        assert asked and all(codes is None for codes in asked), asked
        asked.clear()
        monkeypatch.setattr(regie.forecasts, "FEW_ITEMS", 2000)
    assert len(forecasts - {None}) >= 2, forecasts  # the rows show forecasts in force
