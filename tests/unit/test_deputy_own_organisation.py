"""A deputy who is also a contact of the owning organisation was asked about the item
themselves (every contact of an owner is): they get no "plaatsvervanger" copy of its
escalation, as an owner gets none (walk28 finding 17). A deputy from elsewhere still does.
A second programme (Flemish)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from governance.assessment import assess
from governance.plan import Contact, Plan
from governance.planfile.load import load_plan
from governance.reminders import plan_reminders
from governance.updates import StatusUpdate
from regie.messages import outbox_messages
from store.records import OutboxRecord
from tests.unit.asked import asked_before

PLAN = Path(__file__).resolve().parent.parent / "fixtures" / "plans" / "circulair_bouwen_be.yaml"
DAY = date(2025, 10, 20)  # 1.1 (Q3-2025) escalates: overdue, no new date


def _messages(deputy: Contact) -> list[OutboxRecord]:
    plan: Plan = load_plan(PLAN)
    contacts = tuple(replace(c, deputy=deputy.id) if c.id == "ovam" else c for c in plan.contacts)
    plan = replace(plan, contacts=(*contacts, deputy))
    updates: list[StatusUpdate] = []
    assessment = assess(plan, updates, DAY)
    reminders = plan_reminders(plan, assessment, asked_before(plan, updates, DAY), DAY)
    assert any(e.item_id == "1.1" for e in reminders.escalations)
    return list(outbox_messages(plan, assessment, reminders))


def test_a_deputy_of_the_owning_organisation_gets_no_deputy_copy() -> None:
    claes = Contact(id="claes", name="C. Claes", organisation="OVAM", email="c@example.org")
    messages = _messages(claes)
    assert not [m for m in messages if m.key.endswith(":deputy")]
    assert not any("plaatsvervanger" in m.body_text for m in messages if m.recipient == "claes")


def test_a_deputy_from_another_organisation_still_gets_one() -> None:
    jan = Contact(id="jan", name="J. Janssens", organisation="OMG", email="j@example.org")
    (copy,) = [m for m in _messages(jan) if m.key.endswith(":deputy")]
    assert copy.recipient == "jan" and "plaatsvervanger van A. Peeters" in copy.body_text
