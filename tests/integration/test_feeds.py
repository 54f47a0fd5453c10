"""Feeds from a real store (SQLite and PostgreSQL), read back by ical.js and icalendar."""

from __future__ import annotations

import shutil
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from regie.bootstrap import App, bootstrap
from regie.config import load_settings
from regie.errors import InvalidInput
from regie.feeds import export_feed
from regie.history import record_update
from regie.services import sync
from tests.integration.feed_clients import ical_js, icalendar_events

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "plans" / "feeds.yaml"
AS_OF = date(2016, 1, 11)
NOTE = "Vertraagd, want: leverancier; nieuwe\nregel 🚧 \\ klaar?"


@pytest.fixture
def feed_app(tmp_path: Path, migrated_url: str) -> App:
    plan = tmp_path / "plan.yaml"
    shutil.copy(FIXTURE, plan)
    settings = load_settings(
        {
            "REGIE_HOME": str(tmp_path / "home"),
            "REGIE_DATABASE_URL": migrated_url,
            "REGIE_PLAN": str(plan),
            "REGIE_BASE_URL": "https://regie.example.org",
        }
    )
    app = bootstrap(settings)
    sync(app, None)
    return app


def _edit_plan(app: App, old: str, new: str) -> None:
    path = app.settings.plan_path
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    sync(app, None)


def test_every_dated_item_is_an_all_day_event_both_clients_agree(feed_app: App) -> None:
    record_update(
        feed_app, "1.1.1", "at_risk", as_of=AS_OF, forecast=date(2016, 2, 29),
        completed_on=None, comment=NOTE, author="kbakker",
    )  # fmt: skip
    body = export_feed(feed_app, "programme", AS_OF)
    js = ical_js(body)
    events = {e["uid"]: e for e in js["events"]}
    # Dated items only: open-ended, periodic, undated and waiting items are on the web page.
    assert sorted(events) == [
        "1.1.1@zorg-test.regie", "1.1.2@zorg-test.regie", "1.1.3@zorg-test.regie",
        "2.1@zorg-test.regie",
    ]  # fmt: skip
    first = events["1.1.1@zorg-test.regie"]
    assert first["summary"] == "[1.1.1] Inventarisatie, fase 1; deel A 🎉 (Q3-2015)"
    assert (first["start"], first["end"], first["allDay"]) == ("2015-09-30", "2015-10-01", True)
    assert first["transp"] == "TRANSPARENT"
    assert first["categories"] == ["Stap 1", "verschoven"]  # forecast after the due date
    # The programme's feed leaves owners' notes out (personal data): the writer's own has it.
    assert "Laatste toelichting" not in first["description"]
    own = {e["uid"]: e for e in ical_js(export_feed(feed_app, "contact:kbakker", AS_OF))["events"]}
    assert f"Laatste toelichting: {NOTE}" in own["1.1.1@zorg-test.regie"]["description"]
    # One owner (its name holds a comma): "Eigenaar", the number following the count (walk49 8).
    assert "\nEigenaar: GGD Regio, afdeling Preventie\n" in first["description"]
    assert "Prognose: 29 februari 2016" in first["description"]
    assert first["url"] == "https://regie.example.org/items/1.1.1"
    assert events["1.1.2@zorg-test.regie"]["summary"] == (
        "[1.1.2] Rapport C:\\regie\\uitvoer; deel 2 (18 april 2016)"
    )
    assert events["1.1.2@zorg-test.regie"]["start"] == "2016-04-18"
    assert events["1.1.3@zorg-test.regie"]["start"] == "2017-03-31"  # a range: on its end
    assert js["name"] == "Gezonde Wijk – alle deadlines"
    assert js["refresh"] == {"value": "PT1H", "type": "duration"}
    assert js["ttl"] == "PT1H"
    # icalendar reads the same texts and dates.
    ics = icalendar_events(body)
    assert set(ics) == set(events)
    assert str(ics["1.1.1@zorg-test.regie"]["SUMMARY"]) == first["summary"]
    assert str(ics["1.1.1@zorg-test.regie"]["DESCRIPTION"]) == first["description"]
    assert ics["1.1.1@zorg-test.regie"].decoded("DTSTART") == date(2015, 9, 30)
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in body
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))


