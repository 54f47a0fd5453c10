"""Every number in the plan has a range (docs/plan-schema.md, "Numbers and their ranges"): the
values at each end pass, the next ones out are one `PATH:LINE:COL` problem naming the range."""

from __future__ import annotations

from datetime import date

import pytest

from governance.plan import ReminderPolicy
from tests.unit.planfile.plantext import plan, plan_text, problems

# Line numbers of plan_text's sections with these arguments: reminders is line 3 (after schema
# and programme), governance line 4 (after organisations), steps line 4 alone.
_BODY = "[{{id: sg, name: SG, purpose: P, meetings: {meetings}}}]"
_DATES = "dates: [2016-02-02]"
_RULE = "{{every: month, start: 2016-01-01, {rule}}}"


def _reminders(text: str) -> str:
    return plan_text(reminders=f"{{{text}}}")


def _meetings(text: str) -> str:
    return plan_text(governance=_BODY.format(meetings=f"{{{text}}}"))


def _rule(text: str) -> str:
    return _meetings("rule: " + _RULE.format(rule=text))


def _indicator(text: str) -> str:
    indicator = f"{{id: i, name: N, unit: '%', source: S, {text}}}"
    return plan_text(goals=f"[{{id: G, text: T, indicators: [{indicator}]}}]")


def _step(number: str) -> str:
    return plan_text(f'[{{number: {number}, title: S, actions: [{{id: "{number}.1", title: A, '
                     "owners: [IenM]}]}]")  # fmt: skip


def _programme(key: str, value: str) -> str:
    return plan_text(programme=f"{{id: p, title: P, {key}: {value}}}")


# (name, plan text for a value, values that pass, values refused, the range in the message)
CASES = [
    *[
        (
            name,
            lambda v, name=name, first=first: _reminders(f"{first}{name}: {v}"),
            [low, high],
            [low - 1, high + 1],
            f"'{name}' must be {low}–{high} {unit}",
        )
        for name, low, high, unit, first in [
            ("first_prompt_days", 0, 366, "working days", "second_prompt_days: 0, "),
            # the second prompt comes after the first: at most first_prompt_days
            ("second_prompt_days", 0, 366, "working days", "first_prompt_days: 366, "),
            ("overdue_every_days", 0, 366, "working days", ""),
            ("after_escalation_every_days", 0, 366, "working days", ""),
            ("escalate_after_unanswered", 0, 99, "prompts", ""),
            ("unanswered_grace_days", 0, 366, "working days", ""),
            ("escalate_after_overdue_days", 0, 366, "working days", ""),
            ("open_ended_every_months", 1, 12, "months", ""),
            ("stale_after_days", 1, 366, "working days", ""),
            ("dependency_lead_days", 0, 366, "working days", ""),
            ("new_date_max_years", 1, 100, "years", ""),
        ]
    ],
    ("pack_days", lambda v: _meetings(f"{_DATES}, pack_days: {v}, request_days: 366"),
     [1, 365], [0, 366], "'pack_days' must be 1–365 working days"),
    ("request_days", lambda v: _meetings(f"{_DATES}, pack_days: 1, request_days: {v}"),
     [2, 366], [1, 367], "'request_days' must be 2–366 working days"),
    ("duration", lambda v: _meetings(f"{_DATES}, duration: {v}"),
     [1, 1440], [0, 1441], "'duration' must be 1–1440 minutes"),
    ("interval", lambda v: _rule(f"interval: {v}"), [1, 24], [0, 25], "'interval' must be 1–24"),
    ("day", lambda v: _rule(f"day: {v}"), [1, 31], [0, 32], "'day' must be 1–31"),
    ("nth", lambda v: _rule(f"weekday: dinsdag, nth: {v}"), [-1, 1, 4], [-2, 0, 5],
     "'nth' must be 1, 2, 3, 4 or -1 (the last)"),
    ("step number", lambda v: _step(str(v)), [1, 999], [0, 1000], "'number' must be 1–999"),
    ("feed_keep_done_months",
     lambda v: plan_text(calendar=f"{{feed_keep_done_months: {v}}}"),
     [0, 1200], [-1, 1201], "'feed_keep_done_months' must be 0–1200 months (0: gone once done)"),
    ("season month",
     lambda v: plan_text(calendar=f"{{seasons: {{zomer: {{start_month: {v}, end_month: 8}}}}}}"),
     [1, 12], [0, 13], "start_month of season 'zomer' must be 1–12"),
    ("target", lambda v: _indicator(f"target: {v}"),
     ["999999999999999", "-999999999999999.9"], ["1000000000000000", "-1e15"],
     "'target' must be a number between -10^15 and 10^15"),
    ("baseline", lambda v: _indicator(f"target: 1, baseline: {v}"),
     ["1e14", "-0.5", "0x1F"], ["1e400", ".inf", "-.inf", "1" * 5000, "0x" + "f" * 300],
     "'baseline' must be a number between -10^15 and 10^15"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "inside", "outside", "message"),
    [pytest.param(text, inside, outside, message, id=name) for name, text, inside, outside, message
     in CASES],
)  # fmt: skip
def test_values_at_the_ends_of_a_range_pass_and_the_next_ones_out_are_refused(
    text: object, inside: list[object], outside: list[object], message: str
) -> None:
    assert callable(text)
    for value in inside:
        plan(text(value))  # no PlanInvalid
    for value in outside:
        found = problems(text(value))
        assert len(found) == 1, found
        assert message in found[0] and found[0].startswith("plan.yaml:"), found[0]
        assert found[0].split(":")[1] != "0"  # a line, not the whole file


