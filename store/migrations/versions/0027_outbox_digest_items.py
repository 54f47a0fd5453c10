"""The (item, stage) entries of each reminder digest, stored beside it.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-05

Whether an item's prompts were delivered asks which reminder digests carried an (item, stage);
the daily step read that from the digests' JSON (megabytes each for a contact who owns thousands
of items). ``outbox_digest_items`` holds one row per entry of a digest's current payload,
written when the digest is queued and rewritten where its payload changes
(``store.digest_items``). The upgrade fills it from every reminder digest on record, whatever its
status (a withdrawn one too: the rows mirror the payload, as for a digest queued after this); the
downgrade drops it (the payloads are untouched).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0027"
down_revision: str | Sequence[str] | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "outbox_digest_items"
#: Digests read per batch (a payload can be megabytes) and rows per INSERT.
READ_BATCH = 50
WRITE_BATCH = 5000


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("message_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("item_code", sa.Text(), nullable=False),
        sa.Column("stage", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint(
            "message_id", "item_code", "stage", name=op.f("pk_outbox_digest_items")
        ),
    )
    _fill(op.get_bind())


def downgrade() -> None:
    op.drop_table(TABLE)


def _entries(payload: Any) -> set[tuple[str, str]]:
    """(item, stage) of a digest's ``items`` (as ``store.digest_items.entries`` at 0027)."""
    if isinstance(payload, str):
        import json

        payload = json.loads(payload)
    items = payload.get("items", []) if isinstance(payload, dict) else []
    if not isinstance(items, list):
        return set()
    return {
        (str(item["id"]), str(item["stage"]))
        for item in items
        if isinstance(item, dict) and item.get("id") and item.get("stage")
    }


def _fill(connection: sa.Connection) -> None:
    outbox = sa.table(
        "outbox", sa.column("id", sa.Integer), sa.column("kind"), sa.column("payload", sa.JSON)
    )
    target = sa.table(TABLE, sa.column("message_id"), sa.column("item_code"), sa.column("stage"))
    ids = connection.scalars(
        sa.select(outbox.c.id).where(outbox.c.kind == "reminder_digest").order_by(outbox.c.id)
    ).all()
    rows: list[dict[str, Any]] = []
    for start in range(0, len(ids), READ_BATCH):
        chunk = ids[start : start + READ_BATCH]
        for message_id, payload in connection.execute(
            sa.select(outbox.c.id, outbox.c.payload).where(outbox.c.id.in_(chunk))
        ):
            rows.extend(
                {"message_id": message_id, "item_code": item, "stage": stage}
                for item, stage in sorted(_entries(payload))
            )
        if len(rows) >= WRITE_BATCH:
            connection.execute(sa.insert(target), rows)
            rows = []
    if rows:
        connection.execute(sa.insert(target), rows)
