"""The memory row keeps its item's first assessed day (perf57b, issue #8).

Revision ID: 0041
Revises: 0040
Create Date: 2026-12-07

``item_memory.first_assessed``: the item's day as ``item_first_assessed`` holds it (migration
0038), written with the row by every assessment that writes it. The day's read of the due rows
brings the day along, instead of a read of ``item_first_assessed`` for each chosen item.
``item_first_assessed`` stays the history (a rebuild keeps it, the reports read it); the column
is a copy: NULL means "not kept" and the day is read from that table. Filled here for every
existing row from ``item_first_assessed`` (NULL where the item has none). The downgrade drops
the column.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0041"
down_revision: str | Sequence[str] | None = "0040"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("item_memory") as batch:
        batch.add_column(sa.Column("first_assessed", sa.Date(), nullable=True))
    op.execute(
        "UPDATE item_memory SET first_assessed = (SELECT f.as_of FROM item_first_assessed f "
        "WHERE f.programme_id = item_memory.programme_id AND f.item_code = item_memory.item_code)"
    )


def downgrade() -> None:
    with op.batch_alter_table("item_memory") as batch:
        batch.drop_column("first_assessed")
