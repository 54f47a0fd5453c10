"""Agenda layout 20 and progress layout 19 (note54 "nu 1 mijlpalen"), golden files in Markdown
and HTML: the example plan with one milestone under action 1.1 and step 1 of one item (1.1.1),
the stuurgroep's decision of 9 July 2026 about action 1.1, one working day to *verouderd*, 2.1.1
dated in the plan file on 15 September without a decision, and 1.1.1 reported on schedule on 1
September. October's pack (as of 1 October) and the progress report over July–December 2026 (as
of 2 November) count one in the singular: *nu 1 mijlpaal*, *0 van 1 punt groen*, *1 werkdag*,
*1 van de 4 punten heeft een update*, *En nog 1 punt*.

The layouts before are made again as built, with the plural: their golden files were made by
the code before this change (main at 03fb4d4, ``REGIE_UPDATE_GOLDEN=1`` on a copy of its tree).
Each layout is archived and reproduced byte for byte. ``REGIE_UPDATE_GOLDEN=1`` writes the
current layout's files."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from regie.bootstrap import App
from tests.cli import ROOT
from tests.integration.layout_golden import made_at, synced_at
from tests.integration.reports_scenario import migrated_app

EXAMPLE = ROOT / "docs" / "examples" / "eigen-programma.yaml"
FIRST_SYNC, EDITED = datetime(2026, 6, 1, 8, tzinfo=UTC), datetime(2026, 9, 15, 8, tzinfo=UTC)
JULY, MEETING, AS_OF = date(2026, 7, 9), date(2026, 10, 8), date(2026, 10, 1)
START, END, REPORT_AS_OF = date(2026, 7, 1), date(2026, 12, 31), date(2026, 11, 2)
ON_SCHEDULE = date(2026, 9, 1)
LAYOUT_ONLY = pytest.mark.one_database("the documents' layout, from the md documents' SQL")
MILESTONE_112 = """          - id: "1.1.2"
            title: Sensoren geplaatst
            gereed: Q1-2027
"""
ACTION_12 = """      - id: "1.2"
        title: Gezondheidseffecten in beeld
        owners: [GGD]
        gereed: eind 2027
