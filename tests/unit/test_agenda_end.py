"""A pack made after the programme's end (governance.agenda_end, agenda layout 14): the day
boundary, what counts as still open with and without a date, which questions offer lapse, the
top line's wordings, and the *Statusronde* that leaves out the items no longer asked (end47,
review47 1, 3, 4)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from governance.agenda import DEFAULT_HORIZON, AgendaPack, DecisionAsked, ItemLine
from governance.agenda_end import closing_pack
from governance.agenda_round import RoundFacts, round_outcome
from governance.meetings import Meeting
from reports.render import asked_question, environment
from tests.unit.planbuilder import act, make_plan, ms, quarter

END = date(2025, 12, 31)


def _line(item_id: str, state: str, due: date | None) -> ItemLine:
    return ItemLine(
        item_id=item_id, step=1, action_id=item_id, action_title="A", title="T",
        owners=("GEM",), gereed=None, due=due, forecast=None, state=state, rag="red",
        stale=False, note=None, note_on=None, waiting_on=("1.1",) if state == "waiting" else (),
    )  # fmt: skip


ANNEX = (
    _line("1.1", "overdue", date(2025, 11, 30)),
    _line("1.2", "on_track", date(2026, 3, 31)),
    _line("1.3", "waiting", None),
    _line("1.4", "undated", None),
    _line("1.5", "done", date(2025, 6, 30)),
    _line("1.6", "cancelled", None),
)
ASKED = (
    DecisionAsked(ANNEX[0], "overdue"),
    DecisionAsked(ANNEX[2], "waiting", waiting_on=("1.1",)),
    DecisionAsked(ANNEX[3], "undated"),
    DecisionAsked(ANNEX[1], "red"),
)


def _pack(as_of: date) -> AgendaPack:
    return AgendaPack(
        programme_title="P", programme_short="P", body_id="sg", body_name="SG",
        meeting=Meeting("sg", date(2026, 1, 22)), previous=None, next=None, as_of=as_of,
        programme_rag="red", rag_counts={}, decisions=(), steps=(), asked=ASKED, ahead=(),
        annex=ANNEX, horizon=as_of,
    )  # fmt: skip


@pytest.mark.parametrize("end", [END, None])
def test_on_the_end_day_or_without_an_end_the_pack_is_unchanged(end: date | None) -> None:
    pack = _pack(END)
    assert closing_pack(pack, end) is pack


def test_the_day_after_the_end_counts_open_items_and_offers_lapse() -> None:
    pack = closing_pack(_pack(date(2026, 1, 1)), END)
    # Done and cancelled are not open; waiting (no date of its own) and Ntb count as undated.
    assert (pack.programme_ended, pack.still_open, pack.still_open_undated) == (END, 2, 2)
    marked = {a.item.item_id: a.after_end for a in pack.asked}
    assert marked == {"1.1": True, "1.3": True, "1.4": True, "1.2": False}
    assert [asked_question(a) for a in pack.asked] == [
        "Nieuwe datum vaststellen voor 1.1 of het punt laten vervallen?",
        "Termijn vaststellen voor 1.3, dat wacht op 1.1, of het punt laten vervallen?",
        "Datum vaststellen voor 1.4 of het punt laten vervallen?",
        "Maatregelen vaststellen voor 1.2?",
    ]


ENDED = "Het programma is op 31 december 2025 geëindigd; "
OWNERS = "; de eigenaren worden er niet meer naar gevraagd."


@pytest.mark.parametrize(
    ("dated", "undated", "line"),
    [
        (0, 0, "alle punten zijn gereed of vervallen."),
        (1, 0, "1 punt staat nog open."),
        (3, 0, "3 punten staan nog open."),
        (1, 1, "1 punt met een datum staat nog open. Daarnaast staat 1 punt zonder datum open"
         + OWNERS),
        (1234, 5, "1.234 punten met een datum staan nog open. Daarnaast staan 5 punten zonder "
         "datum open" + OWNERS),
        (0, 1, "alleen 1 punt zonder datum staat nog open" + OWNERS),
        (0, 2, "alleen 2 punten zonder datum staan nog open" + OWNERS),
    ],
)  # fmt: skip
def test_the_top_line_in_each_wording(dated: int, undated: int, line: str) -> None:
    macro = environment().get_template("_ended.j2").module.ended_line  # type: ignore[attr-defined]
    pack = SimpleNamespace(programme_ended=END, still_open=dated, still_open_undated=undated)
    assert str(macro(pack)) == ENDED + line


PLAN = make_plan(
    act("1.1", ms("1.1.1", quarter(2025, 4)), owners=("GEM",)),
    act("1.2", ms("1.2.1", quarter(2025, 4)), owners=("IPO",)),
)
ROUND = RoundFacts(1, "sg", date(2025, 12, 22), date(2026, 1, 9), date(2026, 1, 9))
LATE = RoundFacts(2, "sg", date(2026, 1, 5), date(2026, 1, 12), date(2026, 1, 12))


def test_an_answered_item_no_longer_asked_is_left_out_of_both_counts() -> None:
    requests = [("1.1.1", "GEM"), ("1.2.1", "IPO"), ("9.1", "GEM"), ("9.2", "IPO")]
    # 9.1 (answered) and 9.2 (not) have no deadline: after the end neither counts.
    outcome = round_outcome(PLAN, [(ROUND, requests, {"1.1.1", "9.1"})], date(2026, 1, 15))
    assert outcome is not None and (outcome.asked, outcome.answered) == (4, 2)
    left = round_outcome(
        PLAN, [(ROUND, requests, {"1.1.1", "9.1"})], date(2026, 1, 15), {"9.1", "9.2"}
    )
    assert left is not None and (left.asked, left.answered) == (2, 1)
    assert [i.item_id for i in left.unanswered] == ["1.2.1"]


def test_a_round_that_asked_only_items_no_longer_asked_is_still_said() -> None:
    rounds = [(ROUND, [("9.1", "GEM")], {"9.1"}), (LATE, [("1.1.1", "GEM")], set())]
    outcome = round_outcome(PLAN, rounds[:1], date(2026, 1, 15), {"9.1"})
    assert outcome is not None and (outcome.asked, outcome.answered) == (0, 0)
    summary = environment().get_template("_round.j2").module.round_summary  # type: ignore[attr-defined]
    assert str(summary(outcome)) == (
        "Gevraagd op 22 december 2025; na het einde van het programma wordt naar deze punten "
        "niet meer gevraagd."
    )
    # A round whose requests were all left out gives no dates (review47 12).
    both = round_outcome(PLAN, rounds, date(2026, 1, 15), {"9.1"})
    assert both is not None and (both.asked_on, both.asked) == (LATE.started_on, 1)
    assert round_outcome(PLAN, [(ROUND, [], set())], date(2026, 1, 15), {"9.1"}) is None


# Layout 15 (close48): the end ahead of the pack, and review47 7's words.
def _ahead(as_of: date, next_on: date | None, on: date = date(2025, 12, 11)) -> AgendaPack:
    """The pack of the meeting ``on``, its look-ahead as build_agenda sets it."""
    following = Meeting("sg", next_on) if next_on else None
    horizon = next_on or on + DEFAULT_HORIZON
    return replace(_pack(as_of), meeting=Meeting("sg", on), next=following, horizon=horizon)


def test_before_the_end_a_meeting_after_it_is_told_ahead_and_offered_lapse() -> None:
    pack = _pack(END)  # made on the end day, for the meeting of 22 January
    assert closing_pack(pack, END) is pack  # layout 14: nothing before the end
    ahead = closing_pack(pack, END, ahead=True)
    assert (ahead.programme_ended, ahead.programme_ends) == (None, END)
    assert not ahead.last_before_end
    assert (ahead.still_open, ahead.still_open_undated) == (2, 2)
    assert {a.item.item_id for a in ahead.asked if a.after_end} == {"1.1", "1.3", "1.4"}
    # After the end the past tense wins, whatever ``ahead`` says.
    after = closing_pack(_pack(date(2026, 1, 1)), END, ahead=True)
    assert (after.programme_ended, after.programme_ends) == (END, None)


@pytest.mark.parametrize(
    ("on", "next_on", "last"),
    [
        (date(2025, 12, 11), date(2026, 1, 22), True),  # the next one after the end
        (date(2025, 12, 11), END, False),
        (date(2025, 12, 11), date(2025, 12, 18), False),
        # None known (no schedule, or it stops before the end): the end within the look-ahead.
        (date(2025, 12, 11), None, True),
        (END - DEFAULT_HORIZON, None, True),
        (END - DEFAULT_HORIZON - timedelta(days=1), None, False),
        (date(2021, 3, 15), None, False),  # long before the end: says nothing (review48 1)
    ],
)
def test_the_last_meeting_before_the_end_says_so_without_lapse(
    on: date, next_on: date | None, last: bool
) -> None:
    """Last only when known: the next meeting is after the end, or none is known and the end
    falls within the pack's look-ahead. Else the pack says nothing of the end."""
    pack = closing_pack(_ahead(on - timedelta(days=7), next_on, on), END, ahead=True)
    assert pack.last_before_end is last
    assert pack.programme_ends == (END if last else None)
    assert (pack.still_open, pack.still_open_undated) == ((2, 2) if last else (0, 0))
    assert not any(a.after_end for a in pack.asked)  # the programme still runs
    unended = closing_pack(_ahead(on - timedelta(days=7), next_on, on), None, ahead=True)
    assert unended.programme_ends is None and not unended.last_before_end


