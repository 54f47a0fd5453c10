"""Item states, prompt history and the outbox.

Revision ID: 0002
Revises: 0001
Create Date: 2025-11-28

- ``item_states``: the assessment's memory (a row per item per day its state changed); rewritten
  when a day is rerun, so not append-only.
- ``prompts``: append-only like ``events`` (the trigger function ``regie_reject_change`` of 0001 on
  PostgreSQL; RAISE triggers on SQLite).
- ``outbox``: rows are never deleted and a 'sent' row never changes status again (triggers);
  other updates (status changes, attempts) are allowed.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PG_REJECT_FUNCTION = "regie_reject_change"  # created by 0001
PG_OUTBOX_FUNCTION = "regie_outbox_guard"


def _programme_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["programme_id"], ["programmes.id"], name=op.f(f"fk_{table}_programme_id_programmes")
    )


def upgrade() -> None:
    op.create_table(
        "item_states",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.String(length=64), nullable=False),
        sa.Column("item_code", sa.String(length=64), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("rag", sa.String(length=16), nullable=False),
        sa.Column("stale", sa.Boolean(), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        _programme_fk("item_states"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_states")),
        sa.UniqueConstraint(
            "programme_id",
            "item_code",
            "as_of",
            name=op.f("uq_item_states_programme_id_item_code_as_of"),
        ),
    )
    op.create_index("ix_item_states_as_of", "item_states", ["programme_id", "as_of"])
    op.create_table(
        "prompts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.String(length=64), nullable=False),
        sa.Column("item_code", sa.String(length=64), nullable=False),
        sa.Column("stage", sa.String(length=255), nullable=False),
        sa.Column("contact_code", sa.String(length=64), nullable=False),
        sa.Column("queued_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        _programme_fk("prompts"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prompts")),
        sa.UniqueConstraint(
            "programme_id",
            "item_code",
            "stage",
            "contact_code",
            name=op.f("uq_prompts_programme_id_item_code_stage_contact_code"),
        ),
    )
    op.create_index("ix_prompts_queued_on", "prompts", ["programme_id", "queued_on"])
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("recipient", sa.String(length=64), nullable=False),
        sa.Column("recipient_name", sa.Text(), nullable=False),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("slack", sa.Text(), nullable=True),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=True),
        sa.Column("external_id", sa.Text(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'sending', 'sent', 'failed', 'dead', 'suppressed')",
            name=op.f("ck_outbox_status"),
        ),
        _programme_fk("outbox"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("programme_id", "key", name=op.f("uq_outbox_programme_id_key")),
    )
    op.create_index("ix_outbox_status_next_attempt_at", "outbox", ["status", "next_attempt_at"])
    _create_triggers()


def downgrade() -> None:
    _drop_triggers()
    for table in ("outbox", "prompts", "item_states"):
        op.drop_table(table)  # drops its indexes too


def _create_triggers() -> None:
    dialect = op.get_context().dialect.name
    if dialect == "postgresql":
        op.execute(
            "CREATE TRIGGER prompts_append_only BEFORE UPDATE OR DELETE ON prompts "
            f"FOR EACH ROW EXECUTE FUNCTION {PG_REJECT_FUNCTION}()"
        )
        op.execute(
            "CREATE TRIGGER prompts_no_truncate BEFORE TRUNCATE ON prompts "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {PG_REJECT_FUNCTION}()"
        )
        op.execute(
            f"""
            CREATE FUNCTION {PG_OUTBOX_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'UPDATE' THEN
                    IF OLD.status = 'sent' AND NEW.status <> 'sent' THEN
                        RAISE EXCEPTION 'outbox: a sent message stays sent (key %)', OLD.key
                            USING ERRCODE = 'restrict_violation';
                    END IF;
                    RETURN NEW;
                END IF;
                RAISE EXCEPTION 'outbox rows are never deleted: % refused', TG_OP
                    USING ERRCODE = 'restrict_violation';
            END
            $$
            """
        )
        op.execute(
            "CREATE TRIGGER outbox_guard BEFORE UPDATE OR DELETE ON outbox "
            f"FOR EACH ROW EXECUTE FUNCTION {PG_OUTBOX_FUNCTION}()"
        )
        op.execute(
            "CREATE TRIGGER outbox_no_truncate BEFORE TRUNCATE ON outbox "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {PG_OUTBOX_FUNCTION}()"
        )
    elif dialect == "sqlite":
        for operation in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER prompts_no_{operation.lower()} BEFORE {operation} ON prompts "
                f"BEGIN SELECT RAISE(ABORT, 'prompts is append-only: {operation} refused'); END"
            )
        op.execute(
            "CREATE TRIGGER outbox_no_delete BEFORE DELETE ON outbox "
            "BEGIN SELECT RAISE(ABORT, 'outbox rows are never deleted: DELETE refused'); END"
        )
        op.execute(
            "CREATE TRIGGER outbox_sent_is_final BEFORE UPDATE OF status ON outbox "
            "WHEN OLD.status = 'sent' AND NEW.status <> 'sent' "
            "BEGIN SELECT RAISE(ABORT, 'outbox: a sent message stays sent'); END"
        )
    else:
        raise NotImplementedError(f"triggers for {dialect} are not written yet")


def _drop_triggers() -> None:
    dialect = op.get_context().dialect.name
    if dialect == "postgresql":
        for trigger, table in (
            ("prompts_append_only", "prompts"),
            ("prompts_no_truncate", "prompts"),
            ("outbox_guard", "outbox"),
            ("outbox_no_truncate", "outbox"),
        ):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS {PG_OUTBOX_FUNCTION}()")
    elif dialect == "sqlite":
        for trigger in (
            "prompts_no_update",
            "prompts_no_delete",
            "outbox_no_delete",
            "outbox_sent_is_final",
        ):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
