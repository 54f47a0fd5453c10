"""The meeting preparation remembers each governance body's meeting days (walk32a 6).

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-06

- ``meeting_days``: a body's meeting day as the meeting preparation last saw it (plan schedule
  and one-off meetings). A day that left the schedule keeps its row, ``gone_on`` set; a day
  that comes back gets a new row. Comparing the schedule with it tells a meeting that moved or
  was cancelled from one that was never there, so the body's members are told of each real
  move once (the notices' outbox keys carry the row's id). Empty after the upgrade: the first
  run records the schedule as it is and tells nobody anything.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0034"
down_revision: str | Sequence[str] | None = "0033"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "meeting_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.String(length=64), nullable=False),
        sa.Column("body_code", sa.String(length=64), nullable=False),
        sa.Column("meets_on", sa.Date(), nullable=False),
        sa.Column("seen_on", sa.Date(), nullable=False),
        sa.Column("gone_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programmes.id"],
            name=op.f("fk_meeting_days_programme_id_programmes"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_days")),
    )
    op.create_index(
        "ix_meeting_days_body", "meeting_days", ["programme_id", "body_code"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_meeting_days_body", table_name="meeting_days")
    op.drop_table("meeting_days")
