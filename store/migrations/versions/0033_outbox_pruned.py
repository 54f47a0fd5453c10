"""Retention: old messages in a final state lose their personal content, keep their key.

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-05

- ``outbox.pruned_at``: when `regie outbox prune` erased the message's personal content (its
  recipient's name and addresses, subject, bodies, and the payload but for its items' ids and
  stages; walk31 finding 8, AVG storage limitation). NULL: not pruned. The row itself stays:
  its key, kind, recipient code, status and dates keep the outbox's duplicate check (a message
  is never queued, so never sent, twice) and the delivery facts later escalations count.
- The outbox's guard lets exactly that UPDATE through on a sent row: ``pruned_at`` set once
  (NULL → a time), e-mail, Slack id and HTML body NULL, name, subject and text empty, every
  other column but the payload unchanged (review11 2: the payload is not compared; what it
  keeps is :func:`store.outbox.pruned_payload`'s, and the digests' entries live apart). A
  running erasure (0015) may change what it changed before, ``pruned_at`` kept. Every other
  UPDATE of a sent row is refused as before, and rows are never deleted.

The downgrade restores 0015's guard and drops the column (the content already erased stays so).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
from alembic import op

revision: str = "0033"
down_revision: str | Sequence[str] | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: What a prune keeps of a sent row (everything but the personal columns it erases).
PRUNE_KEEPS = (
    "id", "programme_id", "key", "kind", "recipient", "created_on", "status", "attempts",
    "earlier_attempts", "tried_channel", "channel", "external_id", "last_error", "created_at",
    "claimed_at", "claim_token", "first_attempt_at", "next_attempt_at", "sent_at",
)  # fmt: skip


@cache
def _m0015() -> ModuleType:
    """0015's trigger conditions, frozen as they are: read from its own file."""
    path = Path(__file__).with_name("0015_contact_erasure.py")
    spec = importlib.util.spec_from_file_location(f"regie_migration_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _allowed(*, pg: bool, pruning: bool) -> str:
    """The condition under which an UPDATE of a sent outbox row passes."""
    erasure = _m0015()._allowed("outbox", pg=pg)
    if not pruning:
        return erasure
    same = "IS NOT DISTINCT FROM" if pg else "IS"
    kept = " AND ".join(f"NEW.{c} {same} OLD.{c}" for c in PRUNE_KEEPS)
    prune = (
        "(OLD.pruned_at IS NULL AND NEW.pruned_at IS NOT NULL AND NEW.email IS NULL "
        "AND NEW.slack IS NULL AND NEW.body_html IS NULL AND NEW.recipient_name = '' "
        f"AND NEW.subject = '' AND NEW.body_text = '' AND {kept})"
    )
    return f"(({erasure} AND NEW.pruned_at {same} OLD.pruned_at) OR {prune})"


def _guard(*, pruning: bool) -> None:
    m = _m0015()
    dialect = op.get_context().dialect.name
    if dialect == "postgresql":
        op.execute(
            m._PG_OUTBOX_GUARD.format(
                name=m.PG_OUTBOX_FUNCTION,
                condition=f"NOT {_allowed(pg=True, pruning=pruning)}",
                message=m.SENT_FINAL,
            )
        )
    elif dialect == "sqlite":
        op.execute("DROP TRIGGER outbox_sent_is_immutable")
        op.execute(
            "CREATE TRIGGER outbox_sent_is_immutable BEFORE UPDATE ON outbox "
            f"WHEN OLD.status = 'sent' AND NOT coalesce({_allowed(pg=False, pruning=pruning)}, 0) "
            f"BEGIN SELECT RAISE(ABORT, '{m.SENT_FINAL}'); END"
        )
    else:
        raise NotImplementedError(f"triggers for {dialect} are not written yet")


def upgrade() -> None:
    op.add_column("outbox", sa.Column("pruned_at", sa.DateTime(timezone=True), nullable=True))
    _guard(pruning=True)


def downgrade() -> None:
    _guard(pruning=False)  # first: SQLite drops no column a trigger names
    op.drop_column("outbox", "pruned_at")
