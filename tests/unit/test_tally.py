"""The memory's tally (governance.tally): counts per state and per action colour, changed by a
day's rows as the store changes them."""

from __future__ import annotations

from governance.incremental import Remembered
from governance.tally import Tally, TallyChanges, tally_changes, tally_difference, worst_value


def test_tally_changes_move_rows_between_counts() -> None:
    """Only the counts rows move between change; a new row adds, a dropped one takes away; a
    row the tally has no count for means the tally does not fit the rows (None)."""

    def row(action: str, rag: str, state: str) -> Remembered:
        return Remembered(state, rag, False, None, None, action, None, None, None, None, None)

    before = {
        "1.1": row("1", "red", "overdue"),
        "1.2": row("1", "red", "overdue"),
        "2.1": row("2", "green", "open"),
        "3.1": row("3", "grey", "undated"),
    }
    tally = Tally.of(before)
    # (grey, green, amber, red) per action
    assert tally == Tally(
        {"overdue": 2, "open": 1, "undated": 1},
        {"1": (0, 0, 0, 2), "2": (0, 1, 0, 0), "3": (1, 0, 0, 0)},
        4,
    )
    after = {
        "1.1": row("1", "red", "overdue"),  # the same counts: no change
        "1.2": row("1", "green", "done"),  # moves
        "4.1": row("4", "green", "open"),  # new to the memory
    }
    changes = tally_changes(tally, before, after, dropped=["3.1"])
    assert changes == TallyChanges(
        {"overdue": 1, "done": 1, "open": 2, "undated": 0},
        {"1": (0, 1, 0, 1), "4": (0, 1, 0, 0), "3": (0, 0, 0, 0)},
    )
    memory = {i: r for i, r in (before | after).items() if i != "3.1"}
    assert tally.changed(changes) == Tally.of(memory)
    assert worst_value(tally.changed(changes).actions["1"]) == "red"
    assert worst_value((0, 0, 0, 0)) is None
    assert worst_value((3, 0, 0, 0)) == "grey"
    spoiled = {"1.1": row("verdwenen", "red", "overdue")}
    assert tally_changes(tally, spoiled, {"1.1": row("1", "green", "done")}) is None
    # A full run's difference: whatever the tally held, the counts that make it the rows' own.
    drifted = Tally.of_counts(
        {"open": 3, "overdue": 1},
        {"1": (0, 0, 0, 2), "2": (0, 1, 0, 0), "9": (0, 0, 0, 1)},
    )
    difference = tally_difference(drifted, before)
    assert difference == TallyChanges(
        {"open": 1, "overdue": 2, "undated": 1},
        {"3": (1, 0, 0, 0), "9": (0, 0, 0, 0)},
    )
    assert drifted.changed(difference) == Tally.of(before)
