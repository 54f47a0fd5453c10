"""An action with milestones and no *gereed* of its own: its ``depends_on`` holds for each of
its milestones (docs/plan-schema.md, "Dependencies"), and the plan file's checks know it — a
milestone that would inherit a dependency on itself, and a cycle through an inherited step, are
refused at the action's ``depends_on``."""

from __future__ import annotations

from governance.plan import Plan
from tests.unit.planfile.plantext import plan, plan_text, problems


def _deps(p: Plan) -> dict[str, tuple[str, ...]]:
    return {d.item_id: d.depends_on for d in p.deadlines()}


def test_the_milestones_of_an_action_without_gereed_depend_on_what_it_names() -> None:
    p = plan(
        plan_text("""\
          - number: 1
            title: S
            actions:
              - id: "1.1"
                title: A
                owners: [IenM]
                depends_on: ["1.2", "1.3.1"]
                milestones:
                  - {id: "1.1.1", title: M, gereed: Q4-2015}
                  - {id: "1.1.2", title: N, gereed: Q1-2016, depends_on: ["1.1.1", "1.2"]}
              - id: "1.2"
                title: B
                owners: [IenM]
                gereed: Q3-2015
              - id: "1.3"
                title: C
                owners: [IenM]
                gereed: Q4-2015
                depends_on: ["1.2"]
                milestones: [{id: "1.3.1", title: M, gereed: Q3-2015}]
        """)
    )
    assert _deps(p) == {
        "1.1.1": ("1.2", "1.3.1"),
        "1.1.2": ("1.1.1", "1.2", "1.3.1"),  # its own first, each id once
        "1.2": (),
        "1.3": ("1.2",),  # an action with a gereed of its own keeps its depends_on
        "1.3.1": (),
    }
    # The plan model keeps what the file says (plan show, the store's revisions).
    assert [m.depends_on for m in p.milestones()] == [(), ("1.1.1", "1.2"), ()]


def test_a_dependent_milestone_may_take_its_depends_on_from_its_action() -> None:
    steps = """\
      - number: 1
        title: S
        actions:
          - id: "1.1"
            title: A
            owners: [IenM]
            GEREED
            depends_on: ["1.2"]
            milestones: [{id: "1.1.1", title: M, gereed: Afhankelijk van 1.2}]
          - {id: "1.2", title: B, owners: [IenM], gereed: Q3-2015}
    """
    assert _deps(plan(plan_text(steps.replace("GEREED", "note: N"))))["1.1.1"] == ("1.2",)
    # With a gereed of its own the action keeps its depends_on: the milestone names none.
    assert problems(plan_text(steps.replace("GEREED", "gereed: Q4-2015"))) == [
        "plan.yaml:13:54: 'gereed' 'Afhankelijk van 1.2' is dependent: add 'depends_on' with "
        "the id(s) this milestone waits for",
    ]


def test_an_action_without_gereed_naming_its_own_milestone_is_refused_at_that_name() -> None:
    """Its milestones would each wait for 1.1.1, 1.1.1 too: it would wait for itself, as a
    milestone depending on its own action does."""
    assert problems(
        plan_text("""\
          - number: 1
            title: S
            actions:
              - id: "1.1"
                title: A
                owners: [IenM]
                depends_on: ["1.2", "1.1.1"]
                milestones:
                  - {id: "1.1.1", title: M, gereed: Q4-2015}
                  - {id: "1.1.2", title: N, gereed: Q1-2016}
              - {id: "1.2", title: B, owners: [IenM], gereed: Q3-2015}
        """)
    ) == [
        "plan.yaml:11:29: action '1.1' has no 'gereed' of its own, so its 'depends_on' holds "
        "for each of its milestones: milestone '1.1.1' would wait for itself (name it in the "
        "'depends_on' of the milestones that wait for it)",
    ]


def test_naming_itself_is_reported_once_not_again_for_its_milestones() -> None:
    assert problems(
        plan_text("""\
          - number: 1
            title: S
            actions:
              - id: "1.1"
                title: A
                owners: [IenM]
                depends_on: ["1.1"]
                milestones: [{id: "1.1.1", title: M, gereed: Q4-2015}]
        """)
    ) == ["plan.yaml:11:22: action '1.1' depends on itself"]


def test_a_cycle_through_an_inherited_step_is_refused_at_the_actions_depends_on() -> None:
    """1.2 → 1.3 → 1.2.2 is no cycle while 1.2 has a gereed of its own (tests/unit/planfile/
    test_deps.py); without one, 1.2.2 waits for 1.3, which waits for 1.2.2."""
    assert problems(
        plan_text("""\
          - number: 1
            title: S
            actions:
              - id: "1.2"
                title: A
                owners: [IenM]
                depends_on: ["1.3"]
                milestones:
                  - {id: "1.2.1", title: M, gereed: Q1-2016}
                  - {id: "1.2.2", title: N, gereed: Q2-2016}
              - {id: "1.3", title: B, owners: [IenM], gereed: Q3-2016, depends_on: ["1.2.2"]}
        """)
    ) == [
        "plan.yaml:11:22: dependency cycle: 1.2.2 → 1.3 → 1.2.2 (1.2.2 → 1.3: action 1.2 has "
        "no 'gereed' of its own, so its milestones wait for what it depends on)",
    ]


def test_a_cycle_spelling_out_both_kinds_of_unwritten_step() -> None:
    """1.1.1 inherits 1.2 from 1.1; 1.2 stands for its milestone 1.2.1, which waits for 1.1.1."""
    assert problems(
        plan_text("""\
          - number: 1
            title: S
            actions:
              - id: "1.1"
                title: A
                owners: [IenM]
                depends_on: ["1.2"]
                milestones: [{id: "1.1.1", title: M, gereed: Q1-2016}]
              - id: "1.2"
                title: B
                owners: [IenM]
                milestones: [{id: "1.2.1", title: M, gereed: Q1-2016, depends_on: ["1.1.1"]}]
        """)
    ) == [
        "plan.yaml:11:22: dependency cycle: 1.1.1 → 1.2 → 1.2.1 → 1.1.1 (1.2 → 1.2.1: an "
        "action waits for each of its milestones; 1.1.1 → 1.2: action 1.1 has no 'gereed' of "
        "its own, so its milestones wait for what it depends on)",
    ]


def test_a_depends_on_written_as_text_is_one_line_not_also_add_depends_on() -> None:
    """``depends_on: "1.2"`` said "add 'depends_on'" (it is there) before the real problem
    (walk32b 12)."""
    steps = """\
      - number: 1
        title: S
        actions:
          - id: "1.1"
            title: A
            owners: [IenM]
            gereed: Afhankelijk van 1.2
            depends_on: "1.2"
          - {id: "1.2", title: B, owners: [IenM], gereed: Q3-2015}
    """
    found = problems(plan_text(steps))
    assert len(found) == 1 and "'depends_on' must be a list, not the text '1.2'" in found[0]
    # Not written at all: the dependent gereed still asks for it.
    missing = problems(plan_text(steps.replace('depends_on: "1.2"', "note: N")))
    assert len(missing) == 1 and "is dependent: add 'depends_on'" in missing[0]
