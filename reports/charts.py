"""Charts with matplotlib: a RAG summary per step and a timeline per step.

SVG for HTML, PNG for PDF and DOCX; each figure is built once and saved in every format asked
for (a pack in HTML and PDF at once costs one figure, not two). Output is deterministic (no
date in the metadata, a fixed hash salt for SVG ids), so the same data give the same bytes.
Labels are Dutch.

Colour is never the only cue (WCAG 1.4.1): each RAG colour has its own hatching in the bar
chart and its own marker shape on the timeline, named in the legend, and every bar segment
carries its count. Each chart has an alt text that states its content (:func:`rag_summary_alt`,
:func:`timeline_alt`, :func:`indicator_alt`; Jinja globals of :mod:`reports.render`). From
agenda layout 20 on, the agenda's two are worded in ``reports/templates/_chart_alt.j2``
(*punten*, a count of one in the singular) from :func:`timeline_facts`; the functions here
keep the words of older layouts, which are made again byte for byte.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from governance.agenda import ItemLine, StepLine
    from governance.progress_model import IndicatorProgress

#: The RAG colours of charts and of the reports' badges (reports/templates/_base.html.j2). Each
#: stands out from the white page and from the white lines between bar segments by at least 3:1
#: (WCAG 1.4.11); amber is a dark orange for that (a light amber was 2:1). Next to each other
#: they are too alike in lightness for 3:1 (red and green nearly equal): a white line always
#: separates them, and hatching and marker shapes tell them apart (below).
RAG_COLOURS = {"green": "#2e7d32", "amber": "#cc6600", "red": "#c62828", "grey": "#616161"}
#: The text on a RAG colour (a report's badge): at least 4.5:1 against it (WCAG 1.4.3).
RAG_TEXT_COLOURS = {"green": "#ffffff", "amber": "#000000", "red": "#ffffff", "grey": "#ffffff"}
#: The background of every chart, and the line between two bar segments.
BACKGROUND = "#ffffff"
#: An indicator chart's lines: the measurements, the target, the baseline (each >= 3:1 on white).
INDICATOR_COLOURS = {"measured": "#1f4e79", "target": "#2e7d32", "baseline": "#757575"}
#: The peildatum's dotted line on a timeline.
AS_OF_COLOUR = "#333333"
RAG_NAMES = {"green": "groen", "amber": "oranje", "red": "rood", "grey": "grijs"}
#: The second cue besides colour: a hatching per bar segment, a marker shape per timeline dot
#: (red and green have nearly the same luminance: a deuteranope tells them apart by shape).
RAG_HATCHES = {"green": "", "amber": "//", "red": "xx", "grey": "--"}  # dots: 68 kB of SVG
RAG_MARKERS = {"green": "o", "amber": "^", "red": "X", "grey": "s"}
#: Room for a timeline's item labels, in inches of the figure's 7 (a label longer than that
#: is shortened with "…"; the alt text and the tables have the full title).
LABEL_WIDTH = 2.9
DPI = 100
#: Not an image format: each chart's PNG size in pixels ("700x280"), known before it is drawn.
SIZE = "size"
#: A timeline with more items than this shows the exceptions first, then the earliest due.
TIMELINE_LIMIT = 40


def _figure(width: float, height: float) -> tuple[Any, Any]:
    """A figure with one axes, from matplotlib's object API: no pyplot (its import and its
    figure registry cost ≈ 0.1 s and nothing here needs them); savefig picks the Agg or SVG
    canvas by format."""
    import matplotlib
    from matplotlib.figure import Figure

    matplotlib.rcParams.update(
        {
            "svg.hashsalt": "regie",
            "svg.fonttype": "none",
            "font.family": "DejaVu Sans",
            "font.size": 8,
            "path.simplify": True,
        }
    )
    fig = Figure(figsize=(width, height), facecolor=BACKGROUND)
    ax = fig.subplots()
    ax.set_facecolor(BACKGROUND)
    return fig, ax


def _save(fig: Any, fmts: Sequence[str]) -> dict[str, bytes]:
    saved: dict[str, bytes] = {}
    for fmt in fmts:
        if fmt == SIZE:
            saved.update(_size(*fig.get_size_inches()))
            continue
        out = io.BytesIO()
        metadata: dict[str, Any] = (
            {"Date": None, "Creator": None} if fmt == "svg" else {"Software": None}
        )
        fig.savefig(out, format=fmt, metadata=metadata, dpi=DPI)
        saved[fmt] = out.getvalue()
    return saved


def _size(width: float, height: float) -> dict[str, bytes]:
    """The PNG's size in pixels as Agg's canvas will make it (it truncates), without a figure:
    a PDF can be laid out while its charts are drawn."""
    return {SIZE: f"{int(width * DPI)}x{int(height * DPI)}".encode()}


def _dates_in_range(ax: Any, mdates: Any) -> None:
    """Keep a date axis within matplotlib's dates (years 1–9999): the margin autoscaling adds
    around a date near either end (a peildatum of 9999-12-31) overflows when ticks are drawn."""
    lo, hi = ax.get_xlim()
    first, last = mdates.date2num(date.min), mdates.date2num(date.max)
    if lo < first or hi > last:
        ax.set_xlim(max(lo, first), min(hi, last))


#: The bar chart's axis label in agenda layouts up to 19 (layout 20 says *punten*, as the pack
#: does: ``reports/templates/_chart_alt.j2``, ``rag_axis``; review55c 2).
RAG_AXIS_ITEMS = "aantal items"


def rag_summary(
    steps: Sequence[StepLine], fmts: Sequence[str], axis: str = RAG_AXIS_ITEMS
) -> dict[str, bytes]:
    """A horizontal stacked bar per step: how many items are green, amber, red, grey;
    ``axis``: the count axis's label."""
    height = 0.4 * len(steps) + 1.2
    if tuple(fmts) == (SIZE,):
        return _size(7, height)
    from matplotlib.ticker import MaxNLocator

    fig, ax = _figure(7, height)
    fig.subplots_adjust(left=0.1, right=0.98, top=1 - 0.45 / height, bottom=0.5 / height)
    labels = [f"Stap {s.number}" for s in steps][::-1]
    left = [0] * len(steps)
    for colour in ("green", "amber", "red", "grey"):
        values = [s.counts[colour] for s in steps][::-1]
        ax.barh(
            labels, values, left=left, color=RAG_COLOURS[colour], label=RAG_NAMES[colour],
            hatch=RAG_HATCHES[colour], edgecolor=BACKGROUND, linewidth=0.8,
        )  # fmt: skip
        for y, (x, v) in enumerate(zip(left, values, strict=True)):
            if v:  # black on a white box: readable on every colour and hatching
                ax.text(x + v / 2, y, str(v), ha="center", va="center", color="black",
                        fontsize=7, bbox=_LABEL_BOX)  # fmt: skip
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # counts: no 2.5 items
    ax.set_xlabel(axis)
    ax.legend(ncol=4, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False, fontsize=7)
    ax.spines[["top", "right"]].set_visible(False)
    return _save(fig, fmts)


