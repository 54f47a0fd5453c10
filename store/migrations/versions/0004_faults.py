"""Fault fixes (issue #7): last assessed day, claim tokens, immutable sent messages and revisions.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

- ``assessed_days``: append-only, one row per day a deadline check recorded; backfilled with each
  programme's latest item-state day (the best the older schema knows).
- ``outbox.claim_token``: set on every claim, required to record the result of that attempt.
- A sent outbox row no longer changes at all (body, recipient, …), not only its status.
- ``plan_revisions`` rows are never updated or deleted.

The triggers cannot stop the tables' owner (who may drop them): run Regie under a database role
without DDL rights in production (README, "Database roles").
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PG_REJECT_FUNCTION = "regie_reject_change"  # created by 0001: "<table> is append-only"
PG_OUTBOX_FUNCTION = "regie_outbox_guard"  # created by 0002, tightened here
APPEND_ONLY = ("plan_revisions", "assessed_days")

_OUTBOX_GUARD = """
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF OLD.status = 'sent' AND {condition} THEN
            RAISE EXCEPTION '{message} (key %)', OLD.key
                USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'outbox rows are never deleted: % refused', TG_OP
        USING ERRCODE = 'restrict_violation';
END
$$
"""
SENT_FINAL = "outbox: a sent message stays sent and unchanged"


def upgrade() -> None:
    op.create_table(
        "assessed_days",
        sa.Column("programme_id", sa.String(length=64), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programmes.id"],
            name=op.f("fk_assessed_days_programme_id_programmes"),
        ),
        sa.PrimaryKeyConstraint("programme_id", "as_of", name=op.f("pk_assessed_days")),
    )
    op.execute(
        "INSERT INTO assessed_days (programme_id, as_of, recorded_at) "
        "SELECT programme_id, max(as_of), max(recorded_at) FROM item_states GROUP BY programme_id"
    )
    op.add_column("outbox", sa.Column("claim_token", sa.String(length=32), nullable=True))
    dialect = op.get_context().dialect.name
    if dialect == "postgresql":
        for table in APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {PG_REJECT_FUNCTION}()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {PG_REJECT_FUNCTION}()"
            )
        op.execute(
            _OUTBOX_GUARD.format(name=PG_OUTBOX_FUNCTION, condition="TRUE", message=SENT_FINAL)
        )
    elif dialect == "sqlite":
        for table in APPEND_ONLY:
            for operation in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{operation.lower()} BEFORE {operation} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {operation} refused'); END"
                )
        op.execute(
            "CREATE TRIGGER outbox_sent_is_immutable BEFORE UPDATE ON outbox "
            f"WHEN OLD.status = 'sent' BEGIN SELECT RAISE(ABORT, '{SENT_FINAL}'); END"
        )
    else:
        raise NotImplementedError(f"triggers for {dialect} are not written yet")


def downgrade() -> None:
    dialect = op.get_context().dialect.name
    if dialect == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        op.execute(  # 0002's guard: only the status of a sent row is final
            _OUTBOX_GUARD.format(
                name=PG_OUTBOX_FUNCTION,
                condition="NEW.status <> 'sent'",
                message="outbox: a sent message stays sent",
            )
        )
    elif dialect == "sqlite":
        for table in APPEND_ONLY:
            for operation in ("update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{operation}")
        op.execute("DROP TRIGGER IF EXISTS outbox_sent_is_immutable")
    # Plain ALTER TABLE (SQLite >= 3.35): a batch copy of the table would lose its triggers.
    op.drop_column("outbox", "claim_token")
    op.drop_table("assessed_days")
