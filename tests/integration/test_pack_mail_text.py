"""The agenda pack's mail reads as plain text in its text/plain part: no Markdown escapes, no
pipe tables; an owner's note exactly as typed (walk29)."""

from __future__ import annotations

import email
from datetime import date
from email.message import Message
from pathlib import Path

import pytest

from regie.cycle import send_reminders
from regie.prepare import PACK_KIND, prepare_meetings
from store import Repository
from tests.integration.reports_scenario import HOSTILE_NOTE, scenario_app

TEXT_ONLY = pytest.mark.one_database(
    "the mail's text, from SQL this file's other PostgreSQL tests run"
)

PACK_DAY = date(2016, 4, 5)  # five working days before the meeting of 12 April 2016


def _text_part(eml: Path) -> str:
    mail = email.message_from_bytes(eml.read_bytes())
    parts = [p for p in mail.walk() if p.get_content_type() == "text/plain"]
    assert len(parts) == 1
    part: Message = parts[0]
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(part.get_content_charset() or "utf-8")


def test_the_pack_mail_s_text_part_is_plain_text(
    tmp_path: Path, database_url: str, documents_made_once: None
) -> None:
    app = scenario_app(tmp_path / "home", database_url)
    assert prepare_meetings(app, PACK_DAY).packs
    assert not send_reminders(app).failed
    with app.session() as session:
        plan_id = app.load_plan().programme.id
        packs = [m for m in Repository(session, plan_id).outbox() if m.kind == PACK_KIND]
    assert packs
    text = packs[0].body_text
    lines = text.splitlines()
    # Headings underlined, no Markdown marks; each table row a block, not a line of pipes.
    assert lines[1] == "=" * len(lines[0]) and lines[0].startswith("Agenda ")
    assert "4. Ter besluitvorming\n---------------------" in text
    assert not [line for line in lines if line.startswith(("|", "#"))]
    assert "**" not in text.replace("**vet**", "")  # only the owner's own asterisks
    # The owners' notes as typed: the Markdown escapes (\#, \|, \<, \&) are gone.
    assert "- 3.3.2 Uitvoering tweetal pilots\n" in text
    assert "Laatste toelichting: [zie](http://x) # kop | pijp" in text
    assert HOSTILE_NOTE in text
    for escaped in ("\\#", "\\|", "\\<", "\\[", "\\*", "\\$"):
        assert escaped not in text, escaped
    # A row's other cells as "Kolom: waarde", the empty ones left out.
    assert "Eigenaar: PIANOo · Gereed (zoals beloofd): Q4-2015 · Deadline: 31-12-2015" in text
    assert "Prognose: —" not in text
    # What the member's mail client shows: the same text in the file outbox's text/plain part.
    files = sorted((tmp_path / "home" / "outbox").glob("*agenda-pack*.eml"))
    assert files and _text_part(files[0]).replace("\r\n", "\n").strip() == text.strip()


@TEXT_ONLY
def test_an_owner_label_follows_the_count_of_owners(
    tmp_path: Path, database_url: str, documents_made_once: None
) -> None:
    """walk49 8: the text part labelled two owners *Eigenaar: A, B*; the label now follows the
    count, as the round summary's does, by the names the plan shows one owner by."""
    import re

    app = scenario_app(tmp_path / "home", database_url)
    assert prepare_meetings(app, PACK_DAY).packs
    plan = app.load_plan()
    with app.session() as session:
        packs = [m for m in Repository(session, plan.programme.id).outbox() if m.kind == PACK_KIND]
    text = packs[0].body_text
    one = {o.label for o in plan.organisations}
    single = re.findall(r"\bEigenaar: (.*?)(?: · |\n|$)", text)
    several = re.findall(r"\bEigenaren: (.*?)(?: · |\n|$)", text)
    assert single and set(single) <= one, set(single) - one
    assert several and all(", " in s and s not in one for s in several), several
    assert "Eigenaren: RIVM, IenM" in text or "Eigenaren: IenM, PIANOo" in text, several
