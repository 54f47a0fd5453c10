"""Slack replay guard keeps each signature by the request's own timestamp.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-04

``slack_requests.request_time``: the time a request says it was made (Slack's
``X-Slack-Request-Timestamp``). A signature was pruned 5 minutes after it arrived, while
Slack's check accepts a timestamp up to 5 minutes ahead of our clock: a request signed ahead
could be replayed once its signature was gone. Signatures are now kept until both times are
older than the window (``store.answers.first_seen``). Rows already there get their
``received_at`` (what they were pruned by until now).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("slack_requests") as batch:
        batch.add_column(sa.Column("request_time", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE slack_requests SET request_time = received_at")
    with op.batch_alter_table("slack_requests") as batch:
        batch.alter_column("request_time", existing_type=sa.DateTime(timezone=True), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("slack_requests") as batch:
        batch.drop_column("request_time")