NOT_ASKED = " wordt niet meer gevraagd."
ONE, MORE = "; naar het punt zonder datum" + NOT_ASKED, "; naar de punten zonder datum" + NOT_ASKED


@pytest.mark.parametrize(
    ("dated", "undated", "line"),
    [
        (0, 0, "alle punten zijn gereed of vervallen."),
        (1, 0, "1 punt staat nog open."),
        (1234, 0, "1.234 punten staan nog open."),
        (1, 1, "nog open staan 1 punt met datum en 1 punt zonder datum" + ONE),
        (3, 2, "nog open staan 3 punten met datum en 2 punten zonder datum" + MORE),
        (0, 1, "alleen 1 punt zonder datum staat nog open; daarnaar" + NOT_ASKED),
        (0, 2, "alleen 2 punten zonder datum staan nog open; daarnaar" + NOT_ASKED),
    ],
)  # fmt: skip
def test_the_top_line_of_layout_15_in_each_tense(dated: int, undated: int, line: str) -> None:
    macro = environment().get_template("_ended.j2").module.ended_line  # type: ignore[attr-defined]

    def said(**facts: object) -> str:
        base = {"programme_ended": None, "programme_ends": None, "last_before_end": False}
        pack = SimpleNamespace(**{**base, **facts}, still_open=dated, still_open_undated=undated)
        return str(macro(pack, True))

    assert said(programme_ended=END) == ENDED + line
    future = line.replace("wordt niet", "wordt na het einde niet")
    assert said(programme_ends=END) == "Het programma eindigt op 31 december 2025; " + future
    assert said(programme_ends=END, last_before_end=True) == (
        "Dit is de laatste vergadering voordat het programma op 31 december 2025 eindigt; " + future
    )


