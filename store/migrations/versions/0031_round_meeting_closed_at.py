"""A status round records the meeting it prepares and the instant it closed.

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-05

- ``status_rounds.meeting_on``: the meeting the round was started for (the meeting preparation
  starts one per meeting, answers due by its pack day). For a body that meets weekly the pack
  day of a meeting is the day of the meeting before, so the answer-by date alone does not say
  which meeting a round prepares (review7 1). NULL for a round started by hand and for every
  round started before this migration: those keep the rule of before (the body's first meeting
  on or after the answer-by date), so an archived pack is made again as it was.
- ``status_rounds.closed_at``: when the round closed. Before, that instant was read from the
  outbox (when its summary was queued), so a round closed without a summary (a plan without a
  programme office contact) had none (review7 6). Filled here for the rounds closed with a
  summary, from that summary (the instant read before, so a rebuild reads the same); a round
  closed without one before this migration keeps NULL (nothing recorded when it closed).

Both columns are added in place (no table rebuild; ``status_rounds`` has no triggers).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031"
down_revision: str | Sequence[str] | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The earliest summary queued for the round (round:<id>:<contact>:summary), as
#: ``store.answers.round_closed_at`` read it up to this migration.
_BACKFILL = (
    "UPDATE status_rounds SET closed_at = ("
    "SELECT MIN(o.created_at) FROM outbox o WHERE o.programme_id = status_rounds.programme_id"
    " AND o.key LIKE 'round:' || CAST(status_rounds.id AS VARCHAR(20)) || :tail"
    ") WHERE closed_on IS NOT NULL"
)


def upgrade() -> None:
    op.add_column("status_rounds", sa.Column("meeting_on", sa.Date(), nullable=True))
    op.add_column(
        "status_rounds", sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.execute(sa.text(_BACKFILL).bindparams(tail=":%:summary"))


def downgrade() -> None:
    # SQLite (3.35+) drops a column in place; the closing instants stay in the outbox.
    op.execute("ALTER TABLE status_rounds DROP COLUMN closed_at")
    op.execute("ALTER TABLE status_rounds DROP COLUMN meeting_on")
