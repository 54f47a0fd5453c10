"""The RAG colours as drawn: every colour on a chart stands out from the white background by at
least 3:1 (WCAG 1.4.11, graphical objects), bar segments are set apart by a white line (their
colours are too alike in lightness to meet 3:1 side by side), text on a colour meets 4.5:1
(WCAG 1.4.3) in the reports' badges and the web's, and a web badge's border stands out from the
page. The colours are read from where they are used: the charts' SVG, the reports' rendered
CSS, the web's stylesheet."""

from __future__ import annotations

import re
from datetime import date

import pytest

from governance.decisions import Measurement
from governance.plan import Indicator
from governance.progress import IndicatorProgress
from reports import charts
from reports.render import environment
from tests.unit.test_chart_access import AS_OF, LINES, STEPS
from web.templating import STATIC

WHITE = "#ffffff"
RAGS = ("green", "amber", "red", "grey")
_HEX = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b")


def _full(colour: str) -> str:
    colour = colour.lower()
    return "#" + "".join(c * 2 for c in colour[1:]) if len(colour) == 4 else colour


def _luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of an sRGB colour."""
    value = _full(colour)
    channels = [int(value[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_is_computed_as_wcag_does() -> None:
    assert round(contrast("#000", "#fff"), 2) == 21.0
    assert round(contrast("#767676", WHITE), 2) == 4.54  # the well-known AA grey
    assert contrast("#f9a825", WHITE) < 3  # the amber that was too light


def _drawn() -> dict[str, str]:
    progress = IndicatorProgress(
        Indicator("ind", "doel", "Aandeel", "%", 14.0, date(2020, 12, 31), 4.5),
        "Doel",
        (Measurement("ind", 5.8, date(2015, 12, 31), "CBS"),
         Measurement("ind", 6.1, date(2016, 12, 31), "CBS")),
    )  # fmt: skip
    timeline = charts.timeline(LINES, AS_OF, ("svg",))
    assert timeline is not None
    return {
        "rag": charts.rag_summary(STEPS, ("svg",))["svg"].decode(),
        "timeline": timeline["svg"].decode(),
        "indicator": charts.indicator(progress, ("svg",))["svg"].decode(),
    }


@pytest.fixture(scope="module")
def drawn() -> dict[str, str]:
    return _drawn()


def test_every_colour_on_a_chart_stands_out_from_its_white_background(
    drawn: dict[str, str],
) -> None:
    seen: set[str] = set()
    for name, svg in drawn.items():
        # The figure's background: the first patch, white.
        background = re.search(r'<g id="patch_1">\s*<path d="[^"]*" style="fill: (#\w+)', svg)
        assert background and background.group(1) == WHITE, name
        colours = {_full(c) for c in _HEX.findall(svg)} - {WHITE}
        seen |= colours
        for colour in colours:
            assert contrast(colour, WHITE) >= 3, (name, colour, contrast(colour, WHITE))
    # Every RAG colour was drawn and checked (grey is in the bar chart only).
    assert {charts.RAG_COLOURS[r] for r in RAGS} <= seen
    assert set(charts.INDICATOR_COLOURS.values()) <= seen


def test_bar_segments_are_set_apart_by_a_white_line(drawn: dict[str, str]) -> None:
    svg = drawn["rag"]
    # A hatched segment is filled with a pattern: its colour is the pattern's rectangle.
    patterns = dict(re.findall(r'<pattern id="(\w+)".*?<rect [^>]*fill="(#\w+)"', svg, re.S))
    segments = re.findall(r"fill: (#\w+|url\(#\w+\)); stroke: (#\w+); stroke-width: ([\d.]+)", svg)
    filled = [(patterns.get(fill[5:-1], fill), edge, width) for fill, edge, width in segments]
    filled = [s for s in filled if s[0] in charts.RAG_COLOURS.values()]
    assert len(filled) == 2 * 4 + 4  # a bar per step and colour (0 wide if none), a legend key each
    for fill, edge, width in filled:
        assert edge == WHITE and float(width) > 0, (fill, edge, width)
        assert contrast(fill, edge) >= 3, fill
    # Side by side without the line they would not do: that is why the line is there.
    assert contrast(charts.RAG_COLOURS["red"], charts.RAG_COLOURS["green"]) < 3


def _report_badges() -> dict[str, tuple[str, str]]:
    """RAG → (background, text) from the reports' CSS as rendered (HTML and PDF)."""
    css = environment().get_template("_base.html.j2").render(title="t", footer="f")
    found = re.findall(r"\.rag-(\w+) \{ background: (#\w+); color: (#\w+); \}", css)
    return {rag: (bg, fg) for rag, bg, fg in found}


def test_report_badges_use_the_chart_colours_with_readable_text() -> None:
    badges = _report_badges()
    assert set(badges) == set(RAGS)
    for rag, (background, text) in badges.items():
        assert background == charts.RAG_COLOURS[rag], rag  # one palette for charts and badges
        assert contrast(text, background) >= 4.5, (rag, contrast(text, background))
        # On a white cell, and on the total row's grey (#eee).
        assert contrast(background, WHITE) >= 3, rag
        assert contrast(background, "#eeeeee") >= 3, rag


def _web_colours() -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    css = (STATIC / "regie.css").read_text(encoding="utf-8")
    variables = dict(re.findall(r"--(regie-[\w-]+):\s*(#[0-9a-fA-F]{3,6})\b", css))
    rules = re.findall(
        r"\.rag-(\w+) \{ color: var\(--([\w-]+)\); background: var\(--([\w-]+)\); \}", css
    )
    return variables, {rag: (variables[fg], variables[bg]) for rag, fg, bg in rules}


def test_web_badges_have_readable_text_and_a_visible_border() -> None:
    variables, badges = _web_colours()
    assert set(badges) == set(RAGS)
    page = variables["regie-background"]
    for rag, (text, background) in badges.items():
        assert contrast(text, background) >= 4.5, (rag, contrast(text, background))
        # The border is the text's colour (currentColor): it outlines the badge on the page.
        assert contrast(text, page) >= 3, rag
        assert contrast(text, variables["regie-surface"]) >= 3, rag
