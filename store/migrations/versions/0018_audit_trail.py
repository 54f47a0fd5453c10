"""Audit trail: who recorded what, and append-only state history and erasure register.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04

- ``recorded_by`` (the operator of a command, or the logged-in user of the web page; see
  :mod:`store.actor`) on ``status_updates``, ``decisions``, ``plan_revisions`` and
  ``meetings``; ``created_by``/``revoked_by`` on ``calendar_tokens``; ``created_by``,
  ``disabled_by`` and ``forgotten_by`` on ``users``; ``forgotten_by`` on ``erasures``. Rows
  written before this migration have NULL there (not known).
- ``item_states`` (the recorded state and RAG per item per day): a row of a day before the
  latest assessed day (``assessed_days``) is history and can no longer be changed or deleted.
  The rows of the latest assessed day stay writable: a rerun of that day (after an answer, say)
  replaces or removes them (:func:`store.states.record_states`), and no cycle ever goes back
  before it (``ensure_forward``).
- ``erasures`` (the register of forgotten contacts): rows are never deleted; an UPDATE keeps
  the row's id, programme and contact, and its pseudonym once it is final (``vertrokken-<id>``:
  the first insert writes a temporary one and replaces it in the same transaction). Running
  and closing an erasure (``in_progress``, ``forgotten_at``, ``forgotten_by``) stays possible.
- PostgreSQL: TRUNCATE is refused on both tables, as on the append-only tables of 0001.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | Sequence[str] | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PG_REJECT_FUNCTION = "regie_reject_change"  # 0001
PG_STATES_FUNCTION = "regie_item_states_guard"
PG_ERASURES_FUNCTION = "regie_erasures_guard"

COLUMNS = {
    "status_updates": ("recorded_by",),
    "decisions": ("recorded_by",),
    "plan_revisions": ("recorded_by",),
    "meetings": ("recorded_by",),
    "calendar_tokens": ("created_by", "revoked_by"),
    "users": ("created_by", "disabled_by", "forgotten_by"),
    "erasures": ("forgotten_by",),
}

#: An item_states row that is history: of a day before the programme's latest assessed day.
STATES_HISTORY = (
    "OLD.as_of < (SELECT max(d.as_of) FROM assessed_days d WHERE d.programme_id = OLD.programme_id)"
)
#: An UPDATE the erasure register allows.
ERASURE_KEEPS = (
    "NEW.id = OLD.id AND NEW.programme_id = OLD.programme_id "
    "AND NEW.contact_code = OLD.contact_code "
    "AND (NEW.pseudonym = OLD.pseudonym OR OLD.pseudonym NOT LIKE 'vertrokken-%')"
)
STATES_REFUSED = "item_states: the state history of an assessed day is never changed"
ERASURES_REFUSED = "erasures: the erasure register is append-only"


def upgrade() -> None:
    for table, columns in COLUMNS.items():
        for column in columns:
            op.add_column(table, sa.Column(column, sa.Text(), nullable=True))
    dialect = op.get_context().dialect.name
    if dialect == "postgresql":
        op.execute(
            f"""
            CREATE FUNCTION {PG_STATES_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF {STATES_HISTORY} THEN
                    RAISE EXCEPTION '{STATES_REFUSED} (% refused)', TG_OP
                        USING ERRCODE = 'restrict_violation';
                END IF;
                IF TG_OP = 'DELETE' THEN
                    RETURN OLD;
                END IF;
                RETURN NEW;
            END
            $$
            """
        )
        op.execute(
            f"""
            CREATE FUNCTION {PG_ERASURES_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'UPDATE' AND {ERASURE_KEEPS} THEN
                    RETURN NEW;
                END IF;
                RAISE EXCEPTION '{ERASURES_REFUSED} (% refused)', TG_OP
                    USING ERRCODE = 'restrict_violation';
            END
            $$
            """
        )
        op.execute(
            "CREATE TRIGGER item_states_history BEFORE UPDATE OR DELETE ON item_states "
            f"FOR EACH ROW EXECUTE FUNCTION {PG_STATES_FUNCTION}()"
        )
        op.execute(
            "CREATE TRIGGER erasures_append_only BEFORE UPDATE OR DELETE ON erasures "
            f"FOR EACH ROW EXECUTE FUNCTION {PG_ERASURES_FUNCTION}()"
        )
        for table in ("item_states", "erasures"):
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {PG_REJECT_FUNCTION}()"
            )
    elif dialect == "sqlite":
        for operation in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER item_states_no_{operation.lower()} BEFORE {operation} "
                f"ON item_states WHEN coalesce({STATES_HISTORY}, 0) "
                f"BEGIN SELECT RAISE(ABORT, '{STATES_REFUSED} ({operation} refused)'); END"
            )
        op.execute(
            "CREATE TRIGGER erasures_no_update BEFORE UPDATE ON erasures "
            f"WHEN NOT coalesce({ERASURE_KEEPS}, 0) "
            f"BEGIN SELECT RAISE(ABORT, '{ERASURES_REFUSED} (UPDATE refused)'); END"
        )
        op.execute(
            "CREATE TRIGGER erasures_no_delete BEFORE DELETE ON erasures "
            f"BEGIN SELECT RAISE(ABORT, '{ERASURES_REFUSED} (DELETE refused)'); END"
        )
    else:
        raise NotImplementedError(f"triggers for {dialect} are not written yet")


def downgrade() -> None:
    dialect = op.get_context().dialect.name
    if dialect == "postgresql":
        for table in ("item_states", "erasures"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        op.execute("DROP TRIGGER IF EXISTS item_states_history ON item_states")
        op.execute("DROP TRIGGER IF EXISTS erasures_append_only ON erasures")
        op.execute(f"DROP FUNCTION IF EXISTS {PG_STATES_FUNCTION}()")
        op.execute(f"DROP FUNCTION IF EXISTS {PG_ERASURES_FUNCTION}()")
    elif dialect == "sqlite":
        for name in (
            "item_states_no_update", "item_states_no_delete",
            "erasures_no_update", "erasures_no_delete",
        ):  # fmt: skip
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for table, columns in COLUMNS.items():
        for column in columns:  # SQLite ≥ 3.35 drops a column in place, triggers kept
            op.drop_column(table, column)
