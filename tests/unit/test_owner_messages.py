"""Owner review findings 6, 7, 9 and 13: what the digests and escalations say about earlier
answers, the deputy's own copy of an escalation, and the plain-Dutch footer."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from governance.assessment import assess
from governance.plan import Plan
from governance.planfile.load import load_plan
from governance.reminders import plan_reminders
from governance.updates import StatusUpdate, UpdateStatus
from notifications.base import Message
from notifications.slack_blocks import digest_blocks
from regie.messages import from_json, outbox_messages
from store.records import OutboxRecord
from tests.conftest import SEED_PLAN
from tests.unit.asked import asked_before

DAY = date(2015, 10, 1)
UPDATES = [
    # 2.2.1 (RIVM, due 30 June) got a forecast that has since passed.
    StatusUpdate(
        "2.2.1",
        UpdateStatus.ON_TRACK,
        date(2015, 7, 15),
        forecast=date(2015, 8, 31),
        comment="Extra ronde met VNG",
    ),
    # 1.1.1 (IenM, due 30 September): "risico", no new date, and now overdue.
    StatusUpdate("1.1.1", UpdateStatus.AT_RISK, date(2015, 9, 28), comment="Weinig respons"),
]


def _plan() -> Plan:
    """The seed plan with ez-voorbeeld as the deputy of the RIVM contact."""
    plan = load_plan(SEED_PLAN)
    contacts = tuple(
        replace(c, deputy="ez-voorbeeld") if c.id == "rivm-voorbeeld" else c for c in plan.contacts
    )
    return replace(plan, contacts=contacts)


def _messages(updates: list[StatusUpdate] = UPDATES) -> dict[str, OutboxRecord]:
    plan = _plan()
    assessment = assess(plan, updates, DAY)
    reminders = plan_reminders(plan, assessment, asked_before(plan, updates, DAY), DAY)

    def linker(contact: str, item: str, key: str) -> str:
        return f"https://regie.example/a/{contact}/{item}"

    return {m.key: m for m in outbox_messages(plan, assessment, reminders, linker)}


def _deputy(messages: dict[str, OutboxRecord]) -> OutboxRecord:
    (copy,) = [m for m in messages.values() if m.key.endswith(":deputy")]
    return copy


def test_the_deputy_gets_its_own_copy_with_answer_links() -> None:
    copy = _deputy(_messages())
    assert copy.recipient == "ez-voorbeeld"
    plan = _plan()
    name = next(c.name for c in plan.contacts if c.id == "rivm-voorbeeld")
    for text in (copy.body_text, copy.body_html or ""):
        assert "plaatsvervanger van " + name in text.replace("&#39;", "'")
        assert "aandacht van het programmabureau" not in text
        assert "sturend overleg" not in text
        # Scoped to the deputy as the one who answers.
        assert "https://regie.example/a/ez-voorbeeld/2.2.1" in text
    assert "Antwoorden: https://regie.example/a/ez-voorbeeld/2.2.1" in copy.body_text
    assert copy.payload["deputy_for"] == [name]
    # Slack: the same introduction, and answer buttons under the item.
    blocks = digest_blocks(_slack(copy))
    assert "plaatsvervanger van" in blocks[1]["text"]["text"]
    assert any(b["type"] == "actions" for b in blocks)


def test_the_office_copy_stays_the_office_s() -> None:
    messages = _messages()
    office = messages["escalation:mvi-2015-2020:programmabureau:2015-10-01"]
    assert "aandacht van het programmabureau" in office.body_text
    assert "plaatsvervanger" not in office.body_text
    assert "regie.example" not in office.body_text


def test_an_escalation_says_what_is_true_of_the_owner_s_updates() -> None:
    messages = _messages()
    office = messages["escalation:mvi-2015-2020:programmabureau:2015-10-01"]
    text = office.body_text
    assert "zonder recente statusupdate" not in text
    # 2.2.1 had an update with a forecast that has passed.
    assert (
        "de laatste statusupdate van de eigenaar (15 juli 2015: Op schema, verwacht gereed "
        "31 augustus 2015) is verlopen: die verwachte datum is verstreken"
    ) in text
    # 2.3.1 never had one.
    assert "nog geen statusupdate van de eigenaar" in text
    html = office.body_html or ""
    assert "verwacht gereed 31 augustus 2015) is verlopen" in html
    slack = "\n".join(b["text"]["text"] for b in digest_blocks(_slack(office)) if "text" in b)
    assert "verwacht gereed 31 augustus 2015) is verlopen" in slack


def test_a_digest_shows_the_latest_answer_and_what_is_missing() -> None:
    messages = _messages()
    digest = messages["reminder:mvi-2015-2020:ienm-voorbeeld:2015-10-01:digest"]
    line = "Uw laatste update (28 september 2015): Risico — 'Weinig respons'"
    assert line in digest.body_text
    assert "Nog nodig: de deadline is verstreken: geef een nieuwe datum of meld gereed" in (
        digest.body_text
    )
    html = digest.body_html or ""
    assert "Uw laatste update (28 september 2015): Risico — 'Weinig respons'" in html
    assert "<strong>Nog nodig:</strong> de deadline is verstreken" in html
    (item,) = digest.payload["items"]
    assert item["latest_status"] == "at_risk" and item["latest_on"] == "2015-09-28"
    slack = "\n".join(b["text"]["text"] for b in digest_blocks(_slack(digest)) if "text" in b)
    assert "Uw laatste update (28 september 2015): Risico — 'Weinig respons'" in slack
    assert "_Nog nodig:_ de deadline is verstreken" in slack
    # The render context survives the payload (regie.recheck renders it again).
    restored = from_json(digest.payload["render"])
    assert restored["items"][0]["latest_on"] == date(2015, 9, 28)


def test_the_owner_s_note_is_escaped_in_the_html_mail() -> None:
    note = StatusUpdate("1.1.1", UpdateStatus.AT_RISK, date(2015, 9, 28), comment="<b>x</b> & y")
    digest = _messages([note])["reminder:mvi-2015-2020:ienm-voorbeeld:2015-10-01:digest"]
    assert "'&lt;b&gt;x&lt;/b&gt; &amp; y'" in (digest.body_html or "")
    assert "'<b>x</b> & y'" in digest.body_text


def test_an_unanswered_item_shows_no_latest_answer() -> None:
    digest = _messages([])["reminder:mvi-2015-2020:ienm-voorbeeld:2015-10-01:digest"]
    assert "laatste update" not in digest.body_text
    assert "latest_on" not in digest.payload["items"][0]


def test_the_footer_is_plain_dutch_and_says_what_a_reply_does() -> None:
    messages = _messages()
    digest = messages["reminder:mvi-2015-2020:ienm-voorbeeld:2015-10-01:digest"]
    for text in (digest.body_text, digest.body_html or ""):
        flat = " ".join(text.split())
        assert "(Bericht reminder:" not in flat
        assert f"Bij vragen over dit bericht: kenmerk {digest.key}." in flat
        assert "Antwoordt u op deze e-mail, dan komt uw antwoord bij het programmabureau" in flat
        assert "Met de link bij een punt legt u het zelf direct vast." in flat


def _slack(record: OutboxRecord) -> Message:
    return Message(
        key=record.key,
        kind=record.kind,
        recipient=record.recipient,
        recipient_name=record.recipient_name,
        email=record.email,
        slack=record.slack,
        subject=record.subject,
        text=record.body_text,
        html=record.body_html,
        metadata=record.payload,
    )
