"""What the calendar feeds read and remember: item change times, archived items, feed memory,
tokens. Plain values in and out; callers own sessions and transactions."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from store.models import (
    ActionRow,
    ItemStateRow,
    MilestoneRow,
    PlanRevisionRow,
    StatusUpdateRow,
)
from store.models_incremental import PlanSyncRow
from store.models_reports import MeetingRow
from store.models_web import CalendarTokenRow, FeedEntryRow, FeedMeetingRow


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """An item's event as last published."""

    due: date | None
    sequence: int
    changed_at: datetime | None  # its LAST-MODIFIED (before migration 0013: the date's move)
    fingerprint: str | None = None  # of everything but the stamps; None: not yet recorded
    cancelled: bool | None = None  # published with STATUS:CANCELLED; None: not yet recorded


@dataclass(frozen=True, slots=True)
class MeetingEntry:
    """A meeting's event as last published."""

    timing: str  # its start and end (or day), as published
    sequence: int
    fingerprint: str
    changed_at: datetime  # its LAST-MODIFIED
    cancelled: bool = False  # published with STATUS:CANCELLED (it left the schedule)


@dataclass(frozen=True, slots=True)
class ArchivedItem:
    code: str
    action_code: str
    step: int
    title: str
    gereed: str | None
    due: date | None
    owners: list[str]
    archived_at: datetime


@dataclass(frozen=True, slots=True)
class CalendarToken:
    id: int
    scope: str
    label: str | None
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    served_etag: str | None
    served_modified_at: datetime | None
    created_by: str | None = None  # who made it and who revoked it (migration 0018): read by
    revoked_by: str | None = None  # :func:`tokens`, not by :func:`lookup_token` (serving)


@dataclass(frozen=True, slots=True)
class TokenLookup:
    """A token's row plus the programme's data watermarks, read in one round trip."""

    token: CalendarToken
    programme_id: str
    last_update_id: int
    last_revision_id: int
    last_state_id: int
    last_meeting_id: int
    last_redaction_id: int = 0  # a redacted note changes no other mark (migration 0017)


def item_changes(session: Session, programme_id: str) -> dict[str, datetime]:
    """Item code → when it last changed in the store: a plan revision or a status update."""
    out = revision_changes(session, programme_id)
    fold_changes(out, update_changes(session, programme_id))
    return out


def revision_changes(session: Session, programme_id: str) -> dict[str, datetime]:
    """Item code → its newest plan revision's time."""
    r = PlanRevisionRow
    query = (
        sa.select(r.code, sa.func.max(r.recorded_at, type_=sa.String))
        .where(r.programme_id == programme_id, r.entity.in_(("action", "milestone")))
        .group_by(r.code)
    )
    return _times(session.execute(query).tuples())


def revision_mark(session: Session, programme_id: str) -> tuple[int, int]:
    """(newest id, number) of the programme's plan revisions: changes with every revision, also
    one committed late with a lower id (the number grows)."""
    r = PlanRevisionRow
    query = sa.select(sa.func.max(r.id), sa.func.count()).where(r.programme_id == programme_id)
    newest, number = session.execute(query).one()
    return int(newest or 0), int(number or 0)


def update_changes(session: Session, programme_id: str, after_id: int = 0) -> dict[str, datetime]:
    """Item code → its newest status update's recording time, of updates with an id above
    ``after_id`` (updates are append-only: fold these into the times known up to it)."""
    u = StatusUpdateRow
    query = sa.select(u.item_code, sa.func.max(u.recorded_at, type_=sa.String)).where(
        u.programme_id == programme_id
    )
    if after_id:
        query = query.where(u.id > after_id)
    return _times(session.execute(query.group_by(u.item_code)).tuples())


def fold_changes(into: dict[str, datetime], more: Mapping[str, datetime]) -> None:
    """Keep per item the later of the two times."""
    for code, at in more.items():
        known = into.get(code)
        if known is None or at > known:
            into[code] = at


