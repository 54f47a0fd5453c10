"""Agenda layout 23 (walk58a 4): every point under *Escalatie onbeantwoord* says when it was
escalated. In the seed's pack for 12 April 2016 (as of 15 January), 3.2.1 (overdue since 30
November 2015) was escalated on 15 December and 3.9 on 1 December, neither answered. 3.9 is
asked for its escalation (*escalatie onbeantwoord sinds …*); 3.2.1 is asked for its date, so its
reason said only *te laat: deadline … verstreken* under the escalation heading. Now it adds
*geëscaleerd op 15-12-2015, onbeantwoord*; a pack of layout 22 is made again without it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from regie.bootstrap import App
from tests.integration.layout_golden import made_at
from tests.integration.reports_scenario import AS_OF, MEETING, scenario_app

LATE = "te laat: deadline 30-11-2015 verstreken"
SAID = "geëscaleerd op 15-12-2015, onbeantwoord"


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    from governance.events import ESCALATION_RAISED
    from store import Repository
    from store.records import EventRecord

    app = scenario_app(tmp_path / "home", database_url, golden=True)
    raised = [("3.2.1", date(2015, 12, 15)), ("3.9", date(2015, 12, 1))]
    with app.session() as session, session.begin():
        Repository(session, app.load_plan().programme.id).record_events(
            EventRecord(ESCALATION_RAISED, item, on, {}, f"test:{item}") for item, on in raised
        )
    return app


def _pack(app: App, monkeypatch: pytest.MonkeyPatch, layout: int, fmt: str) -> str:
    from regie.reports import agenda

    return made_at(app, monkeypatch, "agenda", layout,
                   lambda: agenda(app, "stuurgroep", MEETING, AS_OF, fmt))  # fmt: skip


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_late_point_under_the_escalation_heading_says_it_was_escalated(
    app: App, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    from regie.reports import agenda_pack

    asked = {a.item.item_id: a for a in agenda_pack(app, "stuurgroep", MEETING, AS_OF).asked}
    assert (asked["3.2.1"].reason, asked["3.2.1"].weight) == ("overdue", "escalated")
    assert (asked["3.9"].reason, asked["3.9"].weight) == ("escalated", "escalated")
    text = _pack(app, monkeypatch, 23, fmt)
    group = text.split("Escalatie onbeantwoord")[-1].split("Keuze van de vergadering")[0]
    assert f"{LATE}; {SAID}" in group
    # Page 1's list (Markdown) and the table under agendapunt 4: both rows.
    assert text.count(f"{LATE}; {SAID}") == 2
    # 3.9's reason names its escalation already: not twice.
    assert "escalatie onbeantwoord sinds 01-12-2015" in group
    assert text.count("geëscaleerd op") == 2
    # Layout 22, as archived: the late reason only.
    old = _pack(app, monkeypatch, 22, fmt)
    assert LATE in old and "geëscaleerd op" not in old
