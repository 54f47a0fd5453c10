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

The parts: :mod:`regie.feed_events` (item events and the feed memory),
:mod:`regie.feed_meetings` (meeting events), :mod:`regie.feed_build` (a scope's feed) and
:mod:`regie.feed_serve` (HTTP: ETag, Last-Modified, the 304 fast path); their names are
importable from here as before; the tokens are here.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from regie.bootstrap import App
from regie.errors import InvalidInput
from regie.feed_build import (
    Feed,
    _build,
    _change_times,
    _description,
    _header,
    _left_on,
    _programme_events,
    _scope,
    build_feed,
    export_feed,
)
from regie.feed_events import (
    FEED_FORMAT,
    FINISHED,
    ONE_SECOND,
    Event,
    _decided,
    _fingerprint,
    _finished_date,
    _items,
    _last_day,
    _Made,
    _publish,
    _recording,
    _serving,
    _Stamps,
    keep_since,
)
from regie.feed_meetings import (
    CANCELLED_MEETING_DAYS,
    DEFAULT_MEETING_MINUTES,
    _meeting_day,
    _meeting_on,
    _meeting_uid,
    _published_times,
    body_meetings,
)
from regie.feed_serve import (
    _MEMO_SIZE,
    _TOKEN_TEXT,
    CACHE_SECONDS,
    RECORD_RETRY_SECONDS,
    RETRY_SECONDS,
    FeedUnavailable,
    NotModified,
    Served,
    _ended,
    _matches,
    _memo,
    _memo_lock,
    _refused,
    _refused_lock,
    _serving_build,
    _warned,
    _warned_lock,
    _write_refused,
    ended_feed,
    feed_plan,
    gzip_etag,
    serve_token_feed,
    token_hash,
)
from regie.services import today

if TYPE_CHECKING:
    from feeds.scope import Scope
    from governance.plan import Plan

log = logging.getLogger("regie.feeds")

# The parts' names, importable from here as before the split.
__all__ = [
    "CACHE_SECONDS",
    "CANCELLED_MEETING_DAYS",
    "DEFAULT_MEETING_MINUTES",
    "FEED_FORMAT",
    "FINISHED",
    "ONE_SECOND",
    "RECORD_RETRY_SECONDS",
    "RETRY_SECONDS",
    "TOKEN_BYTES",
    "TOKEN_CREATED",
    "TOKEN_REVOKED",
    "_MEMO_SIZE",
    "_TOKEN_TEXT",
    "Event",
    "Feed",
    "FeedUnavailable",
    "NewToken",
    "NotModified",
    "Served",
    "_Made",
    "_Stamps",
    "_build",
    "_change_times",
    "_decided",
    "_description",
    "_ended",
    "_event_count",
    "_fingerprint",
    "_finished_date",
    "_header",
    "_items",
    "_last_day",
    "_left_on",
    "_matches",
    "_meeting_day",
    "_meeting_on",
    "_meeting_uid",
    "_memo",
    "_memo_lock",
    "_programme_events",
    "_publish",
    "_published_times",
    "_recording",
    "_refused",
    "_refused_lock",
    "_scope",
    "_serving",
    "_serving_build",
    "_token_event",
    "_token_status",
    "_warned",
    "_warned_lock",
    "_write_refused",
    "body_meetings",
    "build_feed",
    "create_token",
    "ended_feed",
    "export_feed",
    "feed_plan",
    "feed_urls",
    "gzip_etag",
    "keep_since",
    "list_tokens",
    "revoke_token",
    "serve_token_feed",
    "token_hash",
]


TOKEN_BYTES = 24  # 192 bits of randomness


@dataclass(frozen=True, slots=True)
class NewToken:
    id: int
    scope: str
    token: str  # shown once; only its hash is stored
    url: str
    webcal_url: str
    events: int | None = None  # events the feed holds now (None: not known); 0 deserves a word


def feed_urls(app: App, token: str) -> tuple[str, str]:
    url = f"{app.settings.base_url}/calendar/{token}.ics"
    return url, "webcal://" + url.split("://", 1)[1]


#: A new subscription's description, at most: the command line's (``regie calendar token
#: create``) and the /agenda form's (``web.pages``) limit; one stored before it stays as it is.
LABEL_MAX = 200


def create_token(app: App, scope_text: str, label: str | None, now: datetime) -> NewToken:
    from governance.characters import one_line_problem
    from store import feeds as store

    if label is not None and (wrong := one_line_problem("label", label)):
        raise InvalidInput(wrong)  # a row of the token list and the /agenda table (walk57b 7)
    plan = app.load_plan()
    scope = _scope(scope_text, plan)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with app.session() as session, session.begin():
        row = store.add_token(session, plan.programme.id, token_hash(token), str(scope), label, now)
        _token_event(app, session, plan.programme.id, TOKEN_CREATED, row.id, str(scope), now)
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
        plan = app.load_plan()
        # A renamed contact's old ids too (``formerly``): a token made out to one still serves.
        contacts: set[str] | None = plan.known_as(c.id for c in plan.contacts)
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
            _token_event(app, session, app.programme_id(), TOKEN_REVOKED, token_id, None, now)
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
    app: App,
    session: Any,
    programme_id: str,
    name: str,
    token_id: int,
    scope: str | None,
    now: datetime,
) -> None:
    """Who created or revoked a calendar token (``created_by``/``revoked_by`` and an event on
    the office's day)."""
    from regie.services import office_day
    from store.audit import token_action

    token_action(session, programme_id, name, token_id, scope, now, office_day(app, now))