def test_the_routine_label_names_lapse_only_where_the_pack_offers_it() -> None:
    asked = environment().get_template("_asked.j2").module
    assert str(asked.weight_label("routine")) == "Routine: datum of termijn vaststellen"  # type: ignore[attr-defined]
    assert str(asked.weight_label("routine", True)) == (  # type: ignore[attr-defined]
        "Routine: datum of termijn vaststellen, of laten vervallen"
    )
    points = [SimpleNamespace(weight="routine")] * 2
    assert str(asked.asked_summary(points, ["routine"], True)) == (  # type: ignore[attr-defined]
        "2 punten ter besluitvorming: 2 routinepunten (datum of termijn vaststellen, of laten "
        "vervallen)."
    )
    assert str(asked.asked_summary(points, ["routine"])).endswith("(datum of termijn vaststellen).")  # type: ignore[attr-defined]


def test_an_escalations_question_has_no_brackets_of_its_own_in_layout_15() -> None:
    point = DecisionAsked(ANNEX[0], "escalated", "escalated", escalated_on=date(2025, 12, 1))
    assert asked_question(point) == (
        "Eigenaar aanspreken over 1.1 (escalatie van 1 december 2025 onbeantwoord)?"
    )
    assert asked_question(point, plain=True) == "Eigenaar van 1.1 aanspreken?"
