"""Calendar feeds: build a scope's .ics from the plan, the assessment and the store; serve it to
a token with a strong ETag; create, list and revoke tokens.

How items appear (README "Calendar feeds" says the same for users):
- a dated item (quarter, month, season, year, exact date, a range, a dependent item whose
  dependencies are done) is one all-day event on its due date, the last day of its period; a
  range is one event on its end, not a bar across the range;
- open-ended (``Vanaf 2016``), periodic (``Periodiek``), undated (``Ntb``) and waiting items
  (dependencies not done) have no date and are not in feeds; the web page lists them;
- done items stay (state *gereed*); cancelled items and items that left the plan are
  ``STATUS:CANCELLED`` on their last date, so calendars remove or strike them;
- a slipped item stays on its promised date, its forecast in the description;
- the owner's latest note is in the description only in the ``contact:`` feed of the contact
  who wrote it (:meth:`feeds.scope.Scope.shows_note`): free text can hold personal data, and
  every other feed is shared wider than its writer chose (an organisation may be a group of
  independent parties, as ``medeoverheden``; the programme's and a step's feeds are handed on
  widely);
- a governance body's feed holds its meetings (plan schedule and one-off meetings): timed
  events in UTC when the start time is known, as long as the body's ``meetings.duration``
  (minutes, default 120: neither the plan nor ``regie meeting add`` gives an end time),
  all-day otherwise; a meeting's UID holds its day, so one that moves to another day is a new
  event there, and its old day stays ``STATUS:CANCELLED`` for ``CANCELLED_MEETING_DAYS``.

What was published is remembered per event (``feed_entries``, ``feed_meetings``): ``SEQUENCE``
rises when an item's date moves or it is cancelled or comes back (RFC 5546 §3.2.5: a cancelled
event's SEQUENCE MUST be incremented), when a meeting's times move or it leaves the schedule or
comes back; ``DTSTAMP`` and ``LAST-MODIFIED`` move only when the event's content changes (a
fingerprint of everything else), to the time of that change: the item's newest change in the
store, or the plan file's time when the file has not been synced yet (the edit is that change),
and always later than the stamp published before. An unchanged event keeps its stamps, also
across the sync that stores the edit. A feed built without ``record`` (``regie calendar
export`` for another day than today) is computed against that memory and changes nothing in it.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import threading
import weakref
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import quote
from zoneinfo import ZoneInfo

from regie.bootstrap import App
from regie.errors import InvalidInput
from regie.services import today

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.orm import Session

    from feeds.model import FeedDecision, FeedItem, FeedMeeting
    from feeds.scope import Scope
    from governance.assessment import Assessment, ItemAssessment
    from governance.decisions import Decision
    from governance.plan import Plan
    from store.feeds import ArchivedItem, FeedEntry, MeetingEntry

FEED_FORMAT = "1"  # part of every ETag key: bump when the feed's layout changes
CACHE_SECONDS = 300  # Cache-Control max-age; calendars are told to refresh hourly
TOKEN_BYTES = 24  # 192 bits of randomness
_TOKEN_TEXT = re.compile(r"[A-Za-z0-9_-]{16,128}")
_MEMO_SIZE = 64
DEFAULT_MEETING_MINUTES = 120  # a body without a meetings block (one-off meetings only)
#: Days a meeting that left the schedule stays in its body's feed as cancelled, counted from the
#: later of its old day and the day its cancellation was first published.
CANCELLED_MEETING_DAYS = 90


class Event(NamedTuple):
    """An item's event in the forms the scopes pick from, with what they filter on."""

    step: int
    owners: tuple[str, ...]  # organisation ids
    author: str | None  # who wrote the note in ``noted``
    plain: FeedItem  # no note, no link: every feed but the two below
    noted: FeedItem  # with the note: its writer's own feed (Scope.shows_note)
    office: FeedItem  # with the office's (login) link: the programme's feed (Scope.office_link)
    finished: date | None = None  # done or dropped (or left the plan) on this day

    def kept(self, kept_from: date) -> bool:
        """Whether the event is still in feeds: an open item's always; a done or dropped
        one's while its date or the day it was finished is on or after ``kept_from``
        (:func:`keep_since`). Both are fixed for the day: two fetches get the same bytes."""
        if self.plain.state not in FINISHED:
            return True
        return _last_day(self) >= kept_from

    def pick(self, scope: Scope) -> FeedItem:
        if scope.shows_note(self.author):
            return self.noted
        return self.office if scope.office_link else self.plain


# What an item's event was made from: (assessment, feed entry, change time, event or None).
_Made = tuple["ItemAssessment", "FeedEntry | None", "datetime | None", "Event | None"]
RETRY_SECONDS = 300  # Retry-After of a 503 while no feed can be built
ONE_SECOND = timedelta(seconds=1)

log = logging.getLogger("regie.feeds")


class FeedUnavailable(Exception):
    """No feed can be built now (the plan file cannot be read, and this process has read no
    good version of it): a 503 with Retry-After; the problem itself is in the server's log."""


@dataclass(frozen=True, slots=True)
class Feed:
    body: bytes
    etag: str  # strong: a hash of the bytes
    changed_at: datetime  # the newest change of anything in it (UTC, whole seconds)


@dataclass(frozen=True, slots=True)
class Served:
    status: int  # 200, or 304 when If-None-Match already has these bytes
    body: bytes
    etag: str
    last_modified: datetime
    token_id: int = 0
    last_used: datetime | None = None  # as stored after this request
    ended: bool = False  # an ended subscription's calendar (:func:`ended_feed`)


@dataclass(frozen=True, slots=True)
class NewToken:
    id: int
    scope: str
    token: str  # shown once; only its hash is stored
    url: str
    webcal_url: str
    events: int | None = None  # events the feed holds now (None: not known); 0 deserves a word


# --- building -------------------------------------------------------------------------------


