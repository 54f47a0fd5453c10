"""fix57f 2: the escalations' copies end with the other open items as the owners' digests do
(walk55b 3): a deputy's copy with those of the contacts the deputy stands in for, the office's
escalation digest (mail and its Slack channel) with each escalated item's owner's, each count
less the message's own items — mail text, HTML and Slack. Before, neither had such a line."""

from __future__ import annotations

from governance.assessment import Assessment, assess
from governance.item_start import asked_about, not_started
from governance.plan import Plan
from governance.rag import STATE_VALUES
from governance.reminders import OpenCounts, ReminderPlan, plan_reminders, recipients
from governance.reminders.overview import NOTHING
from notifications.slack_blocks import digest_blocks
from regie.mapping import message_from_outbox
from regie.messages import outbox_messages
from regie.open_elsewhere import escalations_elsewhere
from store.records import OutboxRecord
from tests.unit.asked import asked_before
from tests.unit.test_owner_messages import DAY, UPDATES, _plan


def _day() -> tuple[Plan, Assessment, ReminderPlan, list[OutboxRecord]]:
    plan = _plan()
    assessment = assess(plan, UPDATES, DAY)
    reminders = plan_reminders(plan, assessment, asked_before(plan, UPDATES, DAY), DAY)
    states = {i: STATE_VALUES[item.state] for i, item in assessment.items.items()}
    counts = OpenCounts(plan, NOTHING, DAY, today=states)
    overview = escalations_elsewhere(plan, assessment, reminders, counts)
    messages = list(
        outbox_messages(plan, assessment, reminders, office_channel="C0FF1CE", overview=overview)
    )
    return plan, assessment, reminders, messages


def _open(assessment: Assessment, keep: object) -> tuple[int, int]:
    """The open (and late) items ``keep(item)`` selects, counted one by one."""
    found = [
        i
        for i in assessment.items.values()
        if keep(i) and asked_about(i.state.value, not_started(i, DAY))
    ]
    return len(found), sum(1 for i in found if i.state.value == "overdue")


def _text(record: OutboxRecord) -> tuple[str, str, str]:
    html = (record.body_html or "").replace("&#39;", "'")
    slack = " ".join(
        e["text"]
        for b in digest_blocks(message_from_outbox(record))
        if b.get("block_id") == "others"
        for e in b["elements"]
    )
    return " ".join(record.body_text.split()), " ".join(html.split()), slack


def test_the_deputy_s_copy_counts_the_items_of_those_they_stand_in_for() -> None:
    plan, assessment, _, messages = _day()
    (copy,) = [m for m in messages if m.key.endswith(":deputy")]
    listed = {i["id"] for i in copy.payload["items"]}
    n_open, n_late = _open(
        assessment,
        lambda i: "rivm-voorbeeld" in recipients(plan, i.owners) and i.item_id not in listed,
    )
    assert n_open > 0, (n_open, n_late)
    name = next(c.name for c in plan.contacts if c.id == "rivm-voorbeeld")
    if n_open == 1:
        said = f"staat er voor {name} nog 1 punt open" + (", en dat is te laat" if n_late else "")
    else:
        late = f", waarvan {n_late} te laat" if n_late else ""
        said = f"staan er voor {name} nog {n_open} punten open{late}"
    line = f"Verder {said}. Het programmabureau stuurt u graag het volledige overzicht."
    for text in _text(copy):
        assert line in text, text
    assert (copy.payload["others_open"], copy.payload["others_late"]) == (n_open, n_late)


def test_the_office_s_escalations_count_each_escalated_item_s_owner() -> None:
    plan, assessment, reminders, messages = _day()
    escalated = {e.item_id for e in reminders.escalations}
    office = [
        m for m in messages if m.kind == "escalation_digest" and not m.key.endswith(":deputy")
    ]
    assert len(office) >= 2  # the office contact's and its Slack channel's
    orgs = sorted({o for i in escalated for o in assessment.items[i].owners})
    parts = []
    for org in orgs:
        n_open, n_late = _open(
            assessment, lambda i, org=org: org in i.owners and i.item_id not in escalated
        )
        if n_open:
            late = f", waarvan {n_late} te laat" if n_late else ""
            noun = "punt" if n_open == 1 else "punten"
            parts.append(f"{plan.owner_name(org)} {n_open} {noun}{late}")
    assert parts
    line = "Verder staan er bij de eigenaren van deze punten nog open: " + "; ".join(parts) + "."
    for record in office:
        for text in _text(record):
            assert line in text, text
