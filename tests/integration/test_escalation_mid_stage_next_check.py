"""The next check of an item whose run escalates while its overdue stage runs, through the real
daily cycle (:mod:`regie.daily`) on both databases (perf55b; review55c 3).

On the escalation's first run the facts do not yet say the run escalated, so the cycle reads
who was prompted about the item (:func:`governance.escalated_today.contacts_wanted`). The first
run, a full rerun that day and a full run the next day must store the same next check: the
first stage the back-off prompts (the stages it leaves out are no checks), or, when a contact
joined before the escalation, the next stage (their hand-over), as without the skip."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from governance.plan import Contact, Plan
from governance.workdays import WorkCalendar
from regie.bootstrap import App
from regie.cycle import deadline_check
from store import Repository
from tests.integration.test_cycle import make_app
from tests.unit.planbuilder import act, contact, make_plan, ms, policy, quarter

CAL = WorkCalendar("NL")
ITEM = "1.1.1"
DUE = date(2025, 3, 31)
RULES = policy(escalate_after_unanswered=0, unanswered_grace_days=7)
EVERY = RULES.overdue_every_days
STAGES = {n: CAL.add_working_days(DUE, n * EVERY) for n in range(40, 46)}
# Prompted on overdue-40's first day (asked first), then 7 working days of grace: the run
# escalates two working days into overdue-41, prompted on its first day (on record by then).
ESCALATES = CAL.add_working_days(STAGES[41], 2)


def _plan(bob: bool) -> Plan:
    people: tuple[Contact, ...] = (contact("ann", "IenM"), contact("po", "Bureau", office=True))
    if bob:
        people += (contact("bob", "IenM"),)
    return make_plan(act("1.1", ms(ITEM, quarter(2025, 1))), contacts=people, reminders=RULES)


def _next_check(app: App) -> date:
    with app.engine.connect() as conn:
        value = conn.execute(
            sa.text("SELECT next_check FROM item_memory WHERE item_code = :c"), {"c": ITEM}
        ).scalar_one()
    return date.fromisoformat(str(value))


def _escalated_on(app: App, day: date) -> bool:
    with app.session() as session:
        history = Repository(session, "test").prompt_history(day)
    return any(p.is_escalation and p.item_id == ITEM and p.queued_on == day for p in history)


@pytest.mark.parametrize(
    ("joins", "expected"),
    [(None, 44), (1, 42)],
    ids=["settled", "contact-added-before-the-escalation"],
)
def test_the_escalation_days_runs_and_the_next_day_store_one_next_check(
    tmp_path: Path, database_url: str, joins: int | None, expected: int
) -> None:
    """Without a new contact the back-off leaves out overdue-42 and -43 for ann: overdue-44,
    the next prompted stage, is the next check from the escalation's first run on. With bob
    joining a working day into overdue-41 (before the escalation, never prompted) overdue-42
    is his hand-over and stays the next check."""
    app = make_app(tmp_path, database_url)
    added = None if joins is None else CAL.add_working_days(STAGES[41], joins)
    for day in CAL.working_days_in(STAGES[40], ESCALATES):
        report = deadline_check(app, day, plan=_plan(added is not None and day >= added))
    assert report.incremental  # the escalation day's first run: the incremental path
    assert _escalated_on(app, ESCALATES)
    plan = _plan(added is not None)
    first = _next_check(app)
    rerun = deadline_check(app, ESCALATES, plan=plan, full_assessment=True)
    assert not rerun.incremental
    rerun_check = _next_check(app)
    nextday = CAL.add_working_days(ESCALATES, 1)
    later = deadline_check(app, nextday, plan=plan, full_assessment=True)
    assert not later.incremental
    assert (first, rerun_check, _next_check(app)) == (STAGES[expected],) * 3