def export_feed(
    app: App, scope_text: str, as_of: date | None = None, *, record: bool | None = True
) -> bytes:
    """The feed for ``scope_text`` (``regie calendar export``). ``record``: remember what was
    published, as the server does (the server's next build then agrees); None: only when
    ``as_of`` is today — a feed for another day is a read-only look, which leaves the memory,
    and so the stamps the server publishes next, as they were."""
    plan = app.load_plan()
    scope = _scope(scope_text, plan)
    day = today(app, plan)
    as_of = as_of or day
    keep = record if record is not None else as_of == day
    return build_feed(app, plan, scope, as_of, record=keep).body


def build_feed(
    app: App,
    plan: Plan,
    scope: Scope,
    as_of: date,
    version: str | None = None,
    *,
    record: bool = True,
) -> Feed:
    """``version``: the plan file version ``plan`` was read at (:func:`current_plan`); without
    it the file is looked at now (a plan replaced since would be cached under the new one).
    ``record``: save the feed memory (``feed_entries``, ``feed_meetings``); without it the feed
    is computed against that memory and nothing is written or cached."""
    from sqlalchemy.exc import IntegrityError

    for attempt in (1, 2):
        try:
            return _build(app, plan, scope, as_of, version, record)
        except IntegrityError:
            if attempt == 2:  # another request recorded the same new items: read them again
                raise
    raise AssertionError("unreachable")


#: True while a feed request builds its feed: its writes wait only briefly for another
#: connection's lock (a request answers unrecorded rather than wait the lock timeout).
_serving: ContextVar[bool] = ContextVar("regie_feed_serving", default=False)


@contextmanager
def _recording(app: App, *, brief: bool = False) -> Iterator[Session]:
    """A session in a transaction for the feed memory's reads and writes; during a feed
    request (or ``brief``) its statements wait at most a second for a lock
    (:func:`store.lock_wait.brief_lock_wait`); a ``regie calendar`` command waits as any other."""
    from store.lock_wait import brief_lock_wait

    with app.session() as session, session.begin():
        if brief or _serving.get():
            with brief_lock_wait(session):
                yield session
        else:
            yield session


def _build(
    app: App, plan: Plan, scope: Scope, as_of: date, version: str | None, record: bool
) -> Feed:
    from feeds.ics import render_feed
    from regie.plan_cache import cached_facts, clear_facts, plan_version, version_time
    from store import feeds as store

    pid = plan.programme.id
    version = version or plan_version(app)
    fallback = version_time(version)  # when that version of the plan file was written
    try:
        with _recording(app) as session:
            key = ("feeds", as_of, version, app.settings.base_url,
                   store.watermarks(session, pid))  # fmt: skip
            if record:
                facts = cached_facts(
                    key, pid, lambda: _programme_events(app, session, plan, key, fallback)
                )
            else:  # not cached: the next build must not take these unsaved stamps for saved
                facts = _programme_events(app, session, plan, key, fallback, record=False)
    except Exception:
        clear_facts()  # the feed memory may not have been saved: compute it again next time
        raise
    scheduled = (
        body_meetings(app, plan, scope.value, fallback, as_of, record=record)
        if scope.kind == "body"
        else []
    )
    # Long past meetings leave the feed (still remembered by body_meetings: their UIDs stay
    # "scheduled", never published cancelled); a meeting still to come is always kept.
    kept_from = keep_since(plan, as_of)
    meetings = [m for m in scheduled if _meeting_on(m) >= kept_from]
    # A note only in its writer's own feed (notes can hold personal data); the office's link
    # only in the programme's feed (the page is behind the login).
    in_scope = [e for e in facts["events"] if scope.includes_archived(e.step, e.owners, plan)]
    items = [e.pick(scope) for e in in_scope if e.kept(kept_from)]
    undated = sum(1 for step, owners in facts["undated"]
                  if scope.includes_archived(step, list(owners), plan))  # fmt: skip
    body = render_feed(_header(plan, scope, undated, app.settings.base_url), items, meetings)
    stamps = [i.last_modified for i in items] + [m.last_modified for m in meetings]
    # Last-Modified never goes back while the bytes change (If-Modified-Since clients would
    # keep what left): also the start of the day the newest finished event or past meeting
    # left the window, and the last change of any item the description's undated count is
    # made from.
    gone = [_last_day(e) for e in in_scope if not e.kept(kept_from)]
    gone += [_meeting_on(m) for m in scheduled if _meeting_on(m) < kept_from]
    if gone:
        zone = ZoneInfo(plan.calendar.timezone)
        left = _left_on(plan, max(gone), as_of)
        stamps.append(datetime.combine(left, time(), zone).astimezone(UTC))
    stamps += [at for step, owners, at in facts.get("undated_changes", ())
               if scope.includes_archived(step, list(owners), plan)]  # fmt: skip
    changed_at = max(stamps, default=fallback)
    return Feed(body, '"' + hashlib.sha256(body).hexdigest()[:40] + '"', changed_at)


