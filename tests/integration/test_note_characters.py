"""An owner's note may not carry a control character (NUL, ESC, BEL …) or a direction-changing
one (U+202E), whatever the channel: the answer link, Slack's modal, `regie update`, the
spreadsheet import. One rule (governance/characters.py), a Dutch field error for the person, one
English line on the command line, nothing stored; tabs and line breaks are kept. A note stored
before the rule still gives a DOCX agenda pack and progress report (security review, findings
5, 6 and 8)."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from regie.bootstrap import App
from store import Repository
from tests.cli_in_process import regie
from tests.conftest import SEED_PLAN
from tests.integration.answer_app import ANSWERS_PLAN
from tests.integration.link_setup import FIRST_DAY, link_app, queue_and_send
from tests.integration.migrated_template import shared_templates
from tests.integration.slack_requests import SIGNING_SECRET, set_clock, signed, submission
from web.app import create_app

BAD_NOTES = {
    "nul": ("abc\x00def", "U+0000"),
    "escape": ("Vertraging\x1b[31m bij leverancier", "U+001B"),
    "bel": ("bel\x07", "U+0007"),
    "c1": ("tekst\x85", "U+0085"),
    "rlo": ("zie bijlage \u202egnp.exe", "U+202E"),
}


@pytest.fixture
def app(migrated_url: str, tmp_path: Path) -> App:
    app = link_app(migrated_url, tmp_path)
    app.settings = replace(app.settings, slack_signing_secret=SIGNING_SECRET)
    return app


def _comments(app: App) -> list[str | None]:
    with app.session() as session:
        return [u.comment for u in Repository(session, "wegen-test").status_updates()]


def _csrf(html: str) -> str:
    return html.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize("kind", list(BAD_NOTES))
def test_the_answer_form_refuses_the_note_with_a_dutch_field_error(app: App, kind: str) -> None:
    """On PostgreSQL a NUL was a 500 (psycopg refuses it), on SQLite it was stored."""
    note, codepoint = BAD_NOTES[kind]
    ((_, token),) = queue_and_send(app, FIRST_DAY)["anna"]
    web = TestClient(create_app(app), raise_server_exceptions=False)
    csrf = _csrf(web.get(f"/antwoord/{token}").text)
    response = web.post(
        f"/antwoord/{token}", data={"csrf_token": csrf, "status": "at_risk", "note": note}
    )
    assert response.status_code == 422, response.text[:300]
    assert "De toelichting bevat" in response.text and codepoint in response.text
    assert _comments(app) == []
    # The link still works: the note without the character is stored.
    clean = "".join(c for c in note if c.isprintable())
    again = web.post(
        f"/antwoord/{token}", data={"csrf_token": csrf, "status": "at_risk", "note": clean}
    )
    assert again.status_code == 200, again.text[:300]
    assert _comments(app) == [clean]


def test_tabs_and_line_breaks_are_kept(app: App) -> None:
    ((_, token),) = queue_and_send(app, FIRST_DAY)["anna"]
    web = TestClient(create_app(app), raise_server_exceptions=False)
    csrf = _csrf(web.get(f"/antwoord/{token}").text)
    note = "Regel een\r\nRegel\ttwee – é 🚧"
    response = web.post(
        f"/antwoord/{token}", data={"csrf_token": csrf, "status": "at_risk", "note": note}
    )
    assert response.status_code == 200, response.text[:300]
    assert _comments(app) == ["Regel een\nRegel\ttwee – é 🚧"]


@pytest.mark.parametrize("kind", ["nul", "escape", "rlo"])
def test_slacks_modal_shows_the_error_under_the_note(
    app: App, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    note, codepoint = BAD_NOTES[kind]
    queue_and_send(app, FIRST_DAY)  # the plan in the database
    # Sent on the reminder's day, before 1.1.1's deadline: "Op schema" needs no new date.
    set_clock(monkeypatch, datetime.combine(FIRST_DAY, time(10), UTC))
    web = TestClient(create_app(app), raise_server_exceptions=False)
    body, headers = signed(submission("U0ANNA", "1.1.1", "on_track", note=note))
    response = web.post("/slack/interactivity", content=body, headers=headers)
    assert response.status_code == 200, response.text[:300]
    answer = response.json()
    assert answer["response_action"] == "errors"
    assert list(answer["errors"]) == ["note"] and codepoint in answer["errors"]["note"]
    assert _comments(app) == []


def test_the_command_line_says_it_in_one_english_line(regie_home: Path) -> None:
    env = {"REGIE_PLAN": str(SEED_PLAN)}
    result = regie(
        "update", "1.1.2", "--status", "at_risk", "--comment", "Vertraging\x1bbij leverancier",
        "--author", "ienm-voorbeeld", env=env,
    )  # fmt: skip
    assert result.code == 2
    assert result.err == (
        "--comment: contains the control character U+001B at character 11: remove it\n"
    )
    assert "\x1b" not in result.err
    rlo = regie("update", "1.1.2", "--status", "at_risk", "--comment", "\u202eabc", env=env)
    assert rlo.code == 2
    assert rlo.err.startswith("--comment: contains the invisible direction-changing character")
    fine = regie("update", "1.1.2", "--status", "at_risk", "--comment", "regel\nregel\tb", env=env)
    assert fine.code == 0, fine.err


def test_the_import_names_the_row(regie_home: Path, tmp_path: Path) -> None:
    csv = tmp_path / "antwoorden.csv"
    csv.write_text(
        "item;status;forecast;completed_on;note;contact\n"
        "1.1.1;at_risk;2025-09-01;;vertraagd\x07;anna\n"
        "1.1.2;done;;2025-05-30;klaar;bram\n",
        encoding="utf-8",
    )
    result = regie("import-updates", str(csv), "--as-of", "2025-06-02",
                   env={"REGIE_PLAN": str(ANSWERS_PLAN)})  # fmt: skip
    assert result.code == 2
    assert f"{csv}:2: note: contains the control character U+0007 at character 10" in result.err
    assert "nothing imported" in result.err


def test_a_note_stored_before_the_rule_still_gives_the_docx_reports(
    tmp_path: Path, database_url: str
) -> None:
    """Old data: stored without the check (NUL cannot be stored on PostgreSQL at all); the
    DOCX shows U+FFFD where the character was, HTML and Markdown are as they were."""
    from docx import Document

    from governance.answers import OFFICE, AnswerInput
    from regie.answers import check_answer, store_answers
    from regie.reports import agenda, voortgang
    from tests.integration.reports_scenario import AS_OF, MEETING, make_app, seed_scenario

    shared_templates().fill_if_empty(database_url)  # empty: a copy of the migrated template
    app = make_app(tmp_path / "home", database_url)
    seed_scenario(app)
    plan = app.load_plan()
    on = date(2016, 1, 14)
    update = check_answer(plan, AnswerInput("1.1.2", "at_risk", note="x"), OFFICE, on)
    stored = replace(update, comment="Vertraging\x1b[31m\x07 bij \x0bleverancier", source="cli")
    store_answers(app, plan, [stored])
    pack = agenda(app, "stuurgroep", MEETING, AS_OF, "docx").content
    report = voortgang(app, date(2015, 7, 1), AS_OF, AS_OF, "docx").content
    for content in (pack, report):
        doc = Document(io.BytesIO(content))
        cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
        text = "\n".join([p.text for p in doc.paragraphs] + cells)
        assert "Vertraging\ufffd[31m\ufffd bij leverancier" in text
