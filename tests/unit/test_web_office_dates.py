"""The office pages' dates of an instant (a token made, a link's expiry) are the office's: at
22:30 UTC on 30 June it is 1 July in Amsterdam, and at 23:30 UTC on New Year's Eve, 1 January."""

from __future__ import annotations

from datetime import UTC, date, datetime

from web.templating import environment


def _render(source: str, **context: object) -> str:
    return environment().from_string(source).render(**context)


def test_an_instant_shows_as_the_office_s_date() -> None:
    night = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    zone = {"office_zone": "Europe/Amsterdam"}
    assert _render("{{ at | datum }}", at=night, **zone) == "1 januari 2027"
    # Written as every office page writes a date (walk56c 7: the subscriptions page's ISO).
    assert _render("{{ at | kantoordag }}", at=night.isoformat(), **zone) == "1 januari 2027"
    assert _render("{{ at | kantoordag }}", at=night, **zone) == "1 januari 2027"
    # Another office zone, its own date; a business date stays as it is.
    assert _render("{{ at | datum }}", at=night, office_zone="UTC") == "31 december 2026"
    assert _render("{{ d | datum }}", d=date(2026, 6, 30), **zone) == "30 juni 2026"
    assert _render("{{ at | kantoordag }}", at=None, **zone) == ""