def _programme_events(
    app: App,
    session: Session,
    plan: Plan,
    key: tuple[Any, ...],
    file_time: datetime,
    *,
    record: bool = True,
) -> dict[str, Any]:
    """Every item's event for the whole programme, with the step and owner ids a scope filters
    on: computed once per (day, plan version, store watermarks), shared by every scope. The
    assessment is the office pages' when they computed it for the same key (one per change).
    On the same day, plan and base URL, an item's event is reused when its assessment (the
    same object: not judged again), feed entry and change time are those of the last build.
    ``file_time``: when the plan file read was written; ``record``: save the feed memory."""
    from regie.office import shared_assessment, store_identity
    from regie.plan_cache import previous_facts
    from store import feeds as store
    from store.reports_repo import ReportsRepository

    pid = plan.programme.id
    as_of = key[1]
    before_key, before = previous_facts(pid, "feeds")
    database = store_identity(app)  # not the URL: it may hold a password
    same = before_key[1:4] == key[1:4] and before.get("store") == database
    reuse = before.get("by_item", {}) if same else {}
    zone = ZoneInfo(plan.calendar.timezone)
    changes, memory = _change_times(session, pid, database)
    for code, day in store.state_changes(session, pid, as_of).items():
        at = datetime.combine(day, time(), zone).astimezone(UTC)
        if code not in changes or at > changes[code]:
            changes[code] = at
    assessment = shared_assessment(app, session, plan, as_of, key[2])
    archived = store.archived_items(session, pid)
    # Not the synced plan: an edit waits for the next sync. Items taken out of the file since
    # are cancelled in the calendar now, as after it (left out, a calendar would drop the event
    # until the sync brought it back cancelled); an event whose content changed is stamped with
    # the file's time at least (the edit), not only the store's older change.
    unsynced = not store.synced_from(session, pid, plan.source_hash)
    if unsynced:
        in_file = {d.item_id for d in plan.deadlines()} | {a.id for a in plan.actions()}
        archived += store.left_the_file(session, pid, in_file, file_time)
    entries = store.feed_entries(session, pid)
    stamps = _Stamps(changes, file_time, file_time if unsynced else None)
    decided = _decided(plan, ReportsRepository(session, pid).decisions(None), as_of)
    events, by_item, published = _items(
        app, plan, assessment, archived, entries, stamps, reuse, decided
    )
    if record:
        store.save_feed_entries(session, pid, *published)
    # Open items without a date (Ntb, periodic, open-ended, waiting): no event, but each
    # calendar's description counts its scope's (filtered as the events are).
    undated = [(i.step, tuple(i.owners)) for i in assessment.items.values()
               if i.due is None and i.state.value not in FINISHED]  # fmt: skip
    # Every item without a date, finished or not, with its last change: the description's
    # count moves only when one of them changes, so Last-Modified moves with it.
    undated_changes = [(i.step, tuple(i.owners), stamps.change(i.item_id))
                       for i in assessment.items.values() if i.due is None]  # fmt: skip
    return {"events": events, "by_item": by_item, "undated": undated,
            "undated_changes": undated_changes, **memory}  # fmt: skip


def _change_times(
    session: Session, pid: str, store_id: str
) -> tuple[dict[str, datetime], dict[str, Any]]:
    """Item code → when it last changed in the store (a plan revision or a status update), and
    what to remember for next time. Updates are append-only: after the first build only those
    with an id above the last build's ``seen`` mark are read and folded in (the mark from
    :func:`store.memory.newest_update_id`, read first: on PostgreSQL ids can commit out of
    order). Revisions are read again whenever their (newest id, number) moved."""
    from regie.plan_cache import previous_facts
    from store import feeds as store
    from store.memory import newest_update_id

    _, before = previous_facts(pid, "feeds")
    seen = newest_update_id(session, before["seen"]) if before.get("store") == store_id else 0
    if not seen or seen < before["seen"]:
        before = {}  # another database (tests, tools) or one restored from a backup: afresh
        seen = newest_update_id(session)
    mark = store.revision_mark(session, pid)
    if before.get("revision_mark") == mark:
        revisions: dict[str, datetime] = before["revisions"]
    else:
        revisions = store.revision_changes(session, pid)
    if before:
        updates = dict(before["updates"])  # the cached facts stay as they were
        store.fold_changes(updates, store.update_changes(session, pid, before["seen"]))
    else:
        updates = store.update_changes(session, pid)
    changes = dict(revisions)
    store.fold_changes(changes, updates)
    memory = {
        "store": store_id,  # regie.office.store_identity
        "revision_mark": mark,
        "revisions": revisions,
        "seen": seen,
        "updates": updates,
    }
    return changes, memory


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
    names = {o.id: o.name for o in plan.organisations}
    members = tuple(names.get(m, m) for m in body.members)
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
            sequence, stamp = publish(uid, before.timing, None, "", True)
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
                )
            )
        if record:
            store.save_feed_meetings(session, pid, new, changed)
    out.sort(key=_meeting_on)  # stable: the schedule's order within a day
    return out


def _meeting_on(meeting: FeedMeeting) -> date:
    """A meeting's day (for a timed one, its start's UTC date as before)."""
    return meeting.day or meeting.start.date()


def _last_day(event: Event) -> date:
    """The day a finished event is kept from (:meth:`Event.kept`)."""
    return max(event.plain.due, event.finished or event.plain.due)


def _left_on(plan: Plan, last: date, as_of: date) -> date:
    """The first day an event whose :func:`_last_day` is ``last`` was no longer kept, never
    after ``as_of`` (month ends clamp, so found by stepping a few days from the estimate)."""
    from governance.progress import add_months

    day = add_months(last, plan.calendar.feed_keep_done_months) - timedelta(days=4)
    while day < as_of and keep_since(plan, day) <= last:
        day += timedelta(days=1)
    return min(day, as_of)


def keep_since(plan: Plan, as_of: date) -> date:
    """The first day a done or dropped item, or a past meeting, still shows in feeds:
    ``calendar.feed_keep_done_months`` before ``as_of`` (a big programme's feed would otherwise
    grow for ever with years of finished work)."""
    from governance.progress import add_months

    return add_months(as_of, -plan.calendar.feed_keep_done_months)


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


def _fingerprint(*parts: object) -> str:
    """What a subscriber receives of an event, but its stamps: equal parts, equal text."""
    text = repr((FEED_FORMAT, *parts)).encode()
    return hashlib.blake2b(text, digest_size=16).hexdigest()


