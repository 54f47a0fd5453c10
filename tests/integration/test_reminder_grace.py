"""An owner's time to answer and a forecast followed up, through the daily deadline check on
both databases (review "owner", findings 5 and 6): the second prompt on Christmas Eve does not
escalate on the first day back, and a forecast gets its own prompt and escalates for being late
only ``escalate_after_overdue_days`` after it lapses. Each day equals a full assessment."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from governance.planfile.load import load_plan
from governance.updates import StatusUpdate, UpdateStatus
from governance.workdays import WorkCalendar
from regie.cycle import deadline_check, send_reminders
from store import Repository
from tests.conftest import SEED_PLAN
from tests.integration.test_cycle import make_app
from tests.integration.test_daily import _assert_day_is_full_assessment

FORECAST = date(2016, 1, 29)


def test_grace_after_the_last_prompt_and_a_forecast_followed_up(
    tmp_path: Path, database_url: str
) -> None:
    app = make_app(tmp_path, database_url)
    seed = load_plan(SEED_PLAN)
    pid = seed.programme.id
    cal = WorkCalendar("NL")
    # The reviewer's days: weekly, then Christmas Eve, then every working day.
    days = [date(2015, 12, 4), date(2015, 12, 11), date(2015, 12, 18), date(2015, 12, 21)]
    days += [date(2015, 12, 24), *cal.working_days_in(date(2015, 12, 28), date(2016, 2, 19))]
    for day in days:
        report = deadline_check(app, day, plan=seed)
        _assert_day_is_full_assessment(app, report, seed, day)
        send_reminders(app)  # delivered: a silent owner, not a mail fault (walk32b 2)
        if day == date(2015, 12, 4):  # 1.1.1 (due 30 September) slips to a forecast
            with app.session() as session:
                Repository(session, pid).add_status_update(
                    StatusUpdate(
                        "1.1.1", UpdateStatus.ON_TRACK, day, forecast=FORECAST,
                        author="ienm", source="web",
                        recorded_at=datetime.combine(day, time(14), UTC),
                    )
                )  # fmt: skip
                session.commit()
    with app.session() as session:
        history = Repository(session, pid).prompt_history(days[-1])
    mine = [(p.queued_on, p.stage) for p in history if p.item_id == "3.1.1"]
    assert (date(2015, 12, 24), "second@2015-12-31") in mine
    raised = [(d, s.rpartition(":")[2]) for d, s in mine if s.startswith("escalation:")]
    # The prompts before the due date count for no escalation (walk32b 2): the owner's
    # five working days after the overdue-1 prompt of 8 January end on 15 January (1 January
    # off), the day 3.1.1 is 10 working days overdue too; every reminder delivered, lateness
    # outranks unanswered.
    assert (date(2015, 12, 31), "due@2015-12-31") in mine
    assert (date(2016, 1, 8), "overdue-1@2015-12-31") in mine
    assert raised[:1] == [(date(2016, 1, 15), "overdue")]
    late = sorted({(p.queued_on, p.stage) for p in history if p.item_id == "1.1.1"})
    after = [(d, s) for d, s in late if d > date(2015, 12, 4)]
    assert after[0] == (FORECAST, "due@2016-01-29")
    assert [(d, s.rpartition(":")[2]) for d, s in after if s.startswith("escalation:")] == [
        (cal.add_working_days(FORECAST, 10), "overdue")
    ]
    assert cal.add_working_days(FORECAST, 10) - timedelta(days=1) > FORECAST
