"""The office's *Besluiten* page: every recorded decision, newest meeting first, each item
linked to its page, its effect in the Dutch of `regie decision list`; filters by body,
meeting, step and effect in the URL (a GET form); the filtered list as a CSV a spreadsheet
opens; behind the login; linked from the menu and the item page."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from regie.bootstrap import App
from tests.integration.feed_clients import synced_app
from tests.integration.test_web_item_page import visible

PAGE_ONLY = pytest.mark.one_database(
    "the page's list and filters, from SQL this file's other PostgreSQL tests run"
)

PASSWORD = "a long enough password"
BODY = "Regieteam Gezonde Wijk"


def _client(app: App) -> TestClient:
    from regie.users import add_user, log_in
    from web.app import create_app
    from web.security import session_cookie_name

    now = datetime.now(UTC)
    add_user(app, "office", PASSWORD, "P. Bureau", now)
    token = log_in(app, "office", PASSWORD, now)
    assert token is not None
    return TestClient(
        create_app(app), cookies={session_cookie_name(app): token}, follow_redirects=False
    )


@pytest.fixture
def decided(tmp_path: Path, migrated_url: str) -> App:
    from regie.decisions import add_decision

    app = synced_app(tmp_path, migrated_url)
    add_decision(app, "regieteam", date(2016, 3, 29), "Inventarisatie loopt door", item_id="1.1.1")
    add_decision(app, "regieteam", date(2016, 3, 29), "Later starten", set_gereed=("2.1", "2017"))
    add_decision(app, "regieteam", date(2016, 10, 31), "=Evaluatie vervalt", cancel="1.1.6")
    return app


def _rows(html: str) -> list[tuple[str, ...]]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in html else ""
    return [
        tuple(visible(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S))
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def test_every_decision_newest_first_with_links_and_effects(decided: App) -> None:
    web = _client(decided)
    page = web.get("/besluiten")
    assert page.status_code == 200, page.text
    assert _rows(page.text) == [
        ("31 oktober 2016", BODY, "1.1.6", "=Evaluatie vervalt", "vervallen"),
        ("29 maart 2016", BODY, "2.1", "Later starten", "gereed bijgesteld: 2016 → 2017"),
        ("29 maart 2016", BODY, "1.1.1", "Inventarisatie loopt door", "besluit"),
    ]
    assert 'href="/items/2.1#besluit-' in page.text
    assert 'href="/besluiten" aria-current="page"' in page.text  # in the menu
    # What a screen reader says of the CSV link: the count, not the rows' Python repr (walk32a 2).
    assert "(spreadsheet, 3 besluiten)" in page.text and "DecisionRow" not in page.text
    assert 'href="/besluiten"' in web.get("/").text
    item = web.get("/items/2.1").text
    assert 'href="/besluiten"' in item  # the item page's decision list links to all of them
    assert "gereed bijgesteld: 2016 → 2017" in item  # the same wording there


@PAGE_ONLY
def test_filters_narrow_the_list_and_the_csv(decided: App) -> None:
    web = _client(decided)
    by_effect = web.get("/besluiten", params={"gevolg": "set_gereed"})
    assert [r[2] for r in _rows(by_effect.text)] == ["2.1"]
    assert '<option value="set_gereed" selected>' in by_effect.text
    by_step = web.get("/besluiten", params={"stap": "1"})
    assert [r[2] for r in _rows(by_step.text)] == ["1.1.6", "1.1.1"]
    by_meeting = web.get("/besluiten", params={"vergadering": "2016-03-29", "orgaan": "regieteam"})
    assert [r[2] for r in _rows(by_meeting.text)] == ["2.1", "1.1.1"]
    assert 'href="/besluiten.csv?orgaan=regieteam&amp;vergadering=2016-03-29"' in by_meeting.text
    none = web.get("/besluiten", params={"gevolg": "restore"})
    assert _rows(none.text) == [] and "Geen van de 3 besluiten past bij het filter" in none.text

    sheet = web.get("/besluiten.csv", params={"stap": "1"})
    assert sheet.status_code == 200
    assert sheet.headers["content-type"].startswith("text/csv")
    assert sheet.headers["content-disposition"] == 'attachment; filename="besluiten.csv"'
    assert sheet.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(sheet.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:7] == ["Vergadering", "Orgaan", "Stap", "Onderdeel", "Besluit", "Gevolg",
                           "Soort"]  # fmt: skip
    assert rows[0][-1] == "Code soort"
    assert [r[:7] + r[-1:] for r in rows[1:]] == [
        ["2016-10-31", BODY, "1", "1.1.6", "'=Evaluatie vervalt", "vervallen", "vervallen",
         "cancel"],
        ["2016-03-29", BODY, "1", "1.1.1", "Inventarisatie loopt door", "besluit", "besluit",
         "besluit"],
    ]  # fmt: skip  # a text starting with "=" is not a formula in the spreadsheet
    # When recorded: the office's time (the header names the zone), not UTC's.
    from zoneinfo import ZoneInfo

    from regie.history import decisions_recorded

    recorded = rows[0].index("Vastgelegd op (Europe/Amsterdam)")
    stored = {d.text: d.recorded_at for d, _ in decisions_recorded(decided, None)}
    at = stored["Inventarisatie loopt door"]
    assert at is not None
    assert rows[2][recorded] == f"{at.astimezone(ZoneInfo('Europe/Amsterdam')):%Y-%m-%d %H:%M:%S}"
    # The same moment in UTC beside it, unambiguous in the autumn hour that happens twice.
    assert rows[0][recorded + 1] == "Vastgelegd op (UTC)"
    assert rows[2][recorded + 1] == f"{at.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"
    # The kind in Dutch under *Soort*, its code apart (for scripts): a new date reads so.
    by_kind = web.get("/besluiten.csv", params={"gevolg": "set_gereed"})
    (_, moved) = list(csv.reader(io.StringIO(by_kind.content.decode("utf-8-sig")), delimiter=";"))
    assert (moved[6], moved[-1]) == ("gereed bijgesteld", "set_gereed")


@PAGE_ONLY
def test_a_bad_filter_is_named_and_ignored(decided: App) -> None:
    web = _client(decided)
    page = web.get("/besluiten", params={"stap": "9", "vergadering": "29-03-2016", "gevolg": "x"})
    assert page.status_code == 400
    text = visible(page.text)
    assert "Stap: het plan heeft geen stap ‘9’." in text
    assert "Vergadering: ‘29-03-2016’ is geen datum (JJJJ-MM-DD)." in text
    assert "Gevolg: onbekend gevolg ‘x’." in text
    assert len(_rows(page.text)) == 3  # ignored: the whole list
    assert web.get("/besluiten.csv", params={"orgaan": "nope"}).status_code == 400


@PAGE_ONLY
@pytest.mark.parametrize("day", ["2016-W13-2", "２０１６-03-29"])
def test_only_a_plain_date_is_a_meeting(decided: App, day: str) -> None:
    """An ISO week date is a date to Python (2016-W13-2 is 29 March) but not to the office."""
    web = _client(decided)
    page = web.get("/besluiten", params={"vergadering": day})
    assert page.status_code == 400
    assert f"Vergadering: ‘{day}’ is geen datum (JJJJ-MM-DD)." in visible(page.text)
    assert web.get("/besluiten.csv", params={"vergadering": day}).status_code == 400


@PAGE_ONLY
def test_behind_the_login(tmp_path: Path, migrated_url: str) -> None:
    from web.app import create_app

    web = TestClient(create_app(synced_app(tmp_path, migrated_url)), follow_redirects=False)
    assert web.get("/besluiten").status_code == 303
    assert web.get("/besluiten.csv").status_code == 303


@PAGE_ONLY
def test_none_recorded_is_said_once(tmp_path: Path, migrated_url: str) -> None:
    """No decisions yet: one sentence, not "Er zijn 0 besluiten vastgelegd." above the filters
    and "Nog geen besluiten vastgelegd." below them (walk56c 7); with a filter too."""
    web = _client(synced_app(tmp_path, migrated_url))
    for query in ("", "?orgaan=regieteam"):
        text = visible(web.get(f"/besluiten{query}").text)
        assert text.count("besluiten vastgelegd") == 1, text
        assert "Er zijn nog geen besluiten vastgelegd. Ze verschijnen hier" in text
        assert "0 besluiten" not in text


@PAGE_ONLY
def test_the_count_is_a_sentence_of_its_own(decided: App) -> None:
    """The sentence after "… de nieuwste vergadering eerst." starts after a space, with or
    without filters (walk57c 9: "eerst.Er zijn 2 besluiten vastgelegd.")."""
    web = _client(decided)
    first = "de nieuwste vergadering eerst."
    for params, count in (
        ({}, "Er zijn 3 besluiten vastgelegd."),
        ({"orgaan": "regieteam"}, "3 van de 3 besluiten passen bij het filter."),
        ({"gevolg": "restore"}, "Geen van de 3 besluiten past bij het filter."),
    ):
        text = visible(web.get("/besluiten", params=params).text)
        assert f"{first} {count}" in text, (params, text)
