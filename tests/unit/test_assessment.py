"""assess(): states and their precedence, dependencies, the stale flag and transition events."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from governance.assessment import Assessment, State, assess
from governance.events import status_updated
from governance.periods import Period, PeriodKind
from governance.plan import Plan
from governance.rag import Rag
from governance.updates import StatusUpdate, UpdateStatus
from governance.workdays import WorkCalendar
from tests.unit.planbuilder import (
    Updates,
    act,
    dependent,
    from_,
    idem,
    make_plan,
    ms,
    on,
    policy,
    quarter,
    recurring,
    tbd,
)

CAL = WorkCalendar("NL")
Q3 = quarter(2015, 3)
DUE = date(2015, 9, 30)  # the last day of Q3 2015, a Wednesday


def one_item(period: Period | None = Q3, **overrides: int) -> Plan:
    return make_plan(act("1.1", ms("1.1.1", period)), reminders=policy(**overrides))


def state_of(
    plan: Plan, ups: Updates | list[StatusUpdate], as_of: date, item: str = "1.1.1"
) -> State:
    updates = ups.all if isinstance(ups, Updates) else ups
    return assess(plan, updates, as_of, calendar=CAL).items[item].state


def run(
    plan: Plan,
    ups: Updates,
    as_of: date,
    previous: dict[str, str] | None = None,
    previous_stale: frozenset[str] | None = None,
) -> Assessment:
    return assess(plan, ups.all, as_of, previous, CAL, previous_stale)


# --- dated items -------------------------------------------------------------------------------


def test_dated_item_moves_from_on_track_to_due_soon_to_overdue() -> None:
    plan = one_item()
    opens = CAL.window_start(DUE, plan.reminders.first_prompt_days)
    assert CAL.working_days_between(opens, DUE) == plan.reminders.first_prompt_days
    assert state_of(plan, [], opens - timedelta(days=1)) is State.ON_TRACK
    assert state_of(plan, [], opens) is State.DUE_SOON
    assert state_of(plan, [], DUE) is State.DUE_SOON  # the due date itself is not late
    late = run(plan, Updates(), DUE + timedelta(days=1)).items["1.1.1"]
    assert late.state is State.OVERDUE
    assert late.working_days_overdue == 1
    assert late.due == DUE
    assert late.reason == "due 2015-09-30, no completion reported"


def test_done_and_cancelled_win_over_dates() -> None:
    plan = one_item()
    ups = Updates()
    ups.add("1.1.1", "done", date(2015, 10, 20), completed_on=date(2015, 10, 14))
    item = run(plan, ups, date(2016, 6, 1)).items["1.1.1"]
    assert (item.state, item.rag, item.completed_on) == (State.DONE, Rag.GREEN, date(2015, 10, 14))
    ups.add("1.1.1", "cancelled", date(2015, 11, 2))
    item = run(plan, ups, date(2016, 6, 1)).items["1.1.1"]
    assert (item.state, item.rag) == (State.CANCELLED, Rag.GREY)


def test_slipped_until_the_forecast_itself_passes() -> None:
    plan = one_item()
    ups = Updates()
    forecast = date(2015, 10, 30)
    ups.add("1.1.1", "on_track", date(2015, 9, 1), forecast=forecast)
    assert state_of(plan, ups, date(2015, 9, 15)) is State.SLIPPED
    assert state_of(plan, ups, date(2015, 10, 15)) is State.SLIPPED  # past due, forecast ahead
    assert state_of(plan, ups, forecast) is State.SLIPPED
    late = run(plan, ups, forecast + timedelta(days=1)).items["1.1.1"]
    assert late.state is State.OVERDUE
    assert late.working_days_overdue == CAL.working_days_between(DUE, forecast + timedelta(days=1))
    assert "forecast 2015-10-30 passed" in late.reason


def test_a_forecast_on_or_before_the_due_date_is_no_slip() -> None:
    plan = one_item()
    ups = Updates()
    ups.add("1.1.1", "on_track", date(2015, 8, 3), forecast=date(2015, 12, 1))
    ups.add("1.1.1", "on_track", date(2015, 8, 10), forecast=DUE)  # recovered
    ups.add("1.1.1", "on_track", date(2015, 8, 17))  # no forecast: the last one still stands
    item = run(plan, ups, date(2015, 8, 20)).items["1.1.1"]
    assert (item.state, item.forecast) == (State.ON_TRACK, DUE)


def test_at_risk_ranks_below_overdue_and_slipped_and_above_due_soon() -> None:
    plan = one_item()
    ups = Updates()
    ups.add("1.1.1", "at_risk", date(2015, 8, 3))
    assert state_of(plan, ups, date(2015, 8, 10)) is State.AT_RISK
    assert state_of(plan, ups, date(2015, 9, 25)) is State.AT_RISK  # inside the window
    assert state_of(plan, ups, date(2015, 10, 1)) is State.OVERDUE
    ups.add("1.1.1", "at_risk", date(2015, 8, 11), forecast=date(2015, 11, 1))
    assert state_of(plan, ups, date(2015, 8, 12)) is State.SLIPPED


def test_updates_after_as_of_are_ignored() -> None:
    plan = one_item()
    ups = Updates()
    ups.add("1.1.1", "done", date(2015, 10, 5))
    assert state_of(plan, ups, date(2015, 10, 2)) is State.OVERDUE
    assert state_of(plan, ups, date(2015, 10, 5)) is State.DONE


def test_latest_update_is_chosen_by_reported_on_then_recorded_at_then_id() -> None:
    plan = one_item()
    day = date(2015, 8, 3)
    early, late = datetime(2015, 8, 3, 9), datetime(2015, 8, 3, 17)
    risk = StatusUpdate("1.1.1", UpdateStatus.AT_RISK, day, recorded_at=late, id=1)
    ok = StatusUpdate("1.1.1", UpdateStatus.ON_TRACK, day, recorded_at=early, id=2)
    assert state_of(plan, [risk, ok], day) is State.AT_RISK
    assert state_of(plan, [ok, risk], day) is State.AT_RISK
    tie_a = StatusUpdate("1.1.1", UpdateStatus.AT_RISK, day, id=7)
    tie_b = StatusUpdate("1.1.1", UpdateStatus.ON_TRACK, day, id=8)
    assert state_of(plan, [tie_b, tie_a], day) is State.ON_TRACK
    older = StatusUpdate("1.1.1", UpdateStatus.DONE, day - timedelta(days=1), id=99)
    assert state_of(plan, [tie_b, older], day) is State.ON_TRACK


# --- undated and ongoing ---------------------------------------------------------------------


@pytest.mark.parametrize("period", [tbd(), None])
def test_undated_items_need_a_decision(period: Period | None) -> None:
    plan = one_item(period)
    item = run(plan, Updates(), date(2030, 1, 1)).items["1.1.1"]
    assert (item.state, item.rag, item.due) == (State.UNDATED, Rag.GREY, None)
    ups = Updates()
    ups.add("1.1.1", "at_risk", date(2016, 1, 4))
    assert state_of(plan, ups, date(2016, 1, 5)) is State.AT_RISK


@pytest.mark.parametrize("period", [from_(date(2016, 1, 1)), recurring()])
def test_ongoing_items_are_never_overdue_but_can_be_done(period: Period) -> None:
    plan = one_item(period)
    ups = Updates()
    ups.add("1.1.1", "on_track", date(2025, 1, 2))  # keep it fresh
    item = run(plan, ups, date(2025, 1, 3)).items["1.1.1"]
    assert (item.state, item.rag, item.due) == (State.ONGOING, Rag.GREEN, None)
    ups.add("1.1.1", "done", date(2025, 2, 3))
    assert state_of(plan, ups, date(2025, 2, 3)) is State.DONE


# --- dependencies ----------------------------------------------------------------------------


def dependent_plan() -> Plan:
    return make_plan(
        act("1.1", ms("1.1.1", Q3)),
        act("1.2", ms("1.2.1", dependent(), depends_on=("1.1.1",))),
    )


def test_dependent_item_waits_then_gets_a_due_date_after_the_lead() -> None:
    plan = dependent_plan()
    ups = Updates()
    waiting = run(plan, ups, date(2015, 8, 3)).items["1.2.1"]
    assert (waiting.state, waiting.due, waiting.waiting_on) == (State.WAITING, None, ("1.1.1",))
    assert waiting.rag is Rag.GREEN
    finished = date(2015, 9, 21)
    ups.add("1.1.1", "done", date(2015, 9, 22), completed_on=finished)
    expected_due = CAL.add_working_days(finished, plan.reminders.dependency_lead_days)
    item = run(plan, ups, date(2015, 9, 22)).items["1.2.1"]
    assert item.due == expected_due
    assert item.waiting_on == ()
    # One working day after completion the lead (20) still exceeds the first window (15).
    assert CAL.working_days_between(date(2015, 9, 22), expected_due) == 19
    assert item.state is State.ON_TRACK
    assert state_of(plan, ups, expected_due + timedelta(days=1), "1.2.1") is State.OVERDUE


def test_waiting_turns_amber_when_what_it_waits_on_is_in_trouble() -> None:
    plan = dependent_plan()
    late = run(plan, Updates(), date(2015, 10, 5))
    assert late.items["1.1.1"].rag is Rag.RED
    assert (late.items["1.2.1"].state, late.items["1.2.1"].rag) == (State.WAITING, Rag.AMBER)


def test_dependency_on_an_action_needs_its_gereed_and_all_milestones() -> None:
    plan = make_plan(
        act("1.1", ms("1.1.1", Q3), ms("1.1.2", Q3), period=quarter(2015, 4)),
        act("1.2", period=dependent(), depends_on=("1.1",)),
    )
    ups = Updates()
    ups.add("1.1.1", "done", date(2015, 9, 1), completed_on=date(2015, 8, 28))
    ups.add("1.1", "done", date(2015, 9, 2))
    assert state_of(plan, ups, date(2015, 9, 3), "1.2") is State.WAITING
    assert run(plan, ups, date(2015, 9, 3)).items["1.2"].waiting_on == ("1.1",)
    ups.add("1.1.2", "cancelled", date(2015, 9, 4))  # cancelled counts as finished
    item = run(plan, ups, date(2015, 9, 4)).items["1.2"]
    assert item.due == CAL.add_working_days(date(2015, 9, 4), plan.reminders.dependency_lead_days)
    assert item.state in (State.ON_TRACK, State.DUE_SOON)


def test_dated_item_with_unfinished_dependency_stays_date_driven() -> None:
    plan = make_plan(
        act("1.1", ms("1.1.1", Q3), ms("1.1.2", quarter(2015, 4), depends_on=("1.1.1",)))
    )
    item = run(plan, Updates(), date(2016, 1, 4)).items["1.1.2"]
    assert (item.state, item.waiting_on) == (State.OVERDUE, ("1.1.1",))


def test_idem_below_a_dependent_row_waits_too() -> None:
    dep = dependent()
    plan = make_plan(
        act("1.1", ms("1.1.1", Q3)),
        act(
            "1.2",
            ms("1.2.1", dep, depends_on=("1.1.1",)),
            ms("1.2.2", idem(dep, "1.2.1"), depends_on=("1.1.1",)),
            # An ``idem`` the loader did not resolve: follow ``same_as``.
            ms("1.2.3", Period(PeriodKind.SAME_AS_ABOVE, "idem", same_as="1.2.2")),
        ),
    )
    result = run(plan, Updates(), date(2015, 8, 3))
    for item_id in ("1.2.2", "1.2.3"):
        item = result.items[item_id]
        assert (item.state, item.period_kind, item.waiting_on) == (
            State.WAITING,
            "dependent",
            ("1.1.1",),
        )


# --- stale -----------------------------------------------------------------------------------


def test_ongoing_item_goes_stale_without_updates() -> None:
    start = date(2016, 1, 4)
    plan = one_item(from_(start))
    limit = plan.reminders.stale_after_days
    before = run(plan, Updates(), CAL.add_working_days(start, limit - 1)).items["1.1.1"]
    assert not before.stale and before.rag is Rag.GREEN
    stale = run(plan, Updates(), CAL.add_working_days(start, limit)).items["1.1.1"]
    assert stale.stale and stale.rag is Rag.AMBER and stale.state is State.ONGOING
    ups = Updates()
    ups.add("1.1.1", "on_track", CAL.add_working_days(start, 5))
    fresh = run(plan, ups, CAL.add_working_days(start, limit)).items["1.1.1"]
    assert not fresh.stale and fresh.rag is Rag.GREEN
    assert run(plan, ups, CAL.add_working_days(start, limit + 5)).items["1.1.1"].stale


def test_not_started_or_not_yet_active_items_are_never_stale() -> None:
    plan = one_item(from_(date(2016, 1, 4)))
    assert not run(plan, Updates(), date(2015, 12, 31)).items["1.1.1"].stale
    dated = one_item()
    assert not run(dated, Updates(), date(2015, 1, 5)).items["1.1.1"].stale  # long before due


def test_stale_clock_starts_when_the_item_becomes_active() -> None:
    plan = one_item(first_prompt_days=40)
    ups = Updates()
    ups.add("1.1.1", "on_track", date(2015, 3, 2))  # months before the window opens
    opens = CAL.window_start(DUE, 40)
    assert not run(plan, ups, opens).items["1.1.1"].stale
    limit = plan.reminders.stale_after_days
    item = run(plan, ups, CAL.add_working_days(opens, limit)).items["1.1.1"]
    assert item.stale and item.state is State.DUE_SOON


def test_stale_turns_a_confirmed_due_soon_amber() -> None:
    plan = one_item(first_prompt_days=40)
    opens = CAL.window_start(DUE, 40)
    ups = Updates()
    ups.add("1.1.1", "on_track", opens)
    confirmed = run(plan, ups, CAL.add_working_days(opens, 1)).items["1.1.1"]
    assert (confirmed.state, confirmed.rag, confirmed.stale) == (State.DUE_SOON, Rag.GREEN, False)
    later = run(plan, ups, CAL.add_working_days(opens, 20)).items["1.1.1"]
    assert (later.state, later.rag, later.stale) == (State.DUE_SOON, Rag.AMBER, True)


def test_a_never_updated_ongoing_item_is_not_stale_on_regie_s_first_day() -> None:
    """Started long before Regie came in (walk49 1): the clock starts at its first assessment,
    and it is stale exactly ``stale_after_days`` working days after it."""
    plan = one_item(from_(date(2016, 1, 4)))
    limit = plan.reminders.stale_after_days
    came = date(2016, 9, 1)
    unlimited = run(plan, Updates(), came).items["1.1.1"]
    assert unlimited.stale and unlimited.first_assessed is None  # the rule without the days
    first = assess(plan, [], came, calendar=CAL, first_assessed={}).items["1.1.1"]
    assert not first.stale and first.rag is Rag.GREEN and first.first_assessed == came
    days = {"1.1.1": came}
    eve = CAL.add_working_days(came, limit - 1)
    assert not assess(plan, [], eve, calendar=CAL, first_assessed=days).items["1.1.1"].stale
    on = CAL.add_working_days(came, limit)
    item = assess(plan, [], on, calendar=CAL, first_assessed=days).items["1.1.1"]
    assert item.stale and item.rag is Rag.AMBER and item.first_assessed == came
    # Another item's day, or a stored day after as_of (a look back), is no start for this one.
    assert not assess(plan, [], on, calendar=CAL, first_assessed={"x": came}).items["1.1.1"].stale
    later = {"1.1.1": on + timedelta(days=30)}
    looked = assess(plan, [], on, calendar=CAL, first_assessed=later).items["1.1.1"]
    assert not looked.stale and looked.first_assessed == on


def test_an_update_before_regie_does_not_make_an_item_stale_earlier() -> None:
    plan = one_item(first_prompt_days=40)
    opens = CAL.window_start(DUE, 40)
    limit = plan.reminders.stale_after_days
    ups = Updates()
    ups.add("1.1.1", "on_track", opens)  # the owner's word, before Regie first asked
    came = CAL.add_working_days(opens, 10)
    days = {"1.1.1": came}
    # Without the days the item is stale 20 working days after the update; with them 20 after
    # the first assessment.
    at = CAL.add_working_days(opens, limit)
    assert run(plan, ups, at).items["1.1.1"].stale
    assert not assess(plan, ups.all, at, calendar=CAL, first_assessed=days).items["1.1.1"].stale
    on = CAL.add_working_days(came, limit)
    assert on <= DUE
    assert assess(plan, ups.all, on, calendar=CAL, first_assessed=days).items["1.1.1"].stale
    # A dated item never updated: no stale flag on the first day, inside its window or past it.
    overdue = assess(plan, [], DUE + timedelta(days=60), calendar=CAL, first_assessed={})
    assert not overdue.items["1.1.1"].stale and overdue.events[0].name != "regie.milestone.stale"
    assert [e.name for e in overdue.events] == ["regie.milestone.overdue"]


# --- events ----------------------------------------------------------------------------------


def test_first_run_records_every_initial_state_and_a_rerun_nothing() -> None:
    plan = make_plan(act("1.1", ms("1.1.1", Q3), ms("1.1.2", tbd()), period=on(date(2015, 7, 1))))
    first = run(plan, Updates(), date(2015, 8, 3))
    assert [(e.name, e.item_id) for e in first.events] == [
        ("regie.milestone.overdue", "1.1"),
        ("regie.milestone.stale", "1.1"),  # silent for 20+ working days since its window opened
        ("regie.milestone.on-track", "1.1.1"),
        ("regie.milestone.undated", "1.1.2"),
    ]
    assert all(e.payload.get("from") is None for e in first.events)
    again = run(plan, Updates(), date(2015, 8, 3), previous=first.states())
    assert again.events == []


def test_transition_events_carry_from_to_due_rag_gereed() -> None:
    plan = one_item()
    opens = CAL.window_start(DUE, plan.reminders.first_prompt_days)
    before = run(plan, Updates(), opens - timedelta(days=1))
    after = run(plan, Updates(), opens, previous=before.states())
    (event,) = after.events
    assert event.name == "regie.milestone.due-soon"
    assert event.payload == {
        "from": "on_track",
        "to": "due_soon",
        "due": "2015-09-30",
        "rag": "amber",
        "gereed": "Q3-2015",
    }
    assert event.resource_id == "regie.milestone.1.1.1"
    assert event.key == f"regie.milestone.due-soon:1.1.1:{opens.isoformat()}"


def test_slip_event_name_and_stale_event_when_the_flag_turns_on() -> None:
    plan = one_item(from_(date(2016, 1, 4)))
    limit = plan.reminders.stale_after_days
    day = CAL.add_working_days(date(2016, 1, 4), limit - 1)
    fresh = run(plan, Updates(), day)
    turned = run(
        plan,
        Updates(),
        CAL.add_working_days(day, 1),
        previous=fresh.states(),
        previous_stale=fresh.stale_ids(),
    )
    assert [e.name for e in turned.events] == ["regie.milestone.stale"]
    again = run(
        plan,
        Updates(),
        CAL.add_working_days(day, 2),
        previous=turned.states(),
        previous_stale=turned.stale_ids(),
    )
    assert again.events == []
    slipping = Updates()
    slipping.add("1.1.1", "at_risk", date(2015, 8, 3), forecast=date(2015, 12, 1))
    dated = one_item()
    names = [e.name for e in run(dated, slipping, date(2015, 8, 4)).events]
    assert names == ["regie.forecast.slipped"]


def test_status_updated_event() -> None:
    ups = Updates()
    update = ups.add("1.1.1", "on_track", date(2015, 8, 3), forecast=date(2015, 9, 1))
    event = status_updated(update)
    assert event.name == "regie.status.updated"
    assert event.payload["status"] == "on_track"
    assert event.payload["forecast"] == "2015-09-01"
    assert event.key == f"regie.status.updated:1.1.1:2015-08-03:{update.id}"


def test_states_and_counts() -> None:
    plan = make_plan(act("1.1", ms("1.1.1", Q3), ms("1.1.2", tbd()), ms("1.1.3", tbd())))
    result = run(plan, Updates(), date(2015, 8, 3))
    assert result.states() == {"1.1.1": "on_track", "1.1.2": "undated", "1.1.3": "undated"}
    counts = result.counts()
    assert counts["undated"] == 2 and counts["on_track"] == 1
    assert sum(counts.values()) == 3 and set(counts) == {s.value for s in State}


def test_a_waiting_item_judged_before_what_it_waits_on_takes_its_colour() -> None:
    """Results are made as items are judged; a waiting item's colour comes from what it waits
    on, which may be judged after it (here: later in the plan, through another waiting item)."""
    plan = make_plan(
        act(
            "1.1",
            ms("1.1.1", dependent(), depends_on=("1.1.2",)),  # waits on a waiting item
            ms("1.1.2", dependent(), depends_on=("1.2.1",)),
        ),
        act("1.2", ms("1.2.1", Q3)),  # judged last, red once overdue
    )
    on_time = run(plan, Updates(), date(2015, 8, 3)).items
    assert [on_time[i].rag for i in ("1.1.1", "1.1.2", "1.2.1")] == [Rag.GREEN] * 3
    late = run(plan, Updates(), date(2015, 10, 5))
    assert late.items["1.2.1"].rag is Rag.RED
    for item_id in ("1.1.1", "1.1.2"):
        assert (late.items[item_id].state, late.items[item_id].rag) == (State.WAITING, Rag.AMBER)
    assert list(late.items) == ["1.1.1", "1.1.2", "1.2.1"]  # plan order
    assert late.actions["1.1"] is Rag.AMBER


def test_judging_an_item_gives_its_result() -> None:
    """One object an item: the assessor makes the result while judging (no facts first)."""
    from governance.assessor import Assessor, ItemAssessment, PlanIndex

    plan = dependent_plan()
    index = PlanIndex(plan)
    assessor = Assessor(index, {}, {}, date(2015, 10, 5), CAL)
    late = assessor.judge(index.by_id["1.1.1"])
    assert isinstance(late, ItemAssessment)
    assert (late.state, late.rag) == (State.OVERDUE, Rag.RED)
    waiting = assessor.judge(index.by_id["1.2.1"])
    assert waiting.state is State.WAITING
    results = assessor.results()
    assert results["1.1.1"] is late  # not made again
    assert results["1.2.1"].rag is Rag.AMBER  # a waiting item's colour given once all are judged
