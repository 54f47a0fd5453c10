"""Words that contradicted the rule or the plan (walk49 6, 7, 9, 12): the answer pages' "Wijzigen"
with one deadline on both pages and no "één keer"; no deadline sentence on the form of an item
without one; an organisation whose short name is its id shown once on the office's pages; the
period label of a ``doorlopend`` item on its page."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from regie.bootstrap import App
from store import Repository
from tests.integration.answer_app import ANSWERS_PLAN
from tests.integration.link_setup import link_app
from tests.integration.test_answer_standing import LATER, anna_link, client, csrf, text
from tests.integration.test_web_item_page import _app as seed_app
from tests.integration.test_web_item_page import _client as seed_office
from tests.integration.test_web_item_page import visible

WORDS_ONLY = pytest.mark.one_database(
    "a page's words, from SQL this file's other PostgreSQL tests run"
)

UNTIL = re.compile(r"U kunt uw antwoord wijzigen tot (\d+ \w+ \d{4}) \(en zolang")


@pytest.fixture
def app(migrated_url: str, tmp_path: Path) -> App:
    plan = tmp_path / "plan.yaml"
    shutil.copy(ANSWERS_PLAN, plan)
    return link_app(migrated_url, tmp_path / "home", plan)


def _chain(app: App) -> list[tuple[int | None, str, int | None]]:
    with app.session() as session:
        found = Repository(session, "wegen-test").status_updates()
    return [(u.id, u.status.value, u.corrects) for u in found]


def _correct(web: TestClient, page_html: str, status: str) -> tuple[str, str]:
    """Follow the page's "Wijzigen", submit ``status``; the new page and its correction link."""
    (link,) = re.findall(r'id="wijzigen" href="/antwoord/([^"]+)"', page_html)
    form = web.get(f"/antwoord/{link}")
    done = web.post(
        f"/antwoord/{link}",
        data={"status": status, "forecast": LATER, "note": status, "csrf_token": csrf(form.text)},
    )
    assert done.status_code == 200, done.text
    return done.text, link


def test_a_change_can_be_changed_again_and_both_pages_give_one_deadline(app: App) -> None:
    """walk49 6: every confirmation offers "Wijzigen" again (README "Corrections": a correction
    may be corrected in turn), so no page promises "één keer"; the used link's page gives the
    same "tot …" as the thank-you page."""
    _, token = anna_link(app)
    web = client(app)
    form = web.get(f"/antwoord/{token}")
    done = web.post(
        f"/antwoord/{token}",
        data={"status": "on_track", "forecast": LATER, "csrf_token": csrf(form.text)},
    )
    assert done.status_code == 200
    shown = text(done.text)
    assert "één keer" not in shown
    (until,) = UNTIL.findall(shown)
    second, _ = _correct(web, done.text, "at_risk")
    third, used = _correct(web, second, "on_track")
    assert _chain(app) == [(1, "on_track", None), (2, "at_risk", 1), (3, "on_track", 2)]
    for page in (second, third):
        assert "één keer" not in text(page) and UNTIL.findall(text(page)) == [until]
    # The used correction link's page offers its "Wijzigen" until the same day.
    refused = web.get(f"/antwoord/{used}")
    assert refused.status_code == 409
    again = text(refused.text)
    assert "één keer" not in again and UNTIL.findall(again) == [until], again


@WORDS_ONLY
def test_the_form_of_an_item_without_a_deadline_says_nothing_of_running_late(
    app: App,
) -> None:
    """walk49 7: "Loopt het later dan de deadline?" only where there is a deadline."""
    _, token = anna_link(app)
    plan = app.settings.plan_path
    source = plan.read_text(encoding="utf-8")
    assert source.count("gereed: Q2-2025") == 1
    # A deadline still ahead (the link's own, 30 June 2025, has passed: the overdue wording).
    plan.write_text(source.replace("gereed: Q2-2025", "gereed: Q4-2099"), encoding="utf-8")
    dated = client(app).get(f"/antwoord/{token}")
    assert "Loopt het later dan de deadline?" in text(dated.text)
    plan.write_text(source.replace("gereed: Q2-2025", "gereed: doorlopend"), encoding="utf-8")
    ongoing = client(app).get(f"/antwoord/{token}")
    assert ongoing.status_code == 200
    shown = text(ongoing.text)
    assert "doorlopend" in shown and "Loopt het later" not in shown, shown


