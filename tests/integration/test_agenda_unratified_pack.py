"""Agenda layout 19 (walk54b 1, 3, 6, 8), golden files in Markdown and HTML: the example plan
edited on 15 September 2026 without a decision (1.1.1 *Q3-2026* → *december 2026*; milestone
2.1.2 removed) and 1.2 reported at risk, for the stuurgroep of 8 October 2026 (as of 1 October).

Layout 19: the removal is a *keuze van de vergadering* (not routine), so page 1 lists it; 1.1.1
reads *Q3-2026, in het plan zonder besluit gewijzigd in december 2026* wherever its gereed is
shown (the point's row, *Vooruitblik*, the annex) until the body decides on it; the
*verslechterd* count says the risk was the owner's report. In January, 1.1.1 late: *te laat:
deadline 31-12-2026 verstreken*, as *Wat is verslechterd* says it.
Layout 18 is made again as built: its golden files were made by the code before this change
(main at eec5a49, ``REGIE_UPDATE_GOLDEN=1`` on a copy of its tree). Each layout is archived and
reproduced byte for byte. ``REGIE_UPDATE_GOLDEN=1`` writes the current layout's files."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from regie.bootstrap import App
from tests.cli import ROOT
from tests.integration.layout_golden import GOLDEN, made_at, synced_at
from tests.integration.reports_scenario import migrated_app

EXAMPLE = ROOT / "docs" / "examples" / "eigen-programma.yaml"
FIRST_SYNC = datetime(2026, 9, 1, 8, tzinfo=UTC)
EDITED = datetime(2026, 9, 15, 8, tzinfo=UTC)
RISK = date(2026, 9, 21)
MEETING, AS_OF = date(2026, 10, 8), date(2026, 10, 1)
NEXT, NEXT_AS_OF = date(2027, 1, 14), date(2027, 1, 7)
LAYOUT_ONLY = pytest.mark.one_database("the documents' layout, from the md documents' SQL")
PROMISE = "Q3-2026, in het plan zonder besluit gewijzigd in december 2026"
MILESTONE_212 = """          - id: "2.1.2"
            title: Invoering
            gereed: Afhankelijk van besluit over zones
            depends_on: ["2.1.1"]
