"""The append-only guards keep the columns added after them.

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-05

The triggers of 0015 (a running erasure) and 0017 (a running redaction) let an UPDATE through
when it changes only what the erasure or redaction changes and keeps every other column. Their
lists of kept columns were written before ``recorded_by`` (0018) and ``corrects`` (0029), so
while an erasure or a redaction ran, an UPDATE could still change who recorded an update or
which update it corrects. Now those columns must stay as they are too:

- ``status_updates``: ``recorded_by`` and ``corrects``;
- ``plan_revisions``: ``recorded_by``.

Outside a running erasure or redaction every UPDATE is refused, as before. The downgrade restores
the triggers of 0017.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from types import ModuleType

from alembic import op

revision: str = "0030"
down_revision: str | Sequence[str] | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Per table the columns an erasure's or a redaction's UPDATE must now also keep.
LATER_COLUMNS = {
    "status_updates": ("recorded_by", "corrects"),
    "plan_revisions": ("recorded_by",),
}


@cache
def _frozen(name: str) -> ModuleType:
    """An earlier migration (its trigger conditions), frozen as it is: read from its own file."""
    path = Path(__file__).with_name(name)
    spec = importlib.util.spec_from_file_location(f"regie_migration_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _m0015() -> ModuleType:
    return _frozen("0015_contact_erasure.py")


def _m0017() -> ModuleType:
    return _frozen("0017_update_redaction.py")


def _guard(*, pg: bool, later: bool) -> dict[str, str]:
    """Per table the condition an UPDATE passes: 0017's, and with ``later`` the later columns
    kept as well."""
    conditions = _m0017()._guard(pg=pg, redaction=True)
    if later:
        same = "IS NOT DISTINCT FROM" if pg else "IS"
        for table, columns in LATER_COLUMNS.items():
            kept = " AND ".join(f"NEW.{c} {same} OLD.{c}" for c in columns)
            conditions[table] = f"({conditions[table]} AND {kept})"
    return conditions


def _triggers(*, later: bool) -> None:
    m = _m0015()
    dialect = op.get_context().dialect.name
    conditions = _guard(pg=dialect == "postgresql", later=later)
    if dialect == "postgresql":
        op.execute(
            m._PG_ERASURE_GUARD.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1).format(
                name=m.PG_ERASURE_FUNCTION, **conditions
            )
        )
    elif dialect == "sqlite":
        for table in m.ERASABLE:
            op.execute(f"DROP TRIGGER {table}_no_update")
            op.execute(
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                f"WHEN NOT coalesce({conditions[table]}, 0) "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: UPDATE refused'); END"
            )
    else:
        raise NotImplementedError(f"triggers for {dialect} are not written yet")


def upgrade() -> None:
    _triggers(later=True)


def downgrade() -> None:
    _triggers(later=False)
