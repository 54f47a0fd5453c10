"""How a digest lays out an item's latest answer (walk55b 2, 4, 5, 6): a long note is
shortened in Slack, not the "Nog nodig" after it; "Nog nodig" is its own sentence; a note's
line breaks stay under the item in text mails and are kept in HTML mails; an ISO *gereed*
gets its deadline in Dutch words. The Flemish test plan, OVAM's item 1.1 (Q3-2025) a day late."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from governance.assessment import assess
from governance.planfile.load import load_plan
from governance.reminders import plan_reminders
from governance.updates import StatusUpdate, UpdateStatus
from notifications.base import Message
from notifications.slack_blocks import SECTION_LIMIT, digest_blocks, shortened_note
from regie.messages import outbox_messages
from store.records import OutboxRecord
from tests.unit.asked import asked_before

PLAN = Path(__file__).resolve().parent.parent / "fixtures" / "plans" / "circulair_bouwen_be.yaml"
DAY = date(2025, 10, 1)
LAPSED = "uw verwachte datum 26 september 2025 is verstreken: geef een nieuwe datum of meld gereed"


def _messages(note: str, day: date = DAY, plan_path: Path = PLAN) -> dict[str, OutboxRecord]:
    plan = load_plan(plan_path)
    update = StatusUpdate(
        "1.1", UpdateStatus.ON_TRACK, date(2025, 9, 22), forecast=date(2025, 9, 26),
        comment=note, author="ovam",
    )  # fmt: skip
    assessment = assess(plan, [update], day)
    reminders = plan_reminders(plan, assessment, asked_before(plan, [update], day), day)
    return {m.recipient: m for m in outbox_messages(plan, assessment, reminders)}


def _item_section(record: OutboxRecord) -> str:
    message = Message(
        key=record.key, kind=record.kind, recipient=record.recipient,
        recipient_name=record.recipient_name, email=record.email, slack="U1",
        subject=record.subject, text=record.body_text, html=record.body_html,
        metadata=record.payload,
    )  # fmt: skip
    (section,) = (b for b in digest_blocks(message) if b.get("block_id") == "item:1.1")
    return str(section["text"]["text"])


def test_a_long_escaped_note_is_shortened_and_nog_nodig_stays() -> None:
    """2: 1990 characters with < > & are ~2900 once escaped; the section used to be cut from
    its end, "Nog nodig" lost, sometimes inside an entity (``&l…``)."""
    note = ("lang <b>html</b> & meer\n" * 90)[:1990]
    text = _item_section(_messages(note)["ovam"])
    assert len(text) <= SECTION_LIMIT
    assert text.endswith(f"…'\n_Nog nodig:_ {LAPSED}.")
    assert "'lang &lt;b&gt;html&lt;/b&gt; &amp; meer\nlang" in text
    # Every & starts a whole entity: no cut inside one.
    assert re.findall(r"&(?!amp;|lt;|gt;)", text) == []


#: The two digests whose item sections quote the latest note: OVAM's reminder on the day after
#: 1.1's expected date, and the secretariat's escalation once it is overdue long enough.
DIGESTS = {"reminder": ("ovam", DAY), "escalation": ("secretariaat", date(2025, 10, 20))}
#: Notes over the section's limit once escaped: about 1×; 3.3× (2000 ampersands, the most a
#: 2000-character note can grow); 5× (a longer note the office recorded). And the same run of
#: ampersands shifted by one to four characters, so that for one of the five a cut at the
#: limit's character would fall inside an ``&amp;``.
LONG_NOTES = {
    "1x": ("lang <b>html</b> & meer\n" * 90)[:1990],
    "3.3x": "&" * 2000,
    "5x": "&" * 3000,
    **{f"shifted {k}": "x" * k + "&" * (2000 - k) for k in range(1, 5)},
}


@pytest.mark.parametrize("note", list(LONG_NOTES))
@pytest.mark.parametrize("digest", list(DIGESTS))
def test_a_long_note_is_shortened_whole_entities_in_both_digests(digest: str, note: str) -> None:
    """review55 2: the escalation digest's section is shortened as the reminder's, a note many
    times over the limit too, and never inside an entity; the reminder keeps "Nog nodig"."""
    recipient, day = DIGESTS[digest]
    text = _item_section(_messages(LONG_NOTES[note], day)[recipient])
    assert SECTION_LIMIT - 5 < len(text) <= SECTION_LIMIT  # the room is used, not wasted
    assert re.findall(r"&(?!amp;|lt;|gt;)", text) == []
    if digest == "reminder":
        assert text.endswith(f"…'\n_Nog nodig:_ {LAPSED}.")
    else:
        assert text.endswith("…'")


def test_a_short_note_is_left_whole() -> None:
    text = _item_section(_messages("Wacht op <leverancier> & co")["ovam"])
    assert "— 'Wacht op &lt;leverancier&gt; &amp; co'\n" in text
    assert "…" not in text


def test_shortened_note_counts_escaped_characters_and_never_cuts_an_entity() -> None:
    assert shortened_note("a<b", 5) == "a…"  # "a&lt;" would be 5 + the "…"
    assert shortened_note("a<b", 6) == "a<…"
    assert shortened_note("ab  cd", 4) == "ab…"


def test_nog_nodig_is_its_own_sentence_in_slack() -> None:
    """4: "…staan._Nog nodig:_ …" ran on from the note, with no closing full stop."""
    text = _item_section(_messages("Ze kan wel in de stukken staan.")["ovam"])
    assert f"— 'Ze kan wel in de stukken staan.'\n_Nog nodig:_ {LAPSED}." in text


NOTE = "Eerste regel\r\nregel2\nregel3 & <b>"


def test_a_note_s_lines_stay_under_the_item_in_the_reminder_mail() -> None:
    """5: the lines after the first were at column 0 in the text part, and ran together on
    one line in the HTML part."""
    mail = _messages(NOTE)["ovam"]
    assert "— 'Eerste regel\n    regel2\n    regel3 & <b>'\n  Nog nodig:" in mail.body_text
    assert "— 'Eerste regel<br>\nregel2<br>\nregel3 &amp; &lt;b&gt;'<br>" in (mail.body_html or "")


def test_a_note_s_lines_stay_under_the_item_in_the_escalation_mail() -> None:
    office = _messages(NOTE, date(2025, 10, 20))["secretariaat"]
    assert "— 'Eerste regel\n    regel2\n    regel3 & <b>'\n" in office.body_text
    assert "Eerste regel<br>\nregel2<br>\nregel3 &amp; &lt;b&gt;" in (office.body_html or "")


def test_an_iso_gereed_gets_its_deadline_in_dutch_words(tmp_path: Path) -> None:
    """6: "Gereed: 2025-09-30" said nothing more, where README promises the date in words."""
    text = PLAN.read_text(encoding="utf-8")
    assert "        gereed: Q3-2025\n" in text
    plan = tmp_path / "plan.yaml"
    plan.write_text(text.replace("gereed: Q3-2025\n", "gereed: 2025-09-30\n"), encoding="utf-8")
    mail = _messages("X", plan_path=plan)["ovam"]
    assert "  Gereed: 2025-09-30 (deadline 30 september 2025)\n" in mail.body_text
    assert "Gereed: _2025-09-30_ · deadline 30 september 2025 · " in _item_section(mail)
    office = _messages("X", date(2025, 10, 20), plan)["secretariaat"]
    assert "  Gereed: 2025-09-30 (deadline 30 september 2025)\n" in office.body_text
