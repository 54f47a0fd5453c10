"""Typed, position-aware reading of YAML nodes (governance/planfile/nodes.py): required and
unknown keys, wrong types and shapes, dates, empty values, duplicate and odd keys."""

from __future__ import annotations

from tests.unit.planfile.plantext import plan_text, problems


def test_missing_top_level_keys() -> None:
    assert problems("schema: 1\n") == [
        "plan.yaml:1:1: missing required key 'programme' in the plan",
        "plan.yaml:1:1: missing required key 'organisations' in the plan",
        "plan.yaml:1:1: missing required key 'steps' in the plan",
    ]


def test_unknown_keys_with_suggestions() -> None:
    assert problems(
        plan_text(
            """\
            - number: 1
              titel: S
              actions:
                - id: "1.1"
                  title: A
                  owners: [IenM]
                  milestones:
                    - {id: "1.1.1", title: M, gered: Q3-2015}
            """,
            after="wibble: 1\n",
        )
    ) == [
        "plan.yaml:5:5: missing required key 'title' in step 1",
        "plan.yaml:6:5: unknown key 'titel' in step 1 (did you mean 'title'?)",
        "plan.yaml:12:37: unknown key 'gered' in milestone '1.1.1' (did you mean 'gereed'?)",
        "plan.yaml:13:1: unknown key 'wibble' in the plan",
    ]


def test_wrong_types_are_explained() -> None:
    assert problems(
        plan_text("""\
          - number: 1
            title: 12
            actions:
              - id: 1.1
                title: true
                owners: IenM
                note: [a]
                milestones: {id: "1.1.1"}
        """)
    ) == [
        "plan.yaml:6:12: 'title' must be text, not the number 12: write \"12\"",
        "plan.yaml:8:13: 'id' must be text, not the number 1.1: write \"1.1\"",
        "plan.yaml:9:16: 'title' must be text, not the boolean true: write \"true\"",
        "plan.yaml:10:17: 'owners' must be a list, not the text 'IenM': write [IenM]",
        "plan.yaml:11:15: 'note' must be text, not a list",
        "plan.yaml:12:21: 'milestones' must be a list, not a mapping",
    ]


def test_list_items_of_the_wrong_shape() -> None:
    assert problems(plan_text("- 1\n", programme="[p]", organisations="[IenM]")) == [
        "plan.yaml:2:12: 'programme' must be a mapping, not a list",
        "plan.yaml:3:17: each organisation must be a mapping (key: value), not the text 'IenM'",
        "plan.yaml:5:5: each step must be a mapping (key: value), not the number 1",
    ]


def test_dates() -> None:
    assert problems(
        plan_text(
            programme="id: p\ntitle: P\nstart: 2015-02-30\nend: soon\n",
            organisations="[{id: IenM, name: IenM}]",
        )
    ) == [
        "plan.yaml:5:10: 'start': no such date '2015-02-30'",
        "plan.yaml:6:8: 'end' must be a date written as YYYY-MM-DD, not the text 'soon'",
    ]
    assert problems(
        plan_text(
            programme="{id: p, title: P, start: 2016-01-01, end: 2015-12-31}",
            organisations="[{id: IenM, name: IenM}]",
        )
    ) == ["plan.yaml:2:54: programme end 2015-12-31 is before its start 2016-01-01"]


def test_empty_required_value() -> None:
    assert problems(
        plan_text("""\
          - number: 1
            title:
            actions:
              - {id: "1.1", title: "  ", owners: [IenM]}
        """)
    ) == [
        "plan.yaml:6:5: 'title' in step 1 needs a value",
        "plan.yaml:8:28: 'title' in action '1.1' must not be empty",
    ]


def test_duplicate_mapping_keys_are_all_reported() -> None:
    assert problems(
        plan_text(
            """\
            - number: 1
              title: S
              title: T
              actions:
                - {id: "1.1", title: A, owners: [IenM], owners: [RIVM]}
            """,
            after="schema: 1\n",
        )
    ) == [
        "plan.yaml:7:5: duplicate key 'title' in step 1 (first at line 6)",
        "plan.yaml:9:47: duplicate key 'owners' in action '1.1' (first at line 9)",
        "plan.yaml:10:1: duplicate key 'schema' in the plan (first at line 1)",
    ]


def test_keys_that_are_not_plain_text() -> None:
    assert problems(
        """\
        defaults: &d {title: P}
        ? [a, b]
        : 1
        programme:
          <<: *d
          id: p
        """
    ) == [
        "plan.yaml:1:1: unknown key 'defaults' in the plan",
        "plan.yaml:1:1: missing required key 'schema' in the plan",
        "plan.yaml:1:1: missing required key 'organisations' in the plan",
        "plan.yaml:1:1: missing required key 'steps' in the plan",
        "plan.yaml:2:3: a list is not a valid key in the plan",
        "plan.yaml:5:3: merge keys ('<<') are not supported in programme: write the keys out",
        "plan.yaml:5:3: missing required key 'title' in programme",
    ]
