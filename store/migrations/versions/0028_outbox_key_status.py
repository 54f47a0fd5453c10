"""The outbox's (programme, key) index carries each message's status.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-05

The daily step reads the states of the reminder digests that carried the prompts about to
escalate (``store.prompt_delivery._digest_states``: a range of keys per contact and day). On SQLite
a row's status is stored after its text and payload (megabytes for a contact who owns thousands
of items), so reading it walked every overflow page of both: ≈ 0.2 ms a digest, ≈ 17 ms for the
40 digests of the 100k-item benchmark's escalation wave. With the status in an index on
(programme, key, status) the read never touches the row (the last error, read too, is NULL but
for failed and withdrawn messages: its header says so). PostgreSQL keeps large values out of
line and does not need it, but it costs little there (status is indexed already) and keeps one
schema for both.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0028"
down_revision: str | Sequence[str] | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_outbox_programme_id_key_status"


def upgrade() -> None:
    op.create_index(INDEX, "outbox", ["programme_id", "key", "status"])


def downgrade() -> None:
    op.drop_index(INDEX, table_name="outbox")
