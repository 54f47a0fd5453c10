"""Owners by the names the plan gives them (walk30 1), and the final progress report (walk30 9).

A plan whose organisation ids are slugs (``gemeente``, ``provincie``): the round summary, the
agenda pack (layout 9) and the progress report (layout 8) show the organisation's ``short_name``
or ``name``; an archived pack of layout 8 and a report of layout 7 are made again with the ids
they showed. A report whose period ends on the programme's end says it is the final one and
looks no further ahead."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from regie.bootstrap import App
from regie.reports import (
    _agenda_pack,
    _progress_report,
    add_meeting,
    agenda,
    render_agenda,
    render_progress,
)
from regie.rounds import round_status, run_round_day
from store import Repository
from tests.integration.answer_app import ANSWERS_PLAN
from tests.integration.link_setup import link_app

NAMES_ONLY = pytest.mark.one_database(
    "the owners' names, from SQL this file's other PostgreSQL tests run"
)

START = date(2025, 6, 2)  # a Monday
ANSWER_BY = date(2025, 6, 13)
MEETING = date(2025, 6, 17)
AS_OF = date(2025, 6, 10)
SLUGS = {"GEM": "gemeente", "PROV": "provincie", "PB": "bureau"}


@pytest.fixture
def app(migrated_url: str, tmp_path: Path) -> App:
    text = ANSWERS_PLAN.read_text(encoding="utf-8")
    for old, new in SLUGS.items():
        text = re.sub(rf"\b{old}\b", new, text)
    # The province gets a short name: shown instead of its long name.
    text = text.replace(
        "    name: Provincie Noordwaarts\n",
        "    name: Provincie Noordwaarts\n    short_name: PNW\n",
    )
    plan = tmp_path / "plan.yaml"
    plan.write_text(text, encoding="utf-8")
    app = link_app(migrated_url, tmp_path / "home", plan)
    add_meeting(app, "stuurgroep", MEETING, None, None, None)
    return app


def test_the_round_summary_names_the_organisations(app: App) -> None:
    from notifications.slack_blocks import digest_blocks
    from regie.mapping import message_from_outbox

    run_round_day(app, START, body="stuurgroep", answer_by=ANSWER_BY)
    run_round_day(app, ANSWER_BY)  # nobody answered: the summary lists every item
    with app.session() as session:
        outbox = {m.key: m for m in Repository(session, "wegen-test").outbox()}
    summary = outbox["round:1:office:summary"]
    text = " ".join(summary.body_text.split())
    assert "- Gemeente Rivierstad: 0 van 3 (0%)" in summary.body_text
    assert "- PNW: 0 van 2 (0%)" in summary.body_text
    assert "2.1 Aanbesteden (eigenaren: PNW, Gemeente Rivierstad)" in text
    assert '<td valign="top" data-label="Organisatie">Gemeente Rivierstad</td>' in (
        summary.body_html or ""
    )
    blocks = digest_blocks(message_from_outbox(summary))
    slack = {b["block_id"]: b["text"]["text"] for b in blocks if b["type"] == "section"}
    assert "eigenaren: PNW, Gemeente Rivierstad" in slack["item:2.1"]
    # Slack gives the e-mail's response per organisation, from the payload (walk32b 8).
    rows = "*Respons per organisatie*\n• Gemeente Rivierstad: 0 van 3 (0%)\n• PNW: 0 van 2 (0%)"
    assert rows in slack["intro"]
    mail = [line[2:] for line in summary.body_text.splitlines() if line.endswith("%)")]
    assert [line[2:] for line in slack["intro"].splitlines() if line.startswith("• ")] == mail
    assert slack["intro"].index("Respons per organisatie") < slack["intro"].index("Nog zonder")
    assert not re.search(r"\b(gemeente|provincie)\b", summary.body_text)
    (status,) = round_status(app)
    assert [o["name"] for o in status["organisations"]] == ["Gemeente Rivierstad", "PNW"]


@NAMES_ONLY
def test_the_pack_names_the_owners_and_layout_8_kept_the_ids(app: App) -> None:
    md = agenda(app, "stuurgroep", MEETING, AS_OF, "md").content.decode()
    html = agenda(app, "stuurgroep", MEETING, AS_OF, "html").content.decode()
    assert "| Knelpuntenkaart | Gemeente Rivierstad |" in md
    assert "| PNW, Gemeente Rivierstad |" in md  # 2.1's two owners, as the plan lists them
    assert '<td data-label="Eigenaar">Gemeente Rivierstad</td>' in html
    assert "| gemeente |" not in md
    pack, _ = _agenda_pack(app, "stuurgroep", MEETING, AS_OF, layout=8)
    old = render_agenda(pack, "md", layout=8).decode()
    assert "| Knelpuntenkaart | gemeente |" in old and "Gemeente Rivierstad" not in old


def test_the_progress_report_names_the_owners_and_layout_7_kept_the_ids(app: App) -> None:
    start, end, as_of = date(2025, 1, 1), date(2025, 6, 30), date(2025, 7, 1)
    report, _ = _progress_report(app, start, end, as_of)
    md = render_progress(report, "md").decode()
    html = render_progress(report, "html").decode()
    assert "2.1 Aanbesteden (PNW, Gemeente Rivierstad):" in md
    assert "1.1.2 Prioriteiten (Gemeente Rivierstad):" in md
    assert "1.1.2 Prioriteiten (Gemeente Rivierstad):" in html
    assert "| Knelpuntenkaart | Gemeente Rivierstad |" in md  # the annex
    assert "(gemeente)" not in md
    old, _ = _progress_report(app, start, end, as_of, layout=7)
    text = render_progress(old, "md").decode()
    assert "1.1.2 Prioriteiten (gemeente):" in text and "Gemeente Rivierstad" not in text
    # Not the final report: it looks six months ahead.
    assert "wat volgt tot 31 december 2025" in md and "#### Vooruitblik" in md
    assert "Eindrapportage" not in md


@NAMES_ONLY
def test_the_final_report_says_so_and_looks_no_further_than_the_end(app: App) -> None:
    """The programme ends on 31 December 2027: a report over its last half year is the final
    one; every item is still open and late at its end."""
    start, end, as_of = date(2027, 7, 1), date(2027, 12, 31), date(2028, 1, 5)
    report, _ = _progress_report(app, start, end, as_of)
    assert report.final and report.ahead_until == end
    for fmt in ("md", "html"):
        text = " ".join(render_progress(report, fmt).decode().split())
        assert "Eindrapportage" in text, fmt
        # Made after the end, it says the programme has ended (walk55d 8).
        assert "de periode eindigde met het programma op 31 december 2027" in text, fmt
        assert "Het programma is op 31 december 2027 geëindigd: deze" in text, fmt
        assert "eindigt" not in text, fmt
        assert "deze eindrapportage kijkt niet verder vooruit" in text, fmt
        assert "Op 5 januari 2028 zijn 3 punten te laat" in text, fmt  # step 1
        assert "Op 5 januari 2028 is 1 punt te laat" in text, fmt  # step 2
        for promise in ("wat volgt tot", "Niets gepland tot", "Vooruitblik", "30 juni 2028"):
            assert promise not in text, (fmt, promise)
    # A period given by hand past the end names the programme's end, not the period's
    # (review8 5).
    longer, _ = _progress_report(app, start, date(2028, 3, 31), date(2028, 4, 3))
    assert longer.final
    text = " ".join(render_progress(longer, "md").decode().split())
    assert "de periode eindigde met het programma op 31 december 2027" in text
    assert "Het programma is op 31 december 2027 geëindigd" in text
    # Made on the end's own day, the programme ends (present tense); an archived report of
    # layout 18 made after the end is made again with the present tense it had.
    for made, layout in ((end, None), (as_of, 18)):
        same, _ = _progress_report(app, start, end, made, layout=layout)
        assert same.final and not same.past_end
        for fmt in ("md", "html"):
            text = " ".join(render_progress(same, fmt).decode().split())
            assert "de periode eindigt met het programma op 31 december 2027" in text, fmt
            assert "Het programma eindigt op 31 december 2027" in text, fmt
            assert "geëindigd" not in text and "eindigde" not in text, fmt
    # An archived report of layout 7 over the same period is made again as it was.
    old, _ = _progress_report(app, start, end, as_of, layout=7)
    assert not old.final
    text = render_progress(old, "md").decode()
    assert "wat volgt tot 30 juni 2028" in text and "Eindrapportage" not in text


def test_a_pack_is_made_again_with_its_names_after_a_parser_change(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """review8 1: the names come from the plan kept with the pack; a newer parser hashes that
    text otherwise, and the rebuild must still use it, not today's plan file."""
    from governance.planfile import load
    from regie.report_reproduce import reproduce

    made = agenda(app, "stuurgroep", MEETING, AS_OF, "md")
    assert made.archive_id is not None and b"| PNW, Gemeente Rivierstad |" in made.content
    plan = app.settings.plan_path
    plan.write_text(
        plan.read_text(encoding="utf-8").replace("short_name: PNW", "short_name: Provincie NW"),
        encoding="utf-8",
    )
    monkeypatch.setattr(load, "PARSER_VERSION", load.PARSER_VERSION + 1)
    again = reproduce(app, made.archive_id)
    assert again.plan_source == "kept", again.plan_source
    assert again.matches, again.content.decode()[:400]


