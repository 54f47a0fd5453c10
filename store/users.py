"""The programme office's users and their web sessions. Plain values out; callers commit."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from store.models_web import UserRow, WebSessionRow


@dataclass(frozen=True, slots=True)
class User:
    id: int
    username: str
    display_name: str | None
    password_hash: str
    disabled_at: datetime | None
    failed_logins: int
    locked_until: datetime | None
    forgotten: bool = False  # ``regie user forget``: a pseudonym, never a login again


class UserExists(ValueError):
    pass


def _user(row: UserRow) -> User:
    return User(
        row.id, row.username, row.display_name, row.password_hash, row.disabled_at,
        row.failed_logins or 0, row.locked_until, _forgotten(row),
    )  # fmt: skip


def _forgotten(row: UserRow) -> bool:
    """Forgotten (``regie user forget``): recorded by whom, or, before that was recorded, by
    the pseudonym it left (``store.erasure.forget.forget_user``)."""
    return row.forgotten_by is not None or row.username == f"vertrokken-gebruiker-{row.id}"


def add_user(
    session: Session, username: str, display_name: str | None, password_hash: str, now: datetime
) -> User:
    if session.scalar(sa.select(UserRow.id).where(UserRow.username == username)) is not None:
        raise UserExists(username)
    row = UserRow(
        username=username, display_name=display_name, password_hash=password_hash,
        created_at=now, failed_logins=0,
    )  # fmt: skip
    session.add(row)
    session.flush()
    return _user(row)


@dataclass(frozen=True, slots=True)
class UserListed:
    """A user as the office lists them: no password hash."""

    username: str
    display_name: str | None
    created_at: datetime
    last_login_at: datetime | None
    disabled_at: datetime | None
    locked_until: datetime | None


def list_users(session: Session) -> list[UserListed]:
    rows = session.scalars(sa.select(UserRow).order_by(UserRow.username))
    return [
        UserListed(
            r.username,
            r.display_name,
            r.created_at,
            r.last_login_at,
            r.disabled_at,
            r.locked_until,
        )
        for r in rows
    ]


def find_user(session: Session, username: str) -> User | None:
    row = session.scalar(sa.select(UserRow).where(UserRow.username == username))
    return _user(row) if row is not None else None


def disable_user(
    session: Session, username: str, now: datetime, by: str | None = None
) -> tuple[bool, datetime] | None:
    """Disable a user (``by`` whom) and end their sessions: (newly disabled, since when), None
    for no such user. A user disabled before stays disabled from that time, by whom it was."""
    row = session.scalar(sa.select(UserRow).where(UserRow.username == username))
    if row is None:
        return None
    since = row.disabled_at
    if since is None:
        row.disabled_at = now
        row.disabled_by = by
    session.execute(
        sa.update(WebSessionRow)
        .where(WebSessionRow.user_id == row.id, WebSessionRow.ended_at.is_(None))
        .values(ended_at=now)
    )
    return (True, now) if since is None else (False, since)


@dataclass(frozen=True, slots=True)
class Attempt:
    """A login attempt, counted before its password is checked: the user as counted
    (``failed_logins`` includes this attempt) and whether the account was locked when it came."""

    user: User
    number: int  # failed_logins with this attempt: what a success takes off again
    was_locked: bool


def count_attempt(
    session: Session, username: str, now: datetime, *, threshold: int, lock_for: timedelta
) -> Attempt | None:
    """Count one login attempt of ``username`` (None: no such user) and lock the account from
    ``now`` for ``lock_for`` when this attempt reaches ``threshold`` and it was not locked. An
    existing lock stays as it is (further attempts do not extend it).

    Atomic under concurrency: the first statement is the UPDATE, which takes the row's lock
    (PostgreSQL; READ COMMITTED re-reads the row a concurrent attempt committed) or SQLite's
    write lock (waiting with the busy timeout; no read snapshot taken earlier can go stale)
    before anything is read, so parallel attempts are counted one after the other and each
    sees the count and lock of those before it. ``locked_until`` is returned as it was: the
    UPDATE does not change it."""
    columns = (  # User's fields, in order
        UserRow.id, UserRow.username, UserRow.display_name, UserRow.password_hash,
        UserRow.disabled_at, UserRow.failed_logins, UserRow.locked_until,
    )  # fmt: skip
    row = session.execute(
        sa.update(UserRow)
        .where(UserRow.username == username)
        .values(failed_logins=sa.func.coalesce(UserRow.failed_logins, 0) + 1)
        .returning(*columns)
        .execution_options(synchronize_session=False)
    ).one_or_none()
    if row is None:
        return None
    user = User(*row)
    was_locked = user.locked_until is not None and user.locked_until > now
    if not was_locked and user.failed_logins >= threshold:
        user = replace(user, locked_until=now + lock_for)
        session.execute(
            sa.update(UserRow)
            .where(UserRow.id == user.id)
            .values(locked_until=user.locked_until)
            .execution_options(synchronize_session=False)
        )
    return Attempt(user, user.failed_logins, was_locked)


def record_login(
    session: Session,
    user_id: int,
    token_hash: str,
    now: datetime,
    expires_at: datetime,
    *,
    attempt: int,
    threshold: int,
) -> None:
    """A successful login by the ``attempt``-th counted attempt: that one and the failures
    before it are taken off the count; failures counted after it (in parallel) stay, and so
    does a lock they reached."""
    left = UserRow.failed_logins - attempt
    session.execute(
        sa.update(UserRow)
        .where(UserRow.id == user_id)
        .values(
            failed_logins=sa.case((left > 0, left), else_=0),
            locked_until=sa.case((left >= threshold, UserRow.locked_until), else_=None),
            last_login_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    session.add(
        WebSessionRow(token_hash=token_hash, user_id=user_id, created_at=now, expires_at=expires_at)
    )


def unlock_user(session: Session, username: str) -> tuple[int, datetime | None] | None:
    """Clear a user's failed logins and lock: (failed logins, locked until) as they were, None
    for no such user. Written first (an UPDATE that changes nothing yet, returning the values),
    so the row's lock (SQLite: the write lock) is held before they are read."""
    row = session.execute(
        sa.update(UserRow)
        .where(UserRow.username == username)
        .values(failed_logins=UserRow.failed_logins)
        .returning(UserRow.id, UserRow.failed_logins, UserRow.locked_until)
        .execution_options(synchronize_session=False)
    ).one_or_none()
    if row is None:
        return None
    session.execute(
        sa.update(UserRow)
        .where(UserRow.id == row.id)
        .values(failed_logins=0, locked_until=None)
        .execution_options(synchronize_session=False)
    )
    return row.failed_logins or 0, row.locked_until


