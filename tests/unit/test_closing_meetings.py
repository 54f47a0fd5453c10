"""A closing meeting after the programme's end (end46): a date listed under ``dates`` after the
end is held, a rule stops at the end, one-off meetings after it stay without stretching the
rule; where the plan file gives them, for `plan validate`'s warnings; no round question about
an item without a deadline once the programme has ended; the round notice's wording."""

from __future__ import annotations

from datetime import date

from governance.meetings import (
    Frequency,
    Meeting,
    MeetingRule,
    MeetingSchedule,
    meeting_days_off,
    schedule_meetings,
)
from governance.planfile import parse_plan
from governance.programme_end import (
    asked_no_longer,
    closing_meetings,
    no_longer_asked,
    rule_past_end,
)
from governance.rag import State
from notifications.render import environment
from tests.unit.test_incremental import _item
from tests.unit.test_meetings import _with_meetings

START, END = date(2025, 9, 1), date(2025, 12, 31)
#: The second Thursday of each month from September, the rule's 'until' in March.
RULE = MeetingRule(Frequency.MONTH, START, weekday=3, nth=2, until=date(2026, 3, 31))


def test_a_listed_date_after_the_end_is_held_and_the_rule_stops_at_the_end() -> None:
    schedule = MeetingSchedule(dates=(date(2025, 10, 1), date(2026, 1, 22)), rule=RULE)
    found = schedule_meetings("sg", schedule, [], START, END)
    assert [m.on for m in found] == [
        date(2025, 9, 11), date(2025, 10, 1), date(2025, 10, 9), date(2025, 11, 13),
        date(2025, 12, 11), date(2026, 1, 22),
    ]  # fmt: skip
    assert closing_meetings(schedule, END) == [date(2026, 1, 22)]
    assert rule_past_end(RULE, END) == [date(2026, 1, 8), date(2026, 2, 12), date(2026, 3, 12)]


def test_a_one_off_meeting_after_the_end_does_not_stretch_the_rule() -> None:
    """A one-off meeting in March once made the rule run on to it (8 January, 12 February)."""
    schedule = MeetingSchedule(rule=MeetingRule(Frequency.MONTH, START, weekday=3, nth=2))
    extra = [Meeting("sg", date(2026, 3, 5), source="db"), Meeting("sg", date(2025, 8, 1))]
    found = schedule_meetings("sg", schedule, extra, START, END)
    assert [m.on for m in found][-2:] == [date(2025, 12, 11), date(2026, 3, 5)]


def test_what_a_rule_would_give_after_the_end() -> None:
    no_until = MeetingRule(Frequency.MONTH, START, weekday=3, nth=2)
    assert rule_past_end(no_until, END) == []  # the end is its end, as meant
    assert rule_past_end(RULE, date(2026, 3, 31)) == []
    # 'except' skips one; an 'until' after the end that gives nothing more is no loss.
    skipping = MeetingRule(
        Frequency.MONTH, START, weekday=3, nth=2, until=date(2026, 2, 28),
        exceptions=(date(2026, 1, 8),),
    )  # fmt: skip
    assert rule_past_end(skipping, END) == [date(2026, 2, 12)]
    short = MeetingRule(Frequency.MONTH, START, weekday=3, nth=2, until=date(2026, 1, 7))
    assert rule_past_end(short, END) == []


def test_a_closing_meeting_on_a_day_off_is_refused_like_any_other() -> None:
    saturday = MeetingSchedule(dates=(date(2026, 1, 24),))
    found = meeting_days_off([saturday], lambda d: d.weekday() < 5, START, END)
    assert found == [
        (("governance", 0, "meetings", "dates"), "meeting date 2026-01-24 is a Saturday, not a "
         "working day"),
    ]  # fmt: skip


