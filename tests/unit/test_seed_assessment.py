"""The seed programme assessed at fixed dates: the checks the engine issue names."""

from __future__ import annotations

from datetime import date

import pytest

from governance.assessment import Assessment, State, assess
from governance.plan import Plan
from governance.planfile.load import load_plan
from governance.rag import Rag
from governance.reminders import plan_reminders
from governance.updates import StatusUpdate, UpdateStatus
from tests.conftest import SEED_PLAN


@pytest.fixture(scope="module")
def plan() -> Plan:
    return load_plan(SEED_PLAN)


@pytest.fixture(scope="module")
def october(plan: Plan) -> Assessment:
    return assess(plan, [], date(2015, 10, 1))


@pytest.mark.parametrize("item", ["1.1.1", "2.2.1", "2.3.1"])
def test_past_quarters_are_overdue_on_1_october_2015(october: Assessment, item: str) -> None:
    assert october.items[item].state is State.OVERDUE
    assert october.items[item].rag is Rag.RED


def test_q1_2016_is_not_overdue(october: Assessment) -> None:
    item = october.items["1.1.2"]
    assert item.due == date(2016, 3, 31)
    assert item.state is State.ON_TRACK


def test_ntb_items_are_undated(october: Assessment, plan: Plan) -> None:
    action = plan.action("3.6")
    assert action is not None and action.milestones
    for m in action.milestones:
        assert october.items[m.id].state is State.UNDATED
        assert october.items[m.id].rag is Rag.GREY


def test_4_2_waits_on_1_2_1_and_4_3_follows_it(october: Assessment) -> None:
    assert october.items["4.2"].state is State.WAITING
    assert october.items["4.2"].waiting_on == ("1.2.1",)
    assert october.items["4.3"].state is State.WAITING


def test_4_2_and_4_3_get_their_date_from_the_overleg_1_2_1_alone(plan: Plan) -> None:
    """walk57a 2: 1.2.1 (the draagvlak overleg) done on 26-11-2015, the undated afsprakenkader
    1.2.2 still open: 4.2 and 4.3 no longer wait (they waited on all of 1.2 until 2018)."""
    done = [
        StatusUpdate(
            "1.2.1", UpdateStatus.DONE, date(2015, 11, 26), completed_on=date(2015, 11, 26)
        )
    ]
    result = assess(plan, done, date(2015, 12, 1))
    assert result.items["1.2.2"].state is not State.DONE
    for item_id in ("4.2", "4.3"):
        item = result.items[item_id]
        assert item.state is not State.WAITING and item.waiting_on == (), item_id
        assert item.due is not None and item.due > date(2015, 11, 26), item_id


def test_4_2_gets_a_date_once_1_2_is_done(plan: Plan) -> None:
    action = plan.action("1.2")
    assert action is not None
    done = [
        StatusUpdate(m.id, UpdateStatus.DONE, date(2016, 2, 1), completed_on=date(2016, 2, 1))
        for m in action.milestones
    ]
    result = assess(plan, done, date(2016, 2, 2))
    item = result.items["4.2"]
    assert item.state is not State.WAITING
    assert item.due is not None and item.due > date(2016, 2, 1)


def test_open_ended_items_are_ongoing(october: Assessment) -> None:
    assert october.items["2.2.2"].gereed == "2016 e.v"
    # Before 2016 it has not started; it is never overdue by date.
    assert october.items["2.2.2"].state is State.ONGOING


def test_done_item_gets_no_reminder(plan: Plan) -> None:
    day = date(2015, 10, 1)
    done = StatusUpdate("1.1.1", UpdateStatus.DONE, date(2015, 9, 28))
    result = assess(plan, [done], day)
    assert result.items["1.1.1"].state is State.DONE
    reminders = plan_reminders(plan, result, [], day)
    prompted = {i.item_id for d in reminders.digests for i in d.items}
    assert "1.1.1" not in prompted
    assert "2.2.1" in prompted  # still overdue, so its owner is asked


def test_one_digest_per_contact(plan: Plan, october: Assessment) -> None:
    reminders = plan_reminders(plan, october, [], date(2015, 10, 1))
    contacts = [d.contact_id for d in reminders.digests]
    assert len(contacts) == len(set(contacts))
    assert all(d.key.startswith("reminder:") for d in reminders.digests)


def test_prompt_questions_ask_for_the_stage_and_the_run_of_each_item(plan: Plan) -> None:
    """Per item not silent: the current stage unless an update on or after its start answered
    it, the run's escalation prefix (by the latest update's id, its day without one, or
    'none'), and that update's day: what :func:`current_stage` and :func:`escalation_run` say."""
    from governance.plan import ReminderPolicy
    from governance.reminders import current_stage, escalation_run, prompt_questions
    from governance.workdays import WorkCalendar

    day = date(2015, 12, 1)
    updates = [
        StatusUpdate("1.1.1", UpdateStatus.ON_TRACK, date(2015, 11, 30), id=7),
        StatusUpdate("2.2.1", UpdateStatus.AT_RISK, date(2015, 9, 1)),  # no id: its day
        StatusUpdate("1.1.1", UpdateStatus.DONE, date(2015, 10, 1), id=3),  # not the latest
    ]
    result = assess(plan, updates, day)
    cal = WorkCalendar.for_plan(plan)
    policy: ReminderPolicy = plan.reminders
    questions = prompt_questions(result, day, policy, cal, end=None)
    silent = {State.DONE, State.CANCELLED, State.UNDATED, State.WAITING}
    assert set(questions) == {i for i, a in result.items.items() if a.state not in silent}
    runs = {q.run for q in questions.values()}
    assert "escalation:1.1.1:7:" in runs and "escalation:2.2.1:2015-09-01:" in runs
    answered = 0
    for item_id, (stage, run, since, previous, previous_after, _, _) in questions.items():
        item = result.items[item_id]
        latest = item.latest_update
        assert run == escalation_run(item_id, latest)
        assert since == (None if latest is None else latest.reported_on)
        current = current_stage(item, day, policy, cal, end=None)
        if current is not None and latest is not None and latest.reported_on >= current.starts_on:
            assert stage is None
            answered += 1
        else:
            assert stage == (None if current is None else current.name)
            if current is not None:  # the stage before it, to leave it out after a late one
                assert (previous, previous_after) == (current.previous, current.previous_after)
    assert answered >= 1  # 1.1.1's update of the day before answered its stage
    assert any(q.stage for q in questions.values())
