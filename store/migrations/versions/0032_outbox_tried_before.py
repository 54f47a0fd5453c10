"""The outbox remembers that a message was tried, and where, across `regie outbox retry`.

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-05

- ``outbox.earlier_attempts``: the attempts a message had before `regie outbox retry` gave it
  fresh ones (``attempts`` back to 0, the give-up window anew). Before, the retry forgot them,
  so the next attempt counted as the first: the Slack→e-mail fall-back e-mailed a message that
  may already have been posted, and Slack posted it again without looking (review10b 1).
  0 for every row before this migration (nothing retried was remembered).
- ``outbox.tried_channel``: the channel an attempt handed the message to without knowing
  whether it arrived (a post or an SMTP exchange that timed out); later attempts use that
  channel only (review10b 2). NULL: no attempt may have left it on a channel.

Adding (and dropping) columns writes no row, so the outbox's triggers are not involved (as in
0022).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0032"
down_revision: str | Sequence[str] | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "outbox",
        sa.Column("earlier_attempts", sa.Integer(), nullable=False, server_default=sa.text("0")),
    )
    op.add_column("outbox", sa.Column("tried_channel", sa.String(32), nullable=True))


def downgrade() -> None:
    op.drop_column("outbox", "tried_channel")
    op.drop_column("outbox", "earlier_attempts")
