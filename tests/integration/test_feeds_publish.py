"""What a subscriber sees change: a real sequence of plan edits, syncs and fetches (through the
web app, read by ical.js). Every change of an event's content comes with a later DTSTAMP and
LAST-MODIFIED than the version before it, also while an edit waits for the next sync; an
unchanged event keeps its stamps, also across that sync; SEQUENCE rises when the date or time
moves and when the event is cancelled or comes back (RFC 5546 §3.2.5)."""

from __future__ import annotations

import os
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from regie.bootstrap import App
from regie.feeds import create_token
from regie.history import record_update
from regie.services import sync
from tests.integration.feed_clients import ical_js, synced_app

NOW = datetime(2016, 1, 11, 9, 0, tzinfo=UTC)
REMOVED = (
    '          - id: "1.1.3"\n'
    "            title: Vervolgmeting\n"
    "            gereed: Q4-2016/Q1-2017\n"
)


class Subscriber:
    """A calendar subscribed to one token: fetches and parses the feed as ical.js does."""

    def __init__(self, app: App, scope: str) -> None:
        from web.app import create_app

        self.app = app
        self.client = TestClient(create_app(app))
        self.path = f"/calendar/{create_token(app, scope, 'test', NOW).token}.ics"
        self.clock = time.time()  # the plan file's times are set from here on, a minute apart

    def fetch(self) -> dict[str, dict[str, Any]]:
        response = self.client.get(self.path)
        assert response.status_code == 200, response.text
        return {e["uid"]: e for e in ical_js(response.content)["events"]}

    def edit(self, old: str, new: str) -> None:
        """Edit the plan file (not synced), written a minute after the last edit or sync."""
        path = self.app.settings.plan_path
        text = path.read_text()
        assert old in text
        path.write_text(text.replace(old, new))
        self.clock += 60
        os.utime(path, (self.clock, self.clock))

    def sync(self) -> None:
        sync(self.app, None)
        self.clock = max(self.clock, time.time())


def _stamps(event: dict[str, Any]) -> tuple[str, str]:
    assert event["dtstamp"] == event["lastModified"]
    return event["dtstamp"], event["lastModified"]


def test_stamps_and_sequence_follow_edits_before_and_after_the_sync(
    tmp_path: Path, migrated_url: str
) -> None:
    cal = Subscriber(synced_app(tmp_path, migrated_url), "programme")
    uid = "1.1.3@zorg-test.regie"
    first = cal.fetch()
    assert (first[uid]["status"], first[uid]["sequence"]) == ("CONFIRMED", 0)

    # Taken out of the plan and synced: cancelled, SEQUENCE up, a later stamp.
    cal.edit(REMOVED, "")
    cal.sync()
    removed = cal.fetch()
    assert (removed[uid]["status"], removed[uid]["sequence"]) == ("CANCELLED", 1)
    assert removed[uid]["dtstamp"] > first[uid]["dtstamp"]

    # Put back in the file, not synced yet: confirmed again, SEQUENCE up, stamped later still
    # (the store's newest change for it is the removal: the file's edit is the change).
    cal.edit('          - id: "1.1.4"\n', REMOVED + '          - id: "1.1.4"\n')
    back = cal.fetch()
    assert (back[uid]["status"], back[uid]["sequence"]) == ("CONFIRMED", 2)
    assert back[uid]["dtstamp"] > removed[uid]["dtstamp"]
    assert back[uid]["lastModified"] == back[uid]["dtstamp"]

    # The sync stores what the feed already showed: nothing changes for the subscriber.
    cal.sync()
    assert cal.fetch() == back

    # Renamed, not synced: the summary changes with a later stamp, SEQUENCE stays (the date
    # did not move); the other events keep theirs.
    cal.edit("title: Vervolgmeting", "title: Vervolgmeting wijk")
    renamed = cal.fetch()
    assert renamed[uid]["summary"] == "[1.1.3] Vervolgmeting wijk (Q4-2016/Q1-2017)"
    assert renamed[uid]["sequence"] == 2
    assert _stamps(renamed[uid]) > _stamps(back[uid])
    assert {u: e for u, e in renamed.items() if u != uid} == {
        u: e for u, e in back.items() if u != uid
    }

    # The date moved, not synced: SEQUENCE up, a later stamp.
    cal.edit("gereed: Q4-2016/Q1-2017", "gereed: Q2-2017")
    moved = cal.fetch()
    assert (moved[uid]["start"], moved[uid]["sequence"]) == ("2017-06-30", 3)
    assert _stamps(moved[uid]) > _stamps(renamed[uid])

    # Then synced: no churn, not one stamp moves.
    cal.sync()
    assert cal.fetch() == moved


def test_a_status_change_is_stamped_and_a_cancellation_raises_the_sequence(
    tmp_path: Path, migrated_url: str
) -> None:
    cal = Subscriber(synced_app(tmp_path, migrated_url), "programme")
    uid = "2.1@zorg-test.regie"
    before = cal.fetch()
    # No pause: within the same second the stamp still moves past the one published before.
    record_update(cal.app, "2.1", "at_risk", as_of=NOW.date(), forecast=date(2017, 3, 1),
                  completed_on=None, comment="Later", author=None)  # fmt: skip
    late = cal.fetch()
    assert late[uid]["sequence"] == 0  # a note and a forecast: the date itself did not move
    assert _stamps(late[uid]) > _stamps(before[uid])
    record_update(cal.app, "2.1", "cancelled", as_of=NOW.date(), forecast=None,
                  completed_on=None, comment="Vervalt", author=None)  # fmt: skip
    cancelled = cal.fetch()
    assert (cancelled[uid]["status"], cancelled[uid]["sequence"]) == ("CANCELLED", 1)
    assert _stamps(cancelled[uid]) > _stamps(late[uid])
    assert {u: e for u, e in cancelled.items() if u != uid} == {
        u: e for u, e in before.items() if u != uid
    }


def test_a_moved_meeting_raises_its_sequence_and_unrelated_edits_leave_meetings_alone(
    tmp_path: Path, migrated_url: str
) -> None:
    cal = Subscriber(synced_app(tmp_path, migrated_url), "body:regieteam")
    uid = "regieteam-2016-03-29@zorg-test.regie"
    first_response = cal.client.get(cal.path)
    first = {e["uid"]: e for e in ical_js(first_response.content)["events"]}
    assert first[uid]["sequence"] == 0

    # An edit elsewhere in the plan (an item's title): the meetings' bytes and ETag stay.
    cal.edit("title: Vervolgmeting", "title: Vervolgmeting wijk")
    again = cal.client.get(cal.path)
    assert (again.content, again.headers["etag"]) == (
        first_response.content, first_response.headers["etag"]
    )  # fmt: skip

    # The meetings' time moves: same UID, later start, SEQUENCE up, a later stamp.
    cal.edit('time: "10:00"', 'time: "14:00"')
    moved = cal.fetch()
    assert moved[uid]["startUtc"] == int(datetime(2016, 3, 29, 12, 0, tzinfo=UTC).timestamp())
    assert moved[uid]["sequence"] == 1
    assert _stamps(moved[uid]) > _stamps(first[uid])

    # Only the location changes: a later stamp, the same SEQUENCE (the time did not move).
    cal.edit("location: Stadhuis, zaal 2; ingang B", "location: Stadhuis, zaal 3")
    relocated = cal.fetch()
    assert (relocated[uid]["location"], relocated[uid]["sequence"]) == ("Stadhuis, zaal 3", 1)
    assert _stamps(relocated[uid]) > _stamps(moved[uid])
    cal.sync()
    assert cal.fetch() == relocated
