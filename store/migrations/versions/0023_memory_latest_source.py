"""The item memory keeps the source of each item's latest update (owner hand-over batch).

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-04

``item_memory`` gains ``latest_source``: the reminder rules take an owner's update as the answer
to a prompt, but not an update a decision recorded (a stuurgroep restoring a dropped item:
source ``decision``). An item judged from its memory row (its updates not read again) must
still tell the two apart. The rows already stored are filled from the update they name
(``latest_id``); a row without one stays empty (no update: nothing to tell).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("item_memory") as batch:
        batch.add_column(sa.Column("latest_source", sa.String(32), nullable=True))
    op.execute(
        "UPDATE item_memory SET latest_source = (SELECT u.source FROM status_updates u "
        "WHERE u.id = item_memory.latest_id) WHERE latest_id IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("item_memory") as batch:
        batch.drop_column("latest_source")
