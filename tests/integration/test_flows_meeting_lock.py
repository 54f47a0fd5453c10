"""The ``prepare-meeting`` and ``status-round`` flows take the cycle's lock, as ``daily-cycle`` and
``deadline-check`` do: two runs at once (two workers), or one beside a `regie cycle` (which does
the same day's work in-process), would otherwise assemble and archive an agenda pack twice or
start a round beside another. The second run waits for the first (``REGIE_CYCLE_LOCK_WAIT``: the
``status-round`` beside a daily cycle still running) and then does its work once; when
the wait runs out (0: at once) it fails, doing nothing; a flow run in a process that holds the
lock already does not wait for itself. Real flow runs on the session's
Prefect test server; the second run is another real process on the same server; SQLite and
PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from regie.bootstrap import App
from regie.locks import cycle_lock
from regie.prepare import PACK_KIND, body_contacts
from store import Repository
from store.reports_repo import ReportsRepository
from tests.cli import ROOT
from tests.integration.answer_app import ANSWERS_PLAN
from tests.integration.reports_scenario import migrated_app
from tests.lock_holder import holding_cycle_lock, release_when_met, watch_lock

pytestmark = [pytest.mark.prefect, pytest.mark.usefixtures("prefect_harness")]

PACK_DAY = "2016-04-05"  # the seed plan's stuurgroep meets on 12 April 2016
ROUND = {"as_of": "2025-06-02", "body": "stuurgroep", "answer_by": "2025-06-20"}

#: Another worker's run of a flow, on the same home, database and Prefect server.
OTHER_RUN = """
import json, sys
from importlib import import_module
flow = getattr(import_module(f"flows.{sys.argv[1]}"), sys.argv[1])
state = flow(**json.loads(sys.argv[2]), return_state=True)
print(json.dumps({"failed": state.is_failed(), "message": str(state.message)}))
"""


def other_run(name: str, **parameters: str) -> dict[str, Any]:
    """Run flow ``name`` in another process (as a second worker would) and say how it ended."""
    from prefect.settings import PREFECT_API_URL

    env = {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value())}
    done = subprocess.run(
        [sys.executable, "-c", OTHER_RUN, name, json.dumps(parameters)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.fixture
def meeting_home(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[App]:
    """The seed plan (a stuurgroep meeting on 12 April 2016), a file outbox."""
    app = migrated_app(tmp_path / "home", database_url)
    monkeypatch.setenv("REGIE_HOME", str(app.settings.home))
    monkeypatch.setenv("REGIE_PLAN", str(app.settings.plan_path))
    monkeypatch.setenv("REGIE_DATABASE_URL", database_url)
    monkeypatch.setenv("REGIE_NOTIFIER", "file")
    yield app
    app.engine.dispose()


@pytest.fixture
def round_home(tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[App]:
    """The answers plan (three contacts with open items), a file outbox."""
    app = migrated_app(tmp_path / "home", database_url)
    monkeypatch.setenv("REGIE_HOME", str(app.settings.home))
    monkeypatch.setenv("REGIE_PLAN", str(ANSWERS_PLAN))
    monkeypatch.setenv("REGIE_DATABASE_URL", database_url)
    monkeypatch.setenv("REGIE_NOTIFIER", "file")
    yield app
    app.engine.dispose()


def packs(app: App) -> tuple[int, Counter[str]]:
    """Agenda packs archived (each as HTML, and as PDF with its annex, which its mail carries:
    one assembly), and the outbox's agenda-pack messages per key."""
    programme = app.load_plan().programme.id
    with app.session() as session:
        archived = ReportsRepository(session, programme).archived("agenda")
        queued = Counter(
            m.key for m in Repository(session, programme).outbox() if m.kind == PACK_KIND
        )
    html = [r for r in archived if r.format == "html"]
    assert len(archived) == 2 * len(html)  # each HTML pack with its PDF
    return len(html), queued