@dataclass(frozen=True, slots=True)
class _Stamps:
    """What an item's changed event is stamped with."""

    changes: dict[str, datetime]  # item code → its newest change in the store
    fallback: datetime  # no change known: the plan file's time
    unsynced: datetime | None  # the plan file's time when it is not the synced plan

    def change(self, code: str, *more: datetime | None) -> datetime:
        known = [t for t in (self.changes.get(code), *more, self.unsynced) if t is not None]
        return max(known, default=self.fallback).replace(microsecond=0)


def _publish(
    code: str,
    entry: FeedEntry | None,
    due: date,
    cancelled: bool,
    stamps: _Stamps,
    more: datetime | None,
    content: tuple[object, ...],
    published: tuple[dict[str, FeedEntry], dict[str, FeedEntry]],
) -> tuple[int, datetime]:
    """An item event's SEQUENCE and stamp against what was last published (``entry``), its new
    memory added to ``published`` (new, changed) when the event changed. ``content``: the
    event's other values; ``more``: another change time (an archived item's)."""
    from store.feeds import FeedEntry

    if entry is None:
        sequence = 0
    else:
        status_moved = entry.cancelled is not None and entry.cancelled != cancelled
        sequence = entry.sequence + (entry.due != due or status_moved)
    mark = _fingerprint(*content, cancelled, sequence)
    if entry is not None and entry.fingerprint == mark and entry.changed_at is not None:
        return sequence, entry.changed_at
    if entry is None:
        stamp = stamps.change(code, more)
    elif entry.fingerprint is None and sequence == entry.sequence:
        # Stored before the fingerprints (migration 0013): stamped as then, so that upgrading
        # moves no stamp; the fingerprint is recorded now.
        known = [t for t in (stamps.changes.get(code), entry.changed_at, more) if t is not None]
        stamp = max(known, default=stamps.fallback).replace(microsecond=0)
    else:
        stamp = stamps.change(code, more)
        if entry.changed_at is not None:
            stamp = max(stamp, entry.changed_at.replace(microsecond=0) + ONE_SECOND)
    (published[0] if entry is None else published[1])[code] = FeedEntry(
        due, sequence, stamp, mark, cancelled
    )
    return sequence, stamp


def _items(
    app: App,
    plan: Plan,
    assessment: Assessment,
    archived: list[ArchivedItem],
    entries: dict[str, FeedEntry],
    stamps: _Stamps,
    reuse: Mapping[str, _Made],
    decided: Mapping[str, FeedDecision] | None = None,
) -> tuple[list[Event], dict[str, _Made], tuple[dict[str, FeedEntry], dict[str, FeedEntry]]]:
    """Events with (step, owner ids): what :meth:`Scope.includes_archived` filters on; per
    current item what its event was made from (``reuse`` next time); and the feed memory to
    save (new and changed entries: :func:`_publish`)."""
    from feeds.model import FeedItem
    from governance.labels import rag_label, state_label
    from regie.plan_cache import plan_index

    pid = plan.programme.id
    base = app.settings.base_url
    org_names = {o.id: o.name for o in plan.organisations}
    actions = {a.id: f"{a.id} {a.title}" for a in plan.actions()}
    deadlines = plan_index(plan)[0].deadlines
    period_ends = {d.item_id: d.period.end for d in deadlines if d.period is not None}
    exact = {d.item_id for d in deadlines if d.period is not None and d.period.kind == "date"}
    decided = decided or {}
    out: list[Event] = []
    made: dict[str, _Made] = {}
    published: tuple[dict[str, FeedEntry], dict[str, FeedEntry]] = ({}, {})

    for item in assessment.items.values():
        code = item.item_id
        entry, change = entries.get(code), stamps.changes.get(code)
        known = reuse.get(code)
        if known is not None and known[0] is item and known[1] == entry and known[2] == change:
            made[code] = known
            if known[3] is not None:
                out.append(known[3])
            continue
        due = item.due or _finished_date(item, entries, period_ends)
        made[code] = (item, entry, change, None)
        if due is None:
            continue
        latest = item.latest_update
        uid, url = f"{code}@{pid}.regie", f"{base}/items/{quote(code)}"
        action = actions.get(item.action_id, item.action_id)
        owners = tuple(org_names.get(o, o) for o in item.owners)
        state, cancelled = item.state.value, item.state.value == "cancelled"
        labels = (state_label(state), rag_label(item.rag.value))
        note = latest.comment if latest else None
        decision = decided.get(code)
        content = (uid, code, item.title, item.gereed, due, item.step, action, owners, state,
                   *labels, item.forecast, note, url,
                   *((decision,) if decision else ()))  # fmt: skip
        sequence, stamp = _publish(code, entry, due, cancelled, stamps, None, content, published)
        event = FeedItem(
            uid=uid,
            item_id=code,
            title=item.title,
            gereed=item.gereed,
            due=due,
            step=item.step,
            action=action,
            owners=owners,
            state=state,
            state_label=labels[0],
            rag_label=labels[1],
            forecast=item.forecast,
            latest_note=note,
            url=url,
            cancelled=cancelled,
            sequence=sequence,
            last_modified=stamp,
            by_end=code not in exact,
            decided=decision,
        )
        plain = replace(event, latest_note=None, url=None)
        made_event = Event(
            step=item.step,
            owners=tuple(item.owners),
            author=latest.author if latest and note else None,
            plain=plain,
            noted=replace(event, url=None) if note is not None else plain,
            office=replace(event, latest_note=None) if note is not None else event,
            finished=item.completed_on,
        )
        saved = published[0].get(code) or published[1].get(code) or entry
        made[code] = (item, saved, change, made_event)
        out.append(made_event)
    current = set(assessment.items)
    for gone in archived:
        if gone.due is None or gone.code in current:
            continue
        code = gone.code
        uid, url = f"{code}@{pid}.regie", f"{base}/items/{quote(code)}"
        action = actions.get(gone.action_code, gone.action_code)
        owners = tuple(org_names.get(o, o) for o in gone.owners)
        labels = ("uit het plan gehaald", rag_label("grey"))
        content = (uid, code, gone.title, gone.gereed, gone.due, gone.step, action, owners,
                   "cancelled", *labels, None, None, url)  # fmt: skip
        sequence, stamp = _publish(
            code, entries.get(code), gone.due, True, stamps, gone.archived_at, content, published
        )
        event = FeedItem(
            uid=uid,
            item_id=code,
            title=gone.title,
            gereed=gone.gereed,
            due=gone.due,
            step=gone.step,
            action=action,
            owners=owners,
            state="cancelled",
            state_label=labels[0],
            rag_label=labels[1],
            forecast=None,
            latest_note=None,
            url=url,
            cancelled=True,
            sequence=sequence,
            last_modified=stamp,
            by_end=code not in exact,
        )
        plain = replace(event, url=None)  # no note: it left the plan
        left = gone.archived_at.date()  # when it left the plan
        out.append(Event(gone.step, tuple(gone.owners), None, plain, plain, event, left))
    return out, made, published


