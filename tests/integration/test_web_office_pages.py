"""The office's overview, overdue list and error pages say what is true, in Dutch: counts in
the singular or plural, no claims about a filter that could not be used, no English pages."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from regie import office
from regie.bootstrap import App
from tests.integration.server import TEST_SECRET_KEY
from tests.integration.test_web_item_page import _app, _client, visible

PAGE_ONLY = pytest.mark.one_database(
    "a page's words, from SQL this file's other PostgreSQL tests run"
)

AS_OF = date(2015, 7, 1)  # the seed plan: 2.2.1 and 2.3.1 (both Q2-2015) are the first late


def _office(tmp_path: Path, url: str, monkeypatch: pytest.MonkeyPatch) -> tuple[App, TestClient]:
    """The seed plan on ``AS_OF`` with 2.2.1 (RIVM) and 1.1.1 (IenM, Q3-2015) done: one item
    late (2.3.1)."""
    from regie.history import record_update
    from regie.services import sync

    app = _app(tmp_path, url)
    sync(app, None)
    monkeypatch.setattr(office, "today", lambda app: AS_OF)
    for item_id in ("2.2.1", "1.1.1"):
        record_update(
            app, item_id, "done", as_of=AS_OF, forecast=None, completed_on=date(2015, 6, 30),
            comment=None, author=None,
        )  # fmt: skip
    return app, _client(app)


def _row(html: str, item_id: str) -> str:
    """The visible text of the overview's table row for ``item_id``."""
    cell = rf'<td data-label="Nr" class="item-id"><a href="/items/{re.escape(item_id)}">'
    match = re.search(rf"<tr>\s*{cell}.*?</tr>", html, re.S)
    assert match, item_id
    return visible(match.group(0))


