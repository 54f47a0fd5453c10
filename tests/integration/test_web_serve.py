"""`regie serve` over real HTTP: health, static files, and refusing to start without a key."""

from __future__ import annotations

import urllib.request
from pathlib import Path

from tests.cli import regie
from tests.conftest import SEED_PLAN
from tests.integration.server import running_server


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
