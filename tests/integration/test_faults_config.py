"""Fault suite, the configuration: a mistyped or unsupported setting is one line and exit 2, a
home the machine refuses exit 3, and nothing is created on the way (README: one line per
problem, never a traceback)."""

from __future__ import annotations

import json
import socket
import sqlite3
import time
from contextlib import closing
from pathlib import Path

import pytest

from tests import cli
from tests.cli import Result
from tests.cli_in_process import regie
from tests.integration.ports import refused_port

AS_OF = ("--as-of", "2015-10-02")
PREFECT_NOISE = ("EventsWorker", "Unable to connect", "may be lost")


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.fixture
def home(tmp_path: Path) -> dict[str, str]:
    return {
        "REGIE_HOME": str(tmp_path / "home"),
        "REGIE_DATABASE_URL": "",
        "REGIE_NOTIFIER": "file",
        "PREFECT_API_URL": "",
        "PREFECT_HOME": str(tmp_path / "prefect"),
    }


@pytest.mark.parametrize(
    "args",
    [
        ("status",),
        ("db", "current"),
        ("db", "upgrade"),
        ("sync",),
        ("outbox",),
        ("update", "1.1.1", "--status", "on_track", *AS_OF),
        ("cycle", *AS_OF),
    ],
)
def test_a_sqlite_file_in_a_directory_that_does_not_exist_is_refused_and_not_made(
    home: dict[str, str], tmp_path: Path, args: tuple[str, ...]
) -> None:
    missing = tmp_path / "nonexistent" / "dir"
    env = {**home, "REGIE_DATABASE_URL": f"sqlite:///{missing / 'regie.db'}"}
    result = regie(*args, env=env)
    assert result.code == 2, result
    assert one_line(result.err) == f"REGIE_DATABASE_URL: directory {missing} does not exist"
    assert not (tmp_path / "nonexistent").exists()


def test_a_file_where_the_directory_should_be_is_named(
    home: dict[str, str], tmp_path: Path
) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    env = {**home, "REGIE_DATABASE_URL": f"sqlite:///{blocker / 'regie.db'}"}
    result = regie("status", env=env)
    assert result.code == 2
    assert one_line(result.err) == f"REGIE_DATABASE_URL: {blocker} is not a directory"


def test_the_home_is_still_made_as_needed(tmp_path: Path, home: dict[str, str]) -> None:
    """The quick start: a fresh, nested REGIE_HOME (default database or one named inside it)."""
    for n, url in enumerate(("", "sqlite:///{home}/regie.db")):
        fresh = tmp_path / f"fresh{n}" / "a" / "home"
        env = {**home, "REGIE_HOME": str(fresh), "REGIE_DATABASE_URL": url.format(home=fresh)}
        result = regie("status", "--format", "json", env=env)
        assert result.code == 0, result.err
        assert json.loads(result.out)
        assert (fresh / "regie.db").is_file()


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("foo://x", "foo://x"),
        ("mysql://regie:s3cret@db.example/regie", "mysql://regie:***@db.example/regie"),
        ("postgresql+psycopg2://regie:s3cret@h/regie", "postgresql+psycopg2://regie:***@h/regie"),
        ("SQLite:///x.db", "SQLite:///x.db"),
    ],
)
def test_an_unsupported_database_url_is_bad_input(
    home: dict[str, str], url: str, shown: str
) -> None:
    result = regie("status", env={**home, "REGIE_DATABASE_URL": url})
    assert result.code == 2
    assert one_line(result.err) == (
        f"REGIE_DATABASE_URL: only sqlite:/// and postgresql:// URLs are supported (got {shown!r})"
    )
    assert "s3cret" not in result.err


def test_a_malformed_database_url_hides_its_password(home: dict[str, str]) -> None:
    result = regie("status", env={**home, "REGIE_DATABASE_URL": "postgresql://u:s3cret@h:x/db"})
    assert result.code == 2
    line = one_line(result.err)
    assert (
        line == "REGIE_DATABASE_URL: port 'x' is not a number: 'postgresql+psycopg://u:***@h:x/db'"
    )


@pytest.mark.parametrize("args", [("cycle", *AS_OF), ("status",)])
def test_a_prefect_api_url_that_is_no_url_is_bad_input(
    home: dict[str, str], args: tuple[str, ...]
) -> None:
    result = regie(*args, env={**home, "PREFECT_API_URL": "notaurl"})
    assert result.code == 2
    assert one_line(result.err) == "PREFECT_API_URL: not an http(s) URL: 'notaurl'"


def test_a_bad_prefect_api_url_in_the_active_profile_is_bad_input(
    home: dict[str, str], tmp_path: Path
) -> None:
    prefect_home = Path(home["PREFECT_HOME"])
    prefect_home.mkdir()
    (prefect_home / "profiles.toml").write_text(
        'active = "local"\n[profiles.local]\nPREFECT_API_URL = "localhost:4200/api"\n'
    )
    env = {k: v for k, v in home.items() if k != "PREFECT_API_URL"}
    result = regie("cycle", *AS_OF, env={**env, "PREFECT_API_URL": ""})
    assert result.code == 2
    assert one_line(result.err) == (
        "PREFECT_API_URL: not an http(s) URL: 'localhost:4200/api' (in the active Prefect profile)"
    )


