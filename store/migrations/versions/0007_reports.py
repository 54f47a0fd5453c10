"""Reports (issue #11): meetings, decisions, indicators, report archive.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

- ``meetings``: one-off meetings of governance bodies (regular ones live in the plan file);
- ``decisions``, ``indicator_measurements``, ``report_archive``: append-only, like ``events``
  (the trigger function ``regie_reject_change`` of 0001 on PostgreSQL; RAISE triggers on SQLite).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PG_REJECT_FUNCTION = "regie_reject_change"  # created by 0001
APPEND_ONLY = ("decisions", "indicator_measurements", "report_archive")


def _programme_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["programme_id"], ["programmes.id"], name=op.f(f"fk_{table}_programme_id_programmes")
    )


def upgrade() -> None:
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.String(length=64), nullable=False),
        sa.Column("body_code", sa.String(length=64), nullable=False),
        sa.Column("meets_on", sa.Date(), nullable=False),
        sa.Column("starts_at", sa.String(length=5), nullable=True),
        sa.Column("location", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        _programme_fk("meetings"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
        sa.UniqueConstraint(
            "programme_id",
            "body_code",
            "meets_on",
            name=op.f("uq_meetings_programme_id_body_code_meets_on"),
        ),
    )
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.String(length=64), nullable=False),
        sa.Column("body_code", sa.String(length=64), nullable=False),
        sa.Column("meeting_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("item_code", sa.String(length=64), nullable=True),
        sa.Column("gereed_before", sa.Text(), nullable=True),
        sa.Column("gereed_after", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('besluit', 'set_gereed', 'cancel')", name=op.f("ck_decisions_kind")
        ),
        _programme_fk("decisions"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decisions")),
    )
    op.create_index(
        "ix_decisions_meeting", "decisions", ["programme_id", "body_code", "meeting_on"]
    )
    op.create_table(
        "indicator_measurements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.String(length=64), nullable=False),
        sa.Column("indicator_code", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("measured_on", sa.Date(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        _programme_fk("indicator_measurements"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_measurements")),
    )
    op.create_index(
        "ix_indicator_measurements_indicator",
        "indicator_measurements",
        ["programme_id", "indicator_code"],
    )
    op.create_table(
        "report_archive",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("format", sa.String(length=8), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _programme_fk("report_archive"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_archive")),
    )
    op.create_index("ix_report_archive_kind", "report_archive", ["programme_id", "kind"])
    _append_only(create=True)


def downgrade() -> None:
    _append_only(create=False)
    for table in ("report_archive", "indicator_measurements", "decisions", "meetings"):
        op.drop_table(table)


def _append_only(*, create: bool) -> None:
    dialect = op.get_context().dialect.name
    for table in APPEND_ONLY:
        if dialect == "postgresql":
            if create:
                op.execute(
                    f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                    f"FOR EACH ROW EXECUTE FUNCTION {PG_REJECT_FUNCTION}()"
                )
                op.execute(
                    f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION {PG_REJECT_FUNCTION}()"
                )
            else:
                op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
                op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        elif dialect == "sqlite":
            for operation in ("UPDATE", "DELETE"):
                name = f"{table}_no_{operation.lower()}"
                if create:
                    op.execute(
                        f"CREATE TRIGGER {name} BEFORE {operation} ON {table} BEGIN "
                        f"SELECT RAISE(ABORT, '{table} is append-only: {operation} refused'); END"
                    )
                else:
                    op.execute(f"DROP TRIGGER IF EXISTS {name}")
        else:
            raise NotImplementedError(f"append-only triggers for {dialect} are not written yet")
