"""*Risico* on an overdue item is "it is stuck" on every owner's channel: it needs a note
(walk32c 5). One rule in the domain, worded in the problems catalogue."""

from __future__ import annotations

from datetime import date

import pytest

from governance.answers import Problem, blocked_note_problem, overdue_without_date
from governance.periods import parse_period
from governance.plan import Deadline, ItemLevel
from governance.updates import StatusUpdate, UpdateStatus
from regie.texts import problem_text

TODAY = date(2026, 12, 5)
ITEM = Deadline(
    "2.1",
    ItemLevel.ACTION,
    "2.1",
    1,
    "Aanbesteding",
    "30 november 2026",
    parse_period("30 november 2026"),
    ("org",),
    (),
)


def _latest(status: UpdateStatus, forecast: date | None = None) -> StatusUpdate:
    return StatusUpdate("2.1", status, date(2026, 11, 1), forecast=forecast)


def test_risk_without_a_note_on_an_overdue_item_is_a_problem_at_the_note() -> None:
    problem = blocked_note_problem(ITEM, None, "at_risk", " \n", TODAY)
    assert problem is not None
    assert (problem.field, problem.code) == ("note", Problem.BLOCKED_NOTE_MISSING)
    assert problem_text(problem) == (
        "de toelichting ontbreekt: schrijf kort wat er vastloopt of welke hulp u nodig hebt"
    )
    assert blocked_note_problem(ITEM, None, "at_risk", "Wacht op de markt.", TODAY) is None


@pytest.mark.parametrize(
    ("status", "latest", "on"),
    [
        ("on_track", None, TODAY),  # with its new date: verschoven, a note is optional
        ("done", None, TODAY),
        ("at_risk", None, date(2026, 11, 30)),  # the deadline is today: not yet overdue
        # A new date still ahead: the item is verschoven, its form the ordinary one.
        ("at_risk", _latest(UpdateStatus.ON_TRACK, date(2027, 2, 1)), TODAY),
        ("at_risk", _latest(UpdateStatus.DONE), TODAY),  # finished: reopening is its own rule
    ],
)
def test_no_note_needed_when_it_is_not_stuck_on_an_overdue_item(
    status: str, latest: StatusUpdate | None, on: date
) -> None:
    assert blocked_note_problem(ITEM, latest, status, None, on) is None


def test_overdue_is_the_forms_rule() -> None:
    """Past its deadline, not finished, and no new date ahead (a past one does not count)."""
    assert overdue_without_date(ITEM, None, TODAY)
    assert overdue_without_date(ITEM, _latest(UpdateStatus.AT_RISK, date(2026, 12, 1)), TODAY)
    assert not overdue_without_date(ITEM, _latest(UpdateStatus.AT_RISK, TODAY), TODAY)
    assert not overdue_without_date(ITEM, _latest(UpdateStatus.CANCELLED), TODAY)
