"""The plan loader: the model it builds, and one exact ``PATH:LINE:COL: message`` per problem."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from governance.periods import PeriodKind, Season
from governance.plan import Action, Location, Milestone, Plan, ReminderPolicy
from governance.planfile.load import PlanInvalid, Problem, load_plan, parse_plan, validate_plan_file

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "plans"
MINIMAL = FIXTURES / "minimal.yaml"

# Four lines every inline plan starts with, so that line numbers below stay easy to count:
# line 5 is the first step, line 8 the first action.
HEAD = """\
schema: 1
programme: {id: p, title: P}
organisations: [{id: IenM, name: IenM}, {id: RIVM, name: RIVM}]
steps:
"""


def problems(text: str) -> list[str]:
    """The problem lines for a plan text (dedented), which must be invalid."""
    with pytest.raises(PlanInvalid) as info:
        parse_plan(textwrap.dedent(text), "plan.yaml")
    lines = [str(p) for p in info.value.problems]
    assert str(info.value) == "\n".join(lines)
    return lines


def with_head(body: str) -> str:
    """HEAD followed by ``body`` as the items of ``steps``: the first step is on line 5."""
    return HEAD + textwrap.indent(textwrap.dedent(body), "  ")


def plan(text: str) -> Plan:
    return parse_plan(textwrap.dedent(text), "plan.yaml")


# --- the model ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def minimal() -> Plan:
    return load_plan(MINIMAL)


def test_minimal_plan_sections(minimal: Plan) -> None:
    assert minimal.path == str(MINIMAL)
    assert minimal.programme.id == "mvi-test"
    assert minimal.programme.description == "Een plan over duurzaam inkopen."  # folded
    assert minimal.programme.start == date(2015, 1, 1)  # a YAML date
    assert minimal.programme.end == date(2020, 12, 31)  # an ISO string
    assert [o.id for o in minimal.organisations] == ["IenM", "RIVM", "PIANOo"]
    assert minimal.contacts[0].organisation == "IenM"
    assert minimal.contacts[0].programme_office is True
    assert minimal.governance[0].members == ("IenM", "PIANOo")
    assert minimal.reports[0].action == "1.2"
    assert minimal.goals[0].text == "Minimale milieuschade"
    assert minimal.reminders == ReminderPolicy(first_prompt_days=10, on_due_date=False)
    assert [s.number for s in minimal.steps] == [1, 2]
    assert minimal.steps[1].actions == ()


def test_milestone_owners_default_to_the_action_owners(minimal: Plan) -> None:
    owners = {m.id: m.owners for m in minimal.milestones()}
    assert owners["1.1.1"] == ("RIVM",)  # its own
    assert owners["1.1.2"] == ("IenM",)  # inherited from action 1.1
    assert owners["1.2.1"] == ("IenM", "PIANOo")


def test_idem_copies_the_row_above(minimal: Plan) -> None:
    m = {m.id: m for m in minimal.milestones()}
    above, idem = m["1.1.1"].period, m["1.1.2"].period
    assert above is not None and idem is not None
    assert (idem.kind, idem.start, idem.end) == (above.kind, above.start, above.end)
    assert idem.kind is PeriodKind.QUARTER
    assert idem.text == "idem" and m["1.1.2"].gereed == "idem"
    assert idem.same_as == "1.1.1"


def test_idem_below_a_dependent_row_inherits_its_depends_on(minimal: Plan) -> None:
    m = {m.id: m for m in minimal.milestones()}
    assert m["1.2.1"].depends_on == ("1.1.2",)
    period = m["1.2.2"].period
    assert period is not None and period.kind is PeriodKind.DEPENDENT
    assert period.same_as == "1.2.1"
    assert m["1.2.2"].depends_on == ("1.1.1", "1.1.2")  # its own first, then inherited
    assert m["1.2.3"].depends_on == ()


def test_seasons_from_the_plan_override_the_default(minimal: Plan) -> None:
    assert minimal.calendar.seasons["najaar"] == Season(10, 12)
    assert minimal.calendar.seasons["voorjaar"] == Season(3, 5)  # untouched
    action = minimal.action("1.2")
    assert action is not None and action.period is not None
    assert (action.period.start, action.period.end) == (date(2015, 10, 1), date(2015, 12, 31))


def test_default_seasons_without_calendar() -> None:
    p = plan(
        HEAD + '  - {number: 1, title: S, actions: [{id: "1.1", title: A, owners: [IenM], '
        "gereed: Najaar 2015}]}\n"
    )
    period = p.steps[0].actions[0].period
    assert period is not None
    assert (period.start, period.end) == (date(2015, 9, 1), date(2015, 11, 30))
    assert p.calendar.timezone == "Europe/Amsterdam"


def test_locations_point_at_the_id_key(minimal: Plan) -> None:
    lines = MINIMAL.read_text().splitlines()
    items: list[Action | Milestone] = [*minimal.actions(), *minimal.milestones()]
    for item in items:
        loc = item.location
        assert loc is not None and loc.path == str(MINIMAL)
        assert lines[loc.line - 1][loc.col - 1 :].startswith(f'id: "{item.id}"')
    first = minimal.action("1.1")
    assert first is not None and first.location == Location(str(MINIMAL), 60, 9)


@pytest.mark.parametrize(
    ("gereed", "kind", "start", "end"),
    [
        ("Q3-2015", PeriodKind.QUARTER, date(2015, 7, 1), date(2015, 9, 30)),
        ("Najaar 2015", PeriodKind.SEASON, date(2015, 9, 1), date(2015, 11, 30)),
        ("Ntb", PeriodKind.TBD, None, None),
        ("2016", PeriodKind.YEAR, date(2016, 1, 1), date(2016, 12, 31)),  # a YAML int
        ("2016-04-18", PeriodKind.DATE, date(2016, 4, 18), date(2016, 4, 18)),  # a YAML date
        ('"  Apr 2016 "', PeriodKind.MONTH, date(2016, 4, 1), date(2016, 4, 30)),
    ],
)
def test_gereed_is_kept_verbatim_with_a_typed_period(
    gereed: str, kind: PeriodKind, start: date | None, end: date | None
) -> None:
    p = plan(
        with_head(f"""\
          - number: 1
            title: S
            actions:
              - {{id: "1.1", title: A, owners: [IenM], gereed: {gereed}}}
        """)
    )
    action = p.steps[0].actions[0]
    assert action.gereed == gereed.strip('"').strip()
    assert action.period is not None
    assert (action.period.kind, action.period.start, action.period.end) == (kind, start, end)
    assert action.period.text == action.gereed


def test_dependent_gereed_with_depends_on() -> None:
    p = plan(
        with_head("""\
          - number: 1
            title: S
            actions:
              - {id: "1.1", title: A, owners: [IenM]}
              - id: "1.2"
                title: B
                owners: [IenM]
                gereed: Afhankelijk van overleg bestuurlijke afspraken
                depends_on: ["1.1"]
        """)
    )
    action = p.steps[0].actions[1]
    assert action.period is not None and action.period.kind is PeriodKind.DEPENDENT
    assert action.depends_on == ("1.1",)


@pytest.mark.parametrize("gereed", ["", "gereed:", "gereed: ~", 'gereed: ""', "gereed: '   '"])
def test_absent_or_blank_gereed_means_no_date(gereed: str) -> None:
    p = plan(
        with_head(f"""\
          - number: 1
            title: S
            actions:
              - id: "1.1"
                title: A
                owners: [IenM]
                {gereed}
        """)
    )
    action = p.steps[0].actions[0]
    assert (action.gereed, action.period) == (None, None)


def test_idem_on_an_action_copies_the_action_above() -> None:
    p = plan(
        with_head("""\
          - number: 1
            title: S
            actions:
              - {id: "1.1", title: A, owners: [IenM], gereed: Q4-2015}
              - {id: "1.2", title: B, owners: [IenM], gereed: Idem}
              - {id: "1.3", title: C, owners: [IenM], gereed: idem}
        """)
    )
    a = {a.id: a for a in p.actions()}
    for rid, above in (("1.2", "1.1"), ("1.3", "1.2")):
        period = a[rid].period
        assert period is not None and period.same_as == above
        assert (period.kind, period.end) == (PeriodKind.QUARTER, date(2015, 12, 31))
    assert a["1.2"].gereed == "Idem"


def test_validate_plan_file_good(tmp_path: Path) -> None:
    path = tmp_path / "actions.yaml"
    path.write_text(MINIMAL.read_text(), encoding="utf-8")
    p, found = validate_plan_file(path)
    assert found == [] and p is not None and p.path == str(path)


# --- problems: one exact line each ------------------------------------------------------------


def test_many_problems_in_one_file_are_reported_in_file_order() -> None:
    p, found = validate_plan_file(FIXTURES / "many_problems.yaml")
    assert p is None
    path = str(FIXTURES / "many_problems.yaml")
    lines = [str(x) for x in found]
    assert lines[:4] == [
        f"{path}:3:7: programme id 'MVI 2015' may only contain a-z, 0-9 and '-'"
        " (e.g. 'mvi-2015-2020')",
        f"{path}:12:9: missing required key 'owners' in action '2.1'",
        f"{path}:12:13: action id '2.1' is under step 1: it must start with '1.'",
        f"{path}:14:9: unknown key 'ownres' in action '2.1' (did you mean 'owners'?)",
    ]
    assert lines[4].startswith(f"{path}:15:17: 'gereed': ") and "'Q5-2015'" in lines[4]
    assert lines[5:] == [
        f"{path}:19:21: 'idem' has no row above to copy:"
        " this is the first milestone of action '2.1'",
        f"{path}:20:22: unknown organisation 'IenN' in 'owners' (did you mean 'IenM'?)",
    ]
    assert found == sorted(found, key=lambda x: (x.line, x.col))


def test_problem_str() -> None:
    assert str(Problem("a.yaml", 3, 7, "bad")) == "a.yaml:3:7: bad"
    assert str(Problem("a.yaml", 0, 0, "no such file")) == "a.yaml: no such file"


def test_missing_top_level_keys() -> None:
    assert problems("schema: 1\n") == [
        "plan.yaml:1:1: missing required key 'programme' in the plan",
        "plan.yaml:1:1: missing required key 'organisations' in the plan",
        "plan.yaml:1:1: missing required key 'steps' in the plan",
    ]


def test_schema_version() -> None:
    assert problems(
        HEAD.replace("schema: 1", "schema: 2") + "  - {number: 1, title: S, actions: []}\n"
    ) == ["plan.yaml:1:9: unsupported schema version 2 (this Regie reads schema 1)"]
    assert problems(
        HEAD.replace("schema: 1", 'schema: "1"') + "  - {number: 1, title: S, actions: []}\n"
    ) == [
        "plan.yaml:1:9: 'schema' must be a whole number, not the text '1': write 1 without quotes"
    ]


def test_empty_lists() -> None:
    assert problems(
        """\
        schema: 1
        programme: {id: p, title: P}
        organisations: []
        steps: []
        """
    ) == [
        "plan.yaml:3:16: 'organisations' must not be empty",
        "plan.yaml:4:8: 'steps' must not be empty",
    ]


def test_unknown_keys_with_suggestions() -> None:
    assert problems(
        """\
        schema: 1
        programme: {id: p, title: P}
        organisations: [{id: IenM, name: IenM}, {id: RIVM, name: RIVM}]
        steps:
          - number: 1
            titel: S
            actions:
              - id: "1.1"
                title: A
                owners: [IenM]
                milestones:
                  - {id: "1.1.1", title: M, gered: Q3-2015}
        wibble: 1
        """
    ) == [
        "plan.yaml:5:5: missing required key 'title' in step 1",
        "plan.yaml:6:5: unknown key 'titel' in step 1 (did you mean 'title'?)",
        "plan.yaml:12:37: unknown key 'gered' in milestone '1.1.1' (did you mean 'gereed'?)",
        "plan.yaml:13:1: unknown key 'wibble' in the plan",
    ]


def test_wrong_types_are_explained() -> None:
    assert problems(
        with_head("""\
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
    assert problems(
        """\
        schema: 1
        programme: [p]
        organisations: [IenM]
        steps:
          - 1
        """
    ) == [
        "plan.yaml:2:12: 'programme' must be a mapping, not a list",
        "plan.yaml:3:17: each organisation must be a mapping (key: value), not the text 'IenM'",
        "plan.yaml:5:5: each step must be a mapping (key: value), not the number 1",
    ]


