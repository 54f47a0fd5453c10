"""The agenda pack after a plan's date was moved: no chase of an escalation about the old date,
the move put to the body for ratification, and *Sinds de vorige vergadering* (review
"longrun", findings 2 and 3).

The plan is synced at chosen moments (``sync_plan(now=…)``), as a secretary running Regie on
those days would have: the programme's first sync before the first cycle, a plan-file edit on
19 December 2016 (3.1.1 Q4-2015 → Q2-2017 without a decision, new milestone 3.1.9, 3.1.2 from
PIANOo to IenM).
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from governance.agenda import AgendaPack
from regie.bootstrap import App
from regie.reports import agenda_formats, agenda_pack, render_agenda
from reports.render import asked_question
from tests.integration.migrated_template import shared_templates
from tests.integration.reports_scenario import make_app

CONTENT_ONLY = pytest.mark.one_database(
    "the pack's content, from SQL this file's other PostgreSQL tests run"
)

FIRST_SYNC = datetime(2015, 9, 30, 8, tzinfo=UTC)
RAISED_BY = date(2016, 1, 15)  # the cycle of that day escalates 3.1.1 (Q4-2015, overdue)
ASKED = date(2016, 1, 8)  # its owner asked a week before (an escalation comes after the grace)
EDITED = datetime(2016, 12, 19, 10, tzinfo=UTC)
MEETING, AS_OF, PREVIOUS = date(2017, 1, 10), date(2017, 1, 3), date(2016, 10, 11)
NEXT, NEXT_AS_OF = date(2017, 4, 11), date(2017, 4, 4)
DECIDED_BY = "besluit Stuurgroep Plan van aanpak MVI, 11 oktober 2016"
QUIET_MEETING, QUIET_AS_OF = date(2016, 7, 12), date(2016, 7, 5)


def _sync(app: App, now: datetime) -> None:
    from store import sync_plan

    plan = app.load_plan()
    with app.session() as session, session.begin():
        sync_plan(session, plan, now=now, plan_path=str(plan.path))


def _answer(app: App, item: str, status: str, on: date, completed: date | None = None) -> None:
    from dataclasses import replace
    from datetime import time

    from governance.answers import OFFICE, AnswerInput
    from regie.answers import check_answer, store_answers

    plan = app.load_plan()
    who = replace(OFFICE, name="fixture")
    update = check_answer(plan, AnswerInput(item, status, None, completed, None), who, on)
    at = datetime.combine(on, time(12), UTC)
    store_answers(app, plan, [replace(update, source="cli", recorded_at=at)], sync=False)


def _edit(app: App, *pairs: tuple[str, str]) -> None:
    path = Path(app.settings.plan_path)
    text = path.read_text(encoding="utf-8")
    for old, new in pairs:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    """The year below, recorded once per worker and database kind and copied per test."""
    from tests.integration.migrated_template import copy_recorded

    copy_recorded("agenda-since", tmp_path / "home", database_url, _record)
    return make_app(tmp_path / "home", database_url)


def _record(home: Path, database_url: str) -> None:
    from regie.cycle import deadline_check
    from regie.decisions import add_decision
    from tests.integration.reports_scenario import migrated_app

    app = migrated_app(home, database_url)
    _sync(app, FIRST_SYNC)
    deadline_check(app, ASKED)
    deadline_check(app, RAISED_BY)
    # Decided at the meeting of 12 July 2016 (before the previous meeting: not "since").
    add_decision(
        app, "stuurgroep", date(2016, 7, 12), "4.1.3 later", set_gereed=("4.1.3", "Q4-2017")
    )
    # Decided at the previous meeting (11 October 2016): "since" it, with its decision.
    add_decision(app, "stuurgroep", PREVIOUS, "4.1.2 naar Q4-2016", set_gereed=("4.1.2", "Q4-2016"))
    _answer(app, "1.2.1", "done", date(2016, 11, 2), completed=date(2016, 11, 1))
    _edit(
        app,
        (
            'title: Uitvoeren behoeftepeiling\n            gereed: "Q4-2015"',
            'title: Uitvoeren behoeftepeiling\n            gereed: "Q2-2017"',
        ),
        (
            'gereed: "Q4-2015"\n            owners: [PIANOo]\n            depends_on: ["3.1.1"]\n',
            'gereed: "Q4-2015"\n            owners: [IenM]\n            depends_on: ["3.1.1"]\n'
            '          - id: "3.1.9"\n            title: Evaluatie behoeftepeiling\n'
            '            gereed: "Q3-2017"\n            owners: [BZ]\n',
        ),
    )
    _sync(app, EDITED)


def _pack(app: App) -> AgendaPack:
    return agenda_pack(app, "stuurgroep", MEETING, AS_OF)


def test_an_escalation_before_a_moved_date_is_not_chased_the_move_is_put_to_the_body(
    app: App,
) -> None:
    from governance.events import ESCALATION_RAISED
    from store import reports_read

    with app.reading() as connection:
        raised = reports_read.events_named(
            connection, app.load_plan().programme.id, ESCALATION_RAISED, AS_OF
        )
    assert ("3.1.1", RAISED_BY) in raised  # the escalation of the old date, never answered
    pack = _pack(app)
    line = next(x for x in pack.annex if x.item_id == "3.1.1")
    assert (line.gereed, line.state) == ("Q2-2017", "on_track")
    asked = {a.item.item_id: a for a in pack.asked}
    assert asked["3.1.1"].reason == "ratify"
    assert (
        asked_question(asked["3.1.1"])
        == "Verschuiving van 3.1.1 van Q4-2015 naar Q2-2017 accorderen?"
    )
    assert not any("Eigenaar aanspreken over 3.1.1" in asked_question(a) for a in pack.asked)
    # Moved by a decision: nothing to ratify.
    assert "4.1.2" not in asked or asked["4.1.2"].reason != "ratify"
    md = agenda_formats(app, "stuurgroep", MEETING, AS_OF, ("md",), archive=False)[0]
    text = md.content.decode()
    assert "**Verschuiving van 3.1.1 van Q4-2015 naar Q2-2017 accorderen?**" in text
    assert "escalatie van" not in text.split("## 4. Ter besluitvorming")[1].split("3.1.1 |")[0]


@CONTENT_ONLY
def test_a_decision_after_the_edit_answers_the_ratification(app: App) -> None:
    from regie.decisions import add_decision

    before = {a.item.item_id: a for a in agenda_pack(app, "stuurgroep", NEXT, NEXT_AS_OF).asked}
    assert before["3.1.1"].reason == "ratify"  # still to be put to the body
    add_decision(app, "stuurgroep", MEETING, "Verschuiving 3.1.1 geaccordeerd", item_id="3.1.1")
    asked = {a.item.item_id: a for a in agenda_pack(app, "stuurgroep", NEXT, NEXT_AS_OF).asked}
    assert "3.1.1" not in asked


@CONTENT_ONLY
def test_since_the_previous_meeting_lists_what_changed(app: App) -> None:
    pack = _pack(app)
    since = pack.since_last
    assert since is not None and (since.since, since.basis) == (PREVIOUS, "previous")
    got = [(e.item_id, e.kind, e.before, e.after, e.decided_by) for e in since.entries]
    assert got == [
        ("1.2.1", "done", None, None, None),
        ("3.1.1", "moved", "Q4-2015", "Q2-2017", None),
        ("3.1.2", "owners", "PIANOo", "IenM", None),
        ("3.1.9", "added", None, None, None),
        ("4.1.2", "moved", "Najaar 2015", "Q4-2016", DECIDED_BY),
    ]
    assert "4.1.3" not in {e.item_id for e in since.entries}  # decided before the previous meeting
    assert since.counts["moved"] == 2 and since.counts["done"] == 1

    rendered = {
        r.format: r.content
        for r in agenda_formats(app, "stuurgroep", MEETING, AS_OF, ("md", "html", "docx"),
                                archive=False)
    }  # fmt: skip
    md = rendered["md"].decode()
    section = md.split("### Sinds de vorige vergadering")[1].split("| Stap |")[0]
    assert "sinds de vorige vergadering (11 oktober 2016), tot en met 3 januari 2017" in section
    assert "| 1.2.1 | Verkennen draagvlak | gereed gekomen op 01-11-2016 |" in section
    assert (
        "| 3.1.1 | Uitvoeren behoeftepeiling | datum gewijzigd in het plan zonder besluit: "
        "Q4-2015 → Q2-2017 (vastgelegd op 19-12-2016) |"
    ) in section
    assert "eigenaar gewijzigd: PIANOo → IenM" in section
    assert "| 3.1.9 | Evaluatie behoeftepeiling | nieuw in het plan" in section
    assert "datum gewijzigd: Najaar 2015 → Q4-2016 (besluit Stuurgroep" in section
    html = rendered["html"].decode()
    assert "<h3>Sinds de vorige vergadering</h3>" in html
    assert "datum gewijzigd in het plan zonder besluit: Q4-2015 → Q2-2017" in html
    from docx import Document

    doc = Document(io.BytesIO(rendered["docx"]))
    texts = [p.text for p in doc.paragraphs] + [
        c.text for t in doc.tables for row in t.rows for c in row.cells
    ]
    assert "Sinds de vorige vergadering" in texts
    assert any("zonder besluit: Q4-2015 → Q2-2017" in t for t in texts)


def test_nothing_changed_since_the_previous_meeting_says_so(app: App) -> None:
    pack = agenda_pack(app, "stuurgroep", QUIET_MEETING, QUIET_AS_OF)
    assert pack.since_last is not None and pack.since_last.entries == ()
    md = agenda_formats(app, "stuurgroep", QUIET_MEETING, QUIET_AS_OF, ("md",), archive=False)
    section = md[0].content.decode().split("### Sinds de vorige vergadering")[1]
    assert section.split("| Stap |")[0].strip().endswith("Geen wijzigingen.")


SECOND = Path(__file__).resolve().parent.parent / "fixtures" / "plans" / "second_programme.yaml"


@pytest.fixture
def second(tmp_path: Path, database_url: str) -> App:
    """The second programme (its own body, dates and organisations), synced before it starts."""
    import shutil

    from regie.bootstrap import bootstrap
    from regie.config import load_settings

    shared_templates().fill_if_empty(database_url)  # empty: a copy of the migrated template
    home = tmp_path / "home2"
    home.mkdir()
    shutil.copyfile(SECOND, home / "plan.yaml")
    env = {"REGIE_HOME": str(home), "REGIE_PLAN": str(home / "plan.yaml")}
    app = bootstrap(load_settings(env | {"REGIE_DATABASE_URL": database_url}))
    _sync(app, datetime(2023, 12, 20, 9, tzinfo=UTC))
    _answer(app, "1.1.1", "done", date(2024, 4, 10), completed=date(2024, 4, 9))
    return app


def test_a_second_programme_first_meeting_counts_from_its_start_then_from_the_meeting(
    second: App,
) -> None:
    from pypdf import PdfReader

    first = agenda_pack(second, "programmaraad", date(2024, 3, 4), date(2024, 3, 1))
    assert first.since_last is not None
    assert (first.since_last.basis, first.since_last.since) == ("start", date(2024, 1, 1))
    assert first.since_last.entries == ()  # the plan as first synced is not "added"
    md = agenda_formats(second, "programmaraad", date(2024, 3, 4), date(2024, 3, 1), ("md",),
                        archive=False)[0].content.decode()  # fmt: skip
    assert (
        "Dit is de eerste vergadering: wat er is veranderd sinds de start van het programma" in md
    )
    assert "(1 januari 2024)" in md
    # Layout 10 (walk32a 11): no "vorige vergadering" on the first one; layout 9 had it.
    assert "### Sinds de start van het programma" in md and "Sinds de vorige" not in md
    old = render_agenda(first, "md", layout=9).decode()
    assert "### Sinds de vorige vergadering" in old
    html = render_agenda(first, "html").decode()
    assert "<h3>Sinds de start van het programma</h3>" in html
    assert "Sinds de vorige" not in html

    later = agenda_pack(second, "programmaraad", date(2024, 5, 15), date(2024, 5, 12))
    assert later.since_last is not None and later.since_last.since == date(2024, 3, 4)
    assert [(e.item_id, e.kind, e.on) for e in later.since_last.entries] == [
        ("1.1.1", "done", date(2024, 4, 9))
    ]
    (pdf,) = agenda_formats(second, "programmaraad", date(2024, 5, 15), date(2024, 5, 12),
                            ("pdf",), archive=False)  # fmt: skip
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Sinds de vorige vergadering" in text and "gereed gekomen op 09-04-2024" in text


def test_a_first_meeting_says_there_is_no_previous_meeting_from_layout_16(second: App) -> None:
    """walk49 10: the first meeting's *Besluitenlijst vorige vergadering* said *Geen besluiten
    vastgelegd.* while part 3 said it is the first; layout 16 says there is no previous one,
    layout 15 is made again as it was, and a later meeting keeps the old words."""
    first = agenda_pack(second, "programmaraad", date(2024, 3, 4), date(2024, 3, 1))
    assert first.previous is None and not first.decisions
    words = "Dit is de eerste vergadering: er is geen vorige vergadering en er zijn geen besluiten"
    md = render_agenda(first, "md").decode()
    section = md.split("## 2. Besluitenlijst vorige vergadering", 1)[1].split("## 3.", 1)[0]
    assert words in section and "Geen besluiten vastgelegd." not in section, section
    html = render_agenda(first, "html").decode()
    assert f"<p>{words} vastgelegd.</p>" in html and "<p>Geen besluiten vastgelegd.</p>" not in html
    for fmt in ("md", "html"):
        old = render_agenda(first, fmt, layout=15).decode()
        assert "Geen besluiten vastgelegd." in old and words not in old
    later = agenda_pack(second, "programmaraad", date(2024, 5, 15), date(2024, 5, 12))
    assert later.previous is not None and not later.decisions
    again = render_agenda(later, "md").decode()
    assert "Geen besluiten vastgelegd." in again and words not in again


def test_an_owner_change_reads_by_the_names_the_tables_use(app: App) -> None:
    """review8 4: from layout 9 the pack shows owners by the plan's short name (else name), in
    *Sinds de vorige vergadering* as in its tables; layout 8 kept the ids."""
    from regie.reports import _agenda_pack, render_agenda

    _edit(app, ("    short_name: PIANOo\n", "    short_name: Expertisecentrum\n"))
    md = agenda_formats(app, "stuurgroep", MEETING, AS_OF, ("md",), archive=False)[0]
    section = md.content.decode().split("### Sinds de vorige vergadering")[1].split("| Stap |")[0]
    assert "eigenaar gewijzigd: Expertisecentrum → IenM" in section, section
    pack, _ = _agenda_pack(app, "stuurgroep", MEETING, AS_OF, layout=8)
    old = render_agenda(pack, "md", layout=8).decode()
    assert "eigenaar gewijzigd: PIANOo → IenM" in old
