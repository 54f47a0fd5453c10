"""Retention of bounces: an old bounce loses the address and the remote server's words.

Revision ID: 0037
Revises: 0036
Create Date: 2026-12-06

- ``mail_bounces.pruned_at``: when `regie prune` erased the bounce's address (``email``
  becomes '') and the remote server's words (``diagnostic`` NULL). NULL: not pruned. The row
  stays rather than going: its ``dedupe_key`` is what keeps `regie mail bounces`, which reads
  a mailbox that is never emptied, from recording the same bounce again as new (and marking
  the contact's address as bouncing again); its contact, status code and dates stay.
- The guard of 0026 lets exactly that UPDATE through: ``pruned_at`` set once (NULL → a
  time), ``email`` '', ``diagnostic`` NULL, every other column unchanged. Every other UPDATE
  is refused as before; DELETE only while an erasure of the programme runs, as before.

The downgrade restores 0026's guard and drops the column (what was erased stays erased).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0037"
down_revision: str | Sequence[str] | None = "0036"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "mail_bounces"
PG_GUARD_FUNCTION = "regie_mail_bounce_guard"  # 0026
#: What a prune keeps of a bounce (everything but the two columns it erases).
PRUNE_KEEPS = (
    "id", "programme_id", "dedupe_key", "message_key", "recipient", "permanent", "status",
    "reported_at", "recorded_at",
)  # fmt: skip


def _erasing(*, pg: bool) -> str:
    """0026's condition: an erasure of a contact of the row's programme is running."""
    running = "e.in_progress" if pg else "e.in_progress = 1"
    return (
        f"EXISTS (SELECT 1 FROM erasures e WHERE {running} AND e.programme_id = OLD.programme_id)"
    )


def _pruning(*, pg: bool) -> str:
    """The one UPDATE allowed: a prune of a bounce not pruned before."""
    same = "IS NOT DISTINCT FROM" if pg else "IS"
    kept = " AND ".join(f"NEW.{c} {same} OLD.{c}" for c in PRUNE_KEEPS)
    return (
        "(OLD.pruned_at IS NULL AND NEW.pruned_at IS NOT NULL AND NEW.email = '' "
        f"AND NEW.diagnostic IS NULL AND {kept})"
    )


def _pg_function(*, pruning: bool) -> str:
    prune = (
        f"IF TG_OP = 'UPDATE' AND {_pruning(pg=True)} THEN\n                RETURN NEW;\n"
        "            END IF;\n            "
        if pruning
        else ""
    )
    return f"""
        CREATE OR REPLACE FUNCTION {PG_GUARD_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' AND {_erasing(pg=True)} THEN
                RETURN OLD;
            END IF;
            {prune}RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
                USING ERRCODE = 'restrict_violation';
        END
        $$
        """


def _guard(*, pruning: bool) -> None:
    dialect = op.get_context().dialect.name
    if dialect == "postgresql":
        op.execute(_pg_function(pruning=pruning))
    elif dialect == "sqlite":
        op.execute(f"DROP TRIGGER {TABLE}_no_update")
        when = f"WHEN NOT coalesce({_pruning(pg=False)}, 0) " if pruning else ""
        op.execute(
            f"CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
            f"{when}BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only: UPDATE refused'); END"
        )
    else:
        raise NotImplementedError(f"triggers for {dialect} are not written yet")


def upgrade() -> None:
    op.add_column(TABLE, sa.Column("pruned_at", sa.DateTime(timezone=True), nullable=True))
    _guard(pruning=True)


def downgrade() -> None:
    _guard(pruning=False)  # first: SQLite drops no column a trigger names
    op.drop_column(TABLE, "pruned_at")
