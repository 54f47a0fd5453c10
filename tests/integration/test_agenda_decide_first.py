"""Review "stuurgroep" findings 1, 2, 3, 6, 7, 9 and 11: the agenda pack says on page 1 what
needs a decision, ranks *ter besluitvorming* by weight (a slip to approve, a date the body set
missed again, an escalation, then routine), says since when a point is late and that it came
back; *sinds de vorige vergadering* says what got worse and that an action was taken up again;
a meeting that passed without a pack is said, and its decisions reach the next decision list.
SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from regie.bootstrap import App
from regie.reports import agenda_pack, render_agenda
from tests.cli import Result
from tests.cli_in_process import regie
from tests.integration.reports_scenario import AS_OF, MEETING, cli_env, scenario_app

CONTENT_ONLY = pytest.mark.one_database(
    "the pack's content, from SQL this file's other PostgreSQL tests run"
)


@pytest.fixture
def app(tmp_path: Path, database_url: str, documents_made_once: None) -> App:
    return scenario_app(tmp_path / "home", database_url)  # a copy of the seed plan


def _decide(app: App, meeting: str, text: str, *args: str) -> Result:
    done = regie("decision", "add", "--body", "stuurgroep", "--meeting", meeting, "--text", text,
                 *args, env=cli_env(app))  # fmt: skip
    assert done.code == 0, done.err
    return done


@CONTENT_ONLY
def test_page_one_says_what_needs_a_decision_and_the_weighty_points_come_first(app: App) -> None:
    # The stuurgroep set 3.3.1 to Q4-2015 in October; on 15 January it is late again.
    _decide(app, "2015-10-13", "Opdrachtformulering naar Q4-2015", "--set-gereed", "3.3.1",
            "Q4-2015")  # fmt: skip
    # *Eerder voorgelegd* counts the packs sent for the earlier meetings.
    from regie.prepare import prepare_meetings

    assert prepare_meetings(app, date(2015, 10, 6)).packs
    assert prepare_meetings(app, date(2016, 1, 5)).packs
    pack = agenda_pack(app, "stuurgroep", MEETING, AS_OF)
    html = render_agenda(pack, "html").decode()
    md = render_agenda(pack, "md").decode()
    n = len(pack.asked)
    for text in (html, md):
        first = text.split("1. Opening")[0]  # page 1, before the agenda items
        assert f"{n} punten ter besluitvorming: 3 verschuivingen accorderen, 1 eerder " in first
        assert "Verschuiving van 1.2.1 naar 31 maart 2016 accorderen?" in first
        # walk46 11b: the lead-in says what the list is, in the order the count gives.
        assert (
            "De vergadering besluit erover onder agendapunt 4. Hieronder de punten die meer "
            "vragen dan een routinebesluit, de zwaarste eerst:"
        ) in first
        assert "om een keuze vragen" not in first
        assert "Nieuwe datum vaststellen voor 3.3.1?" in first  # missed again: not routine
        assert "Nieuwe datum vaststellen voor 3.5.1?" not in first  # routine: under item 4
        assert "Leeswijzer" in first and "verouderd" in first and "65 werkdagen" in first
    # Item 4: heaviest first — the slips, the date set and missed again, then routine.
    section = md.split("## 4. Ter besluitvorming")[1].split("## 5.")[0]
    order = [row.split(" | ")[0].lstrip("| ") for row in section.splitlines() if "| **" in row]
    assert order[:4] == ["1.2.1", "3.1.1", "3.3.2", "3.3.1"]
    assert sorted(order) == sorted(a.item.item_id for a in pack.asked)
    # Since when, a decision missed again, and how often it was on the agenda.
    row = next(r for r in section.splitlines() if r.startswith("| 3.3.1 |"))
    # Layout 19 (walk54b 6): the deadline passed, as *Wat is verslechterd* says, not "te laat
    # sinds" the deadline day (the item was not late on it).
    assert "te laat: deadline 31-12-2015 verstreken" in row and "sinds 31-12" not in row
    # Layout 14: one level of brackets, as page 1 puts the reason in brackets (walk46 11c).
    assert "eerder besloten op 13-10-2015: Q4-2015, opnieuw niet gehaald" in row
    # Layout 21 (walk56d 10): the meeting that decided (13-10-2015) is named once, not again
    # among those the point was put to the body at.
    assert "voor de 3e keer voorgelegd, eerder ook op 12-01-2016" in row
    assert row.count("13-10-2015") == 1
    assert "(" not in row.split(" | ")[2]
    assert "te laat: deadline 30-09-2015 verstreken" in next(
        r for r in section.splitlines() if "| 3.5.1 |" in r
    )
    assert "**Eerder vastgestelde datum opnieuw niet gehaald**" in section


def test_the_pdf_cuts_routine_points_only_and_names_them(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    from governance.agenda import LIMITS

    _decide(app, "2015-10-13", "Opdrachtformulering naar Q4-2015", "--set-gereed", "3.3.1",
            "Q4-2015")  # fmt: skip
    monkeypatch.setitem(LIMITS, "asked", 2)  # fewer than the weighty points: none of them cut
    pack = agenda_pack(app, "stuurgroep", MEETING, AS_OF)
    from governance.agenda import WEIGHTS, by_weight, shortlist_asked
    from regie.reports import annex_name
    from reports.render import render

    shown, cut = shortlist_asked(pack.asked, LIMITS["asked"])
    assert [a.item.item_id for a in shown] == ["1.2.1", "3.1.1", "3.3.2", "3.3.1"]
    assert {a.weight for a in cut} == {"routine"} and len(shown) + len(cut) == len(pack.asked)
    # The PDF's HTML (the same template, laid out by WeasyPrint): the cut ones are named.
    html = render("agenda.html.j2", pack=pack, annex_file=annex_name(pack), charts={},
                  ranked=by_weight(pack.asked), asked_shown=shown, asked_cut=cut,
                  weights=WEIGHTS, title="t", footer="f", since_words=True, excerpts=True,
                  risk_words=True, question_words=True, close_words=True,
                  lapse=False)  # fmt: skip
    flat = " ".join(html.split())
    assert f"Verder {len(cut)} routinepunten (datum of termijn vaststellen) voor: " in flat
    assert ", ".join(a.item.item_id for a in cut) in flat
    assert "in de e-mail met de agenda en in de bijlage" in flat
    # Layout 15 (close48 2): a pack that offers lapse says so for the routine points it cuts.
    lapsed = render("agenda.html.j2", pack=pack, annex_file=annex_name(pack), charts={},
                    ranked=by_weight(pack.asked), asked_shown=shown, asked_cut=cut,
                    weights=WEIGHTS, title="t", footer="f", since_words=True, excerpts=True,
                    risk_words=True, question_words=True, close_words=True,
                    lapse=True)  # fmt: skip
    assert "routinepunten (datum of termijn vaststellen, of laten vervallen) voor: " in " ".join(
        lapsed.split()
    )


def test_an_action_taken_up_again_and_what_got_worse_are_in_since_last(app: App) -> None:
    _decide(app, "2016-01-12", "Landelijk overleg vervalt", "--cancel", "4.1")
    _decide(app, "2016-04-12", "Landelijk overleg toch weer oprichten", "--restore", "4.1")
    pack = agenda_pack(app, "stuurgroep", date(2016, 7, 12), date(2016, 7, 5))
    assert pack.since_last is not None
    back = [e for e in pack.since_last.entries if e.kind == "reinstated"]
    assert [(e.item_id, e.title) for e in back] == [("4.1", "Oprichten landelijk overleg MVI")]
    # The decision list names the action and how its milestones stand now.
    row = next(d for d in pack.decisions if d.decision.item_id == "4.1")
    assert row.restored and row.action_title == "Oprichten landelijk overleg MVI"
    md = render_agenda(pack, "md").decode()
    decisions = md.split("## 2.")[1].split("## 3.")[0]
    assert "| 4.1 Oprichten landelijk overleg MVI | hersteld; nu 3 mijlpalen: " in decisions
    since = md.split("### Sinds de vorige vergadering")[1].split("| Stap |")[0]
    assert "| 4.1 | Oprichten landelijk overleg MVI | weer opgenomen (besluit Stuurgroep" in since
    # A pack archived before (layout 1) is made again as it was: without the new entry.
    assert "weer opgenomen" not in render_agenda(pack, "md", layout=1).decode().split("| Stap")[0]


@CONTENT_ONLY
def test_since_last_leads_with_what_got_worse(app: App) -> None:
    # 12 January 2016, as of 5 January: since 13 October items went late, the colours changed.
    pack = agenda_pack(app, "stuurgroep", date(2016, 1, 12), date(2016, 1, 5))
    sl = pack.since_last
    assert sl is not None
    late = {e.item_id: e.on for e in sl.worse if e.kind == "late"}
    assert late["1.3.2"] == date(2015, 11, 30) and late["3.5.2"] == date(2015, 12, 31)
    assert "3.5.1" not in late  # late since 30 September: already late at the previous meeting
    assert sl.rag_changes and sl.rag_changes[0].step is None  # the programme first
    assert (sl.rag_changes[0].before, sl.rag_changes[0].after) != ("red", "red")
    html = render_agenda(pack, "html").decode()
    part = html.split("Sinds de vorige vergadering</h3>")[1]
    assert part.index("Wat is verslechterd") < part.index("Overige wijzigingen")
    assert "nieuw te laat" in part.split("Overige wijzigingen")[0]
    assert "Programma: " in part.split("Overige wijzigingen")[0]
    assert "Verslechterd sinds de vorige vergadering" in html.split("1. Opening")[0]


def test_a_meeting_without_a_pack_is_said_and_its_decisions_reach_the_next_list(
    app: App,
) -> None:
    from regie.prepare import prepare_meetings
    from regie.reports import reproduce
    from store.reports_repo import ReportsRepository
    from store.states import record_assessed_day

    plan = app.load_plan()
    with app.session() as session, session.begin():  # the daily run was there from 2016
        record_assessed_day(session, plan.programme.id, date(2016, 1, 4), datetime.now(UTC))
    assert prepare_meetings(app, date(2016, 4, 5)).packs  # the April pack goes out
    _decide(app, "2016-04-12", "Wetsvoorstel aanhouden", "--item", "1.4")
    # No run from April until after the July meeting: it got no pack.
    late = regie("meeting", "prepare", "--as-of", "2016-07-13", env=cli_env(app))
    assert late.code == 0, late.err
    assert "nothing due" not in late.out
    said = [line for line in late.out.splitlines() if "stuurgroep 2016-07-12" in line]
    assert len(said) == 1 and said[0].endswith(
        "passed without an agenda pack (none was queued before it); its decisions go on the "
        "next pack's decision list"
    )
    assert prepare_meetings(app, date(2016, 7, 13)).missed == ["stuurgroep 2016-07-12"]
    october = prepare_meetings(app, date(2016, 10, 4))  # said once more, and made up for
    assert october.packs and october.missed == ["stuurgroep 2016-07-12"]
    assert prepare_meetings(app, date(2016, 10, 5)).missed == []
    with app.session() as session:
        packs = [r for r in ReportsRepository(session, plan.programme.id).archived()
                 if r.kind == "agenda" and r.parameters.get("meeting") == "2016-10-11"]  # fmt: skip
    # The pack as HTML and as the PDF its mail carries, made from one assembly.
    assert sorted(r.format for r in packs) == ["html", "pdf"]
    assert {r.parameters["decisions_from"] for r in packs} == {"2016-04-12"}
    rows = [r for r in packs if r.format == "html"]
    html = reproduce(app, rows[0].id)
    assert html.matches
    decisions = html.content.decode().split("2. Besluitenlijst")[1].split("3. Voortgang")[0]
    assert "Wetsvoorstel aanhouden" in decisions and "12-04-2016" in decisions