def test_a_home_the_machine_refuses_is_exit_3_for_the_cycle(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    db = tmp_path / "regie.db"
    env = {"REGIE_HOME": str(blocker / "home"), "REGIE_DATABASE_URL": f"sqlite:///{db}"}
    result = regie("cycle", *AS_OF, env={**env, "PREFECT_API_URL": ""})
    assert result.code == 3
    assert "cannot write its lock file" in one_line(result.err)


def _updates(home: dict[str, str]) -> int:
    with closing(sqlite3.connect(Path(home["REGIE_HOME"]) / "regie.db")) as conn, conn:
        return int(conn.execute("SELECT count(*) FROM status_updates").fetchone()[0])


def test_an_update_with_the_prefect_server_down_is_stored_and_says_so_at_once(
    home: dict[str, str],
) -> None:
    def timed(*args: str, **env: str) -> tuple[float, Result]:
        started = time.monotonic()
        # A real process: Prefect's events worker retrying at the process's exit is the cost.
        result = cli.regie("update", *args, *AS_OF, env={**home, **env})
        return time.monotonic() - started, result

    baseline, plain = timed("1.1.1", "--status", "on_track")  # no server configured
    assert plain.code == 0, plain.err
    with refused_port() as port:
        url = f"http://127.0.0.1:{port}/api"
        took, result = timed("1.1.2", "--status", "at_risk", PREFECT_API_URL=url)
    assert result.code == 0, result.err
    done, note = result.out.strip().splitlines()
    assert done.startswith("1.1.2: at_risk recorded for 2015-10-02 (update ")
    assert note.startswith(
        f"stored; the reassessment trigger was not sent: Prefect server {url} does not answer: "
    )
    assert note.endswith("(the next cycle picks the answer up)")
    assert not any(noise in result.err for noise in PREFECT_NOISE), result.err
    # Was ≈ 9 s more: Prefect's events worker retrying the absent server at exit.
    assert took < baseline + 3, (took, baseline)
    assert _updates(home) == 2


def test_a_server_that_accepts_but_never_answers_costs_the_short_timeout_only() -> None:
    from regie.prefect_setup import server_problem

    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen(1)  # connections queue, nothing ever answers
        port = listening.getsockname()[1]
        started = time.monotonic()
        problem = server_problem(f"http://127.0.0.1:{port}/api", timeout=0.3)
        took = time.monotonic() - started
    assert problem == "no answer within 0.3 s"
    assert took < 2


def test_the_outbox_lists_without_the_channels_settings_but_send_needs_them(
    home: dict[str, str],
) -> None:
    made = regie("cycle", *AS_OF, env=home)
    assert made.code == 0, made.err
    email = {**home, "REGIE_NOTIFIER": "email"}  # no REGIE_SMTP_HOST, no REGIE_MAIL_FROM
    listed = regie("outbox", "--format", "json", env=email)
    assert listed.code == 0, listed.err
    assert json.loads(listed.out)
    assert regie("events", "--format", "json", env=email).code == 0
    sent = regie("send", env=email)
    assert sent.code == 2
    assert "REGIE_SMTP_HOST: not set, but REGIE_NOTIFIER names email" in sent.err


def test_disabling_a_disabled_user_says_since_when(home: dict[str, str]) -> None:
    from datetime import UTC, datetime, timedelta

    from regie.bootstrap import bootstrap
    from regie.config import load_settings
    from regie.users import add_user, disable_user, list_users

    app = bootstrap(load_settings(home))
    now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    add_user(app, "bram", "a long password", None, now)
    assert disable_user(app, "bram", now) == "user bram disabled (their sessions ended)"
    again = disable_user(app, "bram", now + timedelta(days=2))
    assert again == "user bram was already disabled on 2026-12-01 09:00 UTC, nothing to do"
    [bram] = list_users(app, now + timedelta(days=3))
    assert bram["disabled_at"] == "2026-12-01T09:00+00:00"  # the first time stays
    app.engine.dispose()
    result = regie("user", "disable", "bram", env=home)
    assert result.code == 0, result.err
    assert (
        result.out.strip()
        == "user bram was already disabled on 2026-12-01 09:00 UTC, nothing to do"
    )


@pytest.mark.prefect
@pytest.mark.usefixtures("prefect_harness")
def test_an_update_with_the_prefect_server_up_sends_its_trigger(home: dict[str, str]) -> None:
    """The quick look at the server (GET /health) says yes to a real Prefect server: the
    event is queued as before, and no line says otherwise."""
    from prefect.settings import PREFECT_API_URL

    from regie.prefect_setup import server_problem

    url = PREFECT_API_URL.value()
    assert url and server_problem(url) is None
    result = cli.regie(  # a real process: no noise of Prefect's events worker at its exit
        "update", "1.1.2", "--status", "at_risk", *AS_OF, env={**home, "PREFECT_API_URL": url}
    )
    assert result.code == 0, result.err
    assert "not sent" not in result.out and len(result.out.strip().splitlines()) == 1
    assert not any(noise in result.err for noise in PREFECT_NOISE), result.err
