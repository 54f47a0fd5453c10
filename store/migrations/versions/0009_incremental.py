"""The daily path at scale (issue #8): assessment_memory, item_memory and plan_sync.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

A cache, not history (no append-only triggers): every row can be rebuilt by a full assessment,
which the daily cycle runs whenever this memory is missing or does not fit.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CODE = sa.String(64)


def upgrade() -> None:
    op.create_table(
        "assessment_memory",
        sa.Column("programme_id", CODE, sa.ForeignKey("programmes.id"), primary_key=True),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("basis", sa.String(64), nullable=False),
        sa.Column("plan_hash", sa.String(64), nullable=True),
        sa.Column("seen_update_id", sa.BigInteger(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "item_memory",
        sa.Column("programme_id", CODE, sa.ForeignKey("programmes.id"), primary_key=True),
        sa.Column("item_code", CODE, primary_key=True),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("rag", sa.String(16), nullable=False),
        sa.Column("stale", sa.Boolean(), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("next_check", sa.Date(), nullable=True),
        sa.Column("action_code", CODE, nullable=False),
        sa.Column("fingerprint", sa.String(32), nullable=False),
    )

    op.create_table(
        "plan_sync",
        sa.Column("programme_id", CODE, sa.ForeignKey("programmes.id"), primary_key=True),
        sa.Column("plan_hash", sa.String(64), nullable=False),
        sa.Column("plan_path", sa.Text(), nullable=True),
        sa.Column("entities", sa.Integer(), nullable=False),
        sa.Column("synced_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("plan_sync")
    op.drop_table("item_memory")
    op.drop_table("assessment_memory")
