"""A governance body's meeting that moves to another day (its UID holds the day): the old day
stays in the body's feed as a cancelled event for a while, SEQUENCE raised once, and the new day
is an event of its own — through the web app, read by ical.js. And ``calendar export`` for
another day than today is a read-only look: the feed memory stays as it was."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from regie.bootstrap import App
from regie.feeds import CANCELLED_MEETING_DAYS, build_feed, export_feed
from regie.services import today
from store import downgrade, make_engine, upgrade
from tests.cli_in_process import regie
from tests.integration.feed_clients import ical_js, icalendar_events, synced_app
from tests.integration.test_feeds_publish import Subscriber

OLD = "regieteam-2016-03-29@zorg-test.regie"
NEW = "regieteam-2016-04-05@zorg-test.regie"
AUTUMN = "regieteam-2016-10-31@zorg-test.regie"
DATES = "dates: [2016-03-29, 2016-10-31]"
MOVED = "dates: [2016-04-05, 2016-10-31]"
GONE_TEXT = "Vervallen: op deze datum staat de vergadering niet meer in de planning."


def _stamp(event: dict[str, Any]) -> str:
    assert event["dtstamp"] == event["lastModified"]
    return str(event["dtstamp"])


def test_a_moved_meeting_is_cancelled_at_its_old_day_and_new_at_the_new_one(
    tmp_path: Path, migrated_url: str
) -> None:
    cal = Subscriber(synced_app(tmp_path, migrated_url), "body:regieteam")
    first = cal.fetch()
    assert sorted(first) == [OLD, AUTUMN]
    assert (first[OLD]["status"], first[OLD]["sequence"]) == ("CONFIRMED", 0)

    # The plan moves the spring meeting a week: the old UID is cancelled at its old time with
    # SEQUENCE up and a later stamp; the new day is a new event; the autumn one is untouched.
    cal.edit(DATES, MOVED)
    moved = cal.fetch()
    assert sorted(moved) == [OLD, NEW, AUTUMN]
    old = moved[OLD]
    assert (old["status"], old["sequence"]) == ("CANCELLED", 1)
    assert (old["startUtc"], old["start"]) == (first[OLD]["startUtc"], first[OLD]["start"])
    assert old["end"] == first[OLD]["end"]
    assert _stamp(old) > _stamp(first[OLD])
    assert first[OLD]["summary"] == "Regieteam Gezonde Wijk"
    assert old["summary"] == "Vervallen: Regieteam Gezonde Wijk"  # the state in the title too
    assert GONE_TEXT in old["description"]
    new = moved[NEW]
    assert (new["status"], new["sequence"]) == ("CONFIRMED", 0)
    assert new["startUtc"] == int(datetime(2016, 4, 5, 8, 0, tzinfo=UTC).timestamp())
    assert new["location"] == "Stadhuis, zaal 2; ingang B"
    assert moved[AUTUMN] == first[AUTUMN]
    # icalendar reads the same.
    ics = icalendar_events(cal.client.get(cal.path).content)
    assert str(ics[OLD]["STATUS"]) == "CANCELLED" and int(ics[OLD]["SEQUENCE"]) == 1

    # Cancelled once: fetched again and after the sync (nothing new), the same bytes.
    assert cal.fetch() == moved
    cal.sync()
    assert cal.fetch() == moved

    # Moved back: the old day is confirmed again (SEQUENCE up once more, RFC 5546 §3.2.5),
    # and the day it had moved to is cancelled in its turn.
    cal.edit(MOVED, DATES)
    back = cal.fetch()
    assert (back[OLD]["status"], back[OLD]["sequence"]) == ("CONFIRMED", 2)
    assert _stamp(back[OLD]) > _stamp(old)
    assert GONE_TEXT not in back[OLD]["description"]
    assert back[OLD]["location"] == "Stadhuis, zaal 2; ingang B"
    assert (back[NEW]["status"], back[NEW]["sequence"]) == ("CANCELLED", 1)
    assert back[AUTUMN] == first[AUTUMN]


def test_a_rule_that_changes_cancels_the_days_it_no_longer_gives(
    tmp_path: Path, migrated_url: str
) -> None:
    """A body whose rule changes weekday (all its meetings move), and an all-day one-off meeting
    (no start time) that leaves the schedule: each old day is cancelled, as it was published."""
    app = synced_app(tmp_path, migrated_url)
    path = app.settings.plan_path
    rule = (
        "      rule:\n        every: quarter\n        weekday: dinsdag\n        nth: 2\n"
        "        start: 2016-01-01\n        until: 2016-12-31\n"
    )
    path.write_text(path.read_text().replace(f"      {DATES}\n", rule))
    from regie.reports import add_meeting

    add_meeting(app, "regieteam", date(2016, 6, 7), None, None, None)
    tuesdays = _events(app)
    assert sorted((e["start"][:10], e["status"]) for e in tuesdays.values()) == [
        ("2016-01-12", "CONFIRMED"), ("2016-04-12", "CONFIRMED"), ("2016-06-07", "CONFIRMED"),
        ("2016-07-12", "CONFIRMED"), ("2016-10-11", "CONFIRMED"),
    ]  # fmt: skip

    # The rule moves to the second Thursday; the one-off meeting is taken out of the database
    # (as a command that moves or removes one would).
    path.write_text(path.read_text().replace("weekday: dinsdag", "weekday: donderdag"))
    engine = make_engine(migrated_url)
    with engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM meetings"))
    engine.dispose()
    thursdays = _events(app)
    seen = sorted((e["start"][:10], e["status"], e["sequence"]) for e in thursdays.values())
    assert seen == [
        ("2016-01-12", "CANCELLED", 1), ("2016-01-14", "CONFIRMED", 0),
        ("2016-04-12", "CANCELLED", 1), ("2016-04-14", "CONFIRMED", 0),
        ("2016-06-07", "CANCELLED", 1),
        ("2016-07-12", "CANCELLED", 1), ("2016-07-14", "CONFIRMED", 0),
        ("2016-10-11", "CANCELLED", 1), ("2016-10-13", "CONFIRMED", 0),
    ]  # fmt: skip
    one_off = thursdays["regieteam-2016-06-07@zorg-test.regie"]
    assert one_off["allDay"] and (one_off["start"], one_off["end"]) == ("2016-06-07", "2016-06-08")
    for uid, event in tuesdays.items():
        if uid != "regieteam-2016-06-07@zorg-test.regie":
            assert (thursdays[uid]["startUtc"], thursdays[uid]["end"]) == (
                event["startUtc"], event["end"]
            )  # fmt: skip


def test_a_cancelled_meeting_leaves_the_feed_after_a_while(
    tmp_path: Path, migrated_url: str
) -> None:
    """Kept until both its old day and the day its cancellation was published are more than
    CANCELLED_MEETING_DAYS past; the memory keeps it, so should it come back, its SEQUENCE still
    rises. (Stamps, and so the day a cancellation was published, come from the plan file's
    time: set here.)"""
    app = synced_app(tmp_path, migrated_url)
    keep = timedelta(days=CANCELLED_MEETING_DAYS)
    _edit(app, DATES, DATES, at=datetime(2015, 6, 1, tzinfo=UTC))
    assert _events(app, date(2015, 6, 1))[OLD]["status"] == "CONFIRMED"

    # Cancelled well before its day: kept until its day is CANCELLED_MEETING_DAYS past.
    _edit(app, DATES, MOVED, at=datetime(2015, 7, 1, 12, tzinfo=UTC))
    cancelled = _events(app, date(2015, 7, 1))[OLD]
    assert (cancelled["status"], cancelled["sequence"]) == ("CANCELLED", 1)
    assert cancelled["dtstamp"] == "2015-07-01T12:00:00Z"
    assert _events(app, date(2016, 3, 29) + keep)[OLD] == cancelled
    later = _events(app, date(2016, 3, 29) + keep + timedelta(days=1))
    assert OLD not in later and NEW in later and AUTUMN in later

    # Cancelled after its day: kept until the cancellation is CANCELLED_MEETING_DAYS old.
    _edit(app, MOVED, "dates: [2016-04-05]", at=datetime(2017, 1, 2, 9, tzinfo=UTC))
    assert _events(app, date(2017, 1, 2))[AUTUMN]["status"] == "CANCELLED"
    assert _events(app, date(2017, 1, 2) + keep)[AUTUMN]["status"] == "CANCELLED"
    assert AUTUMN not in _events(app, date(2017, 1, 3) + keep)

    # Back in the plan after it left the feed: confirmed, SEQUENCE up from the cancelled one.
    _edit(app, "dates: [2016-04-05]", MOVED, at=datetime(2017, 5, 1, tzinfo=UTC))
    back = _events(app, date(2017, 5, 1))[AUTUMN]
    assert (back["status"], back["sequence"]) == ("CONFIRMED", 2)


def test_calendar_export_for_another_day_records_nothing(tmp_path: Path, migrated_url: str) -> None:
    """`regie calendar export --as-of <another day>` leaves the feed memory as it was, so the
    server's next build publishes what it would have; an export for today records, like the
    server. Run through the command line."""
    app = synced_app(tmp_path, migrated_url)
    env = {
        "REGIE_HOME": str(app.settings.home),
        "REGIE_DATABASE_URL": migrated_url,
        "REGIE_PLAN": str(app.settings.plan_path),
    }
    export_feed(app, "body:regieteam")  # today: remembered
    export_feed(app, "programme")
    before = _memory(migrated_url)
    assert before["feed_entries"] and before["feed_meetings"]

    # Another day, with the plan edited since (a date moved, a meeting moved): the export shows
    # the changes, the memory stays as it was.
    _edit(app, "gereed: 18 april 2016", "gereed: 20 mei 2016")
    _edit(app, DATES, MOVED)
    for scope in ("programme", "body:regieteam"):
        other = regie("calendar", "export", "--scope", scope, "--as-of", "2016-01-11", env=env)
        assert other.code == 0, other.err
        events = {e["uid"]: e for e in ical_js(other.out.encode())["events"]}
        if scope == "programme":
            assert events["1.1.2@zorg-test.regie"]["sequence"] == 1
        else:
            assert events[OLD]["status"] == "CANCELLED"
    assert _memory(migrated_url) == before

    # Today through the command line: recorded, as the server would.
    now = regie("calendar", "export", "--scope", "body:regieteam", env=env)
    assert now.code == 0, now.err
    after = _memory(migrated_url)
    assert after["feed_meetings"] != before["feed_meetings"]
    assert (OLD, 1, True) in {(u, s, c) for u, _, s, _, _, c in after["feed_meetings"]}


def test_0014_remembers_the_meetings_published_as_confirmed(database_url: str) -> None:
    """0014 adds feed_meetings.cancelled: the meetings remembered before were all published
    confirmed (false); down, the column goes and the rows stay."""
    upgrade(database_url, "0013")
    engine = make_engine(database_url)
    now = datetime(2016, 1, 4, 9, 30, tzinfo=UTC)
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO programmes (id, title, created_at, updated_at)"
                " VALUES ('p', 'P', :at, :at)"
            ),
            {"at": now},
        )
        connection.execute(
            sa.text(
                "INSERT INTO feed_meetings (programme_id, uid, timing, sequence, fingerprint,"
                " changed_at) VALUES ('p', 'sg-2016-04-12@p.regie', '2016-04-12', 3, 'f', :at)"
            ),
            {"at": now},
        )
    upgrade(database_url)
    with engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT uid, sequence, cancelled FROM feed_meetings"))
        assert [tuple(r) for r in rows] == [("sg-2016-04-12@p.regie", 3, False)]
    downgrade(database_url, "0013")
    with engine.connect() as connection:
        columns = {c["name"] for c in sa.inspect(connection).get_columns("feed_meetings")}
        assert "cancelled" not in columns
        count = connection.execute(sa.text("SELECT count(*) FROM feed_meetings")).scalar()
        assert count == 1
    engine.dispose()


# --- helpers --------------------------------------------------------------------------------


def _events(app: App, as_of: date | None = None) -> dict[str, dict[str, Any]]:
    """The body's feed for ``as_of`` (default: today) as ical.js reads it, built as the server
    builds it (remembered)."""
    from feeds.scope import parse_scope

    plan = app.load_plan()
    scope = parse_scope("body:regieteam", plan)
    body = build_feed(app, plan, scope, as_of or today(app, plan)).body
    return {e["uid"]: e for e in ical_js(body)["events"]}


def _edit(app: App, old: str, new: str, at: datetime | None = None) -> None:
    """Edit the plan file (not synced); ``at``: the file's time (the stamps' change time)."""
    path = app.settings.plan_path
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    if at is not None:
        os.utime(path, (at.timestamp(), at.timestamp()))


def _memory(url: str) -> dict[str, list[tuple[Any, ...]]]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return {
                "feed_entries": [
                    tuple(r)
                    for r in connection.execute(
                        sa.text(
                            "SELECT item_code, due, sequence, changed_at, fingerprint, cancelled"
                            " FROM feed_entries ORDER BY item_code"
                        )
                    )
                ],
                "feed_meetings": [
                    tuple(r)
                    for r in connection.execute(
                        sa.text(
                            "SELECT uid, timing, sequence, changed_at, fingerprint, cancelled"
                            " FROM feed_meetings ORDER BY uid"
                        )
                    )
                ],
            }
    finally:
        engine.dispose()
