"""What an archived report rests on, and which sheets were imported.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04

- ``report_archive``: ``plan_sha256`` (the plan file's hash, ``Plan.source_hash``), ``made_by``
  (the operator), ``made_via`` (cli, web, flow) and ``data_until`` (the newest ``recorded_at``
  among the records the report read: its data cut-off). NULL on reports archived before.
- ``plan_texts``: the plan file's text a report was made from, once per hash, so that
  ``regie report reproduce`` rebuilds it from that very plan.
- ``update_imports``: each ``regie import-updates`` with its file's SHA-256 and the updates it
  recorded; the same content a second time is refused (``--again`` to import it anyway).

Both new tables are append-only, like ``report_archive`` (0007's triggers).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | Sequence[str] | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PG_REJECT_FUNCTION = "regie_reject_change"  # created by 0001
APPEND_ONLY = ("plan_texts", "update_imports")
_ARCHIVE_COLUMNS = ("plan_sha256", "made_by", "made_via", "data_until")


def _programme_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["programme_id"], ["programmes.id"], name=op.f(f"fk_{table}_programme_id_programmes")
    )


def upgrade() -> None:
    op.add_column("report_archive", sa.Column("plan_sha256", sa.String(length=64), nullable=True))
    op.add_column("report_archive", sa.Column("made_by", sa.Text(), nullable=True))
    op.add_column("report_archive", sa.Column("made_via", sa.String(length=16), nullable=True))
    op.add_column(
        "report_archive", sa.Column("data_until", sa.DateTime(timezone=True), nullable=True)
    )
    op.create_table(
        "plan_texts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.String(length=64), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("path", sa.Text(), nullable=True),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        _programme_fk("plan_texts"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_texts")),
        sa.UniqueConstraint(
            "programme_id", "sha256", name=op.f("uq_plan_texts_programme_id_sha256")
        ),
    )
    op.create_table(
        "update_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.String(length=64), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column("update_ids", sa.JSON(), nullable=False),
        sa.Column("made_by", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        _programme_fk("update_imports"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_update_imports")),
    )
    op.create_index("ix_update_imports_sha256", "update_imports", ["programme_id", "sha256"])
    _append_only(create=True)


def downgrade() -> None:
    _append_only(create=False)
    op.drop_index("ix_update_imports_sha256", table_name="update_imports")
    op.drop_table("update_imports")
    op.drop_table("plan_texts")
    for column in reversed(_ARCHIVE_COLUMNS):
        op.drop_column("report_archive", column)


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
