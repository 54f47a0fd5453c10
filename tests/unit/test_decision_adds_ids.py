"""`--adds` takes several ids, repeated or separated by commas, each once (ratify46)."""

from __future__ import annotations

from regie.decision_adds import adds_ids


def test_ids_repeated_or_comma_separated_each_once_in_order() -> None:
    assert adds_ids(None) == []
    assert adds_ids("3.4") == ["3.4"]
    assert adds_ids(["3.4", "3.5,3.6", " 3.4 ", ""]) == ["3.4", "3.5", "3.6"]
    assert adds_ids(",") == []


def test_adding_an_action_adds_its_milestones_in_one_rule() -> None:
    """review46 3: `governance.decisions.added_by` is the one rule the sync warning, the pack,
    the progress report and `--adds` read: a decision adding an action adds its milestones (the
    plan's, and a milestone id the plan lacks yet); one taken after ``as_of`` adds nothing."""
    from datetime import date

    from governance.decisions import Decision, DecisionKind, added_by, unadded
    from tests.unit.planbuilder import act, make_plan, ms, quarter

    plan = make_plan(
        act("1.2", ms("1.2.1", quarter(2025, 3)), ms("1.2.2", quarter(2025, 4))),
        act("1.3", ms("1.3.1", quarter(2025, 3))),
    )
    adds = Decision("stuurgroep", date(2025, 6, 12), DecisionKind.DECISION, "", "1.2", adds=True)
    own = Decision("stuurgroep", date(2025, 6, 12), DecisionKind.DECISION, "", "1.2.2", adds=True)
    found = added_by(plan, [adds, own], date(2025, 6, 12), ["1.2.9"])
    assert {i: (f.decision.item_id, f.via_action) for i, f in found.items()} == {
        "1.2": ("1.2", False),
        "1.2.1": ("1.2", True),
        "1.2.2": ("1.2.2", False),  # named itself: its own decision
        "1.2.9": ("1.2", True),
    }
    assert added_by(plan, [adds], date(2025, 6, 11)) == {}
    new = {"1.2", "1.2.1", "1.3.1"}
    assert unadded(plan, new, found) == [("1.3.1", ())]
    assert unadded(plan, new, {}) == [("1.2", ("1.2.1",)), ("1.3.1", ())]


def test_an_action_s_decision_adds_the_milestones_it_found() -> None:
    """review46 9 (adds47): given when items were created, a decision adding an action adds
    the milestones in the plan when it was recorded, and those created with the action (the
    body decided first); a milestone added later is an addition of its own, asked alone."""
    from datetime import UTC, date, datetime

    from governance.decisions import Decision, DecisionKind, added_by, unadded
    from tests.unit.planbuilder import act, make_plan, ms, quarter

    plan = make_plan(
        act("1.2", ms("1.2.1", quarter(2025, 3)), ms("1.2.2", quarter(2025, 4))),
        act("1.3", ms("1.3.1", quarter(2025, 3)), ms("1.3.2", quarter(2025, 4))),
    )
    at = datetime(2025, 6, 13, 9, tzinfo=UTC)
    synced, later = datetime(2025, 6, 1, tzinfo=UTC), datetime(2025, 9, 1, tzinfo=UTC)
    adds = Decision(
        "stuurgroep", date(2025, 6, 12), DecisionKind.DECISION, "", "1.2", recorded_at=at,
        adds=True,
    )  # fmt: skip
    first = Decision(
        "stuurgroep", date(2025, 3, 1), DecisionKind.DECISION, "", "1.3",
        recorded_at=datetime(2025, 3, 2, tzinfo=UTC), adds=True,
    )  # fmt: skip
    created = {"1.2": synced, "1.2.1": synced, "1.2.2": later, "1.3": later, "1.3.1": later}
    created |= {"1.3.2": datetime(2025, 10, 1, tzinfo=UTC)}
    found = added_by(plan, [adds, first], date(2025, 12, 31), ["1.2.9"], created=created)
    assert {i: (f.decision.item_id, f.via_action) for i, f in found.items()} == {
        "1.2": ("1.2", False),
        "1.2.1": ("1.2", True),  # in the plan when the decision was recorded
        "1.3": ("1.3", False),
        "1.3.1": ("1.3", True),  # decided first, then created with its action
    }  # 1.2.2 and 1.3.2 came later; 1.2.9 will (the plan has 1.2): additions of their own
    new = set(created)
    assert unadded(plan, new, found) == [("1.2.2", ()), ("1.3.2", ())]
    # Without the creation times: the rule of agenda layouts up to 13.
    assert set(added_by(plan, [adds, first], date(2025, 12, 31))) == {
        "1.2", "1.2.1", "1.2.2", "1.3", "1.3.1", "1.3.2"
    }  # fmt: skip


