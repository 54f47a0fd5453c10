"""A calendar feed served over HTTP: a token's feed with its ETag and Last-Modified, the ended
calendar of a subscription that ended, the last good plan while the file is broken, serving
without recording when the database refuses a write, and the 304 fast path's memory
(:class:`NotModified`). See :mod:`regie.feeds`."""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import weakref
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from regie.bootstrap import App
from regie.errors import InvalidInput
from regie.feed_build import (
    Feed,
    build_feed,
)
from regie.feed_events import (
    FEED_FORMAT,
    ONE_SECOND,
    _recording,
    _serving,
)
from regie.services import office_day, today, utcnow

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.exc import DBAPIError

    from feeds.scope import Scope
    from governance.plan import Plan


CACHE_SECONDS = 300  # Cache-Control max-age; calendars are told to refresh hourly


RETRY_SECONDS = 300  # Retry-After of a 503 while no feed can be built


_TOKEN_TEXT = re.compile(r"[A-Za-z0-9_-]{16,128}")


_MEMO_SIZE = 64


log = logging.getLogger("regie.feeds")


class FeedUnavailable(Exception):
    """No feed can be built now (the plan file cannot be read, and this process has read no
    good version of it): a 503 with Retry-After; the problem itself is in the server's log."""


@dataclass(frozen=True, slots=True)
class Served:
    status: int  # 200, or 304 when If-None-Match already has these bytes
    body: bytes
    etag: str
    last_modified: datetime
    token_id: int = 0
    last_used: datetime | None = None  # as stored after this request
    ended: bool = False  # an ended subscription's calendar (:func:`ended_feed`)


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
    from regie.texts import feed_words

    zone = ZoneInfo(plan.calendar.timezone if plan is not None else "Europe/Amsterdam")
    stamp = datetime.combine(day, time(), zone).astimezone(UTC)
    programme = ""
    if plan is not None:
        programme = plan.programme.short_title or plan.programme.title
    ended = Ended(
        reason=reason,
        programme=programme or feed_words("no_programme"),
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
    day = today(app, plan, now) if plan is not None else office_day(app, now)
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
        now = utcnow().replace(microsecond=0)
        if used is None or now - used > timedelta(hours=1):
            with self._lock:
                self._last_used[token_id] = self._pending_used[token_id] = now
        return known[2]