def timeline(
    lines: Sequence[ItemLine], as_of: date, fmts: Sequence[str]
) -> dict[str, bytes] | None:
    """Items on a time axis at their due date, an arrow to the forecast where it differs, and a
    dotted line at the peildatum. None when no item of the step has a date."""
    dated = _timeline_lines(lines, as_of)
    if not dated:
        return None
    height = 0.22 * len(dated) + 1.15
    if tuple(fmts) == (SIZE,):  # no matplotlib for a size: the PDF worker never imports it
        return _size(7, height)
    import matplotlib.dates

    mdates: Any = matplotlib.dates  # untyped helpers
    fig, ax = _figure(7, height)
    fig.subplots_adjust(
        left=(LABEL_WIDTH + 0.1) / 7, right=0.98, top=1 - 0.45 / height, bottom=0.45 / height
    )
    ys = list(range(len(dated)))[::-1]
    shown: dict[str, Any] = {}
    for y, line in zip(ys, dated, strict=True):
        colour = RAG_COLOURS[line.rag]
        (dot,) = ax.plot([line.due], [y], marker=RAG_MARKERS[line.rag], color=colour,
                         markersize=7, linestyle="none")  # fmt: skip
        shown.setdefault(line.rag, dot)
        if line.forecast is not None and line.forecast != line.due:
            ax.annotate(
                "",
                xy=(mdates.date2num(line.forecast), y),
                xytext=(mdates.date2num(line.due), y),
                arrowprops={"arrowstyle": "->", "color": colour, "lw": 1.2},
            )
    ax.axvline(mdates.date2num(as_of), color=AS_OF_COLOUR, linestyle=":", lw=1)
    ax.set_yticks(ys, [_fit(f"{x.item_id} {x.title}", LABEL_WIDTH * 72) for x in dated])
    order = [rag for rag in ("red", "amber", "green", "grey") if rag in shown]
    ax.legend([shown[rag] for rag in order], [RAG_NAMES[rag] for rag in order],
              ncol=4, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False,
              fontsize=7)  # fmt: skip
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=7))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%m-%Y"))
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_ylim(-0.8, len(dated) - 0.2)
    _dates_in_range(ax, mdates)
    return _save(fig, fmts)


