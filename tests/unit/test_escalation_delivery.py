"""An escalation for unanswered requests says how many of them never reached the owner
(audit review finding 6): "herhaalde verzoeken … onbeantwoord" only for delivered ones."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from governance.assessment import assess
from governance.plan import Plan
from governance.planfile.load import load_plan
from governance.reminders import facts_from_history, plan_reminders
from notifications.slack_blocks import digest_blocks
from regie.mapping import message_from_outbox
from regie.messages import outbox_messages
from tests.conftest import SEED_PLAN

# 1.3.1 is due 30 November 2015: asked that day and a week later (only prompts from the due date
# on count, walk32b 2); the third: the second request unanswered for 5 working days
# (``unanswered_grace_days``).
DAYS = (date(2015, 11, 30), date(2015, 12, 7), date(2015, 12, 14))
ITEM = "1.3.1"


def _plan() -> Plan:
    """The seed plan, escalating for lateness later than for unanswered requests, so that each
    delivered case escalates as unanswered too (otherwise both come the same day, overdue first)."""
    plan = load_plan(SEED_PLAN)
    return replace(plan, reminders=replace(plan.reminders, escalate_after_overdue_days=20))


def _history(undelivered: set[tuple[str, str]]) -> tuple[object, ...]:
    """Three days of reminders with nobody answering, ``undelivered`` on the third day."""
    plan = _plan()
    history: list = []
    for day in DAYS:
        assessment = assess(plan, [], day)
        reminders = plan_reminders(plan, assessment, history, day, None, undelivered)
        history.extend(reminders.records)
    return plan, assessment, reminders


def _stages() -> list[str]:
    plan, _, reminders = _history(set())
    (escalation,) = [e for e in reminders.escalations if e.item_id == ITEM]
    assert escalation.kind == "unanswered" and escalation.undelivered == 0
    assert escalation.reason == "2 prompts unanswered"
    plan = _plan()
    history: list = []
    stages = []
    for day in DAYS[:2]:
        r = plan_reminders(plan, assess(plan, [], day), history, day)
        history.extend(r.records)
        stages += [x.stage for x in r.records if x.item_id == ITEM and not x.is_escalation]
    return sorted(set(stages))


@pytest.mark.parametrize(
    ("missed", "reason", "text"),
    [
        (0, "2 prompts unanswered", "herhaalde verzoeken om een update zijn onbeantwoord"),
        (
            1,
            "2 prompts unanswered, 1 not delivered",
            "2 verzoeken om een update, waarvan 1 niet afgeleverd (verzending mislukt of nog "
            "niet verstuurd); het afgeleverde is onbeantwoord",
        ),
        (
            2,
            "2 prompts unanswered, 2 not delivered",
            "geen van de 2 verzoeken om een update is afgeleverd (verzending mislukt of nog niet "
            "verstuurd): de eigenaar is niet bereikt",
        ),
    ],
)
def test_the_escalation_names_the_requests_that_were_not_delivered(
    missed: int, reason: str, text: str
) -> None:
    stages = _stages()
    assert len(stages) == 2
    plan, assessment, reminders = _history({(ITEM, s) for s in stages[:missed]})
    (escalation,) = [e for e in reminders.escalations if e.item_id == ITEM]
    assert (escalation.kind, escalation.reason) == ("unanswered", reason)
    assert (escalation.prompts, escalation.undelivered) == (2, missed)
    (event,) = [
        e for e in reminders.events if e.name == "regie.escalation.raised" and e.item_id == ITEM
    ]
    assert event.payload["reason"] == reason
    assert event.payload.get("undelivered", 0) == missed
    messages = outbox_messages(plan, assessment, reminders)
    (office,) = [m for m in messages if m.kind == "escalation_digest"]
    section = office.body_text.split(f"- {ITEM} ")[1].split("\n- ")[0]
    assert f"Reden: {text}." in section, section
    assert text in (office.body_html or "")
    # The other items' requests all arrived: their wording is unchanged.
    assert "herhaalde verzoeken om een update zijn onbeantwoord" in office.body_text
    (payload,) = [i for i in office.payload["items"] if i["id"] == ITEM]
    assert payload.get("undelivered", 0) == missed
    (block,) = [
        b["text"]["text"]
        for b in digest_blocks(message_from_outbox(office))
        if b["block_id"].endswith(ITEM.replace(".", "-")) or ITEM in str(b)
    ]
    assert text[0].upper() + text[1:] in block


def test_facts_tell_only_the_unanswered_stages_that_were_not_delivered() -> None:
    from governance.reminders import PromptQuestion, new_prompt_record

    history = [
        new_prompt_record("1", "second@2015-11-30", "a", date(2015, 11, 23)),
        new_prompt_record("1", "due@2015-11-30", "a", date(2015, 11, 30)),
        new_prompt_record("1", "overdue-1@2015-11-30", "a", date(2015, 12, 7)),
        new_prompt_record("2", "first@2015-11-30", "b", date(2015, 11, 9)),
    ]
    questions = {
        "1": PromptQuestion(None, "escalation:1:none:", None),
        "2": PromptQuestion(None, "escalation:2:none:", date(2015, 11, 10)),
    }
    missed = {
        ("1", "second@2015-11-30"),
        ("1", "overdue-1@2015-11-30"),
        ("2", "first@2015-11-30"),
        ("3", "x"),
    }
    facts = facts_from_history(history, questions, date(2015, 12, 8), missed)
    # The prompt before the due date is no unanswered request (walk32b 2): not told either.
    assert set(facts["1"].unanswered) == {"due@2015-11-30", "overdue-1@2015-11-30"}
    assert facts["1"].undelivered == {"overdue-1@2015-11-30"}
    assert facts["2"].undelivered == set()  # answered since: not unanswered, nothing to tell
    assert facts_from_history(history, questions, date(2015, 12, 8))["1"].undelivered == set()
