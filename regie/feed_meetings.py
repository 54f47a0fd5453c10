"""A calendar feed's meeting events: a governance body's meetings, compared with what was last
published (``feed_meetings``), and the ones that left the schedule published cancelled. See
:mod:`regie.feeds`."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from regie.bootstrap import App
from regie.feed_events import (
    ONE_SECOND,
    _fingerprint,
    _recording,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from feeds.model import FeedMeeting
    from governance.plan import Plan
    from store.feeds import MeetingEntry


DEFAULT_MEETING_MINUTES = 120  # a body without a meetings block (one-off meetings only)


#: Days a meeting that left the schedule stays in its body's feed as cancelled, counted from the
#: later of its old day and the day its cancellation was first published.
CANCELLED_MEETING_DAYS = 90


def body_meetings(
    app: App, plan: Plan, body_id: str, file_time: datetime, as_of: date, *, record: bool = True
) -> list[FeedMeeting]:
    """A governance body's meetings (plan schedule and one-off ones, :func:`regie.reports.
    meetings`): timed events in UTC when a start time is known, else all-day events.

    Each meeting is compared with what was last published (``feed_meetings``): moved times
    raise SEQUENCE; changed content moves the stamps to the change (the plan file's time
    ``file_time``, or the body's newest one-off meeting's), never earlier than a second after
    the stamp published before; an unchanged meeting keeps its stamps whatever else changed.

    A meeting published before that is no longer in the schedule (its date moved: the UID holds
    the date) stays in the feed as ``STATUS:CANCELLED`` at its old times, SEQUENCE raised once,
    so calendars remove or strike it rather than keep it or drop it unseen; it is left out once
    both its day and the day its cancellation was published are more than
    ``CANCELLED_MEETING_DAYS`` before ``as_of``. One that comes back raises SEQUENCE again.
    Past meetings are all returned: :func:`build_feed` leaves out those before
    ``calendar.feed_keep_done_months`` and moves Last-Modified to the day they left.
    ``record``: remember what was published (not for a read-only look at another day)."""
    from feeds.ics import utc_stamp
    from feeds.model import FeedMeeting
    from regie.reports import meetings
    from store import feeds as store

    pid = plan.programme.id
    zone = ZoneInfo(plan.calendar.timezone)
    body = next(b for b in plan.governance if b.id == body_id)
    length = timedelta(minutes=body.meetings.duration if body.meetings else DEFAULT_MEETING_MINUTES)
    found = meetings(app, body_id, plan=plan)
    members = tuple(plan.owner_names(body.members))  # as the pack and the web pages name them
    about = (body.purpose, members)  # in every event's text (feeds/templates/events.ics.j2)
    example = body.meetings is not None and body.meetings.example
    out = []
    with _recording(app) as session:
        memory = store.feed_meetings(session, pid, f"{body_id}-")
        recorded = store.meetings_recorded(session, pid, body_id)
        change = max(file_time, recorded or file_time).replace(microsecond=0)
        new: dict[str, MeetingEntry] = {}
        changed: dict[str, MeetingEntry] = {}

        def publish(
            uid: str, timing: str, location: str | None, description: object, cancelled: bool
        ) -> tuple[int, datetime]:
            before = memory.get(uid)
            if before is None:
                sequence = 0
            else:
                moved = before.timing != timing or before.cancelled != cancelled
                sequence = before.sequence + moved
            mark = _fingerprint(
                uid, body.name, timing, location, description, about, cancelled, sequence
            )
            if before is not None and before.fingerprint == mark:
                return sequence, before.changed_at
            stamp = change if before is None else max(change, before.changed_at + ONE_SECOND)
            (new if before is None else changed)[uid] = store.MeetingEntry(
                timing, sequence, mark, stamp, cancelled
            )
            return sequence, stamp

        for m in found:
            uid = _meeting_uid(body_id, m.on, pid)
            at = m.time or time()
            start = datetime.combine(m.on, at, zone).astimezone(UTC)
            end = start + length
            all_day = m.time is None
            timing = m.on.isoformat() if all_day else f"{utc_stamp(start)}/{utc_stamp(end)}"
            description = m.note or ""
            # An example plan's date (the schedule, not a one-off meeting added since).
            sample = example and m.source == "plan"
            fingerprinted = (description, "voorbeelddatum") if sample else description
            sequence, stamp = publish(uid, timing, m.location, fingerprinted, False)
            out.append(
                FeedMeeting(
                    uid=uid,
                    title=body.name,
                    start=start,
                    end=end,
                    location=m.location,
                    description=description or None,
                    url=None,
                    cancelled=False,
                    sequence=sequence,
                    last_modified=stamp,
                    all_day=all_day,
                    day=m.on,
                    purpose=body.purpose,
                    members=members,
                    example=sample,
                )
            )
        scheduled = {e.uid for e in out}
        moves = _told_moves(session, pid, body_id, {m.on for m in found})
        keep_from = as_of - timedelta(days=CANCELLED_MEETING_DAYS)
        for uid, before in sorted(memory.items()):
            day = _meeting_day(uid, body_id, pid)
            if uid in scheduled or day is None:
                continue  # still scheduled, or another body's whose id starts with this one's
            times = _published_times(before.timing, day, zone)
            if times is None:
                continue
            published_on = before.changed_at.astimezone(zone).date() if before.cancelled else as_of
            if max(day, published_on) < keep_from:
                continue  # long gone: every calendar has seen it cancelled
            moved_to = moves.get(day)
            # A move the members were told of says where it went (walk56d 7), as their notice
            # did; the fingerprint keeps a plain cancellation's as it was.
            told = moved_to.isoformat() if moved_to else ""
            sequence, stamp = publish(uid, before.timing, None, told, True)
            out.append(
                FeedMeeting(
                    uid=uid,
                    title=body.name,
                    start=times[0],
                    end=times[1],
                    location=None,
                    description=None,
                    url=None,
                    cancelled=True,
                    sequence=sequence,
                    last_modified=stamp,
                    all_day="/" not in before.timing,
                    day=day,
                    purpose=body.purpose,
                    members=members,
                    moved_to=moved_to,
                )
            )
        if record:
            store.save_feed_meetings(session, pid, new, changed)
    out.sort(key=_meeting_on)  # stable: the schedule's order within a day
    return out


def _told_moves(
    session: Session, programme_id: str, body_id: str, scheduled: set[date]
) -> dict[date, date]:
    """Old day → new day of the body's meetings whose members were told they moved (the
    notices' keys, ``meeting-moved:<body>:<old>:<new>:…``), where the new day is still in the
    schedule: what the feed says of the old day. A move nobody was told of stays a plain
    cancellation, as does one whose new day left again."""
    from store.meeting_days import outbox_keys

    prefix = f"meeting-moved:{body_id}:"
    moves: dict[date, date] = {}
    for key in sorted(outbox_keys(session, programme_id, prefix)):
        parts = key[len(prefix) :].split(":")
        try:
            old, new = date.fromisoformat(parts[0]), date.fromisoformat(parts[1])
        except (IndexError, ValueError):
            continue
        if new in scheduled:
            moves[old] = max(new, moves.get(old, new))
    return moves


def _meeting_on(meeting: FeedMeeting) -> date:
    """A meeting's day (for a timed one, its start's UTC date as before)."""
    return meeting.day or meeting.start.date()


def _meeting_uid(body_id: str, on: date, programme_id: str) -> str:
    """A meeting's UID: the body, the day and the programme (a meeting that moves to another
    day is another event; the old one is published cancelled)."""
    return f"{body_id}-{on.isoformat()}@{programme_id}.regie"


def _meeting_day(uid: str, body_id: str, programme_id: str) -> date | None:
    """The day in a meeting's UID of this body (:func:`_meeting_uid`), else None."""
    text = uid.removeprefix(f"{body_id}-").removesuffix(f"@{programme_id}.regie")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if _meeting_uid(body_id, day, programme_id) == uid else None


def _published_times(timing: str, day: date, zone: ZoneInfo) -> tuple[datetime, datetime] | None:
    """Start and end (UTC) of a meeting as last published: ``timing`` is ``START/END`` in UTC
    stamps or the day of an all-day event; None for text of another form."""
    if "/" not in timing:
        start = datetime.combine(day, time(), zone).astimezone(UTC)
        return start, start + timedelta(days=1)
    try:
        start_text, end_text = timing.split("/")
        start = datetime.strptime(start_text, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        end = datetime.strptime(end_text, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None
    return start, end
