"""SEQUENCE across a steering group's decisions (review longrun, finding 8): published for today,
an item's event raises SEQUENCE when a decision moves its date and again when one drops it
(RFC 5545/5546). A `calendar export --as-of` another day is a read-only look: computed against
what was last published for today, remembering nothing — so in a replay that only ever exports
past days nothing was published and every SEQUENCE is 0, which is not a fault of the served
feed. SQLite and PostgreSQL, through the real commands."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from regie.bootstrap import App
from tests.cli_in_process import regie
from tests.integration.migrated_template import shared_templates
from tests.integration.reports_scenario import cli_env, make_app

UID = "1.3.1@"


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:

    shared_templates().fill_if_empty(database_url)  # empty: a copy of the migrated template
    app = make_app(tmp_path / "home", database_url)  # a copy of the seed plan
    # Published for today, years after 2016: keep the dropped item in the feed (the default
    # drops finished work 12 months after; test_feeds_keep_done).
    plan = app.settings.plan_path
    text = plan.read_text("utf-8")
    assert "  holidays_country: NL\n" in text
    plan.write_text(text.replace("  holidays_country: NL\n", "  holidays_country: NL\n"
                                 "  feed_keep_done_months: 1200\n", 1), "utf-8")  # fmt: skip
    assert regie("sync", env=_env(app)).code == 0
    return app


_env = cli_env


def _event(app: App, *as_of: str) -> dict[str, Any]:
    shown = regie("calendar", "export", "--scope", "programme", *as_of, env=_env(app))
    assert shown.code == 0, shown.err
    for event in Calendar.from_ical(shown.out).walk("VEVENT"):
        if str(event["UID"]).startswith(UID):
            return {
                "due": event.decoded("DTSTART").isoformat(),
                "status": str(event["STATUS"]),
                "sequence": int(event["SEQUENCE"]),
            }
    raise AssertionError(f"no event {UID}")


def _memory(app: App) -> dict[str, Any]:
    from store import feeds

    with app.session() as session:
        return {code: (e.due, e.sequence, e.cancelled) for code, e in
                feeds.feed_entries(session, app.load_plan().programme.id).items()}  # fmt: skip


def _decide(app: App, meeting: str, *what: str) -> None:
    done = regie("decision", "add", "--body", "stuurgroep", "--meeting", meeting,
                 "--text", "besluit", *what, env=_env(app))  # fmt: skip
    assert done.code == 0, done.err


def test_sequence_rises_with_a_decision_that_moves_or_drops_the_item(app: App) -> None:
    assert _event(app) == {"due": "2015-11-30", "status": "CONFIRMED", "sequence": 0}

    _decide(app, "2016-01-12", "--set-gereed", "1.3.1", "Q2-2016")
    assert _event(app) == {"due": "2016-06-30", "status": "CONFIRMED", "sequence": 1}
    assert _event(app) == {"due": "2016-06-30", "status": "CONFIRMED", "sequence": 1}  # stays

    _decide(app, "2016-04-12", "--cancel", "1.3.1")
    assert _event(app) == {"due": "2016-06-30", "status": "CANCELLED", "sequence": 2}

    # Another day: against what was published for today, nothing remembered.
    remembered = _memory(app)
    assert _event(app, "--as-of", "2016-02-01")["sequence"] == 3  # not cancelled then
    assert _memory(app) == remembered
    assert _event(app) == {"due": "2016-06-30", "status": "CANCELLED", "sequence": 2}


def test_a_past_day_export_with_nothing_published_is_sequence_0(app: App) -> None:
    """The replay's case: only past days exported, so no version was ever published."""
    _decide(app, "2016-01-12", "--set-gereed", "1.3.1", "Q2-2016")
    _decide(app, "2016-04-12", "--cancel", "1.3.1")
    assert _event(app, "--as-of", "2016-05-01") == {
        "due": "2016-06-30", "status": "CANCELLED", "sequence": 0,
    }  # fmt: skip
    assert _memory(app) == {}
    help_text = regie("calendar", "export", "--help").out
    assert "SEQUENCE" in help_text and "0 for an item never published" in " ".join(
        help_text.split()
    )