def test_stable_bytes_uids_and_sequence_bumped_when_a_date_moves(feed_app: App) -> None:
    before = export_feed(feed_app, "programme", AS_OF)
    assert export_feed(feed_app, "programme", AS_OF) == before  # no clock, no random
    stamps = {e["uid"]: e["dtstamp"] for e in ical_js(before)["events"]}

    time.sleep(1.1)  # DTSTAMP has whole seconds: let the change land in a later one
    _edit_plan(feed_app, "gereed: 18 april 2016", "gereed: 20 mei 2016")
    after = {e["uid"]: e for e in ical_js(export_feed(feed_app, "programme", AS_OF))["events"]}
    moved = after["1.1.2@zorg-test.regie"]
    assert (moved["start"], moved["sequence"]) == ("2016-05-20", 1)
    assert moved["dtstamp"] > stamps["1.1.2@zorg-test.regie"]
    assert set(after) == set(stamps)  # same UIDs
    assert after["1.1.1@zorg-test.regie"]["sequence"] == 0
    assert after["1.1.1@zorg-test.regie"]["dtstamp"] == stamps["1.1.1@zorg-test.regie"]

    _edit_plan(feed_app, "gereed: 20 mei 2016", "gereed: 1 juni 2016")
    again = {e["uid"]: e for e in ical_js(export_feed(feed_app, "programme", AS_OF))["events"]}
    assert again["1.1.2@zorg-test.regie"]["sequence"] == 2


def test_cancelled_and_removed_items_are_cancelled_events(feed_app: App) -> None:
    record_update(
        feed_app, "2.1", "cancelled", as_of=AS_OF, forecast=None, completed_on=None,
        comment="Vervalt", author=None,
    )  # fmt: skip
    removed_text = '          - id: "1.1.3"\n            title: Vervolgmeting\n'
    _edit_plan(feed_app, removed_text + "            gereed: Q4-2016/Q1-2017\n", "")
    events = {e["uid"]: e for e in ical_js(export_feed(feed_app, "programme", AS_OF))["events"]}
    assert events["2.1@zorg-test.regie"]["status"] == "CANCELLED"
    removed = events["1.1.3@zorg-test.regie"]
    assert (removed["status"], removed["start"]) == ("CANCELLED", "2017-03-31")
    assert "uit het plan gehaald" in removed["description"]
    assert events["1.1.1@zorg-test.regie"]["status"] == "CONFIRMED"


def test_an_item_taken_out_of_the_file_is_cancelled_before_the_next_sync(feed_app: App) -> None:
    """Between the edit and the next sync (the daily cycle) the feed already cancels it: left
    out, a calendar would drop the event, then see it come back cancelled."""
    path = feed_app.settings.plan_path
    removed_text = '          - id: "1.1.3"\n            title: Vervolgmeting\n'
    text = path.read_text()
    path.write_text(text.replace(removed_text + "            gereed: Q4-2016/Q1-2017\n", ""))
    before_sync = {
        e["uid"]: e for e in ical_js(export_feed(feed_app, "programme", AS_OF))["events"]
    }
    removed = before_sync["1.1.3@zorg-test.regie"]
    assert (removed["status"], removed["start"]) == ("CANCELLED", "2017-03-31")
    assert "uit het plan gehaald" in removed["description"]
    sync(feed_app, None)
    after_sync = {e["uid"]: e for e in ical_js(export_feed(feed_app, "programme", AS_OF))["events"]}
    assert after_sync["1.1.3@zorg-test.regie"]["status"] == "CANCELLED"
    assert set(after_sync) == set(before_sync)