def _decided(plan: Plan, decisions: list[Decision], as_of: date) -> dict[str, FeedDecision]:
    """Item → the decision that set its date or dropped it last (by meeting, up to ``as_of``),
    as its event's description tells it (calendar review, finding 8)."""
    from feeds.model import FeedDecision
    from governance.decisions import DecisionKind, decision_label

    latest: dict[str, Decision] = {}
    for d in decisions:
        if d.item_id is None or d.meeting_on > as_of:
            continue
        if d.kind not in (DecisionKind.SET_GEREED, DecisionKind.CANCEL):
            continue
        before = latest.get(d.item_id)
        if before is None or (d.meeting_on, d.id or 0) >= (before.meeting_on, before.id or 0):
            latest[d.item_id] = d
    return {
        code: FeedDecision(str(d.kind), decision_label(plan, d), d.text, d.gereed_before)
        for code, d in latest.items()
    }


FINISHED = ("done", "cancelled")


def _finished_date(
    item: ItemAssessment, entries: dict[str, FeedEntry], period_ends: dict[str, date | None]
) -> date | None:
    """A done or cancelled item has no due date in the assessment; it stays on the date it was
    last published on (or its period's end), so the calendar shows it finished, not gone."""
    if item.state.value not in ("done", "cancelled"):
        return None
    entry = entries.get(item.item_id)
    return entry.due if entry is not None and entry.due else period_ends.get(item.item_id)


def _header(plan: Plan, scope: Scope, undated: int = 0, base_url: str = "") -> Any:
    from feeds.model import FeedHeader

    short = plan.programme.short_title or plan.programme.title
    example = False
    if scope.kind == "org":
        org = plan.organisation(scope.value)
        # Without a bracketed explanation: calendar sidebars cut long names short.
        name = re.sub(r"\s*\(.*\)\s*$", "", org.name) if org else ""
        label = f"deadlines {name or scope.value}"
    elif scope.kind == "step":
        step = next((s for s in plan.steps if str(s.number) == scope.value), None)
        label = f"stap {scope.value}" + (f": {step.title}" if step else "")
    elif scope.kind == "contact":
        contact = next((c for c in plan.contacts if c.id == scope.value), None)
        label = f"deadlines voor {contact.name if contact else scope.value}"
    elif scope.kind == "body":
        body = next((b for b in plan.governance if b.id == scope.value), None)
        label = f"vergaderingen {body.name if body else scope.value}"
        example = body is not None and body.meetings is not None and body.meetings.example
    else:
        label = "alle deadlines"
    return FeedHeader(
        name=f"{short} – {label}",
        uid=f"{scope}@{plan.programme.id}.regie",
        description=_description(scope.kind, short, plan, undated, base_url, example),
    )


def _description(
    kind: str, programme: str, plan: Plan, undated: int, base_url: str, example: bool
) -> str:
    from feeds.ics import Described, describe
    from governance.office_names import office_names

    about = Described(
        kind=kind,
        programme=programme,
        office=office_names(plan.programme),
        undated=undated,
        overview=f"{base_url}/" if base_url else "",
        keep_months=plan.calendar.feed_keep_done_months,
        example=example,
    )
    return describe(about)


def _scope(text: str, plan: Plan) -> Scope:
    from feeds.scope import ScopeError, parse_scope

    try:
        return parse_scope(text, plan)
    except ScopeError as exc:
        raise InvalidInput(f"--scope: {exc}") from None


# --- serving ----------------------------------------------------------------------------------

_memo_lock = threading.Lock()
_memo: dict[tuple[object, ...], Feed] = {}


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


_warned_lock = threading.Lock()
_warned: dict[str, None] = {}  # plan file versions whose problem was logged


def feed_plan(app: App) -> tuple[Plan, str]:
    """The plan feeds are built from and its version: the file's, or while the file cannot be
    read the last version this process read well (its problem logged once per file version,
    as a warning: the subscriber is told nothing of it). :class:`FeedUnavailable` when there
    is none."""
    from regie.plan_cache import current_plan, last_good_plan, plan_version

    try:
        return current_plan(app)
    except InvalidInput as exc:
        try:
            version = plan_version(app)
        except InvalidInput:
            version = "missing"
        good = last_good_plan(app)
        with _warned_lock:
            first = version not in _warned
            if first:
                if len(_warned) >= _MEMO_SIZE:
                    _warned.pop(next(iter(_warned)))
                _warned[version] = None
        if first:
            served = "the last good version is served" if good else "no feed can be served"
            log.warning("calendar feeds: plan file unreadable, %s: %s", served,
                        "; ".join(exc.lines))  # fmt: skip
        if good is None:
            raise FeedUnavailable from None
        return good