def test_the_form_of_a_dependent_item_with_a_computed_deadline_asks_about_running_late(
    app: App,
) -> None:
    """review49b 1: an "Afhankelijk van …" item whose dependency is done has a deadline (the
    one its reminders name), though the plan gives it no date: the sentence stays."""
    from regie.history import record_update
    from regie.services import today as business_day

    _, token = anna_link(app)
    plan = app.settings.plan_path
    source = plan.read_text(encoding="utf-8")
    assert source.count("gereed: Q2-2025") == 1
    dependent = 'gereed: Afhankelijk van 1.2\n            depends_on: ["1.2"]'
    plan.write_text(source.replace("gereed: Q2-2025", dependent), encoding="utf-8")
    waiting = client(app).get(f"/antwoord/{token}")
    assert waiting.status_code == 200
    assert "Loopt het later" not in text(waiting.text)  # no deadline yet: 1.2 is not done
    from regie.plan_cache import current_plan

    day = business_day(app, current_plan(app)[0])
    record_update(app, "1.2", "done", as_of=day, forecast=None, completed_on=day,
                  comment=None, author=None)  # fmt: skip
    due = client(app).get(f"/antwoord/{token}")
    assert due.status_code == 200
    assert "Loopt het later dan de deadline?" in text(due.text)


def test_an_organisation_named_by_its_id_is_shown_once(migrated_url: str, tmp_path: Path) -> None:
    """walk49 9: ``short_name`` equal to the id reads "GEM", not "GEM (GEM)", in the owner filter
    on ``/`` and the scope picker on ``/agenda``, as ``regie status`` shows it; another keeps
    "Name (ID)"."""
    from regie.services import sync
    from tests.integration.test_web_agenda_tokens import _options
    from tests.integration.test_web_problem_pages import _office
    from web.app import create_app

    plan = tmp_path / "plan.yaml"
    source = ANSWERS_PLAN.read_text(encoding="utf-8")
    named = "    name: Gemeente Rivierstad\n"
    assert named in source
    plan.write_text(source.replace(named, named + "    short_name: GEM\n"), encoding="utf-8")
    app = link_app(migrated_url, tmp_path / "home", plan)
    sync(app, None)
    web = _office(TestClient(create_app(app)), app)
    overview = web.get("/")
    assert overview.status_code == 200
    option = r'<option value="([^"]+)" (?:selected)?>([^<]*)</option>'
    owners = dict(re.findall(option, overview.text))
    assert owners["GEM"] == "GEM", owners
    assert owners["PROV"] == "Provincie Noordwaarts (PROV)", owners
    assert "GEM (GEM)" not in overview.text
    picker = {value: shown for _, value, shown in _options(web.get("/agenda").text)}
    assert picker["org:GEM"] == "GEM", picker
    assert picker["org:PROV"] == "Provincie Noordwaarts (PROV)", picker


def test_a_doorlopend_item_page_does_not_call_it_periodiek(
    tmp_path: Path, migrated_url: str
) -> None:
    """walk49 12: one period kind holds "Periodiek" and "doorlopend"; its label contradicts
    neither (it said "periodiek" beside "doorlopend")."""
    from regie.services import sync

    app = seed_app(tmp_path, migrated_url)
    plan = app.settings.plan_path
    source = plan.read_text(encoding="utf-8")
    assert source.count('gereed: "Periodiek"') == 1
    plan.write_text(source.replace('gereed: "Periodiek"', 'gereed: "doorlopend"'), "utf-8")
    sync(app, None)
    shown = visible(seed_office(app).get("/items/3.5").text)
    assert "Gereed (plan): doorlopend" in shown, shown
    assert "Periode: periodiek of doorlopend" in shown, shown
    assert "Periode: periodiek Eigenaren" not in shown  # as it read
