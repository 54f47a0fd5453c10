"""The item memory's tally is stored (issue #8): item_memory_tally.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02

The daily cycle's counts per state and roll-ups per action read how many memory rows there are
per (action, colour, state). Grouping every row for that was the largest read of an
incremental day at 100k items; the groups are now stored, and each day changes only those its
rows moved between. Filled here from the rows, as the cycle itself counts them again whenever
the stored groups do not add up to the rows (store.memory.load_tally).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CODE = sa.String(64)


def upgrade() -> None:
    op.create_table(
        "item_memory_tally",
        sa.Column("programme_id", CODE, sa.ForeignKey("programmes.id"), primary_key=True),
        sa.Column("action_code", CODE, primary_key=True),
        sa.Column("rag", sa.String(16), primary_key=True),
        sa.Column("state", sa.String(32), primary_key=True),
        sa.Column("item_count", sa.Integer(), nullable=False),
    )
    op.execute(
        "INSERT INTO item_memory_tally (programme_id, action_code, rag, state, item_count) "
        "SELECT programme_id, action_code, rag, state, count(*) FROM item_memory "
        "GROUP BY programme_id, action_code, rag, state"
    )


def downgrade() -> None:
    op.drop_table("item_memory_tally")
