"""The agenda pack says *verslechterd* only of a change to a worse colour; an improvement (rood
→ oranje) is listed apart (walk28 finding 3). A pack archived with layout 5 listed every change
of colour as worse, and is made again so."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from regie.bootstrap import App
from regie.reports import agenda_pack, render_agenda
from tests.integration.migrated_template import shared_templates

SECOND = Path(__file__).resolve().parent.parent / "fixtures" / "plans" / "second_programme.yaml"
MEETING, AS_OF = date(2024, 7, 15), date(2024, 7, 12)  # the previous meeting: 15 May 2024


def _answer(app: App, item: str, status: str, on: date, **dates: date) -> None:
    from governance.answers import OFFICE, AnswerInput
    from regie.answers import check_answer, store_answers

    plan = app.load_plan()
    answer = AnswerInput(item, status, dates.get("forecast"), dates.get("completed"), None)
    update = check_answer(plan, answer, OFFICE, on)
    at = datetime.combine(on, time(12), UTC)
    store_answers(app, plan, [replace(update, source="cli", recorded_at=at)], sync=False)


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    """The second programme: 1.1.1 (maart 2024) late at the meeting of 15 May (step 1 red),
    done on 20 May; 1.1.2 (Q2 2024) reported slipped to 31 July (amber) on 1 July."""
    from regie.bootstrap import bootstrap
    from regie.config import load_settings
    from store import sync_plan

    shared_templates().fill_if_empty(database_url)  # empty: a copy of the migrated template
    home = tmp_path / "home"
    home.mkdir()
    shutil.copyfile(SECOND, home / "plan.yaml")
    env = {"REGIE_HOME": str(home), "REGIE_PLAN": str(home / "plan.yaml")}
    app = bootstrap(load_settings(env | {"REGIE_DATABASE_URL": database_url}))
    plan = app.load_plan()
    with app.session() as session, session.begin():
        sync_plan(
            session, plan, now=datetime(2023, 12, 20, 9, tzinfo=UTC), plan_path=str(plan.path)
        )
    _answer(app, "1.1.1", "done", date(2024, 5, 20), completed=date(2024, 5, 20))
    _answer(app, "1.1.2", "at_risk", date(2024, 7, 1), forecast=date(2024, 7, 31))
    return app


def test_an_improvement_is_not_listed_as_worse(app: App) -> None:
    pack = agenda_pack(app, "programmaraad", MEETING, AS_OF)
    sl = pack.since_last
    assert sl is not None
    step = next(c for c in sl.rag_changes if c.step == 1)
    assert (step.before, step.after, step.direction) == ("red", "amber", "better")
    assert sl.rag_worse == () and step in sl.rag_other
    md = render_agenda(pack, "md").decode()
    summary = md.split("## In het kort")[1].split("**Leeswijzer")[0]
    worse = next(line for line in summary.splitlines() if line.startswith("Verslechterd"))
    assert worse == (
        "Verslechterd sinds de vorige vergadering: 1 nieuw risico of verschuiving door de "
        "eigenaar gemeld."
    )
    assert "Verbeterd sinds de vorige vergadering: Programma: rood → oranje; Stap 1. Meten: " \
           "rood → oranje." in summary  # fmt: skip
    since = md.split("### Sinds de vorige vergadering")[1].split("| Stap |")[0]
    got_worse, other = since.split("**Overige wijzigingen**")
    assert "rood → oranje" not in got_worse
    assert "- Stap 1. Meten: rood → oranje (verbeterd)" in other
    html = render_agenda(pack, "html").decode()
    part = html.split("Sinds de vorige vergadering</h3>")[1]
    assert "rood" not in part.split("Wat is verslechterd")[1].split("Overige wijzigingen")[0]
    assert "Meten: " in part.split("Overige wijzigingen")[1].split("</ul>")[0]


def test_a_pack_of_layout_5_is_made_again_as_it_was(app: App) -> None:
    """Layout 5 called every change of colour worse: an archived pack keeps its bytes."""
    from regie.reports import _agenda_pack, _archive, reproduce

    plan = app.load_plan()
    pack, _ = _agenda_pack(app, "programmaraad", MEETING, AS_OF, layout=5)
    old = render_agenda(pack, "md", layout=5)
    text = old.decode()
    assert "Verslechterd sinds de vorige vergadering: 1 nieuw risico of verschuiving gemeld; " \
           "Programma: rood → oranje" in text  # fmt: skip
    parameters = {"body": "programmaraad", "meeting": MEETING.isoformat(),
                  "as_of": AS_OF.isoformat(), "layout": 5}  # fmt: skip
    archived = _archive(app, plan, "agenda", "md", "Agenda", AS_OF, parameters, old, True)
    again = reproduce(app, archived.archive_id)
    assert again.matches and again.content == old
