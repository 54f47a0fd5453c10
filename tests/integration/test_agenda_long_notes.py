"""Agenda layout 10's words in the item tables: a long owner's note is cut and given once in
full at the pack's end (walk32c 6), a slipped item at risk says so (walk32a 11); layout 9
printed the note whole in every table and said *verschoven* only."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from governance.agenda import AgendaPack
from governance.agenda_model import NOTE_EXCERPT, ItemLine, note_excerpt
from regie.bootstrap import App
from regie.reports import agenda_pack, render_agenda
from tests.integration.reports_scenario import AS_OF, MEETING, scenario_app

CONTENT_ONLY = pytest.mark.one_database(
    "the pack's words, from SQL this file's other PostgreSQL tests run"
)

LONG = "Lange toelichting over wat vastloopt. " * 55 + "Slotzin."


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    return scenario_app(tmp_path / "home", database_url)


def _with_long_note(pack: AgendaPack) -> tuple[AgendaPack, str]:
    """``pack`` with a long note on its first amber or red item (in its step's table and the
    annex)."""
    step = next(s for s in pack.steps if s.exceptions)
    item_id = step.exceptions[0].item_id

    def long(lines: tuple[ItemLine, ...]) -> tuple[ItemLine, ...]:
        return tuple(replace(x, note=LONG) if x.item_id == item_id else x for x in lines)

    steps = tuple(replace(s, exceptions=long(s.exceptions)) for s in pack.steps)
    return replace(pack, steps=steps, annex=long(pack.annex)), item_id


def test_note_excerpt_cuts_at_a_word() -> None:
    cut = note_excerpt(LONG)
    assert cut is not None and len(cut) <= NOTE_EXCERPT
    assert LONG.startswith(cut) and LONG[len(cut)] in " ."  # a whole word, not half a one
    assert note_excerpt("kort") is None
    assert note_excerpt("x" * 400) == "x" * NOTE_EXCERPT  # one endless word: cut anyway


def test_layout_10_cuts_a_long_note_and_gives_it_once_in_full(app: App) -> None:
    pack, item_id = _with_long_note(agenda_pack(app, "stuurgroep", MEETING, AS_OF))
    html = render_agenda(pack, "html").decode()
    assert html.count(LONG) == 1  # only at the end, not in the step's table nor the annex
    assert html.count(f'href="#toelichting-{item_id}"') == 2
    assert f'<h3 id="toelichting-{item_id}">' in html
    assert html.index("Toelichtingen in volledige tekst") > html.index("Alle punten")
    md = render_agenda(pack, "md").decode()
    assert md.count("volledige tekst onder *Toelichtingen in volledige tekst*") == 2
    assert md.count("## Toelichtingen in volledige tekst") == 1
    assert md.count("Slotzin.") == 1


@CONTENT_ONLY
def test_layout_9_still_prints_the_note_whole(app: App) -> None:
    pack, _ = _with_long_note(agenda_pack(app, "stuurgroep", MEETING, AS_OF))
    html = render_agenda(pack, "html", layout=9).decode()
    assert html.count(LONG) == 2 and "Toelichtingen in volledige tekst" not in html
    md = render_agenda(pack, "md", layout=9).decode()
    assert md.count("Slotzin.") == 2 and "volledige tekst" not in md


@CONTENT_ONLY
def test_layout_10_says_a_slipped_item_at_risk_is_at_risk(app: App) -> None:
    """walk32a 11: an owner's "Risico" with a later date read only *verschoven* in the pack,
    where the answer page says "Verschoven naar …, met risico"."""
    pack = agenda_pack(app, "stuurgroep", MEETING, AS_OF)
    step = next(s for s in pack.steps if s.exceptions)
    item_id = step.exceptions[0].item_id

    def risky(lines: tuple[ItemLine, ...]) -> tuple[ItemLine, ...]:
        return tuple(
            replace(x, state="slipped", at_risk=True) if x.item_id == item_id else x for x in lines
        )

    steps = tuple(replace(s, exceptions=risky(s.exceptions)) for s in pack.steps)
    pack = replace(pack, steps=steps, annex=risky(pack.annex))
    in_ahead = sum(1 for x in pack.ahead if x.item_id == item_id)
    pack = replace(pack, ahead=risky(pack.ahead))
    for fmt in ("html", "md"):
        # In its exception and the annex, and in *Vooruitblik* when its forecast falls before
        # the meeting (layout 20, walk55e 1: the look-ahead starts on the pack's day).
        said = render_agenda(pack, fmt).decode().count("verschoven, met risico")
        assert said == 2 + in_ahead
        assert "met risico" not in render_agenda(pack, fmt, layout=9).decode()


def test_layout_12_the_pdf_annex_file_says_at_risk_too(app: App) -> None:
    """dec45 3: the PDF's annex file (every item) said *verschoven* of 1.2.1, answered
    *Risico*, where the HTML and Markdown pack's annex say *verschoven, met risico*. Layout 12
    says it there too; an annex of layout 11 is made again as it was (reproduce: IDENTICAL)."""
    from regie.report_archive import ANNEX_KIND
    from regie.reports import _agenda_pack, _archive, render_agenda_annex, reproduce

    pack = agenda_pack(app, "stuurgroep", MEETING, AS_OF)
    risky = [x.item_id for x in pack.annex if x.state == "slipped" and x.at_risk]
    assert risky == ["1.2.1"]  # the scenario's answer
    annex = render_agenda_annex(pack).decode()
    assert annex.count("verschoven, met risico") == 1
    assert "verschoven, met risico" in render_agenda(pack, "html").decode()
    old_pack, _ = _agenda_pack(app, "stuurgroep", MEETING, AS_OF, layout=11)
    old = render_agenda_annex(old_pack, 11)
    assert b"met risico" not in old
    parameters = {"body": "stuurgroep", "meeting": MEETING.isoformat(), "as_of": AS_OF.isoformat(),
                  "layout": 11}  # fmt: skip
    archived = _archive(app, app.load_plan(), ANNEX_KIND, "html", "Bijlage", AS_OF, parameters,
                        old, True)  # fmt: skip
    again = reproduce(app, archived.archive_id)
    assert again.matches and again.content == old