def test_dates() -> None:
    assert problems(
        """\
        schema: 1
        programme:
          id: p
          title: P
          start: 2015-02-30
          end: soon
        organisations: [{id: IenM, name: IenM}]
        steps: [{number: 1, title: S, actions: []}]
        """
    ) == [
        "plan.yaml:5:10: 'start': no such date '2015-02-30'",
        "plan.yaml:6:8: 'end' must be a date written as YYYY-MM-DD, not the text 'soon'",
    ]
    assert problems(
        "schema: 1\nprogramme: {id: p, title: P, start: 2016-01-01, end: 2015-12-31}\n"
        "organisations: [{id: IenM, name: IenM}]\nsteps: [{number: 1, title: S, actions: []}]\n"
    ) == ["plan.yaml:2:54: programme end 2015-12-31 is before its start 2016-01-01"]


def test_programme_id_format_and_missing_title() -> None:
    assert problems(
        """\
        schema: 1
        programme:
          id: MVI_2015
        organisations: [{id: IenM, name: IenM}]
        steps: [{number: 1, title: S, actions: []}]
        """
    ) == [
        "plan.yaml:3:3: missing required key 'title' in programme",
        "plan.yaml:3:7: programme id 'MVI_2015' may only contain a-z, 0-9 and '-'"
        " (e.g. 'mvi-2015-2020')",
    ]


