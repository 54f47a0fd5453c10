"""The owner's answer form after a failed POST (WCAG 2.1 AA 3.3.1, 3.3.2, 4.1.2): the page's
title says there is an error, the summary takes the focus, each error is its field's description
and marks the field invalid; the status is marked required; a date is asked for as the
browser's date control shows it (day-month-year) and read as the form sends it; a rejected date
is quoted in its error instead of being put back into a date input that cannot show it."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from regie.bootstrap import App
from regie.services import today as business_today
from regie.texts import form_words
from store import Repository
from tests.integration.link_setup import FIRST_DAY, link_app, queue_and_send
from tests.integration.mail_setup import Clock
from web.app import create_app

FORM_ONLY = pytest.mark.one_database(
    "the form's errors, from SQL this file's other PostgreSQL tests run"
)


@pytest.fixture
def app(migrated_url: str, tmp_path: Path) -> App:
    return link_app(migrated_url, tmp_path)


class Page(HTMLParser):
    """Elements by id, the radios, the <title> and the text of each element with an id."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.by_id: dict[str, dict[str, str | None]] = {}
        self.text: dict[str, str] = {}
        self.radios: list[dict[str, str | None]] = []
        self.fieldsets: list[dict[str, str | None]] = []
        self.summary: dict[str, str | None] = {}
        self._open: list[tuple[str, str]] = []
        self.feed(html)
        title = re.search(r"<title>(.*?)</title>", html, re.S)
        self.title = " ".join(title[1].split()) if title else ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.by_id[str(found["id"])] = found
            self.text[str(found["id"])] = ""
            if tag not in ("input", "br"):
                self._open.append((tag, str(found["id"])))
        if tag == "input" and found.get("type") == "radio":
            self.radios.append(found)
        if tag == "fieldset":
            self.fieldsets.append(found)
        if "error-summary" in (found.get("class") or ""):
            self.summary = found

    def handle_data(self, data: str) -> None:
        for _, element in self._open:
            self.text[element] += data

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1][0] == tag:
            self._open.pop()


def _csrf(html: str) -> str:
    return html.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def _describedby(element: dict[str, str | None]) -> list[str]:
    return (element.get("aria-describedby") or "").split()


@FORM_ONLY
def test_a_failed_post_ties_each_error_to_its_field(
    sender_clock: Clock,  # before app: the page's year is the test's, also at New Year (clock54)
    app: App,
) -> None:
    ((_, token),) = queue_and_send(app, FIRST_DAY)["anna"]
    web = TestClient(create_app(app), raise_server_exceptions=True)
    form = web.get(f"/antwoord/{token}")
    first = Page(form.text)
    assert first.title.startswith("Update geven – ")
    # The status is required, and said to be, before any error.
    (group,) = first.fieldsets
    assert group.get("role") == "radiogroup" and group.get("aria-required") == "true"
    assert all("required" in radio for radio in first.radios)
    assert "aria-invalid" not in group and "aria-invalid" not in first.by_id["forecast"]
    hint = first.text[_describedby(first.by_id["forecast"])[0]]
    assert "dag-maand-jaar" in hint and "JJJJ" not in form.text

    sent = {"forecast": "22016-03-10", "completed_on": "", "csrf_token": _csrf(form.text)}
    page = web.post(f"/antwoord/{token}", data=sent)
    assert page.status_code == 422
    failed = Page(page.text)
    assert failed.title.startswith("Fout: Update geven – ")
    # The summary takes the focus (no script needed) and its links lead to the fields.
    assert "autofocus" in failed.summary and failed.summary.get("tabindex") == "-1"
    assert 'href="#status"' in page.text and 'href="#forecast"' in page.text
    assert failed.by_id["status"].get("type") == "radio"  # the link's target can take focus
    # The radio group: invalid, described by its error.
    (group,) = failed.fieldsets
    assert group.get("aria-invalid") == "true"
    assert [failed.text[i].strip() for i in _describedby(group)] == ["Kies een stand."]
    # The date: invalid, described by its hint and its error, which quotes what was rejected.
    forecast = failed.by_id["forecast"]
    assert forecast.get("aria-invalid") == "true"
    described = [" ".join(failed.text[i].split()) for i in _describedby(forecast)]
    # The error names the field as its label does (this item is overdue: a new date) and says
    # what to type, without repeating the hint just above it.
    # The example is the end of this year (it was a fixed 2025: a past date for a forecast).
    year = business_today(app).year
    hint = form_words("date_hint", year=year)
    assert f"bijvoorbeeld 31-12-{year}." in hint
    assert described == [
        hint,
        "Nieuwe verwachte datum gereed: ‘22016-03-10’ is geen datum; typ dag-maand-jaar, zoals "
        f"31-12-{year}.",
    ]
    assert hint not in described[1]
    assert forecast.get("value") == ""  # a date input cannot show it: not put back
    # The fields without a problem are not marked.
    assert "aria-invalid" not in failed.by_id["completed_on"]
    assert "aria-invalid" not in failed.by_id["note"]


