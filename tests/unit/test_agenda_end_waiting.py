"""The top line around the programme's end counts the items waiting on a predecessor apart
(agenda layout 20, walk55d 2): they are asked again once it is done, unlike the items without a
date; and an undated item whose predecessor was cancelled says so in its question (walk55d 1)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from governance.agenda import DecisionAsked
from governance.agenda_end import closing_pack
from reports.render import asked_question, asked_reason, environment
from tests.unit.test_agenda_end import ANNEX, END, _pack

ENDED = "Het programma is op 31 december 2025 geëindigd; "
AGAIN = "op een voorganger; daarnaar wordt gevraagd zodra de voorganger gereed is."
NOT_ASKED = " wordt niet meer gevraagd."


def test_the_waiting_items_are_counted_among_the_undated_and_apart() -> None:
    pack = closing_pack(_pack(date(2026, 1, 1)), END)
    assert (pack.still_open, pack.still_open_undated, pack.still_open_waiting) == (2, 2, 1)


@pytest.mark.parametrize(
    ("dated", "undated", "waiting", "line"),
    [
        (5, 6, 2, "nog open staan 5 punten met datum en 4 punten zonder datum; naar de punten "
         "zonder datum" + NOT_ASKED + " Daarnaast wachten 2 punten " + AGAIN),
        (1, 2, 1, "nog open staan 1 punt met datum en 1 punt zonder datum; naar het punt "
         "zonder datum" + NOT_ASKED + " Daarnaast wacht 1 punt " + AGAIN),
        (3, 1, 1, "3 punten staan nog open. Daarnaast wacht 1 punt " + AGAIN),
        (0, 3, 1, "alleen 2 punten zonder datum staan nog open; daarnaar" + NOT_ASKED
         + " Daarnaast wacht 1 punt " + AGAIN),
        (0, 2, 2, "alleen 2 punten wachten nog " + AGAIN),
        (0, 1, 1, "alleen 1 punt wacht nog " + AGAIN),
        (2, 3, 0, "nog open staan 2 punten met datum en 3 punten zonder datum; naar de punten "
         "zonder datum" + NOT_ASKED),
    ],
)  # fmt: skip
def test_the_top_line_of_layout_20_counts_the_waiting_items_apart(
    dated: int, undated: int, waiting: int, line: str
) -> None:
    macro = environment().get_template("_ended.j2").module.ended_line  # type: ignore[attr-defined]
    facts = {"programme_ends": None, "last_before_end": False}
    pack = SimpleNamespace(
        **facts, programme_ended=END, still_open=dated, still_open_undated=undated,
        still_open_waiting=waiting,
    )  # fmt: skip
    assert str(macro(pack, True, True)) == ENDED + line
    # Layout 15 to 19: the waiting items among those no longer asked, as archived.
    old = str(macro(pack, True))
    assert "voorganger" not in old and (undated == 0 or "zonder datum" in old)


def test_an_undated_item_whose_predecessor_was_cancelled_says_so() -> None:
    undated = ANNEX[3]
    one = DecisionAsked(undated, "undated", cancelled_predecessors=("2.4",))
    assert asked_question(one) == "Datum vaststellen voor 1.4, nu voorganger 2.4 is vervallen?"
    assert asked_reason(one) == "voorganger vervallen"
    two = DecisionAsked(undated, "undated", cancelled_predecessors=("2.3", "2.4"), after_end=True)
    assert asked_question(two, True) == (
        "Datum vaststellen voor 1.4, nu voorgangers 2.3, 2.4 zijn vervallen, of het punt "
        "laten vervallen?"
    )
    assert asked_reason(two) == "voorgangers vervallen"
    # Without a cancelled predecessor (and in every layout before 20): as before.
    assert asked_question(DecisionAsked(undated, "undated")) == "Datum vaststellen voor 1.4?"
