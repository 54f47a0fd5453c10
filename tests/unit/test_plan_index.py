"""The plan's deadline table (:meth:`governance.plan.Plan.deadline_table`) and the index the
assessment reads from it (:class:`governance.assessor.PlanIndex`): made once per plan, in the
pass that makes the deadlines, and equal to the tables built from the deadlines one by one."""

from __future__ import annotations

import dataclasses
import pickle
import random
from datetime import date

import pytest

from governance.assessor import PlanIndex
from governance.periods import Period, PeriodKind
from governance.plan import Action, Deadline, Milestone, Plan, Programme, Step
from tests.unit.planbuilder import act, make_plan, ms, on, quarter


def _reference(plan: Plan) -> tuple[dict[str, Deadline], dict[str, list[str]], dict[str, set[str]]]:
    """The look-ups as PlanIndex built them before they were the plan's: from the deadlines,
    one pass each (by id: the last deadline of an id, in first-seen order; per action; and
    who depends on whom, from the deadlines by id that have a ``depends_on``)."""
    deadlines = plan.deadlines()
    by_id = {d.item_id: d for d in deadlines}
    members: dict[str, list[str]] = {}
    for d in deadlines:
        members.setdefault(d.action_id, []).append(d.item_id)
    dependents: dict[str, set[str]] = {}
    for d in by_id.values():
        for dep in d.depends_on:
            dependents.setdefault(dep, set()).add(d.item_id)
            for target in members.get(dep) or ([dep] if dep in by_id else []):
                dependents.setdefault(target, set()).add(d.item_id)
    return by_id, members, dependents


def _closure(dependents: dict[str, set[str]], seeds: set[str]) -> set[str]:
    out, todo = set(seeds), list(seeds)
    while todo:
        for child in dependents.get(todo.pop(), ()):
            if child not in out:
                out.add(child)
                todo.append(child)
    return out


def _check(plan: Plan) -> None:
    by_id, members, dependents = _reference(plan)
    index = PlanIndex(plan)
    assert list(index.by_id.items()) == list(by_id.items())  # order, keys and values
    assert all(index.by_id[i] is d for i, d in by_id.items())
    assert index.members == members
    assert list(index.members) == list(members)
    assert index.deadlines == plan.deadlines()
    for item_id in [*by_id, *members, "gone", "1.9"]:
        assert index.with_dependents({item_id}) == _closure(dependents, {item_id})


def test_the_index_is_the_plans_own_made_once_with_its_deadlines() -> None:
    plan = make_plan(act("1.1", ms("1.1.1", on(date(2016, 3, 1)))))
    table = plan.deadline_table()
    assert plan.deadline_table() is table
    assert PlanIndex(plan).by_id is table.by_id is PlanIndex(plan).by_id
    assert PlanIndex(plan).members is table.members
    assert tuple(plan.deadlines()) == table.deadlines
    # Not carried to a changed plan (dataclasses.replace, the parse cache's copy).
    assert dataclasses.replace(plan).deadline_table() is not table


def test_duplicate_ids_and_dependencies_as_the_deadlines_give_them() -> None:
    q = quarter(2016, 1)
    plan = make_plan(
        act("1.1", ms("1.1.1", q), ms("1.1.2", q, depends_on=("1.1.1",)), period=q),
        # the same milestone id again (the last deadline of an id is the one looked up), and a
        # dependency on an action, on a removed item and on an item that depends in turn
        act("1.2", ms("1.1.2", q), ms("1.2.1", q, depends_on=("1.1", "9.9"))),
        act("2.1", depends_on=("1.2.1",)),
        act("2.2", ms("2.2.1", on(date(2016, 5, 1)), depends_on=("2.1",))),
    )
    _check(plan)
    index = PlanIndex(plan)
    assert index.by_id["1.1.2"].action_id == "1.2"  # the last of the two
    # the first 1.1.2 depends on 1.1.1, the last (the one looked up) on nothing; 1.2.1 on
    # the action 1.1, so on its deadlines
    assert index.with_dependents({"1.1.1"}) == {"1.1.1", "1.2.1", "2.1", "2.2.1"}
    assert index.with_dependents({"1.1"}) == {"1.1", "1.2.1", "2.1", "2.2.1"}
    assert index.with_dependents({"9.9"}) == {"9.9", "1.2.1", "2.1", "2.2.1"}


def test_an_action_given_twice_gathers_both_actions_items() -> None:
    q = quarter(2016, 2)
    first = act("1.1", ms("1.1.1", q), period=q)
    again = dataclasses.replace(act("1.1", ms("1.1.3", q)), step=2)
    plan = Plan(
        programme=Programme("test", "Test"),
        steps=(Step(1, "Een", (first,)), Step(2, "Twee", (again,))),
    )
    _check(plan)
    assert PlanIndex(plan).members == {"1.1": ["1.1", "1.1.1", "1.1.3"]}


def test_random_plans_give_the_tables_built_from_their_deadlines() -> None:
    rng = random.Random(18)
    q = quarter(2017, 3)
    for _ in range(150):
        ids = [f"{rng.randint(1, 3)}.{rng.randint(1, 4)}" for _ in range(rng.randint(1, 6))]
        actions = []
        for action_id in ids:
            names = [f"{action_id}.{rng.randint(1, 3)}" for _ in range(rng.randint(0, 3))]
            pool = [*ids, *names, "8.8"]
            specs = [
                ms(name, q, depends_on=tuple(rng.sample(pool, rng.randint(0, 2)))) for name in names
            ]
            period = q if rng.random() < 0.5 else None
            depends = tuple(rng.sample(pool, rng.randint(0, 1)))
            actions.append(act(action_id, *specs, period=period, depends_on=depends))
        plan = Plan(
            programme=Programme("test", "Test"),
            steps=tuple(Step(n + 1, f"Stap {n + 1}", (a,)) for n, a in enumerate(actions)),
        )
        _check(plan)


def test_an_unresolved_idem_is_refused_naming_its_first_row() -> None:
    idem = Period(PeriodKind.SAME_AS_ABOVE, "idem")
    action = Action(
        "1.1", 1, "Actie", ("IenM",), None, None,
        milestones=(
            Milestone("1.1.1", "1.1", "Een", "Q1-2016", quarter(2016, 1), ("IenM",)),
            Milestone("1.1.2", "1.1", "Twee", "idem", idem, ("IenM",)),
            Milestone("1.1.3", "1.1", "Drie", "idem", idem, ("IenM",)),
        ),
    )  # fmt: skip
    plan = Plan(programme=Programme("test", "Test"), steps=(Step(1, "Een", (action,)),))
    assert [d.item_id for d in plan.deadlines()] == ["1.1.1", "1.1.2", "1.1.3"]  # listed
    with pytest.raises(ValueError, match=r"item 1\.1\.2: unresolved 'idem'"):
        PlanIndex(plan)


def test_deadlines_are_made_as_the_class_makes_them_and_survive_pickling() -> None:
    plan = make_plan(
        act("1.1", ms("1.1.1", quarter(2016, 1), depends_on=("1.2",)), period=quarter(2016, 2)),
        act("1.2"),
    )
    for d in plan.deadlines():
        assert type(d) is Deadline
        values = [getattr(d, f.name) for f in dataclasses.fields(Deadline)]
        assert d == Deadline(*values)
        assert hash(d) == hash(Deadline(*values))
        with pytest.raises(dataclasses.FrozenInstanceError):
            d.title = "anders"  # type: ignore[misc]
    plan.deadline_table()
    again = pickle.loads(pickle.dumps(plan))
    assert again.deadlines() == plan.deadlines()
    _check(again)