"""


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    from governance.answers import OFFICE, AnswerInput
    from regie.answers import check_answer, store_answers
    from regie.decisions import add_decision

    home = tmp_path / "home"
    home.mkdir()
    plan_file = home / "actions.yaml"
    text = EXAMPLE.read_text(encoding="utf-8")
    assert text.count(MILESTONE_112) == 1 and text.count(ACTION_12) == 1
    assert text.count("  escalate_after_overdue_days: 15") == 1
    text = (
        text.replace(MILESTONE_112, "")
        .replace(ACTION_12, "")
        .replace(
            "  escalate_after_overdue_days: 15",
            "  stale_after_days: 1\n  escalate_after_overdue_days: 15",
        )
    )
    plan_file.write_text(text, encoding="utf-8")
    app = migrated_app(home, database_url)
    synced_at(app, FIRST_SYNC)
    add_decision(app, "stuurgroep", JULY, "Meetnet uitbreiden: locaties in Q3", item_id="1.1")
    text = plan_file.read_text(encoding="utf-8")  # 2.1.1 dated without a decision
    assert text.count("gereed: Ntb ") == 1
    plan_file.write_text(text.replace("gereed: Ntb ", "gereed: december 2026 "), encoding="utf-8")
    synced_at(app, EDITED)
    plan = app.load_plan()
    answer = AnswerInput("1.1.1", "on_track", None, None, None)
    update = check_answer(plan, answer, OFFICE, ON_SCHEDULE)
    at = datetime.combine(ON_SCHEDULE, time(12), UTC)
    store_answers(app, plan, [replace(update, source="cli", recorded_at=at)])
    return app


def _pack(app: App, monkeypatch: pytest.MonkeyPatch, layout: int, fmt: str) -> str:
    from regie.reports import agenda

    name = f"agenda_count_words_stuurgroep_{MEETING}_asof_{AS_OF}.layout{layout}.{fmt}"
    return made_at(app, monkeypatch, "agenda", layout,
                   lambda: agenda(app, "stuurgroep", MEETING, AS_OF, fmt), name)  # fmt: skip


def _report(app: App, monkeypatch: pytest.MonkeyPatch, layout: int, fmt: str) -> str:
    from regie.reports import voortgang

    name = f"voortgang_count_words_{START}_{END}_asof_{REPORT_AS_OF}.layout{layout}.{fmt}"
    return made_at(app, monkeypatch, "voortgang", layout,
                   lambda: voortgang(app, START, END, REPORT_AS_OF, fmt), name)  # fmt: skip


def test_a_colour_line_adds_nothing_where_the_previous_pack_agrees(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """walk55e 4, fix55u: layout 20 names the previous pack's colour only where it differs
    from the previous meeting's day (tests/unit/test_agenda_shown_colours.py); fix55s's general
    sentence about the colour basis is gone, the line reads as in layout 19."""
    new, old = (_pack(app, monkeypatch, n, "md") for n in (20, 19))
    for pack in (new, old):
        worse = pack.split("**Wat is verslechterd**", 1)[1]
        assert "- Stap 1. Meten: groen → rood" in worse
    assert "in het vorige stuk" not in new and "De kleur vóór de pijl" not in new


@pytest.mark.parametrize("fmt", ["md", pytest.param("html", marks=LAYOUT_ONLY)])
def test_the_pack_counts_one_in_the_singular(
    app: App, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    from regie.report_build import AGENDA_COUNT_WORDS_FROM, AGENDA_LAYOUT

    assert AGENDA_LAYOUT >= AGENDA_COUNT_WORDS_FROM == 20
    new, old = (_pack(app, monkeypatch, n, fmt) for n in (20, 19))
    # The decision list: the decision about action 1.1, of its one milestone.
    assert "nu 1 mijlpaal: 1 " in new and "mijlpalen" not in new
    assert "nu 1 mijlpalen: 1 " in old  # layout 19, as built
    # Step 1 has one item; the legend's one working day.
    assert "van 1 punt groen" in new and "van 1 punten groen" in old
    assert "geen statusupdate in 1 werkdag terwijl" in new
    assert "geen statusupdate in 1 werkdagen terwijl" in old
    assert " 1 werkdagen" not in new


@pytest.mark.parametrize("fmt", ["md", pytest.param("html", marks=LAYOUT_ONLY)])
def test_the_progress_report_counts_one_in_the_singular(
    app: App, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    from governance.progress import COUNT_WORDS_FROM, LAYOUT

    assert LAYOUT >= COUNT_WORDS_FROM == 19
    new, old = (_report(app, monkeypatch, n, fmt) for n in (19, 18))
    assert "(1 van de 4 punten heeft een update)" in new
    assert "(1 van de 4 punten hebben een update)" in old  # layout 18, as built


@pytest.mark.parametrize(
    ("total", "used", "words"),
    [
        (1, 1, "het enige punt heeft een update"),
        (1, 0, "het enige punt heeft geen update"),
        (4, 1, "1 van de 4 punten heeft een update"),
        (4, 2, "2 van de 4 punten hebben een update"),
    ],
)
def test_the_sources_line_agrees_with_its_count(total: int, used: int, words: str) -> None:
    """The *Bronnen* sentence's verb and noun follow the counts (progress layout 19); the
    layout before keeps *hebben* and *punten* whatever the count."""
    assert words in _sources_line(used, total, count_words=True)
    assert "punten hebben een update" in _sources_line(used, total, count_words=False)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_cut_lists_count_one_in_the_singular(
    app: App, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """Every list the pack cuts (page 1's points, *Wat is verslechterd*, the changes, a step's
    table) says *En nog 1 …* in the singular from layout 20 (here cut after none)."""
    from governance.agenda import LIMITS
    from regie.reports import _agenda_pack, render_agenda

    for name in ("asked", "since", "step"):
        monkeypatch.setitem(LIMITS, name, 0)
    texts = {}
    for layout in (20, 19):
        pack, _ = _agenda_pack(app, "stuurgroep", MEETING, AS_OF, layout=layout)
        texts[layout] = " ".join(render_agenda(pack, fmt, layout=layout).decode().split())
    new, old = texts[20], texts[19]
    for one, many in [
        ("nog 1 zo’n punt onder agendapunt 4", "nog 1 zulke punten onder agendapunt 4"),
        ("nog 1 punt — zie de tabellen per stap", "nog 1 punten — zie de tabellen per stap"),
        ("nog 1 wijziging", "nog 1 wijzigingen"),
        ("nog 1 punt — zie bijlage", "nog 1 punten — zie bijlage"),
    ]:
        assert one in new and many not in new, one
        assert many in old, many  # layout 19, as built


def test_a_pdf_and_its_annex_count_their_one_point_in_the_singular(app: App) -> None:
    """The PDF's pointer to its annex file and the annex's own top line: *het enige punt*,
    *1 punt* from agenda layout 20 (and progress layout 19); *alle 1 punten* before."""
    from regie.reports import agenda_pack, render_agenda_annex

    pack = agenda_pack(app, "stuurgroep", MEETING, AS_OF)
    one = replace(pack, annex=pack.annex[:1])
    assert "Stand van zaken per 1 oktober 2026 · 1 punt</p>" in render_agenda_annex(one).decode()
    assert "· 1 punten</p>" in render_agenda_annex(one, 19).decode()
    for name in ("agenda.html.j2", "voortgang.html.j2"):
        line = _expression(name, "Het overzicht van ", " (nummer,")
        owner = "pack" if name.startswith("agenda") else "r"
        for count_words, total, words in [
            (True, 1, "het enige punt"), (True, 3, "alle 3 punten"), (False, 1, "alle 1 punten"),
        ]:  # fmt: skip
            shown = line.render({owner: {"annex": [None] * total}, "count_words": count_words})
            assert shown == f"Het overzicht van {words}", (name, shown)


def _sources_line(used: int, total: int, *, count_words: bool) -> str:
    """The *Bronnen* sentence's count as the templates write it (the same in md and html)."""
    line = _expression("voortgang.md.j2", "({% if count_words", "{% endif %})")
    assert line.source in _template_text("voortgang.html.j2")
    return line.render(r={"updates_used": used, "annex": [None] * total}, count_words=count_words)