def test_empty_required_value() -> None:
    assert problems(
        with_head("""\
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
        """\
        schema: 1
        programme: {id: p, title: P}
        organisations: [{id: IenM, name: IenM}, {id: RIVM, name: RIVM}]
        steps:
          - number: 1
            title: S
            title: T
            actions:
              - {id: "1.1", title: A, owners: [IenM], owners: [RIVM]}
        schema: 1
        """
    ) == [
        "plan.yaml:7:5: duplicate key 'title' in step 1 (first at line 6)",
        "plan.yaml:9:47: duplicate key 'owners' in action '1.1' (first at line 9)",
        "plan.yaml:10:1: duplicate key 'schema' in the plan (first at line 1)",
    ]


def test_duplicate_ids_per_kind() -> None:
    assert problems(
        """\
        schema: 1
        programme: {id: p, title: P}
        organisations:
          - {id: IenM, name: A}
          - {id: IenM, name: B}
        contacts:
          - {id: c, name: C, organisation: IenM}
          - {id: c, name: D, organisation: IenM}
        governance:
          - {id: g, name: G, purpose: P}
          - {id: g, name: H, purpose: P}
        reports:
          - {id: r, title: R, recipient: TK}
          - {id: r, title: S, recipient: TK}
        goals:
          - {id: G1, text: T}
          - {id: G1, text: U}
        steps: [{number: 1, title: S, actions: []}]
        """
    ) == [
        "plan.yaml:5:10: duplicate organisation id 'IenM' (first at line 4)",
        "plan.yaml:8:10: duplicate contact id 'c' (first at line 7)",
        "plan.yaml:11:10: duplicate governance body id 'g' (first at line 10)",
        "plan.yaml:14:10: duplicate report id 'r' (first at line 13)",
        "plan.yaml:17:10: duplicate goal id 'G1' (first at line 16)",
    ]


def test_action_and_milestone_ids_are_unique_together() -> None:
    assert problems(
        with_head("""\
          - number: 1
            title: S
            actions:
              - id: "1.1"
                title: A
                owners: [IenM]
                milestones:
                  - {id: "1.1.1", title: M}
              - {id: "1.1", title: B, owners: [IenM]}
          - number: 2
            title: T
            actions:
              - {id: "2.1", title: C, owners: [IenM], milestones: [{id: "2.1.1", title: M}]}
              - {id: "2.2", title: C, owners: [IenM], milestones: [{id: "2.1.1", title: M}]}
        """)
    ) == [
        "plan.yaml:13:14: duplicate id '1.1' (already used by the action at line 8)",
        "plan.yaml:18:65: duplicate id '2.1.1' (already used by the milestone at line 17)",
        "plan.yaml:18:65: milestone id '2.1.1' must look like '2.2.N' (it is under action '2.2')",
    ]


def test_ids_must_match_their_step_and_action() -> None:
    assert problems(
        with_head("""\
          - number: 1
            title: S
            actions:
              - id: "2.1"
                title: A
                owners: [IenM]
                milestones:
                  - {id: "1.2.3", title: M}
              - {id: "A1", title: B, owners: [IenM]}
        """)
    ) == [
        "plan.yaml:8:13: action id '2.1' is under step 1: it must start with '1.'",
        "plan.yaml:12:18: milestone id '1.2.3' must look like '2.1.N' (it is under action '2.1')",
        "plan.yaml:13:14: action id 'A1' must look like '1.N' (e.g. '1.1')",
    ]


def test_step_numbers_unique_and_ascending() -> None:
    assert problems(
        with_head("""\
          - {number: 2, title: A, actions: []}
          - {number: 2, title: B, actions: []}
          - {number: 1, title: C, actions: []}
          - {number: "3", title: D, actions: []}
        """)
    ) == [
        "plan.yaml:6:14: duplicate step number 2 comes after step 2:"
        " steps must be numbered in ascending order",
        "plan.yaml:7:14: step number 1 comes after step 2:"
        " steps must be numbered in ascending order",
        "plan.yaml:8:14: 'number' must be a whole number, not the text '3': write 3 without quotes",
    ]


def test_unknown_organisations() -> None:
    assert problems(
        """\
        schema: 1
        programme: {id: p, title: P}
        organisations: [{id: IenM, name: IenM}, {id: RIVM, name: RIVM}]
        contacts:
          - {id: c, name: C, organisation: EZ}
        governance:
          - {id: g, name: G, purpose: P, members: [IenM, Rivm]}
        steps:
          - number: 1
            title: S
            actions:
              - id: "1.1"
                title: A
                owners: [IenM, PIANOo]
                milestones: [{id: "1.1.1", title: M, owners: []}]
        """
    ) == [
        "plan.yaml:5:36: unknown organisation 'EZ' in 'organisation'",
        "plan.yaml:7:50: unknown organisation 'Rivm' in 'members' (did you mean 'RIVM'?)",
        "plan.yaml:14:24: unknown organisation 'PIANOo' in 'owners'",
        "plan.yaml:15:54: 'owners' must name at least one organisation"
        " (leave 'owners' out to use the action's owners)",
    ]


def test_depends_on_unknown_self_and_listed_twice() -> None:
    assert problems(
        with_head("""\
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
        with_head("""\
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


def test_idem_problems() -> None:
    assert problems(
        with_head("""\
          - number: 1
            title: S
            actions:
              - {id: "1.1", title: A, owners: [IenM], gereed: idem}
              - id: "1.2"
                title: B
                owners: [IenM]
                milestones:
                  - {id: "1.2.1", title: M}
                  - {id: "1.2.2", title: N, gereed: idem}
        """)
    ) == [
        "plan.yaml:8:55: 'idem' has no row above to copy: this is the first action of step 1",
        "plan.yaml:14:45: 'idem' copies the row above (1.2.1), which has no 'gereed'",
    ]


def test_dependent_gereed_needs_depends_on() -> None:
    assert problems(
        with_head("""\
          - number: 1
            title: S
            actions:
              - id: "1.1"
                title: A
                owners: [IenM]
                gereed: Afhankelijk van overleg
              - {id: "1.2", title: B, owners: [IenM], gereed: idem}
        """)
    ) == [
        "plan.yaml:11:17: 'gereed' 'Afhankelijk van overleg' is dependent:"
        " add 'depends_on' with the id(s) this action waits for",
    ]


def test_unknown_period_quotes_the_text() -> None:
    found = problems(
        with_head("""\
          - number: 1
            title: S
            actions:
              - {id: "1.1", title: A, owners: [IenM], gereed: Binnenkort}
              - {id: "1.2", title: B, owners: [IenM], gereed: true}
        """)
    )
    assert len(found) == 2
    assert found[0].startswith("plan.yaml:8:55: 'gereed': ") and "'Binnenkort'" in found[0]
    assert found[1] == (
        "plan.yaml:9:55: 'gereed' must be text such as 'Q3-2015', not the boolean true"
    )


def test_reports_action_must_be_a_known_action() -> None:
    head = HEAD.replace(
        "steps:", "reports: [{id: r, title: R, recipient: TK, action: '1.1.1'}]\nsteps:"
    )
    assert problems(
        head
        + """\
          - number: 1
            title: S
            actions:
              - {id: "1.1", title: A, owners: [IenM], milestones: [{id: "1.1.1", title: M}]}
        """
    ) == ["plan.yaml:4:52: unknown action '1.1.1' in 'action' (did you mean '1.1'?)"]


def test_calendar_and_reminder_settings() -> None:
    assert problems(
        """\
        schema: 1
        programme: {id: p, title: P}
        calendar:
          timezone: Europe/Amsterdm
          holidays_country: nl
          seasons:
            najaar: {start_month: 9, end_month: 13}
            herfst: {start_month: 9, end_month: 11}
            winter: {start_month: 0}
            zomer: 6
        reminders:
          first_prompt_days: -1
          second_prompt_days: 1.5
          overdue_every_days: five
          on_due_date: yes
        organisations: [{id: IenM, name: IenM}]
        steps: [{number: 1, title: S, actions: []}]
        """
    ) == [
        "plan.yaml:4:13: unknown time zone 'Europe/Amsterdm'",
        "plan.yaml:5:21: holidays_country 'nl' must be a two-letter country code such as 'NL'",
        "plan.yaml:7:41: end_month of season 'najaar' must be 1–12, not 13",
        "plan.yaml:8:5: unknown season 'herfst' (seasons are voorjaar, zomer, najaar, winter)",
        "plan.yaml:9:13: missing required key 'end_month' in season 'winter'",
        "plan.yaml:9:27: start_month of season 'winter' must be 1–12, not 0",
        "plan.yaml:10:12: season 'zomer' must be a mapping {start_month: M, end_month: M},"
        " not the number 6",
        "plan.yaml:12:22: 'first_prompt_days' must be 0 or more, not -1",
        "plan.yaml:13:23: 'second_prompt_days' must be a whole number, not the number 1.5",
        "plan.yaml:14:23: 'overdue_every_days' must be a whole number, not the text 'five'",
        "plan.yaml:15:16: 'on_due_date' must be true or false, not the text 'yes'"
        " (YAML reads only true and false as booleans)",
    ]


# --- bad files -------------------------------------------------------------------------------


def only_problem(path: Path) -> str:
    with pytest.raises(PlanInvalid) as info:
        load_plan(path)
    plan_, found = validate_plan_file(path)
    assert plan_ is None and found == info.value.problems
    assert len(found) == 1
    return str(found[0])


def test_missing_file(tmp_path: Path) -> None:
    assert only_problem(tmp_path / "nope.yaml") == f"{tmp_path / 'nope.yaml'}: no such file"


def test_directory(tmp_path: Path) -> None:
    assert only_problem(tmp_path) == f"{tmp_path}: is a directory, not a plan file"


def test_binary(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"schema: 1\n\x00\x01\x02")
    assert only_problem(path) == f"{path}: is not a text file (it contains NUL bytes)"


def test_utf16(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("schema: 1\n", encoding="utf-16")
    assert only_problem(path) == f"{path}: is UTF-16 encoded: save it as UTF-8"


def test_not_utf8_names_the_first_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes("schema: 1\ntitle: Café é\n".encode("latin-1"))
    assert only_problem(path) == (
        f"{path}:2:11: is not valid UTF-8 (byte 0xe9): save the file as UTF-8"
    )


def test_utf8_with_bom_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.read_bytes())
    assert load_plan(path).programme.id == "mvi-test"


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n"])
def test_empty(text: str) -> None:
    assert problems(text) == [
        "plan.yaml: is empty: a plan needs schema, programme, organisations and steps"
    ]


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("schema: 1\nprogramme: [\n", "3:1"),
        ("schema: 1\n  programme: x\n", "2:12"),
        ("schema: 1\nname: 'unterminated\n", "3:1"),
        ("schema: 1\n---\nschema: 2\n", "2:1"),
        ("schema: 1\nx: *nope\n", "2:4"),
        ("schema: 1\n\tprogramme: x\n", "2:1"),
    ],
)
def test_yaml_syntax_errors_use_the_problem_mark(text: str, position: str) -> None:
    (found,) = problems(text)
    assert found.startswith(f"plan.yaml:{position}: YAML syntax error: ")


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


def test_control_character() -> None:
    assert problems("schema: 1\nx: a\x07b\n") == [
        "plan.yaml:2:5: character U+0007 is not allowed in YAML"
    ]


@pytest.mark.parametrize(
    ("text", "described"),
    [("- a\n- b\n", "a list"), ("just text\n", "the text 'just text'"), ("42\n", "the number 42")],
)
def test_top_level_must_be_a_mapping(text: str, described: str) -> None:
    assert problems(text) == [
        "plan.yaml:1:1: the plan must be a mapping with the keys schema, programme,"
        f" organisations and steps, not {described}"
    ]


# --- properties ---------------------------------------------------------------------------------


def _assert_well_formed(exc: PlanInvalid, text: str) -> None:
    lines = text.count("\n") + 2
    assert exc.problems, "PlanInvalid without problems"
    for p in exc.problems:
        assert p.path == "fuzz.yaml" and p.message and "\n" not in str(p)
        assert 0 <= p.line <= lines
    assert exc.problems == sorted(exc.problems, key=lambda p: (p.line, p.col))


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300))
def test_random_bytes_never_raise_anything_but_plan_invalid(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(data)
    plan_, found = validate_plan_file(path)
    assert (plan_ is None) == bool(found)


YAMLISH = st.lists(
    st.sampled_from(
        [*" \n\t-:[]{},'\"#&*!|>%@`?~.0123456789abcxyzQ", "idem", "steps", "id", "\n  - "]
    ),
    max_size=120,
).map("".join)


@settings(max_examples=300)
@given(text=YAMLISH)
def test_random_yamlish_text_never_raises_anything_but_plan_invalid(text: str) -> None:
    try:
        parse_plan(text, "fuzz.yaml")
    except PlanInvalid as exc:
        _assert_well_formed(exc, text)


_SEED = YAML(typ="safe").load(MINIMAL.read_text())
_JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3000),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(),
    st.sampled_from(["", "idem", "Q3-2015", "Afhankelijk van x", "1.1", "1.1.1", "IenM", "x"]),
    st.lists(st.sampled_from(["IenM", "1.1", "1.2.1", "", "zz"]), max_size=3),
    st.dictionaries(st.sampled_from(["id", "title", "gereed", "owners", "x"]), st.none()),
)


def _mutate(node: object, draw: st.DrawFn, depth: int = 0) -> object:
    """Replace, drop or add one thing somewhere in a (copy of a) valid plan."""
    if isinstance(node, dict) and node:
        node = dict(node)
        key = draw(st.sampled_from(sorted(node)))
        action = draw(st.sampled_from(["descend", "replace", "drop", "add"]))
        if action == "descend":
            node[key] = _mutate(node[key], draw, depth + 1)
        elif action == "replace":
            node[key] = draw(_JUNK)
        elif action == "drop":
            del node[key]
        else:
            node[draw(st.sampled_from(["owners", "depends_on", "gereed", "idd"]))] = draw(_JUNK)
        return node
    if isinstance(node, list) and node:
        node = list(node)
        i = draw(st.integers(0, len(node) - 1))
        action = draw(st.sampled_from(["descend", "replace", "duplicate", "drop"]))
        if action == "descend":
            node[i] = _mutate(node[i], draw, depth + 1)
        elif action == "replace":
            node[i] = draw(_JUNK)
        elif action == "duplicate":
            node.insert(i, node[i])
        else:
            del node[i]
        return node
    return draw(_JUNK)


@st.composite
def mutated_plans(draw: st.DrawFn) -> str:
    plan_: object = _SEED
    for _ in range(draw(st.integers(1, 4))):
        plan_ = _mutate(plan_, draw)
    yaml = YAML(typ="safe")
    yaml.default_flow_style = draw(st.booleans())
    from io import StringIO

    out = StringIO()
    yaml.dump(plan_, out)
    return out.getvalue()


@settings(max_examples=300)
@given(text=mutated_plans())
def test_mutated_plans_give_a_plan_or_well_formed_problems(text: str) -> None:
    try:
        p = parse_plan(text, "fuzz.yaml")
    except PlanInvalid as exc:
        _assert_well_formed(exc, text)
    else:
        assert p.to_json()["programme"]["id"]
