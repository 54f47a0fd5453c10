"""Agenda layout 19 (fix54g), on the example plan: the stuurgroep meets on 9 July and 8 October
2026 (and 14 January 2027); the meeting preparation sends July's pack as of 2 July. After it,
before the meeting: 1.1.1's deadline (6 July) passes and GGD reports 1.2 at risk (6 July). On
the meeting's day the office moves 1.1.2 in the plan file (Q1-2027 → Q2-2027) and the meeting
decides on 1.1.2 (a decision naming the item, no new date).

October's pack of layout 19 lists both deteriorations under *Wat is verslechterd*, marked
*nog niet in het vorige agendapakket* (walk54b's cross-check: layout 18 compared with the
meeting's day, when both had happened, so no pack ever listed them), and the edit as
*bekrachtigd bij besluit …* (the rule of *…accorderen?* and of progress layout 18; layout 18
said *zonder besluit*). January's pack, after October's went out, lists neither again. Each
pack is archived and made again byte for byte."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from regie.bootstrap import App
from tests.cli import ROOT
from tests.integration.layout_golden import made_at, synced_at
from tests.integration.migrated_template import copy_recorded
from tests.integration.reports_scenario import make_app, migrated_app

EXAMPLE = ROOT / "docs" / "examples" / "eigen-programma.yaml"
JULY, OCTOBER, JANUARY = date(2026, 7, 9), date(2026, 10, 8), date(2027, 1, 14)
JULY_PACK, OCTOBER_PACK, JANUARY_PACK = date(2026, 7, 2), date(2026, 10, 1), date(2027, 1, 7)
RISK = date(2026, 7, 6)
MARK = "(nog niet in het vorige agendapakket)"
RATIFIED = (
    "datum gewijzigd in het plan: Q1-2027 → Q2-2027 (vastgelegd op 09-07-2026; bekrachtigd bij "
    "besluit Stuurgroep Schone Lucht, 9 juli 2026)"
)
UNRATIFIED = (
    "datum gewijzigd in het plan zonder besluit: Q1-2027 → Q2-2027 (vastgelegd op 09-07-2026)"
)


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    """July's pack sent, then 1.2 at risk, 1.1.2 moved in the file and the decision on it
    (recorded once per worker and database kind, copied for each test: :func:`copy_recorded`)."""
    home = tmp_path / "home"
    copy_recorded("worse-catch-up-pack", home, database_url, _record_changes)
    return make_app(home, database_url)


def _record_changes(home: Path, database_url: str) -> None:
    from governance.answers import OFFICE, AnswerInput
    from regie.answers import check_answer, store_answers
    from regie.decisions import add_decision
    from regie.prepare import prepare_meetings

    home.mkdir()
    plan_file = home / "actions.yaml"
    shutil.copyfile(EXAMPLE, plan_file)
    text = plan_file.read_text(encoding="utf-8")
    assert text.count("gereed: Q3-2026") == 1 and text.count("gereed: Q1-2027") == 1
    plan_file.write_text(text.replace("gereed: Q3-2026", "gereed: 6 juli 2026"), encoding="utf-8")
    app = migrated_app(home, database_url)
    synced_at(app, datetime(2026, 6, 1, 9, tzinfo=UTC))  # fixed: the documents show no wall clock
    assert prepare_meetings(app, JULY_PACK).packs  # July's pack goes out
    plan = app.load_plan()
    update = check_answer(plan, AnswerInput("1.2", "at_risk", None, None, None), OFFICE, RISK)
    store_answers(app, plan, [replace(update, source="cli", recorded_at=datetime.combine(
        RISK, time(12), UTC))])  # fmt: skip
    plan_file.write_text(
        plan_file.read_text(encoding="utf-8").replace("gereed: Q1-2027", "gereed: Q2-2027"),
        encoding="utf-8",
    )
    synced_at(app, datetime(2026, 7, 9, 7, tzinfo=UTC))  # the meeting's morning
    add_decision(app, "stuurgroep", JULY, "Verschuiving 1.1.2 akkoord", item_id="1.1.2")


def _made(app: App, monkeypatch: pytest.MonkeyPatch, layout: int) -> str:
    """October's pack at ``layout``, archived and made again byte for byte."""
    from regie.reports import agenda

    return made_at(app, monkeypatch, "agenda", layout,
                   lambda: agenda(app, "stuurgroep", OCTOBER, OCTOBER_PACK, "md"))  # fmt: skip


def test_what_got_worse_after_the_previous_pack_reaches_the_next(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    from regie.report_build import AGENDA_LAYOUT

    assert AGENDA_LAYOUT >= 19
    new, old = _made(app, monkeypatch, 19), _made(app, monkeypatch, 18)
    worse = new.split("**Wat is verslechterd**")[1].split("**Overige wijzigingen**")[0]
    assert f"| 1.1.1 | Locaties gekozen | te laat: deadline 06-07-2026 verstreken {MARK} |" in worse
    assert f"| 1.2 | Gezondheidseffecten in beeld | risico gemeld op 06-07-2026 {MARK} |" in worse
    # The count on page 1 and above the table, with fix54d's words.
    counts = (
        "1 nieuw te laat, 1 nieuw risico of verschuiving door de eigenaar gemeld "
        "(nog niet in het vorige agendapakket)"
    )
    assert f"Verslechterd sinds de vorige vergadering: {counts}" in new
    assert f"{counts}. | Nr |" in worse
    assert "Ook opgenomen, gemarkeerd met „nog niet in het vorige agendapakket”" in new
    # Layout 18, as built: on the meeting's day both had happened, so neither is listed.
    assert "nieuw te laat" not in old and "nieuw risico" not in old and MARK not in old
    # fix54a's rule in the pack: the meeting's decision on 1.1.2 ratified the edit.
    assert RATIFIED in new and UNRATIFIED not in new
    assert UNRATIFIED in old and "bekrachtigd" not in old


def test_each_deterioration_reaches_the_body_once(app: App) -> None:
    """After October's pack went out, January's lists neither again (compared with what
    October's pack showed: 1.1.1 late and 1.2 at risk already)."""
    from regie.prepare import prepare_meetings
    from regie.reports import agenda

    assert prepare_meetings(app, OCTOBER_PACK).packs
    pack = agenda(app, "stuurgroep", JANUARY, JANUARY_PACK, "md", archive=False).content.decode()
    since = pack.split("### Sinds de vorige vergadering")[1].split("\n### ")[0]
    assert "Wat er is veranderd sinds de vorige vergadering (8 oktober 2026)" in since
    assert "1.1.1 |" not in since and "1.2 |" not in since and MARK not in pack


def test_a_colour_that_turned_after_the_previous_pack_is_not_lost(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Agenda layout 20 (walk55e 4, fix55u): step 1 turned red between July's pack and its
    meeting (1.1.1 late) and is red since; layout 19 listed only the item, layout 20 also the
    colour, from what July's pack showed."""
    new, old = _made(app, monkeypatch, 20), _made(app, monkeypatch, 19)
    line = "Stap 1. Meten: oranje (in het vorige stuk) → rood (al op de vergadering)"
    worse = new.split("**Wat is verslechterd**")[1].split("| Nr |")[0]
    assert f"- {line}" in worse  # the colour lines, with the items below
    assert f"gemeld (nog niet in het vorige agendapakket); {line}." in new  # page 1
    # Layout 19, as built: red on the meeting's day and now, so no colour line at all.
    assert "Stap 1. Meten:" not in old and "in het vorige stuk" not in old
