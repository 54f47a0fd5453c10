"""``depends_on`` checks (governance/planfile/deps.py): unknown ids, self-dependence, lists with
repeats, dependency cycles."""

from __future__ import annotations

from tests.unit.planfile.plantext import plan_text, problems


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
