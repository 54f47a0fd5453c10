"""What the agenda pack's *Sinds de vorige vergadering* reads of the plan's revisions.

Plain SQL on a :class:`sqlalchemy.Connection`, like :mod:`store.reports_read` (no ORM import
before a PDF's layout can start).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from governance.agenda import ItemRevision
from store.assessment_query import converters
from store.reports_read import _until

_P = sa.bindparam("p", type_=sa.String)


def item_revisions(
    connection: sa.Connection, programme_id: str, recorded_until: datetime | None = None
) -> tuple[list[ItemRevision], datetime | None]:
    """The revisions of actions and milestones the pack lists (created, archived, restored,
    and owner changes), oldest first, recorded up to ``recorded_until`` when given; and the
    moment the programme's plan was first recorded (its first sync), None before any."""
    cut, cut_params = _until(connection, recorded_until)
    params = {"p": programme_id} | cut_params
    _, as_instant = converters(connection.dialect.name)
    first = connection.execute(
        sa.text(
            f"SELECT MIN(recorded_at) FROM plan_revisions WHERE programme_id = :p{cut}"
        ).bindparams(_P),
        params,
    ).scalar()
    if first is None:
        return [], None
    # The first sync's created rows are the plan itself (every item of a large plan): not read.
    rows = connection.execute(
        sa.text(
            'SELECT code, kind, field, "before", "after", recorded_at FROM plan_revisions'
            " WHERE programme_id = :p AND entity IN ('action', 'milestone')"
            " AND ((kind = 'created' AND recorded_at > :first)"
            " OR kind IN ('archived', 'restored')"
            f" OR (kind = 'changed' AND field = 'owners')){cut} ORDER BY recorded_at, id"
        ).bindparams(_P),
        params | {"first": first},
    )
    text_json = connection.dialect.name == "sqlite"  # PostgreSQL's driver decodes JSON itself

    def value(raw: Any) -> Any:
        return json.loads(raw) if text_json and isinstance(raw, str | bytes) else raw

    found = [
        ItemRevision(str(code), kind, field, value(before), value(after), as_instant(at))
        for code, kind, field, before, after, at in rows
    ]
    return found, as_instant(first)
