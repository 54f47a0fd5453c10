"""Write a feed as iCalendar (RFC 5545) bytes.

The calendar's own properties come from icalendar 7 (``Calendar.new``: NAME and X-WR-CALNAME,
UID, PRODID), plus ``REFRESH-INTERVAL;VALUE=DURATION`` (icalendar leaves out the VALUE
parameter that RFC 7986 requires) and ``X-PUBLISHED-TTL``. The events are rendered from one
Jinja2 template (the Dutch texts live there) through the TEXT escaping and line folding below:
icalendar's component objects take about 12 s for 10,000 events on our machine, this path a
small fraction of that (benchmarks/RESULTS.md). Tests parse every feed with icalendar and with
ical.js, so the writer is checked by two independent readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template

from feeds.model import FeedHeader, FeedItem, FeedMeeting
from governance.characters import displayable
from governance.dutch import day_and_date
from governance.labels import dutch_date
from governance.office_names import OfficeNames

PRODID = "-//Regie//Regie feeds//NL"
TEMPLATES = Path(__file__).parent / "templates"
CRLF = "\r\n"


def escape_text(value: object) -> str:
    r"""RFC 5545 TEXT: backslash, semicolon, comma escaped; any line break becomes ``\n``.
    Control characters (RFC 5545 allows none but tab) and direction-changing ones become
    U+FFFD (:func:`governance.characters.displayable`: a note stored before they were
    refused)."""
    return (
        displayable(str(value))
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\n", "\\n")  # displayable() made every line break one
    )


def fold(line: str, limit: int = 75) -> str:
    """Fold a content line into pieces of at most ``limit`` octets (a continuation's leading
    space included), never inside a UTF-8 character nor between a backslash and what it escapes
    (some clients misread that, though RFC 5545 allows it)."""
    data = line.encode()
    if len(data) <= limit:
        return line
    parts: list[bytes] = []
    start, room = 0, limit
    while len(data) - start > room:
        cut = start + room
        while data[cut] & 0xC0 == 0x80:  # inside a UTF-8 character: cut before it
            cut -= 1
        if _ends_in_open_escape(data, start, cut):
            cut -= 1
        parts.append(data[start:cut])
        start, room = cut, limit - 1
    parts.append(data[start:])
    return b"\r\n ".join(parts).decode()


def _ends_in_open_escape(data: bytes, start: int, cut: int) -> bool:
    """Whether data[start:cut] ends in the backslash of an escape (an odd run of them)."""
    run = 0
    while cut - run - 1 >= start and data[cut - run - 1] == 0x5C:
        run += 1
    return run % 2 == 1 and cut - start > 1


def _duration(minutes: int) -> str:
    return f"PT{minutes // 60}H" if minutes % 60 == 0 else f"PT{minutes}M"


def utc_stamp(value: datetime) -> str:
    v = value.astimezone(UTC)
    return f"{v.year:04d}{v.month:02d}{v.day:02d}T{v.hour:02d}{v.minute:02d}{v.second:02d}Z"


def ics_date(value: date) -> str:
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


@cache
def _template() -> Template:
    return _environment().get_template("events.ics.j2")


@cache
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=False,  # iCalendar, not HTML: values go through the ``text`` filter
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["text"] = escape_text
    env.filters["utc"] = utc_stamp
    env.filters["ymd"] = ics_date
    env.filters["next_day"] = lambda d: ics_date(d + timedelta(days=1))
    env.filters["datum"] = dutch_date
    env.filters["dag_datum"] = day_and_date
    return env


#: Rendered, escaped and folded VEVENT text per event value. A FeedItem is frozen and holds
#: everything its text is made of (dates, SEQUENCE, state, note, LAST-MODIFIED …), so an equal
#: value always renders to the same text: a regeneration renders only the events that changed.
_chunks: dict[FeedItem | FeedMeeting, bytes] = {}
_CHUNK_LIMIT = 50_000  # ~ five 10,000-item programmes; then start afresh (memory stays bounded)


def _chunk(event: FeedItem | FeedMeeting) -> bytes:
    text = _chunks.get(event)
    if text is None:
        if isinstance(event, FeedMeeting):
            rendered = _template().render(items=(), meetings=(event,))
        else:
            rendered = _template().render(items=(event,), meetings=())
        text = "".join(fold(line) + CRLF for line in rendered.splitlines() if line).encode()
        if len(_chunks) >= _CHUNK_LIMIT:
            _chunks.clear()
        _chunks[event] = text
    return text


@cache
def _envelope(header: FeedHeader) -> tuple[bytes, bytes]:
    """The calendar's own lines before and after the events (icalendar 7 writes them)."""
    from icalendar import Calendar

    # No DESCRIPTION: icalendar would copy it unescaped into X-WR-CALDESC.
    calendar = Calendar.new(name=header.name, uid=header.uid, prodid=PRODID)
    calendar.add(
        "refresh-interval",
        timedelta(minutes=header.refresh_minutes),
        parameters={"VALUE": "DURATION"},
    )
    calendar.add("x-published-ttl", _duration(header.refresh_minutes))
    envelope: bytes = calendar.to_ical()
    end = b"END:VCALENDAR" + CRLF.encode()
    assert envelope.endswith(end)
    head = envelope[: -len(end)]
    if header.description:  # escaped here: icalendar writes X-WR-CALDESC unescaped
        text = escape_text(header.description)
        head += "".join(fold(f"{name}:{text}") + CRLF
                        for name in ("DESCRIPTION", "X-WR-CALDESC")).encode()  # fmt: skip
    return head, end