def _times(rows: Iterable[tuple[str, object]]) -> dict[str, datetime]:
    # Only the aggregate's raw value (text on SQLite, a datetime on PostgreSQL): one conversion
    # per row here instead of the column type's and then ours.
    out: dict[str, datetime] = {}
    for code, raw in rows:
        at = _utc(raw)  # type: ignore[arg-type]  # text or a datetime, per driver
        if at is not None:
            out[code] = at
    return out


def state_changes(session: Session, programme_id: str, as_of: date) -> dict[str, date]:
    """Item code → the latest day (≤ ``as_of``) the daily check recorded a new state for it."""
    query = (
        sa.select(ItemStateRow.item_code, sa.func.max(ItemStateRow.as_of))
        .where(ItemStateRow.programme_id == programme_id, ItemStateRow.as_of <= as_of)
        .group_by(ItemStateRow.item_code)
    )
    return {code: day for code, day in session.execute(query).tuples() if day is not None}


def archived_items(session: Session, programme_id: str) -> list[ArchivedItem]:
    """Actions and milestones that left the plan (archived), with their last stored period."""
    out: list[ArchivedItem] = []
    actions = sa.select(ActionRow).where(
        ActionRow.programme_id == programme_id, ActionRow.archived_at.is_not(None)
    )
    for a in session.scalars(actions):
        out.append(_archived(a, a.code, a.step_number))
    milestones = (
        sa.select(MilestoneRow, ActionRow.code, ActionRow.step_number)
        .join(ActionRow, MilestoneRow.action_id == ActionRow.id)
        .where(MilestoneRow.programme_id == programme_id, MilestoneRow.archived_at.is_not(None))
    )
    for m, action_code, step in session.execute(milestones).tuples():
        out.append(_archived(m, action_code, step))
    return out


def synced_from(session: Session, programme_id: str, file_hash: str | None) -> bool:
    """Whether the last sync stored the plan file of hash ``file_hash`` (then nothing can have
    left the file since)."""
    synced = session.get(PlanSyncRow, programme_id)
    return synced is not None and file_hash is not None and synced.plan_hash == file_hash


def left_the_file(
    session: Session, programme_id: str, codes: Collection[str], at: datetime
) -> list[ArchivedItem]:
    """Actions and milestones still stored as in the plan but no longer in its file (``codes``:
    the file's): taken out since the last sync, as if archived ``at``. The stored codes are read
    (0.4 s at 110,000 items), rows only for those that left; ask :func:`synced_from` first."""
    active = (ActionRow.programme_id == programme_id, ActionRow.archived_at.is_(None))
    action_codes = session.scalars(sa.select(ActionRow.code).where(*active)).all()
    alive = (MilestoneRow.programme_id == programme_id, MilestoneRow.archived_at.is_(None))
    milestone_codes = session.scalars(sa.select(MilestoneRow.code).where(*alive)).all()
    gone_actions = [c for c in action_codes if c not in codes]
    gone_milestones = [c for c in milestone_codes if c not in codes]
    out: list[ArchivedItem] = []
    for n in range(0, len(gone_actions), _BATCH):  # bound parameters: SQLite takes 32,766
        some = gone_actions[n : n + _BATCH]
        rows = session.scalars(sa.select(ActionRow).where(*active, ActionRow.code.in_(some)))
        out.extend(_archived(a, a.code, a.step_number, at) for a in rows)
    for n in range(0, len(gone_milestones), _BATCH):
        found = session.execute(
            sa.select(MilestoneRow, ActionRow.code, ActionRow.step_number)
            .join(ActionRow, MilestoneRow.action_id == ActionRow.id)
            .where(*alive, MilestoneRow.code.in_(gone_milestones[n : n + _BATCH]))
        ).tuples()
        out.extend(_archived(m, action_code, step, at) for m, action_code, step in found)
    return out


_BATCH = 1000


