"""Whom a hand-over names (walk55b 1): the recipient's predecessors — contacts of the
organisation they are asked for who were asked before and are asked no longer — never a
colleague still asked beside them, nor another co-owning organisation's contacts. A contact
added beside a colleague who stays took nothing over: a plain request, no hand-over."""

from __future__ import annotations

import json
from datetime import date

from governance.assessment import assess
from governance.plan import Plan
from governance.reminders import Handover, PromptRecord, plan_reminders
from notifications.slack_blocks import digest_blocks
from regie.mapping import message_from_outbox
from regie.messages import outbox_messages
from tests.unit.planbuilder import act, contact, make_plan, ms, on

FIRST = date(2016, 2, 9)  # first@ of a due date of 1 March, to every contact then
DAY = date(2016, 2, 23)  # second@
ANNA, CARLA, DIRK = contact("anna", "RWS"), contact("carla", "WS"), contact("dirk", "WS")
IRIS = contact("iris", "WS")


def _plan(*contacts: object, owners: tuple[str, ...] = ("RWS", "WS")) -> Plan:
    item = act("1.2", ms("1.2.1", on(date(2016, 3, 1))), owners=owners)
    return make_plan(item, contacts=contacts)  # type: ignore[arg-type]


#: The first request, to RWS's anna and WS's carla and dirk.
ASKED = [PromptRecord("1.2.1", "first@2016-03-01", c, FIRST) for c in ("anna", "carla", "dirk")]


def _handovers(plan: Plan, former: dict[str, str] | None = None) -> dict[str, Handover | None]:
    extra = {"former": former} if former is not None else {}  # (the old code has no former)
    reminders = plan_reminders(plan, assess(plan, [], DAY), ASKED, DAY, **extra)
    return {d.contact_id: d.items[0].handover for d in reminders.digests}


def test_a_successor_takes_over_from_the_colleague_who_left_only() -> None:
    # dirk left the plan (archived: his organisation on record), iris joined WS; carla stays.
    plan = _plan(ANNA, CARLA, IRIS)
    handed = _handovers(plan, former={"dirk": "WS"})
    assert handed == {
        "anna": None,
        "carla": None,
        "iris": Handover(("dirk",), FIRST, FIRST, ("WS",)),
    }


def test_a_contact_added_beside_a_colleague_who_stays_took_nothing_over() -> None:
    handed = _handovers(_plan(ANNA, CARLA, DIRK, IRIS))
    assert handed == {"anna": None, "carla": None, "dirk": None, "iris": None}


def test_a_new_owner_takes_over_from_the_owner_it_replaces_not_from_a_co_owner() -> None:
    # WS is replaced by PROV as co-owner (carla and dirk are still in the plan, for WS).
    eva = contact("eva", "PROV")
    handed = _handovers(_plan(ANNA, CARLA, DIRK, eva, owners=("RWS", "PROV")))
    assert handed == {
        "anna": None,
        "eva": Handover(("carla", "dirk"), FIRST, FIRST, ("PROV",), ("WS",)),
    }


def test_the_message_names_the_predecessor_and_for_whom_the_successor_answers() -> None:
    plan = _plan(ANNA, CARLA, IRIS)
    assessment = assess(plan, [], DAY)
    reminders = plan_reminders(plan, assessment, ASKED, DAY, former={"dirk": "WS"})
    messages = outbox_messages(plan, assessment, reminders, former={"dirk": "Dirk Bakker"})
    by = {m.recipient: m for m in messages}
    text = " ".join(by["iris"].body_text.split())
    assert "Aan u overgedragen: 1 punt" in by["iris"].subject
    assert "U bent de nieuwe contactpersoon voor een punt waarover eerder" in text
    assert (
        "Overgedragen aan u: u bent nu namens WS de contactpersoon voor dit punt, "
        "in plaats van Dirk Bakker." in text
    )
    assert "eigenaar geworden" not in text
    for other in ("Anna", "Carla"):
        assert f"in plaats van {other}" not in text and f"{other}," not in text
    html = " ".join((by["iris"].body_html or "").split())
    assert "namens WS de contactpersoon voor dit punt, in plaats van Dirk Bakker;" in html
    # carla, who stays, and anna (RWS) get a plain request.
    for stays in ("carla", "anna"):
        assert "Verzoek om update" in by[stays].subject
        assert "Overgedragen" not in by[stays].body_text


def test_a_name_in_the_hand_over_is_escaped_in_html() -> None:
    plan = _plan(ANNA, CARLA, IRIS)
    assessment = assess(plan, [], DAY)
    reminders = plan_reminders(plan, assessment, ASKED, DAY, former={"dirk": "WS"})
    messages = outbox_messages(plan, assessment, reminders, former={"dirk": "D. <b>&</b>"})
    (iris,) = [m for m in messages if m.recipient == "iris"]
    assert "in plaats van D. &lt;b&gt;&amp;&lt;/b&gt;;" in (iris.body_html or "")