def _env(app: App) -> dict[str, str]:
    return {"REGIE_HOME": str(app.settings.home), "REGIE_PLAN": str(app.settings.plan_path),
            "REGIE_DATABASE_URL": app.settings.database_url}  # fmt: skip


@NAMES_ONLY
def test_regie_status_names_the_owners_beside_the_id_it_takes(app: App) -> None:
    """names35 2: `regie status` shows an owner as people read it, the id `--owner` takes
    beside it; `--format json` keeps the ids."""
    import json

    from regie.services import sync
    from tests.cli_in_process import regie

    sync(app, None)
    shown = regie("status", "--as-of", "2025-06-10", "--step", "2", env=_env(app))
    assert shown.code == 0, shown.err
    row = next(line for line in shown.out.splitlines() if "Aanbesteden" in line)
    assert "PNW (provincie), Gemeente Rivierstad (gemeente)" in row, shown.out
    one = regie("status", "1.1.1", "--as-of", "2025-06-10", env=_env(app))
    assert one.code == 0 and "Gemeente Rivierstad (gemeente)" in one.out, one.out
    rows = json.loads(
        regie("status", "--as-of", "2025-06-10", "--format", "json", env=_env(app)).out
    )
    assert {r["id"]: r["owners"] for r in rows}["2.1"] == ["provincie", "gemeente"]


