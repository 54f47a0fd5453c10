"""A hand-over in the reminder digest (governance.reminders.Handover): "Overgedragen aan u",
from whom, since when; no cold "N werkdagen over de deadline" — in the text, the HTML, the
subject, Slack's blocks and a message rendered again from its stored context."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from governance.assessment import assess
from governance.planfile.load import load_plan
from governance.reminders import Digest, Handover, plan_reminders
from regie.messages import outbox_messages
from store.records import OutboxRecord
from tests.conftest import SEED_PLAN

DAY = date(2016, 1, 14)


def _messages(handed: int) -> tuple[OutboxRecord, Digest]:
    """The seed's digests on DAY, with the first ``handed`` items of the largest handed over
    to its contact from ``ienm-voorbeeld`` (still in the plan) and a contact who left."""
    plan = load_plan(SEED_PLAN)
    assessment = assess(plan, [], DAY)
    reminders = plan_reminders(plan, assessment, [], DAY)
    digest = max(reminders.digests, key=lambda d: len(d.items))
    handover = Handover(("ienm-voorbeeld", "vertrokken"), date(2015, 9, 9), date(2015, 12, 10))
    items = tuple(
        replace(i, handover=handover) if n < handed else i for n, i in enumerate(digest.items)
    )
    one = replace(reminders, digests=(replace(digest, items=items),), escalation_digests=())
    (message,) = outbox_messages(plan, assessment, one)
    return message, digest


def test_a_hand_over_says_from_whom_and_since_when_not_how_late() -> None:
    message, _ = _messages(handed=len(_messages(0)[1].items))
    text = " ".join(message.body_text.split())
    assert "Aan u overgedragen" in message.subject
    assert "U bent de nieuwe contactpersoon voor" in text
    assert "in plaats van A. Voorbeeld (IenM, fictief)." in text  # who left is not named
    assert (
        "Sinds 9 september 2015 is om een update gevraagd, het laatst op 10 december 2015" in text
    )
    assert "werkdagen over de deadline" not in text and "de deadline is verstreken" in text
    assert "laat het programmabureau dan weten wie het wel doet" in text
    html = " ".join((message.body_html or "").split())
    assert "Overgedragen aan u" in html and "werkdagen over de deadline" not in html
    assert "sinds 9 september 2015" in html


def test_a_digest_with_some_hand_overs_says_how_many() -> None:
    message, digest = _messages(handed=1)
    assert f"{len(digest.items)} punten (waarvan 1 aan u overgedragen)" in message.subject
    text = message.body_text
    assert text.count("Overgedragen aan u: u bent nu") == 1
    assert "werkdagen over de deadline" in text  # the other items as before


def test_slack_and_a_message_rendered_again_show_the_hand_over() -> None:
    from notifications.slack_blocks import digest_blocks
    from regie.mapping import message_from_outbox
    from regie.recheck import rerender

    message, digest = _messages(handed=2)
    slack = " ".join(
        b["text"]["text"] for b in digest_blocks(message_from_outbox(message))
        if b["type"] == "section"
    )  # fmt: skip
    assert "_Overgedragen aan u_" in slack and "gevraagd sinds 9 september 2015" in slack
    again = rerender(message, message.payload["render"], {digest.items[-1].item_id})
    assert again.body_text.count("Overgedragen aan u: u bent nu") == 2


def test_a_predecessor_removed_from_the_plan_is_named_one_forgotten_is_not() -> None:
    """walk30 2: the intro promises "van wie u het overneemt"; the line keeps it: the name of an
    archived contact (``former``), else "een vorige contactpersoon" (a forgotten one)."""
    plan = load_plan(SEED_PLAN)
    assessment = assess(plan, [], DAY)
    reminders = plan_reminders(plan, assessment, [], DAY)
    digest = reminders.digests[0]
    handover = Handover(("vertrokken",), date(2015, 9, 9), date(2015, 12, 10))
    items = (replace(digest.items[0], handover=handover),)
    one = replace(reminders, digests=(replace(digest, items=items),), escalation_digests=())
    (named,) = outbox_messages(plan, assessment, one, former={"vertrokken": "B. Peeters"})
    (erased,) = outbox_messages(plan, assessment, one)
    for message, who in ((named, "B. Peeters"), (erased, "een vorige contactpersoon")):
        assert f"u bent nu de contactpersoon voor dit punt, in plaats van {who}." in " ".join(
            message.body_text.split()
        )
        assert f"in plaats van {who};" in " ".join((message.body_html or "").split())
        assert message.payload["render"]["items"][0]["handover_from"] == (
            [who] if who == "B. Peeters" else []
        )
