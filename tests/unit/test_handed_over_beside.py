"""A contact added beside a colleague who stays took nothing over, however long ago that
colleague's own predecessor left (fix55o, left alone; fix55r): the shared hand-over rule
(governance.reminders.succession) names nobody, so neither the digest nor the escalation tells
the newcomer *in plaats van* the contact who left."""

from __future__ import annotations

from datetime import date

from governance.assessment import assess
from governance.reminders import HandedOver, PromptRecord, handed_over, plan_reminders
from governance.reminders.succession import taken_over_from
from tests.unit.planbuilder import act, contact, make_plan, ms, on

AS_OF = date(2025, 5, 2)
ORG_OF = {"old": "A", "ann": "A", "kim": "A", "bob": "A", "eva": "B"}
JAN, MAR, APR = date(2025, 1, 6), date(2025, 3, 3), date(2025, 4, 7)


def _asked(*prompts: tuple[str, date]) -> list[PromptRecord]:
    return [PromptRecord("1.1.1", "overdue-1@2025-03-31", c, d) for c, d in prompts]


def _handed(records: list[PromptRecord], current: set[str], since: date | None) -> object:
    via = {c: ("A",) for c in current}
    return handed_over(records, current, since, AS_OF, via=via, owners=("A",), org_of=ORG_OF)


def test_a_contact_added_beside_a_colleague_who_took_over_long_ago_took_nothing_over() -> None:
    """old left in January and ann took his place in March; kim is added beside ann in April."""
    # The digest's question on kim's first day: whom did kim take over from?
    before = {"old": (JAN, JAN), "ann": (MAR, MAR)}
    assert taken_over_from(before, {"ann", "kim"}, {"A"}, ("A",), ORG_OF) == set()
    # ann herself, on her first day, did take over from old.
    assert taken_over_from({"old": (JAN, JAN)}, {"ann"}, {"A"}, ("A",), ORG_OF) == {"old"}
    # The escalation: the only hand-over is ann's, in March, before the update of 20 March.
    records = _asked(("old", JAN), ("ann", MAR), ("ann", APR), ("kim", APR))
    assert _handed(records, {"ann", "kim"}, date(2025, 3, 20)) is None
    assert _handed(records, {"ann", "kim"}, None) == HandedOver(MAR, ("ann",), ("old",))


def test_one_who_left_after_the_colleague_came_is_still_taken_over_from() -> None:
    """bob was asked beside ann until March's end and left; kim came in April: kim took bob's
    place (ann's taking old's does not hide bob), and a colleague of another organisation who
    came after old does not hide old either."""
    before = {"old": (JAN, JAN), "ann": (MAR, MAR), "bob": (JAN, date(2025, 3, 31))}
    assert taken_over_from(before, {"ann", "kim"}, {"A"}, ("A",), ORG_OF) == {"bob"}
    records = _asked(("old", JAN), ("bob", JAN), ("ann", MAR), ("bob", date(2025, 3, 31)))
    records += _asked(("ann", APR), ("kim", APR))
    assert _handed(records, {"ann", "kim"}, date(2025, 3, 20)) == HandedOver(
        APR, ("kim",), ("bob",)
    )
    # eva (B, co-owner) came after old left: old's place is A's, still kim's to take.
    other = {"old": (JAN, JAN), "eva": (MAR, MAR)}
    assert taken_over_from(other, {"eva", "kim"}, {"A"}, ("A", "B"), ORG_OF) == {"old"}


def test_the_digest_tells_the_contact_added_beside_the_colleague_of_no_hand_over() -> None:
    """The same in the digest (plan_reminders): dirk (WS) was asked in January about an earlier
    due date and left; carla took his place for the due date of 1 March; iris joins her."""
    plan = make_plan(
        act("1.2", ms("1.2.1", on(date(2016, 3, 1))), owners=("WS",)),
        contacts=[contact("carla", "WS"), contact("iris", "WS")],
    )
    day = date(2016, 2, 23)
    records = [
        PromptRecord("1.2.1", "first@2016-01-15", "dirk", date(2016, 1, 4)),
        PromptRecord("1.2.1", "first@2016-03-01", "carla", date(2016, 2, 9)),
    ]
    reminders = plan_reminders(plan, assess(plan, [], day), records, day, former={"dirk": "WS"})
    handed = {d.contact_id: d.items[0].handover for d in reminders.digests}
    assert handed == {"carla": None, "iris": None}