def test_the_office_pages_name_the_owners(app: App) -> None:
    """names35 2: the overview, the overdue list and the item page (its facts, the owner
    filter and a plan revision of its owners) show owners by ``short_name``, else ``name``."""
    from starlette.testclient import TestClient

    from regie.services import sync
    from tests.integration.test_web_item_page import visible
    from tests.integration.test_web_problem_pages import _office
    from web.app import create_app

    sync(app, None)
    plan = app.settings.plan_path
    text = plan.read_text(encoding="utf-8")
    # 1.2 passes from the province to the municipality: a revision of its owners.
    plan.write_text(text.replace("owners: [provincie]\n", "owners: [gemeente]\n"), "utf-8")
    sync(app, None)
    web = _office(TestClient(create_app(app)), app)
    overview = web.get("/")
    assert overview.status_code == 200
    cells = re.findall(r'<td data-label="Eigenaren">(.*?)</td>', overview.text)
    assert "PNW, Gemeente Rivierstad" in cells and "Gemeente Rivierstad" in cells, cells
    assert not {"gemeente", "provincie"} & {o for c in cells for o in c.split(", ")}
    assert '<option value="provincie" >PNW (provincie)</option>' in overview.text
    late = web.get("/te-laat")
    assert late.status_code == 200
    shown = re.findall(r'<td data-label="Eigenaren">(.*?)</td>', late.text)
    assert shown and set(shown) <= {"Gemeente Rivierstad", "PNW", "PNW, Gemeente Rivierstad"}
    item = web.get("/items/1.2")
    assert item.status_code == 200
    page = visible(item.text)
    assert "Eigenaren Gemeente Rivierstad" in page, page
    revision = item.text.split('<td data-label="Veld">eigenaren</td>', 1)[1].split("</tr>")[0]
    assert "PNW" in revision and "Gemeente Rivierstad" in revision, revision
    assert "provincie" not in revision and "gemeente<" not in revision


def test_one_organisation_has_one_name_everywhere(app: App) -> None:
    """walk32a 1: the province (``provincie``, *Provincie Noordwaarts*, ``short_name: PNW``) and
    the municipality (no ``short_name``) read the same in the pack, the office's pages, ``regie
    status``, the calendar feeds (owners and a body's members), Slack and the round summary:
    ``short_name``, else ``name``. The feeds showed the full name."""
    from starlette.testclient import TestClient

    from regie.feeds import export_feed
    from regie.services import sync
    from regie.slack_answers import not_owner_text
    from tests.cli_in_process import regie
    from tests.integration.feed_clients import ical_js
    from tests.integration.test_web_item_page import visible
    from tests.integration.test_web_problem_pages import _office
    from web.app import create_app

    sync(app, None)
    owners = "PNW, Gemeente Rivierstad"  # 2.1's owners, as the plan lists them
    pack = agenda(app, "stuurgroep", MEETING, AS_OF, "md").content.decode()
    assert f"| {owners} |" in pack
    web = _office(TestClient(create_app(app)), app)
    cells = re.findall(r'<td data-label="Eigenaren">(.*?)</td>', web.get("/").text)
    assert owners in cells, cells
    assert f"Eigenaren {owners}" in visible(web.get("/items/2.1").text)
    shown = regie("status", "2.1", "--as-of", AS_OF.isoformat(), env=_env(app))
    assert shown.code == 0 and "PNW (provincie), Gemeente Rivierstad (gemeente)" in shown.out
    for scope in ("programme", "org:provincie", "step:2"):
        events = {e["uid"]: e for e in ical_js(export_feed(app, scope, AS_OF))["events"]}
        described = events["2.1@wegen-test.regie"]["description"]
        assert f"Eigenaren: {owners}\n" in described, (scope, described)
        assert "Noordwaarts" not in described, scope
    body = ical_js(export_feed(app, "body:stuurgroep", AS_OF))["events"]
    meeting = next(e for e in body if e["uid"].startswith("stuurgroep-"))
    assert "Leden: Gemeente Rivierstad, PNW" in meeting["description"], meeting["description"]
    assert "Noordwaarts" not in meeting["description"]
    # The calendar's own name keeps the organisation's full name: it says whose calendar it is.
    assert ical_js(export_feed(app, "org:provincie", AS_OF))["name"].endswith(
        "Provincie Noordwaarts"
    )
    slack = not_owner_text(app.load_plan(), "2.1")
    assert "PNW en Gemeente Rivierstad" in slack, slack
