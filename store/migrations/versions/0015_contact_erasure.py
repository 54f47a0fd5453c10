"""Erasure of one departed contact's personal data (AVG art. 17) through the append-only triggers.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03

- ``erasures``: one row per forgotten contact: its stable pseudonym (``vertrokken-<id>``, never
  reused) and whether an erasure is running (``in_progress``). ``regie contact forget`` inserts
  or reopens the row, makes its changes and sets ``in_progress`` back to false in one
  transaction, so no other transaction ever sees it true (PostgreSQL: a deferred constraint
  trigger refuses to commit it true; SQLite has one writer at a time).
- The append-only triggers allow, while an erasure is in progress and only for that contact,
  exactly the erasure's changes and nothing else:
  - ``status_updates``: ``author`` (their code) becomes the pseudonym; ``comment`` may become
    NULL; every other column stays;
  - ``events``: only ``payload`` changes (their code becomes the pseudonym, their name, e-mail
    and Slack id are blanked);
  - ``plan_revisions``: only ``before``/``after`` of that contact's own revisions;
  - ``outbox``: a sent message to them keeps its key, kind, recipient, status and dates; its
    recipient columns, subject, bodies and payload may change;
  - ``answer_links``: their unused links may be deleted.
  Every other UPDATE or DELETE is refused as before (on SQLite a condition that is NULL, e.g.
  for a NULL author, counts as refused: ``coalesce(…, 0)``). The downgrade restores the triggers of
  0001-0006 and drops the table (the pseudonyms already written stay).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PG_REJECT_FUNCTION = "regie_reject_change"  # 0001
PG_OUTBOX_FUNCTION = "regie_outbox_guard"  # 0002, 0004
PG_LINK_FUNCTION = "regie_answer_link_guard"  # 0006
PG_ERASURE_FUNCTION = "regie_erasure_guard"
PG_ERASURE_OPEN = "regie_erasure_left_open"
ERASABLE = ("status_updates", "events", "plan_revisions")

#: The running erasure's contact codes and pseudonyms (empty outside ``regie contact forget``).
RUNNING = "SELECT {column} FROM erasures WHERE in_progress"
RUNNING_SQLITE = "SELECT {column} FROM erasures WHERE in_progress = 1"


def _same(columns: Sequence[str], *, pg: bool) -> str:
    same = "IS NOT DISTINCT FROM" if pg else "IS"
    return " AND ".join(f"NEW.{c} {same} OLD.{c}" for c in columns)


_UPDATE_KEEPS = {
    "status_updates": (
        "id", "programme_id", "item_code", "status", "reported_on", "forecast", "completed_on",
        "source", "recorded_at",
    ),
    "events": (
        "id", "programme_id", "name", "item_code", "occurred_on", "recorded_at", "dedupe_key",
    ),
    "plan_revisions": (
        "id", "programme_id", "recorded_at", "entity", "code", "kind", "field", "plan_path",
    ),
    "outbox": (
        "id", "programme_id", "key", "kind", "recipient", "created_on", "status", "attempts",
        "channel", "external_id", "last_error", "created_at", "claimed_at", "claim_token",
        "next_attempt_at", "sent_at",
    ),
}  # fmt: skip


def _allowed(table: str, *, pg: bool) -> str:
    """The condition under which the running erasure may make an UPDATE on ``table``."""
    running = RUNNING if pg else RUNNING_SQLITE
    codes = running.format(column="contact_code")
    pseudonyms = running.format(column="pseudonym")
    own = {
        "status_updates": (
            f"(OLD.author IN ({codes}) OR OLD.author IN ({pseudonyms})) "
            f"AND NEW.author IN ({pseudonyms}) "
            f"AND (NEW.comment IS NULL OR NEW.comment {'IS NOT DISTINCT FROM' if pg else 'IS'} "
            "OLD.comment)"
        ),
        "events": f"EXISTS ({codes})",
        "plan_revisions": f"OLD.entity = 'contact' AND OLD.code IN ({codes})",
        "outbox": f"OLD.recipient IN ({codes})",
    }[table]
    return f"({own} AND {_same(_UPDATE_KEEPS[table], pg=pg)})"


_PG_ERASURE_GUARD = """
CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        -- Nested: each condition names columns only its own table has.
        IF TG_TABLE_NAME = 'status_updates' THEN
            IF {status_updates} THEN
                RETURN NEW;
            END IF;
        ELSIF TG_TABLE_NAME = 'events' THEN
            IF {events} THEN
                RETURN NEW;
            END IF;
        ELSIF TG_TABLE_NAME = 'plan_revisions' THEN
            IF {plan_revisions} THEN
                RETURN NEW;
            END IF;
        END IF;
    END IF;
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END
$$
"""

_PG_OUTBOX_GUARD = """
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

_PG_LINK_GUARD = """
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.used_at IS NULL
       AND NEW.token = OLD.token AND NEW.contact_code = OLD.contact_code
       AND NEW.item_code = OLD.item_code AND NEW.outbox_key = OLD.outbox_key THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' AND {delete} THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'answer_links: a link is used once and never deleted (% refused)',
        TG_OP USING ERRCODE = 'restrict_violation';
END
$$
"""