"""


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    from governance.answers import OFFICE, AnswerInput
    from regie.answers import check_answer, store_answers

    home = tmp_path / "home"
    home.mkdir()
    plan_file = home / "actions.yaml"
    shutil.copyfile(EXAMPLE, plan_file)
    app = migrated_app(home, database_url)
    synced_at(app, FIRST_SYNC)
    text = plan_file.read_text(encoding="utf-8")
    assert text.count(MILESTONE_212) == 1 and text.count("gereed: Q3-2026") == 1
    text = text.replace(MILESTONE_212, "").replace("gereed: Q3-2026", "gereed: december 2026")
    plan_file.write_text(text, encoding="utf-8")
    synced_at(app, EDITED)
    plan = app.load_plan()
    update = check_answer(plan, AnswerInput("1.2", "at_risk", None, None, None), OFFICE, RISK)
    at = datetime.combine(RISK, time(12), UTC)
    store_answers(app, plan, [replace(update, source="cli", recorded_at=at)])
    return app


def _made(app: App, monkeypatch: pytest.MonkeyPatch, layout: int, fmt: str) -> str:
    """The pack at ``layout``, equal to its golden file and reproduced from the archive."""
    from regie.reports import agenda

    name = f"agenda_unratified_stuurgroep_{MEETING}_asof_{AS_OF}.layout{layout}.{fmt}"
    return made_at(app, monkeypatch, "agenda", layout,
                   lambda: agenda(app, "stuurgroep", MEETING, AS_OF, fmt), name)  # fmt: skip


def _part(pack: str, start: str, end: str) -> str:
    return pack.split(start)[1].split(end)[0]


@pytest.mark.parametrize("fmt", ["md", pytest.param("html", marks=LAYOUT_ONLY)])
def test_a_removal_is_a_choice_and_an_unratified_date_shows_the_promise(
    app: App, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    from regie.report_build import AGENDA_LAYOUT

    assert AGENDA_LAYOUT >= 19
    new, old = (_made(app, monkeypatch, n, fmt) for n in (19, 18))
    four, five = ("## 4.", "## 5.") if fmt == "md" else ("4. Ter besluitvorming</h2>", "5. ")
    ahead = ("## 5.", "## 6.") if fmt == "md" else ("5. Vooruitblik</h2>", "6. Rondvraag")
    annex = "Bijlage: overzicht" if fmt == "md" else "Bijlage: overzicht van alle punten</h2>"
    first_page = _part(new, "In het kort", "Leeswijzer")
    # walk54b 1: the removal of 2.1.2 weighs as a choice of the body, so page 1 lists it too.
    assert "3 punten ter besluitvorming: 2 keuzes van de vergadering, 1 routinepunt" in new
    choice = _part(new, four, five).partition("Keuze van de vergadering")[2]
    assert "Routine: datum" in choice  # the choices come first
    choice = choice.split("Routine: datum")[0]
    assert "Verwijdering van 2.1.2 uit het plan accorderen?" in choice
    assert "Verwijdering van 2.1.2 uit het plan accorderen?" in first_page
    routine = _part(old, four, five).partition("Routine: datum of termijn vaststellen")[2]
    assert "Verwijdering van 2.1.2 uit het plan accorderen?" in routine  # layout 18, as built
    assert "1 keuze van de vergadering, 2 routinepunten" in old
    # walk54b 3: the moved date reads as the promise and the plan's new date, in the point's
    # row, the look-ahead and the annex; layout 18 said the new date alone.
    for part in (_part(new, four, five), _part(new, *ahead), new.split(annex)[1]):
        assert PROMISE in part
    assert PROMISE not in old and "| Q3-2026 |" not in old.replace("</td><td", " | ")
    # walk54b 8: the count says whose report it counts (the plan's move is not one).
    assert "1 nieuw risico of verschuiving door de eigenaar gemeld" in first_page
    assert "door de eigenaar" not in old and "1 nieuw risico of verschuiving gemeld" in old


def test_a_late_point_names_its_deadline_and_a_decision_ends_the_pair(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """January: 1.1.1's plan date (31 December) passed, its move still not decided: *te laat:
    deadline 31-12-2026 verstreken* (walk54b 6; layout 18: *te laat sinds 31-12-2026*, a day
    it was not late), its gereed still the promise and the plan's date. Once the body decided
    (the new date accepted, the removal minuted), the pack shows the gereed as the decision
    left it and asks neither again."""
    from regie.decisions import add_decision
    from regie.reports import _agenda_pack, agenda_pack, render_agenda

    pack = agenda_pack(app, "stuurgroep", NEXT, NEXT_AS_OF)
    assert next(x for x in pack.annex if x.item_id == "1.1.1").promised == "Q3-2026"
    late = next(a for a in pack.asked if a.item.item_id == "1.1.1")
    assert late.reason == "overdue"
    md = " ".join(render_agenda(pack, "md").decode().split())
    assert f"| te laat: deadline 31-12-2026 verstreken | Locaties gekozen | {PROMISE} |" in md
    assert "te laat sinds" not in md
    old, _ = _agenda_pack(app, "stuurgroep", NEXT, NEXT_AS_OF, layout=18)
    assert "te laat sinds 31-12-2026" in render_agenda(old, "md", layout=18).decode()

    add_decision(
        app, "stuurgroep", MEETING, "1.1.1 in december", set_gereed=("1.1.1", "december 2026")
    )
    add_decision(app, "stuurgroep", MEETING, "2.1.2 vervalt", item_id="2.1.2")
    pack = agenda_pack(app, "stuurgroep", NEXT, NEXT_AS_OF)
    line = next(x for x in pack.annex if x.item_id == "1.1.1")
    assert line.promised is None and "december 2026" in line.gereed
    assert not [a for a in pack.asked if a.reason in ("ratify", "removed")]
    assert "in het plan zonder besluit gewijzigd" not in render_agenda(pack, "md").decode()


def test_an_older_layout_s_pack_of_the_seed_is_made_again_byte_for_byte(
    tmp_path: Path, database_url: str
) -> None:
    """The seed's pack (tests/golden's current one) at layout 18, as main made it before layout
    19 (its golden file is that file as it was, eec5a49): late points *te laat sinds*."""
    from regie.reports import _agenda_pack, _archive, render_agenda, reproduce
    from tests.integration.reports_scenario import AS_OF as SEED_AS_OF
    from tests.integration.reports_scenario import MEETING as SEED_MEETING
    from tests.integration.reports_scenario import scenario_app

    app = scenario_app(tmp_path / "home", database_url, golden=True)  # tests.golden_seed
    plan = app.load_plan()
    for fmt in ("md", "html"):
        pack, _ = _agenda_pack(app, "stuurgroep", SEED_MEETING, SEED_AS_OF, layout=18)
        old = render_agenda(pack, fmt, layout=18)
        golden = GOLDEN / f"agenda_stuurgroep_2016-04-12_asof_2016-01-15.layout18.{fmt}"
        assert old == golden.read_bytes()
        assert b"te laat sinds 31-12-2015" in old
        parameters = {"body": "stuurgroep", "meeting": SEED_MEETING.isoformat(),
                      "as_of": SEED_AS_OF.isoformat(), "layout": 18}  # fmt: skip
        archived = _archive(app, plan, "agenda", fmt, "Agenda", SEED_AS_OF, parameters, old, True)
        again = reproduce(app, archived.archive_id)
        assert again.matches and again.content == old
