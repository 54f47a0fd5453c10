"""Bounces are append-only in the database too, as status updates are.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-05

``mail_bounces`` (0024) was append-only in code only. Its rows now refuse UPDATE always, and
DELETE unless an erasure (``regie contact forget``, 0015) of a contact of the same programme is
running: a bounce names the contact and their address and goes with them. The erasure matches
bounces by contact code and by every address the contact had (the plan's history too), which it
blanks elsewhere in the same transaction, so the trigger cannot list them; it opens the table
only while that erasure runs, i.e. inside its own transaction (PostgreSQL refuses to commit an
erasure left open; SQLite has one writer at a time). TRUNCATE is refused on PostgreSQL.
``report_approvals`` (0025) has had its triggers from the start.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0026"
down_revision: str | Sequence[str] | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PG_REJECT_FUNCTION = "regie_reject_change"  # 0001
PG_GUARD_FUNCTION = "regie_mail_bounce_guard"
TABLE = "mail_bounces"


def _erasing(*, pg: bool) -> str:
    """An erasure of a contact of the row's programme is running."""
    running = "e.in_progress" if pg else "e.in_progress = 1"
    return (
        f"EXISTS (SELECT 1 FROM erasures e WHERE {running} AND e.programme_id = OLD.programme_id)"
    )


def upgrade() -> None:
    dialect = op.get_context().dialect.name
    if dialect == "postgresql":
        op.execute(
            f"""
            CREATE FUNCTION {PG_GUARD_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'DELETE' AND {_erasing(pg=True)} THEN
                    RETURN OLD;
                END IF;
                RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
                    USING ERRCODE = 'restrict_violation';
            END
            $$
            """
        )
        op.execute(
            f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
            f"FOR EACH ROW EXECUTE FUNCTION {PG_GUARD_FUNCTION}()"
        )
        op.execute(
            f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {PG_REJECT_FUNCTION}()"
        )
    elif dialect == "sqlite":
        op.execute(
            f"CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
            f"BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only: UPDATE refused'); END"
        )
        op.execute(
            f"CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
            f"WHEN NOT coalesce({_erasing(pg=False)}, 0) "
            f"BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only: DELETE refused'); END"
        )
    else:
        raise NotImplementedError(f"append-only triggers for {dialect} are not written yet")


def downgrade() -> None:
    dialect = op.get_context().dialect.name
    if dialect == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}")
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}")
        op.execute(f"DROP FUNCTION IF EXISTS {PG_GUARD_FUNCTION}()")
    elif dialect == "sqlite":
        for operation in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_{operation}")
