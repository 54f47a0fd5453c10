"""The outbox remembers when a message was first tried (the give-up window).

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-04

A message used to go ``dead`` after its fifth attempt, about 2 h 36 min after its first one
(back-offs 1 min, 5 min, 30 min, 2 h): an outage of the mail server or Slack longer than that
killed the messages tried during it. Now a message goes dead only when it has had its attempts
*and* its first attempt is at least the give-up window old (24 h, ``REGIE_OUTBOX_GIVE_UP_HOURS``);
in between it is tried again at the last back-off. ``outbox.first_attempt_at`` records that
first attempt (NULL: not tried yet). Rows tried before this revision keep NULL: the sender then
counts from when the message was queued (``created_at``), which is never later.

Adding (and, on downgrade, dropping) a nullable column writes no row, so the outbox's
append-only triggers (a sent row never changes, rows are never deleted) are not involved and
stay as they are: SQLite's ``ALTER TABLE … ADD/DROP COLUMN`` and PostgreSQL's keep the table,
its rows and its triggers.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "outbox", sa.Column("first_attempt_at", sa.DateTime(timezone=True), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("outbox", "first_attempt_at")
