"""The login lockout holds under parallel attempts (security review, finding 1): every attempt
is counted atomically before any password is checked, on SQLite and PostgreSQL; a locked
account checks no password and its lock is not extended; a busy database is the Dutch "try
again" page, never a 500; `regie user unlock` clears a lock."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from regie import users
from regie.bootstrap import App
from regie.users import LOCK_MINUTES, MAX_FAILURES, add_user, log_in
from store.actor import acting_as
from tests.integration.test_web_item_page import PASSWORD, _app

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
BURST = 16  # parallel attempts: well over MAX_FAILURES


def _state(app: App, name: str = "office") -> tuple[int, datetime | None]:
    """(failed_logins, locked_until) of a user, read as the app reads it."""
    from store.models_web import UserRow

    with app.session() as session:
        row = session.execute(
            sa.select(UserRow.failed_logins, UserRow.locked_until).where(UserRow.username == name)
        ).one()
    return row[0], row[1]


def _events(app: App, name: str) -> list[dict[str, Any]]:
    with app.engine.connect() as conn:
        payloads = conn.execute(
            sa.text("SELECT payload FROM events WHERE name = :n ORDER BY id"), {"n": name}
        ).scalars()
        return [json.loads(p) if isinstance(p, str) else p for p in payloads]


def _in_parallel(calls: list[Callable[[], object]]) -> list[object]:
    """Run ``calls`` on threads released together; their results, or the exception raised."""
    start = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(i: int) -> None:
        start.wait()
        try:
            results[i] = calls[i]()
        except Exception as exc:  # reported by the test
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


class _Verifications:
    """Which hashes argon2 was asked to verify (the real check still runs)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.hashes: list[str] = []
        real = users._hasher()
        outer = self

        class Spy:
            def hash(self, password: str) -> str:
                return real.hash(password)

            def verify(self, hashed: str, password: str) -> bool:
                outer.hashes.append(hashed)
                return real.verify(hashed, password)

        monkeypatch.setattr(users, "_hasher", lambda: Spy())

    def of(self, app: App, name: str = "office") -> int:
        with app.engine.connect() as conn:
            stored = conn.execute(
                sa.text("SELECT password_hash FROM users WHERE username = :u"), {"u": name}
            ).scalar_one()
        return self.hashes.count(stored)


def test_parallel_wrong_passwords_are_all_counted_and_lock(
    tmp_path: Path, migrated_url: str
) -> None:
    app = _app(tmp_path, migrated_url)
    add_user(app, "office", PASSWORD, None, NOW)
    results = _in_parallel(
        [lambda i=i: log_in(app, "office", f"wrong password {i}", NOW) for i in range(BURST)]
    )
    assert results == [None] * BURST  # no "database is locked", no login
    failed, locked_until = _state(app)
    assert failed == BURST
    assert locked_until == NOW + timedelta(minutes=LOCK_MINUTES)
    # The right password now (or after a burst in the same second) does not log in.
    assert log_in(app, "office", PASSWORD, NOW + timedelta(seconds=1)) is None
    assert _state(app) == (BURST + 1, locked_until)


