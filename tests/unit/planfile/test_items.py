"""Steps, actions and milestones (governance/planfile/items.py): ids, owners, *gereed* kept
verbatim with a typed period, ``idem`` and dependent periods, locations."""

from __future__ import annotations

from datetime import date

import pytest

from governance.periods import Period, PeriodKind
from governance.plan import Action, Location, Milestone, Plan
from tests.unit.planfile.plantext import MINIMAL, plan, plan_text, problems


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
        plan_text(f"""\
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
        plan_text("""\
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


@pytest.mark.parametrize("gereed", ["", "gereed:", "gereed: ~"])
def test_absent_gereed_means_no_date(gereed: str) -> None:
    p = plan(
        plan_text(f"""\
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


@pytest.mark.parametrize("gereed", ['gereed: ""', "gereed: '   '"])
def test_blank_gereed_is_the_empty_text_to_be_decided(gereed: str) -> None:
    p = plan(
        plan_text(f"""\
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
    assert action.gereed == ""
    assert action.period == Period(PeriodKind.TBD, "")


def test_idem_on_an_action_copies_the_action_above() -> None:
    p = plan(
        plan_text("""\
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


def test_action_and_milestone_ids_are_unique_together() -> None:
    assert problems(
        plan_text("""\
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
        plan_text("""\
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
        plan_text("""\
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


def test_idem_problems() -> None:
    assert problems(
        plan_text("""\
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
        plan_text("""\
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
        plan_text("""\
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