def rounds(app: App) -> tuple[int, Counter[str]]:
    """Status rounds recorded, and the outbox's round messages per key."""
    from store.answers import rounds as recorded

    programme = app.load_plan(ANSWERS_PLAN).programme.id
    with app.session() as session:
        found = recorded(session, programme)
        queued = Counter(
            m.key for m in Repository(session, programme).outbox() if m.key.startswith("round:")
        )
    return len(found), queued


def second_run_meanwhile(
    monkeypatch: pytest.MonkeyPatch, target: Any, name: str, step: str, **parameters: str
) -> list[dict[str, Any]]:
    """Patch ``target.step`` so that, the first time the in-process run gets there, another
    process runs flow ``name`` to its end; what that run said is appended to the list."""
    seen: list[dict[str, Any]] = []
    real: Callable[..., Any] = getattr(target, step)

    def with_a_second_run(*args: Any, **kwargs: Any) -> Any:
        if not seen:
            seen.append(other_run(name, **parameters))
        return real(*args, **kwargs)

    monkeypatch.setattr(target, step, with_a_second_run)
    return seen


def test_two_prepare_meeting_runs_at_once_archive_and_queue_each_pack_once(
    meeting_home: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second worker's run starts while the first has found the packs missing and is about
    to assemble them: without the lock both archive the pack (the first had checked before the
    second queued it). The first waits for the second here, so the second may not wait."""
    import regie.prepare
    from flows.prepare_meeting import prepare_meeting

    monkeypatch.setenv("REGIE_CYCLE_LOCK_WAIT", "0")

    seen = second_run_meanwhile(
        monkeypatch, regie.prepare, "prepare_meeting", "_assemble", as_of=PACK_DAY
    )
    state = prepare_meeting(as_of=PACK_DAY, return_state=True)
    assert state.is_completed(), state.message
    [second] = seen
    assert second["failed"], second
    assert "another cycle is running on" in second["message"]
    assert "this prepare-meeting did nothing" in second["message"]
    plan = meeting_home.load_plan()
    body = plan.body("stuurgroep")
    assert body is not None
    archived, queued = packs(meeting_home)
    assert archived == 1
    assert len(queued) == len(body_contacts(plan, body)) and set(queued.values()) == {1}
    assert state.result()["send"]["sent"] >= len(queued)


def test_two_status_round_runs_at_once_start_the_round_once(
    round_home: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    import regie.rounds
    from flows.status_round import status_round

    monkeypatch.setenv("REGIE_CYCLE_LOCK_WAIT", "0")  # the first waits for the second
    seen = second_run_meanwhile(monkeypatch, regie.rounds, "status_round", "start_round", **ROUND)
    state = status_round(**ROUND, return_state=True)
    assert state.is_completed(), state.message
    [second] = seen
    assert second["failed"], second
    assert "this status-round did nothing" in second["message"]
    recorded, queued = rounds(round_home)
    assert recorded == 1 and len(queued) == 3 and set(queued.values()) == {1}
    assert state.result()["send"]["sent"] == 3


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holds the home's cycle lock (as a running `regie cycle` does) until its
    standard input is closed."""
    home = tmp_path / "home"
    with holding_cycle_lock(home) as process:
        yield process


@pytest.fixture
def held(
    tmp_path: Path, holder: subprocess.Popen[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, int]:
    """The home and the pid of the process holding its lock; flow runs do not wait for it."""
    monkeypatch.setenv("REGIE_CYCLE_LOCK_WAIT", "0")
    return tmp_path / "home", holder.pid


def test_prepare_meeting_beside_a_running_cycle_does_nothing(
    meeting_home: App, held: tuple[Path, int]
) -> None:
    from flows.prepare_meeting import prepare_meeting

    home, pid = held
    state = prepare_meeting(as_of=PACK_DAY, return_state=True)
    assert state.is_failed()
    line = f"another cycle is running on {home} (pid {pid}): this prepare-meeting did nothing"
    assert line in str(state.message)
    assert packs(meeting_home) == (0, Counter())
    assert not list((home / "outbox").glob("*.eml"))


def test_status_round_beside_a_running_cycle_does_nothing(
    round_home: App, held: tuple[Path, int]
) -> None:
    from flows.status_round import status_round

    home, pid = held
    state = status_round(**ROUND, return_state=True)
    assert state.is_failed()
    line = f"another cycle is running on {home} (pid {pid}): this status-round did nothing"
    assert line in str(state.message)
    assert rounds(round_home) == (0, Counter())
    assert not list((home / "outbox").glob("*.eml"))


def test_the_meeting_flows_run_by_a_process_holding_the_lock_do_not_wait_for_it(
    round_home: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process that holds the lock (a `regie cycle`) may run them: re-entrant, not waited
    for (no wait allowed: waiting for itself would fail)."""
    from flows.prepare_meeting import prepare_meeting
    from flows.status_round import status_round

    monkeypatch.setenv("REGIE_CYCLE_LOCK_WAIT", "0")

    with cycle_lock(round_home.settings.home):
        started = status_round(**ROUND, return_state=True)
        prepared = prepare_meeting(as_of=ROUND["as_of"], return_state=True)
    assert started.is_completed(), started.message
    assert prepared.is_completed(), prepared.message
    assert started.result()["send"]["sent"] == 3


def test_status_round_beside_a_running_cycle_waits_for_it_and_starts_the_round_once(
    round_home: App, holder: subprocess.Popen[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ``status-round`` while the daily cycle still runs: it waits (the default wait)
    until the cycle has finished, then starts the round, once; a run after it adds nothing."""
    from flows.status_round import status_round

    monkeypatch.delenv("REGIE_CYCLE_LOCK_WAIT", raising=False)
    watch = watch_lock(monkeypatch)  # released 0.5 s after the run met it (was: 2 s from start)
    releaser = release_when_met(holder, watch, 0.5)
    state = status_round(**ROUND, return_state=True)
    releaser.join(timeout=30)
    assert state.is_completed(), state.message
    [waited] = watch.waited
    assert waited >= 0.5  # it met the other cycle's lock and waited until that one ended
    assert state.result()["send"]["sent"] == 3
    again = status_round(**ROUND, return_state=True)
    assert again.is_completed(), again.message
    recorded, queued = rounds(round_home)
    assert recorded == 1 and len(queued) == 3 and set(queued.values()) == {1}


def test_prepare_meeting_beside_a_running_cycle_waits_for_it_and_archives_the_pack_once(
    meeting_home: App, holder: subprocess.Popen[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.prepare_meeting import prepare_meeting

    monkeypatch.setenv("REGIE_CYCLE_LOCK_WAIT", "60")
    watch = watch_lock(monkeypatch)
    releaser = release_when_met(holder, watch, 0.5)
    state = prepare_meeting(as_of=PACK_DAY, return_state=True)
    releaser.join(timeout=30)
    assert state.is_completed(), state.message
    [waited] = watch.waited
    assert waited >= 0.5
    plan = meeting_home.load_plan()
    body = plan.body("stuurgroep")
    assert body is not None
    archived, queued = packs(meeting_home)
    assert archived == 1
    assert len(queued) == len(body_contacts(plan, body)) and set(queued.values()) == {1}


def test_status_round_fails_when_its_wait_runs_out_and_does_nothing(
    round_home: App, holder: subprocess.Popen[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.status_round import status_round

    # 1 s, and measured in the lock's wait itself (was 4 s, a margin over the flow's start-up).
    monkeypatch.setenv("REGIE_CYCLE_LOCK_WAIT", "1")
    watch = watch_lock(monkeypatch)
    started = time.monotonic()
    state = status_round(**ROUND, return_state=True)
    assert time.monotonic() - started >= 1
    [waited] = watch.waited  # it met the lock once, and gave up after its wait, not before
    assert waited >= 1
    assert state.is_failed()
    line = f"another cycle is running on {round_home.settings.home} (pid {holder.pid}): "
    assert line + "this status-round did nothing" in str(state.message)
    assert rounds(round_home) == (0, Counter())
