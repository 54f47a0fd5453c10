"""walk46 1: a round left for no meeting (its meeting cancelled while the next one gets a round
of its own) tells one story: its owners were told so and will be asked again for the next
meeting, so it is not chased; the office's summary names the meeting called off and the next
one's round. A round left with no meeting at all is still chased, naming the meeting called
off rather than a "voortgangsbespreking". SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from regie.bootstrap import App
from regie.prepare import prepare_meetings
from regie.rounds import progress_rounds, start_round
from tests.cli_in_process import regie
from tests.integration.answer_app import answers_app
from tests.integration.reports_scenario import cli_env
from tests.integration.test_meeting_notices import DAYS, FIRST_RUN
from tests.integration.test_meeting_notices_rounds import _outbox, _round_plan, _slack

ANSWER_BY = date(2025, 6, 6)  # a Friday: chased on Thursday 5 June
CHASE_DAY = date(2025, 6, 5)
DAY = date(2025, 6, 12)


def _left(tmp_path: Path, url: str, days: tuple[str, ...]) -> App:
    """A round for 12 June (started 2 June, answers by 6 June); on 4 June the meetings are
    ``days`` (12 June gone)."""
    plan_file = _round_plan(tmp_path / "plan.yaml", DAYS)
    app = answers_app(url, tmp_path / "home", plan_file)
    prepare_meetings(app, FIRST_RUN)
    start_round(app, "stuurgroep", ANSWER_BY, None, date(2025, 6, 2), meeting_on=DAY)
    _round_plan(plan_file, days)
    # Cancelled, or moved before the answer-by date (none left after it).
    assert prepare_meetings(app, date(2025, 6, 4)).changed[0].startswith("stuurgroep 2025-06-12")
    return app


def test_a_round_left_while_the_next_meeting_gets_its_own_is_not_chased(
    migrated_url: str, tmp_path: Path
) -> None:
    app = _left(tmp_path, migrated_url, DAYS[1:])
    assert all(not r.queued for r in progress_rounds(app, CHASE_DAY))
    assert _outbox(app, "round_chase") == {}
    (closed,) = progress_rounds(app, ANSWER_BY)
    assert closed.closed and closed.queued == ["round:1:office:summary"]
    summary = " ".join(_outbox(app, "round_summary")["office"].split())
    assert (
        "De statusronde voor de afgelaste vergadering van 12 juni 2025 (Stuurgroep Fietsroutes) "
        "is gesloten" in summary
    )
    assert "Voor de vergadering van donderdag 10 juli 2025 volgt een eigen statusronde." in summary
    assert "voortgangsbespreking" not in summary
    slack = _slack(app, "round:1:office:summary", "office")
    assert "afgelaste vergadering van 12 juni 2025" in slack
    assert "volgt een eigen statusronde" in slack
    # walk46 10: round status says which meeting is off and that the next has its own round.
    shown = regie("round", "status", env=cli_env(app))
    assert (
        "round 1 stuurgroep, meeting none (2025-06-12 called off; 2025-07-10 gets its own "
        "round), answers by 2025-06-06 (closed 2025-06-06)" in shown.out
    ), shown.out
    (listed,) = json.loads(regie("round", "status", "--format", "json", env=cli_env(app)).out)
    assert (listed["meeting_on"], listed["meeting_cancelled"], listed["next_meeting"]) == (
        None,
        "2025-06-12",
        "2025-07-10",
    )


def test_a_round_left_with_no_meeting_at_all_is_chased_naming_the_one_called_off(
    migrated_url: str, tmp_path: Path
) -> None:
    app = _left(tmp_path, migrated_url, ("2025-05-20",))
    (chased,) = progress_rounds(app, CHASE_DAY)
    assert chased.queued
    chases = _outbox(app, "round_chase")
    assert chases
    for text in chases.values():
        flat = " ".join(text.split())
        assert "voor de afgelaste vergadering van 12 juni 2025 (Stuurgroep Fietsroutes)" in flat
        assert "voortgangsbespreking" not in flat
    progress_rounds(app, ANSWER_BY)
    summary = " ".join(_outbox(app, "round_summary")["office"].split())
    assert "afgelaste vergadering van 12 juni 2025" in summary
    assert "volgt een eigen statusronde" not in summary
    shown = regie("round", "status", env=cli_env(app)).out
    assert "meeting none (2025-06-12 called off; none left)" in shown, shown
