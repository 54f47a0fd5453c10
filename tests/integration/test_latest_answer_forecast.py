"""walk56a 3: a message quoting an item's latest update quotes it as given. A standing forecast
an earlier update gave is named apart, with the day it was given (the reminders go by it), and
only while it is in force (governance.forecasts.forecast_in_force): not once a decision moved
the item's date after it. Through the cycle into the file outbox (the owner's digest, the
deputy's and the office's escalations) and the Slack blocks of the stored messages; SQLite and
PostgreSQL."""

from __future__ import annotations

import json
from datetime import date, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from governance.answers import Answerer, AnswerInput
from regie.answers import record_answer
from regie.bootstrap import App
from regie.cycle import deadline_check, send_reminders
from store import Repository, sync_plan
from tests.cli_in_process import regie
from tests.integration.answer_app import ANSWERS_PLAN
from tests.integration.link_setup import link_app
from tests.integration.reports_scenario import cli_env

#: 1.1.1 (GEM: anna, deputy bram) is due 30 June 2025. Anna expects 1 August on 2 June, then
#: reports a risk without a date on 1 July; the item is late by September.
FORECAST_ON = date(2025, 6, 2)
LATEST_ON = date(2025, 7, 1)
ASKED = date(2025, 9, 8)  # the prompt about the lapsed date (an item escalates after it)
DAY = date(2025, 9, 15)
ANNA = Answerer("anna", "Anna de Wit")


@pytest.fixture
def app(migrated_url: str, tmp_path: Path) -> App:
    from governance.clock import utcnow

    plan_file = tmp_path / "plan.yaml"  # `decision add` writes the plan: a copy
    plan_file.write_text(ANSWERS_PLAN.read_text(encoding="utf-8"), encoding="utf-8")
    app = link_app(migrated_url, tmp_path, plan_file)
    plan = app.load_plan()
    with app.session() as session, session.begin():
        sync_plan(session, plan, now=utcnow(), plan_path=str(plan.path))
    return app


def _answers(app: App) -> None:
    first = AnswerInput("1.1.1", "on_track", forecast=date(2025, 8, 1), note="Extra ronde")
    record_answer(app, first, ANNA, channel="email", as_of=FORECAST_ON)
    latest = AnswerInput("1.1.1", "at_risk", note="Weinig respons")
    record_answer(app, latest, ANNA, channel="email", as_of=LATEST_ON)


def _bodies(app: App, key: str) -> list[str]:
    """The delivered mail's text and HTML parts (whitespace folded), and the Slack blocks
    made from the stored message."""
    from notifications.base import scoped_key
    from notifications.file_outbox import file_name
    from notifications.slack_blocks import digest_blocks
    from regie.mapping import message_from_outbox

    data = (app.settings.outbox_dir / file_name(scoped_key(key, app.programme_id()))).read_bytes()
    mail = message_from_bytes(data, policy=policy.default)
    assert isinstance(mail, EmailMessage)
    parts = []
    for kind in ("plain", "html"):
        part = mail.get_body((kind,))
        assert part is not None
        parts.append(" ".join(str(part.get_content()).split()))  # type: ignore[attr-defined]
    with app.session() as session:
        (row,) = [m for m in Repository(session, "wegen-test").outbox() if m.key == key]
    blocks = json.dumps(digest_blocks(message_from_outbox(row)), ensure_ascii=False)
    return [*parts, " ".join(blocks.replace("\\n", " ").split())]


def test_the_digest_quotes_the_latest_update_and_the_earlier_forecast_apart(app: App) -> None:
    _answers(app)
    report = deadline_check(app, DAY)
    send_reminders(app)
    (key,) = [k for k in report.queued if ":anna:" in k and k.endswith(":digest")]
    for body in _bodies(app, key):
        assert "verwacht gereed 1 augustus 2025 — 'Weinig respons'" not in body, body
        assert "Uw laatste update (1 juli 2025): Risico — 'Weinig respons'" in body, body
        assert "Eerder verwacht gereed: 1 augustus 2025 (opgegeven op 2 juni 2025)" in body, body
        assert "de eerder verwachte datum 1 augustus 2025 is verstreken" in body, body
        assert "uw verwachte datum" not in body
    with app.session() as session:
        (row,) = [m for m in Repository(session, "wegen-test").outbox() if m.key == key]
    (item,) = [i for i in row.payload["items"] if i["id"] == "1.1.1"]
    assert item["latest_forecast"] is None  # what the latest update said: no date
    assert (item["earlier_forecast"], item["earlier_on"]) == ("2025-08-01", "2025-06-02")
    assert item["latest_lapsed"] is True


