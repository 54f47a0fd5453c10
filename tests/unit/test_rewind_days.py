"""The decision rewind of a run of days (governance.provenance, pure; walk56a 1): the plan of
a day changes only on the days :func:`rewind_days` names, so a replay rewinds only then; an
item a decision adds is not in the plan before that decision's meeting."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from governance.decisions import Decision, DecisionKind
from governance.periods import parse_period
from governance.plan import Plan
from governance.planfile import load_plan
from governance.provenance import additions_undone, plan_as_of, rewind_days
from tests.conftest import SEED_PLAN

JAN, APR, JUL = date(2016, 1, 12), date(2016, 4, 12), date(2016, 7, 12)


def _as_decided(plan: Plan) -> Plan:
    """The seed plan file as January's and April's decisions leave it."""
    body = "besluit Stuurgroep Plan van aanpak MVI"
    moved = {
        "1.3.1": {
            "gereed": "Q2-2016", "period": parse_period("Q2-2016"),
            "original_gereed": "Najaar 2015", "revised_by": f"{body}, 12 januari 2016",
        },
        "1.3.2": {"cancelled_by": f"{body}, 12 april 2016"},
    }  # fmt: skip
    steps = []
    for step in plan.steps:
        actions = []
        for a in step.actions:
            ms = tuple(replace(m, **moved.get(m.id, {})) for m in a.milestones)
            actions.append(replace(a, milestones=ms))
        steps.append(replace(step, actions=tuple(actions)))
    return replace(plan, steps=tuple(steps))


PLAN = _as_decided(load_plan(SEED_PLAN))
DECISIONS = [
    Decision("stuurgroep", JAN, DecisionKind.SET_GEREED, "x", "1.3.1", "Najaar 2015", "Q2-2016",
             id=1),
    Decision("stuurgroep", APR, DecisionKind.CANCEL, "y", "1.3.2", "Najaar 2015", None, id=2),
    Decision("stuurgroep", JUL, DecisionKind.DECISION, "z", "1.2", None, None, id=3, adds=True),
    Decision("stuurgroep", date(2016, 10, 11), DecisionKind.DECISION, "kennisname", None, None,
             None, id=4),
]  # fmt: skip


def _day_plan(day: date) -> Plan:
    return additions_undone(plan_as_of(PLAN, DECISIONS, day), DECISIONS, day)


def _ids(plan: Plan) -> set[str]:
    return {a.id for a in plan.actions()} | {m.id for m in plan.milestones()}


def test_the_plan_changes_only_on_the_days_named() -> None:
    days = rewind_days(PLAN, DECISIONS)
    assert days == (JAN, APR, JUL)  # a decision that moves, drops or adds nothing: no day
    day, last = date(2015, 12, 1), date(2016, 8, 31)
    before, changed = _day_plan(day), []
    while day < last:
        day += timedelta(days=1)
        now = _day_plan(day)
        if now != before:
            changed.append(day)
        before = now
    assert changed == [JAN, APR, JUL]
    assert _day_plan(JUL) is PLAN  # from the last one on: the file's plan itself


def test_an_item_a_later_meeting_adds_is_not_there_yet() -> None:
    before = additions_undone(PLAN, DECISIONS, date(2016, 7, 11))
    assert "1.2" not in _ids(before) and "1.2.1" not in _ids(before)  # its milestones with it
    assert _ids(PLAN) - _ids(before) == {"1.2", "1.2.1", "1.2.2"}
    assert before.source_hash is None
    assert additions_undone(PLAN, DECISIONS, JUL) is PLAN
