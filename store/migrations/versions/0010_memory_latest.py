"""The item memory keeps what the assessment counted of each item's updates (issue #8).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02

``item_memory`` gains the latest update's id, day and status and the latest forecast, so that
the daily cycle judges an item whose next check has come without reading its updates again
(:func:`governance.incremental.known_latest`). The rows already stored are filled from
``status_updates`` as the assessment picks (store.assessment_query: by reported_on, recorded_at,
id, up to the memory's day): exactly what the assessment of that day counted for every item
not updated since, and the items updated since are re-read by the next cycle anyway.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The id of a memory row's latest update (``{only}``: latest forecast) up to the memory's day.
_PICK = """(SELECT u.id FROM status_updates u
        WHERE u.programme_id = item_memory.programme_id
          AND u.item_code = item_memory.item_code
          AND u.reported_on <= (SELECT a.as_of FROM assessment_memory a
                                WHERE a.programme_id = item_memory.programme_id){only}
        ORDER BY u.reported_on DESC, u.recorded_at DESC, u.id DESC LIMIT 1)"""


def upgrade() -> None:
    with op.batch_alter_table("item_memory") as batch:
        batch.add_column(sa.Column("latest_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("latest_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("latest_status", sa.String(32), nullable=True))
        batch.add_column(sa.Column("forecast", sa.Date(), nullable=True))
    latest = _PICK.format(only="")
    forecast = _PICK.format(only=" AND u.forecast IS NOT NULL")
    op.execute(
        f"UPDATE item_memory SET latest_id = {latest}, "
        f"forecast = (SELECT f.forecast FROM status_updates f WHERE f.id = {forecast})"
    )
    picked = "FROM status_updates u WHERE u.id = item_memory.latest_id"
    op.execute(
        f"UPDATE item_memory SET latest_on = (SELECT u.reported_on {picked}), "
        f"latest_status = (SELECT u.status {picked}) WHERE latest_id IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("item_memory") as batch:
        batch.drop_column("forecast")
        batch.drop_column("latest_status")
        batch.drop_column("latest_on")
        batch.drop_column("latest_id")
