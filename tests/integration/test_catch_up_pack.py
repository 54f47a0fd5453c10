"""Agenda layout 19 (walk54 2, 3), golden files in Markdown and HTML, on the example plan. The
stuurgroep meets on 9 July and 8 October 2026 (and 14 January 2027); the meeting preparation
sends July's pack as of 2 July. 2.1.1 (*Ntb*) and 2.1.2 (waits on it) are reported at risk on
15 June. After July's pack: 1.1.1 is finished on 6 July (before the meeting), and 1.1.2's finish
on 30 June is recorded only after the pack went out.

Layout 19 asks *Datum vaststellen voor 2.1.1?* and *Termijn vaststellen voor 2.1.2, …?* though
both are at risk, and its *Sinds de vorige vergadering* (9 July) lists both finishes, marked
*nog niet in het vorige agendapakket*; layout 18 asked neither and listed neither. January's
pack, after October's went out, lists them no more (once). The layout-18 golden files were made
by the code before walk54 (main at eec5a49); each layout is made again byte for byte, archived
and reproduced. ``REGIE_UPDATE_GOLDEN=1`` writes the current layout's files."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from regie.bootstrap import App
from tests.cli import ROOT
from tests.integration.layout_golden import made_at
from tests.integration.migrated_template import copy_recorded
from tests.integration.reports_scenario import make_app, migrated_app

EXAMPLE = ROOT / "docs" / "examples" / "eigen-programma.yaml"
JULY, OCTOBER, JANUARY = date(2026, 7, 9), date(2026, 10, 8), date(2027, 1, 14)
JULY_PACK, OCTOBER_PACK, JANUARY_PACK = date(2026, 7, 2), date(2026, 10, 1), date(2027, 1, 7)
RISK = date(2026, 6, 15)
LAYOUT_ONLY = pytest.mark.one_database("the documents' layout, from the md documents' SQL")
MARK = "(nog niet in het vorige agendapakket)"
INTRO = (
    "Wat er is veranderd sinds de vorige vergadering (9 juli 2026), tot en met 1 oktober 2026. "
    "Ook opgenomen, gemarkeerd met „nog niet in het vorige agendapakket”: wat vóór die "
    "vergadering gebeurde of werd vastgelegd, maar nog niet in het agendapakket voor die "
    "vergadering stond (stand 2 juli 2026)."
)


def _record(app: App, item_id: str, status: str, on: date, at: datetime, **more: date) -> None:
    from governance.answers import OFFICE, AnswerInput
    from regie.answers import check_answer, store_answers

    plan = app.load_plan()
    answer = AnswerInput(item_id, status, more.get("forecast"), more.get("completed_on"), None)
    update = check_answer(plan, answer, OFFICE, on)
    store_answers(app, plan, [replace(update, source="cli", recorded_at=at)])


#: Regie's clock for this file: the golden files hold the day the late finish was recorded
#: (*vastgelegd op 07-12-2026*), the day they were made; with the wall clock they failed on
#: every other day, and after 23:00 UTC (the office's next day) on that one too.
NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("governance.clock.utcnow", lambda: NOW)


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    """The example plan synced; the risks; July's pack sent; the two finishes after it
    (recorded once per worker and database kind, copied for each test: :func:`copy_recorded`)."""
    home = tmp_path / "home"
    copy_recorded("catch-up-pack", home, database_url, _record_finishes)
    return make_app(home, database_url)


def _record_finishes(home: Path, database_url: str) -> None:
    from regie.prepare import prepare_meetings
    from store import sync_plan

    home.mkdir()
    shutil.copyfile(EXAMPLE, home / "actions.yaml")
    app = migrated_app(home, database_url)
    plan = app.load_plan()
    synced = datetime(2026, 6, 1, 9, tzinfo=UTC)  # fixed: the documents show no wall clock
    with app.session() as session, session.begin():
        sync_plan(session, plan, now=synced, plan_path=str(plan.path))
    noon = datetime.combine(RISK, time(12), UTC)
    _record(app, "2.1.1", "at_risk", RISK, noon)
    _record(app, "2.1.2", "at_risk", RISK, noon)
    assert prepare_meetings(app, JULY_PACK).packs  # July's pack goes out
    finished = date(2026, 7, 6)  # after the pack's day, before the meeting
    _record(app, "1.1.1", "done", finished, datetime.combine(finished, time(12), UTC),
            completed_on=finished)  # fmt: skip
    late = NOW  # after July's pack was archived (Regie's clock's moment)
    _record(app, "1.1.2", "done", JULY, late, completed_on=date(2026, 6, 30))


def _made(app: App, monkeypatch: pytest.MonkeyPatch, layout: int, fmt: str) -> str:
    """October's pack at ``layout``, equal to its golden file and reproduced from the archive."""
    from regie.reports import agenda

    name = f"agenda_catchup_stuurgroep_{OCTOBER}_asof_{OCTOBER_PACK}.layout{layout}.{fmt}"
    return made_at(app, monkeypatch, "agenda", layout,
                   lambda: agenda(app, "stuurgroep", OCTOBER, OCTOBER_PACK, fmt), name)  # fmt: skip


@pytest.mark.parametrize("fmt", ["md", pytest.param("html", marks=LAYOUT_ONLY)])
def test_the_pack_asks_dates_at_risk_and_catches_up_on_the_previous_pack(
    app: App, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    from regie.report_build import AGENDA_LAYOUT

    assert AGENDA_LAYOUT >= 19
    old = _made(app, monkeypatch, 18, fmt)  # as the code before walk54 made it
    new = _made(app, monkeypatch, 19, fmt)
    ask = ("Datum vaststellen voor 2.1.1?", "Termijn vaststellen voor 2.1.2, dat wacht op 2.1.1?")
    # walk54 2: the risk no longer hides the date's and the term's question.
    assert all(q in new for q in ask) and not any(q in old for q in ask)
    # walk54 3: both finishes the July pack could not show, marked; the heading's meeting stays.
    assert INTRO in new and "1 oktober 2026. Ook opgenomen" not in old
    assert f"gereed gekomen op 06-07-2026 {MARK}" in new
    assert f"gereed gekomen op 30-06-2026 {MARK}" in new
    assert "gereed gekomen" not in old and MARK not in old


def test_each_change_reaches_the_body_once(app: App) -> None:
    """After October's pack went out, January's lists neither finish again."""
    from regie.prepare import prepare_meetings
    from regie.reports import agenda

    assert prepare_meetings(app, OCTOBER_PACK).packs
    pack = agenda(app, "stuurgroep", JANUARY, JANUARY_PACK, "md", archive=False).content.decode()
    since = pack.split("### Sinds de vorige vergadering")[1].split("\n### ")[0]
    assert "Wat er is veranderd sinds de vorige vergadering (8 oktober 2026)" in since
    assert "1.1.1" not in since and "1.1.2" not in since and MARK not in pack