def test_an_action_whose_milestones_decisions_each_added_is_added_by_them() -> None:
    """walk46 4 (adds47): an action without a gereed of its own whose milestones decisions
    each added is added (by the latest); one with a gereed of its own, or with a milestone in
    the plan then that no decision named, is not; a milestone created after them is an
    addition of its own."""
    from datetime import UTC, date, datetime

    from governance.decisions import Decision, DecisionKind, added_by, unadded
    from tests.unit.planbuilder import act, make_plan, ms, quarter

    plan = make_plan(
        act("1.2", ms("1.2.1", quarter(2025, 3)), ms("1.2.2", quarter(2025, 4))),
        act("1.3", ms("1.3.1", quarter(2025, 3)), period=quarter(2025, 4)),
        act("1.4", ms("1.4.1", quarter(2025, 3)), ms("1.4.2", quarter(2025, 4))),
    )
    synced = datetime(2025, 6, 1, tzinfo=UTC)

    def adds(item: str, day: int) -> Decision:
        at = datetime(2025, 6, day, 12, tzinfo=UTC)
        return Decision(
            "stuurgroep", date(2025, 6, day), DecisionKind.DECISION, "", item, recorded_at=at,
            adds=True, id=day,
        )  # fmt: skip

    decided = [adds("1.2.1", 10), adds("1.2.2", 12), adds("1.3.1", 10), adds("1.4.1", 10)]
    created = dict.fromkeys(["1.2", "1.2.1", "1.2.2", "1.3", "1.3.1", "1.4", "1.4.1"], synced)
    created["1.4.2"] = synced
    found = added_by(plan, decided, date(2025, 12, 31), created=created)
    assert found["1.2"].via_milestones and found["1.2"].decision.id == 12  # the latest
    assert "1.3" not in found  # a gereed of its own: an item the body did not name
    assert "1.4" not in found  # 1.4.2 was in the plan, and no decision named it
    new = set(created)
    assert unadded(plan, new, found) == [("1.3", ()), ("1.4", ("1.4.2",))]
    # 1.2.3 added after the decisions: new of its own; 1.2 stays added.
    plan = make_plan(
        act("1.2", ms("1.2.1", quarter(2025, 3)), ms("1.2.2", quarter(2025, 4)),
            ms("1.2.3", quarter(2025, 4))),
    )  # fmt: skip
    created["1.2.3"] = datetime(2025, 7, 1, tzinfo=UTC)
    found = added_by(plan, decided[:2], date(2025, 12, 31), created=created)
    assert found["1.2"].via_milestones
    assert unadded(plan, {"1.2", "1.2.1", "1.2.2", "1.2.3"}, found) == [("1.2.3", ())]
    # Taken after as_of, or without the creation times (layouts up to 13): not added.
    assert "1.2" not in added_by(plan, decided, date(2025, 6, 11), created=created)
    assert "1.2" not in added_by(plan, decided, date(2025, 12, 31))