@dataclass(frozen=True, slots=True)
class Described:
    """What an ordinary feed's own description says (``templates/calendar_description.txt.j2``)."""

    kind: str  # the scope's kind: programme, org, step, contact, body
    programme: str  # the programme's short title
    office: OfficeNames
    undated: int = 0  # the scope's open items without a date: not in the calendar
    overview: str = ""  # the office's web overview (where those are listed), if known
    keep_months: int = 12  # calendar.feed_keep_done_months
    example: bool = False  # a body's meeting dates are an example plan's
    answer_links: bool = True  # the reminders carry answer links (a REGIE_SECRET_KEY is set)


def describe(about: Described) -> str:
    """An ordinary feed's own description: what it holds and what not, on one line."""
    text = _environment().get_template("calendar_description.txt.j2").render(about=about)
    return " ".join(text.split())


@dataclass(frozen=True, slots=True)
class Ended:
    """What a subscription that ended serves: a calendar without the old events (so that
    clients drop them) and one all-day event on ``day`` that says why and whom to ask
    (``templates/ended.ics.j2``). It names neither the scope nor a person: the link may have
    been passed on, or leaked (why it was revoked)."""

    reason: str  # revoked | contact_left | scope_left
    programme: str  # the programme's short title
    office: OfficeNames
    contact: str | None  # an address to write to (REGIE_MAIL_REPLY_TO), if any
    uid: str  # the calendar's UID, the same for every ended subscription of the programme
    day: date
    stamp: datetime  # DTSTAMP and LAST-MODIFIED (UTC)


def render_ended(ended: Ended) -> bytes:
    """An ended subscription's calendar (:class:`Ended`)."""
    context = {"reason": ended.reason, "programme": ended.programme, "office": ended.office,
               "contact": ended.contact, "day": ended.day, "stamp": ended.stamp,
               "uid": "melding-" + ended.uid}  # fmt: skip
    # The template's own {% set name %} and {% set description %} (Any: Jinja's module type
    # does not know them).
    module: Any = _environment().get_template("ended.ics.j2").make_module(context)
    header = FeedHeader(
        name=str(module.name).strip(),
        uid=ended.uid,
        refresh_minutes=24 * 60,  # nothing will change but the day: once a day is enough
        description=" ".join(str(module.description).split()),
    )
    head, end = _envelope(header)
    event = "".join(fold(line) + CRLF for line in str(module).splitlines() if line).encode()
    return head + event + end


def render_feed(
    header: FeedHeader, items: Sequence[FeedItem], meetings: Sequence[FeedMeeting] = ()
) -> bytes:
    """The whole calendar; the same input gives the same bytes (no clock, no random UID)."""
    head, end = _envelope(header)
    chunk = _chunk
    return b"".join([head, *[chunk(e) for e in items], *[chunk(m) for m in meetings], end])