def test_a_contact_who_left_without_a_known_organisation_counts_only_at_an_owner_change() -> None:
    # A row no longer on record (e.g. a store without it): dirk's organisation is unknown, and
    # carla, asked for WS before iris, stays: iris was added beside her and took nothing over
    # (one rule with the escalation's note, governance.reminders.succession).
    assert _handovers(_plan(ANNA, CARLA, IRIS))["iris"] is None
    # With nobody of WS asked before, the unknown contact is the predecessor.
    asked = [PromptRecord("1.2.1", "first@2016-03-01", c, FIRST) for c in ("anna", "dirk")]
    plan = _plan(ANNA, IRIS)
    reminders = plan_reminders(plan, assess(plan, [], DAY), asked, DAY, former={})
    handed = {d.contact_id: d.items[0].handover for d in reminders.digests}
    assert handed["iris"] == Handover(("dirk",), FIRST, FIRST, ("WS",))


#: 1.2.1 was RWS's: anna (RWS, still in the plan) was asked about it first.
ANNA_FIRST = date(2015, 12, 1)


def _ws_only(asked: list[PromptRecord], *contacts: object) -> dict[str, Handover | None]:
    plan = _plan(*contacts, owners=("WS",))
    reminders = plan_reminders(plan, assess(plan, [], DAY), asked, DAY, former={"carla": "WS"})
    return {d.contact_id: d.items[0].handover for d in reminders.digests}


def test_after_an_owner_change_a_later_successor_takes_over_from_the_new_owners_contact() -> None:
    # review55b 1, the chain: RWS's item went to WS (carla asked 9 Feb, the owner change);
    # carla has left and iris is WS's new contact: she takes over from carla, not from anna,
    # and "asked since" is carla's first prompt, not anna's.
    asked = [
        PromptRecord("1.2.1", "first@2015-12-15", "anna", ANNA_FIRST),
        PromptRecord("1.2.1", "first@2016-03-01", "carla", FIRST),
    ]
    assert _ws_only(asked, ANNA, IRIS) == {"iris": Handover(("carla",), FIRST, FIRST, ("WS",))}


def test_a_co_owner_dropping_out_is_no_predecessor_of_the_owner_that_stays() -> None:
    # review55b 1: RWS and WS co-owned it (anna and carla asked); RWS no longer co-owns it,
    # and carla was replaced by iris: iris takes over from carla only.
    asked = [PromptRecord("1.2.1", "first@2016-03-01", c, FIRST) for c in ("anna", "carla")]
    assert _ws_only(asked, ANNA, IRIS) == {"iris": Handover(("carla",), FIRST, FIRST, ("WS",))}


def test_the_owner_change_itself_names_the_former_owner() -> None:
    # Nobody of WS was asked before: WS's first contact takes over from RWS's, whose
    # organisation the hand-over names (review55b 7).
    asked = [PromptRecord("1.2.1", "first@2015-12-15", "anna", ANNA_FIRST)]
    assert _ws_only(asked, ANNA, IRIS) == {
        "iris": Handover(("anna",), ANNA_FIRST, ANNA_FIRST, ("WS",), ("RWS",))
    }


def test_the_message_says_for_whom_a_former_owners_contact_answered() -> None:
    # review55b 7: WS is replaced by PROV as co-owner; eva (PROV) reads that carla and dirk
    # answered for WS. A hand-over inside the organisation says nothing of the kind.
    eva = contact("eva", "PROV")
    plan = _plan(ANNA, CARLA, DIRK, eva, owners=("RWS", "PROV"))
    assessment = assess(plan, [], DAY)
    reminders = plan_reminders(plan, assessment, ASKED, DAY, former={})
    by = {m.recipient: m for m in outbox_messages(plan, assessment, reminders)}
    line = (
        "u bent nu namens PROV de contactpersoon voor dit punt, "
        "in plaats van Carla, Dirk (eerder namens WS)"
    )
    assert f"Overgedragen aan u: {line}." in " ".join(by["eva"].body_text.split())
    assert f"{line};" in " ".join((by["eva"].body_html or "").split())
    assert by["eva"].payload["items"][0]["handover_was"] == ["WS"]
    blocks = json.dumps(digest_blocks(message_from_outbox(by["eva"])), ensure_ascii=False)
    assert "in plaats van Carla, Dirk (eerder namens WS)" in blocks
    plan = _plan(ANNA, CARLA, IRIS)
    assessment = assess(plan, [], DAY)
    reminders = plan_reminders(plan, assessment, ASKED, DAY, former={"dirk": "WS"})
    messages = outbox_messages(plan, assessment, reminders, former={"dirk": "Dirk Bakker"})
    (iris,) = [m for m in messages if m.recipient == "iris"]
    assert "eerder namens" not in iris.body_text
    assert "handover_was" not in iris.payload["items"][0]
