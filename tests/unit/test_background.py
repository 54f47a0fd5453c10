"""The forked worker of PDF commands (reports/background.py): answers, errors, no leftovers."""

from __future__ import annotations

import operator
import os
import signal
import time
from collections.abc import Iterator

import pytest

from reports.background import Worker, WorkerLost


def _not_ready() -> None:
    raise RuntimeError("prepare failed")


def _fail(text: str) -> None:
    raise ValueError(text)


def _gone(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True  # reaped: not our child any more
    return False


@pytest.fixture
def worker() -> Iterator[Worker]:
    started = Worker.start(lambda: None)
    assert started is not None, "a single-threaded process on Linux can fork"
    with started:
        yield started


def test_jobs_run_in_the_child_in_order(worker: Worker) -> None:
    worker.submit(os.getpid)
    worker.submit(operator.add, "pa", "ck")
    assert worker.result() == worker.pid != os.getpid()
    assert worker.result() == "pack"


def test_an_exception_in_a_job_is_raised_here_with_the_childs_traceback(worker: Worker) -> None:
    worker.submit(_fail, "kapot")
    with pytest.raises(ValueError, match="kapot") as raised:
        worker.result()
    assert any(f"in worker process {worker.pid}" in n for n in raised.value.__notes__)
    worker.submit(operator.neg, 3)  # the worker goes on
    assert worker.result() == -3


def test_a_failed_preparation_leaves_the_jobs_to_report() -> None:
    started = Worker.start(_not_ready)
    assert started is not None
    with started:
        started.submit(operator.mul, 6, 7)
        assert started.result() == 42


def test_a_child_that_died_is_reported_as_lost(worker: Worker) -> None:
    worker.submit(time.sleep, 30)
    os.kill(worker.pid, signal.SIGKILL)
    with pytest.raises(WorkerLost):
        worker.result()


def test_close_stops_a_busy_child_and_reaps_it() -> None:
    started = Worker.start(lambda: None)
    assert started is not None
    pid = started.pid
    started.submit(time.sleep, 30)
    began = time.monotonic()
    started.close()
    assert time.monotonic() - began < 5
    assert _gone(pid)
    started.close()  # twice is harmless
