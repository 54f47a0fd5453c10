"""governance.follow_up joins the rules that decide who is silent (the cycle's unanswered
requests, an open round, the pack's open escalation) into one row per item, without deciding
anything again."""

from __future__ import annotations

from datetime import date

from governance.follow_up import RoundAsk, chases, sorted_chases
from governance.workdays import WorkCalendar

CAL = WorkCalendar("NL")
AS_OF = date(2015, 12, 14)  # a Monday
OWNERS = {"1.2": ("B",), "1.10": ("A",), "2.1": ("A",), "3.1": ("C",)}
ROUND = RoundAsk(4, "stuurgroep", date(2015, 12, 9), date(2015, 12, 11))


def _rows() -> list:
    return chases(
        AS_OF,
        CAL,
        OWNERS,
        {"1.2": ["b2", "b1"], "1.10": ["a"], "2.1": ["a"]},
        {"1.2": {"due@2015-11-30": date(2015, 11, 30), "overdue-1@2015-11-30": date(2015, 12, 7)}},
        {"1.10": [ROUND]},
        {"2.1": date(2015, 12, 10), "gone": date(2015, 12, 1)},
        [
            ("2.1", date(2015, 12, 1), ("old-office",)),  # an earlier run's, answered since
            ("2.1", date(2015, 12, 10), ("office",)),
            ("2.1", date(2015, 12, 11), ("deputy",)),
        ],
    )


def test_each_rule_gives_its_part_of_one_row_per_item_in_the_plans_order() -> None:
    rows = {r.item_id: r for r in _rows()}
    assert list(rows) == ["1.2", "1.10", "2.1"]  # not "gone" (no longer in the plan), nor 3.1
    two = rows["1.2"]
    assert (two.asked_since, two.last_asked, two.reminders, two.requests) == (
        date(2015, 11, 30), date(2015, 12, 7), 2, 2,
    )  # fmt: skip
    assert two.contacts == ("b1", "b2") and two.waiting_days == 10 and two.escalated_on is None
    ten = rows["1.10"]
    assert (ten.asked_since, ten.reminders, ten.rounds, ten.waiting_days) == (
        ROUND.started_on, 0, (ROUND,), 3,
    )  # fmt: skip
    # Escalated with no request left on record: waiting since the escalation, which reached
    # the office and, a day later, the deputy; the earlier run's escalation is not this one.
    one = rows["2.1"]
    assert (one.asked_since, one.escalated_on, one.escalated_to) == (
        date(2015, 12, 10), date(2015, 12, 10), ("deputy", "office"),
    )  # fmt: skip
    assert one.waiting_days == 2


def test_the_sorts() -> None:
    rows = _rows()
    assert [r.item_id for r in sorted_chases(rows, "dagen", {})] == ["1.2", "1.10", "2.1"]
    by_owner = sorted_chases(rows, "eigenaar", {"A": "Zeta", "B": "Alpha"})
    assert [r.item_id for r in by_owner] == ["1.2", "1.10", "2.1"]  # Alpha, then Zeta's longest
    assert [r.item_id for r in sorted_chases(rows, "nummer", {})] == ["1.2", "1.10", "2.1"]
    by_id = sorted_chases(rows, "eigenaar", {})
    assert [r.item_id for r in by_id] == ["1.10", "2.1", "1.2"]  # A before B
