"""The feeds remember what they published (calendar review): feed_entries gains each item's
content fingerprint and whether it was published cancelled; feed_meetings is the same memory for
the meetings of a governance body's feed.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03

An event's ``LAST-MODIFIED``/``DTSTAMP`` now moves only when what a subscriber receives changes
(its fingerprint), and ``SEQUENCE`` rises when its date moves or it is cancelled or restored;
for meetings when their time moves. The rows already stored get no fingerprint: the first build
after the upgrade publishes each item as it would have before and records its fingerprint then
(``changed_at``, until now "when the date last moved", is from then on the published stamp).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("feed_entries") as batch:
        batch.add_column(sa.Column("fingerprint", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("cancelled", sa.Boolean(), nullable=True))
    op.create_table(
        "feed_meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.String(length=64), nullable=False),
        sa.Column("uid", sa.String(length=255), nullable=False),
        sa.Column("timing", sa.String(length=64), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=32), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programmes.id"],
            name=op.f("fk_feed_meetings_programme_id_programmes"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed_meetings")),
        sa.UniqueConstraint("programme_id", "uid", name=op.f("uq_feed_meetings_programme_id_uid")),
    )


def downgrade() -> None:
    op.drop_table("feed_meetings")
    with op.batch_alter_table("feed_entries") as batch:
        batch.drop_column("cancelled")
        batch.drop_column("fingerprint")
