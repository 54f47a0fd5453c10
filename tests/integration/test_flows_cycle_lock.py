"""The flows that run the cycle's steps take the cycle's lock (opsfix 2): a deployment's run
and a `regie cycle` never overlap. A run that meets another cycle waits for it
(``REGIE_CYCLE_LOCK_WAIT``, 10 minutes by default: the 07:00 ``daily-cycle`` and
``deadline-check`` meet every working day) and then does its work once; still held when the wait
runs out (0: at once), it fails, doing nothing, its state message the line `regie cycle` exits 75
with; `regie cycle` running the flow in its own process (it holds the lock) does not wait for
itself. Real flow runs on the session's Prefect test server, a real SQLite store, the lock held
by another real process."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from regie import cycle as use_cases
from regie.locks import cycle_lock
from tests.cli import regie
from tests.integration.test_flows import AS_OF, database, home, outbox, to_deliver  # noqa: F401
from tests.lock_holder import holding_cycle_lock, release_when_met, watch_lock

pytestmark = [pytest.mark.prefect, pytest.mark.usefixtures("prefect_harness")]


@pytest.fixture
def holder(home: Path) -> Iterator[subprocess.Popen[str]]:  # noqa: F811
    """Another process holds the home's cycle lock (as a running `regie cycle` does) until its
    standard input is closed."""
    with holding_cycle_lock(home) as process:
        yield process


@pytest.fixture
def held(holder: subprocess.Popen[str]) -> int:
    """The pid of the process holding the home's cycle lock."""
    return holder.pid


# A wait of 1 s, and a release 0.5 s after the run met the lock: what is tested is *that* the
# run waits (and how long, measured in the lock's wait itself), not a margin of seconds over
# the flow's own start-up; they were 4 s and 2 s from the test's start, a core idle meanwhile.
@pytest.mark.parametrize("wait", ["0", "1"])
@pytest.mark.parametrize("name", ["daily-cycle", "deadline-check"])
def test_a_flow_run_beside_a_running_cycle_fails_when_its_wait_runs_out_and_does_nothing(
    home: Path,  # noqa: F811
    held: int,
    name: str,
    wait: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``REGIE_CYCLE_LOCK_WAIT=0``: at once; otherwise after that many seconds, not before."""
    from flows.daily_cycle import daily_cycle
    from flows.deadline_check import deadline_check

    monkeypatch.setenv("REGIE_CYCLE_LOCK_WAIT", wait)
    watch = watch_lock(monkeypatch)
    flow = {"daily-cycle": daily_cycle, "deadline-check": deadline_check}[name]
    started = time.monotonic()
    state = flow(as_of=AS_OF, return_state=True)
    took = time.monotonic() - started
    assert state.is_failed()
    assert took >= float(wait)
    [waited] = watch.waited  # it met the lock once, and gave up after its wait, not before
    assert waited >= float(wait)
    line = f"another cycle is running on {home} (pid {held}): this {name} did nothing"
    assert line in str(state.message)
    with pytest.raises(Exception, match="try again when it has finished"):
        state.result()
    assert not (home / "regie.db").exists() and outbox(home) == {}


@pytest.mark.parametrize("name", ["daily-cycle", "deadline-check"])
def test_a_flow_run_beside_a_running_cycle_waits_for_it_and_then_runs_once(
    home: Path,  # noqa: F811
    holder: subprocess.Popen[str],
    name: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The 07:00 ``daily-cycle`` and ``deadline-check`` runs meet every working day: the second
    waits (the default wait, 10 minutes) until the other cycle has finished, then does its work,
    once."""
    from flows.daily_cycle import daily_cycle
    from flows.deadline_check import deadline_check

    monkeypatch.delenv("REGIE_CYCLE_LOCK_WAIT", raising=False)
    watch = watch_lock(monkeypatch)
    flow = {"daily-cycle": daily_cycle, "deadline-check": deadline_check}[name]
    releaser = release_when_met(holder, watch, 0.5)
    state = flow(as_of=AS_OF, return_state=True)
    releaser.join(timeout=30)
    assert state.is_completed(), state.message
    [waited] = watch.waited
    assert waited >= 0.5  # it met the other cycle's lock and waited until that one ended
    result: dict[str, Any] = state.result()
    check = result["check"] if name == "daily-cycle" else result
    assert check["queued"] > 0
    if name == "daily-cycle":
        assert result["send"]["sent"] == to_deliver(result) == len(outbox(home))
    again = flow(as_of=AS_OF, return_state=True)  # the work was done: nothing new to queue
    assert again.is_completed(), again.message
    repeat: dict[str, Any] = again.result()
    assert (repeat["check"] if name == "daily-cycle" else repeat)["queued"] == 0


def test_the_flow_run_by_a_cycle_holding_the_lock_does_not_wait_for_itself(
    home: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`regie cycle` with a Prefect server holds the lock and runs ``daily-cycle`` in its own
    process: the flow (and its ``deadline-check`` subflow) go on under that lock (no wait
    allowed: waiting for itself would fail)."""
    from flows.daily_cycle import daily_cycle

    monkeypatch.setenv("REGIE_CYCLE_LOCK_WAIT", "0")

    with cycle_lock(home):
        state = daily_cycle(as_of=AS_OF, return_state=True)
    assert state.is_completed(), state.message
    result: dict[str, Any] = state.result()
    assert result["check"]["queued"] > 0 and result["send"]["sent"] == to_deliver(result)


def test_a_cycle_beside_a_running_flow_exits_75(
    home: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """While the flow's check runs, `regie cycle` in another process says so at once (the
    command line does not wait, whatever the flows' wait) and does nothing; once the flow has
    finished the lock is free again."""
    from flows.daily_cycle import daily_cycle

    monkeypatch.setenv("REGIE_CYCLE_LOCK_WAIT", "600")

    seen: list[Any] = []
    real = use_cases.deadline_check

    def check_beside_a_cycle(*args: Any, **kwargs: Any) -> Any:
        seen.append(regie("cycle", "--as-of", AS_OF, env=dict(os.environ)))
        return real(*args, **kwargs)

    monkeypatch.setattr(use_cases, "deadline_check", check_beside_a_cycle)
    state = daily_cycle(as_of=AS_OF, return_state=True)
    assert state.is_completed(), state.message
    [cycle] = seen
    assert cycle.code == 75, cycle
    assert "another cycle is running on" in cycle.err and f"(pid {os.getpid()})" in cycle.err
    monkeypatch.undo()
    with cycle_lock(home):  # released at the end of the run
        pass
