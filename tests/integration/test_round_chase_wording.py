"""A status round's chase is worded for its recipient: "no update from you" only to the contact
the round asked; a successor, or the office for an organisation without a contact, is told the
request went to another contact and that they answer now (e-mail and Slack). SQLite and
PostgreSQL (the ``migrated_url`` fixture)."""

from __future__ import annotations

from pathlib import Path

from notifications.slack_blocks import digest_blocks
from regie.mapping import message_from_outbox
from store import OutboxRecord
from tests.integration.test_round_handover import ANNA, FRANK, _run

FROM_YOU = "nog geen update van u ontvangen"
ELSEWHERE = "Ons verzoek daarover ging eerder naar een andere contactpersoon"


def _intro(chase: OutboxRecord) -> str:
    blocks = digest_blocks(message_from_outbox(chase))
    return str(next(b["text"]["text"] for b in blocks if b.get("block_id") == "intro"))


def test_the_contact_asked_is_told_no_update_came_from_them(
    tmp_path: Path, migrated_url: str
) -> None:
    sent = _run(tmp_path, migrated_url, ANNA)  # anna stays
    chase = sent["round:1:anna:chase:2025-06-19"]
    assert FROM_YOU in chase.body_text and chase.body_html and FROM_YOU in chase.body_html
    assert ELSEWHERE not in chase.body_text
    assert "nog geen update van u over" in _intro(chase)


def test_a_successor_is_told_the_request_went_to_another_contact(
    tmp_path: Path, migrated_url: str
) -> None:
    sent = _run(tmp_path, migrated_url, FRANK)
    chase = sent["round:1:frank:chase:2025-06-19"]
    said = f"{ELSEWHERE} voor uw organisatie; u bent nu aanspreekpunt."
    for body in (chase.body_text, chase.body_html or ""):
        assert FROM_YOU not in body
        assert said in " ".join(body.split()), body
    intro = _intro(chase)
    assert "nog geen update van u" not in intro and ELSEWHERE in intro


def test_the_office_is_told_the_request_went_to_another_contact(
    tmp_path: Path, migrated_url: str
) -> None:
    sent = _run(tmp_path, migrated_url, "")
    chase = sent["round:1:office:chase:2025-06-19"]
    text = " ".join(chase.body_text.split())
    assert FROM_YOU not in text
    assert f"{ELSEWHERE}; u bent nu aanspreekpunt." in text
    assert "Gemeente Rivierstad heeft geen contactpersoon meer in het plan" in text
