"""The flows that run the cycle's steps take the cycle's lock (opsfix 2): a deployment's run
and a `regie cycle` never overlap. A run that meets another cycle fails at once, doing nothing,
its state message the line `regie cycle` exits 75 with; `regie cycle` running the flow in its own
process (it holds the lock) does not wait for itself. Real flow runs on the session's Prefect
test server, a real SQLite store, the lock held by another real process."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from regie import cycle as use_cases
from regie.locks import cycle_lock
from tests.cli import ROOT, regie
from tests.integration.test_flows import AS_OF, database, home, outbox  # noqa: F401

pytestmark = [pytest.mark.prefect, pytest.mark.usefixtures("prefect_harness")]

HOLD = """
import sys
from pathlib import Path
from regie.locks import cycle_lock
with cycle_lock(Path(sys.argv[1])):
    print("held", flush=True)
    sys.stdin.read()
"""


@pytest.fixture
def held(home: Path) -> Iterator[int]:  # noqa: F811
    """Another process holds the home's cycle lock (as a running `regie cycle` does)."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(home)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "held"
        yield process.pid
    finally:
        assert process.stdin is not None
        process.stdin.close()
        process.wait(timeout=30)


@pytest.mark.parametrize("name", ["daily-cycle", "deadline-check"])
def test_a_flow_run_beside_a_running_cycle_fails_at_once_and_does_nothing(
    home: Path,  # noqa: F811
    held: int,
    name: str,
) -> None:
    from flows.daily_cycle import daily_cycle
    from flows.deadline_check import deadline_check

    flow = {"daily-cycle": daily_cycle, "deadline-check": deadline_check}[name]
    state = flow(as_of=AS_OF, return_state=True)
    assert state.is_failed()
    line = f"another cycle is running on {home} (pid {held}): this {name} did nothing"
    assert line in str(state.message)
    with pytest.raises(Exception, match="try again when it has finished"):
        state.result()
    assert not (home / "regie.db").exists() and outbox(home) == {}


def test_the_flow_run_by_a_cycle_holding_the_lock_does_not_wait_for_itself(
    home: Path,  # noqa: F811
) -> None:
    """`regie cycle` with a Prefect server holds the lock and runs ``daily-cycle`` in its own
    process: the flow (and its ``deadline-check`` subflow) go on under that lock."""
    from flows.daily_cycle import daily_cycle

    with cycle_lock(home):
        state = daily_cycle(as_of=AS_OF, return_state=True)
    assert state.is_completed(), state.message
    result: dict[str, Any] = state.result()
    assert result["check"]["queued"] > 0 and result["send"]["sent"] == result["check"]["queued"]


def test_a_cycle_beside_a_running_flow_exits_75(
    home: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """While the flow's check runs, `regie cycle` in another process says so and does nothing;
    once the flow has finished the lock is free again."""
    from flows.daily_cycle import daily_cycle

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