def test_the_parser_keeps_where_the_dates_and_the_until_stand() -> None:
    block = (
        "    meetings:\n"
        "      dates: [2016-02-02, 2016-03-01,\n"
        "              2016-02-02]\n"
        "      rule: {every: month, day: 15, start: 2016-04-01,\n"
        "             until: 2016-06-30}\n"
    )
    text = _with_meetings(block)
    plan = parse_plan(text, "plan.yaml")
    schedule = next(b.meetings for b in plan.governance if b.meetings and b.meetings.dates)
    assert schedule.rule is not None
    lines = text.splitlines()
    first = next(n for n, x in enumerate(lines, 1) if "dates: [2016-02-02" in x)
    # A date listed twice: its first place.
    assert schedule.dates_at == ((date(2016, 2, 2), (first, 15)), (date(2016, 3, 1), (first, 27)))
    assert schedule.rule.until_at == (first + 3, 21)
    # Places are no part of the schedule: the same plan elsewhere in the file is equal.
    assert schedule == MeetingSchedule(
        dates=schedule.dates, rule=schedule.rule, pack_days=5, request_days=10
    )


def test_after_the_end_an_item_without_a_deadline_is_no_longer_asked() -> None:
    undated, dated = _item(due=None), _item(due=date(2026, 1, 30))
    assert not no_longer_asked(undated, END, END)  # the last day still belongs to it
    assert no_longer_asked(undated, END, date(2026, 1, 2))
    assert not no_longer_asked(dated, END, date(2026, 1, 2))
    assert not no_longer_asked(undated, None, date(2040, 1, 2))  # no end: never


def test_the_ids_no_longer_asked_on_a_day() -> None:
    """One rule for a round's chase and a pack's *Statusronde* (review47 8)."""
    items = {
        "1.1": _item(item_id="1.1", due=None),
        "1.2": _item(item_id="1.2", due=date(2026, 1, 30)),
        "1.3": _item(item_id="1.3", due=None, state=State.WAITING),
    }
    assert asked_no_longer(items, END, date(2026, 1, 2)) == {"1.1", "1.3"}
    assert asked_no_longer(items, END, END) == frozenset()
    assert asked_no_longer(items, None, date(2040, 1, 2)) == frozenset()


def test_a_round_left_without_a_meeting_says_so_in_plain_dutch() -> None:
    macro = environment().get_template("round_moved.j2").module.round_moved  # type: ignore[attr-defined]
    gone = {"answer_by": "2026-01-15", "before": "2026-01-22", "after": None, "following": None}
    assert str(macro(gone)) == (
        "De statusronde met antwoorden vóór 15 januari 2026 was voor de vergadering van "
        "22 januari 2026; er staat geen vergadering meer gepland. De datum voor antwoorden "
        "blijft 15 januari 2026."
    )
    subject = environment().get_template("round_meeting_changed.subject.j2")
    text = subject.render(
        programme={"short_title": "Eind"}, body={"name": "Stuurgroep"},
        round={"answer_by": date(2026, 1, 15), "before": date(2026, 1, 22), "after": None,
               "following": None},
    )  # fmt: skip
    assert text.strip() == (
        "[Eind] Statusronde Stuurgroep: er staat geen vergadering meer gepland, antwoord vóór "
        "15 januari 2026"
    )


def test_a_round_left_without_a_meeting_names_the_next_meeting_that_gets_its_own_round() -> None:
    """cancel46: with a later meeting that gets a round of its own, the text does not claim that
    no meeting is planned any more."""
    macro = environment().get_template("round_moved.j2").module.round_moved  # type: ignore[attr-defined]
    gone = {"answer_by": "2026-01-15", "before": "2026-01-22", "after": None,
            "following": "2026-03-05"}  # fmt: skip
    text = str(macro(gone))
    assert "geen vergadering meer gepland" not in text
    assert text == (
        "De statusronde met antwoorden vóór 15 januari 2026 was voor de vergadering van "
        "22 januari 2026 en hoort nu bij geen vergadering meer. Voor de vergadering van "
        "donderdag 5 maart 2026 volgt een eigen statusronde. De datum voor antwoorden "
        "blijft 15 januari 2026."
    )
    subject = environment().get_template("round_meeting_changed.subject.j2").render(
        programme={"short_title": "Eind"}, body={"name": "Stuurgroep"},
        round={"answer_by": date(2026, 1, 15), "before": date(2026, 1, 22), "after": None,
               "following": date(2026, 3, 5)},
    )  # fmt: skip
    assert subject.strip() == (
        "[Eind] Statusronde Stuurgroep: vergadering van 22 januari gaat niet door, antwoord "
        "nog steeds vóór 15 januari 2026"
    )
