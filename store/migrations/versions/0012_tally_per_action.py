"""The memory's tally per action and per state (issue #8): memory_action_tally and
memory_state_tally replace item_memory_tally.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03

The daily roll-ups need each action's colour counts and the counts per state, not counts per
(action, colour, state): one row per action (10,000 at 100k items) instead of 38,000 groups,
the largest read of an incremental day. Filled here from the memory rows, as the cycle counts
them again whenever the stored counts do not add up to the rows (store.tallies.load_tally).
The downgrade counts 0011's groups from the rows again.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CODE = sa.String(64)
#: governance.incremental.COLOUR_ORDER, as it stands at this revision.
COLOURS = ("grey", "green", "amber", "red")


def upgrade() -> None:
    op.create_table(
        "memory_action_tally",
        sa.Column("programme_id", CODE, sa.ForeignKey("programmes.id"), primary_key=True),
        sa.Column("action_code", CODE, primary_key=True),
        *(sa.Column(colour, sa.Integer(), nullable=False) for colour in COLOURS),
    )
    op.create_table(
        "memory_state_tally",
        sa.Column("programme_id", CODE, sa.ForeignKey("programmes.id"), primary_key=True),
        sa.Column("state", sa.String(32), primary_key=True),
        sa.Column("item_count", sa.Integer(), nullable=False),
    )
    counts = ", ".join(f"sum(CASE WHEN rag = '{c}' THEN 1 ELSE 0 END)" for c in COLOURS)
    op.execute(
        f"INSERT INTO memory_action_tally (programme_id, action_code, {', '.join(COLOURS)}) "
        f"SELECT programme_id, action_code, {counts} FROM item_memory "
        "GROUP BY programme_id, action_code"
    )
    op.execute(
        "INSERT INTO memory_state_tally (programme_id, state, item_count) "
        "SELECT programme_id, state, count(*) FROM item_memory GROUP BY programme_id, state"
    )
    op.drop_table("item_memory_tally")


def downgrade() -> None:
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
    op.drop_table("memory_state_tally")
    op.drop_table("memory_action_tally")
