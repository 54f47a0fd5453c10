"""`regie serve` over real HTTP: health, static files, refusing to start without a key, and saying
it serves only once it listens (a port in use: one line, exit 3)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.cli import regie
from tests.conftest import SEED_PLAN
from tests.integration.server import ROOT, TEST_SECRET_KEY, running_server


def test_serve_answers_healthz_and_static_files(regie_home: Path) -> None:
    with running_server({"REGIE_PLAN": str(SEED_PLAN)}) as server:
        with urllib.request.urlopen(f"{server.url}/healthz") as response:
            assert response.status == 200
            assert response.read() == b"ok\n"
            assert response.headers.get("server") is None
        with urllib.request.urlopen(f"{server.url}/static/regie.css") as response:
            assert response.headers["content-type"].startswith("text/css")
            assert b"--regie-primary" in response.read()


def test_serve_refuses_to_start_without_a_secret_key(regie_home: Path) -> None:
    result = regie(
        "serve", "--port", "1", env={"REGIE_SECRET_KEY": "", "REGIE_PLAN": str(SEED_PLAN)}
    )
    assert result.code == 2
    assert result.err.strip().splitlines() == [
        "REGIE_SECRET_KEY: not set; generate one with: "
        "python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"
    ]


def test_serve_refuses_a_short_secret_key(regie_home: Path) -> None:
    result = regie(
        "serve", "--port", "1", env={"REGIE_SECRET_KEY": "short", "REGIE_PLAN": str(SEED_PLAN)}
    )
    assert result.code == 2
    assert "REGIE_SECRET_KEY: 5 characters is too short (at least 32)" in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_a_bad_base_url_is_one_line(regie_home: Path) -> None:
    result = regie("serve", env={"REGIE_BASE_URL": "ftp://x", "REGIE_PLAN": str(SEED_PLAN)})
    assert result.code == 2
    assert result.err.strip() == "REGIE_BASE_URL: not an http(s) URL: 'ftp://x'"


def test_a_port_in_use_is_one_line_and_nothing_said_of_serving(regie_home: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = regie(
            "serve", "--port", str(port),
            env={"REGIE_SECRET_KEY": TEST_SECRET_KEY, "REGIE_PLAN": str(SEED_PLAN)},
        )  # fmt: skip
    assert result.code == 3
    assert result.err.splitlines() == [f"--port {port}: address already in use"]
    assert result.out == ""  # not "Regie serving on …" first


@pytest.mark.parametrize(
    ("args", "code", "line"),
    [
        (("--port", "70000"), 2, "--port 70000: not a TCP port (0 … 65535)"),
        (("--host", "no-such-host.invalid"), 2, "--host no-such-host.invalid: unknown host ("),
    ],
)
def test_an_address_that_cannot_be_used_is_one_line(
    regie_home: Path, args: tuple[str, ...], code: int, line: str
) -> None:
    env = {"REGIE_SECRET_KEY": TEST_SECRET_KEY, "REGIE_PLAN": str(SEED_PLAN)}
    result = regie("serve", *args, env=env)
    assert result.code == code
    (said,) = result.err.splitlines()
    assert said.startswith(line), said
    assert result.out == ""


def test_serving_is_said_once_it_listens(regie_home: Path) -> None:
    """The line comes when uvicorn has started: a connection right after it is answered
    (``--port 0``: the line names the free port the system gave)."""
    env = {**os.environ, "REGIE_SECRET_KEY": TEST_SECRET_KEY, "REGIE_PLAN": str(SEED_PLAN)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "regie.cli", "serve", "--port", "0"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        said = r"Regie serving on http://127\.0\.0\.1:(\d+) \(public URL .*\)\n"
        found = re.fullmatch(said, line)
        assert found, line
        port = int(found.group(1))
        assert port != 0
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            assert response.read() == b"ok\n"
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert err == "", err