def serve_token_feed(
    app: App, token: str, if_none_match: str | None, now: datetime
) -> Served | None:
    """The feed a token subscribes to, or None for a token that never existed (404).
    Unchanged data costs one small query and no rendering.

    A subscription that ended — the token revoked, its contact or the organisation, step or
    body it follows no longer in the plan — answers 200 with :func:`ended_feed`: a calendar
    without the old events and one that says so, because calendar apps keep the last copy of
    a feed that answers an error, stale deadlines and all, and show no error text. Only a
    holder of the link can ask (192 random bits: nobody finds a revoked token by trying), and
    the answer names neither scope nor person, so it tells them nothing they did not have.

    The token is checked before the plan file is read: an unknown or revoked one is answered
    whatever the file's state. A broken plan file serves the feed of the last version this
    process read well (:func:`feed_plan`); without one, :class:`FeedUnavailable`."""
    from sqlalchemy.exc import DBAPIError

    from feeds.scope import ScopeError, parse_scope
    from store import feeds as store

    if not _TOKEN_TEXT.fullmatch(token):
        return None
    app.ensure_schema()
    with app.engine.connect() as connection:  # no ORM session: this is the 304 fast path
        found = store.lookup_token(connection, None, token_hash(token))
    if found is None:
        return None
    t = found.token
    if t.revoked_at is not None:
        try:
            known: Plan | None = feed_plan(app)[0]
        except FeedUnavailable:
            known = None  # the ended calendar needs no plan: generic names
        if known is not None and found.programme_id != known.programme.id:
            return None
        return _ended(app, known, found.programme_id, "revoked", t, if_none_match, now)
    plan, version = feed_plan(app)
    if found.programme_id != plan.programme.id:
        return None  # another programme's token, in a database several programmes share
    as_of = today(app, plan)
    key = (
        FEED_FORMAT, t.scope, as_of, version, app.settings.base_url,
        found.last_update_id, found.last_revision_id, found.last_state_id, found.last_meeting_id,
        found.last_redaction_id,
    )  # fmt: skip
    feed = _memo.get(key)
    if feed is None:
        try:
            scope = parse_scope(t.scope, plan)
        except ScopeError:  # the contact, organisation, step or body left the plan
            reason = "contact_left" if t.scope.startswith("contact:") else "scope_left"
            return _ended(app, plan, plan.programme.id, reason, t, if_none_match, now)
        feed, recorded = _serving_build(app, plan, scope, as_of, version)
        if recorded:  # an unrecorded one is built again: the next request may record it
            with _memo_lock:
                if len(_memo) >= _MEMO_SIZE:
                    _memo.pop(next(iter(_memo)))
                _memo[key] = feed
    now = now.astimezone(UTC).replace(microsecond=0)
    served_etag, modified, used = None, t.served_modified_at, None
    if t.served_etag != feed.etag or modified is None:
        # New bytes for this subscriber: Last-Modified moves forward, never back.
        modified = feed.changed_at
        if t.served_modified_at is not None and modified <= t.served_modified_at:
            modified = max(now, t.served_modified_at + timedelta(seconds=1))
        served_etag = feed.etag
    if served_etag or t.last_used_at is None or now - t.last_used_at > timedelta(hours=1):
        used = now
    if served_etag or used:
        try:
            with _recording(app, brief=True) as session:
                store.mark_served(
                    session, t.id, etag=served_etag, modified_at=modified, used_at=used
                )
        except DBAPIError as exc:  # read-only or busy: the subscriber gets the feed anyway
            _write_refused(app, exc)
            used = None  # not stored: the fast path's memory queues it again (best effort)
    status = 304 if _matches(if_none_match, feed.etag) else 200
    return Served(status, feed.body, feed.etag, modified, t.id, used or t.last_used_at)


def ended_feed(app: App, plan: Plan | None, programme_id: str, reason: str, day: date) -> Feed:
    """The calendar of a subscription that ended (``reason``: revoked, contact_left,
    scope_left): :class:`feeds.ics.Ended`. The same for every such token of the programme on
    a day; its one event is on ``day`` (today), so it is seen where the subscriber looks."""
    from feeds.ics import Ended, render_ended
    from governance.office_names import office_names

    zone = ZoneInfo(plan.calendar.timezone if plan is not None else "Europe/Amsterdam")
    stamp = datetime.combine(day, time(), zone).astimezone(UTC)
    programme = ""
    if plan is not None:
        programme = plan.programme.short_title or plan.programme.title
    ended = Ended(
        reason=reason,
        programme=programme or "het programma",
        office=office_names(plan.programme if plan is not None else None),
        contact=app.settings.smtp.reply_to if app.settings.smtp else None,
        uid=f"beeindigd@{programme_id}.regie",
        day=day,
        stamp=stamp,
    )
    body = render_ended(ended)
    return Feed(body, '"' + hashlib.sha256(body).hexdigest()[:40] + '"', stamp)


def _ended(
    app: App,
    plan: Plan | None,
    programme_id: str,
    reason: str,
    token: Any,
    if_none_match: str | None,
    now: datetime,
) -> Served:
    """An ended subscription's answer (:func:`ended_feed`). Nothing is written: the token's
    served ETag and time stay as last served. Last-Modified is after anything served to it
    before (a client's If-Modified-Since must not keep the old feed), and after the end."""
    day = today(app, plan) if plan is not None else now.date()
    feed = ended_feed(app, plan, programme_id, reason, day)
    modified = feed.changed_at
    for before in (token.served_modified_at, token.revoked_at):
        if before is not None:
            modified = max(modified, before.astimezone(UTC).replace(microsecond=0) + ONE_SECOND)
    status = 304 if _matches(if_none_match, feed.etag) else 200
    return Served(status, feed.body, feed.etag, modified, token.id, token.last_used_at, True)


#: After a write a feed request could not make (a read-only role or file, a busy SQLite), how
#: long requests build their feed without recording it before one tries again.
RECORD_RETRY_SECONDS = 60.0
_refused_lock = threading.Lock()
_refused: weakref.WeakKeyDictionary[Engine, float] = weakref.WeakKeyDictionary()


