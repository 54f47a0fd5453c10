"""Plain values a feed is made of; the use case (``regie.feeds``) fills them from the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from governance.office_names import OfficeNames


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
    url: str | None  # the office's item page (behind the login): only in the programme's feed
    cancelled: bool  # cancelled by its owner, or archived from the plan
    sequence: int  # bumped whenever ``due`` changed
    last_modified: datetime  # UTC; the item's last change (DTSTAMP and LAST-MODIFIED)
    by_end: bool = False  # ``due`` is the end of a period (Q3-2015, Najaar 2015): "uiterlijk"
    decided: FeedDecision | None = None  # the decision that moved or dropped it last
    removed: bool = False  # taken out of the plan (archived): "Uit het plan", not "Vervallen"
    office: str = OfficeNames().the  # the plan's words for the office, in a sentence


@dataclass(frozen=True, slots=True)
class FeedDecision:
    """A governance body's decision that set an item's date or dropped it."""

    kind: str  # set_gereed | cancel
    label: str  # "besluit Stuurgroep MVI, 12 januari 2016"
    text: str  # what was decided, as recorded
    gereed_before: str | None  # the date text it had before (None: it had been dropped)
    #: The text before named no date (Ntb, blank): the decision set a first date, no move.
    first_date: bool = False


@dataclass(frozen=True, slots=True)
class FeedMeeting:
    """A governance body's meeting: a timed event, written in UTC."""

    uid: str
    title: str  # the body's name
    start: datetime  # aware
    end: datetime  # aware
    location: str | None
    description: str | None  # the meeting's own note (a one-off meeting's), if any
    url: str | None
    cancelled: bool
    sequence: int
    last_modified: datetime  # UTC
    all_day: bool = False  # no start time known: an all-day event on ``day``
    day: date | None = None
    purpose: str | None = None  # the body's purpose, as the plan gives it
    members: tuple[str, ...] = ()  # its member organisations' names
    example: bool = False  # an example plan's date, not a real one: "voorbeelddatum"
    moved_to: date | None = None  # a cancelled day's meeting moved there (members were told)


@dataclass(frozen=True, slots=True)
class FeedHeader:
    name: str  # X-WR-CALNAME
    uid: str  # the calendar's own UID, stable per scope
    refresh_minutes: int = 60
    description: str | None = None  # DESCRIPTION and X-WR-CALDESC: what the calendar is
