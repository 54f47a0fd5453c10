"""The office's overdue list answers "what does this organisation owe us, worst first?" on one
page (walk57c 1): it filters by owner (and step, and *verouderd*) as the overview does, refuses
an unknown owner or sort as the overview refuses a bad filter, sorts by lateness, owner or
deadline, and downloads what it shows as a CSV; its links keep the filters. The overview takes
*verouderd* as a filter too (walk57c 10)."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from regie import office
from regie.bootstrap import App
from tests.integration.test_web_item_page import _app, _client, visible

PAGE_ONLY = pytest.mark.one_database(
    "a page's list and filters, from SQL this file's other PostgreSQL tests run"
)

AS_OF = date(2016, 1, 15)  # the seed plan: 23 items late, of RIVM, Telos, IenM, PIANOo …
NOTE = '=HYPERLINK("https://example.org") zie https://example.org/verslag'


def _office(tmp_path: Path, url: str, monkeypatch: pytest.MonkeyPatch) -> tuple[App, TestClient]:
    """Regie first assessed the plan on 1 September 2015, so on ``AS_OF`` every late item is
    *verouderd*, except 2.3.2 (Telos), whose owner wrote on 14 January (a note that looks like
    a formula), without a date: still late."""
    from regie.cycle import deadline_check
    from regie.history import record_update
    from regie.services import sync

    app = _app(tmp_path, url)
    sync(app, None)
    deadline_check(app, date(2015, 9, 1))
    monkeypatch.setattr(office, "today", lambda app: AS_OF)
    record_update(
        app, "2.3.2", "on_track", as_of=date(2016, 1, 14), forecast=None, completed_on=None,
        comment=NOTE, author=None,
    )  # fmt: skip
    return app, _client(app)


def _ids(html: str) -> list[str]:
    return re.findall(r'<td data-label="Nr" class="item-id"><a href="/items/([^"]+)">', html)


def test_the_overdue_list_filters_by_owner_and_refuses_an_unknown_one(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, web = _office(tmp_path, migrated_url, monkeypatch)
    everything = web.get("/te-laat")
    assert len(_ids(everything.text)) == 23
    pianoo = web.get("/te-laat", params={"eigenaar": "PIANOo"})
    assert pianoo.status_code == 200
    ids = _ids(pianoo.text)
    assert sorted(ids) == ["3.1.2", "3.2", "3.2.1", "3.3.1", "3.3.2", "3.4.1", "3.5.1", "3.5.2"]
    text = visible(pianoo.text)
    assert "23 punten zijn op 15 januari 2016 over hun deadline, zonder geldige prognose; " in text
    assert "8 passen bij het filter; het langst te laat eerst." in text
    assert '<option value="PIANOo" selected>' in pianoo.text
    # The longest late first, as before: 3.3.1 and 3.5.1 (September) before the December ones.
    assert ids[:2] == ["3.3.1", "3.5.1"]
    # The step links keep the owner: PIANOo's items are all in step 3.
    assert 'href="/te-laat?eigenaar=PIANOo&amp;stap=3"' in pianoo.text
    step = "Stap 3: Verbetering kennis, instrumenten en opleiding inkopers en opdrachtgevers"
    assert f"{step} (8)" in text
    assert "Stap 1:" not in text.split("Filters wissen", 1)[1]
    # An unknown owner is named, as the overview names it, and the list is not narrowed.
    bad = web.get("/te-laat", params={"eigenaar": "XYZ"})
    assert bad.status_code == 400
    assert "Eigenaar: onbekende organisatie ‘XYZ’." in visible(bad.text)
    assert len(_ids(bad.text)) == 23
    assert "<title>Fout: Te laat – " in bad.text  # walk58c 6: linked to its field
    assert '<a href="#eigenaar">Eigenaar: onbekende organisatie ‘XYZ’.</a>' in bad.text
    assert 'id="eigenaar" name="eigenaar" aria-invalid="true"' in bad.text
    wrong = web.get("/te-laat", params={"sorteer": "kleur"})
    assert wrong.status_code == 400 and "Sorteren: onbekende volgorde ‘kleur’." in visible(
        wrong.text
    )
    # The overview's link to the list keeps its owner filter (it has no state there).
    overview = web.get("/", params={"eigenaar": "PIANOo", "status": "overdue"}).text
    assert 'href="/te-laat?eigenaar=PIANOo">Bekijk wat te laat is (met dezelfde filters)' in (
        overview
    )


@PAGE_ONLY
def test_the_overdue_list_sorts_by_lateness_owner_or_deadline(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, web = _office(tmp_path, migrated_url, monkeypatch)
    rows = {r.id: r for r in office.overdue(app, AS_OF).rows}
    late = _ids(web.get("/te-laat").text)
    assert [rows[i].overdue_days for i in late] == sorted(
        (r.overdue_days for r in rows.values()), reverse=True
    )
    by_owner = _ids(web.get("/te-laat", params={"sorteer": "eigenaar"}).text)
    names = [", ".join(rows[i].owner_names).casefold() for i in by_owner]
    assert names == sorted(names) and by_owner != late
    assert by_owner[:3] == ["1.5.1", "1.5.2", "1.1.1"]  # "BZ, SZW, EZ", then IenM's longest late
    by_deadline = _ids(web.get("/te-laat", params={"sorteer": "deadline"}).text)
    assert [rows[i].due for i in by_deadline] == sorted(r.due for r in rows.values())  # type: ignore[type-var]
    page = web.get("/te-laat", params={"sorteer": "deadline", "eigenaar": "Telos"}).text
    assert "2 passen bij het filter; de vroegste deadline eerst." in visible(page)
    assert '<option value="deadline" selected>' in page
    assert 'href="/te-laat.csv?eigenaar=Telos&amp;sorteer=deadline"' in page


@PAGE_ONLY
def test_the_overdue_list_downloads_as_a_csv_without_formulas(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, web = _office(tmp_path, migrated_url, monkeypatch)
    got = web.get("/te-laat.csv", params={"eigenaar": "Telos"})
    assert got.status_code == 200
    assert got.headers["content-type"] == "text/csv; charset=utf-8"
    assert got.headers["content-disposition"] == 'attachment; filename="te-laat-2016-01-15.csv"'
    text = got.content.decode("utf-8")
    assert text.startswith("\ufeffNr;Punt;Stap;Eigenaren;Deadline;Werkdagen te laat;")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert [(r["Nr"], r["Deadline"], r["Verouderd"]) for r in rows] == [
        ("2.3.1", "2015-06-30", "ja"),
        ("2.3.2", "2015-09-30", "nee"),
    ]
    assert rows[1]["Laatste toelichting"] == "'" + NOTE  # text, not a formula
    assert rows[1]["Datum toelichting"] == "2016-01-14" and rows[1]["Stap"] == "2"
    # Every row of the list, not one page's; a wrong filter gives no file of something else.
    assert len(web.get("/te-laat.csv").content.decode().splitlines()) == 1 + 23
    assert web.get("/te-laat.csv", params={"eigenaar": "XYZ"}).status_code == 400
    assert 'href="/te-laat.csv"' in web.get("/te-laat").text


@PAGE_ONLY
def test_verouderd_is_a_filter_of_the_overview_and_the_overdue_list(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, web = _office(tmp_path, migrated_url, monkeypatch)
    stale = web.get("/", params={"verouderd": "ja"})
    assert stale.status_code == 200
    text = visible(stale.text)
    assert "2.3.2" not in _ids(stale.text) and "2.3.1" in _ids(stale.text)
    assert all("verouderd" in visible(row) for row in re.findall(
        r"<tr>\s*<td data-label=\"Nr\".*?</tr>", stale.text, re.S
    ))  # fmt: skip
    assert "van de 48 punten passen bij het filter." in text
    assert 'id="verouderd" name="verouderd" value="ja" checked' in stale.text
    late = web.get("/te-laat", params={"verouderd": "ja", "eigenaar": "Telos"})
    assert _ids(late.text) == ["2.3.1"]
    assert "1 past bij de filters." in visible(late.text)
    bad = web.get("/", params={"verouderd": "misschien"})
    assert bad.status_code == 400
    assert "Verouderd: ‘misschien’ is geen keuze" in visible(bad.text)
