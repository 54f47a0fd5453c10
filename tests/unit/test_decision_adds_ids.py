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
