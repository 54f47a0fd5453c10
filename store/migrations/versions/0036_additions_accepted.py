"""The plan as it stood at this upgrade is accepted as is: no addition made before it is put to
the body (ratify46, review14 1).

Revision ID: 0036
Revises: 0035
Create Date: 2026-12-06

Agenda layout 12 puts an item added to the plan file without a decision *ter besluitvorming*
(layout 13 reads this table; 12 asks from the first sync on, as it was built). On a
programme that ran before this upgrade every item it ever added would be asked at once, years
of them. ``additions_accepted``: one row per programme that exists at the upgrade, with
the instant of its latest plan revision then (``through``): additions recorded up to it are the
plan as it stood, as the first sync's items are. Taken from the data, not the clock, so a
programme's own history decides. A programme created after the upgrade has no row: every
addition after its first sync counts. Append-only, like ``decision_additions``. A downgrade
drops the table; upgrading again records a later cut, so packs archived in between are made
again asking what they left out (docs/operations.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0036"
down_revision: str | Sequence[str] | None = "0035"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PG_REJECT_FUNCTION = "regie_reject_change"  # created by 0001
TABLE = "additions_accepted"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("programme_id", sa.String(length=64), nullable=False),
        sa.Column("through", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["programmes.id"], name=op.f(f"fk_{TABLE}_programme_id_programmes")
        ),
        sa.PrimaryKeyConstraint("programme_id", name=op.f(f"pk_{TABLE}")),
    )
    now = datetime.now(UTC)
    if op.get_context().dialect.name == "sqlite":
        now = now.replace(tzinfo=None)  # stored as naive UTC text (store.models.UTCDateTime)
    # Copied as stored: the latest revision's instant keeps its exact form.
    op.get_bind().execute(
        sa.text(
            f"INSERT INTO {TABLE} (programme_id, through, recorded_at)"
            " SELECT programme_id, MAX(recorded_at), :now FROM plan_revisions"
            " GROUP BY programme_id"
        ).bindparams(sa.bindparam("now", type_=sa.DateTime(timezone=True))),
        {"now": now},
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
