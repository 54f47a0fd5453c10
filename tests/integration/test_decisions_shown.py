"""What a body decided, in Dutch, with its effect (review "stuurgroep", finding 13):
`regie decision list` says what each decision did (gereed bijgesteld: oud → nieuw, vervallen,
hersteld, besluit), keeps the raw kind for tools (``--format csv|json``) and exports a Dutch
table for the minutes (``--format md``); the item page shows each decision about the item (or
its action) with its text, body, meeting and effect. SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from regie.bootstrap import App, bootstrap
from regie.config import load_settings
from tests.cli_in_process import regie
from tests.conftest import SEED_PLAN
from tests.integration.migrated_template import copy_recorded, shared_templates
from tests.integration.reports_scenario import cli_env
from tests.integration.server import TEST_SECRET_KEY
from tests.integration.test_item_page_decision_author import _client
from tests.integration.test_web_item_page import visible

WORDS_ONLY = pytest.mark.one_database(
    "how decisions are shown, from SQL this file's other PostgreSQL tests run"
)

BODY_NAME = "Stuurgroep Plan van aanpak MVI"
PLAN = "plan.yaml"  # in the home: a copy of the seed plan, which a decision edits


def _home_app(home: Path, url: str) -> App:
    """The app on ``home``'s plan file, with a secret key for the web pages."""
    return bootstrap(
        load_settings({"REGIE_HOME": str(home), "REGIE_DATABASE_URL": url,
                       "REGIE_PLAN": str(home / PLAN), "REGIE_SECRET_KEY": TEST_SECRET_KEY})
    )  # fmt: skip


def _record_decisions(home: Path, url: str) -> None:
    from regie.decisions import add_decision

    home.mkdir(parents=True)
    shutil.copy(SEED_PLAN, home / PLAN)
    shared_templates().fill(url)  # a migrated database, as the tests' own used to be
    app = _home_app(home, url)
    add_decision(app, "stuurgroep", date(2016, 1, 12), "Verkenning later",
                 set_gereed=("1.3.1", "Q2-2016"))  # fmt: skip
    add_decision(app, "stuurgroep", date(2016, 1, 12), "1.4 vervalt", cancel="1.4")
    add_decision(app, "stuurgroep", date(2016, 4, 12), "1.4 gaat toch door", restore="1.4")
    add_decision(app, "stuurgroep", date(2016, 4, 12), "Akkoord met de voortgang")


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    """Four decisions on the seed plan: recorded once per worker and database kind, copied
    for each test (:func:`copy_recorded`)."""
    home = tmp_path / "home"
    copy_recorded("decisions_shown", home, database_url, _record_decisions, plan_file=PLAN)
    return _home_app(home, database_url)


def test_the_list_says_in_dutch_what_each_decision_did(app: App) -> None:
    listed = regie("decision", "list", env=cli_env(app))
    assert listed.code == 0, listed.err
    lines = listed.out.splitlines()
    assert len(lines) == 4
    # The body by name with its id, the item with its (shortened) title (walk32a 12).
    titles = _titles(app)
    assert (
        f"{BODY_NAME} (stuurgroep)  gereed bijgesteld: Najaar 2015 → Q2-2016 "
        f"[1.3.1 {titles['1.3.1']}] Verkenning later"
    ) in lines[0]
    assert f"vervallen [1.4 {titles['1.4']}] 1.4 vervalt" in lines[1]
    assert re.search(r"\(stuurgroep\) +hersteld \[1\.4 .+\] 1\.4 gaat toch door", lines[2])
    assert f"{BODY_NAME} (stuurgroep)  besluit Akkoord met de voortgang" in lines[3]
    for english in ("set_gereed", "cancel", "restore"):
        assert english not in listed.out


def _titles(app: App) -> dict[str, str]:
    """The plan's item titles as `decision list` shortens them (at most 40 characters)."""
    from governance.dates import shorten

    plan = app.load_plan()
    every = [*plan.actions(), *plan.milestones()]
    return {i.id: shorten(i.title, 40) for i in every}


