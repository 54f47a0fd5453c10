"""Slack and e-mail delivery (issue #9): Slack user look-up cache.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

``slack_lookups`` caches ``users.lookupByEmail`` answers (a user id, or NULL for "not found") so a
daily run does not look every contact up again. A cache, not history: rows are replaced.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "slack_lookups",
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=True),
        sa.Column("looked_up_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("email", name=op.f("pk_slack_lookups")),
    )


def downgrade() -> None:
    op.drop_table("slack_lookups")
