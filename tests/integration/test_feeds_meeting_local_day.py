"""A timed meeting is on its local day in the body's feed: one at 00:30 in Amsterdam is 22:30
or 23:30 UTC the day before, one at 23:30 is still the same day in UTC, and in a programme in
another zone (Caribisch Nederland, UTC−4) a meeting at 21:30 is the next day in UTC. The UID
(which holds the day), the all-day fallback and the window the feed keeps all take the local
day; ical.js reads the UTC start that falls on it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.integration.feed_clients import synced_app
from tests.integration.test_feeds_publish import Subscriber

AMSTERDAM = "Europe/Amsterdam"
KRALENDIJK = "America/Kralendijk"  # Bonaire: UTC−4, no summer time


def _subscriber(tmp_path: Path, url: str, at: str, zone: str) -> Subscriber:
    cal = Subscriber(synced_app(tmp_path, url), "body:regieteam")
    cal.edit('time: "10:00"', f'time: "{at}"')
    if zone != AMSTERDAM:
        cal.edit("calendar:\n", f"calendar:\n  timezone: {zone}\n")
    cal.sync()
    return cal


@pytest.mark.parametrize(
    ("at", "zone", "utc_days"),
    [
        # 29 March 2016 is summer time (UTC+2), 31 October winter time (UTC+1).
        ("00:30", AMSTERDAM, [date(2016, 3, 28), date(2016, 10, 30)]),
        ("23:30", AMSTERDAM, [date(2016, 3, 29), date(2016, 10, 31)]),
        ("21:30", KRALENDIJK, [date(2016, 3, 30), date(2016, 11, 1)]),
    ],
)
def test_a_timed_meeting_is_listed_on_its_local_day(
    tmp_path: Path, migrated_url: str, at: str, zone: str, utc_days: list[date]
) -> None:
    cal = _subscriber(tmp_path, migrated_url, at, zone)
    events = cal.fetch()
    local_days = [date(2016, 3, 29), date(2016, 10, 31)]
    assert sorted(events) == [f"regieteam-{d.isoformat()}@zorg-test.regie" for d in local_days]
    hour, minute = (int(x) for x in at.split(":"))
    for day, utc_day in zip(local_days, utc_days, strict=True):
        event = events[f"regieteam-{day.isoformat()}@zorg-test.regie"]
        assert event["allDay"] is False and event["status"] == "CONFIRMED"
        start = datetime.fromtimestamp(event["startUtc"], UTC)
        assert start.date() == utc_day  # the UTC date may differ …
        local = start.astimezone(ZoneInfo(zone))
        assert (local.date(), local.hour, local.minute) == (day, hour, minute)  # … the day not
