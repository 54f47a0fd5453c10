"""The meetings' feed memory remembers a cancellation: feed_meetings.cancelled.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04

A governance body's meeting that leaves the schedule (its date moved: the plan's rule or dates
changed, or a one-off meeting went) stays in the body's feed as ``STATUS:CANCELLED`` at its old
date for a while, with a raised ``SEQUENCE``, instead of vanishing from it; should it come back,
its ``SEQUENCE`` rises again (RFC 5546 §3.2.5), as for items (``feed_entries.cancelled``, 0013).
Every meeting remembered until now was published as confirmed: the rows get ``false``.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("feed_meetings") as batch:
        batch.add_column(
            sa.Column("cancelled", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("feed_meetings") as batch:
        batch.drop_column("cancelled")
