"""plan_reminders_from hands escalation_for each item's PromptQuestion.asked_about, so an
overdue item's silence is worked out once a day (in prompt_questions), not twice: the
escalation (kind, reason with its words on a passed forecast, key) is the one worked out
without it, for every item of a synthetic programme on days across its life, with its owner
asked long ago, never, and just now."""

from __future__ import annotations

from datetime import date

import pytest

from benchmarks.synthetic import build_plan, generate_updates
from governance.assessment import assess
from governance.reminders import PromptFacts, prompt_questions
from governance.reminders.escalations import Quiet, escalation_for
from governance.updates import StatusUpdate, UpdateStatus
from governance.workdays import WorkCalendar


@pytest.mark.parametrize("day", [date(2016, 3, 1), date(2017, 6, 12), date(2019, 10, 1)])
def test_the_silence_from_the_question_gives_the_same_escalations(day: date) -> None:
    plan = build_plan(600, seed=2015)
    cal = WorkCalendar.for_plan(plan)
    history = [
        StatusUpdate(r.item_code, UpdateStatus(r.status), r.reported_on, r.forecast,
                     r.completed_on, r.comment, r.author, r.source, r.recorded_at, n)
        for n, r in enumerate(generate_updates(plan, 4_000, seed=2020), 1)
    ]  # fmt: skip
    result = assess(plan, history, day, calendar=cal)
    policy, end = plan.reminders, plan.programme.end
    questions = prompt_questions(result, day, policy, cal, end=end)
    office = ("po",)
    kinds: set[str] = set()
    for asked_on in (date(2015, 1, 5), None, day):
        known = PromptFacts(asked_on=asked_on)
        quiet = Quiet(day, cal)
        for item_id, question in questions.items():
            item = result.items[item_id]
            before = escalation_for(item, known, policy, office, Quiet(day, cal), end=end)
            now = escalation_for(
                item, known, policy, office, quiet, end=end, asked_about=question.asked_about
            )
            assert now == before, item_id
            if now is not None:
                kinds.add(now.kind)
    assert "overdue" in kinds  # the case the silence decides is there
