"""The office redacts one status update's note (AVG: personal data in free text).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04

- ``update_redactions``: one row per redacted update (unique ``update_id``): its item, when,
  by whom and why — never the old text — and whether the redaction is running
  (``in_progress``). ``regie update redact`` inserts the row running, replaces the note, scrubs
  the copies and sets ``in_progress`` back to false in one transaction, so no other transaction
  ever sees it true (PostgreSQL: a deferred constraint trigger refuses to commit it true;
  SQLite has one writer at a time).
- The append-only triggers of ``status_updates`` and ``events`` (as 0015 left them) allow, besides
  a running erasure's changes, while a redaction runs:
  - ``status_updates``: only the ``comment`` of that one update; every other column stays;
  - ``events``: only ``payload`` (the note where it was copied); every other column stays.
  Every other UPDATE or DELETE is refused as before; a sent ``outbox`` row stays as it was sent.
  The downgrade restores the triggers of 0015 and drops the table (the placeholders already
  written stay).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | Sequence[str] | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PG_REDACTION_OPEN = "regie_redaction_left_open"
REDACTABLE = ("status_updates", "events")

_KEEPS = {
    "status_updates": (
        "id", "programme_id", "item_code", "status", "reported_on", "forecast", "completed_on",
        "author", "source", "recorded_at",
    ),
    "events": (
        "id", "programme_id", "name", "item_code", "occurred_on", "recorded_at", "dedupe_key",
    ),
}  # fmt: skip


@cache
def _m0015() -> ModuleType:
    """Migration 0015 (its trigger conditions), frozen as it is: read from its own file."""
    path = Path(__file__).with_name("0015_contact_erasure.py")
    spec = importlib.util.spec_from_file_location("regie_migration_0015", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _redacting(table: str, *, pg: bool) -> str:
    """The condition under which a running redaction may make an UPDATE on ``table``."""
    running = "in_progress" if pg else "in_progress = 1"
    own = {
        "status_updates": (
            f"EXISTS (SELECT 1 FROM update_redactions WHERE {running} AND update_id = OLD.id)"
        ),
        "events": f"EXISTS (SELECT 1 FROM update_redactions WHERE {running})",
    }[table]
    same = "IS NOT DISTINCT FROM" if pg else "IS"
    keeps = " AND ".join(f"NEW.{c} {same} OLD.{c}" for c in _KEEPS[table])
    return f"({own} AND {keeps})"


def _guard(*, pg: bool, redaction: bool) -> dict[str, str]:
    """Per table the condition an UPDATE passes: 0015's erasure, with or without a redaction."""
    m = _m0015()
    out = {t: m._allowed(t, pg=pg) for t in m.ERASABLE}
    if redaction:
        for table in REDACTABLE:
            out[table] = f"({out[table]} OR {_redacting(table, pg=pg)})"
    return out


def _triggers(*, redaction: bool) -> None:
    m = _m0015()
    dialect = op.get_context().dialect.name
    if dialect == "postgresql":
        op.execute(
            m._PG_ERASURE_GUARD.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1).format(
                name=m.PG_ERASURE_FUNCTION, **_guard(pg=True, redaction=redaction)
            )
        )
    elif dialect == "sqlite":
        conditions = _guard(pg=False, redaction=redaction)
        for table in REDACTABLE:
            op.execute(f"DROP TRIGGER {table}_no_update")
            op.execute(
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                f"WHEN NOT coalesce({conditions[table]}, 0) "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: UPDATE refused'); END"
            )
    else:
        raise NotImplementedError(f"triggers for {dialect} are not written yet")


def upgrade() -> None:
    op.create_table(
        "update_redactions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.String(length=64), nullable=False),
        sa.Column("update_id", sa.Integer(), nullable=False),
        sa.Column("item_code", sa.String(length=64), nullable=False),
        sa.Column("redacted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("redacted_by", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("in_progress", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programmes.id"],
            name=op.f("fk_update_redactions_programme_id_programmes"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_update_redactions")),
        sa.UniqueConstraint("update_id", name=op.f("uq_update_redactions_update_id")),
    )
    _triggers(redaction=True)
    if op.get_context().dialect.name == "postgresql":
        # A redaction never commits while still open: that would open the triggers to everyone.
        op.execute(
            f"""
            CREATE FUNCTION {PG_REDACTION_OPEN}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF EXISTS (SELECT 1 FROM update_redactions WHERE in_progress) THEN
                    RAISE EXCEPTION 'update_redactions: a redaction must end in its own transaction'
                        USING ERRCODE = 'restrict_violation';
                END IF;
                RETURN NULL;
            END
            $$
            """
        )
        op.execute(
            "CREATE CONSTRAINT TRIGGER update_redactions_closed AFTER INSERT OR UPDATE "
            "ON update_redactions DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
            f"EXECUTE FUNCTION {PG_REDACTION_OPEN}()"
        )


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS update_redactions_closed ON update_redactions")
        op.execute(f"DROP FUNCTION IF EXISTS {PG_REDACTION_OPEN}()")
    _triggers(redaction=False)  # before the table goes: the SQLite triggers name it
    op.drop_table("update_redactions")
