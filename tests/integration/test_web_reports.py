"""Office pages in process: "Rapporten" (archived reports, downloads, behind login) and the
overdue list's pages and step counts."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tests.integration.feed_clients import synced_app
from tests.integration.mail_setup import Clock


def test_reports_are_listed_and_downloadable_after_login(tmp_path: Path, migrated_url: str) -> None:
    from regie.reports import agenda
    from regie.users import add_user, log_in
    from web.app import create_app
    from web.security import session_cookie_name

    app = synced_app(tmp_path, migrated_url)
    web = TestClient(create_app(app), follow_redirects=False)
    assert web.get("/rapporten").status_code == 303  # to the login form
    assert web.get("/rapporten/1").status_code == 303  # no download without login either

    made = agenda(app, "regieteam", date(2016, 3, 29), date(2016, 3, 1), "md")
    now = datetime.now(UTC)
    add_user(app, "office", "a long enough password", "P. Bureau", now)
    token = log_in(app, "office", "a long enough password", now)
    assert token is not None
    web.cookies.set(session_cookie_name(app), token)

    page = web.get("/rapporten")
    assert page.status_code == 200
    text = page.text
    assert "Agendapakket" in text and "Regieteam Gezonde Wijk" in text
    assert "29 maart 2016" in text  # the meeting
    assert made.sha256[:12] in text and "MD" in text
    assert f'href="/rapporten/{made.archive_id}"' in text
    # The link says the report in words, its date as the row's cells (walk58c 5: ISO before).
    link = text.split(f'href="/rapporten/{made.archive_id}" download>')[1].split(" <span")[0]
    assert link == "Agendapakket Regieteam Gezonde Wijk 29 maart 2016"
    assert 'href="/rapporten"' in web.get("/").text  # the overview links to it

    download = web.get(f"/rapporten/{made.archive_id}")
    assert download.status_code == 200
    assert hashlib.sha256(download.content).hexdigest() == made.sha256
    assert download.headers["content-type"].startswith("text/markdown")
    assert download.headers["content-disposition"] == (
        'attachment; filename="agenda-regieteam-2016-03-29.md"'  # as the command names it
    )
    assert web.get("/rapporten/999").status_code == 404
    assert web.get("/rapporten/abc").status_code == 404
    fullwidth = "".join(chr(ord(d) - ord("0") + 0xFF10) for d in str(made.archive_id))
    assert web.get(f"/rapporten/{fullwidth}").status_code == 404  # ASCII digits only (walk57b 9)
    assert web.get("/rapporten/" + "9" * 40).status_code == 404  # beyond any integer column


def test_when_a_report_was_made_is_shown_in_the_office_time_zone(
    tmp_path: Path, migrated_url: str
) -> None:
    """Made at 23:30 UTC on 31 March 2016 is 1 April 01:30 in Amsterdam: the page says the
    office's day and time (and the zone), for when it was made and for its data cut-off."""
    from regie.users import add_user, log_in
    from store.reports_repo import Provenance, ReportsRepository
    from web.app import create_app
    from web.security import session_cookie_name

    app = synced_app(tmp_path, migrated_url)
    late = datetime(2016, 3, 31, 23, 30, tzinfo=UTC)
    content = b"# Agendapakket\n"
    with app.session() as session, session.begin():
        ReportsRepository(session, app.programme_id(), clock=lambda: late).archive(
            kind="agenda", format="md", title="Agendapakket", as_of=date(2016, 3, 1),
            parameters={"body": "regieteam", "meeting": "2016-03-29"},
            sha256=hashlib.sha256(content).hexdigest(), content=content,
            provenance=Provenance("ab" * 32, "office", "cli", late.replace(minute=15)),
        )  # fmt: skip
    now = datetime.now(UTC)
    add_user(app, "office", "a long enough password", "P. Bureau", now)
    token = log_in(app, "office", "a long enough password", now)
    assert token is not None
    web = TestClient(create_app(app), follow_redirects=False)
    web.cookies.set(session_cookie_name(app), token)
    text = web.get("/rapporten").text
    assert "1 april 2016 01:30:00 (Amsterdamse tijd, UTC+02:00)" in text  # made
    assert "gegevens tot 1 april 2016 01:15:00 (Amsterdamse tijd, UTC+02:00)" in text
    assert "2016-03-31" not in text


def test_download_names_match_what_the_pdf_refers_to() -> None:
    from regie.reports import download_name

    agenda = {"body": "stuurgroep", "meeting": "2016-04-12", "as_of": "2016-01-15"}
    assert download_name("agenda-bijlage", "html", agenda, 7) == (
        "agenda-stuurgroep-2016-04-12-bijlage.html"
    )
    period = {"from": "2015-01-01", "to": "2016-12-31"}
    assert download_name("voortgang", "pdf", period, 8) == "voortgang-2015-01-01-2016-12-31.pdf"
    assert download_name("agenda", "pdf", {"body": 'a"/b'}, 9) == "regie-agenda-9.pdf"
    assert download_name("agenda", "md", {"body": 'a"/b', "meeting": "x"}, 9) == "agenda-a--b-x.md"


