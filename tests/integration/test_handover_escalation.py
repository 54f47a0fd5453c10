"""An item handed over to a new contact escalates for unanswered prompts only once the new
contact had their own prompts and grace, and the escalation says it changed hands (walk30 3,
the second route; hands33). Through the daily deadline check on both databases, each day
equal to a full assessment, on the second test plan (wegen-test)."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from governance.plan import Contact, Plan
from governance.planfile.load import load_plan
from governance.workdays import WorkCalendar
from notifications.render import format_date_nl
from notifications.slack_blocks import digest_blocks
from regie.bootstrap import App
from regie.cycle import deadline_check, send_reminders
from regie.mapping import message_from_outbox
from store import OutboxRecord, Repository
from tests.integration.answer_app import ANSWERS_PLAN, answers_app
from tests.integration.test_daily import _assert_day_is_full_assessment

CAL = WorkCalendar("NL")
ITEM = "1.1.1"  # Knelpuntenkaart, GEM, gereed Q2-2025: due 30 June 2025
DUE = date(2025, 6, 30)
FIRST = date(2025, 6, 2)
# anna was asked before the due date (first@, second@, which count for no escalation: walk32b
# 2) and twice from it on (due@, overdue-1@), then Kim takes over
HANDED = date(2025, 7, 9)
LAST = date(2025, 8, 1)
KIM = Contact(id="kclaes", name="Kim Claes", organisation="GEM", email="kim@example.org")


def _plan(handed: bool) -> Plan:
    """The plan with only the unanswered-prompts escalation in reach (the overdue one much
    later), and from ``HANDED`` on, when ``handed``, Kim Claes instead of Anna de Wit."""
    plan = load_plan(ANSWERS_PLAN)
    plan = dataclasses.replace(
        plan, reminders=dataclasses.replace(plan.reminders, escalate_after_overdue_days=60)
    )
    if not handed:
        return plan
    contacts = tuple(KIM if c.id == "anna" else c for c in plan.contacts)
    return dataclasses.replace(plan, contacts=contacts)


def _run(app: App, handed: bool) -> list[date]:
    """The daily check every working day, its messages sent (a contact who leaves was
    prompted, not withdrawn); the days ``ITEM`` escalated."""
    day = FIRST
    while day <= LAST:
        if CAL.is_working_day(day):
            plan = _plan(handed and day >= HANDED)
            report = deadline_check(app, day, plan=plan)
            _assert_day_is_full_assessment(app, report, plan, day)
            send_reminders(app)
        day += timedelta(days=1)
    with app.session() as session:
        history = Repository(session, "wegen-test").prompt_history(LAST)
    return sorted({p.queued_on for p in history if p.is_escalation and p.item_id == ITEM})


def _asked(app: App, contact: str) -> list[date]:
    with app.session() as session:
        history = Repository(session, "wegen-test").prompt_history(LAST)
    return sorted(
        p.queued_on
        for p in history
        if p.item_id == ITEM and p.contact_id == contact and not p.is_escalation
    )


def _escalation_texts(app: App) -> list[tuple[date, str, str, str]]:
    """(day, text, HTML, Slack blocks as JSON) of the office's escalation messages naming
    ``ITEM`` (not the deputies' copies)."""
    with app.session() as session:
        rows = Repository(session, "wegen-test").outbox()
    return [
        (o.created_on, o.body_text, o.body_html or "", _blocks(o))
        for o in rows
        if o.kind == "escalation_digest" and o.recipient == "office" and f"- {ITEM} " in o.body_text
    ]


def _blocks(message: OutboxRecord) -> str:
    """A message's Slack blocks, built from its payload as the Slack notifier builds them."""
    return json.dumps(digest_blocks(message_from_outbox(message)), ensure_ascii=False)


@pytest.fixture
def app(tmp_path: Path, migrated_url: str) -> App:
    return answers_app(migrated_url, tmp_path / "home")


def test_an_item_without_a_hand_over_escalates_as_before(app: App) -> None:
    grace = _plan(False).reminders.unanswered_grace_days
    raised = _run(app, handed=False)
    asked = [d for d in _asked(app, "anna") if d >= DUE]  # those that can go unanswered
    assert len(asked) >= 2
    # The second prompt to anna from the due date on, once her grace has passed: the
    # unanswered escalation.
    assert raised == [CAL.add_working_days(asked[1], grace)]
    texts = _escalation_texts(app)
    assert [d for d, _, _, _ in texts] == raised
    assert all("overgedragen" not in t + h + b for _, t, h, b in texts)


def test_a_hand_over_gives_the_new_contact_their_own_grace_and_the_office_is_told(
    app: App,
) -> None:
    grace = _plan(True).reminders.unanswered_grace_days
    raised = _run(app, handed=True)
    before = [d for d in _asked(app, "anna") if d >= DUE]  # those that can go unanswered
    assert len(before) == 2 and before[-1] < HANDED  # asked twice, unanswered, then left
    assert CAL.add_working_days(before[1], grace) < LAST
    kim = _asked(app, "kclaes")
    assert len(kim) >= 2 and kim[0] >= HANDED  # her first prompt is the hand-over request
    # Anna's prompts do not count for Kim: not on the day they would have escalated, only
    # once Kim's own second prompt is ``grace`` working days old.
    assert CAL.add_working_days(before[1], grace) not in raised
    assert raised == [CAL.add_working_days(kim[1], grace)]
    # The escalation says the item changed hands, when and from whom: text, HTML, Slack.
    texts = _escalation_texts(app)
    assert [d for d, _, _, _ in texts] == raised
    _, text, html, slack = texts[0]
    handed = f"op {format_date_nl(kim[0])} overgedragen aan Kim Claes (was: Anna de Wit)"
    assert f"Let op: {handed}." in text, text
    assert handed in html
    assert handed in slack, slack
