"""A meeting rule's `every` in Dutch too (as `weekday` is), and a body whose `dates` and
`rule` are both wrong gets those two problems, not a third saying to give them."""

from __future__ import annotations

import pytest

from governance.meetings import Frequency
from governance.planfile import PlanInvalid, parse_plan
from tests.conftest import SEED_PLAN

KNOCK_ON = "give 'dates', a 'rule', or both"


def _with_meetings(block: str) -> str:
    text = SEED_PLAN.read_text(encoding="utf-8")
    anchor = '    source: "H3 Stap 2"\n  # An existing body'
    assert anchor in text
    return text.replace(anchor, '    source: "H3 Stap 2"\n' + block + "  # An existing body")


@pytest.mark.parametrize(
    ("word", "frequency"),
    [
        ("week", Frequency.WEEK),
        ("maand", Frequency.MONTH),
        ("kwartaal", Frequency.QUARTER),
        ("jaar", Frequency.YEAR),
        ("Maand", Frequency.MONTH),
        ("quarter", Frequency.QUARTER),
    ],
)
def test_every_takes_dutch_and_english_units(word: str, frequency: Frequency) -> None:
    block = f"    meetings: {{rule: {{every: {word}, weekday: dinsdag, start: 2016-01-05}}}}\n"
    plan = parse_plan(_with_meetings(block), "plan.yaml")
    rules = [b.meetings.rule for b in plan.governance if b.meetings and b.meetings.rule]
    assert frequency in [r.every for r in rules]


def test_an_unknown_every_names_both_languages_and_the_nearest() -> None:
    block = "    meetings: {rule: {every: maandelijks, start: 2016-01-05}}\n"
    with pytest.raises(PlanInvalid) as exc:
        parse_plan(_with_meetings(block), "plan.yaml")
    message = next(p.message for p in exc.value.problems if "'every'" in p.message)
    assert "(Dutch: week, maand, kwartaal, jaar)" in message
    assert "did you mean 'maand'?" in message


@pytest.mark.parametrize(
    "block",
    [
        "    meetings: {dates: [2016-13-01], rule: {every: fortnight, start: 2016-01-05}}\n",
        "    meetings: {dates: 2016-01-05, rule: {every: month}}\n",
        "    meetings: {rule: {every: fortnight, start: 2016-01-05}}\n",
        "    meetings: {rule: [every month]}\n",
    ],
)
def test_wrong_dates_and_rule_are_reported_without_a_knock_on(block: str) -> None:
    with pytest.raises(PlanInvalid) as exc:
        parse_plan(_with_meetings(block), "plan.yaml")
    messages = [p.message for p in exc.value.problems]
    assert messages and not any(KNOCK_ON in m for m in messages), messages


@pytest.mark.parametrize(
    "block", ["    meetings: {location: Utrecht}\n", "    meetings: {dates: [], rule: null}\n"]
)
def test_meetings_with_neither_dates_nor_a_rule_are_told_to_give_them(block: str) -> None:
    with pytest.raises(PlanInvalid) as exc:
        parse_plan(_with_meetings(block), "plan.yaml")
    assert any(KNOCK_ON in p.message for p in exc.value.problems)
