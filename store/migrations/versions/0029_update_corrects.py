"""A status update may say which update it corrects.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-05

``status_updates.corrects``: the id of the update this one corrects (the office's correction on
the item page or ``regie update --corrects``, an owner's "Wijzigen"), NULL for a plain update
and for every update recorded before this migration. Updates stay append-only: the corrected
row is never changed. A unique index: an update is corrected at most once (a further
correction corrects the correction). The column is added in place (SQLite: ``ADD COLUMN`` with
its reference; no table rebuild, so the append-only triggers stay as they are).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0029"
down_revision: str | Sequence[str] | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ux_status_updates_corrects"
FOREIGN_KEY = "fk_status_updates_corrects_status_updates"


def upgrade() -> None:
    if op.get_context().dialect.name == "sqlite":
        # Alembic would rebuild the table for a reference; SQLite adds one in place.
        op.execute(
            f"ALTER TABLE status_updates ADD COLUMN corrects INTEGER "
            f"CONSTRAINT {FOREIGN_KEY} REFERENCES status_updates (id)"
        )
    else:
        op.add_column(
            "status_updates",
            sa.Column(
                "corrects",
                sa.Integer(),
                sa.ForeignKey("status_updates.id", name=FOREIGN_KEY),
                nullable=True,
            ),
        )
    op.create_index(INDEX, "status_updates", ["corrects"], unique=True)


def downgrade() -> None:
    op.drop_index(INDEX, table_name="status_updates")
    if op.get_context().dialect.name == "postgresql":
        op.drop_constraint(FOREIGN_KEY, "status_updates", type_="foreignkey")
    # SQLite (3.35+) drops a column that only its own index used; the reference goes with it.
    op.execute("ALTER TABLE status_updates DROP COLUMN corrects")