def test_scopes_choose_items(feed_app: App) -> None:
    def uids(scope: str) -> list[str]:
        return sorted(e["uid"] for e in ical_js(export_feed(feed_app, scope, AS_OF))["events"])

    assert uids("org:GEM") == ["2.1@zorg-test.regie"]
    assert uids("step:1") == [
        "1.1.1@zorg-test.regie",
        "1.1.2@zorg-test.regie",
        "1.1.3@zorg-test.regie",
    ]
    assert uids("contact:kbakker") == uids("step:1")  # K. Bakker answers for GGD's items
    assert uids("contact:office") == ["2.1@zorg-test.regie"]
    from regie.reports import add_meeting

    add_meeting(feed_app, "regieteam", date(2016, 6, 7), None, "Online", "Extra: budget, planning")
    raw = export_feed(feed_app, "body:regieteam", AS_OF)
    body = ical_js(raw)
    assert body["name"] == "Gezonde Wijk – vergaderingen Regieteam Gezonde Wijk"
    meetings = {e["uid"]: e for e in body["events"]}
    assert sorted(meetings) == [
        "regieteam-2016-03-29@zorg-test.regie", "regieteam-2016-06-07@zorg-test.regie",
        "regieteam-2016-10-31@zorg-test.regie",
    ]  # fmt: skip
    spring = meetings["regieteam-2016-03-29@zorg-test.regie"]  # summer time: 10:00 is 08:00 UTC
    assert spring["startUtc"] == int(datetime(2016, 3, 29, 8, 0, tzinfo=UTC).timestamp())
    assert not spring["allDay"]
    autumn = meetings["regieteam-2016-10-31@zorg-test.regie"]  # winter time: 09:00 UTC
    assert autumn["startUtc"] == int(datetime(2016, 10, 31, 9, 0, tzinfo=UTC).timestamp())
    assert spring["summary"] == "Regieteam Gezonde Wijk"
    extra = meetings["regieteam-2016-06-07@zorg-test.regie"]  # no start time: all day
    assert (extra["allDay"], extra["start"]) == (True, "2016-06-07")
    assert extra["description"] == (
        "Vergadering: Regieteam Gezonde Wijk.\nDoel: Sturen; besluiten, bijsturen\n"
        "Leden: GGD Regio, afdeling Preventie, Gemeente Voorbeeldstad\nExtra: budget, planning"
    )
    located = icalendar_events(raw)["regieteam-2016-03-29@zorg-test.regie"]
    assert str(located["LOCATION"]) == "Stadhuis, zaal 2; ingang B"
    assert located.decoded("DTEND") - located.decoded("DTSTART") == timedelta(minutes=90)
    with pytest.raises(InvalidInput) as problem:
        export_feed(feed_app, "org:NOPE", AS_OF)
    assert problem.value.lines == ["--scope: scope 'org:NOPE': no such org (known: GGD, GEM)"]


def test_meetings_are_timed_utc_events_read_alike(feed_app: App) -> None:
    from feeds.ics import render_feed
    from feeds.model import FeedHeader, FeedMeeting

    start = datetime(2016, 3, 27, 10, 0, tzinfo=UTC)  # the day summer time starts
    meeting = FeedMeeting(
        uid="m1@zorg-test.regie", title="Regieteam, overleg; 🗓", start=start,
        end=start.replace(hour=12), location="Stadhuis, zaal 2", description="Agenda:\n1. Stand",
        url=None, cancelled=False, sequence=0, last_modified=start,
    )  # fmt: skip
    body = render_feed(FeedHeader(name="Vergaderingen", uid="body@x"), [], [meeting])
    event = ical_js(body)["events"][0]
    assert event["summary"] == "Regieteam, overleg; 🗓"
    assert event["startUtc"] == int(start.timestamp())
    assert event["allDay"] is False
    assert icalendar_events(body)["m1@zorg-test.regie"].decoded("DTSTART") == start
