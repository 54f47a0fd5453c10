"""The programme office's logins: users with argon2 hashes, sessions, lockout after failures."""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING

from governance.characters import one_line_problem
from regie.bootstrap import App
from regie.errors import InvalidInput
from regie.strength import password_problem
from store.audit import (
    LOGIN_FAILED,
    LOGIN_SUCCEEDED,
    UNKNOWN_USER,
    USER_ADDED,
    USER_DISABLED,
    USER_ENABLED,
    USER_FORGOTTEN,
    USER_PASSWORD_SET,
)

if TYPE_CHECKING:
    from argon2 import PasswordHasher
    from sqlalchemy.orm import Session

MIN_PASSWORD_LENGTH = 12
MAX_FAILURES = 5  # then the account is locked for LOCK_MINUTES
LOCK_MINUTES = 15
SESSION_HOURS = 12
USERNAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._-@")


@dataclass(frozen=True, slots=True)
class LoggedIn:
    username: str
    display_name: str


@cache
def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher

    return PasswordHasher()  # argon2id with the library's (RFC 9106 low-memory) defaults


@cache
def _dummy_hash() -> str:
    """Verified against for unknown names, so they take as long as known ones."""
    return _hasher().hash(secrets.token_urlsafe(16))


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_user(
    app: App, username: str, password: str, display_name: str | None, now: datetime
) -> str:
    from store.users import UserExists
    from store.users import add_user as store_add

    problems = []
    if not username or not set(username) <= USERNAME_CHARS or len(username) > 64:
        problems.append(
            f"username: {username!r} must be 1-64 of lower-case letters, digits and . _ - @"
        )
    if display_name is not None and (wrong := one_line_problem("--name", display_name)):
        problems.append(wrong)  # shown in every page's header (walk57b 7)
    problems += _password_problems(username, password)
    if problems:
        raise InvalidInput(*problems)
    with app.session() as session, session.begin():
        try:
            user = store_add(session, username, display_name, _hasher().hash(password), now)
        except UserExists:
            raise InvalidInput(f"username: {username!r} already exists") from None
        _event(app, session, USER_ADDED, now, {"user": username}, key=str(user.id))
    return f"user {username} added"


def _password_problems(username: str, password: str) -> list[str]:
    if len(password) < MIN_PASSWORD_LENGTH:
        return [f"password: at least {MIN_PASSWORD_LENGTH} characters"]
    if weak := password_problem(username, password):  # too easy to guess: regie/strength.py
        return [f"password: {weak}"]
    return []


def set_password(app: App, username: str, password: str, now: datetime) -> str:
    """A new password for a login (``regie user password``: forgotten, or changed after a
    leak), held to the rules of a new one; their failed logins and lock are cleared and their
    sessions end. Recorded as an event with the operator, never the password (walk57c 7)."""
    from store.users import find_user
    from store.users import set_password as store_set

    if problems := _password_problems(username, password):
        raise InvalidInput(*problems)
    password_hash = _hasher().hash(password)
    with app.writing(), app.session() as session, session.begin():
        user = find_user(session, username)
        if user is not None and not user.forgotten:
            store_set(session, username, password_hash, now)
            _event(app, session, USER_PASSWORD_SET, now, {"user": username})
    if user is None:
        raise InvalidInput(f"username: no user {username!r}")
    if user.forgotten:  # as `regie user enable` (review57 2)
        raise InvalidInput(f"username: {username!r} was forgotten: add the person as a new user")
    disabled = " (still disabled: `regie user enable` lets them log in)" if user.disabled_at else ""
    return f"password of user {username} set; their sessions ended{disabled}"


def enable_user(app: App, username: str, now: datetime) -> str:
    """Let a disabled login in again (``regie user enable``), recorded; a forgotten one stays
    forgotten (its name is a pseudonym: add the person anew)."""
    from store.users import enable_user as store_enable

    with app.writing(), app.session() as session, session.begin():
        done = store_enable(session, username)
        if done is not None and done.was_disabled and not done.forgotten:
            _event(app, session, USER_ENABLED, now, {"user": username})
    if done is None:
        raise InvalidInput(f"username: no user {username!r}")
    if done.forgotten:
        raise InvalidInput(f"username: {username!r} was forgotten: add the person as a new user")
    if not done.was_disabled:
        return f"user {username} was not disabled, nothing to do"
    return f"user {username} enabled: they can log in again"


def _event(
    app: App,
    session: Session,
    name: str,
    now: datetime,
    payload: dict[str, object],
    key: str | None = None,
    by: str | None = None,
) -> None:
    """An action event of the office's logins, in the caller's transaction. Logins are not a
    programme's: the event goes under the programme of this home, and is not recorded while the
    database holds no programme yet (nothing synced: an event needs its programme's row)."""
    from regie.services import office_day
    from store.audit import programme_stored, record_action

    if not programme_stored(session, app.programme_id()):
        return
    record_action(
        session, app.programme_id(), name, now=now, occurred_on=office_day(app, now),
        payload=payload,
        key=f"{payload.get('user')}:{key}" if key else None, by=by,
    )  # fmt: skip


def list_users(app: App, now: datetime) -> list[dict[str, str | None]]:
    """Every login by name, with its state (active, locked until …, disabled since …); never
    a hash."""
    from store.users import list_users as store_list

    with app.session() as session:
        users = store_list(session)

    def stamp(at: datetime | None) -> str | None:
        return at.isoformat(timespec="minutes") if at is not None else None

    out: list[dict[str, str | None]] = []
    for u in users:
        if u.disabled_at is not None:
            state = "disabled"
        elif u.locked_until is not None and u.locked_until > now:
            state = "locked"
        else:
            state = "active"
        out.append(
            {
                "username": u.username,
                "name": u.display_name,
                "state": state,
                "created_at": stamp(u.created_at),
                "last_login_at": stamp(u.last_login_at),
                "disabled_at": stamp(u.disabled_at),
                "locked_until": stamp(u.locked_until) if state == "locked" else None,
            }
        )
    return out