# The right password in the burst: only at the product's cost are all attempts counted before
# any check ends (a login that succeeds clears the count for the attempts counted after it).
@pytest.mark.production_password_hash
def test_the_right_password_in_a_burst_logs_in_only_within_the_allowance(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Wrong guesses and the right password at once: the right one logs in only when it was
    among the first MAX_FAILURES attempts counted; no burst gives more guesses than that."""
    app = _app(tmp_path, migrated_url)
    add_user(app, "office", PASSWORD, None, NOW)
    checked = _Verifications(monkeypatch)
    calls: list[Callable[[], object]] = [
        (lambda i=i: log_in(app, "office", f"wrong password {i}", NOW)) for i in range(BURST - 1)
    ]
    calls.append(lambda: log_in(app, "office", PASSWORD, NOW))
    results = _in_parallel(calls)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert checked.of(app) <= MAX_FAILURES  # the user's hash: never more guesses than allowed
    failed, locked_until = _state(app)
    if results[-1] is None:  # the right password came too late: refused unchecked
        assert failed == BURST and locked_until == NOW + timedelta(minutes=LOCK_MINUTES)
    else:  # it came in time: the failures counted after it stay
        assert failed < BURST


def test_attempts_during_a_lock_check_no_password_and_do_not_extend_it(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = _app(tmp_path, migrated_url)
    add_user(app, "office", PASSWORD, None, NOW)
    checked = _Verifications(monkeypatch)
    for i in range(MAX_FAILURES):
        assert log_in(app, "office", f"wrong password {i}", NOW) is None
    until = NOW + timedelta(minutes=LOCK_MINUTES)
    assert _state(app) == (MAX_FAILURES, until)
    assert checked.of(app) == MAX_FAILURES
    for minutes in (1, 7, 14):
        assert log_in(app, "office", "another wrong one", NOW + timedelta(minutes=minutes)) is None
    assert log_in(app, "office", PASSWORD, NOW + timedelta(minutes=14, seconds=59)) is None
    assert _state(app) == (MAX_FAILURES + 4, until)  # counted, the lock not moved
    assert checked.of(app) == MAX_FAILURES  # no hash of the user checked while locked
    # Once the lock has passed, one more wrong password locks again, from then on.
    later = until + timedelta(seconds=1)
    assert log_in(app, "office", "still wrong!!", later) is None
    relocked = later + timedelta(minutes=LOCK_MINUTES)
    assert _state(app) == (MAX_FAILURES + 5, relocked)
    assert checked.of(app) == MAX_FAILURES + 1
    # And once that lock has passed, the right password logs in and clears the count.
    assert log_in(app, "office", PASSWORD, relocked) is not None
    assert _state(app) == (0, None)


# The right password in the burst: only at the product's cost are all attempts counted before
# any check ends (a login that succeeds clears the count for the attempts counted after it).
@pytest.mark.production_password_hash
def test_parallel_login_posts_are_never_a_500_and_all_count(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The burst of the review, over the web app: one login form, then BURST POSTs at once,
    the right password last."""
    import httpx

    from web.app import create_app

    app = _app(tmp_path, migrated_url)
    add_user(app, "office", PASSWORD, None, NOW)
    checked = _Verifications(monkeypatch)
    web = create_app(app)

    def fields(csrf: str, i: int) -> dict[str, str]:
        password = PASSWORD if i == BURST - 1 else f"wrong password {i}"
        return {"csrf_token": csrf, "gebruikersnaam": "office", "wachtwoord": password}

    async def burst() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=web, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            form = await client.get("/inloggen")
            csrf = form.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
            posts = [client.post("/inloggen", data=fields(csrf, i)) for i in range(BURST)]
            return await asyncio.gather(*posts)

    answers = asyncio.run(burst())
    codes = [a.status_code for a in answers]
    assert 500 not in codes, codes
    assert set(codes[:-1]) == {401}, codes
    assert checked.of(app) <= MAX_FAILURES  # the user's hash: never more guesses than allowed
    failed, locked_until = _state(app)
    if codes[-1] == 401:
        assert failed == BURST and locked_until is not None
    else:  # the right password was counted among the first MAX_FAILURES
        assert codes[-1] == 303 and failed < BURST


def test_a_busy_database_is_the_dutch_try_again_page_and_no_free_guess(
    tmp_path: Path, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process holds SQLite's write lock past the busy timeout: 503 with Retry-After
    and a Dutch line, not a 500; no password was checked, so the attempt told nothing."""
    import sqlite3

    from starlette.testclient import TestClient

    import store.db
    from store import upgrade
    from web.app import create_app
    from web.limits import BUSY_RETRY_SECONDS

    upgrade(sqlite_url)
    monkeypatch.setattr(store.db, "SQLITE_BUSY_TIMEOUT_MS", 200)
    app = _app(tmp_path, sqlite_url)
    add_user(app, "office", PASSWORD, None, NOW)
    checked = _Verifications(monkeypatch)
    client = TestClient(create_app(app), raise_server_exceptions=False)
    form = client.get("/inloggen")
    csrf = form.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    other = sqlite3.connect(sa.make_url(sqlite_url).database or "", isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        for password in (PASSWORD, "wrong password!"):
            data = {"csrf_token": csrf, "gebruikersnaam": "office", "wachtwoord": password}
            busy = client.post("/inloggen", data=data)
            assert busy.status_code == 503, busy.text
            assert busy.headers["Retry-After"] == str(BUSY_RETRY_SECONDS)
            assert "Probeer het over een paar seconden opnieuw" in busy.text
            assert busy.headers["X-Frame-Options"] == "DENY"
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert checked.of(app) == 0  # nothing was checked, so nothing was learnt
    assert _state(app) == (0, None)


def test_unlock_clears_the_count_and_the_lock_and_is_recorded(
    tmp_path: Path, migrated_url: str
) -> None:
    from regie.errors import InvalidInput
    from regie.services import sync
    from regie.users import list_users, unlock_user

    app = _app(tmp_path, migrated_url)
    sync(app, None)
    add_user(app, "office", PASSWORD, None, NOW)
    for i in range(MAX_FAILURES + 2):
        log_in(app, "office", f"wrong password {i}", NOW)
    assert [u["state"] for u in list_users(app, NOW)] == ["locked"]
    with acting_as("carol"):
        said = unlock_user(app, "office", NOW + timedelta(minutes=1))
    assert said == f"user office unlocked ({MAX_FAILURES + 2} failed logins cleared)"
    assert _state(app) == (0, None)
    assert [u["state"] for u in list_users(app, NOW)] == ["active"]
    assert [
        (e["user"], e["by"], e["failed_logins"]) for e in _events(app, "regie.user.unlocked")
    ] == [("office", "carol", MAX_FAILURES + 2)]
    with acting_as("carol"):
        again = unlock_user(app, "office", NOW + timedelta(minutes=2))
    assert again == "user office was not locked and had no failed logins, nothing to do"
    assert len(_events(app, "regie.user.unlocked")) == 1
    assert log_in(app, "office", PASSWORD, NOW + timedelta(minutes=2)) is not None
    with pytest.raises(InvalidInput) as missing:
        unlock_user(app, "nobody", NOW)
    assert missing.value.lines == ["username: no user 'nobody'"]


def test_regie_user_unlock_on_the_command_line(tmp_path: Path) -> None:
    from regie.bootstrap import bootstrap
    from regie.config import load_settings
    from tests.cli import regie

    env = {"REGIE_HOME": str(tmp_path / "home"), "REGIE_DATABASE_URL": ""}
    app = bootstrap(load_settings(env))
    add_user(app, "bram", PASSWORD, None, NOW)
    for i in range(MAX_FAILURES):
        log_in(app, "bram", f"wrong password {i}", datetime.now(UTC))
    app.engine.dispose()
    result = regie("--operator", "dave", "user", "unlock", "bram", env=env)
    assert result.code == 0, result.err
    assert result.out.strip() == f"user bram unlocked ({MAX_FAILURES} failed logins cleared)"
    assert _state(app, "bram") == (0, None)
    app.engine.dispose()