def test_an_action_added_milestone_by_milestone_is_named_by_the_latest_meeting() -> None:
    """ratify48 (review47b 3): a decision of an earlier meeting recorded late does not make
    the action read as decided at that meeting: it is named with the latest meeting's
    decision; the cut for "in the plan when decided" stays the last recording. With
    ``by_meeting=False`` (agenda layout 14) the one recorded last."""
    from datetime import UTC, date, datetime

    from governance.decisions import Decision, DecisionKind, added_by
    from tests.unit.planbuilder import act, make_plan, ms, quarter

    plan = make_plan(
        act("2.7", ms("2.7.1", quarter(2027, 3)), ms("2.7.2", quarter(2027, 4)),
            ms("2.7.3", quarter(2027, 4))),
    )  # fmt: skip

    def adds(item: str, on: date, at: datetime, id_: int) -> Decision:
        return Decision(
            "stuurgroep", on, DecisionKind.DECISION, "", item, recorded_at=at, adds=True,
            id=id_,
        )  # fmt: skip

    early = adds("2.7.1", date(2027, 3, 18), datetime(2027, 4, 25, 9, tzinfo=UTC), 2)
    late = adds("2.7.2", date(2027, 4, 22), datetime(2027, 4, 23, 9, tzinfo=UTC), 1)
    synced = datetime(2027, 3, 1, tzinfo=UTC)
    created = dict.fromkeys(["2.7", "2.7.1", "2.7.2"], synced)
    # 2.7.3 was created after 2.7.2's recording but before 2.7.1's: in the plan when the
    # last decision was recorded, and no decision names it.
    created["2.7.3"] = datetime(2027, 4, 24, tzinfo=UTC)
    assert "2.7" not in added_by(plan, [early, late], date.max, created=created)
    created["2.7.3"] = datetime(2027, 4, 26, tzinfo=UTC)  # after both: an addition of its own
    found = added_by(plan, [early, late], date.max, created=created)
    assert found["2.7"].via_milestones and found["2.7"].decision == late
    old = added_by(plan, [early, late], date.max, created=created, by_meeting=False)
    assert old["2.7"].decision == early  # recorded last, though of the earlier meeting
    # Two of the same meeting: the one recorded last.
    again = adds("2.7.1", date(2027, 4, 22), datetime(2027, 4, 25, 9, tzinfo=UTC), 2)
    found = added_by(plan, [again, late], date.max, created=created)
    assert found["2.7"].decision == again


def test_a_new_action_with_a_milestone_of_the_first_sync_is_asked_itself() -> None:
    """adds47 edge (ratify48): a new action without a gereed of its own that took a milestone
    of the plan as first recorded (moved under it, its id kept) is not added by the decisions
    that added its other milestones: no decision can add that milestone (``--adds`` refuses
    an item of the plan as first recorded), so they did not decide the action as a whole. The
    action is put to the body as an addition of its own, and ``--adds`` of it ratifies it."""
    from datetime import UTC, date, datetime

    from governance.decisions import Decision, DecisionKind, added_by, unadded
    from tests.unit.planbuilder import act, make_plan, ms, quarter

    plan = make_plan(
        act("2.6", ms("2.6.1", quarter(2025, 3))),
        act("2.7", ms("2.6.2", quarter(2025, 3)), ms("2.7.1", quarter(2025, 4))),
    )
    later = datetime(2025, 6, 1, tzinfo=UTC)
    created = {"2.7": later, "2.7.1": later}  # 2.6.2 came with the first sync
    decided = Decision(
        "stuurgroep", date(2025, 6, 10), DecisionKind.DECISION, "", "2.7.1", adds=True,
        recorded_at=datetime(2025, 6, 10, 12, tzinfo=UTC), id=1,
    )  # fmt: skip
    found = added_by(plan, [decided], date(2025, 12, 31), created=created)
    assert "2.7" not in found and found["2.7.1"].decision == decided
    assert unadded(plan, set(created), found) == [("2.7", ())]
    ratified = Decision(
        "stuurgroep", date(2025, 7, 1), DecisionKind.DECISION, "", "2.7", adds=True,
        recorded_at=datetime(2025, 7, 1, 12, tzinfo=UTC), id=2,
    )  # fmt: skip
    found = added_by(plan, [decided, ratified], date(2025, 12, 31), created=created)
    assert found["2.7"].decision == ratified and not found["2.7"].via_milestones
    assert unadded(plan, set(created), found) == []
