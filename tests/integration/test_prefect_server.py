"""prefect.yaml on a real Prefect server: deploy, a worker runs the daily cycle, an event triggers.

This is the production set-up in miniature (README, "Run on a Prefect server"): `prefect server
start` on a free loopback port with its own PREFECT_HOME, a process work pool, `prefect deploy
--all` from the repository and `prefect worker start`. Every process is stopped in a finally;
waits are bounded.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, TypeVar

import pytest

from tests.conftest import ROOT

pytestmark = [pytest.mark.prefect, pytest.mark.slow]

PREFECT = Path(sys.executable).with_name("prefect")
AS_OF = "2015-10-01"
ASKED = "2015-09-22"  # the owners asked (7 working days before AS_OF)
RUN_TIMEOUT = 180.0
SCHEDULE_AFTER = 30.0  # prefect.yaml: a triggered run starts this long after its first event
WITHIN = 20.0  # prefect.yaml: further events this long after the first fire nothing
PREFETCH = 10.0  # a process worker takes a run this long before its start (Prefect's default)
T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (Linux /proc): flow-run processes get their own process
    group from the worker, so killing the worker's group alone would leave them running."""
    children: dict[int, list[int]] = {}
    proc = Path("/proc")
    for entry in proc.iterdir() if proc.is_dir() else ():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


@dataclass
class Service:
    """A long-running prefect command in its own session, its output in a log file."""

    name: str
    process: subprocess.Popen[bytes]
    log: Path
    _log_file: IO[bytes] = field(repr=False)

    @classmethod
    def start(cls, name: str, args: list[str], env: dict[str, str], logs: Path) -> Service:
        log = logs / f"{name}.log"
        log_file = log.open("wb")
        process = subprocess.Popen(
            [str(PREFECT), *args],
            env=env,
            cwd=ROOT,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return cls(name, process, log, log_file)

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def terminate(self) -> list[int]:
        """Ask it to stop (SIGTERM to its group); the processes below it, for :meth:`stop`."""
        stragglers = descendants(self.process.pid)
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
        return stragglers

    def stop(self, stragglers: list[int], deadline: float) -> None:
        """Wait for it until ``deadline`` (monotonic), then kill what is left."""
        try:
            self.process.wait(timeout=max(deadline - time.monotonic(), 0.0))
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        for pid in stragglers:
            with contextlib.suppress(ProcessLookupError):  # already gone
                os.kill(pid, signal.SIGKILL)
        self._log_file.close()


def wait_for(what: str, check: Callable[[], T | None], timeout: float, interval: float = 1.0) -> T:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result is not None:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def run_prefect(env: dict[str, str], *args: str, timeout: float = 60) -> str:
    done = subprocess.run(
        [str(PREFECT), *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, f"prefect {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@dataclass
class Stack:
    api_url: str
    env: dict[str, str]  # for prefect commands and flow runs: API URL, REGIE_* settings
    regie_home: Path
    server: Service
    worker: Service

    def client(self) -> Any:
        from prefect.client.orchestration import SyncPrefectClient

        return SyncPrefectClient(api=self.api_url)

    def logs(self) -> str:
        return f"--- server\n{self.server.output()}\n--- worker\n{self.worker.output()}"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    base = tmp_path_factory.mktemp("prefect-server")
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    regie_home = base / "regie-home"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "REGIE_"))}
    env |= {
        "PREFECT_HOME": str(base / "prefect-home"),
        "PREFECT_API_URL": api_url,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_UI_ENABLED": "false",
        "PREFECT_WORKER_QUERY_SECONDS": "1",  # pick up runs at once (default 10 s)
        "PREFECT_CLI_COLORS": "false",
        # Read by the deployments' pull step (prefect.yaml) and by the flow runs.
        "REGIE_PROJECT_DIR": str(ROOT),
        "REGIE_HOME": str(regie_home),
        "REGIE_NOTIFIER": "file",
    }
    services: list[Service] = []
    try:
        server = Service.start(
            "server", ["server", "start", "--host", "127.0.0.1", "--port", str(port)], env, base
        )
        services.append(server)

        def up() -> bool | None:
            assert server.process.poll() is None, f"the server stopped:\n{server.output()}"
            return healthy(api_url) or None

        wait_for("the Prefect server", up, 180, interval=0.5)  # slow under load
        run_prefect(env, "work-pool", "create", "regie", "--type", "process")
        run_prefect(env, "--no-prompt", "deploy", "--all", timeout=120)
        worker = Service.start("worker", ["worker", "start", "--pool", "regie"], env, base)
        services.append(worker)
        yield Stack(api_url, env, regie_home, server, worker)
    finally:
        # Both asked at once, 2 s between them: each sat out its own grace on every CI run
        # (15.3 s of teardown at 15 s each, 5.3 s at 5 s: a core idle), and nothing after
        # this reads their state.
        asked = [(service, service.terminate()) for service in reversed(services)]
        deadline = time.monotonic() + 2
        for service, stragglers in asked:
            service.stop(stragglers, deadline)


