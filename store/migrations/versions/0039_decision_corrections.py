"""A decision that corrects an earlier one of the same meeting says so (walk56d 3).

Revision ID: 0039
Revises: 0038
Create Date: 2026-12-07

``decision_corrections``: one row per decision recorded with ``regie decision add --corrects
N``: ``decision_id`` the correcting decision, ``corrects_id`` the decision it corrects (a
mistyped date in the minutes). Both stay in ``decisions`` (append-only): the register keeps the
corrected one, and the packs, the progress report and the decision list read it as replaced.
A decision is corrected once (unique ``corrects_id``); a correction may be corrected in turn.
Append-only, like ``decisions``.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0039"
down_revision: str | Sequence[str] | None = "0038"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PG_REJECT_FUNCTION = "regie_reject_change"  # created by 0001
TABLE = "decision_corrections"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.String(length=64), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("corrects_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["programmes.id"], name=op.f(f"fk_{TABLE}_programme_id_programmes")
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["decisions.id"], name=op.f(f"fk_{TABLE}_decision_id_decisions")
        ),
        sa.ForeignKeyConstraint(
            ["corrects_id"], ["decisions.id"], name=op.f(f"fk_{TABLE}_corrects_id_decisions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{TABLE}")),
        sa.UniqueConstraint("decision_id", name=op.f(f"uq_{TABLE}_decision_id")),
        sa.UniqueConstraint("corrects_id", name=op.f(f"uq_{TABLE}_corrects_id")),
    )
    dialect = op.get_context().dialect.name
    if dialect == "postgresql":
        op.execute(
            f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
            f"FOR EACH ROW EXECUTE FUNCTION {PG_REJECT_FUNCTION}()"
        )
        op.execute(
            f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {PG_REJECT_FUNCTION}()"
        )
    elif dialect == "sqlite":
        for operation in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {TABLE}_no_{operation.lower()} BEFORE {operation} ON {TABLE} "
                f"BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only: {operation} refused'); END"
            )
    else:
        raise NotImplementedError(f"append-only triggers for {dialect} are not written yet")


def downgrade() -> None:
    dialect = op.get_context().dialect.name
    if dialect == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}")
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}")
    elif dialect == "sqlite":
        for operation in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_{operation}")
    op.drop_table(TABLE)
