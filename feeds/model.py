"""Plain values a feed is made of; the use case (``regie.feeds``) fills them from the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One dated deadline: an all-day event on ``due``."""

    uid: str  # stable across regenerations: the item id and programme, never a counter
    item_id: str
    title: str
    gereed: str | None  # as in the plan; an ``idem`` row names what it copies
    due: date
    step: int
    action: str  # "1.1 Aansluiten bij convenanten"
    owners: tuple[str, ...]  # organisation names
    state: str  # State value (done, overdue …)
    state_label: str  # Dutch: te laat, gereed …
    rag_label: str  # Dutch: rood, oranje …
    forecast: date | None
    latest_note: str | None
    url: str
    cancelled: bool  # cancelled by its owner, or archived from the plan
    sequence: int  # bumped whenever ``due`` changed
    last_modified: datetime  # UTC; the item's last change (DTSTAMP and LAST-MODIFIED)


@dataclass(frozen=True, slots=True)
class FeedMeeting:
    """A governance body's meeting: a timed event, written in UTC."""

    uid: str
    title: str
    start: datetime  # aware
    end: datetime  # aware
    location: str | None
    description: str | None
    url: str | None
    cancelled: bool
    sequence: int
    last_modified: datetime  # UTC
    all_day: bool = False  # no start time known: an all-day event on ``day``
    day: date | None = None


@dataclass(frozen=True, slots=True)
class FeedHeader:
    name: str  # X-WR-CALNAME
    uid: str  # the calendar's own UID, stable per scope
    refresh_minutes: int = 60