def wait_for_completed_run(stack: Stack, deployment: str, *, after: float = 0) -> Any:
    """The first run of ``deployment`` (flow/deployment name) to reach a final state."""
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId
    from prefect.client.schemas.sorting import FlowRunSort

    with stack.client() as client:
        deployment_id = client.read_deployment_by_name(deployment).id

        def finished() -> Any:
            runs = client.read_flow_runs(
                deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment_id])),
                sort=FlowRunSort.EXPECTED_START_TIME_ASC,
            )
            for run in runs:
                if run.created.timestamp() < after or run.state is None:
                    continue
                if run.state.is_final():
                    return run
            return None

        try:
            return wait_for(f"a finished run of {deployment}", finished, RUN_TIMEOUT, 0.25)
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n{stack.logs()}") from None


def bring_forward(stack: Stack, deployment: str, *, after: float) -> None:
    """Wait for the run a trigger of ``deployment`` created for an event at or after ``after``
    (a timestamp), check that it is scheduled at least ``SCHEDULE_AFTER`` seconds after that
    (prefect.yaml's debounce; Prefect may start a second early), and start it now: the delay
    is Prefect's to keep, and waiting it out left a core idle 30 s a test.

    Only while the worker has not taken it yet (it takes runs PREFETCH seconds early); a run
    already nearer its start is left as it is."""
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId
    from prefect.client.schemas.responses import SetStateStatus
    from prefect.states import Scheduled

    with stack.client() as client:
        deployment_id = client.read_deployment_by_name(deployment).id

        def scheduled() -> Any:
            runs = client.read_flow_runs(
                deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment_id]))
            )
            found = [r for r in runs if r.created.timestamp() >= after - 1 and r.state]
            return found[0] if found else None

        run = wait_for(f"a run of {deployment} from its trigger", scheduled, 60, interval=0.25)
        start = run.expected_start_time
        assert start is not None and start.timestamp() >= after + SCHEDULE_AFTER - 1, (run, after)
        if run.state.is_scheduled() and start.timestamp() - time.time() > PREFETCH + 5:
            now = Scheduled(scheduled_time=datetime.now(UTC))
            result = client.set_flow_run_state(run.id, now)
            assert result.status == SetStateStatus.ACCEPT, result


def test_deploy_creates_the_schedule_and_the_triggers(stack: Stack) -> None:
    with stack.client() as client:
        daily = client.read_deployment_by_name("daily-cycle/daily-cycle")
        assert daily.work_pool_name == "regie"
        [schedule] = daily.schedules
        assert schedule.schedule.cron == "0 7 * * 1-5"
        assert schedule.schedule.timezone == "Europe/Amsterdam"
        assert daily.pull_steps == [
            {"prefect.deployments.steps.set_working_directory": {"directory": str(ROOT)}}
        ]
        automations = {a.name: a for a in client.read_automations()}
    triggers = {
        name: (
            sorted(a.trigger.expect),
            a.trigger.match.model_dump(),
            a.trigger.within.total_seconds(),
            [(action.type, action.schedule_after.total_seconds()) for action in a.actions],
        )
        for name, a in automations.items()
    }
    milestones = {"prefect.resource.id": "regie.milestone.*"}
    assert triggers == {
        "reassess-on-status-update": (
            ["regie.status.updated"],
            milestones,
            20.0,
            [("run-deployment", 30.0)],
        ),
        "send-on-escalation": (
            ["regie.escalation.raised"],
            milestones,
            20.0,
            [("run-deployment", 30.0)],
        ),
    }


