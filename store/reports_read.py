"""What an agenda pack reads from the reports' tables, on a plain connection.

Plain SQL on a :class:`sqlalchemy.Connection`: no ORM and no table classes, whose import costs
≈ 0.2 s of a command that only reads (the agenda pack's PDF waits for its pack). The repository
(:class:`store.reports_repo.ReportsRepository`) answers through these same functions, so there
is one query per question. Values are converted as :mod:`store.assessment_query` does (SQLite
returns ISO text for dates and naive UTC text for instants).
"""

from __future__ import annotations

from datetime import date, time

import sqlalchemy as sa

from governance.decisions import Decision, DecisionKind
from governance.meetings import Meeting
from store.assessment_query import converters

_P = sa.bindparam("p", type_=sa.String)


def meetings(connection: sa.Connection, programme_id: str, body_id: str | None) -> list[Meeting]:
    """The one-off meetings stored for one body (or every body), by date."""
    where = " AND body_code = :b" if body_id is not None else ""
    query = sa.text(
        "SELECT body_code, meets_on, starts_at, location, note FROM meetings"
        f" WHERE programme_id = :p{where} ORDER BY meets_on, id"
    )
    params = {"p": programme_id} | ({"b": body_id} if body_id is not None else {})
    as_date, _ = converters(connection.dialect.name)
    rows = connection.execute(query, params)
    return [
        Meeting(
            body,
            as_date(on),
            time.fromisoformat(starts_at) if starts_at else None,
            location,
            source="db",
            note=note,
        )
        for body, on, starts_at, location, note in rows
    ]


def decisions(
    connection: sa.Connection,
    programme_id: str,
    body_id: str | None = None,
    until: date | None = None,
) -> list[Decision]:
    """Decisions of one body (or all), up to meetings on ``until`` (a date) when given."""
    where = (" AND body_code = :b" if body_id is not None else "") + (
        " AND meeting_on <= :until" if until is not None else ""
    )
    query = sa.text(
        "SELECT id, body_code, meeting_on, kind, text, item_code, gereed_before, gereed_after,"
        f" recorded_at FROM decisions WHERE programme_id = :p{where} ORDER BY meeting_on, id"
    ).bindparams(_P, *([sa.bindparam("until", type_=sa.Date)] if until is not None else []))
    params: dict[str, object] = {"p": programme_id}
    params |= {"b": body_id} if body_id is not None else {}
    params |= {"until": until} if until is not None else {}
    as_date, as_instant = converters(connection.dialect.name)
    rows = connection.execute(query, params)
    return [
        Decision(
            body_id=body,
            meeting_on=as_date(meeting_on),
            kind=DecisionKind(kind),
            text=text,
            item_id=item,
            gereed_before=before,
            gereed_after=after,
            recorded_at=as_instant(recorded_at),
            id=row_id,
        )
        for row_id, body, meeting_on, kind, text, item, before, after, recorded_at in rows
    ]


def events_named(
    connection: sa.Connection, programme_id: str, name: str, until: date
) -> list[tuple[str, date]]:
    """(item, day) of every event with this name that names an item, up to ``until``."""
    query = sa.text(
        "SELECT item_code, occurred_on FROM events WHERE programme_id = :p AND name = :n"
        " AND occurred_on <= :until AND item_code IS NOT NULL"
    ).bindparams(_P, sa.bindparam("until", type_=sa.Date))
    as_date, _ = converters(connection.dialect.name)
    rows = connection.execute(query, {"p": programme_id, "n": name, "until": until})
    return [(str(item), as_date(day)) for item, day in rows]
