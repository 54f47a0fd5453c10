"""fix57a 2: an item a decision added (``--adds``) is not in the plan of a day before that
decision's meeting, in `regie status --as-of`, the agenda pack (layout 22) and the progress
report (layout 21), as the deadline check of a replayed day has it since fix56d; from the
meeting on it is. The office wrote 1.3.4 into the plan file and recorded the stuurgroep's
decision of 12 January 2016 that adds it (whose sync created it: the creation is the
decision's, kept, never undone by its time). SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from regie.bootstrap import App
from tests.cli_in_process import regie
from tests.integration.layout_golden import made_at
from tests.integration.reports_scenario import cli_env, migrated_app

MEETING = date(2016, 1, 12)  # a stuurgroep meeting (second Tuesday of the quarter)
ADDED = "1.3.4"
ROW = f"| {ADDED} | Ambassadeur circulaire economie"


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    app = migrated_app(tmp_path / "home", database_url)
    assert regie("sync", env=cli_env(app)).code == 0
    path = Path(str(app.settings.plan_path))
    text = path.read_text(encoding="utf-8")
    old = (
        "            title: Voorzitter Platform Biodiversiteit, Ecosysteemdiensten en Economie\n"
        '            gereed: "Najaar 2015"\n'
    )
    new = old + f'          - id: "{ADDED}"\n            title: Ambassadeur circulaire economie\n'
    new += '            gereed: "Q2-2016"\n'
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    done = regie(
        "decision", "add", "--body", "stuurgroep", "--meeting", MEETING.isoformat(),
        "--adds", ADDED, "--text", "Ambassadeur circulaire economie erbij", env=cli_env(app),
    )  # fmt: skip
    assert done.code == 0, done.err
    return app


def _status_ids(app: App, day: date) -> set[str]:
    shown = regie("status", "--as-of", day.isoformat(), "--format", "json", env=cli_env(app))
    assert shown.code == 0, shown.err
    return {row["id"] for row in json.loads(shown.out)}


def test_status_and_the_daily_check_agree_on_every_day_around_the_meeting(app: App) -> None:
    """`status --as-of` (``plan_as_of`` with the plan's edits) and the deadline check's plan in
    force (:class:`regie.plan_in_force.PlanInForce`) name the same items each day from two
    weeks before the meeting to a week after it: 1.3.4 from the meeting's day on only."""
    from regie.plan_in_force import PlanInForce
    from regie.services import plan_of_day

    plan = app.load_plan()
    in_force = PlanInForce()
    days = [MEETING + timedelta(days=n) for n in range(-14, 8)]
    for day in days:
        with app.session() as session:
            checked, _ = in_force.of(session, plan, day)
        viewed = plan_of_day(app, plan, day)
        ids = {d.item_id for d in checked.deadlines()}
        assert ids == {d.item_id for d in viewed.deadlines()}, day
        assert (ADDED in ids) == (day >= MEETING), day
    for day in (date(2015, 12, 1), MEETING - timedelta(days=1)):
        assert ADDED not in _status_ids(app, day), day
    assert ADDED in _status_ids(app, MEETING)
    assert ADDED in _status_ids(app, date(2016, 2, 1))


def _pack(app: App, monkeypatch: pytest.MonkeyPatch, layout: int, meeting: date) -> str:
    from regie.reports import agenda

    as_of = meeting - timedelta(days=7)
    return made_at(app, monkeypatch, "agenda", layout,
                   lambda: agenda(app, "stuurgroep", meeting, as_of, "md"))  # fmt: skip


def test_a_pack_of_a_day_before_the_meeting_does_not_have_the_item(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pack for the meeting itself, made after the decision as of a week before it: layout
    22 does not know 1.3.4 yet; layout 21 (made again as built) listed it. The next meeting's
    pack has it at both. Each archived and made again byte for byte."""
    from regie.report_build import AGENDA_ADDITIONS_UNDONE_FROM, AGENDA_LAYOUT

    assert AGENDA_LAYOUT >= AGENDA_ADDITIONS_UNDONE_FROM == 22
    old, new = _pack(app, monkeypatch, 21, MEETING), _pack(app, monkeypatch, 22, MEETING)
    assert ROW in old
    assert ADDED not in new
    after = date(2016, 4, 12)
    for layout in (21, 22):
        assert ROW in _pack(app, monkeypatch, layout, after)


def test_a_progress_report_of_a_day_before_the_meeting_does_not_have_the_item(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    from governance.progress import ADDITIONS_UNDONE_FROM, LAYOUT
    from regie.reports import voortgang

    assert LAYOUT >= ADDITIONS_UNDONE_FROM == 21

    def report(layout: int, as_of: date) -> str:
        return made_at(app, monkeypatch, "voortgang", layout,
                       lambda: voortgang(app, date(2015, 10, 1), date(2015, 12, 31), as_of,
                                         "md"))  # fmt: skip

    before = MEETING - timedelta(days=1)
    assert ADDED in report(20, before)
    assert ADDED not in report(21, before)
    assert ADDED in report(21, MEETING)
