"""Indexes for the assessment's picks per item (latest update, latest forecast).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28

``ix_status_updates_latest`` covers what ``ix_status_updates_item`` did, so that one goes.
Measured in benchmarks/RESULTS.md: at 1,000,000 updates the assessment's load drops from
16–18 s (whole history) to 1.2–1.8 s.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LATEST = ["programme_id", "item_code", "reported_on", "recorded_at", "id", "status"]
FORECAST = ["programme_id", "item_code", "reported_on", "recorded_at", "id", "forecast"]


def upgrade() -> None:
    op.create_index("ix_status_updates_latest", "status_updates", LATEST)
    op.create_index(
        "ix_status_updates_forecast",
        "status_updates",
        FORECAST,
        sqlite_where=sa.text("forecast IS NOT NULL"),
        postgresql_where=sa.text("forecast IS NOT NULL"),
    )
    op.drop_index("ix_status_updates_item", table_name="status_updates")


def downgrade() -> None:
    op.create_index("ix_status_updates_item", "status_updates", ["programme_id", "item_code"])
    op.drop_index("ix_status_updates_forecast", table_name="status_updates")
    op.drop_index("ix_status_updates_latest", table_name="status_updates")
