"""Agenda layout 21 (walk56d 2, 9), on the example plan: 1.2 is escalated on 22 June 2026; the
stuurgroep's July and October packs go out asking *Eigenaar van 1.2 aanspreken?*. After the
October pack the secretary records a decision of the July meeting about 1.2 (late: its minutes
came in after that pack). January's pack lists that decision once, marked *nog niet in het
vorige agendapakket*, and says it answered the question; layout 20 listed it nowhere and dropped
the question without a word. April's pack, after January's, lists it no more. Layout 21's
*Vooruitblik* says *tot en met* its horizon. Each pack is archived and made again byte for
byte."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from regie.bootstrap import App
from tests.cli import ROOT
from tests.integration.layout_golden import made_at
from tests.integration.migrated_template import copy_recorded
from tests.integration.reports_scenario import make_app, migrated_app

EXAMPLE = ROOT / "docs" / "examples" / "eigen-programma.yaml"
JULY, OCTOBER = date(2026, 7, 9), date(2026, 10, 8)
JANUARY, APRIL = date(2027, 1, 14), date(2027, 4, 8)
JULY_PACK, OCTOBER_PACK, JANUARY_PACK = date(2026, 7, 2), date(2026, 10, 1), date(2027, 1, 7)
TEXT = "Nagekomen: de GGD levert het advies per halfjaar."
ASKED = "Eigenaar van 1.2 aanspreken?"
MARK = "nog niet in het vorige agendapakket"


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    """The example plan synced, 1.2 escalated, July's and October's packs sent (both ask about
    1.2), then July's decision about 1.2 recorded (once per worker and database kind, copied
    for each test: :func:`copy_recorded`)."""
    home = tmp_path / "home"
    copy_recorded("late-decision-pack", home, database_url, _record_packs)
    return make_app(home, database_url)


def _record_packs(home: Path, database_url: str) -> None:
    from governance.events import ESCALATION_RAISED
    from regie.decisions import add_decision
    from regie.prepare import prepare_meetings
    from regie.reports import agenda_pack
    from store import Repository, sync_plan
    from store.records import EventRecord

    home.mkdir()
    shutil.copyfile(EXAMPLE, home / "actions.yaml")
    app = migrated_app(home, database_url)
    plan = app.load_plan()
    synced = datetime(2026, 6, 1, 9, tzinfo=UTC)  # fixed: the documents show no wall clock
    with app.session() as session, session.begin():
        sync_plan(session, plan, now=synced, plan_path=str(plan.path))
        Repository(session, plan.programme.id).record_events(
            [EventRecord(ESCALATION_RAISED, "1.2", date(2026, 6, 22), {}, "office")]
        )
    for day in (JULY_PACK, OCTOBER_PACK):
        assert prepare_meetings(app, day).packs
    asked = agenda_pack(app, "stuurgroep", OCTOBER, OCTOBER_PACK).asked
    assert [a.reason for a in asked if a.item.item_id == "1.2"] == ["escalated"]
    add_decision(app, "stuurgroep", JULY, TEXT, item_id="1.2")


def _january(app: App, monkeypatch: pytest.MonkeyPatch, layout: int) -> str:
    from regie.reports import agenda

    return made_at(app, monkeypatch, "agenda", layout,
                   lambda: agenda(app, "stuurgroep", JANUARY, JANUARY_PACK, "md"))  # fmt: skip


def test_a_decision_recorded_late_reaches_the_next_pack_and_says_what_it_answered(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    from regie.report_build import AGENDA_LATE_DECISIONS_FROM

    assert AGENDA_LATE_DECISIONS_FROM == 21
    old, new = _january(app, monkeypatch, 20), _january(app, monkeypatch, 21)
    # Layout 20: the question is gone, the decision that answered it is nowhere.
    assert ASKED not in old and TEXT not in old and MARK not in old
    assert ASKED not in new
    assert (
        "Ook opgenomen, gemarkeerd met „nog niet in het vorige agendapakket”: een besluit van een "
        "eerdere vergadering dat pas na het vorige agendapakket is vastgelegd."
    ) in new
    assert (
        f"| 09-07-2026 | {TEXT} ({MARK}; hiermee is de vraag over dit punt uit dat pakket "
        "beantwoord) | 1.2 "
    ) in new
    # walk56d 9: the look ahead includes its horizon's day, and says so.
    assert (
        "Wat gereed moet zijn tot en met de dag van de volgende vergadering (8 april 2027):" in new
    )
    assert "Wat gereed moet zijn vóór de volgende vergadering (8 april 2027):" in old


def test_it_is_listed_once(app: App) -> None:
    """After January's pack (made by hand as of a day before its meeting, so the body's), April's
    lists the decision no more."""
    from regie.reports import agenda

    january = agenda(app, "stuurgroep", JANUARY, JANUARY_PACK, "md").content.decode()
    assert TEXT in january
    april = agenda(app, "stuurgroep", APRIL, date(2027, 4, 1), "md", archive=False)
    text = april.content.decode()
    assert TEXT not in text and MARK not in text and ASKED not in text
