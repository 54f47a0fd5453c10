"""What a big or long-running feed leaves out and says it leaves out, read by ical.js and
icalendar, on SQLite and PostgreSQL:

- each calendar's description counts its scope's open items without a date (not in any
  calendar) and says where to see them;
- done and dropped items leave the feeds ``calendar.feed_keep_done_months`` after their date or
  the day they were finished, whichever is later; past meetings likewise; the description says
  so, and two fetches on one day get the same bytes;
- a meeting schedule still marked ``example: true`` says "voorbeelddatum" on every meeting.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from icalendar import Calendar

from regie.bootstrap import App
from regie.feeds import export_feed
from tests.integration.feed_clients import ical_js, icalendar_events, synced_app

DURATION = "      duration: 90\n"
KEEP = "  feed_keep_done_months: 1200\n"


def _description(app: App, scope: str, as_of: date) -> str:
    body = export_feed(app, scope, as_of)
    text = str(ical_js(body)["calendarDescription"])
    assert str(Calendar.from_ical(body)["DESCRIPTION"]) == text  # both readers agree
    return text


def _uids(app: App, scope: str, as_of: date) -> set[str]:
    body = export_feed(app, scope, as_of)
    found = {str(e["uid"]).split("@")[0] for e in ical_js(body)["events"]}
    assert found == {u.split("@")[0] for u in icalendar_events(body)}
    return found


def _keep(app: App, months: int) -> None:
    plan = app.settings.plan_path
    text = plan.read_text("utf-8")
    assert KEEP in text
    plan.write_text(text.replace(KEEP, f"  feed_keep_done_months: {months}\n"), "utf-8")


def test_a_calendar_counts_its_open_items_without_a_date(tmp_path: Path, migrated_url: str) -> None:
    from regie.history import record_update

    app = synced_app(tmp_path, migrated_url)
    as_of = date(2016, 1, 11)
    # GGD: 'Vanaf 2016', 'Periodiek', 'Ntb' and one waiting on 1.1.1; GEM: none.
    ggd = _description(app, "org:GGD", as_of)
    assert "hebben 4 open punten (acties en mijlpalen) binnen deze selectie nog geen datum" in ggd
    assert "die staan daarom niet in deze agenda" in ggd
    # An owner's calendar (org, contact) points to the reminders and the office, not to the
    # office's overview, which they cannot log into; the programme's calendar does.
    assert "met inlog" not in ggd and "http://" not in ggd
    assert "Naar de stand ervan vraagt het programmabureau u in de herinneringen" in ggd
    programme = _description(app, "programme", as_of)
    assert (
        "overzicht van Regie (http://127.0.0.1:8000/, met inlog) of via het programmabureau"
        in programme
    )
    assert "voor deze agenda zijn er nu geen." in _description(app, "org:GEM", as_of)
    assert "geen datum" not in _description(app, "body:regieteam", as_of)
    # 1.1.1 done: the one waiting on it gets its date, so three are left without one.
    record_update(app, "1.1.1", "done", as_of=as_of, forecast=None, completed_on=as_of,
                  comment=None, author="kbakker")  # fmt: skip
    kbakker = _description(app, "contact:kbakker", as_of)
    assert (
        "hebben 3 open punten (acties en mijlpalen) binnen deze selectie nog geen datum" in kbakker
    )
    assert "met inlog" not in kbakker


def test_long_done_items_and_past_meetings_leave_the_feed(
    tmp_path: Path, migrated_url: str
) -> None:
    from regie.history import record_update

    app = synced_app(tmp_path, migrated_url)
    _keep(app, 6)
    record_update(app, "1.1.1", "done", as_of=date(2016, 1, 11), forecast=None,
                  completed_on=date(2016, 1, 11), comment=None, author="kbakker")  # fmt: skip
    # Done (Q3-2015) on 11 January 2016: kept until six months after it was finished …
    assert "1.1.1" in _uids(app, "programme", date(2016, 7, 11))
    # … then gone; an open item long overdue stays.
    later = _uids(app, "programme", date(2016, 7, 12))
    assert "1.1.1" not in later and "1.1.2" in later
    assert "verdwijnen 6 maanden na afloop" in _description(app, "org:GGD", date(2016, 7, 12))
    # Two fetches on the same day: the same bytes (hence the same ETag).
    assert export_feed(app, "programme", date(2016, 7, 12)) == export_feed(
        app, "programme", date(2016, 7, 12)
    )
    # Meetings: 29 March 2016 is gone six months later, 31 October is still there.
    meetings = _uids(app, "body:regieteam", date(2016, 10, 1))
    assert meetings == {"regieteam-2016-10-31"}
    assert "Vergaderingen verdwijnen 6 maanden na afloop" in _description(
        app, "body:regieteam", date(2016, 10, 1)
    )
    assert _uids(app, "body:regieteam", date(2016, 9, 29)) == {
        "regieteam-2016-03-29", "regieteam-2016-10-31"
    }  # fmt: skip


def test_an_example_schedule_says_voorbeelddatum(tmp_path: Path, migrated_url: str) -> None:
    app = synced_app(tmp_path, migrated_url)
    plan = app.settings.plan_path
    text = plan.read_text("utf-8")
    plan.write_text(text.replace(DURATION, DURATION + "      example: true\n"), "utf-8")
    as_of = date(2016, 1, 11)
    body = export_feed(app, "body:regieteam", as_of)
    events = ical_js(body)["events"]
    assert len(events) == 2
    for event in events:
        assert event["summary"] == "Regieteam Gezonde Wijk (voorbeelddatum)"
        assert "Voorbeelddatum: deze datum komt uit een voorbeeldplan" in event["description"]
    assert "komen uit een voorbeeldplan" in _description(app, "body:regieteam", as_of)
    # The flag removed: ordinary meetings again.
    plan.write_text(text, "utf-8")
    again = ical_js(export_feed(app, "body:regieteam", as_of))["events"]
    assert {e["summary"] for e in again} == {"Regieteam Gezonde Wijk"}
