"""A status round whose contact leaves before the chase: the organisation's current contact is
chased instead, or the programme office, told the organisation has no contact any more.
SQLite and PostgreSQL (the ``migrated_url`` fixture)."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

from regie.bootstrap import App
from regie.cycle import send_reminders
from regie.rounds import run_round_day
from store import OutboxRecord, Repository
from tests.integration.answer_app import ANNA, ANSWERS_PLAN
from tests.integration.link_setup import link_app

START = date(2025, 6, 2)  # a Monday
ANSWER_BY = date(2025, 6, 20)  # a Friday
FRANK = """  - id: frank
    name: Frank Veld
    organisation: GEM
    email: frank@example.org
"""


def _run(tmp_path: Path, url: str, successor: str) -> dict[str, OutboxRecord]:
    """Start a round, replace anna (GEM's only contact) by ``successor`` in the plan file, run
    every day up to the answer-by date; the outbox by key."""
    plan = tmp_path / "plan.yaml"
    shutil.copy(ANSWERS_PLAN, plan)
    app: App = link_app(url, tmp_path / "home", plan)
    run_round_day(app, START, body="stuurgroep", answer_by=ANSWER_BY)
    send_reminders(app)
    text = plan.read_text(encoding="utf-8")
    assert ANNA in text
    plan.write_text(text.replace(ANNA, successor), encoding="utf-8")
    day = START + timedelta(days=1)
    while day <= ANSWER_BY:
        run_round_day(app, day)
        send_reminders(app)
        day += timedelta(days=1)
    with app.session() as session:
        return {m.key: m for m in Repository(session, "wegen-test").outbox()}


def test_the_successor_is_chased_for_the_items_asked_of_the_one_who_left(
    tmp_path: Path, migrated_url: str
) -> None:
    sent = _run(tmp_path, migrated_url, FRANK)
    chases = sorted(k for k in sent if ":chase:" in k)
    assert "round:1:frank:chase:2025-06-19" in chases
    assert not [k for k in chases if ":anna:" in k]
    chase = sent["round:1:frank:chase:2025-06-19"]
    assert (chase.recipient, chase.email) == ("frank", "frank@example.org")
    assert "1.1.1" in chase.body_text and "1.1.2" in chase.body_text
    assert "/antwoord/" in chase.body_text  # frank may answer for GEM: links of his own
    assert "geen contactpersoon" not in chase.body_text


def test_without_a_successor_the_office_is_chased_and_told_so(
    tmp_path: Path, migrated_url: str
) -> None:
    sent = _run(tmp_path, migrated_url, "")
    chase = sent["round:1:office:chase:2025-06-19"]
    assert "1.1.1" in chase.body_text and "1.1.2" in chase.body_text
    assert "Gemeente Rivierstad heeft geen contactpersoon meer in het plan" in chase.body_text
    assert (
        chase.body_html
        and "Gemeente Rivierstad heeft geen contactpersoon meer in het plan" in chase.body_html
    )
