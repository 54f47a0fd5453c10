"""The PDF of a report command made in a forked worker process (:mod:`reports.background`).

The worker imports WeasyPrint, then forks a chart helper that imports matplotlib, while the
command loads the plan and assembles its pack; when the pack arrives the helper draws every
chart while the worker lays the PDF out around blank placeholders of their sizes; the worker
hands the other formats' charts back, puts the PNGs in and writes the PDF. Without a worker
(not Linux, other threads, no process to spare, a worker lost) the command makes everything
itself: the same bytes either way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reports.background import Worker

ChartMaker = Callable[[str], dict[str, bytes]]
ChartSets = dict[str, dict[str, bytes]]  # chart format → chart name → bytes


def chart_formats(fmts: Sequence[str]) -> tuple[str, ...]:
    """The chart formats documents need: SVG in HTML, PNG in PDF and DOCX."""
    needed = {"html": "svg", "pdf": "png", "docx": "png"}
    return tuple(dict.fromkeys(needed[f] for f in fmts if f in needed))


def _chart_maker(draw: Callable[[Sequence[str]], ChartSets], fmts: Sequence[str]) -> ChartMaker:
    """Charts for documents in ``fmts``: each figure drawn once, on first use, and saved in every
    chart format those documents need."""
    drawn: dict[str, dict[str, bytes]] = {}

    def charts(chart_fmt: str) -> dict[str, bytes]:
        if chart_fmt not in drawn:
            drawn.update(draw(tuple(dict.fromkeys((chart_fmt, *chart_formats(fmts))))))
        return drawn[chart_fmt]

    return charts


def _data_uris(images: dict[str, bytes], fmt: str) -> dict[str, str]:
    import base64

    mime = "image/svg+xml" if fmt == "svg" else "image/png"
    return {k: f"data:{mime};base64,{base64.b64encode(v).decode()}" for k, v in images.items()}


def pdf_worker(fmts: Sequence[str], background: bool, template: str) -> Any:
    """A started worker for the PDF (see :func:`agenda_formats`), or a null context."""
    from contextlib import nullcontext

    if not background or "pdf" not in fmts:
        return nullcontext()
    worker = _AHEAD.pop(template, None) or start_pdf_worker(template, keep=False)
    return worker if worker is not None else nullcontext()


#: Workers started before the command line was parsed, by template, until a command takes one.
_AHEAD: dict[str, Worker] = {}


def start_pdf_worker(template: str, *, keep: bool = True) -> Worker | None:
    """A worker getting ready for a PDF of ``template``; ``keep``: for the next command that
    makes one in the background (close it with :func:`close_pdf_workers` if none did)."""
    from reports.background import Worker

    worker = Worker.start(partial(_get_pdf_ready, template))
    if keep and worker is not None:
        _AHEAD[template] = worker
    return worker


def close_pdf_workers() -> None:
    while _AHEAD:
        _AHEAD.popitem()[1].close()


def _get_pdf_ready(template: str) -> None:
    """WeasyPrint and the template imported here; matplotlib in a helper forked now, which
    draws the charts when the pack arrives (:func:`_draw_in_worker`). Apart, so that the
    layout can start as soon as the pack is there: the two imports one after the other
    (≈ 0.3 + 0.45 s) took longer than the command needs to assemble its pack."""
    from reports.background import Worker
    from reports.pdf import get_ready
    from reports.render import environment

    get_ready()
    environment().get_template(template)
    helper = Worker.start(_get_charts_ready)
    if helper is not None:
        _HELPER.append(helper)


def _get_charts_ready() -> None:
    """In the chart helper: matplotlib imported while the command still assembles its pack
    (the worker, which forked it, is idle by then: no third process competes for a core)."""
    from reports.charts import get_ready

    get_ready()


def contents(
    fmts: Sequence[str],
    worker: Any,
    render: Callable[..., bytes],
    draw: Callable[[Sequence[str]], ChartSets],
    meanwhile: Callable[[], object] | None = None,
) -> dict[str, bytes]:
    """Each format's document, each chart figure drawn once. With a worker: its helper draws
    every chart (matplotlib is imported there, while this process assembles the pack) while it
    lays the PDF out around placeholders, hands back the other formats' charts, then puts the
    PNGs in and writes the PDF while this process renders the rest and calls ``meanwhile``
    (e.g. imports what archiving needs)."""
    from reports.background import WorkerLost

    needed = chart_formats(fmts)
    drawn: ChartSets | None = None
    if worker is not None and "pdf" in fmts:
        try:
            worker.submit(_draw_in_worker, draw, needed, render)
            worker.submit(_pdf_in_worker, render)
            drawn = worker.result()
        except WorkerLost:
            worker = None
    charts: ChartMaker = drawn.__getitem__ if drawn is not None else _chart_maker(draw, fmts)
    contents = {fmt: render(fmt, charts=charts) for fmt in fmts if drawn is None or fmt != "pdf"}
    if meanwhile is not None:
        meanwhile()
    if drawn is not None:
        try:
            contents["pdf"] = worker.result()
        except WorkerLost:  # the same PDF, made here
            contents["pdf"] = render("pdf", charts=charts)
    return {fmt: contents[fmt] for fmt in fmts}


#: In a worker process: its chart helper, started by :func:`_get_pdf_ready`.
_HELPER: list[Worker] = []
#: In a worker process: the charts it drew for the PDF it is about to write.
_DRAWN: ChartSets = {}
#: In a worker process: the PDF it laid out before its charts were drawn.
_EARLY: list[Placeholders] = []


class Placeholders:
    """The PNG charts of a PDF laid out before they are drawn: blank images of their sizes
    (layout needs no more); :func:`reports.pdf.swap_images` puts the drawn ones in."""

    def __init__(self, sizes: dict[str, bytes]) -> None:
        from reports.pdf import placeholder_png

        self.png: dict[str, bytes] = {}
        for index, (name, size) in enumerate(sorted(sizes.items())):
            width, _, height = size.partition(b"x")
            self.png[name] = placeholder_png(int(width), int(height), index)
        self.document: Any = None

    def __call__(self, chart_fmt: str) -> dict[str, bytes]:
        if chart_fmt != "png":
            raise KeyError(chart_fmt)
        return self.png


def _draw_in_worker(
    draw: Callable[[Sequence[str]], ChartSets],
    fmts: Sequence[str],
    render: Callable[..., bytes] | None = None,
) -> ChartSets:
    """The charts, drawn in this worker; with ``render``, by its helper (started with
    matplotlib by :func:`_get_pdf_ready`, else forked now) while this one lays the PDF out
    around blank placeholders of the charts' sizes: drawing and layout overlap on two cores."""
    from reports.background import Worker, WorkerLost
    from reports.charts import SIZE

    _DRAWN.clear()
    _EARLY.clear()
    ahead = _HELPER.pop() if _HELPER else None
    helper = None
    if render is not None and "png" in fmts:
        helper = ahead or Worker.start(_nothing)
    elif ahead is not None:
        ahead.close()
    if helper is None:
        _DRAWN.update(draw(fmts))
        return _DRAWN
    with helper:
        try:
            helper.submit(draw, fmts)
        except WorkerLost:
            helper.close()
        early = Placeholders(draw((SIZE,))[SIZE])
        assert render is not None  # for mypy: a helper is started only with one
        render("pdf", charts=early)
        _EARLY.append(early)
        try:
            drawn = helper.result() if helper.pid else draw(fmts)
        except WorkerLost:
            drawn = draw(fmts)
    _DRAWN.update(drawn)
    return _DRAWN


def _nothing() -> None:
    return None


def _pdf_in_worker(render: Callable[..., bytes]) -> bytes:
    if _EARLY:
        from regie.gc_pause import paused_gc_for_garbage
        from reports.pdf import swap_images, write

        early = _EARLY.pop()
        placeholders = _data_uris(early.png, "png")
        drawn = _data_uris(_DRAWN["png"], "png")
        real = {uri: drawn[name] for name, uri in placeholders.items() if name in drawn}
        complete = early.document is not None and len(real) == len(drawn) == len(placeholders)
        try:
            with paused_gc_for_garbage():  # as render's (regie.report_render)
                if complete and swap_images(early.document, real):
                    return write(early.document)
        except Exception:  # WeasyPrint internals moved: lay the real HTML out
            pass
    return render("pdf", charts=_DRAWN.__getitem__)
