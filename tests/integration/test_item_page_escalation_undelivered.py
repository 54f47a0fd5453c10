"""The item page's escalation row says how many of the requests it counted never reached the
owner, in the escalation digest's words (notifications/templates/escalation_reason.j2), instead
of calling them "onbeantwoord"; on both databases."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from regie.bootstrap import App
from regie.cycle import deadline_check, send_reminders
from tests.integration.test_escalation_delivery import DAYS, STAS, Down
from tests.integration.test_web_item_page import _app, _client, visible

PAGE_ONLY = pytest.mark.one_database(
    "the page's words, from SQL this file's other PostgreSQL tests run"
)


def _escalation_row(tmp_path: Path, url: str, failing: set[date]) -> str:
    # Lateness escalates later than the unanswered requests, as in test_escalation_delivery.
    app: App = _app(tmp_path, url, "  escalate_after_overdue_days: 20\n")
    down = Down(app, STAS, failing)
    app.notifier = lambda plan=None: down  # type: ignore[method-assign]
    for day in DAYS:
        down.day = day
        deadline_check(app, day)
        send_reminders(app)
    page = _client(app).get("/items/1.3.1")
    assert page.status_code == 200
    shown = visible(page.text)
    # The escalation day: DAYS[2], 14 December (the owner's grace after the second request).
    (row,) = [part for part in shown.split("14 december 2015 ")[1:] if part.startswith("escalatie")]
    return row


@PAGE_ONLY
def test_an_escalation_whose_requests_never_arrived_says_so(
    tmp_path: Path, migrated_url: str
) -> None:
    row = _escalation_row(tmp_path, migrated_url, set(DAYS))
    assert row.startswith(
        "escalatie: geen van de 2 verzoeken om een update is afgeleverd (verzending mislukt of "
        "nog niet verstuurd): de eigenaar is niet bereikt"
    ), row
    assert "onbeantwoord" not in row


def test_one_request_of_two_lost_is_counted(tmp_path: Path, migrated_url: str) -> None:
    row = _escalation_row(tmp_path, migrated_url, {DAYS[1]})
    assert row.startswith(
        "escalatie: onbeantwoord; 2 verzoeken om een update, waarvan 1 niet afgeleverd "
        "(verzending mislukt of nog niet verstuurd)"
    ), row


@PAGE_ONLY
def test_all_requests_delivered_reads_as_before(tmp_path: Path, migrated_url: str) -> None:
    row = _escalation_row(tmp_path, migrated_url, set())
    assert row.startswith("escalatie: onbeantwoord "), row
    assert "afgeleverd" not in row
