"""perf56c: :func:`governance.provenance.rewind_days` picks out the ``revised_by`` and
``cancelled_by`` texts there are before reading their dates (a daily cycle at 100k items has
few or none); the days are those of every item's texts read one by one, as walk56a 1 made it:
on actions and milestones, a text without a date, an empty one, a date named twice, with and
without decisions."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

from governance.decisions import Decision, DecisionKind
from governance.plan import Action, Milestone, Plan
from governance.planfile import load_plan
from governance.provenance import decided_on, rewind_days
from tests.conftest import SEED_PLAN

BODY = "besluit Stuurgroep Plan van aanpak MVI"
TEXTS = [
    f"{BODY}, 12 januari 2016",
    f"{BODY}, 12 april 2016",
    f"{BODY}, 3 oktober 2017",
    f"{BODY}, 12 januari 2016",  # the same day again
    "besluit Stuurgroep, zonder datum",
    f"{BODY}, 31 februari 2016",  # no such day: no date
    "",
    None,
]


def _reference(plan: Plan, decisions: list[Decision]) -> tuple[date, ...]:
    """Every item's two texts read one by one (the walk before perf56c)."""
    days = {
        d.meeting_on
        for d in decisions
        if d.item_id is not None and (d.kind in (DecisionKind.SET_GEREED, DecisionKind.CANCEL)
                                      or d.adds)
    }  # fmt: skip
    items: list[Action | Milestone] = [*plan.actions(), *plan.milestones()]
    for item in items:
        for text in (item.revised_by, item.cancelled_by):
            on = decided_on(text)
            if on is not None:
                days.add(on)
    return tuple(sorted(days))


def _texts(plan: Plan, rng: random.Random, share: float) -> Plan:
    """``plan`` with random texts on a ``share`` of its actions and milestones."""

    def text() -> str | None:
        return rng.choice(TEXTS) if rng.random() < share else None

    steps = []
    for step in plan.steps:
        actions = []
        for a in step.actions:
            ms = tuple(replace(m, revised_by=text(), cancelled_by=text()) for m in a.milestones)
            actions.append(replace(a, milestones=ms, revised_by=text(), cancelled_by=text()))
        steps.append(replace(step, actions=tuple(actions)))
    return replace(plan, steps=tuple(steps))


DECISIONS = [
    Decision("stuurgroep", date(2016, 2, 9), DecisionKind.SET_GEREED, "x", "1.3.1", None, "Q2-2016",
             id=1),
    Decision("stuurgroep", date(2016, 7, 12), DecisionKind.DECISION, "z", "1.2", None, None, id=2,
             adds=True),
    Decision("stuurgroep", date(2016, 10, 11), DecisionKind.DECISION, "k", None, None, None, id=3),
]  # fmt: skip


def test_the_days_are_those_of_every_items_texts() -> None:
    plain = load_plan(SEED_PLAN)
    assert rewind_days(plain, []) == () == _reference(plain, [])
    rng = random.Random(56)
    found: set[date] = set()
    for share in (0.05, 0.3, 1.0):
        for _ in range(20):
            plan = _texts(plain, rng, share)
            for decisions in ([], DECISIONS):
                days = rewind_days(plan, decisions)
                assert days == _reference(plan, decisions), share
                found.update(days)
    # Every dated text was met, on actions and milestones alike; the undated ones gave none.
    assert found == {
        date(2016, 1, 12), date(2016, 4, 12), date(2017, 10, 3),
        date(2016, 2, 9), date(2016, 7, 12),
    }  # fmt: skip


def test_a_text_on_an_action_alone_counts() -> None:
    plain = load_plan(SEED_PLAN)
    first = plain.steps[0].actions[0]
    moved = replace(first, cancelled_by=f"{BODY}, 5 mei 2016")
    step = replace(plain.steps[0], actions=(moved, *plain.steps[0].actions[1:]))
    plan = replace(plain, steps=(step, *plain.steps[1:]))
    assert rewind_days(plan, []) == (date(2016, 5, 5),) == _reference(plan, [])
