"""Who gave an item's latest answer, as the messages say it (walk28 finding 4): "Uw laatste
update" only to its author; the office's correction is the office's (by the plan's name for
it), another contact's answer is theirs. A second programme (Flemish, ``office_name``
Programmasecretariaat) with two contacts at the owning organisation."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from governance.assessment import assess
from governance.plan import Contact, Plan
from governance.planfile.load import load_plan
from governance.reminders import plan_reminders
from governance.updates import StatusUpdate, UpdateStatus
from notifications.base import Message
from notifications.slack_blocks import digest_blocks
from regie.messages import outbox_messages
from store.records import OutboxRecord
from tests.unit.asked import asked_before

PLAN = Path(__file__).resolve().parent.parent / "fixtures" / "plans" / "circulair_bouwen_be.yaml"
DAY = date(2025, 10, 1)  # 1.1 (Q3-2025) is a day late
CORRECTION = "Correctie: gereed was per abuis gemeld"


def _plan() -> Plan:
    plan = load_plan(PLAN)
    claes = Contact(id="claes", name="C. Claes", organisation="OVAM", email="c@example.org")
    return replace(plan, contacts=(*plan.contacts, claes))


def _messages(updates: list[StatusUpdate], day: date = DAY) -> dict[str, OutboxRecord]:
    plan = _plan()
    assessment = assess(plan, updates, day)
    reminders = plan_reminders(plan, assessment, asked_before(plan, updates, day), day)
    return {m.recipient: m for m in outbox_messages(plan, assessment, reminders)}


def _slack_text(record: OutboxRecord) -> str:
    message = Message(
        key=record.key, kind=record.kind, recipient=record.recipient,
        recipient_name=record.recipient_name, email=record.email, slack="U1",
        subject=record.subject, text=record.body_text, html=record.body_html,
        metadata=record.payload,
    )  # fmt: skip
    return "\n".join(b["text"]["text"] for b in digest_blocks(message) if "text" in b)


WRONG = StatusUpdate("1.1", UpdateStatus.DONE, date(2025, 9, 15), comment="Klaar", author="ovam")
FIXED = StatusUpdate(
    "1.1", UpdateStatus.ON_TRACK, date(2025, 9, 16), comment=CORRECTION, author="programmabureau"
)


def test_the_office_s_correction_is_not_called_the_owner_s_own_update() -> None:
    messages = _messages([WRONG, FIXED])
    said = "Laatste update van het programmasecretariaat, 16 september 2025: Op schema"
    said += f" — '{CORRECTION}'"
    for contact in ("ovam", "claes"):
        digest = messages[contact]
        assert "Uw laatste update" not in digest.body_text
        assert said in digest.body_text
        assert said in (digest.body_html or "")
        assert said in _slack_text(digest)


def test_uw_only_for_the_author_another_contact_s_answer_is_named() -> None:
    late = StatusUpdate(
        "1.1", UpdateStatus.AT_RISK, date(2025, 9, 22), comment="Leverancier", author="ovam"
    )
    messages = _messages([late])
    assert "Uw laatste update (22 september 2025): Risico" in messages["ovam"].body_text
    other = messages["claes"].body_text
    assert "Uw laatste update" not in other
    assert "Laatste update van A. Peeters (OVAM), 22 september 2025: Risico" in other


def test_the_escalation_names_the_office_as_the_author_of_its_words() -> None:
    office = _messages([WRONG, FIXED], date(2025, 10, 20))["secretariaat"]
    assert "Laatste update van de eigenaar" not in office.body_text
    assert "de laatste statusupdate van het programmasecretariaat (16 september 2025" in (
        office.body_text
    )
    assert "Laatste update van het programmasecretariaat, 16 september 2025" in office.body_text


def test_an_office_contact_who_owns_the_item_reads_their_own_answer_as_their_own() -> None:
    """Claes works at the office and answers for OVAM's item, as OVAM's only contact (an
    office contact answers for its organisation only when nobody else does, walk49 4): his
    own answer is "Uw laatste update" to him, not "van het programmasecretariaat"."""
    plan = _plan()
    office_claes = replace(plan.contacts[-1], programme_office=True)
    others = tuple(c for c in plan.contacts[:-1] if c.organisation != "OVAM")
    plan = replace(plan, contacts=(*others, office_claes))
    own = StatusUpdate("1.1", UpdateStatus.AT_RISK, date(2025, 9, 22), comment="X", author="claes")
    assessment = assess(plan, [own], DAY)
    reminders = plan_reminders(plan, assessment, asked_before(plan, [own], DAY), DAY)
    claes = {m.recipient: m for m in outbox_messages(plan, assessment, reminders)}["claes"]
    assert "Uw laatste update (22 september 2025): Risico" in claes.body_text
    assert "van het programmasecretariaat" not in claes.body_text


def test_another_contact_s_answer_names_their_organisation_as_the_owner_lines_do() -> None:
    """By ``short_name`` (else ``name``), not by the plan's id, as every owner line does."""
    plan = _plan()
    ovam = replace(plan.organisations[1], name="Openbare Vlaamse Afvalstoffenmaatschappij")
    plan = replace(plan, organisations=(plan.organisations[0], ovam))
    late = StatusUpdate("1.1", UpdateStatus.AT_RISK, date(2025, 9, 22), comment="L", author="ovam")
    assessment = assess(plan, [late], DAY)
    reminders = plan_reminders(plan, assessment, asked_before(plan, [late], DAY), DAY)
    claes = {m.recipient: m for m in outbox_messages(plan, assessment, reminders)}["claes"]
    said = "Laatste update van A. Peeters (Openbare Vlaamse Afvalstoffenmaatschappij), 22 sep"
    assert said in claes.body_text
    assert "(OVAM)" not in claes.body_text
    short = replace(ovam, short_name="Afvalmaatschappij")
    plan = replace(plan, organisations=(plan.organisations[0], short))
    claes = {m.recipient: m for m in outbox_messages(plan, assessment, reminders)}["claes"]
    assert "Laatste update van A. Peeters (Afvalmaatschappij), 22 sep" in claes.body_text