def test_overdue_list_is_paged_and_counted_per_step(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from regie import office
    from regie.users import add_user, log_in
    from web.app import create_app
    from web.security import session_cookie_name

    app = synced_app(tmp_path, migrated_url)
    monkeypatch.setattr(office, "PAGE_SIZE", 2)
    as_of = date(2020, 1, 6)  # after every deadline of the fixture
    everything = office.overdue(app, as_of)
    assert everything.total == everything.matched >= 3 and everything.pages >= 2
    assert [n for n, _, _ in everything.per_step] == [1, 2]
    assert sum(count for _, _, count in everything.per_step) == everything.total
    seen = [r.id for p in range(1, everything.pages + 1)
            for r in office.overdue(app, as_of, page=str(p)).rows]  # fmt: skip
    assert len(seen) == len(set(seen)) == everything.total  # every item once, no page overlaps
    days = [r.overdue_days for r in office.overdue(app, as_of, page="1").rows]
    assert days == sorted(days, reverse=True)
    step1 = office.overdue(app, as_of, step="1")
    assert step1.step == 1 and step1.matched == dict((n, c) for n, _, c in step1.per_step)[1]
    assert office.overdue(app, as_of, step="9").problems == ["Stap: het plan heeft geen stap ‘9’."]

    now = datetime.now(UTC)
    add_user(app, "office", "a long enough password", "P. Bureau", now)
    token = log_in(app, "office", "a long enough password", now)
    assert token is not None
    web = TestClient(create_app(app), cookies={session_cookie_name(app): token})
    page = web.get("/te-laat?stap=1&pagina=2")
    assert page.status_code == 200
    assert "Pagina 2 van" in page.text and 'href="?stap=1&amp;pagina=1"' in page.text
    assert web.get("/te-laat?stap=x").status_code == 400


def test_the_warmer_assesses_ahead_of_the_first_page(
    tmp_path: Path,
    migrated_url: str,
    monkeypatch: pytest.MonkeyPatch,
    sender_clock: Clock,  # the warmer's day is the page's, also across midnight (clock54)
) -> None:
    import governance.assessment
    from regie import office

    app = synced_app(tmp_path, migrated_url)
    office.Warmer(app).warm_once()
    real = governance.assessment.assess

    def refuse(*args: object) -> object:
        raise AssertionError("the page assessed although the warmer already had")

    monkeypatch.setattr(governance.assessment, "assess", refuse)
    assert office.overview(app, office.today(app)).total == 8  # from the warmed assessment
    from regie.history import record_update

    record_update(app, "1.1.2", "at_risk", as_of=office.today(app), forecast=None,
                  completed_on=None, comment="Later", author=None)  # fmt: skip
    monkeypatch.setattr(governance.assessment, "assess", real)
    office.Warmer(app).warm_once()  # a change: assessed again, in the background in `serve`
    monkeypatch.setattr(governance.assessment, "assess", refuse)
    steps = office.overview(app, office.today(app)).steps
    notes = {i.id: i.note for s in steps for a in s.actions for i in a.items}
    assert notes["1.1.2"] == "Later"  # the new answer is in the warmed assessment


def test_the_warmer_waits_until_the_answers_stop_coming(
    tmp_path: Path,
    migrated_url: str,
    monkeypatch: pytest.MonkeyPatch,
    sender_clock: Clock,  # the warmer's day is the page's, also across midnight (clock54)
) -> None:
    import governance.assessment
    from regie import office
    from regie.history import record_update

    app = synced_app(tmp_path, migrated_url)
    real = governance.assessment.assess
    calls: list[date] = []

    def counting(plan: object, updates: object, as_of: date, **options: object) -> object:
        calls.append(as_of)
        return real(plan, updates, as_of, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(governance.assessment, "assess", counting)
    warmer = office.Warmer(app)
    seen = warmer.tick(None)  # first look: remembers, does not assess yet
    assert calls == []
    for n, status in enumerate(["at_risk", "on_track", "at_risk"]):
        record_update(app, "1.1.2", status, as_of=office.today(app), forecast=None,
                      completed_on=None, comment=f"burst {n}", author=None)  # fmt: skip
        seen = warmer.tick(seen)  # a change since the last look: still busy, wait
    assert calls == []
    seen = warmer.tick(seen)  # quiet for one look: assess once
    seen = warmer.tick(seen)  # nothing new: the shared assessment is reused
    assert len(calls) == 1
