"""Agenda layout 19's words (walk54b 3, 6, 8) where the goldens do not reach: the promise of an
item that had no date, a gereed with Markdown in it, two risks counted, a late point's deadline;
each macro keeps the older layouts' words when its switch is off."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from governance.agenda import DecisionAsked, ItemLine, SinceEntry, SinceLast
from reports.render import environment

LINE = ItemLine(
    item_id="1.2", step=1, action_id="1.2", action_title="A", title="Inpassingsplan",
    owners=("PGLD",), gereed="29 januari 2027", due=date(2027, 1, 29), forecast=None,
    state="on_track", rag="green", stale=False, note=None, note_on=None, waiting_on=(),
)  # fmt: skip


def _macro(template: str, name: str):  # type: ignore[no-untyped-def]
    return getattr(environment().get_template(template).module, name)


@pytest.mark.parametrize(
    ("template", "promised", "gereed", "shown"),
    [
        ("_macros.html.j2", None, "29 januari 2027", "29 januari 2027"),
        ("_macros.html.j2", "16 december 2026", "29 januari 2027",
         "16 december 2026, in het plan zonder besluit gewijzigd in 29 januari 2027"),
        ("_macros.html.j2", "", "29 januari 2027",
         "geen datum, in het plan zonder besluit gewijzigd in 29 januari 2027"),
        ("_macros.md.j2", "Q1|2027", "Q2-2027",
         "Q1\\|2027, in het plan zonder besluit gewijzigd in Q2-2027"),
        ("_macros.md.j2", None, "Q2|2027", "Q2\\|2027"),
    ],
)  # fmt: skip
def test_the_gereed_cell_shows_an_undecided_move_with_its_promise(
    template: str, promised: str | None, gereed: str, shown: str
) -> None:
    promise = _macro(template, "promise")
    assert str(promise(replace(LINE, promised=promised, gereed=gereed))) == shown


def test_a_late_point_names_the_deadline_that_passed_from_layout_19() -> None:
    why = _macro("_asked.j2", "asked_why")
    late = DecisionAsked(replace(LINE, state="overdue"), "overdue", late_since=date(2026, 12, 15))
    assert str(why(late, "md", True, True)) == "te laat: deadline 15-12-2026 verstreken"
    assert str(why(late, "md", True, False)) == "te laat sinds 15-12-2026"  # layouts 14-18
    escalated = replace(late, reason="escalated", late_since=date(2026, 12, 23))
    assert str(why(escalated, "md", True, True)) == "escalatie onbeantwoord sinds 23-12-2026"


@pytest.mark.parametrize(
    ("risks", "by_owner", "words"),
    [
        (1, True, "1 nieuw risico of verschuiving door de eigenaar gemeld"),
        (2, True, "2 nieuw risico of verschuiving door de eigenaren gemeld"),
        (1, False, "1 nieuw risico of verschuiving gemeld"),
    ],
)
def test_the_worse_count_says_the_owners_reported_it(
    risks: int, by_owner: bool, words: str
) -> None:
    worse = tuple(
        SinceEntry(f"1.{n}", "t", "at_risk", on=date(2026, 12, 7), after="at_risk")
        for n in range(risks)
    )
    since = SinceLast(date(2026, 6, 1), "start", (), {}, worse=worse)
    counts = _macro("_asked.j2", "worse_counts")
    assert str(counts(since, by_owner)) == words