@FORM_ONLY
def test_a_date_is_read_as_the_form_sends_it_or_as_a_person_types_it(app: App) -> None:
    ((item, token),) = queue_and_send(app, FIRST_DAY)["anna"]
    web = TestClient(create_app(app), raise_server_exceptions=True)
    later = date.today() + timedelta(days=90)  # answers count for today
    form = web.get(f"/antwoord/{token}")
    typed = f"{later.day}-{later.month}-{later.year}"  # as the hint says: day-month-year
    done = web.post(
        f"/antwoord/{token}",
        data={
            "status": "at_risk",
            "forecast": typed,
            "note": "Wacht op de aanbesteding.",  # overdue: Risico says what is stuck
            "csrf_token": _csrf(form.text),
        },
    )
    assert done.status_code == 200, done.text
    with app.session() as session:
        (update,) = Repository(session, "wegen-test").status_updates()
    assert (update.item_id, update.forecast) == (item, later)


@FORM_ONLY
def test_a_date_read_but_refused_comes_back_as_the_date_input_shows_it(app: App) -> None:
    """A forecast the domain refuses (before today) is put back as ISO, the only form a date
    input shows, whatever form it was typed in."""
    ((_, token),) = queue_and_send(app, FIRST_DAY)["anna"]
    web = TestClient(create_app(app), raise_server_exceptions=True)
    form = web.get(f"/antwoord/{token}")
    page = web.post(
        f"/antwoord/{token}",
        data={"status": "at_risk", "forecast": "1-2-2001", "csrf_token": _csrf(form.text)},
    )
    assert page.status_code == 422, page.text
    failed = Page(page.text)
    assert failed.by_id["forecast"].get("value") == "2001-02-01"
    assert failed.by_id["forecast"].get("aria-invalid") == "true"


@FORM_ONLY
def test_an_overdue_items_new_date_years_ahead_is_refused_at_its_field(app: App) -> None:
    """The item is past its deadline (30 juni 2025): its form asks the new date first, and one
    more than 2 years ahead (a slip of the date picker's year) is an error, nothing stored."""
    ((_, token),) = queue_and_send(app, FIRST_DAY)["anna"]
    web = TestClient(create_app(app), raise_server_exceptions=True)
    form = web.get(f"/antwoord/{token}")
    assert form.text.index('id="forecast"') < form.text.index('name="status"')
    far = date.today() + timedelta(days=3 * 366)  # answers count for today
    page = web.post(
        f"/antwoord/{token}",
        data={"status": "on_track", "forecast": far.isoformat(), "csrf_token": _csrf(form.text)},
    )
    assert page.status_code == 422, page.text
    failed = Page(page.text)
    assert "meer dan 2 jaar vooruit" in failed.text["forecast-fout"]
    assert failed.by_id["forecast"].get("value") == far.isoformat()  # shown back as picked
    with app.session() as session:
        assert Repository(session, "wegen-test").status_updates() == []