def test_how_far_ahead_a_new_date_may_lie_is_read_from_the_plan() -> None:
    """``reminders.new_date_max_years``: the cap on an overdue item's new date (default 2)."""
    assert plan(_reminders("new_date_max_years: 5")).reminders.new_date_max_years == 5
    assert plan(plan_text()).reminders.new_date_max_years == ReminderPolicy().new_date_max_years
    assert ReminderPolicy().new_date_max_years == 2


def test_the_reviewers_huge_numbers_are_refused_where_they_are_written() -> None:
    """The values that passed `plan validate` and then broke `regie cycle` and `status`."""
    assert problems(
        _reminders(
            "first_prompt_days: 100000000000000000000000, stale_after_days: 5000000, "
            "open_ended_every_months: 1000000"
        )
    ) == [
        "plan.yaml:3:32: 'first_prompt_days' must be 0–366 working days (0: from the due date),"
        " not 100000000000000000000000",
        "plan.yaml:3:76: 'stale_after_days' must be 1–366 working days, not 5000000",
        "plan.yaml:3:110: 'open_ended_every_months' must be 1–12 months, not 1000000",
    ]
    assert problems(_rule("interval: 100000000000000000000")) == [
        "plan.yaml:4:106: 'interval' must be 1–24, not 100000000000000000000"
    ]
    assert problems(_step("30000000000000000000000000")) == [
        "plan.yaml:4:18: 'number' must be 1–999, not 30000000000000000000000000"
    ]


def test_a_step_part_of_5000_digits_in_an_action_id_is_a_problem_not_a_crash() -> None:
    big = "1" * 5000
    text = plan_text(f'[{{number: 1, title: S, actions: [{{id: "{big}.1", title: A, '
                     "owners: [IenM]}]}]")  # fmt: skip
    too_long, other_step = problems(text)
    assert too_long.endswith("is 5002 characters long: at most 64")
    assert other_step.endswith("is under step 1: it must start with '1.'")


def test_zero_where_it_has_no_meaning_is_refused() -> None:
    """0 used to pass: open_ended_every_months acted as 1, stale_after_days made every active
    item stale at once, a pack_days of 0 was never sent, a request_days of 0 never asked."""
    assert problems(_reminders("open_ended_every_months: 0, stale_after_days: 0")) == [
        "plan.yaml:3:38: 'open_ended_every_months' must be 1–12 months, not 0",
        "plan.yaml:3:59: 'stale_after_days' must be 1–366 working days, not 0",
    ]
    assert [p.split(": ", 1)[1] for p in problems(_meetings(f"{_DATES}, pack_days: 0"))] == [
        "'pack_days' must be 1–365 working days, not 0"
    ]
    assert [p.split(": ", 1)[1] for p in problems(_meetings(f"{_DATES}, request_days: 0"))] == [
        "'request_days' must be 2–366 working days, not 0"
    ]


def test_zero_where_it_means_something_passes() -> None:
    zeros = (
        "first_prompt_days: 0, second_prompt_days: 0, overdue_every_days: 0, "
        "escalate_after_unanswered: 0, escalate_after_overdue_days: 0, dependency_lead_days: 0, "
        "after_escalation_every_days: 0, unanswered_grace_days: 0"
    )
    assert plan(_reminders(zeros)).reminders == ReminderPolicy(
        first_prompt_days=0,
        second_prompt_days=0,
        overdue_every_days=0,
        after_escalation_every_days=0,
        escalate_after_unanswered=0,
        unanswered_grace_days=0,
        escalate_after_overdue_days=0,
        dependency_lead_days=0,
    )