def stored_item(
    session: Session, programme_id: str, code: str, at: datetime
) -> ArchivedItem | None:
    """Action or milestone ``code`` as last stored, for an item no longer in the plan file:
    archived by a sync, or (not synced since) as if archived ``at``; None when never stored."""
    action = session.scalars(
        sa.select(ActionRow).where(ActionRow.programme_id == programme_id, ActionRow.code == code)
    ).first()
    if action is not None:
        return _archived(action, action.code, action.step_number, at)
    found = session.execute(
        sa.select(MilestoneRow, ActionRow.code, ActionRow.step_number)
        .join(ActionRow, MilestoneRow.action_id == ActionRow.id)
        .where(MilestoneRow.programme_id == programme_id, MilestoneRow.code == code)
    ).first()
    if found is None:
        return None
    milestone, action_code, step = found.tuple()
    return _archived(milestone, action_code, step, at)


def _archived(
    row: ActionRow | MilestoneRow, action_code: str, step: int, at: datetime | None = None
) -> ArchivedItem:
    archived_at = row.archived_at or at
    assert archived_at is not None
    return ArchivedItem(
        code=row.code,
        action_code=action_code,
        step=step,
        title=row.title,
        gereed=row.gereed,
        due=row.period_end,
        owners=list(row.owners),
        archived_at=archived_at,
    )


def feed_entries(session: Session, programme_id: str) -> dict[str, FeedEntry]:
    f = FeedEntryRow
    query = sa.select(
        f.item_code, f.due, f.sequence, f.changed_at, f.fingerprint, f.cancelled
    ).where(f.programme_id == programme_id)
    return {
        code: FeedEntry(due, sequence, _utc(changed_at), fingerprint, cancelled)
        for code, due, sequence, changed_at, fingerprint, cancelled in session.execute(
            query
        ).tuples()
    }


def save_feed_entries(
    session: Session,
    programme_id: str,
    new: Mapping[str, FeedEntry],
    changed: Mapping[str, FeedEntry],
) -> None:
    """Insert first-seen items and update those whose published event changed (the caller
    commits)."""
    if new:
        session.execute(
            sa.insert(FeedEntryRow),
            [
                {
                    "programme_id": programme_id,
                    "item_code": code,
                    "due": e.due,
                    "sequence": e.sequence,
                    "changed_at": e.changed_at,
                    "fingerprint": e.fingerprint,
                    "cancelled": e.cancelled,
                }
                for code, e in new.items()
            ],
        )
    if changed:  # one executemany (the first build after migration 0013 changes every row)
        table: Any = FeedEntryRow.__table__
        f = table.c
        session.execute(
            sa.update(table)
            .where(f.programme_id == programme_id, f.item_code == sa.bindparam("code"))
            .values(
                due=sa.bindparam("new_due"),
                sequence=sa.bindparam("new_sequence"),
                changed_at=sa.bindparam("new_changed_at"),
                fingerprint=sa.bindparam("new_fingerprint"),
                cancelled=sa.bindparam("new_cancelled"),
            ),
            [
                {
                    "code": code,
                    "new_due": e.due,
                    "new_sequence": e.sequence,
                    "new_changed_at": e.changed_at,
                    "new_fingerprint": e.fingerprint,
                    "new_cancelled": e.cancelled,
                }
                for code, e in changed.items()
            ],
        )


def feed_meetings(session: Session, programme_id: str, prefix: str) -> dict[str, MeetingEntry]:
    """UID → the meeting as last published, of the UIDs starting with ``prefix`` (one body's)."""
    m = FeedMeetingRow
    query = sa.select(m.uid, m.timing, m.sequence, m.fingerprint, m.changed_at, m.cancelled).where(
        m.programme_id == programme_id, m.uid.startswith(prefix, autoescape=True)
    )
    out: dict[str, MeetingEntry] = {}
    rows = session.execute(query).tuples()
    for uid, timing, sequence, fingerprint, changed_at, cancelled in rows:
        at = _utc(changed_at)
        assert at is not None
        out[uid] = MeetingEntry(timing, sequence, fingerprint, at, bool(cancelled))
    return out


