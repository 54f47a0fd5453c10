"""Tables for answers (issue #10): answer links, Slack's replay guard and user map, status rounds.

``answer_links`` rows are never deleted and a used link stays used (triggers from 0006);
``round_requests`` is append-only like ``prompts``.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from store.models import CODE, Base, UTCDateTime


class AnswerLinkRow(Base):
    """One signed link in one e-mail: bound to a contact, an item and the outbox message."""

    __tablename__ = "answer_links"
    __table_args__ = (
        sa.UniqueConstraint("token"),
        sa.Index("ix_answer_links_contact_item", "programme_id", "contact_code", "item_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(CODE, sa.ForeignKey("programmes.id"))
    # SHA-256 (hex) of the random id in the URL: the id itself is never stored (0016), so
    # the database or a backup cannot answer as anyone; look-ups hash the id from the URL.
    token: Mapped[str] = mapped_column(sa.String(64))
    contact_code: Mapped[str] = mapped_column(CODE)
    item_code: Mapped[str] = mapped_column(CODE)
    outbox_key: Mapped[str] = mapped_column(sa.String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    update_id: Mapped[int | None] = mapped_column(sa.Integer)
    # SHA-256 (hex) of the address the link was sent to (:func:`store.answers.address_hash`):
    # a link is refused once its contact's address is another (a successor under the same id).
    # None: a link from before 0016 whose message had no address.
    recipient_hash: Mapped[str | None] = mapped_column(sa.String(64))


class SlackRequestRow(Base):
    """Signatures of Slack requests already handled (replay protection inside Slack's window).

    A signature is kept until both ``received_at`` and ``request_time`` (the request's own
    ``X-Slack-Request-Timestamp``; Slack's clock may run ahead of ours) are older than the
    window: until then Slack's timestamp check still accepts the request (0020)."""

    __tablename__ = "slack_requests"
    __table_args__ = (
        sa.UniqueConstraint("signature"),
        sa.Index("ix_slack_requests_received_at", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    signature: Mapped[str] = mapped_column(sa.String(128))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    request_time: Mapped[datetime] = mapped_column(UTCDateTime())


class SlackUserRow(Base):
    """A Slack user id resolved to a contact (cached ``users.info`` e-mail look-up)."""

    __tablename__ = "slack_users"
    __table_args__ = (sa.UniqueConstraint("programme_id", "slack_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(CODE, sa.ForeignKey("programmes.id"))
    slack_user_id: Mapped[str] = mapped_column(CODE)
    contact_code: Mapped[str] = mapped_column(CODE)
    email: Mapped[str | None] = mapped_column(sa.Text)
    looked_up_at: Mapped[datetime] = mapped_column(UTCDateTime())


class StatusRoundRow(Base):
    """A status round: every contact with open items in scope is asked for an update by a date."""

    __tablename__ = "status_rounds"
    __table_args__ = (sa.UniqueConstraint("programme_id", "body", "answer_by"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(CODE, sa.ForeignKey("programmes.id"))
    body: Mapped[str] = mapped_column(CODE)  # the governance body the round is for
    answer_by: Mapped[date] = mapped_column(sa.Date)
    scope: Mapped[str | None] = mapped_column(sa.String(64))  # e.g. "step:2"; None = everything
    started_on: Mapped[date] = mapped_column(sa.Date)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_on: Mapped[date | None] = mapped_column(sa.Date)
    #: The meeting it prepares, when the meeting preparation started it (0031; None: started by
    #: hand or before 0031, tied by its answer-by date: :func:`regie.rounds.round_meeting`).
    meeting_on: Mapped[date | None] = mapped_column(sa.Date)
    #: When it closed (0031; None: open, or closed before 0031 without a summary).
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class RoundRequestRow(Base):
    """Append-only: one item one contact was asked about in a round."""

    __tablename__ = "round_requests"
    __table_args__ = (sa.UniqueConstraint("round_id", "item_code", "contact_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("status_rounds.id"), index=True)
    item_code: Mapped[str] = mapped_column(CODE)
    contact_code: Mapped[str] = mapped_column(CODE)
    organisation_code: Mapped[str] = mapped_column(CODE)
