"""Who a status round's request goes to on the day of its chase (office50): the contact asked
while still its organisation's; the programme office only while it still answers for one of
the item's owners whose own contacts were not asked."""

from __future__ import annotations

from governance.plan import Contact, Plan
from governance.round_answering import answering_now
from tests.unit.planbuilder import act, contact, make_plan, ms, quarter

OFFICE = contact("po", "IenM", office=True)
ANN = contact("ann", "IenM")
EVA = contact("eva", "EZ")


def _plan(*contacts: Contact) -> Plan:
    return make_plan(
        act("1.1", ms("1.1.1", quarter(2015, 3))),
        act("1.2", ms("1.2.1", quarter(2015, 3)), owners=("EZ",)),
        contacts=contacts,
    )


def test_the_office_asked_as_its_organisation_s_contact_gives_way_to_a_new_one() -> None:
    # Asked as IenM's only contact; IenM has ann now: ann is asked, not the office.
    assert answering_now(_plan(OFFICE, ANN), "po", "IenM", ("IenM",), set()) == {"ann": None}
    # Still IenM's only contact: the office, as it was asked.
    assert answering_now(_plan(OFFICE), "po", "IenM", ("IenM",), set()) == {"po": None}


def test_the_office_asked_beside_its_organisation_s_own_contact_is_asked_no_more() -> None:
    # A round started before office49 asked both ann and the office about IenM's item.
    assert answering_now(_plan(OFFICE, ANN), "po", "IenM", ("IenM",), {"IenM"}) == {}


def test_the_office_standing_in_for_an_organisation_gives_way_to_its_contact() -> None:
    assert answering_now(_plan(OFFICE, ANN), "po", "IenM", ("EZ",), set()) == {"po": None}
    assert answering_now(_plan(OFFICE, ANN, EVA), "po", "IenM", ("EZ",), set()) == {"eva": None}
    # Shared with IenM, whose ann was asked herself: only EZ's part moves to eva.
    shared = ("IenM", "EZ")
    assert answering_now(_plan(OFFICE, ANN, EVA), "po", "IenM", shared, {"IenM"}) == {"eva": None}
    assert answering_now(_plan(OFFICE, ANN), "po", "IenM", shared, {"IenM"}) == {"po": None}


def test_an_item_without_owner_or_out_of_the_plan_stays_the_office_s() -> None:
    plan = _plan(OFFICE, ANN)
    assert answering_now(plan, "po", "IenM", None, set()) == {"po": None}
    assert answering_now(plan, "po", "IenM", (), set()) == {"po": None}


def test_an_owner_s_contact_keeps_its_request_and_a_leaver_passes_it_on() -> None:
    assert answering_now(_plan(OFFICE, ANN), "ann", "IenM", ("IenM",), {"IenM"}) == {"ann": None}
    # ann left IenM: its contacts of today (the office, now its only one).
    assert answering_now(_plan(OFFICE), "ann", "IenM", ("IenM",), {"IenM"}) == {"po": None}
    # eva left EZ, which has none left: the office, told why.
    assert answering_now(_plan(OFFICE), "eva", "EZ", ("EZ",), {"EZ"}) == {"po": "no contact for EZ"}


PB = contact("pb", "IenM", office=True)


def test_a_stand_in_request_follows_the_item_when_the_office_contact_asked_is_replaced() -> None:
    # Asked as EZ's stand-in (IenM does not own the item); po left, pb is the office now:
    # EZ's contact eva answers, or else pb, never IenM's ordinary contact ann (review50 2).
    assert answering_now(_plan(PB, ANN, EVA), "po", "IenM", ("EZ",), set()) == {"eva": None}
    assert answering_now(_plan(PB, ANN), "po", "IenM", ("EZ",), set()) == {"pb": None}


def test_a_stand_in_request_leaves_an_office_contact_who_is_one_no_more() -> None:
    demoted = contact("po", "IenM")
    assert answering_now(_plan(demoted, PB, ANN), "po", "IenM", ("EZ",), set()) == {"pb": None}
    assert answering_now(_plan(demoted, PB, EVA), "po", "IenM", ("EZ",), set()) == {"eva": None}