def test_the_escalations_name_the_earlier_forecast_apart(app: App) -> None:
    _answers(app)
    assert not [k for k in deadline_check(app, ASKED).queued if k.endswith(":deputy")]
    report = deadline_check(app, DAY)
    send_reminders(app)
    deputy = next(k for k in report.queued if k.endswith(":deputy"))
    office = next(k for k in report.queued if ":office:" in k)
    reason = (
        "de laatste statusupdate van de eigenaar (1 juli 2025: Risico) noemt geen nieuwe datum;"
        " de eerder verwachte datum 1 augustus 2025 (opgegeven op 2 juni 2025) is verstreken"
    )
    for key in (deputy, office):
        for body in _bodies(app, key):
            assert "Risico, verwacht gereed" not in body, body
            assert "(1 juli 2025: Risico — 'Weinig respons'" not in body
            assert "1 juli 2025: Risico — 'Weinig respons'" in body, body
            assert "Eerder verwacht gereed: 1 augustus 2025 (opgegeven op 2 juni 2025)" in body
        text, html, _ = _bodies(app, key)
        assert reason in text and reason in html, text


def test_a_forecast_a_later_decision_overrode_is_not_quoted_as_standing(app: App) -> None:
    _answers(app)
    env = cli_env(app)
    added = regie("meeting", "add", "stuurgroep", "2025-06-20", env=env)
    assert added.code == 0, added.err
    decision = ["--body", "stuurgroep", "--meeting", "2025-06-20", "--text", "Naar Q3-2025"]
    decided = regie("decision", "add", *decision, "--set-gereed", "1.1.1", "Q3-2025", env=env)
    assert decided.code == 0, decided.err
    report = deadline_check(app, date(2025, 10, 15))  # past the new deadline of 30 September
    send_reminders(app)
    (key,) = [k for k in report.queued if ":anna:" in k and k.endswith(":digest")]
    for body in _bodies(app, key):
        assert "Uw laatste update (1 juli 2025): Risico — 'Weinig respons'" in body, body
        assert "1 augustus 2025" not in body, body  # overridden by the decision of 20 June
        assert "de deadline is verstreken: geef een nieuwe datum of meld gereed" in body, body


def test_a_forecast_the_latest_update_gave_is_quoted_with_it(app: App) -> None:
    """As before the fix, also on a day judged from the memory."""
    answer = AnswerInput("1.1.1", "at_risk", forecast=date(2025, 8, 1), note="Weinig respons")
    record_answer(app, answer, ANNA, channel="email", as_of=LATEST_ON)
    deadline_check(app, ASKED)
    report = deadline_check(app, DAY)
    # Judged from the memory, whose copy of the latest update holds no forecast: the store
    # tells that it gave the standing one.
    assert report.incremental
    send_reminders(app)
    (key,) = [k for k in report.queued if ":anna:" in k and k.endswith(":digest")]
    for body in _bodies(app, key):
        assert (
            "Uw laatste update (1 juli 2025): Risico, verwacht gereed 1 augustus 2025"
            " — 'Weinig respons'"
        ) in body, body
        assert "Eerder verwacht" not in body and "eerder verwachte" not in body
        assert "uw verwachte datum 1 augustus 2025 is verstreken" in body, body


def test_a_forecast_a_correction_withdrew_is_not_quoted_nor_judged(app: App) -> None:
    """review56 2: a correction replaces the update it corrects, its forecast too. Anna's
    1 August (2 June) corrected on 10 June by an answer without a date: the item is no longer
    *verschoven* from that day (also on a day judged from the memory, which remembered the
    date), and the digest quotes no "Eerder verwacht" date nor its lapse."""
    from governance.clock import utcnow
    from governance.updates import StatusUpdate, UpdateStatus

    first = AnswerInput("1.1.1", "on_track", forecast=date(2025, 8, 1), note="Extra ronde")
    record_answer(app, first, ANNA, channel="email", as_of=FORECAST_ON)
    before = date(2025, 6, 9)
    deadline_check(app, before)
    with app.session() as session:
        known = Repository(session, "wegen-test").previous_states(before + timedelta(days=1))
    assert known is not None and known.states["1.1.1"] == "slipped"  # the memory's date
    with app.session() as session, session.begin():
        repo = Repository(session, "wegen-test")
        (given,) = repo.status_updates(until=FORECAST_ON)
        fix = StatusUpdate(
            "1.1.1", UpdateStatus.AT_RISK, date(2025, 6, 10), comment="Datum nog onbekend",
            author="anna", source="web", recorded_at=utcnow(), corrects=given.id,
        )  # fmt: skip
        repo.add_status_update(fix)
    states = []
    for day in (date(2025, 6, 10), date(2025, 6, 11)):
        report = deadline_check(app, day)
        with app.session() as session:
            known = Repository(session, "wegen-test").previous_states(day + timedelta(days=1))
        assert known is not None
        states.append(known.states["1.1.1"])
    assert report.incremental  # the last day judged from the memory
    assert states == ["at_risk", "at_risk"], states
    report = deadline_check(app, DAY)
    send_reminders(app)
    (key,) = [k for k in report.queued if ":anna:" in k and k.endswith(":digest")]
    for body in _bodies(app, key):
        assert "1 augustus 2025" not in body, body
        assert "Eerder verwacht" not in body and "eerder verwachte" not in body, body
    with app.session() as session:
        (row,) = [m for m in Repository(session, "wegen-test").outbox() if m.key == key]
    (item,) = [i for i in row.payload["items"] if i["id"] == "1.1.1"]
    assert item.get("earlier_forecast") is None and item["latest_forecast"] is None
