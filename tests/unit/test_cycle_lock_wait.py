"""The cycle lock's bounded wait (:func:`regie.locks.cycle_lock` ``wait``) and its setting,
``REGIE_CYCLE_LOCK_WAIT``: a Prefect flow run waits for another cycle (10 minutes by default),
the command line does not (``wait=0``). The lock is held by another real process."""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from regie.config import DEFAULT_CYCLE_LOCK_WAIT, load_settings
from regie.errors import InvalidInput
from regie.locks import AnotherCycleRunning, cycle_lock
from tests.lock_holder import holding_cycle_lock


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    with holding_cycle_lock(tmp_path) as process:
        yield process


def test_the_setting_defaults_to_ten_minutes_and_takes_seconds() -> None:
    assert DEFAULT_CYCLE_LOCK_WAIT == 600
    assert load_settings({}, delivery=False).cycle_lock_wait == 600
    assert load_settings({"REGIE_CYCLE_LOCK_WAIT": "0"}, delivery=False).cycle_lock_wait == 0
    assert load_settings({"REGIE_CYCLE_LOCK_WAIT": " 2.5 "}).cycle_lock_wait == 2.5


@pytest.mark.parametrize("value", ["abc", "-1", "inf", "nan", "86401"])
def test_a_bad_setting_is_one_line(value: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        load_settings({"REGIE_CYCLE_LOCK_WAIT": value}, delivery=False)
    assert caught.value.lines == [
        f"REGIE_CYCLE_LOCK_WAIT: {value!r} is not a number of seconds (at least 0, at most 86400)"
    ]


def test_no_wait_fails_at_once(tmp_path: Path, holder: subprocess.Popen[str]) -> None:
    started = time.monotonic()
    with pytest.raises(AnotherCycleRunning, match=f"pid {holder.pid}"), cycle_lock(tmp_path):
        pass
    assert time.monotonic() - started < 1


def test_a_wait_that_runs_out_fails_after_it(tmp_path: Path, holder: subprocess.Popen[str]) -> None:
    started = time.monotonic()
    with (
        pytest.raises(AnotherCycleRunning, match="this flow did nothing"),
        cycle_lock(tmp_path, "flow", wait=1.0, poll=0.1),
    ):
        pass
    assert time.monotonic() - started >= 1.0


def test_a_waiter_takes_the_lock_once_it_is_released(
    tmp_path: Path, holder: subprocess.Popen[str]
) -> None:
    def release() -> None:
        time.sleep(0.5)
        assert holder.stdin is not None
        holder.stdin.close()

    started = time.monotonic()  # before the release can happen: took >= 0.3 means after it
    threading.Thread(target=release, daemon=True).start()
    ran = []
    with cycle_lock(tmp_path, "flow", wait=30, poll=0.05):
        ran.append(time.monotonic() - started)
    assert len(ran) == 1 and 0.5 <= ran[0] < 30
    with cycle_lock(tmp_path):  # released again
        pass


def test_a_waiting_taker_does_not_wait_for_its_own_process(tmp_path: Path) -> None:
    started = time.monotonic()
    with cycle_lock(tmp_path), cycle_lock(tmp_path, "flow", wait=30):
        pass
    assert time.monotonic() - started < 1


def test_the_products_own_poll_takes_the_lock_after_a_release(
    tmp_path: Path, holder: subprocess.Popen[str]
) -> None:
    """The other tests poll every 50–100 ms; this one waits with the product's ``POLL`` (1 s), so
    the retry a deployed flow run makes is itself exercised (review52 8)."""
    from regie.locks import POLL

    def release() -> None:
        time.sleep(0.3)
        assert holder.stdin is not None
        holder.stdin.close()

    started = time.monotonic()
    threading.Thread(target=release, daemon=True).start()
    with cycle_lock(tmp_path, "flow", wait=30):
        took = time.monotonic() - started
    # Held at the first try, taken at a later one: no sooner than the release, and within a poll
    # of it (plus the holder's exit) rather than at the end of the 30 s wait.
    assert 0.3 <= took < 0.3 + POLL + 10
    assert holder.wait(timeout=5) == 0
