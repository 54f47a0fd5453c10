"""Whether an escalated item changed hands lately, from its prompts
(governance.reminders.handed_over; hands33): the escalation names it only within the silence
it is about (after the latest update), and names who was asked last before the new contact."""

from __future__ import annotations

from datetime import date

from governance.reminders import HandedOver, PromptRecord, handed_over
from governance.reminders.succession import taken_over_from

AS_OF = date(2025, 7, 14)


def _asked(*prompts: tuple[str, str, date]) -> list[PromptRecord]:
    return [PromptRecord("1.1.1", stage, contact, day) for stage, contact, day in prompts]


ANNA_THEN_KIM = _asked(
    ("first@2025-06-30", "anna", date(2025, 6, 9)),
    ("second@2025-06-30", "anna", date(2025, 6, 23)),
    ("due@2025-06-30", "kim", date(2025, 6, 30)),
    ("overdue-1@2025-06-30", "kim", date(2025, 7, 7)),
    ("escalation:1.1.1:none:unanswered", "office", date(2025, 7, 14)),
)


def test_a_new_contact_after_one_who_left_is_a_hand_over() -> None:
    found = handed_over(ANNA_THEN_KIM, {"kim"}, None, AS_OF)
    assert found == HandedOver(date(2025, 6, 30), ("kim",), ("anna",))
    # An update before it: still within the silence the escalation is about.
    assert handed_over(ANNA_THEN_KIM, {"kim"}, date(2025, 6, 20), AS_OF) == found


def test_no_hand_over_without_a_contact_who_left_or_before_the_latest_update() -> None:
    same = [r for r in ANNA_THEN_KIM if r.contact_id != "kim"]
    assert handed_over(same, {"anna"}, None, AS_OF) is None  # the same contact throughout
    # Kim answered since (the update of 1 July): a new run, no word of the hand-over.
    assert handed_over(ANNA_THEN_KIM, {"kim"}, date(2025, 7, 1), AS_OF) is None
    assert handed_over(ANNA_THEN_KIM, {"kim"}, date(2025, 6, 30), AS_OF) is None
    # Seen as it stood before Kim's first request: nothing to tell yet.
    assert handed_over(ANNA_THEN_KIM, {"kim"}, None, date(2025, 6, 27)) is None


def test_of_two_contacts_only_the_one_replaced_is_named() -> None:
    """The organisation had ann and bart; bart left, chris came: handed to chris, from bart
    (not from ann, who still answers for it); a contact who left long before is not named."""
    prompts = _asked(
        ("first@2025-06-30", "old", date(2025, 1, 6)),
        ("first@2025-06-30", "ann", date(2025, 6, 9)),
        ("first@2025-06-30", "bart", date(2025, 6, 9)),
        ("second@2025-06-30", "ann", date(2025, 6, 23)),
        ("second@2025-06-30", "bart", date(2025, 6, 23)),
        ("due@2025-06-30", "ann", date(2025, 6, 30)),
        ("due@2025-06-30", "chris", date(2025, 6, 30)),
    )
    found = handed_over(prompts, {"ann", "chris"}, None, AS_OF)
    assert found == HandedOver(date(2025, 6, 30), ("chris",), ("bart",))


def test_a_newcomer_keeps_the_hand_over_when_one_asked_beside_them_left_later() -> None:
    """review55c 1: zoe left; xav and yan (all three of GEM) were first asked together in her
    place, and yan left later. The digest of that day told xav *in plaats van zoe*; the
    escalation still says so for xav alone."""
    prompts = _asked(
        ("first@2025-06-30", "zoe", date(2025, 6, 2)),
        ("second@2025-06-30", "zoe", date(2025, 6, 9)),
        ("second@2025-06-30", "xav", date(2025, 6, 16)),
        ("second@2025-06-30", "yan", date(2025, 6, 16)),
        ("due@2025-06-30", "xav", date(2025, 6, 23)),
        ("due@2025-06-30", "yan", date(2025, 6, 23)),
        ("overdue-1@2025-06-30", "xav", date(2025, 7, 7)),
    )
    org_of = {"zoe": "GEM", "xav": "GEM", "yan": "GEM"}
    found = handed_over(
        prompts, {"xav"}, None, AS_OF, via={"xav": ("GEM",)}, owners=("GEM",), org_of=org_of
    )
    assert found == HandedOver(date(2025, 6, 16), ("xav",), ("zoe",))
    # The same rule as the digest's (governance.reminders.succession): zoe, not yan.
    zoe = {"zoe": (date(2025, 6, 2), date(2025, 6, 9))}
    assert taken_over_from(zoe, {"xav", "yan"}, {"GEM"}, {"GEM"}, org_of) == {"zoe"}
    # Without organisations the same: yan, asked beside xav, took nothing from them either.
    assert handed_over(prompts, {"xav"}, None, AS_OF) == found


def test_of_two_hand_overs_the_latest_is_told() -> None:
    """A co-owned item: anna took over from old for GEM, later bram from piet for PROV. The
    escalation tells of bram's, the latest, also when an update came between the two."""
    prompts = _asked(
        ("first@2025-06-30", "old", date(2025, 5, 26)),
        ("first@2025-06-30", "piet", date(2025, 5, 26)),
        ("second@2025-06-30", "anna", date(2025, 6, 2)),
        ("second@2025-06-30", "piet", date(2025, 6, 2)),
        ("due@2025-06-30", "anna", date(2025, 6, 16)),
        ("due@2025-06-30", "bram", date(2025, 6, 16)),
    )
    via = {"anna": ("GEM",), "bram": ("PROV",)}
    org_of = {"old": "GEM", "anna": "GEM", "piet": "PROV", "bram": "PROV"}
    found = HandedOver(date(2025, 6, 16), ("bram",), ("piet",))
    for since in (None, date(2025, 6, 9)):
        assert (
            handed_over(
                prompts, via.keys(), since, AS_OF, via=via, owners=("GEM", "PROV"), org_of=org_of
            )
            == found
        )
