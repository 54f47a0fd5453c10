"""``formerly``: the id an action or milestone had before the plan renumbered it
(docs/plan-schema.md, "Renumbering"). One id, gone from the plan, named by one item; each
problem one line ``PATH:LINE:COL`` at the ``formerly`` value. A kept plan read with an older
parser's checks (``accepted_by`` 13) is not held to them."""

from __future__ import annotations

from governance.parser_version import FORMERLY_CHECKS, PARSER_VERSION
from governance.planfile.load import parse_plan
from tests.unit.planfile.plantext import plan_text, problems

#: Step 2 holds 2.1 (was 1.3) with milestone 2.1.1 (was 1.3.1); step 1 keeps 1.1.
STEPS = """\
  - number: 1
    title: S
    actions:
      - id: "1.1"
        title: A
        owners: [IenM]
        gereed: Q1-2025
  - number: 2
    title: T
    actions:
      - id: "2.1"
        title: B
        owners: [IenM]
        formerly: "{action}"
        milestones:
          - id: "2.1.1"
            title: M
            gereed: Q2-2025
            formerly: "{milestone}"
"""


def _text(action: str = "1.3", milestone: str = "1.3.1") -> str:
    return plan_text(STEPS.format(action=action, milestone=milestone))


def test_the_items_carry_their_former_ids() -> None:
    plan = parse_plan(_text(), "plan.yaml")
    (action,) = [a for a in plan.actions() if a.id == "2.1"]
    assert action.formerly == "1.3"
    assert [(m.id, m.formerly) for m in action.milestones] == [("2.1.1", "1.3.1")]
    assert [a.formerly for a in plan.actions() if a.id == "1.1"] == [None]
    assert PARSER_VERSION >= FORMERLY_CHECKS == 14


def test_an_item_naming_itself() -> None:
    assert problems(_text(action="2.1")) == [
        "plan.yaml:18:19: action '2.1' names itself in 'formerly'"
    ]


def test_an_id_still_in_the_plan_is_refused_a_chain_or_a_cycle_too() -> None:
    # 2.1 formerly 1.1 while 1.1 is still there; 2.1.1 formerly 2.1 (a chain through 2.1).
    assert problems(_text(action="1.1", milestone="2.1")) == [
        "plan.yaml:18:19: action '2.1': 'formerly' names '1.1', which is still in the plan (the "
        "action at line 8); 'formerly' is the id the item had before this renumbering, and that "
        "id must be gone from the plan (no chains or cycles)",
        "plan.yaml:23:23: milestone '2.1.1': 'formerly' names '2.1', which is still in the plan "
        "(the action at line 15); 'formerly' is the id the item had before this renumbering, and "
        "that id must be gone from the plan (no chains or cycles)",
    ]


def test_two_items_claiming_one_former_id() -> None:
    assert problems(_text(action="1.3", milestone="1.3")) == [
        "plan.yaml:23:23: milestone '2.1.1': '1.3' is already named in 'formerly' by the action "
        "'2.1' at line 15; one item takes over an old id's history"
    ]


def test_a_former_id_must_be_text() -> None:
    text = _text().replace('formerly: "1.3"\n', "formerly: 1.3\n")
    assert problems(text) == ["plan.yaml:18:19: 'formerly' must be text, not the number 1.3: "
                              'write "1.3"']  # fmt: skip


def test_a_kept_plan_under_an_older_parser_is_read_without_the_checks() -> None:
    # Only a plan that never passed a parser before 14 can have the key; the gate is there all
    # the same, as for every refusing check (governance.parser_version).
    plan = parse_plan(_text(action="2.1"), "plan.yaml", accepted_by=FORMERLY_CHECKS - 1)
    assert [a.formerly for a in plan.actions()] == [None, "2.1"]
