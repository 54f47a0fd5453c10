"""Answers (issue #10): answer links, status rounds, Slack request replay guard.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

- ``answer_links``: never deleted; ``used_at`` is set once (a used link stays used: triggers).
- ``slack_requests``: signatures seen inside Slack's 5-minute window (old rows may be pruned).
- ``slack_users``: Slack user id → contact, cached.
- ``status_rounds`` and the append-only ``round_requests``.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PG_REJECT_FUNCTION = "regie_reject_change"  # created by 0001
PG_LINK_FUNCTION = "regie_answer_link_guard"


def _programme_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["programme_id"], ["programmes.id"], name=op.f(f"fk_{table}_programme_id_programmes")
    )


def upgrade() -> None:
    op.create_table(
        "answer_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.String(length=64), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("contact_code", sa.String(length=64), nullable=False),
        sa.Column("item_code", sa.String(length=64), nullable=False),
        sa.Column("outbox_key", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("update_id", sa.Integer(), nullable=True),
        _programme_fk("answer_links"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answer_links")),
        sa.UniqueConstraint("token", name=op.f("uq_answer_links_token")),
    )
    op.create_index(
        "ix_answer_links_contact_item",
        "answer_links",
        ["programme_id", "contact_code", "item_code"],
    )
    op.create_table(
        "slack_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("signature", sa.String(length=128), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_slack_requests")),
        sa.UniqueConstraint("signature", name=op.f("uq_slack_requests_signature")),
    )
    op.create_index("ix_slack_requests_received_at", "slack_requests", ["received_at"])
    op.create_table(
        "slack_users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.String(length=64), nullable=False),
        sa.Column("slack_user_id", sa.String(length=64), nullable=False),
        sa.Column("contact_code", sa.String(length=64), nullable=False),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("looked_up_at", sa.DateTime(timezone=True), nullable=False),
        _programme_fk("slack_users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_slack_users")),
        sa.UniqueConstraint(
            "programme_id",
            "slack_user_id",
            name=op.f("uq_slack_users_programme_id_slack_user_id"),
        ),
    )
    op.create_table(
        "status_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.String(length=64), nullable=False),
        sa.Column("body", sa.String(length=64), nullable=False),
        sa.Column("answer_by", sa.Date(), nullable=False),
        sa.Column("scope", sa.String(length=64), nullable=True),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        _programme_fk("status_rounds"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_rounds")),
        sa.UniqueConstraint(
            "programme_id",
            "body",
            "answer_by",
            name=op.f("uq_status_rounds_programme_id_body_answer_by"),
        ),
    )
    op.create_table(
        "round_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("item_code", sa.String(length=64), nullable=False),
        sa.Column("contact_code", sa.String(length=64), nullable=False),
        sa.Column("organisation_code", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["status_rounds.id"],
            name=op.f("fk_round_requests_round_id_status_rounds"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round_requests")),
        sa.UniqueConstraint(
            "round_id",
            "item_code",
            "contact_code",
            name=op.f("uq_round_requests_round_id_item_code_contact_code"),
        ),
    )
    op.create_index("ix_round_requests_round_id", "round_requests", ["round_id"])
    _create_triggers()


def downgrade() -> None:
    _drop_triggers()
    for table in ("round_requests", "status_rounds", "slack_users", "slack_requests"):
        op.drop_table(table)
    op.drop_table("answer_links")


def _create_triggers() -> None:
    dialect = op.get_context().dialect.name
    if dialect == "postgresql":
        op.execute(
            f"""
            CREATE FUNCTION {PG_LINK_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'UPDATE' AND OLD.used_at IS NULL
                   AND NEW.token = OLD.token AND NEW.contact_code = OLD.contact_code
                   AND NEW.item_code = OLD.item_code AND NEW.outbox_key = OLD.outbox_key THEN
                    RETURN NEW;
                END IF;
                RAISE EXCEPTION 'answer_links: a link is used once and never deleted (% refused)',
                    TG_OP USING ERRCODE = 'restrict_violation';
            END
            $$
            """
        )
        op.execute(
            "CREATE TRIGGER answer_links_guard BEFORE UPDATE OR DELETE ON answer_links "
            f"FOR EACH ROW EXECUTE FUNCTION {PG_LINK_FUNCTION}()"
        )
        op.execute(
            "CREATE TRIGGER round_requests_append_only BEFORE UPDATE OR DELETE ON round_requests "
            f"FOR EACH ROW EXECUTE FUNCTION {PG_REJECT_FUNCTION}()"
        )
    elif dialect == "sqlite":
        op.execute(
            "CREATE TRIGGER answer_links_no_delete BEFORE DELETE ON answer_links "
            "BEGIN SELECT RAISE(ABORT, 'answer_links rows are never deleted'); END"
        )
        op.execute(
            "CREATE TRIGGER answer_links_used_once BEFORE UPDATE ON answer_links "
            "WHEN OLD.used_at IS NOT NULL OR NEW.token <> OLD.token "
            "OR NEW.contact_code <> OLD.contact_code OR NEW.item_code <> OLD.item_code "
            "OR NEW.outbox_key <> OLD.outbox_key "
            "BEGIN SELECT RAISE(ABORT, 'answer_links: a link is used once'); END"
        )
        for operation in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER round_requests_no_{operation.lower()} BEFORE {operation} "
                "ON round_requests "
                f"BEGIN SELECT RAISE(ABORT, 'round_requests is append-only: {operation} refused'); "
                "END"
            )
    else:
        raise NotImplementedError(f"triggers for {dialect} are not written yet")


def _drop_triggers() -> None:
    dialect = op.get_context().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS answer_links_guard ON answer_links")
        op.execute("DROP TRIGGER IF EXISTS round_requests_append_only ON round_requests")
        op.execute(f"DROP FUNCTION IF EXISTS {PG_LINK_FUNCTION}()")
    elif dialect == "sqlite":
        for trigger in (
            "answer_links_no_delete",
            "answer_links_used_once",
            "round_requests_no_update",
            "round_requests_no_delete",
        ):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
