"""After the programme's end (walk32b 7): an item without a deadline (open-ended, periodic) is
no longer asked about each quarter, while a late item is still chased and an item due after
the end still asked about its deadline; the incremental path agrees with the full one across
the end."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from governance.plan import Plan
from governance.workdays import WorkCalendar
from tests.unit.planbuilder import act, contact, from_, make_plan, ms, on, recurring
from tests.unit.test_incremental import World, every_day, replay
from tests.unit.test_reminders import escalations, prompts, simulate, working

END = date(2025, 12, 31)


def _plan(end: date | None = END) -> Plan:
    plan = make_plan(
        act("1.1", ms("1.1.1", from_(date(2025, 1, 1), "2025 e.v."))),
        act("1.2", ms("1.2.1", recurring())),
        act("2.1", ms("2.1.1", on(date(2025, 11, 14)))),  # late at the end
        act("2.2", ms("2.2.1", on(date(2026, 2, 13)))),  # due after the end
        contacts=(contact("ann", "IenM"), contact("po", "Bureau", office=True)),
        start=date(2025, 1, 1),
    )
    return replace(plan, programme=replace(plan.programme, end=end))


def test_after_the_end_no_quarterly_prompts_but_deadlines_are_still_asked() -> None:
    results = simulate(_plan(), [], working(date(2025, 9, 1), date(2026, 6, 30)))
    asked = prompts(results)
    ongoing = [(d, i, s) for d, i, s in asked if i in ("1.1.1", "1.2.1")]
    # The quarters of the programme, none after its end (Q1 and Q2 2026 would follow).
    assert [(i, s) for _, i, s in ongoing] == [
        ("1.1.1", "periodic-2025Q3"), ("1.2.1", "periodic-2025Q3"),
        ("1.1.1", "periodic-2025Q4"), ("1.2.1", "periodic-2025Q4"),
    ], ongoing  # fmt: skip
    after = [(i, s.partition("@")[0]) for d, i, s in asked if d > END]
    assert any(i == "2.1.1" and s.startswith("overdue-") for i, s in after), after
    assert {s for i, s in after if i == "2.2.1"} >= {"first", "second", "due"}
    assert {k for _, k, _ in escalations(results)} >= {"escalation:2.1.1:none:overdue"}


def test_without_an_end_the_quarterly_prompts_go_on() -> None:
    results = simulate(_plan(None), [], working(date(2025, 9, 1), date(2026, 6, 30)))
    stages = [s for _, i, s in prompts(results) if i == "1.1.1"]
    assert stages == [f"periodic-{q}" for q in ("2025Q3", "2025Q4", "2026Q1", "2026Q2")]


def test_replay_across_the_end_incremental_equals_full() -> None:
    plan, cal = _plan(date(2025, 11, 20)), WorkCalendar("NL")  # the end mid-quarter
    replay(World(lambda _: plan, lambda _: cal, []), every_day(date(2025, 9, 1), date(2026, 5, 1)))


def test_after_the_end_unanswered_quarterly_prompts_do_not_escalate() -> None:
    """round45 3: the two quarterly prompts of 1.1.1 and 1.2.1 before the end went unanswered;
    the owner's grace runs out after it. Those items are no longer asked about, so they are not
    escalated as unanswered either; the late dated 2.1.1 still is. Without an end they are."""
    end = date(2025, 10, 3)  # Q4's prompt on 1 October, its grace ends after the end
    days = working(date(2025, 9, 1), date(2026, 3, 31))
    results = simulate(_plan(end), [], days)
    asked = [d for d, i, _ in prompts(results) if i in ("1.1.1", "1.2.1")]
    assert len(asked) == 4 and max(asked) <= end
    keys = {k for _, k, _ in escalations(results)}
    assert not {k for k in keys if k.startswith(("escalation:1.1.1:", "escalation:1.2.1:"))}, keys
    assert "escalation:2.1.1:none:overdue" in keys
    going_on = {k for _, k, _ in escalations(simulate(_plan(None), [], days))}
    assert "escalation:1.1.1:none:unanswered" in going_on


def test_replay_past_the_end_with_unanswered_prompts_incremental_equals_full() -> None:
    plan, cal = _plan(date(2025, 10, 3)), WorkCalendar("NL")
    replay(World(lambda _: plan, lambda _: cal, []), every_day(date(2025, 9, 1), date(2026, 1, 31)))