def session_user(session: Session, token_hash: str, now: datetime) -> User | None:
    """The user of a live session (not ended, not expired, user not disabled)."""
    row = session.execute(
        sa.select(UserRow)
        .join(WebSessionRow, WebSessionRow.user_id == UserRow.id)
        .where(
            WebSessionRow.token_hash == token_hash,
            WebSessionRow.ended_at.is_(None),
            WebSessionRow.expires_at > now,
            UserRow.disabled_at.is_(None),
        )
    ).scalar_one_or_none()
    return _user(row) if row is not None else None


def end_session(session: Session, token_hash: str, now: datetime) -> None:
    session.execute(
        sa.update(WebSessionRow)
        .where(WebSessionRow.token_hash == token_hash, WebSessionRow.ended_at.is_(None))
        .values(ended_at=now)
    )


def set_password(session: Session, username: str, password_hash: str, now: datetime) -> bool:
    """Give a user a new password hash, clear their failed logins and lock, and end their
    sessions (a password reset after a leak must log out whoever had it); False for no such
    user."""
    user_id = session.execute(
        sa.update(UserRow)
        .where(UserRow.username == username)
        .values(password_hash=password_hash, failed_logins=0, locked_until=None)
        .returning(UserRow.id)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if user_id is None:
        return False
    session.execute(
        sa.update(WebSessionRow)
        .where(WebSessionRow.user_id == user_id, WebSessionRow.ended_at.is_(None))
        .values(ended_at=now)
    )
    return True


@dataclass(frozen=True, slots=True)
class Enabled:
    """What ``enable_user`` found: whether the user was disabled (and is no longer), or was
    forgotten (a pseudonym, never enabled again)."""

    was_disabled: bool
    forgotten: bool


def enable_user(session: Session, username: str) -> Enabled | None:
    """Let a disabled user log in again (not a forgotten one); None for no such user."""
    row = session.scalar(sa.select(UserRow).where(UserRow.username == username))
    if row is None:
        return None
    if _forgotten(row):
        return Enabled(row.disabled_at is not None, forgotten=True)
    was = row.disabled_at is not None
    row.disabled_at = None
    row.disabled_by = None
    return Enabled(was, forgotten=False)