@pytest.fixture(scope="module")
def daily_run(stack: Stack) -> Any:
    """One run of the daily-cycle deployment for AS_OF, started as an operator would, on a home
    whose owners were asked a week before (in-process, no Prefect): an item escalates only
    after its owner was asked and had the grace to answer."""
    asked = {k: v for k, v in stack.env.items() if k != "PREFECT_API_URL"}
    subprocess.run(
        [sys.executable, "-m", "regie.cli", "cycle", "--as-of", ASKED],
        env=asked, cwd=ROOT, check=True, capture_output=True, timeout=RUN_TIMEOUT,
    )  # fmt: skip
    started = time.time()
    run_prefect(
        stack.env, "deployment", "run", "daily-cycle/daily-cycle", "--param", f"as_of={AS_OF}"
    )
    return wait_for_completed_run(stack, "daily-cycle/daily-cycle", after=started - 1)


def test_a_deployment_run_of_the_daily_cycle_completes_and_sends(
    stack: Stack, daily_run: Any
) -> None:
    assert daily_run.state.is_completed(), f"{daily_run.state}\n{stack.logs()}"
    assert daily_run.parameters == {"as_of": AS_OF}
    files = list((stack.regie_home / "outbox").glob("*.eml"))
    assert files, f"no outbox files in {stack.regie_home}\n{stack.logs()}"


def test_an_escalation_from_the_daily_cycle_starts_the_sender(stack: Stack, daily_run: Any) -> None:
    """The seed has items more than 10 working days overdue on AS_OF without an answer, so the
    daily cycle raised escalations; their events reach Prefect and start escalation-notify
    (which finds the outbox already sent by the cycle, and completes)."""
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId
    from prefect.events.filters import EventFilter, EventNameFilter, EventOrder

    escalations = EventFilter(event=EventNameFilter(name=["regie.escalation.raised"]))
    with stack.client() as client:

        def escalation_events() -> Any:
            # The cycle's events reach the server one by one: wait for the burst, not its first.
            page = client.read_events(escalations, limit=50)
            return page if page.total > 1 else None

        page = wait_for("more than one escalation event in Prefect", escalation_events, 60)
        assert all(e.resource.id.startswith("regie.milestone.") for e in page.events)
        # The first of the burst (the trigger fired on it): oldest first, whatever the page holds.
        oldest = EventFilter(**{**escalations.model_dump(), "order": EventOrder.ASC})
        first = client.read_events(oldest, limit=1).events[0].occurred.timestamp()

        bring_forward(stack, "send-reminders/escalation-notify", after=first)
        run = wait_for_completed_run(stack, "send-reminders/escalation-notify")
        assert run.state.is_completed(), f"{run.state}\n{stack.logs()}"
        # One run for the whole burst: the trigger's window swallowed the other escalations.
        # Counted once the window is over (an escalation after it would have fired again, at
        # once), as it was when the run still waited out SCHEDULE_AFTER.
        time.sleep(max(0.0, first + WITHIN + 5 - time.time()))
        deployment = client.read_deployment_by_name("send-reminders/escalation-notify")
        runs = client.read_flow_runs(
            deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment.id]))
        )
    assert page.total > 1
    assert len(runs) == 1


def test_a_status_update_event_triggers_a_reassessment(stack: Stack) -> None:
    started = time.time()
    emit = (
        "from prefect.events import emit_event\n"
        "event = emit_event(event='regie.status.updated',\n"
        "    resource={'prefect.resource.id': 'regie.milestone.1.1',\n"
        "              'prefect.resource.name': '1.1'},\n"
        "    payload={'status': 'done'})\n"
        "assert event is not None\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", emit], env=stack.env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    bring_forward(stack, "deadline-check/reassess-on-update", after=started)
    run = wait_for_completed_run(stack, "deadline-check/reassess-on-update", after=started - 1)
    assert run.state.is_completed(), f"{run.state}\n{stack.logs()}"
