"""The small bits of glue the flows share (events go out through :mod:`regie.events`)."""

from __future__ import annotations

from datetime import date


def parse_as_of(value: str | date | None, field: str = "as_of") -> date | None:
    """A flow parameter as a date; None (or "", which an unset event template renders) → today
    (or, for another ``field``, not given). A bad one fails the run in one Dutch line naming it."""
    if value is None or isinstance(value, date):
        return value
    text = value.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{field}: geen datum in de vorm JJJJ-MM-DD: {value!r}") from None
