"""An action with milestones and no *gereed* of its own passes its ``depends_on`` to each
milestone (docs/plan-schema.md, "Dependencies"): a dependent milestone waits for what the action
names, a dated one lists it, the colour follows what it waits on, the agenda asks about it, and
the incremental daily assessment (which re-assesses the items that depend on what changed)
still equals the full one."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from governance.agenda import decisions_asked, finished_deadlines, item_lines
from governance.assessment import assess
from governance.planfile.load import load_plan
from governance.rag import Rag, State
from governance.updates import StatusUpdate
from governance.workdays import WorkCalendar
from reports.render import asked_question
from tests.conftest import SEED_PLAN
from tests.unit.planbuilder import Updates, act, contact, dependent, make_plan, ms, quarter
from tests.unit.test_incremental import World, every_day, random_updates, replay

CAL = WorkCalendar("NL")
PLAN = make_plan(
    act("1.1", ms("1.1.1", quarter(2015, 3)), ms("1.1.2", quarter(2015, 4))),
    # 1.2 has no gereed of its own: its depends_on is each milestone's.
    act("1.2", ms("1.2.1", dependent()), ms("1.2.2", quarter(2016, 1)), depends_on=("1.1",)),
    # 1.3.1 waits for all of 1.2, so through 1.2.1 for 1.1 as well.
    act("1.3", ms("1.3.1", dependent(), depends_on=("1.2",))),
    contacts=(contact("ann", "IenM"), contact("po", "Bureau", office=True)),
)


def _updates() -> Updates:
    ups = Updates()
    ups.add("1.1.1", "done", date(2015, 9, 10))
    ups.add("1.1.2", "done", date(2015, 11, 20))
    return ups


def test_a_dependent_milestone_waits_for_what_its_action_depends_on() -> None:
    ups = _updates()
    before = assess(PLAN, ups.all[:1], date(2015, 10, 1), calendar=CAL).items
    assert (before["1.2.1"].state, before["1.2.1"].waiting_on) == (State.WAITING, ("1.1",))
    assert before["1.2.1"].reason == "waiting on 1.1"
    # A dated milestone keeps its date and lists what it waits on.
    assert (before["1.2.2"].state, before["1.2.2"].waiting_on) == (State.ON_TRACK, ("1.1",))
    after = assess(PLAN, ups.all, date(2015, 11, 23), calendar=CAL).items
    lead = PLAN.reminders.dependency_lead_days
    assert after["1.2.1"].due == CAL.add_working_days(date(2015, 11, 20), lead)
    assert after["1.2.1"].state is State.ON_TRACK
    assert after["1.2.2"].waiting_on == ()


def test_a_waiting_milestone_takes_amber_from_what_its_action_waits_on() -> None:
    late = assess(PLAN, [], date(2015, 10, 15), calendar=CAL).items
    assert late["1.1.1"].state is State.OVERDUE and late["1.1.1"].rag in (Rag.AMBER, Rag.RED)
    assert (late["1.2.1"].state, late["1.2.1"].rag) == (State.WAITING, Rag.AMBER)


def test_the_agenda_asks_for_a_term_and_knows_when_it_became_due() -> None:
    ups = _updates()
    waiting = assess(PLAN, ups.all[:1], date(2015, 10, 1), calendar=CAL)
    asked = {
        a.item.item_id: asked_question(a)
        for a in decisions_asked(waiting, item_lines(PLAN, waiting))
    }
    assert asked["1.2.1"] == "Termijn vaststellen voor 1.2.1, dat wacht op 1.1?"
    ups.add("1.2.1", "done", date(2016, 1, 4))
    done = assess(PLAN, ups.all, date(2016, 1, 5), calendar=CAL)
    due = CAL.add_working_days(date(2015, 11, 20), PLAN.reminders.dependency_lead_days)
    assert finished_deadlines(PLAN, done, ["1.2.1"]) == {"1.2.1": due}


def _recorded(ups: Updates) -> list[StatusUpdate]:
    return [
        StatusUpdate(u.item_id, u.status, u.reported_on, u.forecast, u.completed_on,
                     recorded_at=datetime.combine(u.reported_on, time(9), UTC), id=u.id)
        for u in ups.all
    ]  # fmt: skip


def test_the_incremental_assessment_follows_inherited_dependencies() -> None:
    """The dependency done on 20 November: the next day's incremental run must re-assess
    1.2.1 (and 1.3.1 after it), which only an inherited edge links to 1.1.2."""
    ups = _updates()
    ups.add("1.2.1", "done", date(2016, 1, 4))
    ups.add("1.2.2", "done", date(2016, 2, 1))
    world = World(lambda _: PLAN, lambda _: CAL, _recorded(ups))
    replay(world, every_day(date(2015, 8, 1), date(2016, 6, 30)))
    # What it checked, as the full assessment says it.
    states = {}
    for day in (date(2015, 11, 19), date(2015, 11, 20), date(2016, 1, 15), date(2016, 2, 2)):
        items = assess(PLAN, world.known(day), day, calendar=CAL).items
        states[day] = (items["1.2.1"].state, items["1.3.1"].state)
    assert states == {
        date(2015, 11, 19): (State.WAITING, State.WAITING),
        date(2015, 11, 20): (State.ON_TRACK, State.WAITING),
        date(2016, 1, 15): (State.DONE, State.WAITING),  # 1.2.2 is not done yet
        date(2016, 2, 2): (State.DONE, State.ON_TRACK),
    }


def test_the_incremental_assessment_equals_the_full_one_with_random_updates() -> None:
    first, last = date(2015, 6, 1), date(2016, 12, 31)
    world = World(lambda _: PLAN, lambda _: CAL, random_updates(PLAN, first, last, 0.4, 11))
    replay(world, every_day(first, last))


def test_the_shipped_plans_action_2_1_waits_only_where_the_source_says() -> None:
    """plan/actions.yaml (walk57a 2): action 2.1 no longer depends on the whole of 2.2 and
    2.3, which its milestones inherited (2.1.1, due Najaar 2015, waited on 2.2.2's open-ended
    research): only 2.1.2 waits, on 2.1.1 and the Telos verkenning 2.3.2 ("input voor 1")."""
    plan = load_plan(SEED_PLAN)
    deps = {d.item_id: d.depends_on for d in plan.deadlines() if d.action_id == "2.1"}
    assert deps == {"2.1.1": (), "2.1.2": ("2.1.1", "2.3.2"), "2.1.3": ("2.1.2",)}
    items = assess(plan, [], date(2015, 10, 1), calendar=CAL).items
    assert items["2.1.1"].waiting_on == ()
    assert items["2.1.2"].waiting_on == ("2.1.1", "2.3.2")
