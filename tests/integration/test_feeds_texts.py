"""What a subscriber reads in an event (calendar review, findings 3, 7, 8, 9 and 12), as
ical.js and icalendar read it, on SQLite and PostgreSQL:

- a cancelled or done item's title says so ("Vervallen: ", "Afgerond: "), as does a meeting
  that left the schedule: Google ignores CATEGORIES, Outlook shows cancelled events as ordinary;
- a period's deadline says "uiterlijk" and the period ("uiterlijk 30 november 2015 (Najaar
  2015)"); an exact date only the date;
- a date moved or an item dropped by a decision says from which date, by which body on which
  day, and what was decided;
- the office's item page (behind the login) is linked only in the programme's feed;
- a meeting says what the body is for and who sits in it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from regie.bootstrap import App
from regie.feeds import export_feed
from tests.integration.feed_clients import ical_js, icalendar_events, synced_app
from tests.integration.migrated_template import shared_templates
from tests.integration.reports_scenario import make_app

TEXT_ONLY = pytest.mark.one_database(
    "the event's text, from SQL this file's other PostgreSQL tests run"
)

AS_OF = date(2016, 5, 2)
UID = "1.3.1@mvi-2015-2020.regie"


def _events(app: App, scope: str, as_of: date = AS_OF) -> dict[str, dict[str, Any]]:
    body = export_feed(app, scope, as_of)
    js = {e["uid"]: e for e in ical_js(body)["events"]}
    for uid, event in icalendar_events(body).items():  # both readers agree
        assert str(event["SUMMARY"]) == js[uid]["summary"]
        assert str(event.get("DESCRIPTION", "")) == (js[uid]["description"] or "")
    return js


@pytest.fixture
def seed_app(tmp_path: Path, database_url: str) -> App:
    from regie.services import sync

    shared_templates().fill_if_empty(database_url)  # empty: a copy of the migrated template
    app = make_app(tmp_path / "home", database_url)  # a copy of the seed plan
    sync(app, None)
    return app


def test_a_decision_that_moves_or_drops_an_item_is_in_its_event(seed_app: App) -> None:
    from regie.decisions import add_decision

    # An organisation's bracketed explanation is left out of the calendar's name (sidebars).
    named = ical_js(export_feed(seed_app, "org:BZK", AS_OF))["name"]
    assert named.endswith("– deadlines Ministerie van Binnenlandse Zaken en Koninkrijksrelaties")

    before = _events(seed_app, "programme")[UID]
    assert before["summary"] == "[1.3.1] Klimaatambassadeur (Najaar 2015)"
    assert "Deadline: uiterlijk 30 november 2015 (Najaar 2015)" in before["description"]
    assert "Verschoven" not in before["description"]

    add_decision(seed_app, "stuurgroep", date(2016, 1, 12), "Ambassadeur pas na de zomer",
                 set_gereed=("1.3.1", "Q3-2016"))  # fmt: skip
    moved = _events(seed_app, "step:1")[UID]
    assert moved["summary"] == "[1.3.1] Klimaatambassadeur (Q3-2016)"
    assert moved["start"] == "2016-09-30"
    assert "Deadline: uiterlijk 30 september 2016 (Q3-2016)" in moved["description"]
    assert (
        "Verschoven van Najaar 2015 naar Q3-2016 bij besluit Stuurgroep Plan van aanpak MVI, "
        "12 januari 2016: Ambassadeur pas na de zomer"
    ) in moved["description"]

    add_decision(seed_app, "stuurgroep", date(2016, 4, 12), "Geen ambassadeur", cancel="1.3.1")
    dropped = _events(seed_app, "programme")[UID]
    assert dropped["status"] == "CANCELLED"
    assert dropped["summary"] == "Vervallen: [1.3.1] Klimaatambassadeur (Q3-2016)"
    assert (
        "Vervallen bij besluit Stuurgroep Plan van aanpak MVI, 12 april 2016: Geen ambassadeur"
    ) in dropped["description"]
    # Before the decision's meeting the event does not cite it.
    assert (
        "Geen ambassadeur"
        not in _events(seed_app, "programme", date(2016, 2, 1))[UID]["description"]
    )


def test_titles_deadlines_and_links_say_what_a_subscriber_needs(
    tmp_path: Path, migrated_url: str
) -> None:
    from regie.history import record_update

    app = synced_app(tmp_path, migrated_url)
    as_of = date(2016, 1, 11)
    record_update(app, "1.1.1", "done", as_of=as_of, forecast=None, completed_on=as_of,
                  comment=None, author="kbakker")  # fmt: skip
    programme = {e["uid"].split("@")[0]: e for e in _events(app, "programme", as_of).values()}
    # The calendar says what it holds and what not (an empty one does not look broken).
    body = export_feed(app, "org:GGD", as_of)
    js = ical_js(body)
    assert "nog geen datum (‘Ntb’, doorlopend, periodiek" in js["calendarDescription"]
    assert "staat op de laatste dag ervan: uiterlijk" in js["calendarDescription"]
    assert js["description"]  # X-WR-CALDESC too (ical.js leaves an X- property escaped)
    assert str(Calendar.from_ical(body)["DESCRIPTION"]) == js["calendarDescription"]
    assert programme["1.1.1"]["summary"].startswith("Afgerond: [1.1.1] ")
    assert programme["1.1.2"]["summary"].startswith("[1.1.2] ")  # open: as it was
    # A period: "uiterlijk" and the period; an exact date: the date alone.
    assert "Deadline: uiterlijk 31 maart 2017 (Q4-2016/Q1-2017)" in programme["1.1.3"][
        "description"]  # fmt: skip
    assert "Deadline: 18 april 2016\n" in programme["1.1.2"]["description"]
    assert "uiterlijk" not in programme["1.1.2"]["description"]
    # The office's page (behind the login) only in the programme's feed, and said to be so.
    assert programme["1.1.2"]["url"].endswith("/items/1.1.2")
    assert "Voor het programmabureau (met inlog): " in programme["1.1.2"]["description"]
    for scope in ("org:GGD", "step:1", "contact:kbakker"):
        for event in _events(app, scope, as_of).values():
            assert event.get("url") in (None, ""), scope
            assert "/items/" not in event["description"], scope


def test_meetings_say_what_the_body_is_and_a_cancelled_one_says_so(
    tmp_path: Path, migrated_url: str
) -> None:
    from regie.feeds import export_feed

    app = synced_app(tmp_path, migrated_url)
    as_of = date(2016, 1, 11)
    export_feed(app, "body:regieteam", as_of)  # published: the 29 March meeting is known
    plan = app.settings.plan_path
    plan.write_text(
        plan.read_text("utf-8").replace("[2016-03-29, 2016-10-31]", "[2016-04-05, 2016-10-31]"),
        "utf-8",
    )
    events = _events(app, "body:regieteam", as_of)
    old = events["regieteam-2016-03-29@zorg-test.regie"]
    new = events["regieteam-2016-04-05@zorg-test.regie"]
    assert old["status"] == "CANCELLED"
    assert old["summary"] == "Vervallen: Regieteam Gezonde Wijk"
    assert new["summary"] == "Regieteam Gezonde Wijk"
    for event in (old, new):
        assert "Doel: Sturen; besluiten, bijsturen" in event["description"]
        assert "Leden: GGD Regio, afdeling Preventie, Gemeente Voorbeeldstad" in event[
            "description"]  # fmt: skip


@TEXT_ONLY
def test_a_first_date_set_by_a_decision_is_not_a_move(tmp_path: Path, database_url: str) -> None:
    """walk32a 11: an item without a date (Ntb) given one by a decision read "Verschoven van Ntb
    naar …"; a first date says it was set (another programme's plan: the feeds fixture)."""
    from regie.decisions import add_decision

    shared_templates().fill_if_empty(database_url)  # empty: a copy of the migrated template
    app = synced_app(tmp_path, database_url)
    add_decision(app, "regieteam", date(2016, 3, 29), "Na de inventarisatie",
                 set_gereed=("1.1.6", "Zomer 2016"))  # fmt: skip
    (event,) = [e for uid, e in _events(app, "programme").items() if uid.startswith("1.1.6@")]
    assert (
        "Datum vastgesteld: Zomer 2016 bij besluit Regieteam Gezonde Wijk, 29 maart 2016: "
        "Na de inventarisatie"
    ) in event["description"]
    assert "Verschoven" not in event["description"]