@PAGE_ONLY
def test_unknown_addresses_and_methods_get_a_dutch_page(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, web = _office(tmp_path, migrated_url, monkeypatch)
    anonymous = TestClient(web.app)
    for client in (web, anonymous):
        for path in ("/bestaat-niet", "/login", "/items/1.1.1/nog-iets"):
            page = client.get(path)
            assert page.status_code == 404, path
            assert page.headers["content-type"].startswith("text/html"), path
            shown = visible(page.text)
            assert "Pagina niet gevonden" in shown and "Not Found" not in shown, path
            assert "Naar het overzicht" in shown
        assert ("Uitloggen" in visible(client.get("/nope").text)) is (client is web)
        for method, path in (("POST", "/"), ("DELETE", "/te-laat"), ("PUT", "/items/1.1.1")):
            page = client.request(method, path)
            assert page.status_code == 405, (method, path)
            assert page.headers["content-type"].startswith("text/html"), path
            assert "GET" in page.headers["allow"], path  # still says what is allowed
            shown = visible(page.text)
            assert "Method Not Allowed" not in shown and "kan niet" in shown, path
    # A missing style sheet or script is read by the browser, never by a person: a plain line.
    static = web.get("/static/nope.css")
    assert static.status_code == 404 and static.headers["content-type"].startswith("text/plain")
    assert static.text == "Niet gevonden\n"
    assert web.get("/static/regie.css").status_code == 200


@PAGE_ONLY
def test_the_not_found_page_names_what_was_not_found(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, web = _office(tmp_path, migrated_url, monkeypatch)
    report = web.get("/rapporten/99")
    assert report.status_code == 404
    shown = visible(report.text)
    assert "Rapport niet gevonden" in shown and "dit punt" not in shown.casefold(), shown
    assert 'href="/rapporten"' in report.text
    item = web.get("/items/9.9.9")
    assert item.status_code == 404
    shown = visible(item.text)
    assert "Punt niet gevonden" in shown
    assert "Dit punt staat niet (meer) in het plan." in shown


@PAGE_ONLY
def test_counts_are_in_the_singular_for_one(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, web = _office(tmp_path, migrated_url, monkeypatch)
    late = visible(web.get("/te-laat").text)
    assert "1 punt is op 1 juli 2015 over zijn deadline" in late, late
    assert "punten zijn" not in late
    one = visible(web.get("/?eigenaar=RIVM&status=done").text)
    assert "1 van de 48 punten past bij de filters" in one, one
    four = visible(web.get("/?eigenaar=RIVM").text)
    assert "4 van de 48 punten passen bij het filter." in four, four
    none = visible(web.get("/?eigenaar=BZ&status=done").text)
    assert "geen van de 48 punten past bij de filters." in none, none
    assert "Geen punten voor deze filters." in none
    everything = visible(web.get("/").text)
    assert "het plan heeft 48 punten." in everything and " passen bij" not in everything


@PAGE_ONLY
def test_a_bad_filter_or_page_number_is_not_contradicted(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, web = _office(tmp_path, migrated_url, monkeypatch)
    bad = web.get("/?eigenaar=rivm")
    assert bad.status_code == 400
    shown = visible(bad.text)
    assert " passen bij" not in shown and " past bij" not in shown, shown
    assert "het plan heeft 48 punten." in shown and "Niet elk filter" in shown
    # walk58c 6: the title says so, the problem links to its field, which is invalid and
    # described by it; the fields without a problem are not.
    assert "<title>Fout: Overzicht – " in bad.text
    said = "Eigenaar: onbekende organisatie ‘rivm’."
    assert f'<li id="filterfout-eigenaar"><a href="#eigenaar">{said}</a></li>' in bad.text
    invalid = 'aria-invalid="true" aria-describedby="filterfout-eigenaar"'
    assert f'<select id="eigenaar" name="eigenaar" {invalid}>' in bad.text
    assert '<select id="stap" name="stap">' in bad.text
    assert "<title>Overzicht – " in web.get("/?eigenaar=RIVM").text
    half = visible(web.get("/?eigenaar=rivm&status=done").text)  # one filter still applies
    assert "2 van de 48 punten passen bij het filter dat wel kon worden gebruikt" in half

    # Beyond the last page: the last page, saying so (a list shrinks as items are answered).
    past = web.get("/?pagina=2")
    assert past.status_code == 200
    shown = visible(past.text)
    assert "Geen punten" not in shown and "Pagina 2 bestaat niet (meer)" in shown, shown
    assert _row(past.text, "1.1.1")
    monkeypatch.setattr(office, "PAGE_SIZE", 20)
    last = web.get("/?pagina=4")
    assert last.status_code == 200
    shown = visible(last.text)
    assert "pagina 3 van 3 toont er 8" in shown and "pagina 4 van 3" not in shown, shown
    assert "Pagina 4 bestaat niet (meer); dit is de laatste pagina (3)." in shown
    assert visible(web.get("/?pagina=3").text).count("bestaat niet") == 0
    monkeypatch.setattr(office, "PAGE_SIZE", 1)
    late = visible(web.get("/te-laat?pagina=5").text)
    assert "Pagina 5 bestaat niet (meer); alles staat op deze ene pagina." in late, late
    assert "Op deze pagina staat niets" not in late and "2.3.1" in late
    assert "In stap 1 is niets te laat." in visible(web.get("/te-laat?stap=1").text)
    for odd in ("0", "-1", "x", "²", "9" * 5000):
        assert web.get("/", params={"pagina": odd}).status_code == 200, odd


@PAGE_ONLY
def test_the_status_filter_takes_the_dutch_label(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, web = _office(tmp_path, migrated_url, monkeypatch)
    for value in ("te laat", "Te  Laat", "overdue"):
        page = web.get("/", params={"status": value})
        assert page.status_code == 200, value
        assert '<option value="overdue" selected>' in page.text, value
        assert "1 van de 48 punten past bij het filter." in visible(page.text), value
    gereed = web.get("/?status=gereed")
    assert gereed.status_code == 200
    assert "2 van de 48 punten passen bij het filter." in visible(gereed.text)
    assert web.get("/?status=laat").status_code == 400


@PAGE_ONLY
def test_a_done_item_keeps_its_deadline(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, web = _office(tmp_path, migrated_url, monkeypatch)
    overview = web.get("/").text
    assert "gereed" in _row(overview, "1.1.1") and "30 september 2015" in _row(overview, "1.1.1")
    assert "30 juni 2015" in _row(overview, "2.2.1")
    item = visible(web.get("/items/1.1.1").text)
    assert "Deadline 30 september 2015" in item, item


def test_the_style_sheet_is_linked_by_path_not_by_the_requests_host(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Behind an https proxy the request reaches the app as http: an absolute http:// link to
    the style sheet would be blocked as mixed content, and the page shown unstyled."""
    _, web = _office(tmp_path, migrated_url, monkeypatch)
    page = web.get("/", headers={"host": "intern.example:8080"})
    assert page.status_code == 200
    assert '<link rel="stylesheet" href="/static/regie.css">' in page.text
    assert "intern.example" not in page.text


def test_every_page_carries_the_programme_title(tmp_path: Path, migrated_url: str) -> None:
    """A second programme: each office page (the calendar tokens, the error pages and the
    login form too, not only the overview) has its short title in the title and header."""
    import shutil

    from regie.bootstrap import bootstrap
    from regie.config import load_settings
    from regie.services import sync

    plan = tmp_path / "plan.yaml"
    shutil.copy(Path(__file__).parent.parent / "fixtures" / "plans" / "second_programme.yaml", plan)
    app = bootstrap(
        load_settings({"REGIE_HOME": str(tmp_path / "home"), "REGIE_DATABASE_URL": migrated_url,
                       "REGIE_PLAN": str(plan), "REGIE_SECRET_KEY": TEST_SECRET_KEY})
    )  # fmt: skip
    sync(app, None)
    web = _client(app)
    pages = {
        ("GET", path): web.get(path)
        for path in ("/", "/te-laat", "/items/1.1.1", "/items/9.9", "/agenda", "/rapporten",
                     "/rapporten/99", "/bestaat-niet", "/inloggen")
    }  # fmt: skip
    pages["POST", "/"] = web.post("/")
    pages["POST", "/agenda"] = web.post("/agenda", data={"bereik": "programme"})  # no CSRF
    pages["GET", "/inloggen (anonymous)"] = TestClient(web.app).get("/inloggen")
    for (method, path), page in pages.items():
        assert page.headers["content-type"].startswith("text/html"), (method, path)
        title = re.search(r"<title>(.*?)</title>", page.text, re.S)
        assert title and title.group(1).endswith(" – DigiToegang"), (method, path, title)
        assert '<a href="/">DigiToegang</a>' in page.text, (method, path)
        assert "Regie</title>" not in page.text