def save_feed_meetings(
    session: Session,
    programme_id: str,
    new: Mapping[str, MeetingEntry],
    changed: Mapping[str, MeetingEntry],
) -> None:
    """Insert first-published meetings, update those that changed (the caller commits)."""
    if new:
        session.execute(
            sa.insert(FeedMeetingRow),
            [
                {
                    "programme_id": programme_id,
                    "uid": uid,
                    "timing": e.timing,
                    "sequence": e.sequence,
                    "fingerprint": e.fingerprint,
                    "changed_at": e.changed_at,
                    "cancelled": e.cancelled,
                }
                for uid, e in new.items()
            ],
        )
    if changed:
        table: Any = FeedMeetingRow.__table__
        m = table.c
        session.execute(
            sa.update(table)
            .where(m.programme_id == programme_id, m.uid == sa.bindparam("key"))
            .values(
                timing=sa.bindparam("new_timing"),
                sequence=sa.bindparam("new_sequence"),
                fingerprint=sa.bindparam("new_fingerprint"),
                changed_at=sa.bindparam("new_changed_at"),
                cancelled=sa.bindparam("new_cancelled"),
            ),
            [
                {
                    "key": uid,
                    "new_timing": e.timing,
                    "new_sequence": e.sequence,
                    "new_fingerprint": e.fingerprint,
                    "new_changed_at": e.changed_at,
                    "new_cancelled": e.cancelled,
                }
                for uid, e in changed.items()
            ],
        )


def meetings_recorded(session: Session, programme_id: str, body_id: str) -> datetime | None:
    """When the body's newest one-off meeting was stored (``regie meeting add``), if any."""
    query = sa.select(sa.func.max(MeetingRow.recorded_at, type_=sa.String)).where(
        MeetingRow.programme_id == programme_id, MeetingRow.body_code == body_id
    )
    return _utc(session.execute(query).scalar())


# --- tokens -----------------------------------------------------------------------------------


def add_token(
    session: Session,
    programme_id: str,
    token_hash: str,
    scope: str,
    label: str | None,
    now: datetime,
) -> CalendarToken:
    row = CalendarTokenRow(
        programme_id=programme_id, token_hash=token_hash, scope=scope, label=label, created_at=now
    )
    session.add(row)
    session.flush()
    return _token(row)


def tokens(session: Session, programme_id: str) -> list[CalendarToken]:
    query = (
        sa.select(CalendarTokenRow)
        .where(CalendarTokenRow.programme_id == programme_id)
        .order_by(CalendarTokenRow.id)
    )
    return [_token(row) for row in session.scalars(query)]


def revoke_token(
    session: Session, programme_id: str, token_id: int, now: datetime
) -> tuple[bool, datetime] | None:
    """Revoke: (newly revoked, when it was revoked); None when no such token exists. Revoking
    twice keeps the first time: (False, that time)."""
    row = session.get(CalendarTokenRow, token_id)
    if row is None or row.programme_id != programme_id:
        return None
    if row.revoked_at is not None:
        return False, row.revoked_at
    row.revoked_at = now
    return True, now


_LOOKUP = sa.text(
    """
SELECT t.id, t.scope, t.label, t.created_at, t.last_used_at, t.revoked_at, t.served_etag,
       t.served_modified_at,
       (SELECT max(u.id) FROM status_updates u WHERE u.programme_id = t.programme_id),
       (SELECT max(r.id) FROM plan_revisions r WHERE r.programme_id = t.programme_id),
       (SELECT max(s.id) FROM item_states s WHERE s.programme_id = t.programme_id),
       (SELECT max(m.id) FROM meetings m WHERE m.programme_id = t.programme_id),
       t.programme_id,
       (SELECT max(x.id) FROM update_redactions x WHERE x.programme_id = t.programme_id)
FROM calendar_tokens t
WHERE t.token_hash = :h
"""
).columns(
    sa.column("id", sa.Integer),
    sa.column("scope", sa.String),
    sa.column("label", sa.Text),
    sa.column("created_at", CalendarTokenRow.__table__.c.created_at.type),
    sa.column("last_used_at", CalendarTokenRow.__table__.c.last_used_at.type),
    sa.column("revoked_at", CalendarTokenRow.__table__.c.revoked_at.type),
    sa.column("served_etag", sa.String),
    sa.column("served_modified_at", CalendarTokenRow.__table__.c.served_modified_at.type),
)


