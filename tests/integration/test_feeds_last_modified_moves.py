"""Review webrev finding 3: a feed's Last-Modified moves whenever its bytes change, so a client
that revalidates with If-Modified-Since only (no ETag) never gets a false 304 and keeps an event
that left the feed or an old count in the description; within a day both stay put. On SQLite and
PostgreSQL, the feeds read by ical.js."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path

import pytest

from regie.bootstrap import App
from regie.feeds import build_feed
from tests.integration.feed_clients import ical_js, synced_app
from tests.integration.test_feeds_keep_done import _keep

WRITTEN = datetime(2016, 1, 4, 9, 0, tzinfo=UTC)  # the plan file and its sync
ANSWERED = datetime(2016, 1, 11, 10, 0, tzinfo=UTC)


class _Clock:
    """Regie's one clock (:func:`governance.clock.utcnow`) set to a moment in 2016, the days
    the feeds are built for: the test's wall clock would put every change after all of them."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import governance.clock

        self.at = WRITTEN
        clock = self

        class Frozen(datetime):
            @classmethod
            def now(cls, tz: tzinfo | None = None) -> Frozen:  # type: ignore[override]
                return cls.fromtimestamp(clock.at.timestamp(), tz)

        monkeypatch.setattr(governance.clock, "datetime", Frozen)


def _written(app: App) -> None:
    stamp = WRITTEN.timestamp()
    os.utime(app.settings.plan_path, (stamp, stamp))


def _feed(app: App, scope: str, as_of: date) -> tuple[bytes, str, datetime]:
    from regie.feeds import _scope

    plan = app.load_plan()
    feed = build_feed(app, plan, _scope(scope, plan), as_of)
    return feed.body, feed.etag, feed.changed_at


def test_an_event_leaving_the_window_moves_last_modified(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from regie.history import record_update

    clock = _Clock(monkeypatch)
    app = synced_app(tmp_path, migrated_url)
    _keep(app, 6)
    _written(app)
    clock.at = ANSWERED
    record_update(app, "1.1.1", "done", as_of=date(2016, 1, 11), forecast=None,
                  completed_on=date(2016, 1, 11), comment=None, author="kbakker")  # fmt: skip
    for scope in ("org:GGD", "contact:kbakker", "programme"):
        body, etag, before = _feed(app, scope, date(2016, 7, 11))
        assert "1.1.1" in {str(e["uid"]).split("@")[0] for e in ical_js(body)["events"]}
        after_body, after_etag, after = _feed(app, scope, date(2016, 7, 12))
        assert "1.1.1" not in {str(e["uid"]).split("@")[0] for e in ical_js(after_body)["events"]}
        assert after_etag != etag and after > before, scope
        assert after == datetime(2016, 7, 11, 22, 0, tzinfo=UTC)  # 12 July, Amsterdam midnight
        assert _feed(app, scope, date(2016, 7, 12))[1:] == (after_etag, after)  # within a day


def test_an_undated_item_finished_moves_last_modified(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GGD's count of open items without a date drops when one of them is finished: the body
    changes, and so does Last-Modified, though no event changed."""
    from regie.history import record_update

    clock = _Clock(monkeypatch)
    app = synced_app(tmp_path, migrated_url)
    _written(app)
    as_of = date(2016, 1, 11)
    body, etag, before = _feed(app, "org:GGD", as_of)
    assert "4 open" in str(ical_js(body)["calendarDescription"])
    assert "1.1.6" in _undated_ggd_items(app, as_of)  # "Ntb"
    clock.at = ANSWERED
    record_update(app, "1.1.6", "done", as_of=as_of, forecast=None, completed_on=as_of,
                  comment=None, author=None)  # fmt: skip
    body2, etag2, after = _feed(app, "org:GGD", as_of)
    assert "3 open" in str(ical_js(body2)["calendarDescription"])
    assert etag2 != etag and after == ANSWERED > before


def _undated_ggd_items(app: App, as_of: date) -> list[str]:
    from regie.office import _assessment

    _, assessment = _assessment(app, as_of)
    found = [i.item_id for i in assessment.items.values()
             if i.due is None and "GGD" in i.owners
             and i.state.value not in ("done", "cancelled")]  # fmt: skip
    return found


def test_a_past_meeting_leaving_the_window_moves_last_modified(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The regieteam's meeting of 29 March 2016 leaves its feed six months later, on 30
    September: the bytes change, and so do the ETag and Last-Modified (that day's start in
    Amsterdam), though no meeting changed; the clock is the days' own, passed as ``as_of``."""
    _Clock(monkeypatch)
    app = synced_app(tmp_path, migrated_url)
    _keep(app, 6)
    _written(app)
    body, etag, before = _feed(app, "body:regieteam", date(2016, 9, 29))
    uids = {str(e["uid"]).split("@")[0] for e in ical_js(body)["events"]}
    assert uids == {"regieteam-2016-03-29", "regieteam-2016-10-31"}
    after_body, after_etag, after = _feed(app, "body:regieteam", date(2016, 9, 30))
    uids = {str(e["uid"]).split("@")[0] for e in ical_js(after_body)["events"]}
    assert uids == {"regieteam-2016-10-31"}
    assert after_etag != etag and after > before
    assert after == datetime(2016, 9, 29, 22, 0, tzinfo=UTC)  # 30 September, Amsterdam midnight
    assert _feed(app, "body:regieteam", date(2016, 9, 30))[1:] == (after_etag, after)
    # Later days keep that moment: nothing else left since.
    assert _feed(app, "body:regieteam", date(2016, 10, 15))[1:] == (after_etag, after)
