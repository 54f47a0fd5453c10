"""A governance body's meeting days as the meeting preparation last saw them (``meeting_days``,
migration 0034): read, and brought up to the schedule. Callers own the session and its
transaction. See :mod:`regie.meeting_notices`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from store.models_reports import MeetingDayRow


def remembered_days(session: Session, programme_id: str, body_id: str) -> dict[date, int] | None:
    """The body's days still in the schedule when last seen, each with its row id; None when
    nothing was ever recorded for the body (the first run only records)."""
    rows = session.execute(
        sa.select(MeetingDayRow.meets_on, MeetingDayRow.id, MeetingDayRow.gone_on).where(
            MeetingDayRow.programme_id == programme_id, MeetingDayRow.body_code == body_id
        )
    ).all()
    if not rows:
        return None
    return {on: row_id for on, row_id, gone_on in rows if gone_on is None}


def record_days(
    session: Session,
    programme_id: str,
    body_id: str,
    added: Iterable[date],
    gone: Iterable[date],
    as_of: date,
) -> dict[date, int]:
    """Mark ``gone`` days as left (their rows stay) and add a row per ``added`` day (a day that
    comes back gets a new one); return the new rows' ids by day."""
    left = list(gone)
    if left:
        session.execute(
            sa.update(MeetingDayRow)
            .where(
                MeetingDayRow.programme_id == programme_id,
                MeetingDayRow.body_code == body_id,
                MeetingDayRow.meets_on.in_(left),
                MeetingDayRow.gone_on.is_(None),
            )
            .values(gone_on=as_of)
        )
    rows = [
        MeetingDayRow(programme_id=programme_id, body_code=body_id, meets_on=on, seen_on=as_of)
        for on in added
    ]
    session.add_all(rows)
    session.flush()
    return {row.meets_on: row.id for row in rows}
