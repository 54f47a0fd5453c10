"""Who reads an owner's note in the reminder and escalation messages (walk54b 2, the messages):
the answer pages' rule (:mod:`regie.note_readers`), per recipient. Anna (GEM) writes a note;
Carla (PROV) co-owns 2.1 and gets its reminder without the note; Bram (PROV), Anna's designated
deputy, reads it (review54b 2), in his digest of 2.1 and in the escalation copy of 1.1.1;
Anna's own digest and the office's escalation (mail and Slack channel) keep it. The text,
HTML and Slack parts alike, and the payload (what Slack and a re-render read) does not carry a
withheld note."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from governance.assessment import assess
from governance.planfile.load import load_plan
from governance.reminders import plan_reminders
from governance.updates import StatusUpdate, UpdateStatus
from notifications.base import Message
from notifications.slack_blocks import digest_blocks
from regie.messages import outbox_messages
from store.records import OutboxRecord
from tests.unit.asked import asked_before

PLAN = Path(__file__).resolve().parent.parent / "fixtures" / "plans" / "answers.yaml"
NOTE = "Bel mij op 06-12345678"
WITHHELD = (
    "Er is een toelichting bij gegeven. Die is hier alleen zichtbaar voor de schrijver, diens "
    "plaatsvervanger, degene voor wie de schrijver invalt en het programmabureau; ze kan wel in "
    "de vergaderstukken en het voortgangsrapport staan."
)


def _messages(update: StatusUpdate, day: date) -> dict[str, OutboxRecord]:
    plan = load_plan(PLAN)
    assessment = assess(plan, [update], day)
    reminders = plan_reminders(plan, assessment, asked_before(plan, [update], day), day)
    found = outbox_messages(plan, assessment, reminders, office_channel="C0OFFICE")
    return {m.key.split(":", 2)[2]: m for m in found}


def _slack(record: OutboxRecord) -> str:
    message = Message(
        key=record.key, kind=record.kind, recipient=record.recipient,
        recipient_name=record.recipient_name, email=record.email, slack="U1",
        subject=record.subject, text=record.body_text, html=record.body_html,
        metadata=record.payload,
    )  # fmt: skip
    return "\n".join(b["text"]["text"] for b in digest_blocks(message) if "text" in b)


def _parts(record: OutboxRecord) -> list[str]:
    return [record.body_text, " ".join((record.body_html or "").split()), _slack(record)]


def _reads(record: OutboxRecord) -> bool:
    """Whether every part of ``record`` quotes the note (and none says it was left out)."""
    parts = _parts(record)
    if all(f"'{NOTE}'" in p and WITHHELD not in p for p in parts):
        return True
    assert all(NOTE not in p and WITHHELD in p for p in parts), parts
    assert NOTE not in json.dumps(record.payload)  # nor in what Slack and a re-render read
    return False


def test_a_co_owner_in_another_organisation_reads_that_there_is_a_note_not_what_it_says() -> None:
    """2.1 (PROV and GEM) is a day overdue; Anna answered it in March."""
    anna = StatusUpdate(
        "2.1", UpdateStatus.ON_TRACK, date(2026, 3, 2), forecast=date(2026, 3, 20),
        comment=NOTE, author="anna",
    )  # fmt: skip
    messages = _messages(anna, date(2026, 4, 1))
    own = messages["anna:2026-04-01:digest"]
    assert _reads(own)
    said = "Uw laatste update (2 maart 2026): Op schema, verwacht gereed 20 maart 2026"
    assert f"{said} — '{NOTE}'" in own.body_text
    digest = messages["carla:2026-04-01:digest"]
    assert not _reads(digest)
    said = "Laatste update van Anna de Wit (Gemeente Rivierstad), 2 maart 2026: Op schema, "
    assert f"{said}verwacht gereed 20 maart 2026. {WITHHELD}" in digest.body_text
    # Bram is in Carla's organisation, but also Anna's designated deputy (review54b 2).
    deputy = messages["bram:2026-04-01:digest"]
    assert _reads(deputy)
    assert f"{said}verwacht gereed 20 maart 2026 — '{NOTE}'" in deputy.body_text


def test_the_deputy_s_escalation_copy_quotes_the_note_as_the_office_s_does() -> None:
    """1.1.1 (GEM) escalates: Anna's date has passed. Bram is her deputy (PROV)."""
    anna = StatusUpdate(
        "1.1.1", UpdateStatus.ON_TRACK, date(2025, 7, 1), forecast=date(2025, 8, 1),
        comment=NOTE, author="anna",
    )  # fmt: skip
    messages = _messages(anna, date(2025, 9, 15))
    deputy = messages["bram:2025-09-15:deputy"]
    assert "U ontvangt dit als plaatsvervanger van Anna de Wit." in deputy.body_text
    assert _reads(deputy)  # he stands in for her: the context matters (review54b 2)
    assert _reads(messages["anna:2025-09-15:digest"])
    assert _reads(messages["office:2025-09-15"])  # the office reads every note
    assert _reads(messages["office-channel:2025-09-15"])  # its Slack channel too


def test_the_office_s_own_note_and_a_record_without_an_author_reach_every_owner() -> None:
    """The exemptions the answer pages keep: the office writes its notes for the owners; a
    record that names no author reads as the owner's own (the older wording)."""
    for author in ("office", None):
        update = StatusUpdate(
            "2.1", UpdateStatus.ON_TRACK, date(2026, 3, 2), forecast=date(2026, 3, 20),
            comment=NOTE, author=author,
        )  # fmt: skip
        messages = _messages(update, date(2026, 4, 1))
        for contact in ("anna", "bram", "carla"):
            assert _reads(messages[f"{contact}:2026-04-01:digest"]), (author, contact)


def test_the_contact_does_not_read_their_deputy_s_note_on_the_deputy_s_own_item() -> None:
    """Bram answers 2.1 (PROV and GEM) as PROV's own contact, not as Anna's deputy: Anna's
    reminder says there is a note, as Carla's does (review54c 2)."""
    bram = StatusUpdate(
        "2.1", UpdateStatus.ON_TRACK, date(2026, 3, 2), forecast=date(2026, 3, 20),
        comment=NOTE, author="bram",
    )  # fmt: skip
    messages = _messages(bram, date(2026, 4, 1))
    assert not _reads(messages["anna:2026-04-01:digest"])
    assert not _reads(messages["carla:2026-04-01:digest"])