def test_the_second_prompt_may_not_come_before_the_first() -> None:
    assert problems(_reminders("first_prompt_days: 3, second_prompt_days: 4")) == [
        "plan.yaml:3:55: 'second_prompt_days' 4 is more than 'first_prompt_days' 3: the second "
        "prompt comes closer to the due date than the first"
    ]
    assert problems(_reminders("first_prompt_days: 3")) == [
        "plan.yaml:3:32: 'second_prompt_days' (5, the default) is more than 'first_prompt_days' "
        "3: the second prompt comes closer to the due date than the first"
    ]
    assert plan(_reminders("first_prompt_days: 4, second_prompt_days: 4")).reminders == (
        ReminderPolicy(first_prompt_days=4, second_prompt_days=4)
    )
    # One refused value is reported alone, not compared with the other.
    assert len(problems(_reminders("first_prompt_days: 1000, second_prompt_days: 20"))) == 1


def test_the_round_needs_request_days_before_pack_day() -> None:
    assert [p.split(": ", 1)[1] for p in problems(_meetings(f"{_DATES}, request_days: 5"))] == [
        "'request_days' 5 must be more than 'pack_days' (5, the default): owners are asked for "
        "an update from request day until the pack goes out"
    ]
    found = problems(_meetings(f"{_DATES}, pack_days: 12"))
    assert [p.split(": ", 1)[1] for p in found] == [
        "'request_days' (10, the default) must be more than 'pack_days' 12: owners are asked for "
        "an update from request day until the pack goes out"
    ]
    assert found[0].startswith("plan.yaml:4:88:")  # at pack_days, the one written
    schedule = plan(_meetings(f"{_DATES}, pack_days: 1, request_days: 2")).governance[0].meetings
    assert schedule is not None and (schedule.pack_days, schedule.request_days) == (1, 2)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (_programme("start", "1899-12-31"), "'start'"),
        (_programme("end", "2200-01-01"), "'end'"),
        (_meetings("dates: [2016-02-02, 2200-01-06]"), "each date in 'dates'"),
        (_rule("until: 9999-12-31"), "'until'"),
        (_indicator("target: 1, target_date: 1000-01-01"), "'target_date'"),
    ],
)
def test_dates_lie_in_the_years_a_gereed_may_name(text: str, where: str) -> None:
    [found] = problems(text)
    assert f"{where}: year out of range 1900–2199: '" in found


def test_the_first_and_last_years_pass() -> None:
    p = plan(_programme("start", "1900-01-01, end: 2199-12-31"))
    assert (p.programme.start, p.programme.end) == (date(1900, 1, 1), date(2199, 12, 31))


def _ids(n: int) -> dict[str, str]:
    """Plan texts with one id of ``n`` characters each."""
    word = "x" * n
    action = "1." + "1" * (n - 2)
    milestone = "1.1." + "1" * (n - 4)
    indicator = f"{{id: {word}, name: N, unit: '%', source: S, target: 1}}"
    return {
        "programme": plan_text(programme=f"{{id: {word}, title: P}}"),
        "organisation": plan_text(organisations=f"[{{id: {word}, name: O}}]"),
        "contact": plan_text(contacts=f"[{{id: {word}, name: C, organisation: IenM}}]"),
        "governance body": plan_text(governance=f"[{{id: {word}, name: B, purpose: P}}]"),
        "goal": plan_text(goals=f"[{{id: {word}, text: T}}]"),
        "report": plan_text(reports=f"[{{id: {word}, title: R, recipient: TK}}]"),
        "indicator": plan_text(goals=f"[{{id: G, text: T, indicators: [{indicator}]}}]"),
        "action": plan_text(f'[{{number: 1, title: S, actions: [{{id: "{action}", title: A, '
                            "owners: [IenM]}]}]"),
        "milestone": plan_text(f'[{{number: 1, title: S, actions: [{{id: "1.1", title: A, '
                               f'owners: [IenM], milestones: [{{id: "{milestone}", '
                               "title: M}]}]}]"),
    }  # fmt: skip


@pytest.mark.parametrize("kind", list(_ids(64)))
def test_ids_are_at_most_64_characters(kind: str) -> None:
    """The database keeps ids in 64 characters: a longer one passed validation and then made
    `regie cycle` fail on PostgreSQL ("value too long for type character varying(64)")."""
    plan(_ids(64)[kind])
    [found] = problems(_ids(65)[kind])
    message = found.split(": ", 1)[1]
    assert message.startswith(f"{kind} id '") and message.endswith(
        "…' is 65 characters long: at most 64"
    ), message


def test_the_feed_setting_and_the_example_flag_are_read() -> None:
    assert plan(plan_text()).calendar.feed_keep_done_months == 12  # the default
    assert (
        plan(plan_text(calendar="{feed_keep_done_months: 3}")).calendar.feed_keep_done_months == 3
    )
    sample = plan(_meetings(f"{_DATES}, example: true")).governance[0].meetings
    assert sample is not None and sample.example
    real = plan(_meetings(_DATES)).governance[0].meetings
    assert real is not None and not real.example
    assert problems(_meetings(f"{_DATES}, example: ja"))[0].startswith("plan.yaml:4:")
