"""Initial schema: programmes and their plan, revisions, status updates, events.

Revision ID: 0001
Revises:
Create Date: 2025-11-27

status_updates and events are append-only: triggers on both databases reject UPDATE and DELETE
(and TRUNCATE on PostgreSQL). A later SQLite batch migration that rebuilds either table drops
its triggers and must create them again (``_create_append_only_triggers``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY_TABLES = ("status_updates", "events")
PG_REJECT_FUNCTION = "regie_reject_change"


def _timestamps() -> list[sa.Column[Any]]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
    ]


def _programme_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["programme_id"], ["programmes.id"], name=op.f(f"fk_{table}_programme_id_programmes")
    )


def _plan_item_columns() -> list[sa.Column[Any]]:
    """Columns shared by actions and milestones (the things with a *gereed*)."""
    return [
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("gereed", sa.Text(), nullable=True),
        sa.Column("period_kind", sa.String(length=32), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("owners", sa.JSON(), nullable=False),
        sa.Column("depends_on", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "programmes",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("short_title", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("source_document", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programmes")),
    )
    op.create_table(
        "steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.String(length=64), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("goal", sa.Text(), nullable=True),
        *_timestamps(),
        _programme_fk("steps"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_steps")),
        sa.UniqueConstraint("programme_id", "number", name=op.f("uq_steps_programme_id_number")),
    )
    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.String(length=64), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        *_timestamps(),
        _programme_fk("organisations"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
        sa.UniqueConstraint(
            "programme_id", "code", name=op.f("uq_organisations_programme_id_code")
        ),
    )
    op.create_table(
        "contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.String(length=64), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("organisation_code", sa.String(length=64), nullable=False),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("slack", sa.Text(), nullable=True),
        sa.Column("role", sa.Text(), nullable=True),
        sa.Column("programme_office", sa.Boolean(), nullable=False),
        *_timestamps(),
        _programme_fk("contacts"),
        sa.ForeignKeyConstraint(
            ["programme_id", "organisation_code"],
            ["organisations.programme_id", "organisations.code"],
            name=op.f("fk_contacts_programme_id_organisation_code_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contacts")),
        sa.UniqueConstraint("programme_id", "code", name=op.f("uq_contacts_programme_id_code")),
    )
    op.create_table(
        "actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.String(length=64), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("step_number", sa.Integer(), nullable=False),
        sa.Column("group", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        *_plan_item_columns(),
        *_timestamps(),
        _programme_fk("actions"),
        sa.ForeignKeyConstraint(
            ["programme_id", "step_number"],
            ["steps.programme_id", "steps.number"],
            name=op.f("fk_actions_programme_id_step_number_steps"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actions")),
        sa.UniqueConstraint("programme_id", "code", name=op.f("uq_actions_programme_id_code")),
    )
    op.create_table(
        "milestones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.String(length=64), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        *_plan_item_columns(),
        *_timestamps(),
        _programme_fk("milestones"),
        sa.ForeignKeyConstraint(
            ["action_id"], ["actions.id"], name=op.f("fk_milestones_action_id_actions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestones")),
        sa.UniqueConstraint("programme_id", "code", name=op.f("uq_milestones_programme_id_code")),
    )
    op.create_index(op.f("ix_milestones_action_id"), "milestones", ["action_id"])
    op.create_table(
        "plan_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("entity", sa.String(length=16), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("field", sa.String(length=32), nullable=True),
        sa.Column("before", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("after", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("plan_path", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "entity IN ('programme', 'step', 'organisation', 'contact', 'action', 'milestone')",
            name=op.f("ck_plan_revisions_entity"),
        ),
        sa.CheckConstraint(
            "kind IN ('created', 'changed', 'archived', 'restored')",
            name=op.f("ck_plan_revisions_kind"),
        ),
        _programme_fk("plan_revisions"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_revisions")),
    )
    op.create_index("ix_plan_revisions_item", "plan_revisions", ["programme_id", "entity", "code"])
    op.create_table(
        "status_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.String(length=64), nullable=False),
        sa.Column("item_code", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column("forecast", sa.Date(), nullable=True),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("author", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        _programme_fk("status_updates"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_updates")),
    )
    op.create_index("ix_status_updates_item", "status_updates", ["programme_id", "item_code"])
    op.create_index(
        "ix_status_updates_reported_on", "status_updates", ["programme_id", "reported_on"]
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("item_code", sa.String(length=64), nullable=True),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("dedupe_key", sa.String(length=255), nullable=False),
        _programme_fk("events"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
        sa.UniqueConstraint(
            "programme_id", "dedupe_key", name=op.f("uq_events_programme_id_dedupe_key")
        ),
    )
    op.create_index("ix_events_item", "events", ["programme_id", "item_code"])
    op.create_index("ix_events_occurred_on", "events", ["programme_id", "occurred_on"])
    _create_append_only_triggers(APPEND_ONLY_TABLES)


def downgrade() -> None:
    _drop_append_only_triggers(APPEND_ONLY_TABLES)
    for table in (
        "events",
        "status_updates",
        "plan_revisions",
        "milestones",
        "actions",
        "contacts",
        "organisations",
        "steps",
        "programmes",
    ):
        op.drop_table(table)  # drops its indexes too


def _create_append_only_triggers(tables: Sequence[str]) -> None:
    dialect = op.get_context().dialect.name
    if dialect == "postgresql":
        op.execute(
            f"""
            CREATE FUNCTION {PG_REJECT_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
                    USING ERRCODE = 'restrict_violation';
            END
            $$
            """
        )
        for table in tables:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {PG_REJECT_FUNCTION}()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {PG_REJECT_FUNCTION}()"
            )
    elif dialect == "sqlite":
        for table in tables:
            for operation in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{operation.lower()} BEFORE {operation} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {operation} refused'); END"
                )
    else:
        raise NotImplementedError(f"append-only triggers for {dialect} are not written yet")


def _drop_append_only_triggers(tables: Sequence[str]) -> None:
    dialect = op.get_context().dialect.name
    if dialect == "postgresql":
        for table in tables:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS {PG_REJECT_FUNCTION}()")
    elif dialect == "sqlite":
        for table in tables:
            for operation in ("update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{operation}")
