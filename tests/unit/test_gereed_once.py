"""An item whose *gereed* is its deadline's own date in Dutch words says that date once
(walk32c 9): in the Slack digest and the reminder mail; a period (Q4-2026) still gets its
deadline beside it, and so does an ISO date (2026-12-10): the reader gets the date in words
(walk55b 6)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from notifications.render import render


def _item(gereed: str) -> dict[str, Any]:
    return {
        "id": "1.1", "title": "Dijkvak", "state": "on_track", "due": date(2026, 12, 10),
        "days_overdue": 0, "gereed": gereed, "owners": ["WSR"],
    }  # fmt: skip


def test_a_day_that_is_the_deadline_is_said_once_in_slack() -> None:
    text = render("slack/reminder_digest.item.md.j2", item=_item("10 december 2026"))
    assert "Gereed: _10 december 2026_" in text
    assert "deadline" not in text


def test_an_iso_day_gets_the_deadline_in_words_in_slack() -> None:
    text = render("slack/reminder_digest.item.md.j2", item=_item("2026-12-10"))
    assert "Gereed: _2026-12-10_ · deadline 10 december 2026 · " in text


def test_a_period_keeps_its_deadline_in_slack() -> None:
    text = render("slack/reminder_digest.item.md.j2", item=_item("Q4-2026"))
    assert "Gereed: _Q4-2026_ · deadline 10 december 2026" in text


def test_op_schema_with_a_date_after_the_deadline_reads_verschoven() -> None:
    """walk32c 8: the modal's "Stand:" line says what the overview says of a later date."""
    from governance.planfile.load import load_plan
    from governance.updates import StatusUpdate, UpdateStatus
    from regie.slack_modals import standing_text
    from tests.integration.answer_app import ANSWERS_PLAN

    plan = load_plan(ANSWERS_PLAN)  # 1.1.1: gereed Q2-2025, deadline 30 June 2025
    later = StatusUpdate(
        "1.1.1", UpdateStatus.ON_TRACK, date(2025, 7, 3), forecast=date(2025, 9, 30),
        author="anna", source="slack",
    )  # fmt: skip
    assert standing_text(plan, later, "anna") == (
        "Verschoven gemeld door Anna de Wit (Gemeente Rivierstad) op 3 juli 2025, "
        "verwachte datum gereed 30 september 2025."
    )
    before = replace(later, forecast=date(2025, 6, 20))
    assert standing_text(plan, before, "anna").startswith("Op schema gemeld door")