@WORDS_ONLY
def test_a_long_item_title_is_shortened(app: App) -> None:
    """walk32a 12: the list names the item, not only "[1.1.2]"; a title over 40 characters is
    cut with "…" in the table, whole in JSON."""
    from regie.decisions import add_decision

    long_one = next(a for a in app.load_plan().actions() if len(a.title) > 40)
    add_decision(app, "stuurgroep", date(2016, 4, 12), "Over lang", item_id=long_one.id)
    listed = regie("decision", "list", "--item", long_one.id, env=cli_env(app))
    assert listed.code == 0, listed.err
    assert f"[{long_one.id} {_titles(app)[long_one.id]}] Over lang" in listed.out, listed.out
    assert _titles(app)[long_one.id].endswith("…")
    as_json = regie("decision", "list", "--format", "json", "--item", long_one.id,
                    env=cli_env(app))  # fmt: skip
    assert [r["item_title"] for r in json.loads(as_json.out)] == [long_one.title]


@WORDS_ONLY
def test_csv_and_json_keep_the_raw_kind(app: App) -> None:
    as_csv = regie("decision", "list", "--format", "csv", env=cli_env(app))
    assert as_csv.code == 0, as_csv.err
    rows = list(csv.DictReader(io.StringIO(as_csv.out)))
    assert [r["kind"] for r in rows] == ["set_gereed", "cancel", "restore", "besluit"]
    assert [r["effect"] for r in rows][:3] == [
        "gereed bijgesteld: Najaar 2015 → Q2-2016", "vervallen", "hersteld"
    ]  # fmt: skip
    assert (rows[0]["meeting_on"], rows[0]["item"], rows[0]["gereed_after"]) == (
        "2016-01-12", "1.3.1", "Q2-2016"
    )  # fmt: skip
    assert rows[0]["body_name"] == BODY_NAME
    titles = {i.id: i.title for i in [*app.load_plan().actions(), *app.load_plan().milestones()]}
    assert [r["item_title"] for r in rows] == [titles["1.3.1"], titles["1.4"], titles["1.4"], ""]
    as_json = regie("decision", "list", "--format", "json", "--item", "1.4", env=cli_env(app))
    assert as_json.code == 0, as_json.err
    assert [(r["kind"], r["text"]) for r in json.loads(as_json.out)] == [
        ("cancel", "1.4 vervalt"), ("restore", "1.4 gaat toch door")
    ]  # fmt: skip


@WORDS_ONLY
def test_md_is_a_dutch_table_for_the_minutes(app: App) -> None:
    md = regie("decision", "list", "--format", "md", env=cli_env(app))
    assert md.code == 0, md.err
    lines = md.out.splitlines()
    assert lines[0] == "| Vergadering | Orgaan | Punt | Besluit | Gevolg |"
    assert lines[2] == (
        f"| 12 januari 2016 | {BODY_NAME} | 1.3.1 | Verkenning later | "
        "gereed bijgesteld: Najaar 2015 → Q2-2016 |"
    )
    assert lines[4] == f"| 12 april 2016 | {BODY_NAME} | 1.4 | 1.4 gaat toch door | hersteld |"
    assert lines[5] == f"| 12 april 2016 | {BODY_NAME} | – | Akkoord met de voortgang | besluit |"


def _decisions_table(html: str) -> list[str]:
    section = re.split(r"<h2[^>]*>Besluiten</h2>", html, maxsplit=1)[1].split("<h2", 1)[0]
    return [visible(row) for row in re.findall(r'<tr id="besluit-\d+">(.*?)</tr>', section, re.S)]


def test_the_item_page_shows_each_decision_with_its_effect(app: App) -> None:
    client = _client(app)
    page = client.get("/items/1.3.1")
    assert page.status_code == 200, page.text
    assert _decisions_table(page.text) == [
        f"12 januari 2016 {BODY_NAME} Verkenning later gereed bijgesteld: Najaar 2015 → Q2-2016"
    ]
    assert re.search(r"besluit vastgelegd \(<a href=\"#besluit-\d+\">zie besluit</a>\)", page.text)
    page = client.get("/items/1.4")
    assert _decisions_table(page.text) == [
        f"12 januari 2016 {BODY_NAME} 1.4 vervalt vervallen",
        f"12 april 2016 {BODY_NAME} 1.4 gaat toch door hersteld",
    ]


