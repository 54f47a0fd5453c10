"""The forked worker of PDF commands (reports/background.py): answers, errors, no leftovers."""

from __future__ import annotations

import operator
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from types import SimpleNamespace

import pytest

from regie.pdf_worker import _chart_maker
from regie.pdf_worker import contents as _contents
from reports.background import Worker, WorkerLost
from tests.fresh import in_fresh_process


def _not_ready() -> None:
    raise RuntimeError("prepare failed")


def _fail(text: str) -> None:
    raise ValueError(text)


def _draw(fmts: Sequence[str]) -> dict[str, dict[str, bytes]]:
    if tuple(fmts) == ("size",):
        return {"size": {"rag": b"2x1"}}
    return {fmt: {"rag": f"{fmt} by {os.getpid()}".encode()} for fmt in fmts}


def _render(fmt: str, charts: Callable[[str], dict[str, bytes]] | None = None) -> bytes:
    charts = charts or _chart_maker(_draw, (fmt,))
    chart = charts("png" if fmt == "pdf" else "svg")["rag"].decode(errors="replace")
    return f"{fmt} by {os.getpid()}, chart {chart}".encode()


def _gone(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True  # reaped: not our child any more
    return False


@contextmanager
def _worker() -> Iterator[Worker]:
    started = Worker.start(_ready)
    assert started is not None, "a single-threaded process on Linux can fork"
    with started:
        yield started


def _ready() -> None:
    pass


def _jobs_run_in_the_child_in_order() -> None:
    with _worker() as worker:
        worker.submit(os.getpid)
        worker.submit(operator.add, "pa", "ck")
        assert worker.result() == worker.pid != os.getpid()
        assert worker.result() == "pack"


def _an_exception_in_a_job_is_raised_here_with_the_childs_traceback() -> None:
    with _worker() as worker:
        worker.submit(_fail, "kapot")
        with pytest.raises(ValueError, match="kapot") as raised:
            worker.result()
        assert any(f"in worker process {worker.pid}" in n for n in raised.value.__notes__)
        worker.submit(operator.neg, 3)  # the worker goes on
        assert worker.result() == -3


def _a_failed_preparation_leaves_the_jobs_to_report() -> None:
    started = Worker.start(_not_ready)
    assert started is not None
    with started:
        started.submit(operator.mul, 6, 7)
        assert started.result() == 42


def _a_child_that_died_is_reported_as_lost() -> None:
    with _worker() as worker:
        worker.submit(time.sleep, 30)
        os.kill(worker.pid, signal.SIGKILL)
        with pytest.raises(WorkerLost):
            worker.result()


def _close_stops_a_busy_child_and_reaps_it() -> None:
    started = Worker.start(lambda: None)
    assert started is not None
    pid = started.pid
    started.submit(time.sleep, 30)
    started.close()
    assert _gone(pid)
    started.close()  # twice is harmless


def _the_worker_draws_the_charts_and_makes_the_pdf() -> None:
    with _worker() as worker:
        contents = _contents(("html", "pdf"), worker, _render, _draw)
        child, here = worker.pid, os.getpid()
        # The charts are drawn by a helper the worker forks, while the worker lays the PDF out
        # (this fake render lays nothing out, so the worker then makes the PDF with the charts).
        html = re.fullmatch(rf"html by {here}, chart svg by (\d+)", contents["html"].decode())
        assert html is not None and int(html[1]) not in (here, child)
        assert contents["pdf"] == f"pdf by {child}, chart png by {html[1]}".encode()


def _without_its_worker_the_command_makes_everything_itself() -> None:
    with _worker() as worker:
        os.kill(worker.pid, signal.SIGKILL)
        os.waitpid(worker.pid, 0)
        here = os.getpid()
        assert _contents(("pdf", "md"), worker, _render, _draw) == {
            "pdf": f"pdf by {here}, chart png by {here}".encode(),
            "md": f"md by {here}, chart svg by {here}".encode(),
        }


def _large_jobs_and_large_answers_do_not_block_each_other() -> None:
    with _worker() as worker:
        # Both beyond a pipe's buffer (64 KiB on Linux): the second job is written while the
        # child writes the first answer, as _contents does with a large programme's pack.
        big = "x" * (1 << 20)
        worker.submit(operator.mul, big, 2)
        worker.submit(operator.add, big, "!")
        assert worker.result() == big * 2
        assert worker.result() == big + "!"


class _Odd(Exception):
    def __init__(self, a: int, b: int) -> None:  # does not rebuild from ``args`` when loaded
        super().__init__(f"{a}/{b}")


def _raise_odd() -> None:
    raise _Odd(1, 2)


def _an_answer_that_does_not_load_is_a_lost_worker() -> None:
    with _worker() as worker:
        worker.submit(_raise_odd)
        with pytest.raises(WorkerLost, match="does not load"):
            worker.result()


def _no_fork_to_spare_means_no_worker() -> None:
    def refuse() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    before = set(os.listdir("/proc/self/fd"))
    real, os.fork = os.fork, refuse  # type: ignore[assignment]
    try:
        assert Worker.start(_ready) is None
    finally:
        os.fork = real
    assert set(os.listdir("/proc/self/fd")) == before  # its pipes closed again


_THREADS_WHEN_READY: list[int] = []


def _count_threads() -> None:
    _THREADS_WHEN_READY.append(threading.active_count())


def _threads_when_ready() -> list[int]:
    return _THREADS_WHEN_READY


def _the_child_gets_ready_single_threaded() -> None:
    # The PDF import's shortcut swaps a module function for a while: only safe alone.
    started = Worker.start(_count_threads)
    assert started is not None
    with started:
        started.submit(_threads_when_ready)
        assert started.result() == [1]


def _loaded() -> tuple[int, bool, bool]:
    return os.getpid(), "weasyprint" in sys.modules, "matplotlib" in sys.modules


def _loaded_here_and_in_the_helper() -> list[tuple[int, bool, bool]]:
    from regie.pdf_worker import _HELPER

    [helper] = _HELPER
    helper.submit(_loaded)
    return [_loaded(), helper.result()]


def _the_pdf_worker_leaves_matplotlib_to_its_chart_helper() -> None:
    # The worker must be ready to lay out as soon as the pack arrives: WeasyPrint only; the
    # helper it forks imports matplotlib meanwhile and draws the charts.
    from regie.pdf_worker import _get_pdf_ready

    started = Worker.start(partial(_get_pdf_ready, "agenda.html.j2"))
    assert started is not None
    with started:
        started.submit(_loaded_here_and_in_the_helper)
        (worker, worker_weasy, worker_mpl), (helper, _, helper_mpl) = started.result()
        assert worker == started.pid and helper not in (worker, os.getpid())
    assert worker_weasy and not worker_mpl
    assert helper_mpl


@pytest.mark.parametrize(
    "case",
    [
        _jobs_run_in_the_child_in_order,
        _an_exception_in_a_job_is_raised_here_with_the_childs_traceback,
        _a_failed_preparation_leaves_the_jobs_to_report,
        _a_child_that_died_is_reported_as_lost,
        _close_stops_a_busy_child_and_reaps_it,
        _the_worker_draws_the_charts_and_makes_the_pdf,
        _without_its_worker_the_command_makes_everything_itself,
        _large_jobs_and_large_answers_do_not_block_each_other,
        _an_answer_that_does_not_load_is_a_lost_worker,
        _no_fork_to_spare_means_no_worker,
        _the_child_gets_ready_single_threaded,
        _the_pdf_worker_leaves_matplotlib_to_its_chart_helper,
    ],
    ids=lambda case: case.__name__.lstrip("_"),
)
def test_in_a_fresh_process(case: Callable[[], None]) -> None:
    in_fresh_process(case)


def test_a_pdf_whose_charts_cannot_be_swapped_in_is_laid_out_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import reports.pdf
    from regie import pdf_worker as use_case

    def moved(*args: object) -> bool:
        raise AttributeError("'Page' object has no attribute '_page_box'")  # a newer WeasyPrint

    early = SimpleNamespace(png={"rag": b"blank"}, document=object())
    monkeypatch.setattr(use_case, "_EARLY", [early])
    monkeypatch.setattr(use_case, "_DRAWN", {"png": {"rag": b"drawn"}})
    monkeypatch.setattr(reports.pdf, "swap_images", moved)
    assert use_case._pdf_in_worker(_render) == b"pdf by %d, chart drawn" % os.getpid()
