"""A reminder digest ends with the contact's other open items (walk55b 3): an owner with many
items is asked about each on its own days, so every digest says how many more are open and
how many of them late — mail text, HTML and Slack — counting only the items the contact is
asked about (their own organisation's, a co-owned one; not another organisation's, not
ongoing work not started yet, not one finished)."""

from __future__ import annotations

from datetime import date

from governance.assessment import Assessment, State, assess
from governance.item_start import asked_about, not_started
from governance.plan import Plan
from governance.rag import STATE_VALUES
from governance.reminders import OpenElsewhere, ReminderPlan, open_elsewhere, plan_reminders
from governance.updates import StatusUpdate
from notifications.slack_blocks import digest_blocks
from regie.mapping import message_from_outbox
from regie.messages import outbox_messages
from store.records import OutboxRecord
from tests.unit.planbuilder import Updates, act, contact, from_, make_plan, ms, on, recurring

DAY = date(2016, 2, 23)
ANNA, CARLA = contact("anna", "RWS"), contact("carla", "WS")
PMO = contact("pmo", "PMO", office=True)


def _plan(*extra: object) -> Plan:
    return make_plan(  # type: ignore[arg-type]
        act(
            "1.1",
            ms("1.1.1", on(date(2016, 3, 1))),  # due soon: the only item asked about on DAY
            ms("1.1.2", on(date(2016, 1, 15))),  # overdue, asked on another day
            ms("1.1.3", on(date(2016, 1, 20))),  # overdue
            ms("1.1.4", on(date(2016, 6, 30))),  # on track, no prompt yet
            owners=("RWS",),
        ),
        act("1.2", ms("1.2.1", on(date(2016, 1, 11))), owners=("RWS", "WS")),  # co-owned, late
        act("1.3", ms("1.3.1", on(date(2016, 1, 11))), owners=("WS",)),  # not anna's
        act("1.4", ms("1.4.1", from_(date(2016, 6, 1))), owners=("RWS",)),  # not started
        *extra,
        contacts=(ANNA, CARLA, PMO),
    )


def _day(plan: Plan, updates: list[StatusUpdate] | None = None) -> tuple[Assessment, ReminderPlan]:
    """The day's assessment and reminders, every stage but 1.1.1's prompted before."""
    assessment = assess(plan, updates or [], DAY)
    first = plan_reminders(plan, assessment, [], DAY)
    asked = [r for r in first.records if r.item_id != "1.1.1"]
    return assessment, plan_reminders(plan, assessment, asked, DAY)


def _anna(plan: Plan, updates: list[StatusUpdate] | None = None) -> OutboxRecord:
    assessment, reminders = _day(plan, updates)
    states = {i: STATE_VALUES[item.state] for i, item in assessment.items.items()}
    elsewhere = open_elsewhere(plan, states, reminders.digests, DAY)
    messages = outbox_messages(plan, assessment, reminders, elsewhere=elsewhere)
    (anna,) = [m for m in messages if m.recipient == "anna"]
    return anna


def test_counts_the_contacts_other_open_and_late_items() -> None:
    plan = _plan()
    assessment, reminders = _day(plan)
    assert [(d.contact_id, [i.item_id for i in d.items]) for d in reminders.digests] == [
        ("anna", ["1.1.1"])
    ]
    states = {i: STATE_VALUES[item.state] for i, item in assessment.items.items()}
    (key,) = [d.key for d in reminders.digests]
    # 1.1.2, 1.1.3, 1.1.4 and the co-owned 1.2.1; of them late: 1.1.2, 1.1.3, 1.2.1.
    assert open_elsewhere(plan, states, reminders.digests, DAY) == {key: OpenElsewhere(4, 3)}
    # Ongoing work counts from its start on.
    later = date(2016, 6, 1)
    assert open_elsewhere(plan, states, reminders.digests, later) == {key: OpenElsewhere(5, 3)}


def test_every_form_of_the_digest_ends_with_the_line() -> None:
    message = _anna(_plan())
    line = "Verder staan er nog 4 punten van u open, waarvan 3 te laat."
    pointer = "Het programmabureau stuurt u graag het volledige overzicht."
    text = " ".join(message.body_text.split())
    assert f"{line} {pointer} Met vriendelijke groet," in text
    assert f"<p>{line} {pointer}</p>" in " ".join((message.body_html or "").split())
    blocks = digest_blocks(message_from_outbox(message))
    assert blocks[-1]["block_id"] == "others"
    assert blocks[-1]["elements"][0]["text"] == f"{line} {pointer}"
    assert message.payload["others_open"] == 4 and message.payload["others_late"] == 3


def test_one_other_item_and_none_late_in_the_singular() -> None:
    done = Updates()
    for item in ("1.1.2", "1.1.3", "1.2.1"):
        done.add(item, "done", DAY)
    text = " ".join(_anna(_plan(), done.all).body_text.split())
    assert "Verder staat er nog 1 punt van u open. Het programmabureau" in text
    one_late = [u for u in done.all if u.item_id != "1.1.3"]
    text = " ".join(_anna(_plan(), one_late).body_text.split())
    assert "Verder staan er nog 2 punten van u open, waarvan 1 te laat." in text
    late = Updates()
    for item in ("1.1.3", "1.1.4", "1.2.1"):
        late.add(item, "done", DAY)
    text = " ".join(_anna(_plan(), late.all).body_text.split())
    assert "Verder staat er nog 1 punt van u open, en dat is te laat." in text


def test_no_line_when_nothing_else_is_open() -> None:
    plan = make_plan(
        act("1.1", ms("1.1.1", on(date(2016, 3, 1))), owners=("RWS",)), contacts=(ANNA,)
    )
    message = _anna(plan)
    assert "Verder sta" not in message.body_text
    assert "others_open" not in message.payload
    assert digest_blocks(message_from_outbox(message))[-1]["block_id"] != "others"


def test_ongoing_work_without_a_start_counts_from_the_programmes_start_as_the_sheet() -> None:
    # review55b 6: a recurring item names no start, so its work starts with the programme
    # (governance.assessor); before that day an update sheet leaves it out, and so does the line.
    plan = make_plan(
        act("1.1", ms("1.1.1", on(date(2016, 3, 1))), owners=("RWS",)),
        act("1.4", ms("1.4.1", recurring()), owners=("RWS",)),
        contacts=(ANNA,),
        start=date(2016, 4, 1),
    )
    assessment, reminders = _day(plan)
    (key,) = [d.key for d in reminders.digests]
    states = {i: STATE_VALUES[item.state] for i, item in assessment.items.items()}
    early = assessment.items["1.4.1"]
    assert early.state is State.ONGOING and not_started(early, DAY)  # the sheet's rule
    assert open_elsewhere(plan, states, reminders.digests, DAY) == {key: OpenElsewhere(0, 0)}
    started = date(2016, 4, 1)
    assert open_elsewhere(plan, states, reminders.digests, started) == {key: OpenElsewhere(1, 0)}


def test_the_line_and_the_update_sheet_share_one_rule() -> None:
    # review55b 6: open = not done or cancelled, nor ongoing work before its start.
    assert asked_about("overdue", early=False) and asked_about("ongoing", early=False)
    assert not asked_about("ongoing", early=True)
    assert not asked_about("done", early=False) and not asked_about("cancelled", early=False)
