"""Charts that do not rely on colour alone, labels that fit, and alt texts that state the
content (reports/charts.py)."""

from __future__ import annotations

import re
from datetime import date

from governance.agenda import ItemLine, StepLine
from governance.decisions import Measurement
from governance.plan import Indicator
from governance.progress import IndicatorProgress
from reports import charts

AS_OF = date(2016, 1, 15)
LONG = "Voorzitter Platform Biodiversiteit, Ecosysteemdiensten en Economie"


def _line(item_id: str, rag: str, title: str = "Item", forecast: date | None = None) -> ItemLine:
    return ItemLine(
        item_id=item_id, step=1, action_id=item_id, action_title=title, title=title,
        owners=("ienm",), gereed="Q4-2015", due=date(2015, 12, 31), forecast=forecast,
        state="late", rag=rag, stale=False, note=None, note_on=None, waiting_on=(),
    )  # fmt: skip


LINES = [
    _line("1.1", "red", LONG),
    _line("1.2", "green", "Afgerond"),
    _line("1.3", "amber", "Pilot", forecast=date(2016, 3, 31)),
]
STEPS = [
    StepLine(1, "Een", "red", {"green": 7, "amber": 0, "red": 4, "grey": 1}, 12, ()),
    StepLine(2, "Twee", "amber", {"green": 4, "amber": 2, "red": 0, "grey": 0}, 6, ()),
]


def _svg_text(svg: bytes) -> str:
    return svg.decode()


def test_timeline_dots_differ_in_shape_and_the_legend_names_the_colours() -> None:
    drawn = charts.timeline(LINES, AS_OF, ("svg",))
    assert drawn is not None
    svg = _svg_text(drawn["svg"])
    # Red, amber and green dots are three shapes (closed marker paths; ticks are open lines).
    markers = re.findall(r'<path id="m[0-9a-f]+" d="([^"]*)"', svg)
    assert len({d for d in markers if "z" in d or "C" in d}) == 3
    for name in ("rood", "oranje", "groen"):
        assert f">{name}<" in svg, name


def test_bar_segments_are_hatched_and_labelled() -> None:
    svg = _svg_text(charts.rag_summary(STEPS, ("svg",))["svg"])
    assert svg.count("<pattern") >= 2  # amber, red and grey each have a hatching
    for count in ("7", "4", "1", "2"):
        assert f">{count}<" in svg


def test_long_item_labels_are_shortened_to_fit_not_cut_off() -> None:
    drawn = charts.timeline(LINES, AS_OF, ("svg",))
    assert drawn is not None
    svg = _svg_text(drawn["svg"])
    labels = re.findall(r">(1\.1 [^<]*)<", svg)
    assert labels and labels[0].endswith("…"), labels
    assert charts._fit(f"1.1 {LONG}", charts.LABEL_WIDTH * 72) == labels[0]
    assert charts._fit("1.2 Afgerond", charts.LABEL_WIDTH * 72) == "1.2 Afgerond"


def test_alt_texts_state_what_the_charts_show() -> None:
    summary = charts.rag_summary_alt(STEPS)
    assert "Stap 1: 7 groen, 4 rood, 1 grijs; Stap 2: 4 groen, 2 oranje." in summary
    timeline = charts.timeline_alt(LINES, AS_OF, 1)
    assert "3 items met een deadline (1 groen, 1 oranje, 1 rood)" in timeline
    assert f"Rood: 1.1 {LONG} (deadline 31-12-2015)." in timeline
    assert "Oranje: 1.3 Pilot (deadline 31-12-2015, prognose 31-03-2016)." in timeline
    assert "Afgerond" not in timeline  # green items are counted, not named
    progress = IndicatorProgress(
        indicator=Indicator(
            id="co2", goal_id="g1", name="Uitstoot", unit="Mt", target=150.0,
            target_date=date(2020, 1, 1), baseline=200.0,
        ),
        goal_text="Minder uitstoot",
        measurements=(Measurement("co2", 180.5, date(2015, 12, 31), "CBS"),),
    )  # fmt: skip
    alt = charts.indicator_alt(progress)
    assert "Uitstoot" in alt and "Metingen: 31-12-2015: 180,5 Mt." in alt
    assert "Streefwaarde 150 Mt in 2020. Basis 200 Mt." in alt


def test_a_long_timeline_says_how_many_items_it_shows() -> None:
    lines = [_line(f"1.{n}", "green") for n in range(charts.TIMELINE_LIMIT + 5)]
    alt = charts.timeline_alt(lines, AS_OF, 1)
    assert f"{charts.TIMELINE_LIMIT} van de {charts.TIMELINE_LIMIT + 5} items" in alt
    assert "Geen oranje of rode items." in alt
