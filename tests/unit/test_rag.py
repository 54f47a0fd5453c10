"""RAG colours per item and the action / step / programme roll-ups."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from governance.assessment import State, assess
from governance.rag import (
    RED_SHARE_THRESHOLD,
    SLIP_RED_WORKING_DAYS,
    Rag,
    item_rag,
    rollup,
    worst,
)
from governance.updates import StatusUpdate, UpdateStatus
from governance.workdays import WorkCalendar
from tests.unit.planbuilder import (
    Updates,
    act,
    dependent,
    from_,
    make_plan,
    ms,
    on,
    quarter,
    tbd,
)

CAL = WorkCalendar("NL")
DUE = date(2015, 9, 30)


@pytest.mark.parametrize(
    ("state", "rag"),
    [
        (State.DONE, Rag.GREEN),
        (State.CANCELLED, Rag.GREY),
        (State.UNDATED, Rag.GREY),
        (State.ON_TRACK, Rag.GREEN),
        (State.DUE_SOON, Rag.AMBER),
        (State.AT_RISK, Rag.AMBER),
        (State.SLIPPED, Rag.AMBER),
        (State.OVERDUE, Rag.RED),
        (State.WAITING, Rag.GREEN),
        (State.ONGOING, Rag.GREEN),
    ],
)
def test_item_colour_per_state(state: State, rag: Rag) -> None:
    assert item_rag(state) is rag


def test_due_soon_is_green_only_when_confirmed_in_the_window() -> None:
    assert item_rag(State.DUE_SOON, confirmed_in_window=True) is Rag.GREEN
    assert item_rag(State.DUE_SOON, confirmed_in_window=False) is Rag.AMBER


def test_a_slip_of_more_than_a_quarter_is_red() -> None:
    assert item_rag(State.SLIPPED, slip_working_days=SLIP_RED_WORKING_DAYS) is Rag.AMBER
    assert item_rag(State.SLIPPED, slip_working_days=SLIP_RED_WORKING_DAYS + 1) is Rag.RED


def test_waiting_takes_amber_from_troubled_dependencies() -> None:
    assert item_rag(State.WAITING, waiting_on=[Rag.GREEN, Rag.GREY]) is Rag.GREEN
    assert item_rag(State.WAITING, waiting_on=[Rag.GREEN, Rag.RED]) is Rag.AMBER
    assert item_rag(State.WAITING, waiting_on=[Rag.AMBER]) is Rag.AMBER


def test_stale_downgrades_green_only() -> None:
    assert item_rag(State.ONGOING, stale=True) is Rag.AMBER
    assert item_rag(State.OVERDUE, stale=True) is Rag.RED
    assert item_rag(State.UNDATED, stale=True) is Rag.GREY


def test_action_rollup_is_the_worst_non_grey() -> None:
    assert worst([Rag.GREEN, Rag.GREY, Rag.AMBER]) is Rag.AMBER
    assert worst([Rag.GREEN, Rag.RED, Rag.AMBER]) is Rag.RED
    assert worst([Rag.GREY, Rag.GREEN]) is Rag.GREEN
    assert worst([Rag.GREY, Rag.GREY]) is Rag.GREY
    assert worst([]) is Rag.GREY


@given(st.lists(st.sampled_from(list(Rag)), max_size=30))
def test_step_rollup_red_share_threshold(rags: list[Rag]) -> None:
    judged = [r for r in rags if r is not Rag.GREY]
    reds = judged.count(Rag.RED)
    got = rollup(rags)
    if not judged:
        assert got is Rag.GREY
    elif reds >= RED_SHARE_THRESHOLD * len(judged):
        assert got is Rag.RED
    elif reds or Rag.AMBER in judged:
        assert got is Rag.AMBER
    else:
        assert got is Rag.GREEN


def test_one_red_in_three_actions_makes_the_step_red_but_not_in_four() -> None:
    assert rollup([Rag.RED, Rag.GREEN, Rag.GREEN]) is Rag.RED
    assert rollup([Rag.RED, Rag.GREEN, Rag.GREEN, Rag.GREEN]) is Rag.AMBER
    assert rollup([Rag.RED, Rag.GREEN, Rag.GREEN, Rag.GREY]) is Rag.RED  # grey is not counted


def test_assessment_rolls_items_up_to_actions_steps_and_programme() -> None:
    plan = make_plan(
        act("1.1", ms("1.1.1", on(date(2015, 6, 1))), ms("1.1.2", tbd())),  # overdue → red
        act("1.2", ms("1.2.1", quarter(2016, 4))),  # on track → green
        act("1.3", ms("1.3.1", quarter(2016, 4))),
        act("2.1", ms("2.1.1", tbd())),  # grey only
        act("3.1", ms("3.1.1", quarter(2016, 4)), ms("3.1.2", on(date(2015, 6, 1)))),
        act("3.2", ms("3.2.1", quarter(2016, 4))),
        act("3.3", ms("3.3.1", quarter(2016, 4))),
        act("3.4", ms("3.4.1", quarter(2016, 4))),
    )
    ups = Updates()
    ups.add("3.1.2", "done", date(2015, 5, 29))
    result = assess(plan, ups.all, date(2015, 8, 3), calendar=CAL)
    assert result.actions == {
        "1.1": Rag.RED,
        "1.2": Rag.GREEN,
        "1.3": Rag.GREEN,
        "2.1": Rag.GREY,
        "3.1": Rag.GREEN,
        "3.2": Rag.GREEN,
        "3.3": Rag.GREEN,
        "3.4": Rag.GREEN,
    }
    assert result.steps == {1: Rag.RED, 2: Rag.GREY, 3: Rag.GREEN}
    assert result.programme is Rag.AMBER  # one red among seven judged actions


# --- property: a date that has passed is never green unless done --------------------------------

PLAN = make_plan(
    act("1.1", ms("1.1.1", quarter(2015, 3)), ms("1.1.2", on(date(2015, 11, 16))), period=tbd()),
    act("1.2", ms("1.2.1", dependent(), depends_on=("1.1.1",)), ms("1.2.2", quarter(2016, 2))),
    act("2.1", period=from_(date(2016, 1, 1))),
    act("2.2", period=quarter(2015, 4), depends_on=("1.2",)),
)
ITEMS = [d.item_id for d in PLAN.deadlines()]
START = date(2015, 6, 1)


@st.composite
def updates(draw: st.DrawFn) -> list[StatusUpdate]:
    out = []
    for n in range(draw(st.integers(0, 12))):
        reported = START + timedelta(days=draw(st.integers(0, 500)))
        forecast = draw(st.none() | st.integers(-60, 300).map(lambda d: DUE + timedelta(days=d)))
        out.append(
            StatusUpdate(
                draw(st.sampled_from(ITEMS)),
                draw(st.sampled_from(list(UpdateStatus))),
                reported,
                forecast=forecast,
                id=n + 1,
            )
        )
    return out


@settings(max_examples=150, deadline=None)
@given(updates(), st.integers(0, 700))
def test_past_due_is_never_green_unless_done(ups: list[StatusUpdate], offset: int) -> None:
    as_of = START + timedelta(days=offset)
    result = assess(PLAN, ups, as_of, calendar=CAL)
    for item in result.items.values():
        if item.due is not None and as_of > item.due and item.state is not State.DONE:
            assert item.rag is not Rag.GREEN, item
        if item.state is State.OVERDUE:
            assert item.rag is Rag.RED
    for action_id, rag in result.actions.items():
        colours = [i.rag for i in result.items.values() if i.action_id == action_id]
        assert rag is worst(colours)