@WORDS_ONLY
def test_a_milestone_shows_the_decision_about_its_action(app: App) -> None:
    from regie.decisions import add_decision

    add_decision(app, "stuurgroep", date(2016, 7, 12), "Gezant en verkenning vervallen",
                 cancel="1.3")  # fmt: skip
    page = _client(app).get("/items/1.3.2")
    assert page.status_code == 200, page.text
    assert _decisions_table(page.text) == [
        f"12 juli 2016 {BODY_NAME} Gezant en verkenning vervallen over actie 1.3: vervallen"
    ]
    assert "en zijn actie" in page.text


def test_a_text_over_lines_is_listed_on_one_and_control_characters_are_refused(
    app: App,
) -> None:
    """fix57e 3: a decision's text is stored as given, line breaks too, but `decision list`
    printed it over two lines (a line is a record: table, CSV); json keeps it whole. A control
    or direction-changing character is refused as in notes; a row stored before is shown with
    U+FFFD in its place."""
    from governance.decisions import Decision, DecisionKind
    from regie.decisions import add_decision
    from store.reports_repo import ReportsRepository

    add_decision(app, "stuurgroep", date(2016, 4, 12), "Eerste regel\nTweede regel")
    refused = regie("decision", "add", "--body", "stuurgroep", "--meeting", "2016-04-12",
                    "--text", "Kleur\x1b[31m rood", env=cli_env(app))  # fmt: skip
    assert refused.code == 2, refused.err
    assert "--text: contains the control character U+001B at character 6" in refused.err
    old = Decision("stuurgroep", date(2016, 4, 12), DecisionKind.DECISION, "Oud\x07\r\nbesluit")
    with app.session() as session, session.begin():
        ReportsRepository(session, app.programme_id()).add_decision(old)

    listed = regie("decision", "list", env=cli_env(app))
    assert listed.code == 0, listed.err
    lines = listed.out.splitlines()
    assert len(lines) == 6, listed.out
    assert "besluit Eerste regel Tweede regel  (recorded" in lines[4], lines
    assert "besluit Oud\ufffd besluit  (recorded" in lines[5], lines
    as_csv = regie("decision", "list", "--format", "csv", env=cli_env(app))
    assert len(as_csv.out.splitlines()) == 7, as_csv.out
    rows = list(csv.DictReader(io.StringIO(as_csv.out)))
    assert [r["text"] for r in rows[4:]] == ["Eerste regel Tweede regel", "Oud\ufffd besluit"]
    as_json = regie("decision", "list", "--format", "json", env=cli_env(app))
    texts = [r["text"] for r in json.loads(as_json.out)[4:]]
    assert texts == ["Eerste regel\nTweede regel", "Oud\x07\r\nbesluit"]
    md = regie("decision", "list", "--format", "md", env=cli_env(app))
    assert md.out.splitlines()[-2:] == [
        f"| 12 april 2016 | {BODY_NAME} | – | Eerste regel Tweede regel | besluit |",
        f"| 12 april 2016 | {BODY_NAME} | – | Oud\ufffd besluit | besluit |",
    ]


def test_a_decision_text_longer_than_the_limit_is_refused_and_nothing_recorded(app: App) -> None:
    """A decision is a line of the minutes and of every later pack's decision list: a pasted
    memo of pages is refused with its length and the limit; one at the limit is recorded."""
    from governance.decisions import DECISION_TEXT_MAX

    before = regie("decision", "list", "--format", "json", env=cli_env(app))
    too_long = "Besluit " + "x" * (DECISION_TEXT_MAX - 7)
    refused = regie("decision", "add", "--body", "stuurgroep", "--meeting", "2016-04-12",
                    "--text", too_long, env=cli_env(app))  # fmt: skip
    assert refused.code == 2, refused.err
    assert refused.err.strip() == (
        f"--text: {DECISION_TEXT_MAX + 1} characters, at most {DECISION_TEXT_MAX}: record what "
        "was decided; the reasoning belongs in the minutes"
    )
    after = regie("decision", "list", "--format", "json", env=cli_env(app))
    assert after.out == before.out
    fits = regie("decision", "add", "--body", "stuurgroep", "--meeting", "2016-04-12",
                 "--text", too_long[:-1], env=cli_env(app))  # fmt: skip
    assert fits.code == 0, fits.err
    texts = [r["text"] for r in json.loads(regie("decision", "list", "--format", "json",
                                                  env=cli_env(app)).out)]  # fmt: skip
    assert texts[-1] == too_long[:-1]
