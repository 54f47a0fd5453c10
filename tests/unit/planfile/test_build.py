"""The plan's sections (governance/planfile/build.py): programme, calendar, reminders,
organisations, contacts, governance, reports, goals and the ids they refer to."""

from __future__ import annotations

from datetime import date

from governance.periods import Season
from governance.plan import Plan, ReminderPolicy
from tests.unit.planfile.plantext import MINIMAL, plan, plan_text, problems


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


def test_seasons_from_the_plan_override_the_default(minimal: Plan) -> None:
    assert minimal.calendar.seasons["najaar"] == Season(10, 12)
    assert minimal.calendar.seasons["voorjaar"] == Season(3, 5)  # untouched
    action = minimal.action("1.2")
    assert action is not None and action.period is not None
    assert (action.period.start, action.period.end) == (date(2015, 10, 1), date(2015, 12, 31))


def test_default_seasons_without_calendar() -> None:
    p = plan(
        plan_text(
            '- {number: 1, title: S, actions: [{id: "1.1", title: A, owners: [IenM], '
            "gereed: Najaar 2015}]}\n"
        )
    )
    period = p.steps[0].actions[0].period
    assert period is not None
    assert (period.start, period.end) == (date(2015, 9, 1), date(2015, 11, 30))
    assert p.calendar.timezone == "Europe/Amsterdam"


def test_schema_version() -> None:
    one_step = "- {number: 1, title: S, actions: []}\n"
    assert problems(plan_text(one_step, schema="2")) == [
        "plan.yaml:1:9: unsupported schema version 2 (this Regie reads schema 1)"
    ]
    assert problems(plan_text(one_step, schema='"1"')) == [
        "plan.yaml:1:9: 'schema' must be a whole number, not the text '1': write 1 without quotes"
    ]


def test_empty_lists() -> None:
    assert problems(plan_text("[]", organisations="[]")) == [
        "plan.yaml:3:16: 'organisations' must not be empty",
        "plan.yaml:4:8: 'steps' must not be empty",
    ]


def test_programme_id_format_and_missing_title() -> None:
    assert problems(
        plan_text(programme="id: MVI_2015\n", organisations="[{id: IenM, name: IenM}]")
    ) == [
        "plan.yaml:3:3: missing required key 'title' in programme",
        "plan.yaml:3:7: programme id 'MVI_2015' may only contain a-z, 0-9 and '-'"
        " (e.g. 'mvi-2015-2020')",
    ]


def test_two_organisations_shown_alike_are_refused_at_the_second() -> None:
    """review8 7: mails, packs and reports show an owner by its short_name, else its name;
    two alike ("Respons per organisatie" twice the same row) cannot be told apart."""
    assert problems(
        plan_text(
            organisations=(
                "- {id: IenM, name: Infrastructuur}\n"
                "- {id: RIVM, name: RIVM, short_name: Infrastructuur}\n"
                "- {id: EZ, name: Economische Zaken, short_name: EZ}\n"
            ),
        )
    ) == [
        "plan.yaml:5:40: organisation 'RIVM' is shown as 'Infrastructuur', as another one is "
        "(line 4): give it a short_name of its own",
    ]


def test_duplicate_ids_per_kind() -> None:
    assert problems(
        plan_text(
            organisations="- {id: IenM, name: A}\n- {id: IenM, name: B}\n",
            contacts=(
                "- {id: c, name: C, organisation: IenM}\n- {id: c, name: D, organisation: IenM}\n"
            ),
            governance="- {id: g, name: G, purpose: P}\n- {id: g, name: H, purpose: P}\n",
            reports="- {id: r, title: R, recipient: TK}\n- {id: r, title: S, recipient: TK}\n",
            goals="- {id: G1, text: T}\n- {id: G1, text: U}\n",
        )
    ) == [
        "plan.yaml:5:10: duplicate organisation id 'IenM' (first at line 4)",
        "plan.yaml:8:10: duplicate contact id 'c' (first at line 7)",
        "plan.yaml:11:10: duplicate governance body id 'g' (first at line 10)",
        "plan.yaml:14:10: duplicate report id 'r' (first at line 13)",
        "plan.yaml:17:10: duplicate goal id 'G1' (first at line 16)",
    ]


def test_unknown_organisations() -> None:
    assert problems(
        plan_text(
            """\
            - number: 1
              title: S
              actions:
                - id: "1.1"
                  title: A
                  owners: [IenM, PIANOo]
                  milestones: [{id: "1.1.1", title: M, owners: []}]
            """,
            contacts="- {id: c, name: C, organisation: EZ}\n",
            governance="- {id: g, name: G, purpose: P, members: [IenM, Rivm]}\n",
        )
    ) == [
        "plan.yaml:5:36: unknown organisation 'EZ' in 'organisation'",
        "plan.yaml:7:50: unknown organisation 'Rivm' in 'members' (did you mean 'RIVM'?)",
        "plan.yaml:14:24: unknown organisation 'PIANOo' in 'owners'",
        "plan.yaml:15:54: 'owners' must name at least one organisation"
        " (leave 'owners' out to use the action's owners)",
    ]


def test_reports_action_must_be_a_known_action() -> None:
    assert problems(
        plan_text(
            """\
            - number: 1
              title: S
              actions:
                - {id: "1.1", title: A, owners: [IenM], milestones: [{id: "1.1.1", title: M}]}
            """,
            reports="[{id: r, title: R, recipient: TK, action: '1.1.1'}]",
        )
    ) == ["plan.yaml:4:52: unknown action '1.1.1' in 'action' (did you mean '1.1'?)"]


def test_calendar_and_reminder_settings() -> None:
    assert problems(
        plan_text(
            calendar="""\
            timezone: Europe/Amsterdm
            holidays_country: nld
            seasons:
              najaar: {start_month: 9, end_month: 13}
              herfst: {start_month: 9, end_month: 11}
              winter: {start_month: 0}
              zomer: 6
            """,
            reminders="""\
            first_prompt_days: -1
            second_prompt_days: 1.5
            overdue_every_days: five
            on_due_date: yes
            """,
            organisations="[{id: IenM, name: IenM}]",
        )
    ) == [
        "plan.yaml:4:13: unknown time zone 'Europe/Amsterdm'",
        "plan.yaml:5:21: holidays_country 'nld' must be a two-letter country code such as 'NL'"
        " (did you mean 'NL', Nederland?)",
        "plan.yaml:7:41: end_month of season 'najaar' must be 1–12, not 13",
        "plan.yaml:8:5: unknown season 'herfst' (seasons are voorjaar, zomer, najaar, winter)",
        "plan.yaml:9:13: missing required key 'end_month' in season 'winter'",
        "plan.yaml:9:27: start_month of season 'winter' must be 1–12, not 0",
        "plan.yaml:10:12: season 'zomer' must be a mapping {start_month: M, end_month: M},"
        " not the number 6",
        "plan.yaml:12:22: 'first_prompt_days' must be 0–366 working days (0: from the due date),"
        " not -1",
        "plan.yaml:13:23: 'second_prompt_days' must be a whole number, not the number 1.5",
        "plan.yaml:14:23: 'overdue_every_days' must be a whole number, not the text 'five'",
        "plan.yaml:15:16: 'on_due_date' must be true or false, not the text 'yes'"
        " (YAML reads only true and false as booleans)",
    ]
