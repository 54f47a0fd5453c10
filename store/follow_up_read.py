"""What the office's follow-up page reads of the event log beside the pack's reads
(:mod:`store.reports_read`): each escalation raised with the contacts it went to."""

from __future__ import annotations

import json
from datetime import date
from typing import Any, NamedTuple

import sqlalchemy as sa

from governance.events import ESCALATION_RAISED
from store.assessment_query import converters


class RaisedEscalation(NamedTuple):
    item_id: str
    raised_on: date
    contacts: tuple[str, ...]  # the contacts its digest went to (empty: nobody to tell)


def escalations_raised(
    connection: sa.Connection, programme_id: str, until: date
) -> list[RaisedEscalation]:
    """Every escalation raised up to ``until`` (the events :func:`store.reports_read.events_named`
    reads for the agenda pack), oldest first, with its payload's ``contacts``."""
    query = sa.text(
        "SELECT item_code, occurred_on, payload FROM events WHERE programme_id = :p"
        " AND name = :n AND occurred_on <= :until AND item_code IS NOT NULL ORDER BY id"
    ).bindparams(sa.bindparam("until", type_=sa.Date))
    as_date, _ = converters(connection.dialect.name)
    rows = connection.execute(query, {"p": programme_id, "n": ESCALATION_RAISED, "until": until})
    return [
        RaisedEscalation(str(item), as_date(day), _contacts(payload)) for item, day, payload in rows
    ]


def _contacts(raw: Any) -> tuple[str, ...]:
    """The payload's ``contacts`` (ids joined by ``,``): JSON text on SQLite, decoded on
    PostgreSQL."""
    value = json.loads(raw) if isinstance(raw, str | bytes) else raw
    text = str(value.get("contacts") or "") if isinstance(value, dict) else ""
    return tuple(c for c in text.split(",") if c)