def _serving_build(
    app: App, plan: Plan, scope: Scope, as_of: date, version: str
) -> tuple[Feed, bool]:
    """A feed request's build and whether its feed memory was recorded. Answering a GET needs
    no write: when recording fails (read-only transaction or role, read-only file, SQLite busy)
    the feed is computed against the memory as stored, unrecorded — the same bytes, since an
    event's stamps come from the data, not from the request — and recording is tried again
    after ``RECORD_RETRY_SECONDS``. The write is the feed memory's (``feed_entries``,
    ``feed_meetings``): it keeps SEQUENCE and the stamps of events whose content changes."""
    import time as clock

    from sqlalchemy.exc import DBAPIError

    with _refused_lock:
        since = _refused.get(app.engine)
    if since is None or clock.monotonic() - since >= RECORD_RETRY_SECONDS:
        serving = _serving.set(True)
        try:
            return build_feed(app, plan, scope, as_of, version), True
        except DBAPIError as exc:
            _write_refused(app, exc)
        finally:
            _serving.reset(serving)
    return build_feed(app, plan, scope, as_of, version, record=False), False


def _write_refused(app: App, exc: DBAPIError) -> None:
    """A feed request's write failed: logged (the kind of error, no statement or URL) at most
    once per ``RECORD_RETRY_SECONDS``, and recording paused as long."""
    import time as clock

    now = clock.monotonic()
    with _refused_lock:
        since = _refused.get(app.engine)
        first = since is None or now - since >= RECORD_RETRY_SECONDS
        if first:
            _refused[app.engine] = now
    if first:
        log.warning("calendar feeds: served without recording (%s: the database refused a "
                    "write); tried again in %d s", type(exc.orig).__name__,
                    RECORD_RETRY_SECONDS)  # fmt: skip


def gzip_etag(etag: str) -> str:
    """The ETag of a feed's gzip-compressed representation (``web.feeds``): another tag than
    the uncompressed one's, as RFC 9110 §8.8.3 asks of another representation."""
    return etag[:-1] + '-gzip"'


def _matches(if_none_match: str | None, etag: str) -> bool:
    """Whether ``If-None-Match`` holds ``etag`` or its gzip representation's tag (the same
    calendar once decoded: either copy a client holds is current)."""
    if not if_none_match:
        return False
    tags = (etag, gzip_etag(etag))
    for candidate in if_none_match.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") in tags:
            return True
    return False


class NotModified:
    """The 304 fast path's memory, one per web app: token hash → (ETag, response headers) as
    last served, valid while one shared "anything changed?" snapshot stays the same.

    The snapshot — plan file version, business day, :func:`store.feeds.change_marks` (data
    watermarks, newest token id, number of revoked tokens) — is read at most once every
    ``REFRESH_SECONDS`` for all requests together. Any change empties the memory, so a
    revocation (in this process or by ``regie calendar token revoke``) turns the next request
    into the full path, and the ended calendar, within ``REFRESH_SECONDS``. ``last used``
    updates for tokens answered here are collected and written at the next refresh, not one
    write per request.
    """

    REFRESH_SECONDS = 0.25

    def __init__(self, app: App) -> None:
        self._app = app
        self._lock = threading.Lock()
        self._snapshot: tuple[object, ...] | None = None
        self._checked = float("-inf")
        self._known: dict[str, tuple[tuple[object, ...], str, list[tuple[bytes, bytes]], int]] = {}
        self._last_used: dict[int, datetime | None] = {}
        self._pending_used: dict[int, datetime] = {}

    def check_now(self) -> None:
        """Read the snapshot again at once (tests; the bound is otherwise REFRESH_SECONDS)."""
        with self._lock:
            self._checked = float("-inf")
        self.snapshot()

    def expired(self) -> bool:
        """Whether the next :meth:`snapshot` reads the database (and maybe the plan file)."""
        import time as clock

        return self._snapshot is None or clock.monotonic() - self._checked >= self.REFRESH_SECONDS

    def snapshot(self) -> tuple[object, ...]:
        """The current snapshot, read again when older than ``REFRESH_SECONDS``."""
        import time as clock

        snapshot = self._snapshot
        if snapshot is not None and clock.monotonic() - self._checked < self.REFRESH_SECONDS:
            return snapshot
        with self._lock:
            if self._snapshot is None or clock.monotonic() - self._checked >= self.REFRESH_SECONDS:
                self._refresh()
                self._checked = clock.monotonic()
            assert self._snapshot is not None
            return self._snapshot

    def _refresh(self) -> None:
        from store import feeds as store

        plan, version = feed_plan(self._app)  # a broken file: the version still served
        self._app.ensure_schema()
        with self._app.engine.connect() as connection:
            marks = store.change_marks(connection, plan.programme.id)
        snapshot = (version, today(self._app, plan), self._app.settings.base_url, marks)
        if snapshot != self._snapshot:
            self._known.clear()
            self._snapshot = snapshot
        self._write_used()

    def flush(self) -> None:
        """Write the collected ``last used`` times now (when the server stops)."""
        with self._lock:
            self._write_used()

    def _write_used(self) -> None:
        from store import feeds as store

        if not self._pending_used:
            return
        pending, self._pending_used = self._pending_used, {}
        try:
            with _recording(self._app, brief=True) as session:
                for token_id, used in pending.items():
                    store.mark_served(session, token_id, used_at=used)
        except Exception:
            # Kept for the next refresh: a busy or briefly unreachable database must neither
            # lose them nor fail the feed request that happened to trigger the write.
            for token_id, used in pending.items():
                self._pending_used.setdefault(token_id, used)

    def remember(self, token: str, snapshot: tuple[object, ...], served: Served) -> None:
        """After the full path served ``token`` (``snapshot`` taken before it read anything)."""
        from email.utils import format_datetime

        headers = [
            (b"etag", served.etag.encode()),
            (b"last-modified", format_datetime(served.last_modified, usegmt=True).encode()),
            (b"cache-control", f"private, max-age={CACHE_SECONDS}".encode()),
            (b"vary", b"Accept-Encoding"),
        ]
        with self._lock:
            if snapshot is self._snapshot:
                self._known[token_hash(token)] = (snapshot, served.etag, headers, served.token_id)
                self._last_used[served.token_id] = served.last_used

    def answer(
        self, token: str, if_none_match: str, *, refresh: bool = True
    ) -> list[tuple[bytes, bytes]] | None:
        """The 304's headers when ``token`` was served unchanged data with this ETag; None sends
        the request the full way (unknown, revoked, changed, or not yet seen). Without
        ``refresh`` (on the event loop) an expired snapshot is None too, never a query."""
        if refresh:
            snapshot = self.snapshot()
        else:
            # Read the memory as it is: snapshot() could query the database should the snapshot
            # expire between the check and the call, and this runs on the event loop.
            current = self._snapshot
            if current is None or self.expired():
                return None
            snapshot = current
        known = self._known.get(token_hash(token))
        if known is None or known[0] is not snapshot or not _matches(if_none_match, known[1]):
            return None
        token_id = known[3]
        used = self._last_used.get(token_id)
        now = datetime.now(UTC).replace(microsecond=0)
        if used is None or now - used > timedelta(hours=1):
            with self._lock:
                self._last_used[token_id] = self._pending_used[token_id] = now
        return known[2]


