"""Tables of the web entrypoint and the calendar feeds (migration 0008).

- ``calendar_tokens``: feed subscriptions. Only a SHA-256 of the token is stored; revoking sets
  ``revoked_at`` (rows stay, so ``token list`` still shows what existed). ``served_etag`` and
  ``served_modified_at`` remember the last feed served so ``Last-Modified`` never moves back.
- ``feed_entries``: the feeds' memory per item: what was last published (the date, whether
  cancelled, a fingerprint of the event's content) with its ``SEQUENCE`` (bumped whenever the date
  or the cancellation changes, whatever changed it) and its ``LAST-MODIFIED`` (moved only when
  the content changes; migration 0013 added the fingerprint and the cancellation).
- ``feed_meetings``: the same memory per meeting of a governance body's feed (migration 0013):
  its times, ``SEQUENCE`` (bumped when they move, and when the meeting leaves the schedule or
  comes back), fingerprint, ``LAST-MODIFIED`` and whether it was published cancelled (0014).
- ``users`` and ``web_sessions``: the programme office's logins (argon2 hashes; session ids
  stored hashed too; failed attempts counted for the lockout).
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from store.models import CODE, Base, UTCDateTime, recorded_by

TOKEN_HASH = sa.String(64)  # hex SHA-256


class CalendarTokenRow(Base):
    __tablename__ = "calendar_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(CODE, sa.ForeignKey("programmes.id"))
    token_hash: Mapped[str] = mapped_column(TOKEN_HASH, unique=True)
    scope: Mapped[str] = mapped_column(sa.String(200))
    label: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    served_etag: Mapped[str | None] = mapped_column(sa.String(128))
    served_modified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by: Mapped[str | None] = recorded_by()  # migration 0018
    revoked_by: Mapped[str | None] = mapped_column(sa.Text)


class FeedEntryRow(Base):
    __tablename__ = "feed_entries"
    __table_args__ = (sa.UniqueConstraint("programme_id", "item_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(CODE, sa.ForeignKey("programmes.id"))
    item_code: Mapped[str] = mapped_column(CODE)
    due: Mapped[date | None] = mapped_column(sa.Date)
    sequence: Mapped[int] = mapped_column(sa.Integer)
    # The event's LAST-MODIFIED as last published (before 0013: when ``due`` last moved).
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    fingerprint: Mapped[str | None] = mapped_column(sa.String(32))  # None: not yet known
    cancelled: Mapped[bool | None] = mapped_column(sa.Boolean)  # STATUS:CANCELLED published


class FeedMeetingRow(Base):
    __tablename__ = "feed_meetings"
    __table_args__ = (sa.UniqueConstraint("programme_id", "uid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(CODE, sa.ForeignKey("programmes.id"))
    uid: Mapped[str] = mapped_column(sa.String(255))  # the event's UID
    timing: Mapped[str] = mapped_column(sa.String(64))  # start/end as published
    sequence: Mapped[int] = mapped_column(sa.Integer)
    fingerprint: Mapped[str] = mapped_column(sa.String(32))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime())  # LAST-MODIFIED as published
    # Published as STATUS:CANCELLED: the meeting left the schedule (migration 0014).
    cancelled: Mapped[bool] = mapped_column(sa.Boolean, server_default=sa.false())


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    display_name: Mapped[str | None] = mapped_column(sa.Text)
    password_hash: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    failed_logins: Mapped[int] = mapped_column(sa.Integer, server_default=sa.text("0"))
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by: Mapped[str | None] = recorded_by()  # migration 0018
    disabled_by: Mapped[str | None] = mapped_column(sa.Text)
    forgotten_by: Mapped[str | None] = mapped_column(sa.Text)


class WebSessionRow(Base):
    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(TOKEN_HASH, unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
