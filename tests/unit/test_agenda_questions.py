"""Agenda layout 14 (walk46 11d, 11b–c): *eerder voorgelegd* counts the earlier packs that put
the same question about an item (:func:`governance.agenda_questions.by_question`), and the
words of a point's reason keep one level of brackets; page 1's lead-in agrees with its order."""

from __future__ import annotations

from datetime import date

from governance.agenda import DecisionAsked, ItemLine
from governance.agenda_questions import PackQuestions, QuestionHistory, by_question
from reports.render import environment

JAN, FEB, MAR = date(2027, 1, 14), date(2027, 2, 18), date(2027, 3, 18)
LINE = ItemLine(
    item_id="2.4", step=2, action_id="2.4", action_title="A", title="Toegankelijke formulieren",
    owners=("DV",), gereed="Q1-2027", due=date(2027, 3, 31), forecast=None, state="overdue",
    rag="red", stale=False, note=None, note_on=None, waiting_on=(),
)  # fmt: skip


def _never(on: date) -> bool:
    return False


def _old(layout: int) -> PackQuestions:
    """A pack that kept no reasons and asked additions (layout 12 on)."""
    return PackQuestions(None, layout, asked_additions=True)


def test_kept_reasons_count_the_same_question_only() -> None:
    history = QuestionHistory(
        {
            JAN: PackQuestions({"2.4": frozenset({"added"})}, 14),
            FEB: PackQuestions({"2.4": frozenset({"added", "overdue"})}, 14),
        },
        {},
    )
    assert by_question("2.4", "overdue", [JAN, FEB], history, _never) == ((FEB,), (JAN,))
    assert by_question("2.4", "added", [JAN, FEB], history, _never) == ((JAN, FEB), ())


def test_an_older_pack_is_worked_out_from_what_it_could_ask() -> None:
    """A layout-13 pack that listed an undecided addition asked it as one; another reason only
    when the data then had it. A layout-11 pack asked no additions: its listing was the data's."""
    history = QuestionHistory(
        {JAN: _old(13), FEB: _old(13), MAR: PackQuestions(None, 11)},
        {JAN: frozenset({"2.4"}), FEB: frozenset({"2.4"})},
    )
    late_in_feb = {FEB}.__contains__
    assert by_question("2.4", "overdue", [JAN, FEB, MAR], history, late_in_feb) == (
        (FEB, MAR),
        (JAN,),
    )
    assert by_question("2.4", "added", [JAN, FEB, MAR], history, _never) == ((JAN, FEB), (MAR,))
    # Not an undecided addition then: listed for what its data raised, as layouts up to 13 had it.
    plain = QuestionHistory({JAN: _old(13)}, {JAN: frozenset()})
    assert by_question("2.4", "overdue", [JAN], plain, _never) == ((JAN,), ())


def _why(a: DecisionAsked, words: bool) -> str:
    module = environment().get_template("_asked.j2").module
    return str(module.asked_why(a, "md", words))  # type: ignore[attr-defined]


def test_the_reason_has_one_level_of_brackets_and_says_which_question_came_before() -> None:
    added = DecisionAsked(LINE, "added", "choice", added_on=date(2026, 12, 6), earlier=(JAN,))
    assert _why(added, False) == (
        "nieuw in het plan zonder besluit (vastgelegd op 06-12-2026); eerder voorgelegd op "
        "14-01-2027 (2e keer op de agenda)"
    )  # layout 13, as archived
    assert _why(added, True) == (
        "nieuw in het plan zonder besluit, vastgelegd op 06-12-2026; voor de 2e keer "
        "voorgelegd, eerder op 14-01-2027"
    )
    late = DecisionAsked(
        LINE, "overdue", "again", late_since=date(2027, 3, 31), decided_gereed="Q1-2027",
        decided_on=JAN, earlier=(FEB,), earlier_other=(JAN,),
    )  # fmt: skip
    assert _why(late, True) == (
        "te laat sinds 31-03-2027; eerder besloten op 14-01-2027: Q1-2027, opnieuw niet "
        "gehaald; voor de 2e keer voorgelegd, eerder op 18-02-2027; eerder met een andere "
        "vraag op de agenda op 14-01-2027"
    )
    assert "(" not in _why(late, True)


def test_page_one_introduces_its_points_heaviest_first() -> None:
    module = environment().get_template("_asked.j2").module
    intro = module.first_points_intro  # type: ignore[attr-defined]
    escalated = DecisionAsked(LINE, "escalated", "escalated")
    choice = DecisionAsked(LINE, "added", "choice")
    routine = DecisionAsked(LINE, "overdue", "routine")
    assert str(intro([escalated, choice], [escalated, choice], 25)) == (
        "De vergadering besluit erover onder agendapunt 4. Hieronder alle punten, de zwaarste "
        "eerst:"
    )
    # Page 1 stops at the limit: not "alle punten" then (review47b 2).
    assert str(intro([escalated, choice], [escalated, choice], 1)) == (
        "De vergadering besluit erover onder agendapunt 4. Hieronder de zwaarste punten eerst:"
    )
    assert str(intro([escalated, routine], [escalated], 25)) == (
        "De vergadering besluit erover onder agendapunt 4. Hieronder de punten die meer vragen "
        "dan een routinebesluit, de zwaarste eerst:"
    )
    assert str(intro([routine], [])) == "De vergadering besluit erover onder agendapunt 4."