# --- tokens -----------------------------------------------------------------------------------


def feed_urls(app: App, token: str) -> tuple[str, str]:
    url = f"{app.settings.base_url}/calendar/{token}.ics"
    return url, "webcal://" + url.split("://", 1)[1]


def create_token(app: App, scope_text: str, label: str | None, now: datetime) -> NewToken:
    from store import feeds as store

    plan = app.load_plan()
    scope = _scope(scope_text, plan)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with app.session() as session, session.begin():
        row = store.add_token(session, plan.programme.id, token_hash(token), str(scope), label, now)
        _token_event(session, plan.programme.id, TOKEN_CREATED, row.id, str(scope), now)
    url, webcal = feed_urls(app, token)
    return NewToken(row.id, str(scope), token, url, webcal, _event_count(app, plan, scope))


def _event_count(app: App, plan: Plan, scope: Scope) -> int | None:
    """How many events ``scope``'s feed holds today: 0 tells the office that the subscriber
    will see an empty calendar (nothing dated yet: undated, open-ended, periodic and waiting
    items are not in feeds). A read-only look (nothing recorded); None when it cannot be
    built now — the token is made all the same."""
    try:
        feed = build_feed(app, plan, scope, today(app, plan), record=False)
    except Exception:  # a count for a hint must never fail the token
        log.warning("calendar token: could not count the events of %s", scope, exc_info=True)
        return None
    return feed.body.count(b"BEGIN:VEVENT")


def list_tokens(app: App) -> list[dict[str, Any]]:
    """Every token of the programme (never the token itself: only its hash is stored), with who
    created and revoked it and its ``status``: ``revoked``, ``contact left`` (scoped to a
    contact no longer in the plan: its URL serves the ended calendar, :func:`ended_feed`;
    issue the successor a token of their own) or ``active``; None when the plan file cannot be
    read to tell. The CLI's ``token list`` and the office's subscriptions page (``/agenda``)
    show it."""
    from store import feeds as store

    try:
        contacts: set[str] | None = {c.id for c in app.load_plan().contacts}
    except InvalidInput:
        contacts = None  # the list still answers; whether a contact left is not known now
    with app.session() as session:
        found = store.tokens(session, app.programme_id())
    return [
        {
            "id": t.id,
            "scope": t.scope,
            "label": t.label,
            "created": t.created_at.isoformat(),
            "last_used": t.last_used_at.isoformat() if t.last_used_at else None,
            "revoked": t.revoked_at.isoformat() if t.revoked_at else None,
            "created_by": t.created_by,
            "revoked_by": t.revoked_by,
            "status": _token_status(t.scope, t.revoked_at is not None, contacts),
        }
        for t in found
    ]


def _token_status(scope: str, revoked: bool, contacts: set[str] | None) -> str | None:
    if revoked:
        return "revoked"
    kind, _, value = scope.partition(":")
    if kind == "contact":
        if contacts is None:
            return None
        if value not in contacts:
            return "contact left"
    return "active"


def revoke_token(app: App, token_id: int, now: datetime) -> str:
    """Revoke a token; a token revoked before stays revoked from that time, and is said to be
    (like ``db upgrade`` on an up-to-date database: nothing to do, not an error)."""
    from store import feeds as store

    with app.session() as session, session.begin():
        done = store.revoke_token(session, app.programme_id(), token_id, now)
        if done is not None and done[0]:
            _token_event(session, app.programme_id(), TOKEN_REVOKED, token_id, None, now)
    if done is None:
        raise InvalidInput(f"calendar token {token_id}: no such token")
    newly, at = done
    if not newly:
        when = at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
        return f"calendar token {token_id} was already revoked on {when}, nothing to do"
    return f"calendar token {token_id} revoked"


TOKEN_CREATED = "regie.calendar_token.created"  # as store.audit (literal: the label test)
TOKEN_REVOKED = "regie.calendar_token.revoked"


def _token_event(
    session: Any, programme_id: str, name: str, token_id: int, scope: str | None, now: datetime
) -> None:
    """Who created or revoked a calendar token (``created_by``/``revoked_by`` and an event)."""
    from store.audit import token_action

    token_action(session, programme_id, name, token_id, scope, now)
