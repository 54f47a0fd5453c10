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
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template

from feeds.model import FeedHeader, FeedItem, FeedMeeting
from governance.labels import dutch_date

PRODID = "-//Regie//Regie feeds//NL"
TEMPLATES = Path(__file__).parent / "templates"
CRLF = "\r\n"


def escape_text(value: object) -> str:
    r"""RFC 5545 TEXT: backslash, semicolon, comma escaped; any line break becomes ``\n``."""
    return (
        str(value)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str, limit: int = 75) -> str:
    """Fold a content line into pieces of at most ``limit`` octets (a continuation's leading
    space included), never inside a UTF-8 character nor between a backslash and what it escapes
    (some clients misread that, though RFC 5545 allows it)."""
    if len(line) <= limit and line.isascii():
        return line
    parts: list[str] = []
    current: list[str] = []
    size = 0
    room = limit
    for char in line:
        width = 1 if char < "\x80" else len(char.encode())
        if current and size + width > room:
            carry = ""
            if _ends_in_open_escape(current):
                carry = current.pop()
            parts.append("".join(current))
            current = [carry] if carry else []
            size = len(carry)
            room = limit - 1
        current.append(char)
        size += width
    parts.append("".join(current))
    return (CRLF + " ").join(parts)


def _ends_in_open_escape(chars: list[str]) -> bool:
    """Whether the last backslash starts an escape (an odd run of trailing backslashes)."""
    run = 0
    for char in reversed(chars):
        if char != "\\":
            break
        run += 1
    return run % 2 == 1 and len(chars) > run


def _duration(minutes: int) -> str:
    return f"PT{minutes // 60}H" if minutes % 60 == 0 else f"PT{minutes}M"


def utc_stamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def ics_date(value: date) -> str:
    return value.strftime("%Y%m%d")


@cache
def _template() -> Template:
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
    return env.get_template("events.ics.j2")


def render_feed(
    header: FeedHeader, items: Sequence[FeedItem], meetings: Sequence[FeedMeeting] = ()
) -> bytes:
    """The whole calendar; the same input gives the same bytes (no clock, no random UID)."""
    from icalendar import Calendar

    # No DESCRIPTION: icalendar would copy it unescaped into X-WR-CALDESC.
    calendar = Calendar.new(name=header.name, uid=header.uid, prodid=PRODID)
    calendar.add(
        "refresh-interval",
        timedelta(minutes=header.refresh_minutes),
        parameters={"VALUE": "DURATION"},
    )
    calendar.add("x-published-ttl", _duration(header.refresh_minutes))
    envelope: str = calendar.to_ical().decode()
    end = "END:VCALENDAR" + CRLF
    assert envelope.endswith(end)
    lines = _template().render(items=items, meetings=meetings).splitlines()
    events = CRLF.join(fold(line) for line in lines if line)
    body: str = envelope[: -len(end)] + (events + CRLF if events else "") + end
    return body.encode()
