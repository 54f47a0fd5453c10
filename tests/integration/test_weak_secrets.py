"""What the command line does with weak secrets and secret-bearing URLs (security review,
findings 10 and 11): `regie serve` refuses a guessable key in one line, `regie user add` a
guessable password (SQLite and PostgreSQL), and a `?password=` in the database URL is never
printed."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from regie.bootstrap import App, bootstrap
from regie.config import load_settings
from regie.errors import InvalidInput
from regie.users import add_user, list_users
from tests import cli
from tests.cli_in_process import regie
from tests.conftest import SEED_PLAN

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("key", ["a" * 32, "changeme-changeme-changeme-changeme"])
def test_serve_refuses_a_guessable_secret_key(regie_home: Path, key: str) -> None:
    # A process of its own: a `serve` that failed to refuse would keep serving inside the test.
    result = cli.regie(
        "serve", "--port", "1", env={"REGIE_SECRET_KEY": key, "REGIE_PLAN": str(SEED_PLAN)}
    )
    assert result.code == 2
    (line,) = result.err.strip().splitlines()
    assert line.startswith("REGIE_SECRET_KEY: too easy to guess: it uses only")
    assert "secrets.token_urlsafe(32)" in line and key not in line


@pytest.fixture
def app(tmp_path: Path, migrated_url: str) -> App:
    return bootstrap(
        load_settings({"REGIE_DATABASE_URL": migrated_url, "REGIE_PLAN": str(SEED_PLAN),
                       "REGIE_HOME": str(tmp_path / "home")})
    )  # fmt: skip


def test_a_guessable_password_is_refused_and_no_user_added(app: App) -> None:
    with pytest.raises(InvalidInput) as weak:
        add_user(app, "weak4", "aaaaaaaaaaaa", None, NOW)
    assert weak.value.lines == ["password: uses only 1 different character"]
    with pytest.raises(InvalidInput) as named:
        add_user(app, "weak5", "weak5weak5weak5", None, NOW)
    assert named.value.lines == ["password: must not contain the user name"]
    assert list_users(app, NOW) == []
    add_user(app, "office", "correct horse battery staple", None, NOW)
    assert [u["username"] for u in list_users(app, NOW)] == ["office"]


def test_user_add_says_why_in_one_line(regie_home: Path) -> None:
    env = {**os.environ, "REGIE_PLAN": str(SEED_PLAN), "REGIE_HOME": str(regie_home)}
    result = subprocess.run(
        [sys.executable, "-m", "regie.cli", "user", "add", "bram", "--password-stdin"],
        input="wachtwoord123\n", text=True, capture_output=True, env=env, timeout=120,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr == (
        "password: is one of the most common passwords: choose another (a few unrelated words)\n"
    )


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://regie@127.0.0.1:1/regie?password=S3cretPw",
        "postgresql:///regie?host=127.0.0.1&port=1&user=regie&password=S3cretPw",
    ],
)
@pytest.mark.parametrize("command", [("status",), ("db", "current")])
def test_a_query_password_is_never_printed(
    regie_home: Path, url: str, command: tuple[str, ...]
) -> None:
    result = regie(*command, env={"REGIE_DATABASE_URL": url, "REGIE_PLAN": str(SEED_PLAN)})
    assert result.code != 0
    assert "password=***" in result.err, result.err
    assert "S3cretPw" not in result.out + result.err