_LABEL_BOX = {"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"}


def _timeline_lines(lines: Sequence[ItemLine], as_of: date) -> list[ItemLine]:
    """The items a timeline shows, top to bottom: the dated ones, at most TIMELINE_LIMIT
    (exceptions first, then the earliest due), by due date."""
    dated = [line for line in lines if line.due is not None]
    if len(dated) > TIMELINE_LIMIT:
        order = {"red": 0, "amber": 1, "green": 2, "grey": 3}
        dated = sorted(dated, key=lambda x: (order[x.rag], x.due or as_of))[:TIMELINE_LIMIT]
    return sorted(dated, key=lambda x: (x.due or as_of, x.item_id))


def _fit(label: str, points: float) -> str:
    """``label`` as wide as ``points`` at most in the axis labels' font (8 pt DejaVu Sans),
    shortened at a word with "…" if need be (the whole label if it fits)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    font = FontProperties(family="DejaVu Sans", size=8)
    measure = TextToPath()

    def width(text: str) -> float:
        return float(measure.get_text_width_height_descent(text, font, ismath=False)[0])

    if width(label) <= points:
        return label
    words = label.split()
    while len(words) > 1 and width(" ".join(words) + " …") > points:
        words.pop()
    text = " ".join(words)
    while len(text) > 1 and width(text + "…") > points:  # one long word
        text = text[:-1]
    return text.rstrip(" ,;:") + " …" if len(words) > 1 else text + "…"


def indicator(progress: IndicatorProgress, fmts: Sequence[str]) -> dict[str, bytes]:
    """Measured values over time against the target (dashed) and the baseline (dotted)."""
    ind = progress.indicator
    if tuple(fmts) == (SIZE,):
        return _size(6, 2.4)
    import matplotlib.dates

    mdates: Any = matplotlib.dates
    fig, ax = _figure(6, 2.4)
    fig.subplots_adjust(left=0.12, right=0.97, top=0.95, bottom=0.14)
    xs = [m.measured_on for m in progress.measurements]
    colour = INDICATOR_COLOURS
    ax.plot(xs, [m.value for m in progress.measurements], marker="o", color=colour["measured"],
            label="gemeten")  # fmt: skip
    ax.axhline(ind.target, color=colour["target"], linestyle="--", lw=1, label="streefwaarde")
    if ind.baseline is not None:
        ax.axhline(ind.baseline, color=colour["baseline"], linestyle=":", lw=1, label="basis")
    if ind.target_date is not None:
        ax.plot([ind.target_date], [ind.target], marker="*", color=colour["target"], markersize=9)
    ax.set_ylabel(ind.unit)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    _dates_in_range(ax, mdates)
    ax.legend(loc="best", frameon=False, fontsize=7)
    ax.spines[["top", "right"]].set_visible(False)
    return _save(fig, fmts)


def _counts(counts: dict[str, int]) -> str:
    parts = [f"{counts[rag]} {RAG_NAMES[rag]}" for rag in RAG_NAMES if counts.get(rag)]
    return ", ".join(parts) or "geen items"


def _short(day: date | None) -> str:
    return day.strftime("%d-%m-%Y") if day else "geen datum"


def rag_summary_alt(steps: Sequence[StepLine]) -> str:
    """The bar chart's content in words: per step, its items per RAG colour (agenda layouts up
    to 19; layout 20: ``reports/templates/_chart_alt.j2``)."""
    per_step = "; ".join(f"Stap {s.number}: {_counts(s.counts)}" for s in steps)
    return f"Staafdiagram van het aantal items per stap naar RAG-kleur. {per_step}."


#: An alt text names at most this many late or at-risk items (the table beside it has all).
ALT_NAMED = 10


@dataclass(frozen=True)
class TimelineFacts:
    """What a timeline's alt text says: the items it shows (``shown`` of the step's ``dated``),
    per colour, the red and the amber ones named (at most :data:`ALT_NAMED`, red first), and
    how many more red or amber ones it shows unnamed. Agenda layout 20 words it in
    ``reports/templates/_chart_alt.j2``; older layouts in :func:`timeline_alt`."""

    shown: int
    dated: int
    counts: dict[str, int]
    named: list[tuple[str, list[ItemLine]]]
    more: int


def timeline_facts(lines: Sequence[ItemLine], as_of: date) -> TimelineFacts | None:
    """The timeline's content (:class:`TimelineFacts`); None when it shows no item."""
    shown = _timeline_lines(lines, as_of)
    if not shown:
        return None
    counts = {rag: sum(1 for x in shown if x.rag == rag) for rag in RAG_NAMES}
    named: list[tuple[str, list[ItemLine]]] = []
    room = ALT_NAMED
    for rag in ("red", "amber"):
        late = [x for x in shown if x.rag == rag][:room]
        room -= len(late)
        if late:
            named.append((rag, late))
    more = counts["red"] + counts["amber"] - (ALT_NAMED - room)
    dated = sum(1 for x in lines if x.due is not None)
    return TimelineFacts(len(shown), dated, counts, named, more)


