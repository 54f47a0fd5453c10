"""Time in one place: the wall clock, the aware-datetime check and the time-zone name check.

The domain itself never reads the clock (every rule takes an explicit ``as_of``); the use cases
and the store stamp ``recorded_at`` / ``created_at`` with :func:`utcnow`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime


def utcnow() -> datetime:
    """Now, timezone-aware, in UTC."""
    return datetime.now(UTC)


def local_date(instant: datetime, zone: str) -> date:
    """The date ``instant`` falls on in the IANA time zone ``zone`` (a business date: the
    office's day, not UTC's, which is a day behind Amsterdam's from 22:00/23:00 UTC)."""
    from zoneinfo import ZoneInfo

    return require_aware(instant, "instant").astimezone(ZoneInfo(zone)).date()


def require_aware(value: datetime, name: str) -> datetime:
    """``value`` unchanged if it carries a time zone; ValueError naming ``name`` if naive."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {value!r}")
    return value


def known_timezone(name: str) -> bool:
    """Whether ``name`` is an IANA time zone this machine knows (e.g. Europe/Amsterdam)."""
    from zoneinfo import ZoneInfo

    try:
        ZoneInfo(name)
    except (KeyError, ValueError, OSError):  # ZoneInfoNotFoundError is a KeyError
        return False
    return True
