"""`regie events`: an item's first assessment (no state before it, ``from`` null) is marked in
the table, so the first cycle of an adopting office does not read as if two years of results
happened on that day (walk56a 11)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from regie.cli.tables import event_details
from store.records import StoredEvent


def _state(name: str, payload: dict[str, object]) -> StoredEvent:
    day = date(2026, 12, 7)
    return StoredEvent(1, name, "1.1.1", day, datetime(2026, 12, 7, tzinfo=UTC), payload, "k")


def test_a_first_assessment_is_marked() -> None:
    done = _state(
        "regie.milestone.done",
        {"from": None, "to": "done", "due": None, "rag": "green", "gereed": "Q1-2025"},
    )
    assert event_details(done) == (
        "first assessment, not a change, to=done, rag=green, gereed=Q1-2025"
    )


def test_a_first_assessment_names_its_completion_day_when_the_event_has_one() -> None:
    done = _state(
        "regie.milestone.done",
        {"from": None, "to": "done", "rag": "green", "completed_on": "2025-03-14"},
    )
    assert event_details(done).startswith(
        "first assessment, not a change (completed 2025-03-14), to=done"
    )


def test_a_change_is_not_marked() -> None:
    late = _state(
        "regie.milestone.overdue",
        {"from": "due_soon", "to": "overdue", "due": "2025-06-30", "rag": "red"},
    )
    assert event_details(late) == "from=due_soon, to=overdue, due=2025-06-30, rag=red"
    slipped = _state("regie.forecast.slipped", {"from": None, "to": "slipped", "rag": "amber"})
    assert event_details(slipped).startswith("first assessment, not a change, ")


def test_other_events_with_a_from_are_not_marked() -> None:
    report = _state("regie.report.made", {"from": None, "to": "2025-12-31"})
    assert "first assessment" not in event_details(report)
