"""The programme office's users and their web sessions. Plain values out; callers commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

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


class UserExists(ValueError):
    pass


def _user(row: UserRow) -> User:
    return User(
        row.id, row.username, row.display_name, row.password_hash, row.disabled_at,
        row.failed_logins or 0, row.locked_until,
    )  # fmt: skip


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


def record_failure(session: Session, user_id: int, locked_until: datetime | None) -> None:
    values: dict[str, object] = {"failed_logins": UserRow.failed_logins + 1}
    if locked_until is not None:
        values["locked_until"] = locked_until
    session.execute(sa.update(UserRow).where(UserRow.id == user_id).values(**values))


def record_login(
    session: Session, user_id: int, token_hash: str, now: datetime, expires_at: datetime
) -> None:
    session.execute(
        sa.update(UserRow)
        .where(UserRow.id == user_id)
        .values(failed_logins=0, locked_until=None, last_login_at=now)
    )
    session.add(
        WebSessionRow(token_hash=token_hash, user_id=user_id, created_at=now, expires_at=expires_at)
    )


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
