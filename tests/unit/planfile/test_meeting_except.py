"""A meeting rule's `except` dates must be dates the rule gives (docs/plan-schema.md, "Meetings"):
a mistyped one skipped nothing and left the meeting in place."""

from __future__ import annotations

from datetime import date

from governance.meetings import Frequency, MeetingRule
from tests.unit.planfile.plantext import plan, plan_text, problems

# The reviewer's Programmaraad: the first Thursday of every other month from January 2026.
_RULE = (
    "[{{id: raad, name: Raad, purpose: P, meetings: {{rule: {{every: month, interval: 2, "
    "weekday: donderdag, nth: 1, start: 2026-01-01, until: 2028-12-31, except: [{dates}]}}}}}}]"
)


def _body(dates: str) -> str:
    return plan_text(governance=_RULE.format(dates=dates))


def test_an_except_date_the_rule_does_not_give_names_the_nearest_it_does() -> None:
    text = _body("2027-07-02")  # meant: Thursday 1 July
    column = text.splitlines()[3].index("2027-07-02") + 1
    assert problems(text) == [
        f"plan.yaml:4:{column}: 'except' Friday 2027-07-02 is not a meeting the rule gives, so it "
        "skips nothing (the nearest it gives is Thursday 2027-07-01)"
    ]


def test_the_nearest_is_one_not_skipped_already_and_outside_the_term_is_refused_too() -> None:
    # 2027-07-01 is skipped already: the nearest other is 6 May (58 days; 2 September is 61).
    [found] = problems(_body("2027-07-01, 2027-07-03"))
    assert found.endswith("(the nearest it gives is Thursday 2027-05-06)")
    [before] = problems(_body("2025-12-04"))  # a Thursday, before the rule's start
    assert before.endswith("(the nearest it gives is Thursday 2026-01-01)")
    [after] = problems(_body("2029-01-04"))  # after its until
    assert after.endswith("(the nearest it gives is Thursday 2028-11-02)")


def test_dates_the_rule_gives_may_be_skipped() -> None:
    p = plan(_body("2026-01-01, 2027-05-06"))
    rule = p.governance[0].meetings.rule if p.governance[0].meetings else None
    assert rule is not None and rule.exceptions == (date(2026, 1, 1), date(2027, 5, 6))
    assert date(2026, 1, 1) not in list(rule.dates(date(2026, 1, 1), date(2026, 12, 31)))


def test_an_invalid_rule_is_not_asked_about_its_exceptions() -> None:
    text = plan_text(
        governance="[{id: raad, name: Raad, purpose: P, meetings: {rule: {every: month, "
        "interval: 0, start: 2026-01-01, except: [2026-01-02]}}}]"
    )
    assert [p.split(": ", 1)[1] for p in problems(text)] == ["'interval' must be 1–24, not 0"]


def test_gives_and_nearest() -> None:
    weekly = MeetingRule(Frequency.WEEK, date(2016, 1, 6), weekday=0, interval=2)
    assert weekly.gives(date(2016, 1, 11)) and not weekly.gives(date(2016, 1, 18))
    assert weekly.nearest(date(2016, 1, 18)) == date(2016, 1, 11)  # the earlier of two as near
    assert weekly.nearest(date(2016, 1, 20)) == date(2016, 1, 25)
    no_31st = MeetingRule(Frequency.MONTH, date(2016, 2, 1), day=31, until=date(2016, 2, 29))
    assert not no_31st.gives(date(2016, 2, 29)) and no_31st.nearest(date(2016, 2, 29)) is None
    yearly = MeetingRule(Frequency.YEAR, date(2015, 6, 1), weekday=3, nth=1, interval=24)
    assert yearly.nearest(date(2030, 1, 1)) == date(2039, 6, 2)
