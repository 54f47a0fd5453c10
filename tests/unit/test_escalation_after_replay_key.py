"""fix57b: the key of a live escalation of a run only `regie replay` had escalated, read back as
its kind; and a replayed day's memory is made under another basis than a live day's."""

from __future__ import annotations

from datetime import date

from benchmarks.synthetic import build_plan
from governance.assessment import assess
from governance.incremental import basis
from governance.reminders import AFTER_REPLAY, PromptFacts, escalation_kind
from governance.reminders.escalations import Quiet, escalation_for
from governance.stage_keys import stage_parts
from governance.workdays import WorkCalendar

DAY = date(2016, 3, 1)


def test_a_run_escalated_only_by_a_replay_escalates_under_a_key_of_its_own() -> None:
    plan = build_plan(300, seed=2015)
    cal = WorkCalendar.for_plan(plan)
    result = assess(plan, [], DAY, calendar=cal)
    policy, end = plan.reminders, plan.programme.end
    pairs = []
    for item in result.items.values():
        plain = escalation_for(item, PromptFacts(asked_on=date(2015, 1, 5)), policy, ("po",),
                               Quiet(DAY, cal), end=end)  # fmt: skip
        again = escalation_for(item, PromptFacts(asked_on=date(2015, 1, 5), replayed=True),
                               policy, ("po",), Quiet(DAY, cal), end=end)  # fmt: skip
        assert (plain is None) == (again is None), item.item_id
        if plain is not None and again is not None:
            pairs.append((plain, again))
    assert pairs  # overdue items escalate on that day
    for plain, again in pairs:
        assert again.key == f"{plain.key}{AFTER_REPLAY}"
        assert (again.kind, again.reason) == (plain.kind, plain.reason)  # the same words
        assert escalation_kind(again.key) == escalation_kind(plain.key) == plain.kind
        assert stage_parts(again.key).escalation == plain.kind


def test_a_replayed_day_and_a_live_day_have_other_bases() -> None:
    plan = build_plan(20, seed=1)
    cal = WorkCalendar.for_plan(plan)
    assert basis(plan, cal, replaying=True) != basis(plan, cal)
    assert basis(plan, cal, replaying=False) == basis(plan, cal)