class _Line:
    """One line of a template, from ``start`` up to and including ``end``, made a template."""

    def __init__(self, source: str) -> None:
        from reports.render import environment

        self.source = source
        self._template = environment().from_string(source)

    def render(self, *args: object, **context: object) -> str:
        return self._template.render(*args, **context)


def _template_text(name: str) -> str:
    return (ROOT / "reports" / "templates" / name).read_text(encoding="utf-8")


def _expression(name: str, start: str, end: str) -> _Line:
    text = _template_text(name)
    first = text.index(start)
    return _Line(text[first : text.index(end, first) + (len(end) if end.startswith("{") else 0)])


@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_the_chart_alt_texts_say_punten_and_count_one_in_the_singular(app: App, fmt: str) -> None:
    """review55 3: the charts' alt texts (an img's alt in HTML, Word's description in DOCX,
    from the Markdown) said *1 items* and *items* where the pack says *punten*; from layout 20
    they follow the pack (reports/templates/_chart_alt.j2). Layout 19 is made as built."""
    import io
    import zipfile

    from regie.reports import _agenda_pack, render_agenda

    texts = {}
    for layout in (20, 19):
        pack, _ = _agenda_pack(app, "stuurgroep", MEETING, AS_OF, layout=layout)
        made = render_agenda(pack, fmt, layout=layout)
        if fmt == "docx":
            made = zipfile.ZipFile(io.BytesIO(made)).read("word/document.xml")
        texts[layout] = " ".join(made.decode().split())
    new, old = texts[20], texts[19]
    assert "Staafdiagram van het aantal punten per stap naar RAG-kleur. Stap 1: 1 rood;" in new
    assert "peildatum 01-10-2026: 1 punt met een deadline (1 rood). Rood: 1.1.1 " in new
    assert "(1 groen). Geen oranje of rode punten." in new
    assert " items" not in new
    assert "Staafdiagram van het aantal items per stap" in old  # layout 19, as built
    assert "peildatum 01-10-2026: 1 items met een deadline (1 rood)." in old
