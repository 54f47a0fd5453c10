"""Tables as an older migration made them, for tests that write rows before the head.

Migration 0018 added ``recorded_by`` columns whose default (the acting person) today's models
put in every insert; a database at an earlier revision has no such column.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa

#: Columns added by migration 0018 (store/migrations/versions/0018_audit_trail.py).
AUDIT_COLUMNS = frozenset(
    {"recorded_by", "created_by", "revoked_by", "disabled_by", "forgotten_by"}
)


def before_0018(model: Any) -> sa.TableClause:
    """``model``'s table without the columns of migration 0018 (types kept, no defaults)."""
    table: sa.Table = model.__table__
    columns = [sa.column(c.name, c.type) for c in table.c if c.name not in AUDIT_COLUMNS]
    return sa.table(table.name, *columns)


#: Columns added after revisions that tests go back to and then write with today's code: table,
#: column and its type per dialect (migration 0022: the outbox's ``first_attempt_at``, which the
#: sender sets when it claims a message; 0023: the item memory's ``latest_source``, which the
#: daily step writes with every memory row; 0029: the update a status update corrects, which
#: the daily step reads with every latest update; 0032: the outbox's earlier attempts and tried
#: channel, which the sender reads with every claimed message; 0033: when a message was pruned,
#: which every outbox read returns; 0037: when a bounce was pruned, which `regie contact
#: export` reads with every bounce; 0041: the item memory's first assessed day, which the
#: daily step writes with every memory row). A table the earlier revision does not have yet is
#: left out when :data:`MADE_LATER` names it; any other missing table fails (a misspelt name).
LATER_COLUMNS = (
    ("outbox", "first_attempt_at", {"postgresql": "TIMESTAMP WITH TIME ZONE"}, "DATETIME"),
    ("item_memory", "latest_source", {}, "VARCHAR(32)"),
    ("status_updates", "corrects", {}, "INTEGER"),
    ("outbox", "earlier_attempts", {}, "INTEGER NOT NULL DEFAULT 0"),
    ("outbox", "tried_channel", {}, "VARCHAR(32)"),
    ("outbox", "pruned_at", {"postgresql": "TIMESTAMP WITH TIME ZONE"}, "DATETIME"),
    ("mail_bounces", "pruned_at", {"postgresql": "TIMESTAMP WITH TIME ZONE"}, "DATETIME"),
    ("item_memory", "first_assessed", {}, "DATE"),
)
#: The tables of :data:`LATER_COLUMNS` made by a migration (the one named) after the earliest
#: revision a test goes back to: missing there, so nothing to add a column to (review49 7).
MADE_LATER = {"mail_bounces": "0024"}


@contextmanager
def later_columns(engine: sa.Engine) -> Iterator[None]:
    """Today's later columns and tables on a database at an earlier revision for the block (so
    today's code can write there), removed again before the test upgrades it."""
    from store.models_delivery import OutboxDigestItemRow
    from store.models_faults import ItemFirstAssessedRow
    from store.models_reports import DecisionAdditionRow, DecisionCorrectionRow, ReportApprovalRow

    dialect = engine.dialect.name
    # 0027: a reminder digest's entries, written with every digest queued (the upgrade fills
    # the table again from the payloads, so it goes before the test upgrades). 0038: the
    # items' first assessed days, read and written by every deadline check (the upgrade
    # fills the table from item_states). 0025, 0035, 0039: the decisions' approvals,
    # additions and corrections, read with the decisions by every deadline check (the plan in
    # force on its day, regie.plan_in_force).
    later_tables: list[sa.Table] = [
        OutboxDigestItemRow.__table__,  # type: ignore[list-item]
        ItemFirstAssessedRow.__table__,  # type: ignore[list-item]
        ReportApprovalRow.__table__,  # type: ignore[list-item]
        DecisionAdditionRow.__table__,  # type: ignore[list-item]
        DecisionCorrectionRow.__table__,  # type: ignore[list-item]
    ]
    added: list[tuple[str, str]] = []
    with engine.begin() as connection:
        for table, column, types, default in LATER_COLUMNS:
            if table in MADE_LATER and not sa.inspect(connection).has_table(table):
                continue  # e.g. 0024's mail_bounces on a database at 0020
            kind = types.get(dialect, default)
            connection.execute(sa.text(f"ALTER TABLE {table} ADD COLUMN {column} {kind}"))
            added.append((table, column))
        made = [t for t in later_tables if not sa.inspect(connection).has_table(t.name)]
        for later in made:
            later.create(connection)
    try:
        yield
    finally:
        engine.dispose()
        with engine.begin() as connection:
            for table, column in added:
                connection.execute(sa.text(f"ALTER TABLE {table} DROP COLUMN {column}"))
            for later in made:
                later.drop(connection)
