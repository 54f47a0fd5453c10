"""Plans built in code for the store tests (independent of the YAML loader and period parser)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from typing import Any

from governance.periods import Period, PeriodKind
from governance.plan import Action, Contact, Milestone, Organisation, Plan, Programme, Step

#: The clock of the first sync in these tests.
T0 = datetime(2015, 9, 1, 8, 0, tzinfo=UTC)


def quarter(year: int, q: int) -> Period:
    starts = {1: (1, 1), 2: (4, 1), 3: (7, 1), 4: (10, 1)}
    ends = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}
    return Period(PeriodKind.QUARTER, f"Q{q}-{year}", date(year, *starts[q]), date(year, *ends[q]))


def autumn(year: int) -> Period:
    return Period(PeriodKind.SEASON, f"Najaar {year}", date(year, 9, 1), date(year, 11, 30))


def whole_year(year: int) -> Period:
    return Period(PeriodKind.YEAR, str(year), date(year, 1, 1), date(year, 12, 31))


def make_sample_plan(programme_id: str = "mvi-test") -> Plan:
    """Two steps, three actions, three milestones: enough to exercise every sync path."""
    q3, q4 = quarter(2015, 3), quarter(2015, 4)
    a11 = Action(
        "1.1",
        1,
        "Inventarisatie en prioritering",
        ("IenM",),
        None,
        None,
        milestones=(
            Milestone("1.1.1", "1.1", "Inventarisatie", q3.text, q3, ("RIVM",)),
            Milestone("1.1.2", "1.1", "Prioritering", q4.text, q4, ("IenM",)),
        ),
        group="Inzicht",
    )
    a12 = Action("1.2", 1, "Monitor MVI", ("RIVM",), "Najaar 2015", autumn(2015))
    a21 = Action(
        "2.1",
        2,
        "Ambitieniveau bepalen",
        ("PIANOo", "IenM"),
        None,
        None,
        milestones=(
            Milestone("2.1.1", "2.1", "Ambitie vastgesteld", "2016", whole_year(2016), ("PIANOo",)),
        ),
        depends_on=("1.2",),
        note="eigenaar uit H3",
    )
    return Plan(
        programme=Programme(programme_id, "Plan van aanpak MVI", start=date(2015, 1, 1)),
        steps=(
            Step(1, "Inzicht", (a11, a12), goal="Weten waar we staan"),
            Step(2, "Ambitie", (a21,)),
        ),
        organisations=(
            Organisation("IenM", "Ministerie van Infrastructuur en Milieu", "ministerie"),
            Organisation("RIVM", "Rijksinstituut voor Volksgezondheid en Milieu"),
            Organisation("PIANOo", "Expertisecentrum Aanbesteden"),
        ),
        contacts=(Contact("jdevries", "J. de Vries", "IenM", email="jdv@example.org"),),
        path="plan/test.yaml",
    )


# --- edits: each returns a new Plan -----------------------------------------------------------


def edit_action(plan: Plan, code: str, **changes: Any) -> Plan:
    def edit(action: Action) -> Action:
        return dataclasses.replace(action, **changes) if action.id == code else action

    return _map_actions(plan, edit)


def edit_milestone(plan: Plan, code: str, **changes: Any) -> Plan:
    def edit(action: Action) -> Action:
        milestones = tuple(
            dataclasses.replace(m, **changes) if m.id == code else m for m in action.milestones
        )
        return dataclasses.replace(action, milestones=milestones)

    return _map_actions(plan, edit)


def drop_milestone(plan: Plan, code: str) -> Plan:
    def edit(action: Action) -> Action:
        kept = tuple(m for m in action.milestones if m.id != code)
        return dataclasses.replace(action, milestones=kept)

    return _map_actions(plan, edit)


def move_milestone(plan: Plan, code: str, to_action: str) -> Plan:
    moving = next(m for m in plan.milestones() if m.id == code)
    moved = dataclasses.replace(moving, action_id=to_action)
    plan = drop_milestone(plan, code)

    def edit(action: Action) -> Action:
        if action.id != to_action:
            return action
        return dataclasses.replace(action, milestones=(*action.milestones, moved))

    return _map_actions(plan, edit)


def _map_actions(plan: Plan, edit: Any) -> Plan:
    steps = tuple(
        dataclasses.replace(step, actions=tuple(edit(a) for a in step.actions))
        for step in plan.steps
    )
    return dataclasses.replace(plan, steps=steps)