def timeline_alt(lines: Sequence[ItemLine], as_of: date, step: int) -> str:
    """The timeline's content in words, as agenda layouts up to 19 have it: how many items it
    shows per colour, and which items are red or amber, with their due date and forecast."""
    facts = timeline_facts(lines, as_of)
    if facts is None:
        return ""
    text = f"Tijdlijn van stap {step}, peildatum {_short(as_of)}: "
    text += f"{facts.shown} van de {facts.dated}" if facts.shown < facts.dated else f"{facts.shown}"
    text += f" items met een deadline ({_counts(facts.counts)})."
    for rag, late in facts.named:
        text += f" {RAG_NAMES[rag].capitalize()}: " + "; ".join(map(_late, late)) + "."
    if facts.more:
        text += f" En nog {facts.more} oranje of rode items."
    if not facts.named:
        text += " Geen oranje of rode items."
    return text


def _late(line: ItemLine) -> str:
    moved = line.forecast is not None and line.forecast != line.due
    forecast = f", prognose {_short(line.forecast)}" if moved else ""
    return f"{line.item_id} {line.title} (deadline {_short(line.due)}{forecast})"


def indicator_alt(progress: IndicatorProgress) -> str:
    """The indicator chart's content in words: the measurements against target and baseline."""
    from babel.numbers import format_decimal

    def number(value: float) -> str:  # as reports.render.number (which imports this module)
        return str(format_decimal(value, locale="nl_NL"))

    ind = progress.indicator
    unit = f" {ind.unit}" if ind.unit else ""
    values = "; ".join(f"{_short(m.measured_on)}: {number(m.value)}{unit}"
                       for m in progress.measurements)  # fmt: skip
    text = f"Lijndiagram van indicator {ind.id} ({ind.name}). Metingen: {values}."
    text += f" Streefwaarde {number(ind.target)}{unit}"
    text += f" in {ind.target_date.year}." if ind.target_date else "."
    if ind.baseline is not None:
        text += f" Basis {number(ind.baseline)}{unit}."
    return text


def get_ready() -> None:
    """Import what drawing needs (the figure and both canvases) and load the font list and
    Pillow's formats, ahead of the first chart."""
    from matplotlib import dates, figure, font_manager, textpath, ticker  # noqa: F401 - imported to have it loaded
    from matplotlib.backends import backend_agg, backend_svg  # noqa: F401
    from PIL import Image

    font_manager.findfont("DejaVu Sans")
    Image.preinit()