def _link_delete(*, pg: bool) -> str:
    codes = (RUNNING if pg else RUNNING_SQLITE).format(column="contact_code")
    return f"(OLD.used_at IS NULL AND OLD.contact_code IN ({codes}))"


def upgrade() -> None:
    op.create_table(
        "erasures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.String(length=64), nullable=False),
        sa.Column("contact_code", sa.String(length=64), nullable=False),
        sa.Column("pseudonym", sa.String(length=64), nullable=False),
        sa.Column("forgotten_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("in_progress", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["programmes.id"], name=op.f("fk_erasures_programme_id_programmes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erasures")),
        sa.UniqueConstraint("pseudonym", name=op.f("uq_erasures_pseudonym")),
        sa.UniqueConstraint(
            "programme_id", "contact_code", name=op.f("uq_erasures_programme_id_contact_code")
        ),
    )
    dialect = op.get_context().dialect.name
    if dialect == "postgresql":
        op.execute(
            _PG_ERASURE_GUARD.format(
                name=PG_ERASURE_FUNCTION, **{t: _allowed(t, pg=True) for t in ERASABLE}
            )
        )
        for table in ERASABLE:
            op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {PG_ERASURE_FUNCTION}()"
            )
        op.execute(
            _PG_OUTBOX_GUARD.format(
                name=PG_OUTBOX_FUNCTION,
                condition=f"NOT {_allowed('outbox', pg=True)}",
                message=SENT_FINAL,
            )
        )
        op.execute(_PG_LINK_GUARD.format(name=PG_LINK_FUNCTION, delete=_link_delete(pg=True)))
        # An erasure never commits while still open: that would open the triggers to everyone.
        op.execute(
            f"""
            CREATE FUNCTION {PG_ERASURE_OPEN}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF EXISTS (SELECT 1 FROM erasures WHERE in_progress) THEN
                    RAISE EXCEPTION 'erasures: an erasure must end in its own transaction'
                        USING ERRCODE = 'restrict_violation';
                END IF;
                RETURN NULL;
            END
            $$
            """
        )
        op.execute(
            "CREATE CONSTRAINT TRIGGER erasures_closed AFTER INSERT OR UPDATE ON erasures "
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
            f"EXECUTE FUNCTION {PG_ERASURE_OPEN}()"
        )
    elif dialect == "sqlite":
        for table in ERASABLE:
            op.execute(f"DROP TRIGGER {table}_no_update")
            op.execute(
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                f"WHEN NOT coalesce({_allowed(table, pg=False)}, 0) "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: UPDATE refused'); END"
            )
        op.execute("DROP TRIGGER outbox_sent_is_immutable")
        op.execute(
            "CREATE TRIGGER outbox_sent_is_immutable BEFORE UPDATE ON outbox "
            f"WHEN OLD.status = 'sent' AND NOT coalesce({_allowed('outbox', pg=False)}, 0) "
            f"BEGIN SELECT RAISE(ABORT, '{SENT_FINAL}'); END"
        )
        op.execute("DROP TRIGGER answer_links_no_delete")
        op.execute(
            "CREATE TRIGGER answer_links_no_delete BEFORE DELETE ON answer_links "
            f"WHEN NOT coalesce({_link_delete(pg=False)}, 0) "
            "BEGIN SELECT RAISE(ABORT, 'answer_links rows are never deleted'); END"
        )
    else:
        raise NotImplementedError(f"triggers for {dialect} are not written yet")


def downgrade() -> None:
    dialect = op.get_context().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS erasures_closed ON erasures")
        op.execute(f"DROP FUNCTION IF EXISTS {PG_ERASURE_OPEN}()")
        for table in ERASABLE:
            op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {PG_REJECT_FUNCTION}()"
            )
        op.execute(f"DROP FUNCTION {PG_ERASURE_FUNCTION}()")
        op.execute(
            _PG_OUTBOX_GUARD.format(name=PG_OUTBOX_FUNCTION, condition="TRUE", message=SENT_FINAL)
        )
        op.execute(_PG_LINK_GUARD.format(name=PG_LINK_FUNCTION, delete="FALSE"))
    elif dialect == "sqlite":
        for table in ERASABLE:
            op.execute(f"DROP TRIGGER {table}_no_update")
            op.execute(
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: UPDATE refused'); END"
            )
        op.execute("DROP TRIGGER outbox_sent_is_immutable")
        op.execute(
            "CREATE TRIGGER outbox_sent_is_immutable BEFORE UPDATE ON outbox "
            f"WHEN OLD.status = 'sent' BEGIN SELECT RAISE(ABORT, '{SENT_FINAL}'); END"
        )
        op.execute("DROP TRIGGER answer_links_no_delete")
        op.execute(
            "CREATE TRIGGER answer_links_no_delete BEFORE DELETE ON answer_links "
            "BEGIN SELECT RAISE(ABORT, 'answer_links rows are never deleted'); END"
        )
    op.drop_table("erasures")