@FORM_ONLY
def test_a_quick_link_preselects_only_what_an_overdue_item_can_be_without_a_date(
    app: App,
) -> None:
    """``?status=`` checks that choice on the form (GET still stores nothing); on an overdue
    item "Op schema" needs the new date, so a quick link cannot preselect it."""
    ((_, token),) = queue_and_send(app, FIRST_DAY)["anna"]
    web = TestClient(create_app(app), raise_server_exceptions=True)

    def checked(query: str) -> list[str | None]:
        page = Page(web.get(f"/antwoord/{token}{query}").text)
        return [r.get("value") for r in page.radios if "checked" in r]

    assert checked("?status=done") == ["done"]
    assert checked("?status=at_risk") == ["at_risk"]
    assert checked("?status=on_track") == []  # overdue: the date comes first
    assert checked("?status=cancelled") == [] and checked("") == []
    with app.session() as session:
        assert Repository(session, "wegen-test").status_updates() == []


def _stored(app: App) -> tuple[list[tuple[str, str | None]], list[str]]:
    """The updates (status, note) and every event recorded for the programme."""
    with app.session() as session:
        repo = Repository(session, "wegen-test")
        updates = [(u.status.value, u.comment) for u in repo.status_updates()]
        return updates, [e.name for e in repo.events()]


def test_stuck_on_an_overdue_item_needs_a_note_at_the_note_field(app: App) -> None:
    """On an overdue item *Risico* is "loopt vast of hulp nodig (schrijf hieronder wat er
    nodig is)": without a note it is refused at *Toelichting*, as Slack's *Loopt vast…* is,
    and nothing is stored (no update, no event); with a note it is stored (walk32c 5)."""
    ((_, token),) = queue_and_send(app, FIRST_DAY)["anna"]
    web = TestClient(create_app(app), raise_server_exceptions=True)
    form = web.get(f"/antwoord/{token}")
    assert form_words("overdue_at_risk") in form.text  # the overdue form's wording
    before = _stored(app)
    sent = {"status": "at_risk", "note": "  \r\n ", "csrf_token": _csrf(form.text)}
    page = web.post(f"/antwoord/{token}", data=sent)
    assert page.status_code == 422, page.text
    failed = Page(page.text)
    note = failed.by_id["note"]
    assert note.get("aria-invalid") == "true"
    error = " ".join(failed.text["note-fout"].split())
    assert error == (
        "De toelichting ontbreekt: schrijf kort wat er vastloopt of welke hulp u nodig hebt."
    )
    assert "note-fout" in _describedby(note)
    assert 'href="#note"' in page.text  # the summary leads to it
    assert "aria-invalid" not in failed.by_id["forecast"]
    assert [r.get("value") for r in failed.radios if "checked" in r] == ["at_risk"]
    assert _stored(app) == before

    again = web.post(f"/antwoord/{token}", data={**sent, "note": "Wacht op de aanbesteding."})
    assert again.status_code == 200, again.text
    assert _stored(app)[0] == [*before[0], ("at_risk", "Wacht op de aanbesteding.")]


@FORM_ONLY
def test_stuck_with_a_date_still_says_what_is_stuck(app: App) -> None:
    """The overdue form's *Risico* is "loopt vast" with or without the date above it (Slack's
    *Loopt vast…* asks a date "als u dat weet" and the note always); *Op schema* with the new
    date (verschoven) needs no note."""
    ((_, token),) = queue_and_send(app, FIRST_DAY)["anna"]
    web = TestClient(create_app(app), raise_server_exceptions=True)
    form = web.get(f"/antwoord/{token}")
    later = (date.today() + timedelta(days=60)).isoformat()  # answers count for today
    sent = {"status": "at_risk", "forecast": later, "csrf_token": _csrf(form.text)}
    page = web.post(f"/antwoord/{token}", data=sent)
    assert page.status_code == 422, page.text
    assert Page(page.text).by_id["note"].get("aria-invalid") == "true"
    assert _stored(app)[0] == []
    moved = web.post(f"/antwoord/{token}", data={**sent, "status": "on_track"})
    assert moved.status_code == 200, moved.text
    assert _stored(app)[0] == [("on_track", None)]
