"""Office logins on a real store: argon2 hashes, sessions, lockout, disabling."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from regie.bootstrap import App, bootstrap
from regie.config import load_settings
from regie.errors import InvalidInput
from regie.users import (
    MAX_FAILURES,
    add_user,
    current_user,
    disable_user,
    list_users,
    log_in,
    log_out,
)
from tests.conftest import SEED_PLAN

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
PASSWORD = "correct horse battery staple"


@pytest.fixture
def app(tmp_path: Path, migrated_url: str) -> App:
    return bootstrap(
        load_settings({"REGIE_DATABASE_URL": migrated_url, "REGIE_PLAN": str(SEED_PLAN),
                       "REGIE_HOME": str(tmp_path)})
    )  # fmt: skip


@pytest.mark.production_password_hash  # elsewhere tests hash cheaply (integration/conftest.py)
def test_password_is_hashed_and_sessions_work(app: App) -> None:
    from argon2 import extract_parameters, profiles

    from regie import users

    assert add_user(app, "office", PASSWORD, "P. Bureau", NOW) == "user office added"
    with app.engine.connect() as conn:
        stored = conn.scalar(sa.text("SELECT password_hash FROM users"))
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    # The product's cost: argon2's RFC 9106 low-memory profile (64 MiB, 3 passes, 4 lanes),
    # also for the hash an unknown name is checked against, so it takes as long.
    assert extract_parameters(stored) == profiles.RFC_9106_LOW_MEMORY
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert extract_parameters(users._dummy_hash()) == profiles.RFC_9106_LOW_MEMORY
    token = log_in(app, "Office", PASSWORD, NOW)  # names are case-insensitive
    assert token and len(token) >= 43
    user = current_user(app, token, NOW)
    assert user is not None and user.display_name == "P. Bureau"
    assert current_user(app, token, NOW + timedelta(hours=13)) is None  # expired
    log_out(app, token, NOW)
    assert current_user(app, token, NOW) is None


def test_lockout_after_failures_then_release(app: App) -> None:
    add_user(app, "office", PASSWORD, None, NOW)
    for _ in range(MAX_FAILURES):
        assert log_in(app, "office", "wrong password!", NOW) is None
    assert log_in(app, "office", PASSWORD, NOW + timedelta(minutes=1)) is None  # locked
    assert log_in(app, "office", PASSWORD, NOW + timedelta(minutes=16)) is not None
    assert log_in(app, "nobody", PASSWORD, NOW) is None


def test_disabling_ends_sessions_and_bad_input_is_one_line_per_field(app: App) -> None:
    add_user(app, "office", PASSWORD, None, NOW)
    token = log_in(app, "office", PASSWORD, NOW)
    assert disable_user(app, "office", NOW) == "user office disabled (their sessions ended)"
    assert current_user(app, token, NOW) is None
    assert log_in(app, "office", PASSWORD, NOW) is None
    with pytest.raises(InvalidInput) as bad:
        add_user(app, "Bad Name", "short", None, NOW)
    assert bad.value.lines == [
        "username: 'Bad Name' must be 1-64 of lower-case letters, digits and . _ - @",
        "password: at least 12 characters",
    ]
    with pytest.raises(InvalidInput) as dup:
        add_user(app, "office", PASSWORD, None, NOW)
    assert dup.value.lines == ["username: 'office' already exists"]


def test_the_office_lists_its_users_with_their_state_and_no_hash(app: App) -> None:
    assert list_users(app, NOW) == []
    for name in ("office", "anna", "bram"):
        add_user(app, name, PASSWORD, name.title(), NOW)
    assert log_in(app, "office", PASSWORD, NOW + timedelta(minutes=1))
    for _ in range(MAX_FAILURES):
        log_in(app, "anna", "wrong password, long enough", NOW)
    disable_user(app, "bram", NOW)
    listed = {u["username"]: u for u in list_users(app, NOW + timedelta(minutes=2))}
    assert list(listed) == ["anna", "bram", "office"]
    assert {n: u["state"] for n, u in listed.items()} == {
        "anna": "locked",
        "bram": "disabled",
        "office": "active",
    }
    assert listed["office"]["last_login_at"] == "2026-12-01T09:01+00:00"
    assert listed["anna"]["locked_until"] is not None
    assert "argon2" not in repr(listed)
    later = {u["username"]: u["state"] for u in list_users(app, NOW + timedelta(hours=1))}
    assert later["anna"] == "active"  # the lock has passed
