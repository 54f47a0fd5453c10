"""Tables as an older migration made them, for tests that write rows before the head.

Migration 0018 added ``recorded_by`` columns whose default (the acting person) today's models
put in every insert; a database at an earlier revision has no such column.
"""

from __future__ import annotations

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
