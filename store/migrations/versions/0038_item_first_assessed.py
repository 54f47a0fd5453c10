"""Each item's first assessed day: the stale clock starts no earlier (walk49 1, fresh50).

Revision ID: 0038
Revises: 0037
Create Date: 2026-12-07

- ``item_first_assessed``: per programme and item the business day (``as_of``) of the first
  recorded deadline check that included the item. An item is *verouderd* only after
  ``stale_after_days`` working days without an update counted from that day at the earliest:
  nobody is blamed for not reporting before Regie was there to ask.
- Backfill: each item that has an ``item_states`` row gets the day of its first one. Every
  recorded check writes a row for an item it assesses for the first time (there is no earlier
  one to equal), so that is the day the daily cycle would have stored; for the items there
  from the start it is the programme's earliest assessed day (``store.states.first_assessed``).
  An upgraded installation keeps its stale flags, unless they were only due to the time before
  Regie first assessed the item (the next cycle, a full one: rules version 9, drops those
  without a ``regie.milestone.stale`` event). An item never assessed gets its day from the
  next recorded check.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0038"
down_revision: str | Sequence[str] | None = "0037"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "item_first_assessed",
        sa.Column("programme_id", sa.String(length=64), nullable=False),
        sa.Column("item_code", sa.String(length=64), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programmes.id"],
            name=op.f("fk_item_first_assessed_programme_id_programmes"),
        ),
        sa.PrimaryKeyConstraint("programme_id", "item_code", name=op.f("pk_item_first_assessed")),
    )
    op.execute(
        "INSERT INTO item_first_assessed (programme_id, item_code, as_of) "
        "SELECT programme_id, item_code, min(as_of) FROM item_states "
        "GROUP BY programme_id, item_code"
    )


def downgrade() -> None:
    op.drop_table("item_first_assessed")
