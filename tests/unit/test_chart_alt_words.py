"""review55 3: agenda layout 20's chart alt texts (reports/templates/_chart_alt.j2) say *punten*,
as the pack does everywhere else, and count one in the singular; layouts up to 19 keep
reports.charts' words (their golden files are unchanged)."""

from __future__ import annotations

import re
from datetime import date
from types import SimpleNamespace
from typing import cast

from governance.agenda import AgendaPack, ItemLine, StepLine
from reports import charts
from reports.render import chart_alt, environment
from tests.unit.test_chart_access import AS_OF, LINES, STEPS, _line


def timeline_words(lines: list[ItemLine], as_of: date = AS_OF) -> str:
    return chart_alt("timeline_alt", charts.timeline_facts(lines, as_of), as_of, 1)


def test_one_punt_is_singular() -> None:
    alt = timeline_words([_line("1.1", "red", "Locaties")])
    assert alt == (
        "Tijdlijn van stap 1, peildatum 15-01-2016: 1 punt met een deadline (1 rood)."
        " Rood: 1.1 Locaties (deadline 31-12-2015)."
    )
    assert "items" not in timeline_words([_line("1.2", "green")])
    assert timeline_words([_line("1.2", "green")]).endswith(
        ": 1 punt met een deadline (1 groen). Geen oranje of rode punten."
    )


def test_more_red_or_amber_than_named_counts_one_in_the_singular() -> None:
    one_more = [_line(f"1.{n}", "red") for n in range(charts.ALT_NAMED + 1)]
    assert timeline_words(one_more).endswith(". En nog 1 oranje of rood punt.")
    three_more = [_line(f"1.{n}", "amber") for n in range(charts.ALT_NAMED + 3)]
    assert timeline_words(three_more).endswith(". En nog 3 oranje of rode punten.")
    # The older layouts' words: the plural and *items*, as they were made.
    assert charts.timeline_alt(one_more, AS_OF, 1).endswith(" En nog 1 oranje of rode items.")


def test_the_same_content_as_the_older_layouts_words() -> None:
    """Only the wording differs: the items named, the dates and the counts are the same."""
    alt = timeline_words(LINES)
    old = charts.timeline_alt(LINES, AS_OF, 1)
    assert alt == old.replace("3 items met", "3 punten met")
    many = [_line(f"1.{n}", "green") for n in range(charts.TIMELINE_LIMIT + 5)]
    assert f": {charts.TIMELINE_LIMIT} van de {charts.TIMELINE_LIMIT + 5} punten met" in (
        timeline_words(many)
    )
    assert timeline_words([]) == charts.timeline_alt([], AS_OF, 1) == ""


def test_the_bar_chart_counts_punten_and_says_geen_punten() -> None:
    steps = [
        *STEPS,
        StepLine(3, "Drie", "grey", {"green": 0, "amber": 0, "red": 0, "grey": 0}, 0, ()),
    ]
    alt = chart_alt("rag_alt", steps)
    assert alt == (
        "Staafdiagram van het aantal punten per stap naar RAG-kleur. Stap 1: 7 groen, 4 rood,"
        " 1 grijs; Stap 2: 4 groen, 2 oranje; Stap 3: geen punten."
    )
    assert charts.rag_summary_alt(steps).endswith("Stap 3: geen items.")


def test_a_title_is_escaped_once_in_html() -> None:
    """The macro gives plain text; the img's alt escapes it, once (as the older layouts')."""
    page = environment().from_string(
        '<img alt="{{ chart_alt("timeline_alt", timeline_facts(lines, as_of), as_of, 1) }}">'
    )
    html = page.render(lines=[_line("1.1", "red", "Meten & <weten>")], as_of=AS_OF)
    assert "1.1 Meten &amp; &lt;weten&gt; (deadline" in html


def _axis_labels(layout: int | None) -> list[str]:
    from regie.report_render import _agenda_charts

    pack = cast(AgendaPack, SimpleNamespace(steps=STEPS, annex=[], as_of=AS_OF))
    drawn = (
        _agenda_charts(pack, ("svg",)) if layout is None else _agenda_charts(pack, ("svg",), layout)
    )
    return re.findall(r">(aantal [a-z]+)<", drawn["svg"]["rag"].decode())


def test_the_bar_chart_itself_counts_punten_from_layout_20() -> None:
    """review55c 2: the image says what its alt text says (the axis label, in the HTML's SVG
    and the PDF's and Word's PNG alike); layouts up to 19 keep *aantal items*."""
    assert _axis_labels(20) == _axis_labels(None) == ["aantal punten"]
    assert _axis_labels(19) == _axis_labels(1) == ["aantal items"]
