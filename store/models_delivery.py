"""Delivery details (issue #9): the Slack user look-up cache, bounces, and the entries of the
reminder digests.

The cache is not history: a row is replaced when an address is looked up again.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from store.models import CODE, Base, UTCDateTime


class SlackLookupRow(Base):
    """``users.lookupByEmail`` answers: an address → a Slack user id, or not found (NULL)."""

    __tablename__ = "slack_lookups"

    email: Mapped[str] = mapped_column(sa.String(320), primary_key=True)  # lower case
    user_id: Mapped[str | None] = mapped_column(sa.String(64))
    looked_up_at: Mapped[datetime] = mapped_column(UTCDateTime())


class MailBounceRow(Base):
    """Append-only: one delivery status notification (a bounce) matched to a message of ours.

    ``permanent`` (a 5.x.x status, or a non-standard bounce read as one): the address is
    bouncing until a later successful send to it or a plan change of it (:mod:`store.bounces`
    derives that; nothing here is updated but by a prune). A temporary (4.x.x) one is only
    noted. A prune (:mod:`store.retention`) erases an old bounce's address and the server's
    words and keeps the row: its ``dedupe_key`` keeps the bounce from being recorded again.
    """

    __tablename__ = "mail_bounces"
    __table_args__ = (sa.UniqueConstraint("programme_id", "dedupe_key"),)

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    programme_id: Mapped[str] = mapped_column(CODE, sa.ForeignKey("programmes.id"))
    #: The same report read twice (another copy, another run) is recorded once.
    dedupe_key: Mapped[str] = mapped_column(sa.String(64))
    message_key: Mapped[str] = mapped_column(sa.String(255))  # the outbox key it bounced
    recipient: Mapped[str] = mapped_column(CODE)  # contact id
    email: Mapped[str] = mapped_column(sa.String(320))  # the address that bounced, lower case
    permanent: Mapped[bool] = mapped_column(sa.Boolean)
    status: Mapped[str | None] = mapped_column(sa.String(16))  # RFC 3463 code, e.g. 5.1.1
    diagnostic: Mapped[str | None] = mapped_column(sa.Text)  # the remote server's words
    reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # the report's Date
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: When `regie prune` erased ``email`` ('') and ``diagnostic`` (0037; NULL: not pruned).
    pruned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class OutboxDigestItemRow(Base):
    """The (item, stage) entries of a reminder digest's current payload, one row each (0027):
    whether prompts were delivered (:mod:`store.prompt_facts`) is read here, not from the
    digests' JSON (megabytes each). Derived, kept in step with the payload by
    :mod:`store.digest_items` wherever a digest is queued or its payload changes."""

    __tablename__ = "outbox_digest_items"

    # No foreign key: outbox rows are never deleted, and one would turn PostgreSQL's refusal of
    # ``TRUNCATE outbox`` (its trigger's "never deleted") into a constraint error.
    message_id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    item_code: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    stage: Mapped[str] = mapped_column(sa.Text, primary_key=True)
