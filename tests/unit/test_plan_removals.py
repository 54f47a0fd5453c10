"""The pure rules behind review "newprog", findings 3 and 4: an item removed from the plan file
without a decision (:func:`governance.provenance.removals`, put to the body by the agenda pack),
and a line that never says *vervallen* for an item assessed as open (a ``cancelled_by`` that
does not apply on the day shown), which the pack would otherwise ask a date for."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

from governance import agenda
from governance.assessment import assess
from governance.decisions import Decision, DecisionKind
from governance.planfile import load_plan
from governance.provenance import removal_lines, removals
from reports.render import asked_question, asked_reason
from tests.conftest import SEED_PLAN

REMOVED = datetime(2016, 12, 19, 23, 30, tzinfo=UTC)  # 20 December in Amsterdam
ACTION = {"title": "Lessen delen", "gereed": None, "owners": ["PIANOo"], "step": 3}
MILESTONE = {"title": "Bijeenkomst", "gereed": "Q4 -2015", "owners": ["PIANOo"], "action": "3.5"}


def _decision(item_id: str, on: date, kind: str = "besluit") -> Decision:
    return Decision("stuurgroep", on, DecisionKind(kind), "Besproken", item_id=item_id)


def _revisions() -> list[tuple[str, str, object, datetime]]:
    return [
        ("3.6", "archived", ACTION, REMOVED),
        ("3.6.1", "archived", {"title": "Analyse", "action": "3.6"}, REMOVED),
        ("3.5.2", "archived", MILESTONE, REMOVED),
    ]


def test_a_milestone_removed_with_its_action_goes_with_it() -> None:
    found = {r.item_id: r for r in removals(_revisions())}
    assert set(found) == {"3.6", "3.5.2"}
    assert found["3.6"].with_items == ("3.6.1",)
    assert (found["3.5.2"].title, found["3.5.2"].action_id) == ("Bijeenkomst", "3.5")
    lines = removal_lines(found.values(), "plan.yaml")
    assert lines[1].startswith(
        "warning: plan.yaml: 3.6 'Lessen delen' (with 3.6.1) removed from the plan without a "
        "recorded decision"
    )


def test_a_removal_back_in_the_plan_is_none() -> None:
    back = [*_revisions(), ("3.5.2", "restored", None, datetime(2017, 1, 2, tzinfo=UTC))]
    assert {r.item_id for r in removals(back)} == {"3.6"}


def test_which_decisions_stand_behind_a_removal() -> None:
    zone = "Europe/Amsterdam"
    # Dropped by a decision before (the file tidied after it): decided.
    dropped = _decision("3.5", date(2016, 4, 12), "cancel")
    assert removals(_revisions(), [dropped], zone=zone)[0].decided  # 3.5.2 with its action
    # A decision about the item from the day it was removed (the office's day) on: decided.
    ratified = _decision("3.5.2", date(2016, 12, 20))
    assert {r.item_id: r.decided for r in removals(_revisions(), [ratified], zone=zone)} == {
        "3.6": False, "3.5.2": True,
    }  # fmt: skip
    # Taken before the removal's day (the office's), or after as_of: it does not answer it.
    assert removals(_revisions(), [ratified], zone="UTC")[0].decided  # the 19th in UTC
    before = _decision("3.5.2", date(2016, 12, 19))
    assert not removals(_revisions(), [before], zone=zone)[0].decided
    assert not removals(_revisions(), [ratified], zone=zone, as_of=date(2016, 12, 19))[0].decided


def test_the_pack_asks_to_ratify_an_undecided_removal_once() -> None:
    plan = load_plan(SEED_PLAN)
    assessment = assess(plan, [], date(2017, 1, 3))
    revisions = [agenda.ItemRevision(c, k, None, f, None, at) for c, k, f, at in _revisions()]
    gone = [
        dataclasses.replace(r, item_id=r.item_id.replace("3.", "9.", 1)) for r in revisions
    ]  # ids the plan does not have
    gone[1] = dataclasses.replace(gone[1], before={"title": "Analyse", "action": "9.6"})
    asked = agenda.decisions_asked(assessment, agenda.item_lines(plan, assessment), revisions=gone)
    removed = {a.item.item_id: a for a in asked if a.reason == "removed"}
    assert set(removed) == {"9.6", "9.5.2"}
    assert (
        asked_question(removed["9.6"])
        == "Verwijdering van 9.6 (met 9.6.1) uit het plan accorderen?"
    )
    assert asked_reason(removed["9.6"]) == "uit het plan verwijderd zonder besluit"
    assert (removed["9.6"].item.title, removed["9.6"].item.owners) == ("Lessen delen", ("PIANOo",))
    assert removed["9.5.2"].item.gereed == "Q4 -2015"


def test_a_line_says_vervallen_only_for_an_item_assessed_as_cancelled() -> None:
    plan = load_plan(SEED_PLAN)
    text = "besluit Stuurgroep Plan van aanpak MVI, 12 januari 2016"
    steps = []
    for s in plan.steps:
        actions = []
        for a in s.actions:
            milestones = tuple(
                dataclasses.replace(m, cancelled_by=text) if m.id == "3.6.1" else m
                for m in a.milestones
            )
            actions.append(dataclasses.replace(a, milestones=milestones))
        steps.append(dataclasses.replace(s, actions=tuple(actions)))
    dropped = dataclasses.replace(plan, steps=tuple(steps))
    # No cancellation on record (nothing synced): the item is open, asked for a date, and its
    # line does not say vervallen.
    assessment = assess(dropped, [], date(2016, 4, 5))
    lines = agenda.item_lines(dropped, assessment)
    assert lines["3.6.1"].gereed == "Ntb"
    asked = {a.item.item_id: a for a in agenda.decisions_asked(assessment, lines)}
    assert asked["3.6.1"].reason == "undated"
    # With the cancellation the sync records: cancelled, vervallen, not asked.
    from governance.updates import StatusUpdate, UpdateStatus

    update = StatusUpdate("3.6.1", UpdateStatus.CANCELLED, date(2016, 1, 12), source="decision")
    assessment = assess(dropped, [update], date(2016, 4, 5))
    lines = agenda.item_lines(dropped, assessment)
    assert lines["3.6.1"].gereed == f"Ntb; vervallen ({text})"
    assert "3.6.1" not in {a.item.item_id for a in agenda.decisions_asked(assessment, lines)}
