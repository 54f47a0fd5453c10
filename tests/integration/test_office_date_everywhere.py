"""Every date a user reads, and every "once a day", is the programme office's, not UTC's: at
00:30 in Amsterdam on 1 July (22:30 UTC on 30 June) and at 00:30 on New Year's Day (23:30 UTC on
31 December) the two dates differ. Regie's one clock (:func:`governance.clock.utcnow`) is set to
such an instant or the instant is passed; the real clock is never read. SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

import governance.clock
from regie.bootstrap import App, bootstrap
from regie.config import load_settings
from regie.feeds import create_token, export_feed, revoke_token
from regie.services import sync, today
from store.audit import TOKEN_CREATED, TOKEN_REVOKED
from store.bounces import SENDER_REFUSED_EVENT
from store.models import EventRow
from tests.integration.feed_clients import ical_js, synced_app
from tests.integration.test_web_agenda_tokens import _rows
from tests.integration.test_web_problem_pages import _office
from web.app import create_app

#: Half past midnight on 1 July in Amsterdam, still 30 June in UTC.
SUMMER_NIGHT = datetime(2016, 6, 30, 22, 30, tzinfo=UTC)
#: Half past midnight on New Year's Day in Amsterdam, still New Year's Eve in UTC.
NEW_YEAR = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)


def _set_clock(monkeypatch: pytest.MonkeyPatch, at: datetime) -> None:
    """Regie's one clock at ``at``: its ``datetime.now`` (so ``utcnow`` however imported)."""

    class Frozen(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> Frozen:  # type: ignore[override]
            return cls.fromtimestamp(at.timestamp(), tz)

    monkeypatch.setattr(governance.clock, "datetime", Frozen)


def _events(app: App, *names: str) -> list[tuple[str, date]]:
    """The programme's events of ``names``: (name, the business day filed under), in order."""
    with app.session() as session:
        rows = session.execute(
            sa.select(EventRow.name, EventRow.occurred_on)
            .where(EventRow.name.in_(names))
            .order_by(EventRow.id)
        )
        return [(name, day) for name, day in rows.tuples()]


def test_today_is_the_office_s_date_on_regie_s_clock(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = synced_app(tmp_path, migrated_url)
    monkeypatch.setattr(governance.clock, "utcnow", lambda: NEW_YEAR)
    assert today(app) == date(2027, 1, 1)
    assert today(app, now=SUMMER_NIGHT) == date(2016, 7, 1)
    # The office in another zone (REGIE_TIMEZONE) has its own date.
    in_utc = App(replace(app.settings, timezone="UTC"))
    assert today(in_utc) == date(2026, 12, 31)


def test_calendar_tokens_show_and_file_the_office_s_dates(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = synced_app(tmp_path, migrated_url)
    made = create_token(app, "programme", "Iedereen", SUMMER_NIGHT)
    gone = create_token(app, "org:GGD", None, SUMMER_NIGHT)
    revoke_token(app, gone.id, SUMMER_NIGHT + timedelta(minutes=5))
    web = TestClient(create_app(app))
    with monkeypatch.context() as clock:  # the subscriber's calendar fetches it that night
        _set_clock(clock, SUMMER_NIGHT + timedelta(minutes=10))
        assert web.get(f"/calendar/{made.token}.ics").status_code == 200

    rows = _rows(_office(web, app).get("/agenda").text)
    assert (rows[made.id]["Gemaakt"], rows[made.id]["Laatst gebruikt"]) == ("1 juli 2016",) * 2
    assert rows[gone.id]["Status"].startswith("ingetrokken op 1 juli 2016 door ")
    # The audit trail files the events under the same day.
    assert _events(app, TOKEN_CREATED, TOKEN_REVOKED) == [
        (TOKEN_CREATED, date(2016, 7, 1)),
        (TOKEN_CREATED, date(2016, 7, 1)),
        (TOKEN_REVOKED, date(2016, 7, 1)),
    ]


def test_an_item_taken_out_of_the_plan_leaves_the_feed_by_the_office_s_date(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Taken out at 00:30 on 1 July 2017 in Amsterdam: kept six months after that day (its date,
    31 March 2017, is earlier), so still there on 1 January 2018, gone on the 2nd."""
    app = synced_app(tmp_path, migrated_url)
    path = app.settings.plan_path
    text = path.read_text("utf-8")
    removed = '          - id: "1.1.3"\n            title: Vervolgmeting\n'
    removed += "            gereed: Q4-2016/Q1-2017\n"
    assert removed in text and "feed_keep_done_months: 1200" in text
    text = text.replace(removed, "").replace(
        "feed_keep_done_months: 1200", "feed_keep_done_months: 6"
    )
    path.write_text(text, "utf-8")
    with monkeypatch.context() as clock:
        _set_clock(clock, datetime(2017, 6, 30, 22, 30, tzinfo=UTC))
        sync(app, None)

    def uids(as_of: date) -> set[str]:
        events = ical_js(export_feed(app, "programme", as_of))["events"]
        return {str(e["uid"]) for e in events}

    assert "1.1.3@zorg-test.regie" in uids(date(2018, 1, 1))
    assert "1.1.3@zorg-test.regie" not in uids(date(2018, 1, 2))


def test_a_refused_sender_is_recorded_once_a_day_of_the_office(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """23:30 and 00:30 in Amsterdam are two days of the office (one day of UTC's): the refusal
    is recorded on each, filed under the office's date."""
    from regie.cycle import deadline_check, send_reminders
    from tests.fakes.smtp import SmtpServer
    from tests.integration.mail_setup import DAY, mail_env

    with SmtpServer(sender_reply="553 5.7.1 Sender address rejected: not owned by user") as relay:
        app = bootstrap(load_settings(mail_env(tmp_path, migrated_url, relay)))
        deadline_check(app, DAY)
        for at in (NEW_YEAR - timedelta(hours=1), NEW_YEAR, NEW_YEAR + timedelta(minutes=5)):
            with monkeypatch.context() as clock:
                _set_clock(clock, at)
                assert send_reminders(app).stopped
    assert _events(app, SENDER_REFUSED_EVENT) == [
        (SENDER_REFUSED_EVENT, date(2026, 12, 31)),
        (SENDER_REFUSED_EVENT, date(2027, 1, 1)),
    ]


def test_a_sync_files_its_events_and_cancellations_under_the_office_s_date(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """REGIE_TIMEZONE says the office keeps UTC's date, the plan says Amsterdam: a sync at 23:30
    UTC on New Year's Eve files a contact's new channel and an item the file drops under
    31 December, the day ``today()`` gives, not the plan zone's 1 January (review2, finding 1)."""
    from store.models import StatusUpdateRow
    from store.sync import CONTACT_CHANGED_EVENT

    app = App(replace(synced_app(tmp_path, migrated_url).settings, timezone="UTC"))
    path = app.settings.plan_path
    text = path.read_text("utf-8")
    dropped = "            gereed: Q4-2016/Q1-2017\n"
    email = "    email: k.bakker@example.org\n"
    assert email in text and dropped in text
    text = text.replace(email, email + "    channel: email\n")
    path.write_text(text.replace(dropped, dropped + "            cancelled_by: vervallen\n"))
    with monkeypatch.context() as clock:
        _set_clock(clock, NEW_YEAR)
        assert today(app) == date(2026, 12, 31)
        sync(app, None)
    assert _events(app, CONTACT_CHANGED_EVENT) == [(CONTACT_CHANGED_EVENT, date(2026, 12, 31))]
    with app.session() as session:
        cancelled = session.execute(
            sa.select(StatusUpdateRow.reported_on).where(StatusUpdateRow.item_code == "1.1.3")
        ).scalars()
        assert list(cancelled) == [date(2026, 12, 31)]


def _in_curacao(tmp_path: Path, url: str) -> App:
    """A synced programme whose plan puts the office in Curaçao (UTC−4: :data:`NEW_YEAR` is
    still New Year's Eve there, as in UTC, while it is New Year's Day in Amsterdam)."""
    app = synced_app(tmp_path, url)
    path = app.settings.plan_path
    text = path.read_text("utf-8")
    assert "timezone: Europe/Amsterdam" not in text  # the default zone: use another one
    path.write_text(text.replace("calendar:\n", "calendar:\n  timezone: America/Curacao\n", 1))
    return app


def _break_the_plan(app: App, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Break the programme's plan file; the plan files parsed from then on, one entry a parse."""
    import regie.parse_cache

    parsed = []
    real = regie.parse_cache.load_plan_cached

    def counting(*args: object, **kwargs: object) -> object:
        parsed.append(args[0])
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(regie.parse_cache, "load_plan_cached", counting)
    app.settings.plan_path.write_text("programme: [kapot\n", "utf-8")
    return parsed


def test_the_office_zone_of_a_broken_plan_is_the_last_good_one_read_once(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A revoked calendar link or a login files an event while the plan file is broken: the
    office's zone is then the last good plan's, and the broken file is parsed once per version,
    not on every request (review2, finding 2)."""
    from regie.services import office_day, office_zone

    app = _in_curacao(tmp_path, migrated_url)
    assert office_zone(app) == "America/Curacao"
    parsed = _break_the_plan(app, monkeypatch)
    days = {office_day(app, NEW_YEAR) for _ in range(3)}
    assert days == {date(2026, 12, 31)}  # 19:30 on New Year's Eve in Curaçao
    assert len(parsed) == 1


def test_today_of_a_broken_plan_is_the_last_good_plan_s_date_and_reads_it_once(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The office's date does not parse the plan again, nor fail with it: while the file is
    broken it is the date in the last good plan's zone (a command that needs the plan reports
    the problems when it loads it)."""
    app = _in_curacao(tmp_path, migrated_url)
    _set_clock(monkeypatch, NEW_YEAR)
    assert today(app) == date(2026, 12, 31)  # 19:30 on New Year's Eve in Curaçao
    parsed = _break_the_plan(app, monkeypatch)
    assert {today(app) for _ in range(3)} == {date(2026, 12, 31)}  # not Amsterdam's 1 January
    assert len(parsed) == 1  # the broken version, once
