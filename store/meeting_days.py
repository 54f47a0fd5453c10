"""A governance body's meeting days as the meeting preparation last saw them (``meeting_days``,
migration 0034): read, and brought up to the schedule. Callers own the session and its
transaction. See :mod:`regie.meeting_notices`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from store.models import OutboxRow
from store.models_reports import MeetingDayRow


def remembered_days(session: Session, programme_id: str, body_id: str) -> dict[date, int] | None:
    """The body's days still in the schedule when last seen, each with its row id; None when
    nothing was ever recorded for the body (the first run only records). Gone rows, which grow
    with each move, are not read (review13 8)."""
    mine = (MeetingDayRow.programme_id == programme_id, MeetingDayRow.body_code == body_id)
    rows = session.execute(
        sa.select(MeetingDayRow.meets_on, MeetingDayRow.id).where(
            *mine, MeetingDayRow.gone_on.is_(None)
        )
    ).all()
    if not rows and not session.execute(sa.select(sa.exists().where(*mine))).scalar():
        return None
    return {on: row_id for on, row_id in rows}


def left_days(session: Session, programme_id: str, body_id: str, days: Iterable[date]) -> set[date]:
    """Those of ``days`` that were in the body's schedule once and left it (a gone row)."""
    wanted = list(days)
    if not wanted:
        return set()
    return set(
        session.execute(
            sa.select(MeetingDayRow.meets_on).where(
                MeetingDayRow.programme_id == programme_id,
                MeetingDayRow.body_code == body_id,
                MeetingDayRow.meets_on.in_(wanted),
                MeetingDayRow.gone_on.is_not(None),
            )
        ).scalars()
    )


def remembered_bodies(session: Session, programme_id: str) -> dict[str, list[date]]:
    """Each body with days still remembered in its schedule: those days, in date order."""
    out: dict[str, list[date]] = {}
    rows = session.execute(
        sa.select(MeetingDayRow.body_code, MeetingDayRow.meets_on)
        .where(MeetingDayRow.programme_id == programme_id, MeetingDayRow.gone_on.is_(None))
        .order_by(MeetingDayRow.body_code, MeetingDayRow.meets_on)
    )
    for body, on in rows:
        out.setdefault(body, []).append(on)
    return out


def outbox_keys(session: Session, programme_id: str, prefix: str) -> dict[str, str]:
    """The programme's outbox keys that start with ``prefix``, each with its status: which
    notices and packs went to whom (the keys name body, day and contact)."""
    rows = session.execute(
        sa.select(OutboxRow.key, OutboxRow.status).where(
            OutboxRow.programme_id == programme_id,
            OutboxRow.key.startswith(prefix, autoescape=True),
        )
    )
    return {key: status for key, status in rows}


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


def outbox_payloads(
    session: Session, programme_id: str, prefix: str
) -> dict[str, dict[str, object]]:
    """The payloads of the programme's outbox rows whose key starts with ``prefix``: what a
    notice told (which cancelled day a new date was for), when its key does not say."""
    rows = session.execute(
        sa.select(OutboxRow.key, OutboxRow.payload).where(
            OutboxRow.programme_id == programme_id,
            OutboxRow.key.startswith(prefix, autoescape=True),
        )
    )
    return {key: dict(payload or {}) for key, payload in rows}
