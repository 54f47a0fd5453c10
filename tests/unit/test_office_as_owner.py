"""A programme-office contact who belongs to an owning organisation (walk49 finding 4): it
answers for that organisation only when the organisation has no other contact, as it answers
for one without any. Reminders, their grace, deputies' copies and who may answer follow that
one rule; a digest to the office does not tell it that a reply reaches the office."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from governance.answers import Answerer, Refusal, find_item, may_answer
from governance.assessment import assess
from governance.plan import Contact, Plan
from governance.planfile.load import load_plan
from governance.reminders import contacts_of, plan_reminders, recipients
from governance.updates import StatusUpdate
from regie.messages import outbox_messages
from store.records import OutboxRecord
from tests.unit.asked import asked_before
from tests.unit.planbuilder import act, contact, make_plan, ms, quarter

OFFICE = contact("po", "IenM", office=True)
ANN = contact("ann", "IenM")
FIRST = date(2015, 9, 9)  # the first prompt of Q3-2015 (15 working days before 30 September)


def _plan(*contacts: Contact) -> Plan:
    return make_plan(
        act("1.1", ms("1.1.1", quarter(2015, 3))),
        act("1.2", ms("1.2.1", quarter(2015, 3)), owners=("EZ",)),
        act("1.3", ms("1.3.1", quarter(2015, 3)), owners=("IenM", "EZ")),
        contacts=contacts,
    )


def test_the_office_answers_for_its_organisation_only_when_nobody_else_there_does() -> None:
    shared = _plan(OFFICE, ANN)
    assert recipients(shared, ("IenM",)) == {"ann": None}
    # An organisation without a contact is still the office's, with the note saying why.
    assert recipients(shared, ("EZ",)) == {"po": "no contact for EZ"}
    assert recipients(shared, ("IenM", "EZ")) == {"ann": None, "po": "no contact for EZ"}
    assert list(contacts_of(shared)(("IenM",))) == ["ann"]
    # The office is the organisation's only contact: it answers for it, as its contact.
    alone = _plan(OFFICE)
    assert recipients(alone, ("IenM",)) == {"po": None}
    assert recipients(alone, ("IenM", "EZ")) == {"po": "no contact for EZ"}
    assert [c.id for c in shared.answering_for("IenM")] == ["ann"]
    assert [c.id for c in alone.answering_for("IenM")] == ["po"]


def test_the_office_gets_no_reminder_for_an_item_another_contact_answers_for() -> None:
    plan = _plan(OFFICE, ANN)
    assessment = assess(plan, [], FIRST)
    result = plan_reminders(plan, assessment, [], FIRST)
    by_contact = {d.contact_id: [(i.item_id, i.note) for i in d.items] for d in result.digests}
    assert by_contact == {
        "ann": [("1.1.1", None), ("1.3.1", None)],
        "po": [("1.2.1", "no contact for EZ"), ("1.3.1", "no contact for EZ")],
    }
    # The grace of an owner's prompts runs from the prompts to ann alone.
    assert {r.contact_id for r in result.records if r.item_id == "1.1.1"} == {"ann"}


# --- the closing line -------------------------------------------------------------------------

DIGEST_DAY = date(2015, 9, 9)


def _digests(plan: Plan, *, links: bool) -> dict[str, OutboxRecord]:
    assessment = assess(plan, [], DIGEST_DAY)
    reminders = plan_reminders(plan, assessment, [], DIGEST_DAY)

    def linker(contact: str, item: str, key: str) -> str:
        return f"https://regie.example/a/{contact}/{item}"

    made = outbox_messages(plan, assessment, reminders, linker if links else None)
    return {m.recipient: m for m in made if m.kind == "reminder_digest"}


def test_a_digest_to_the_office_does_not_say_a_reply_reaches_the_office() -> None:
    plan = _plan(OFFICE, ANN)
    for links in (True, False):
        digests = _digests(plan, links=links)
        office, owner = digests["po"], digests["ann"]
        for text in (office.body_text, office.body_html or ""):
            flat = " ".join(text.split())
            assert "Antwoordt u op deze e-mail" not in flat
            assert "Dat kan door op dit bericht te antwoorden" not in flat
            assert f"kenmerk {office.key}." in flat
        for text in (owner.body_text, owner.body_html or ""):
            flat = " ".join(text.split())
            said = "Antwoordt u op deze e-mail" if links else "Dat kan door op dit bericht"
            assert said in flat
    # With links the office reads how to use them; the text keeps its blank line before the
    # greeting.
    office = _digests(plan, links=True)["po"].body_text
    assert "Dat kan met de link bij elk punt" in office
    assert "nieuwe verwachte datum.\n\nMet vriendelijke groet" in (
        _digests(plan, links=False)["po"].body_text
    )


# --- deputies and who may answer ----------------------------------------------------------------

BE_PLAN = Path(__file__).resolve().parent.parent / "fixtures" / "plans" / "circulair_bouwen_be.yaml"
ESCALATES = date(2025, 10, 20)  # 1.1 (OVAM, Q3-2025) escalates: overdue, no new date
JAN = Contact(id="jan", name="J. Janssens", organisation="OMG", email="j@example.org")


def _office_at_ovam(*, ovam_contact: bool) -> Plan:
    """The office's contact moved to OVAM, the owner of 1.1, with jan (OMG) as its deputy."""
    plan: Plan = load_plan(BE_PLAN)
    contacts = [
        replace(c, organisation="OVAM", deputy="jan") if c.programme_office else c
        for c in plan.contacts
        if ovam_contact or c.id != "ovam"
    ]
    return replace(plan, contacts=(*contacts, JAN))


def _deputy_copies(plan: Plan) -> list[OutboxRecord]:
    updates: list[StatusUpdate] = []
    assessment = assess(plan, updates, ESCALATES)
    reminders = plan_reminders(plan, assessment, asked_before(plan, updates, ESCALATES), ESCALATES)
    assert any(e.item_id == "1.1" for e in reminders.escalations)
    made = outbox_messages(plan, assessment, reminders)
    return [m for m in made if m.key.endswith(":deputy")]


def test_the_office_s_deputy_stands_in_only_where_the_office_answers_for_the_owner() -> None:
    shared = _office_at_ovam(ovam_contact=True)
    item = find_item(shared, "1.1")
    assert item is not None
    assert _deputy_copies(shared) == []
    assert may_answer(shared, Answerer("jan", JAN.name), item) is Refusal.NOT_OWNER
    # The office itself may answer for every item all the same.
    assert may_answer(shared, Answerer("secretariaat", "S"), item) is None
    alone = _office_at_ovam(ovam_contact=False)
    (copy,) = _deputy_copies(alone)
    assert copy.recipient == "jan"
    assert may_answer(alone, Answerer("jan", JAN.name), item) is None
