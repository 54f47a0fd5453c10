"""Start the real `regie serve` in a subprocess on a free loopback port (for HTTP and browser
tests); reusable by any test that needs the web app over real HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEST_SECRET_KEY = "Hz4uT9qW2eRk7LmN3pXv8BcY1dJf6GsA0oQiUw5tE-"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Server:
    url: str  # http://127.0.0.1:PORT
    env: dict[str, str]  # the environment it runs with (REGIE_HOME, database, plan, key)


@contextmanager
def running_server(env: dict[str, str], *, timeout: float = 90.0) -> Iterator[Server]:
    """`regie serve --port N` with ``env`` over os.environ; stopped (and checked) on exit. The
    wait for health is long: a loaded CI machine took over 30 s to start a server (speed47b)."""
    port = free_port()
    full_env = {**os.environ, "REGIE_SECRET_KEY": TEST_SECRET_KEY, **env}
    full_env.setdefault("REGIE_BASE_URL", f"http://127.0.0.1:{port}")
    proc = subprocess.Popen(
        [sys.executable, "-m", "regie.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=full_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(proc, url, timeout)
        yield Server(url, full_env)
    finally:
        proc.terminate()
        try:
            _, err = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
        assert "Traceback" not in err, err


def _wait_until_healthy(proc: subprocess.Popen[str], url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out, err = proc.communicate()
            raise AssertionError(f"regie serve exited {proc.returncode}: {out}{err}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise AssertionError(f"regie serve did not answer {url}/healthz within {timeout} s")