def test_a_deadline_word_is_said_once_and_the_answer_route_is_the_reminders_own(
    tmp_path: Path, migrated_url: str
) -> None:
    """walk56e 6 and 8: a plan text that says "uiterlijk" itself gets no second one before the
    date; an owner's feed tells how to answer as the reminders do — by their link when answer
    links are on (a REGIE_SECRET_KEY), by replying to the reminder when they are off."""
    from dataclasses import replace

    app = synced_app(tmp_path, migrated_url)
    path = app.settings.plan_path
    path.write_text(
        path.read_text().replace("gereed: Q4-2016/Q1-2017", "gereed: uiterlijk Q1-2017")
    )
    programme = {e["uid"].split("@")[0]: e for e in _events(app, "programme").values()}
    assert "Deadline: 31 maart 2017 (uiterlijk Q1-2017)\n" in programme["1.1.3"]["description"]
    assert "uiterlijk 31 maart" not in programme["1.1.3"]["description"]

    linked = ical_js(export_feed(app, "org:GGD", AS_OF))["calendarDescription"]
    assert "(antwoord via de link daarin)" in linked
    unlinked_app = App(replace(app.settings, secret_key=None))
    unlinked = ical_js(export_feed(unlinked_app, "org:GGD", AS_OF))["calendarDescription"]
    assert "(antwoord door op de herinnering te antwoorden)" in unlinked
    assert "link" not in unlinked
