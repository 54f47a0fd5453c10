"""Regie adopted mid-programme (review "newprog", finding 6), through the daily deadline check on
both databases: the first day asks the owners and escalates nothing; the overdue items still
unanswered escalate once the owners' grace (``unanswered_grace_days``) has passed, each day
equal to a full assessment. Prompts a replay recorded count as asked."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from governance.planfile.load import load_plan
from governance.workdays import WorkCalendar
from regie.cycle import deadline_check
from regie.history import replay
from store import Repository
from tests.conftest import SEED_PLAN
from tests.integration.test_cycle import make_app
from tests.integration.test_daily import _assert_day_is_full_assessment

CAL = WorkCalendar("NL")
ADOPTED = date(2016, 11, 1)  # most of the seed's items are long overdue by then


def _escalations(app: object, pid: str, until: date) -> list[tuple[date, str, str]]:
    with app.session() as session:  # type: ignore[attr-defined]
        history = Repository(session, pid).prompt_history(until)
    return sorted(
        {(p.queued_on, p.item_id, p.stage.rpartition(":")[2]) for p in history if p.is_escalation}
    )


def test_the_first_day_asks_and_the_overdue_escalate_after_the_grace(
    tmp_path: Path, database_url: str
) -> None:
    app = make_app(tmp_path, database_url)
    seed = load_plan(SEED_PLAN)
    pid = seed.programme.id
    grace = seed.reminders.unanswered_grace_days
    days = [CAL.add_working_days(ADOPTED, n) for n in range(grace + 2)]
    first = None
    for day in days:
        report = deadline_check(app, day, plan=seed)
        _assert_day_is_full_assessment(app, report, seed, day)
        if day == ADOPTED:
            first = report
    assert first is not None
    with app.session() as session:
        asked = {
            p.item_id for p in Repository(session, pid).prompt_history(ADOPTED)
            if not p.is_escalation and p.stage.startswith("overdue-")
        }  # fmt: skip
    assert len(asked) > 10  # the overdue items were asked about on the first day
    raised = _escalations(app, pid, days[-1])
    assert raised, "the overdue items still unanswered escalate"
    on = CAL.add_working_days(ADOPTED, grace)
    assert {d for d, _, _ in raised} == {on}  # none on the first day: after the grace
    assert {i for _, i, k in raised if k == "overdue"} == asked


def test_prompts_a_replay_recorded_count_as_asked(tmp_path: Path, database_url: str) -> None:
    """The office replays the day the owners were asked (outside Regie): the first live day,
    the grace after those prompts having passed, escalates the overdue items at once."""
    app = make_app(tmp_path, database_url)
    seed = load_plan(SEED_PLAN)
    pid = seed.programme.id
    asked_on = CAL.add_working_days(ADOPTED, -(seed.reminders.unanswered_grace_days + 1))
    replay(app, asked_on, asked_on)
    assert _escalations(app, pid, asked_on) == []  # the replayed day asked, nothing more
    report = deadline_check(app, ADOPTED, plan=seed)
    _assert_day_is_full_assessment(app, report, seed, ADOPTED)
    raised = _escalations(app, pid, ADOPTED)
    assert raised and {d for d, _, _ in raised} == {ADOPTED}
    with app.session() as session:
        statuses = {
            o.status for o in Repository(session, pid).outbox() if o.kind == "escalation_digest"
        }
    assert statuses == {"pending"}  # the live day's escalations go out