def disable_user(app: App, username: str, now: datetime) -> str:
    """Disable a login and end its sessions; a user disabled before stays disabled from that
    time, and is said to be (nothing to do, not an error: like a second token revoke)."""
    from datetime import UTC

    from store.actor import current_actor
    from store.users import disable_user as store_disable

    with app.session() as session, session.begin():
        done = store_disable(session, username, now, by=current_actor())
        if done is not None and done[0]:
            _event(app, session, USER_DISABLED, now, {"user": username})
    if done is None:
        raise InvalidInput(f"username: no user {username!r}")
    newly, since = done
    if not newly:
        when = since.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
        return f"user {username} was already disabled on {when}, nothing to do"
    return f"user {username} disabled (their sessions ended)"


def log_in(app: App, username: str, password: str, now: datetime) -> str | None:
    """A new session token, or None. The same None for a wrong password, an unknown or disabled
    user and a locked account: the form never says which.

    An attempt at a known name is counted before its password is checked, in a short
    transaction of its own (:func:`store.users.count_attempt`: atomic, so parallel attempts are
    all counted and the one reaching MAX_FAILURES locks). An account that was locked when the
    attempt came has no password checked at all — only the dummy hash, so that it takes as long
    as a wrong password — and its lock is not moved: it ends LOCK_MINUTES after the failure that
    set it. A database error (SQLite busy past its timeout) is raised before anything was
    checked, or after the attempt was counted: never a guess that is checked but not counted."""
    from argon2.exceptions import InvalidHashError, VerificationError

    from store import users as store

    name = username.strip().lower()
    lock_for = timedelta(minutes=LOCK_MINUTES)
    with app.writing(), app.session() as session, session.begin():
        attempt = store.count_attempt(session, name, now, threshold=MAX_FAILURES, lock_for=lock_for)
        if attempt is None:
            # The name typed may be a password typed in the wrong field: never recorded.
            _event(app, session, LOGIN_FAILED, now, {"user": UNKNOWN_USER, "reason": "unknown"},
                   by=UNKNOWN_USER)  # fmt: skip
        elif attempt.was_locked:
            _event(app, session, LOGIN_FAILED, now, {"user": name, "reason": "locked"}, by=name)
    if attempt is None or attempt.was_locked:
        with contextlib.suppress(VerificationError):
            _hasher().verify(_dummy_hash(), password)
        return None
    user = attempt.user
    try:
        ok: bool = _hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        ok = False
    with app.writing(), app.session() as session, session.begin():
        if not ok or user.disabled_at is not None:
            reason = "password" if not ok else "disabled"
            _event(app, session, LOGIN_FAILED, now, {"user": user.username, "reason": reason},
                   by=user.username)  # fmt: skip
            return None
        token = secrets.token_urlsafe(32)
        store.record_login(
            session, user.id, _hash(token), now, now + timedelta(hours=SESSION_HOURS),
            attempt=attempt.number, threshold=MAX_FAILURES,
        )  # fmt: skip
        _event(app, session, LOGIN_SUCCEEDED, now, {"user": user.username}, by=user.username)
        return token


def unlock_user(app: App, username: str, now: datetime) -> str:
    """Clear a user's failed logins and lock (``regie user unlock``), recorded: an event with
    the count cleared, by the operator. A user without either is said to be (nothing to do)."""
    from store.audit import USER_UNLOCKED
    from store.users import unlock_user as store_unlock

    with app.writing(), app.session() as session, session.begin():
        before = store_unlock(session, username)
        if before is not None and (before[0] or before[1] is not None):
            failed, until = before
            payload: dict[str, object] = {"user": username, "failed_logins": failed}
            if until is not None and until > now:
                payload["locked_until"] = until.isoformat(timespec="seconds")
            _event(app, session, USER_UNLOCKED, now, payload)
    if before is None:
        raise InvalidInput(f"username: no user {username!r}")
    failed, until = before
    if not failed and until is None:
        return f"user {username} was not locked and had no failed logins, nothing to do"
    logins = "login" if failed == 1 else "logins"
    return f"user {username} unlocked ({failed} failed {logins} cleared)"


def current_user(app: App, token: str | None, now: datetime) -> LoggedIn | None:
    from store.users import session_user

    if not token:
        return None
    with app.session() as session:
        user = session_user(session, _hash(token), now)
    if user is None:
        return None
    return LoggedIn(user.username, user.display_name or user.username)


def log_out(app: App, token: str | None, now: datetime) -> None:
    from store.users import end_session

    if not token:
        return
    with app.session() as session, session.begin():
        end_session(session, _hash(token), now)


def forget_user(app: App, username: str, now: datetime) -> str:
    """Forget a disabled office login (:func:`regie.erasure.forget_user`), recorded: who forgot
    it (``users.forgotten_by``) and an event naming only the pseudonym, never the old name."""
    import sqlalchemy as sa

    from store.actor import current_actor
    from store.erasure import forget_user as store_forget
    from store.models_web import UserRow

    with app.writing(), app.session() as session, session.begin():
        pseudonym = store_forget(session, username)
        if pseudonym is not None:
            session.execute(
                sa.update(UserRow)
                .where(UserRow.username == pseudonym)
                .values(forgotten_by=current_actor())
            )
            _event(app, session, USER_FORGOTTEN, now, {"user": pseudonym}, key="forgotten")
    if pseudonym is None:
        raise InvalidInput(f"{username}: no disabled user by that name (disable them first)")
    return f"user {username} forgotten: now {pseudonym}"
