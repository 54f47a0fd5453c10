"""The escalation's hand-over note names the new contact's own predecessors (fix55a, left
alone; the digest's rule, walk55b 1 and review55b 1: governance.reminders.succession): on a
co-owned item never another co-owning organisation's contact, after an owner change the former
owner's, and a contact added beside a colleague who stays took nothing over."""

from __future__ import annotations

from datetime import date

from governance.reminders import HandedOver, PromptRecord, handed_over
from governance.reminders.succession import taken_over_from

AS_OF = date(2025, 7, 14)
BEFORE, ON = date(2025, 6, 23), date(2025, 6, 30)
#: anna and kim answer for GEM, bram and carla for PROV, eva for WS.
ORG_OF = {"anna": "GEM", "kim": "GEM", "bram": "PROV", "carla": "PROV", "eva": "WS"}


def _asked(before: tuple[str, ...], on: tuple[str, ...]) -> list[PromptRecord]:
    """``before`` asked on 23 June (second@), ``on`` on 30 June (due@)."""
    return [
        *(PromptRecord("1.1.1", "second@2025-06-30", c, BEFORE) for c in before),
        *(PromptRecord("1.1.1", "due@2025-06-30", c, ON) for c in on),
    ]


def _handed(
    records: list[PromptRecord], via: dict[str, tuple[str, ...]], owners: tuple[str, ...]
) -> HandedOver | None:
    return handed_over(records, via.keys(), None, AS_OF, via=via, owners=owners, org_of=ORG_OF)


CO_OWNED = ("GEM", "PROV")


def test_a_successor_is_handed_over_from_their_own_organisations_contact_only() -> None:
    # anna → kim (GEM), and carla (PROV) left the same day; bram stays for PROV.
    records = _asked(("anna", "bram", "carla"), ("kim", "bram"))
    via = {"kim": ("GEM",), "bram": ("PROV",)}
    assert _handed(records, via, CO_OWNED) == HandedOver(ON, ("kim",), ("anna",))


def test_a_contact_added_beside_a_colleague_took_nothing_over_from_another_organisation() -> None:
    # kim joins anna for GEM; carla (PROV) left, bram stays.
    records = _asked(("anna", "bram", "carla"), ("anna", "kim", "bram"))
    via = {"anna": ("GEM",), "kim": ("GEM",), "bram": ("PROV",)}
    assert _handed(records, via, CO_OWNED) is None


def test_two_organisations_replaced_the_same_day_each_from_their_own() -> None:
    # anna → kim (GEM), carla → bram (PROV): both new, each from their own.
    records = _asked(("anna", "carla"), ("kim", "bram"))
    via = {"kim": ("GEM",), "bram": ("PROV",)}
    assert _handed(records, via, CO_OWNED) == HandedOver(ON, ("bram", "kim"), ("anna", "carla"))


def test_a_new_owner_takes_over_from_the_former_owner_not_from_a_co_owner() -> None:
    # PROV (carla) replaced by WS (eva) as co-owner; anna stays for GEM.
    records = _asked(("anna", "carla"), ("anna", "eva"))
    via = {"anna": ("GEM",), "eva": ("WS",)}
    assert _handed(records, via, ("GEM", "WS")) == HandedOver(ON, ("eva",), ("carla",))


def test_without_organisations_anyone_who_left_counts_as_before() -> None:
    records = _asked(("anna", "bram", "carla"), ("anna", "kim", "bram"))
    found = handed_over(records, {"anna", "kim", "bram"}, None, AS_OF)
    assert found == HandedOver(ON, ("kim",), ("carla",))


def _iris_takes_over_from(asked: list[str], stays: tuple[str, ...] = ()) -> set[str]:
    org_of = {"anna": "RWS", "carla": "WS", "iris": "WS", "dirk": "WS"}
    days = dict.fromkeys(asked, (BEFORE, BEFORE))  # all asked together, before iris
    return taken_over_from(days, {"iris", *stays}, {"WS"}, {"WS"}, org_of)


def test_the_rule_after_an_owner_change() -> None:
    """The shared rule (review55b 1): 1.2.1 went from RWS (anna, still in the plan) to WS;
    carla (WS) was asked, has left, and iris (WS) is new: only carla (so too when RWS, a
    co-owner, dropped out). With nobody of WS asked before, the former owner's contacts (and
    one whose organisation is not known); a WS colleague asked before, who stays, blocks them."""
    assert _iris_takes_over_from(["anna", "carla"]) == {"carla"}
    assert _iris_takes_over_from(["anna", "old"]) == {"anna", "old"}
    assert _iris_takes_over_from(["anna", "dirk"], stays=("dirk",)) == set()
