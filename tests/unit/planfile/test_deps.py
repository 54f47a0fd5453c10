"""``depends_on`` checks (governance/planfile/deps.py): unknown ids, self-dependence, lists with
repeats, dependency cycles."""

from __future__ import annotations

from tests.unit.planfile.plantext import plan, plan_text, problems


def test_depends_on_unknown_self_and_listed_twice() -> None:
    assert problems(
        plan_text("""\
          - number: 1
            title: S
            actions:
              - {id: "1.1", title: A, owners: [IenM], depends_on: ["1.1", "1.3", 1.2]}
              - {id: "1.2", title: B, owners: [IenM], depends_on: ["1.1", "1.1"]}
        """)
    ) == [
        "plan.yaml:8:60: action '1.1' depends on itself",
        "plan.yaml:8:67: unknown id '1.3' in 'depends_on' (did you mean '1.2'?)",
        "plan.yaml:8:74: each id in 'depends_on' must be text, not the number 1.2: write \"1.2\"",
        "plan.yaml:9:67: '1.1' is listed twice in 'depends_on'",
    ]


def test_did_you_mean_never_names_the_item_itself_or_its_own_action() -> None:
    """Following such a hint only gives the self-dependence error (walk49 5): '2.1.9' is
    closest to the milestone itself, '2.2.9' to 2.2.1 itself and its action 2.2: the hints
    name other items."""
    assert problems(
        plan_text("""\
          - number: 2
            title: S
            actions:
              - id: "2.1"
                title: A
                owners: [IenM]
                milestones:
                  - {id: "2.1.1", title: M}
                  - {id: "2.1.2", title: N, depends_on: ["2.1.9"]}
              - id: "2.2"
                title: B
                owners: [IenM]
                milestones:
                  - {id: "2.2.1", title: M, depends_on: ["2.2.9"]}
        """)
    ) == [
        "plan.yaml:13:50: unknown id '2.1.9' in 'depends_on' (did you mean '2.1.1'?)",
        "plan.yaml:18:50: unknown id '2.2.9' in 'depends_on' (did you mean '2.1.2'?)",
    ]


def test_did_you_mean_never_names_a_milestone_that_takes_the_actions_depends_on() -> None:
    """An action without a gereed of its own passes its depends_on to its milestones: its
    own milestone 2.1.1, closest to '2.1.9', would wait for itself, so it is not offered
    (review49b 5)."""
    assert problems(
        plan_text("""\
          - number: 2
            title: S
            actions:
              - id: "2.1"
                title: A
                owners: [IenM]
                depends_on: ["2.1.9"]
                milestones:
                  - {id: "2.1.1", title: M}
              - {id: "2.2", title: B, owners: [IenM]}
        """)
    ) == [
        "plan.yaml:11:22: unknown id '2.1.9' in 'depends_on'",
    ]


def test_dependency_cycles_are_reported_once_each_at_their_first_item() -> None:
    assert problems(
        plan_text("""\
          - number: 1
            title: S
            actions:
              - {id: "1.1", title: A, owners: [IenM], depends_on: ["1.2"]}
              - {id: "1.2", title: B, owners: [IenM], depends_on: ["1.1"]}
              - id: "1.3"
                title: C
                owners: [IenM]
                milestones:
                  - {id: "1.3.1", title: M, depends_on: ["1.4"]}
              - {id: "1.4", title: D, owners: [IenM], depends_on: ["1.5"]}
              - {id: "1.5", title: E, owners: [IenM], depends_on: ["1.3.1", "1.1"]}
        """)
    ) == [
        "plan.yaml:8:10: dependency cycle: 1.1 → 1.2 → 1.1",
        "plan.yaml:14:14: dependency cycle: 1.3.1 → 1.4 → 1.5 → 1.3.1",
    ]


def test_a_milestone_may_not_depend_on_its_own_action() -> None:
    """An action named in depends_on stands for all its milestones (the assessment's
    PlanIndex.dependency_items): a milestone depending on its own action waits for itself."""
    assert problems(
        plan_text("""\
          - number: 1
            title: S
            actions:
              - id: "1.1"
                title: A
                owners: [IenM]
                gereed: Q4-2015
                milestones:
                  - {id: "1.1.1", title: M, gereed: Afhankelijk van 1.1, depends_on: ["1.1"]}
                  - {id: "1.1.2", title: N, gereed: idem}
        """)
    ) == [
        "plan.yaml:13:79: milestone '1.1.1' depends on its own action '1.1', which stands for all "
        "its milestones, this one too: it would wait for itself",
    ]


def test_a_cycle_through_an_action_and_one_of_its_milestones() -> None:
    """1.1.1 waits for action 1.2, so for its milestone 1.2.1, which waits for 1.1.1."""
    assert problems(
        plan_text("""\
          - number: 1
            title: S
            actions:
              - id: "1.1"
                title: A
                owners: [IenM]
                milestones: [{id: "1.1.1", title: M, gereed: Q1-2016, depends_on: ["1.2"]}]
              - id: "1.2"
                title: B
                owners: [IenM]
                milestones: [{id: "1.2.1", title: M, gereed: Q1-2016, depends_on: ["1.1.1"]}]
        """)
    ) == [
        "plan.yaml:11:23: dependency cycle: 1.1.1 → 1.2 → 1.2.1 → 1.1.1 "
        "(1.2 → 1.2.1: an action waits for each of its milestones)",
    ]


def test_an_action_waiting_for_one_that_waits_for_its_milestone_is_no_cycle() -> None:
    """1.2 → 1.3 → 1.2.2: an action's depends_on is its own gereed's, not its milestones'
    (they do not inherit it), so 1.2.2 waits for nothing; nor is an action that waits for its
    own milestone a cycle."""
    p = plan(
        plan_text("""\
          - number: 1
            title: S
            actions:
              - id: "1.2"
                title: A
                owners: [IenM]
                gereed: Q4-2016
                depends_on: ["1.3", "1.2.1"]
                milestones:
                  - {id: "1.2.1", title: M, gereed: Q1-2016}
                  - {id: "1.2.2", title: N, gereed: Q2-2016}
              - {id: "1.3", title: B, owners: [IenM], gereed: Q3-2016, depends_on: ["1.2.2"]}
        """)
    )
    assert [a.depends_on for a in p.actions()] == [("1.3", "1.2.1"), ("1.2.2",)]