def lookup_token(
    session: Session | sa.Connection, programme_id: str | None, token_hash: str
) -> TokenLookup | None:
    """The token (revoked or not) and the watermarks that say whether a feed may have changed;
    None when no token has that hash (in ``programme_id``, unless that is None: any programme's,
    for when the plan file, and so the programme, cannot be read)."""
    row = session.execute(_LOOKUP, {"h": token_hash}).one_or_none()
    if row is None or (programme_id is not None and row[12] != programme_id):
        return None
    token = CalendarToken(*row[:8])
    return TokenLookup(
        token,
        str(row[12]),
        int(row[8] or 0),
        int(row[9] or 0),
        int(row[10] or 0),
        int(row[11] or 0),
        int(row[13] or 0),
    )


def mark_served(
    session: Session,
    token_id: int,
    *,
    etag: str | None = None,
    modified_at: datetime | None = None,
    used_at: datetime | None = None,
) -> None:
    values: dict[str, object] = {}
    if etag is not None:
        values["served_etag"] = etag
        values["served_modified_at"] = modified_at
    if used_at is not None:
        values["last_used_at"] = used_at
    if values:
        session.execute(
            sa.update(CalendarTokenRow).where(CalendarTokenRow.id == token_id).values(**values)
        )


def _token(row: CalendarTokenRow) -> CalendarToken:
    return CalendarToken(
        id=row.id,
        scope=row.scope,
        label=row.label,
        created_at=row.created_at,
        last_used_at=row.last_used_at,
        revoked_at=row.revoked_at,
        served_etag=row.served_etag,
        served_modified_at=row.served_modified_at,
        created_by=row.created_by,
        revoked_by=row.revoked_by,
    )


def _utc(value: datetime | str | None) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):  # SQLite aggregates (max) bypass the column type
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def watermarks(session: Session, programme_id: str) -> tuple[int, int, int, int, int]:
    """The newest status update, plan revision, item state, meeting and note redaction ids: a
    cheap "anything new?". A redaction (migration 0017) changes an update's note in place:
    whatever was computed from the updates before it is stale (``regie.office``)."""
    row = session.execute(
        sa.text(
            "SELECT (SELECT max(id) FROM status_updates WHERE programme_id = :p),"
            " (SELECT max(id) FROM plan_revisions WHERE programme_id = :p),"
            " (SELECT max(id) FROM item_states WHERE programme_id = :p),"
            " (SELECT max(id) FROM meetings WHERE programme_id = :p),"
            " (SELECT max(id) FROM update_redactions WHERE programme_id = :p)"
        ),
        {"p": programme_id},
    ).one()
    return (int(row[0] or 0), int(row[1] or 0), int(row[2] or 0), int(row[3] or 0),
            int(row[4] or 0))  # fmt: skip


def change_marks(connection: sa.Connection, programme_id: str) -> tuple[int, ...]:
    """:func:`watermarks` plus the calendar tokens' (newest id, number revoked): one indexed
    round trip that changes whenever a feed or a token's validity may have changed."""
    row = connection.execute(
        sa.text(
            "SELECT (SELECT max(id) FROM status_updates WHERE programme_id = :p),"
            " (SELECT max(id) FROM plan_revisions WHERE programme_id = :p),"
            " (SELECT max(id) FROM item_states WHERE programme_id = :p),"
            " (SELECT max(id) FROM meetings WHERE programme_id = :p),"
            " (SELECT max(id) FROM calendar_tokens WHERE programme_id = :p),"
            " (SELECT count(revoked_at) FROM calendar_tokens WHERE programme_id = :p),"
            " (SELECT max(id) FROM update_redactions WHERE programme_id = :p)"
        ),
        {"p": programme_id},
    ).one()
    return tuple(int(value or 0) for value in row)
