"""Fault suite, history only moves forward — really (issue #7 §2)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from regie.cycle import deadline_check
from regie.errors import InvalidInput
from regie.history import replay
from tests.integration.test_cycle import make_app, rows


def test_a_day_before_the_last_assessed_one_is_refused_even_without_changes(
    tmp_path: Path, database_url: str
) -> None:
    app = make_app(tmp_path, database_url)
    deadline_check(app, date(2016, 3, 10))
    deadline_check(app, date(2016, 3, 15))
    # Nothing changed on the 15th, so item states alone still end on the 10th …
    assert rows(app, "SELECT count(*) FROM item_states WHERE as_of = '2016-03-15'") == [(0,)]
    outbox = rows(app, "SELECT count(*) FROM outbox")
    # … yet the 11th comes after the 15th was prompted: it would mail the same stages again.
    with pytest.raises(InvalidInput, match="already assessed up to 2016-03-15"):
        deadline_check(app, date(2016, 3, 11))
    assert rows(app, "SELECT count(*) FROM outbox") == outbox


def test_a_stopped_replay_resumes_when_given_again(tmp_path: Path, sqlite_url: str) -> None:
    app = make_app(tmp_path, sqlite_url)
    replay(app, date(2016, 1, 4), date(2016, 1, 13))  # as if killed after the 13th
    events = rows(app, "SELECT count(*) FROM events")
    lines = replay(app, date(2016, 1, 4), date(2016, 1, 29))
    assert lines[0] == "resuming after 2016-01-13 (assessed up to there already)"
    # It goes on after that day (walk56e 7): 14 January to 29 January, 12 working days.
    assert lines[-1].startswith("replayed 12 working days 2016-01-14 … 2016-01-29: ")
    assert rows(app, "SELECT max(as_of) FROM assessed_days") == [("2016-01-29",)]
    # Given once more after it finished: nothing left, said as such; nothing recorded.
    before = rows(app, "SELECT count(*) FROM events")
    assert replay(app, date(2016, 1, 4), date(2016, 1, 29)) == [
        "already assessed up to 2016-01-29: nothing to replay"
    ]
    assert rows(app, "SELECT count(*) FROM events") == before
    full = make_app(tmp_path / "b", f"sqlite:///{tmp_path / 'b.db'}")
    replay(full, date(2016, 1, 4), date(2016, 1, 29))
    # Resumed or in one go, the history is the same.
    query = "SELECT name, item_code, occurred_on FROM events ORDER BY 1, 2, 3"
    assert rows(app, query) == rows(full, query)
    assert rows(app, "SELECT count(*) FROM events") >= events


def test_replay_reports_progress_per_working_day(tmp_path: Path, sqlite_url: str) -> None:
    app = make_app(tmp_path, sqlite_url)
    seen: list[tuple[int, int]] = []
    replay(app, date(2015, 9, 28), date(2015, 10, 9), progress=lambda d, t: seen.append((d, t)))
    assert seen == [(n, 10) for n in range(1, 11)]


def test_one_replayed_day_is_counted_in_the_singular(tmp_path: Path, sqlite_url: str) -> None:
    app = make_app(tmp_path, sqlite_url)
    (*_, summary) = replay(app, date(2015, 9, 28), date(2015, 9, 28))
    assert summary.startswith("replayed 1 working day 2015-09-28 … 2015-09-28: ")
