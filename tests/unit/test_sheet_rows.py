"""governance.sheet_rows (walk56a 4, 5): earlier gereed texts of an item, and rows that repeat
or change an update on record."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from governance.decisions import Decision, DecisionKind
from governance.sheet_rows import (
    GereedRevision,
    changed_answer,
    corrected_since,
    former_gereeds,
    repeated_in,
)
from governance.updates import StatusUpdate, UpdateStatus

DAY = date(2025, 7, 7)


def _decision(before: str, after: str, on: date) -> Decision:
    return Decision("sg", on, DecisionKind.SET_GEREED, "…", "1.2", before, after)


def test_former_gereeds_name_the_decision_and_the_plan_edit_once_each() -> None:
    first = _decision("1ste semester 2025", "Q4-2025", date(2025, 3, 13))
    second = _decision("Q4-2025", "Q2-2026", date(2025, 10, 2))
    revisions = [
        GereedRevision("1.2", "1ste semester 2025", "Q4-2025", date(2025, 3, 13)),  # first's
        GereedRevision("1.2", "Q2-2026", "Q3-2026", date(2026, 1, 5)),  # a hand edit
        GereedRevision("2.1", "Q1-2026", "Q2-2026", date(2026, 1, 5)),  # another item
    ]
    found = former_gereeds("1.2", "Q3-2026", [first, second], revisions, "1ste semester 2025")
    assert [(f.text, f.now, f.decision, f.edited_on) for f in found] == [
        ("1ste semester 2025", "Q4-2025", first, None),
        ("Q4-2025", "Q2-2026", second, None),
        ("Q2-2026", "Q3-2026", None, date(2026, 1, 5)),
    ]


def test_gereed_original_alone_counts_and_no_date_does_not() -> None:
    (found,) = former_gereeds("1.2", "Q4-2025", [], [], "Q2-2025")
    assert (found.text, found.now, found.decision, found.edited_on) == (
        "Q2-2025",
        "Q4-2025",
        None,
        None,
    )
    assert former_gereeds("1.2", "Q4-2025", [], [], "geen datum") == []


def _update(uid: int, **fields: object) -> StatusUpdate:
    base = StatusUpdate("1.2", UpdateStatus.ON_TRACK, DAY, comment="Loopt", author="bram",
                        source="import", id=uid)  # fmt: skip
    return replace(base, **fields)  # type: ignore[arg-type]


def test_a_repeat_is_the_same_answer_that_still_stands() -> None:
    row = _update(0, id=None)
    assert repeated_in(row, [_update(4)]) == _update(4)
    assert repeated_in(replace(row, comment="Loopt nog"), [_update(4)]) is None
    assert repeated_in(replace(row, author="anna"), [_update(4)]) is None
    assert repeated_in(replace(row, reported_on=date(2025, 7, 8)), [_update(4)]) is None
    # Corrected since: saying it again is a change, not a repeat.
    assert repeated_in(row, [_update(4), _update(5, comment="Anders", corrects=4)]) is None


def test_a_repeat_of_an_answer_corrected_outside_the_imports_is_still_a_repeat() -> None:
    """review56 1: an owner's correction (not a sheet's) of the imported answer: the sheet's
    old row repeats the import, it does not change the correction back."""
    row = _update(0, id=None)
    owner = _update(5, comment="Toch later", source="cli", corrects=4)
    assert repeated_in(row, [_update(4), owner]) == _update(4)
    assert corrected_since(_update(4), [_update(4), owner]) == owner
    # Further down a chain of sheets' corrections: the first one no import made is named.
    sheet = _update(5, comment="Anders", corrects=4)
    web = _update(6, comment="Toch", source="web", corrects=5)
    assert repeated_in(row, [_update(4), sheet, web]) == _update(4)
    assert corrected_since(_update(4), [_update(4), sheet, web]) == web
    assert corrected_since(_update(4), [_update(4), sheet]) is None
    # An answer that still stands is the repeat, before one corrected since.
    again = _update(6, source="cli")
    history = [_update(4), owner, again]
    assert repeated_in(row, history) == again
    assert corrected_since(again, history) is None


def test_a_changed_row_changes_the_newest_import_of_that_day_and_author() -> None:
    row = _update(0, id=None, forecast=date(2025, 12, 31))
    history = [_update(4), _update(5, source="web"), _update(6, author="anna")]
    assert changed_answer(row, history) == _update(4)
    assert changed_answer(_update(0, id=None), history) is None  # the same answer: no change
