"""`regie cycle` and Prefect: a flow run on the configured server, no Prefect without one.

Without PREFECT_API_URL, Prefect 3.9 would start a temporary server as a child process for each
cycle (≈ 7 s); a killed cycle left it running. Now no process outlives the command: it starts
none, with or without a server.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from uuid import UUID

import pytest

from regie.prefect_setup import prefect_api_url
from tests.cli import ROOT, regie

AS_OF = "2015-10-01"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def children(pid: int) -> list[int]:
    """The direct children of ``pid`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def processes_with(marker: str) -> list[int]:
    """Processes whose environment mentions ``marker`` (this test's unique REGIE_HOME)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if marker.encode() in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def start_cycle(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "regie.cli", "cycle", "--as-of", AS_OF],
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "200", **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_watching_children(env: dict[str, str]) -> tuple[int, str, str, set[int]]:
    """Run a cycle to its end, sampling its child processes every 20 ms."""
    process = start_cycle(env)
    seen: set[int] = set()
    deadline = time.monotonic() + 300
    while process.poll() is None and time.monotonic() < deadline:
        seen.update(children(process.pid))
        time.sleep(0.02)
    out, err = process.communicate(timeout=60)
    return process.returncode, out, err, seen


@pytest.fixture
def home(tmp_path: Path) -> dict[str, str]:
    return {
        "REGIE_HOME": str(tmp_path / "home"),
        "REGIE_DATABASE_URL": "",
        "REGIE_NOTIFIER": "file",
        "PREFECT_API_URL": "",
        "PREFECT_HOME": str(tmp_path / "prefect"),
    }


def test_without_a_server_the_cycle_starts_no_process(home: dict[str, str]) -> None:
    code, out, err, seen = run_watching_children(home)
    assert code == 0, err
    assert "ran: in-process" in out
    assert seen == set()


def test_a_killed_cycle_leaves_no_process_behind(home: dict[str, str]) -> None:
    """SIGKILL late in the run: when the outbox is being written (or as soon as any child
    process shows up, which is when the old temporary Prefect server would have been left)."""
    process = start_cycle(home)
    outbox = Path(home["REGIE_HOME"]) / "outbox"
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline:
        if outbox.exists() or children(process.pid):
            break
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    gone = time.monotonic() + 0.5  # the same grace as the fixed sleep it was, ended early
    while processes_with(home["REGIE_HOME"]) and time.monotonic() < gone:
        time.sleep(0.02)
    assert processes_with(home["REGIE_HOME"]) == []


def test_the_prefect_api_url_comes_from_the_environment_or_the_active_profile(
    tmp_path: Path,
) -> None:
    profiles = tmp_path / "profiles.toml"
    env = {"PREFECT_HOME": str(tmp_path)}
    assert prefect_api_url(env) is None  # no profile file at all
    profiles.write_text(
        'active = "server"\n'
        '[profiles.server]\nPREFECT_API_URL = "http://prefect.example:4200/api"\n'
        '[profiles.other]\nPREFECT_API_URL = "http://other.example/api"\n'
        "[profiles.blank]\n"
    )
    assert prefect_api_url(env) == "http://prefect.example:4200/api"
    assert prefect_api_url({**env, "PREFECT_PROFILE": "other"}) == "http://other.example/api"
    assert prefect_api_url({**env, "PREFECT_PROFILE": "blank"}) is None
    assert prefect_api_url({**env, "PREFECT_API_URL": "http://env/api"}) == "http://env/api"
    moved = tmp_path / "elsewhere.toml"
    profiles.rename(moved)
    assert prefect_api_url(env) is None
    assert prefect_api_url({**env, "PREFECT_PROFILES_PATH": str(moved)}) is not None
    moved.write_text("not toml [")
    assert prefect_api_url({**env, "PREFECT_PROFILES_PATH": str(moved)}) is None


@pytest.mark.prefect
def test_an_unreachable_server_is_one_line_and_nothing_is_sent(home: dict[str, str]) -> None:
    url = f"http://127.0.0.1:{free_port()}/api"
    result = regie("cycle", "--as-of", AS_OF, env={**home, "PREFECT_API_URL": url})
    assert result.code == 3  # a service Regie needs is unreachable (1: a message not delivered)
    [line] = result.err.strip().splitlines()
    assert line.startswith(f"Prefect API {url} is not reachable")
    assert not (Path(home["REGIE_HOME"]) / "outbox").exists()


@pytest.mark.prefect
@pytest.mark.usefixtures("prefect_harness")
def test_with_a_server_the_cycle_is_a_flow_run_there(home: dict[str, str]) -> None:
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    assert url
    code, out, err, seen = run_watching_children({**home, "PREFECT_API_URL": url})
    assert code == 0, err
    assert seen == set()  # the server is someone else's: no child process here either
    # No escalation on a first cycle (nobody was asked before). The flow run does the day's
    # round too (order35): its 8 requests go, the 4 digests whose items they ask do not (the
    # office's own contact is not asked for IenM, which has a contact of its own: office49).
    assert "te laat 6" in out and "sent: 8 via file" in out and "not sent: 4" in out
    [ran] = [line for line in out.splitlines() if "ran: Prefect flow run" in line]
    run_id = UUID(ran.split("flow run ", 1)[1].split()[0])
    assert ran.endswith(f" on {url}")
    with get_client(sync_client=True) as client:
        run = client.read_flow_run(run_id)
        flow = client.read_flow(run.flow_id)
    assert flow.name == "daily-cycle"
    assert run.state is not None and run.state.is_completed()
    assert run.parameters == {"as_of": AS_OF, "dry_run": False, "full": False}
    assert len(list((Path(home["REGIE_HOME"]) / "outbox").glob("*.eml"))) == 8
