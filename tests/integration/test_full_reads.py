"""A full assessment reads and writes only what it needs (benchmarks/RESULTS.md §5, round 22).

A full run from the memory reads of a finished item's latest update only its completion day
(by the remembered id), and falls back to reading the items' picked updates when an id is
not found or names another item's update; a rebuild (``regie cycle --full``) on PostgreSQL
writes only the memory rows that differ from the stored ones and forgets the rest, leaving
the memory a full assessment's either way. On both databases.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event

from governance.planfile.load import load_plan
from governance.updates import StatusUpdate, UpdateStatus
from regie.cycle import deadline_check
from store import Repository
from store.assessment_query import completions_by_id
from tests.conftest import SEED_PLAN
from tests.integration.test_cycle import make_app
from tests.integration.test_daily import (
    _assert_day_is_full_assessment,
    _assert_memory_is,
    _full_assessment,
)


@contextmanager
def _statements(engine: sa.Engine) -> Iterator[list[str]]:
    """Every statement run on ``engine`` inside, those sent straight to the SQLite driver
    (the daily step's large reads) included: its trace callback, on connections made inside."""
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(" ".join(statement.split()))

    def trace(dbapi: Any, _: Any) -> None:
        dbapi.set_trace_callback(lambda statement: seen.append(" ".join(statement.split())))

    sqlite = engine.dialect.name == "sqlite"
    name, listener = ("connect", trace) if sqlite else ("before_cursor_execute", record)
    engine.dispose()  # new connections: the trace callback set on each
    event.listen(engine, name, listener)
    try:
        yield seen
    finally:
        event.remove(engine, name, listener)
        engine.dispose()


def _finished_items(tmp_path: Path, database_url: str) -> tuple[Any, Any, date, dict[str, int]]:
    """A seed programme two days on, three of its items finished on the first (two done, one
    of them on an earlier day than reported, one cancelled); their update ids."""
    app = make_app(tmp_path, database_url)
    plan = load_plan(SEED_PLAN)
    first = date(2015, 10, 1)
    deadline_check(app, first, plan=plan)
    ids: dict[str, int] = {}
    with app.session() as session:
        repo = Repository(session, plan.programme.id)
        for item_id, status, completed in (
            ("1.2.1", UpdateStatus.DONE, date(2015, 9, 1)),
            ("1.2.2", UpdateStatus.DONE, None),
            ("1.4", UpdateStatus.CANCELLED, None),
        ):
            update = StatusUpdate(
                item_id, status, first, completed_on=completed, comment="afgerond",
                recorded_at=datetime.combine(first, time(18), UTC),
            )  # fmt: skip
            repo.add_status_update(update)
        session.commit()
        rows = session.execute(
            sa.text("SELECT item_code, id FROM status_updates WHERE comment = 'afgerond'")
        )
        ids = {code: int(row_id) for code, row_id in rows}
    day = first + timedelta(days=1)
    deadline_check(app, day, plan=plan)
    return app, plan, day + timedelta(days=1), ids


def test_completions_by_id_reads_the_item_and_completion_day(
    tmp_path: Path, database_url: str
) -> None:
    app, _, _, ids = _finished_items(tmp_path, database_url)
    with app.session() as session:
        found = completions_by_id(session, [*ids.values(), 10**9])
        assert completions_by_id(session, []) == {}
    assert found == {
        ids["1.2.1"]: ("1.2.1", date(2015, 9, 1)),
        ids["1.2.2"]: ("1.2.2", None),
        ids["1.4"]: ("1.4", None),
    }


def test_a_full_run_reads_no_whole_update_rows_of_finished_items(
    tmp_path: Path, database_url: str
) -> None:
    """The finished items' latest updates come from the memory and their completion days; the
    day is a full assessment's (1.2.1 finished on the day before its update's)."""
    app, plan, day, _ = _finished_items(tmp_path, database_url)
    with _statements(app.engine) as seen:
        report = deadline_check(app, day, plan=plan, full_assessment=True)
    assert not report.incremental and report.assessed == len(plan.deadlines())
    _assert_day_is_full_assessment(app, report, plan, day)
    with app.session() as session:
        _assert_memory_is(app, plan, _full_assessment(session, plan, day))
    by_id = [s for s in seen if "completed_on FROM status_updates WHERE id" in s]
    assert len(by_id) == 1
    # No update row read whole (its comment) for the finished items, nor their picks.
    assert not any("s.comment" in s for s in seen)


def test_a_remembered_id_of_another_items_update_reads_the_picks(
    tmp_path: Path, database_url: str
) -> None:
    """A finished item's remembered latest id naming another item's update, or none stored:
    the full run reads the picked updates instead and is a full assessment's."""
    app, plan, day, ids = _finished_items(tmp_path, database_url)
    for wrong in (ids["1.2.2"], 10**9):
        with app.engine.begin() as conn:
            conn.execute(
                sa.text("UPDATE item_memory SET latest_id = :wrong WHERE item_code = '1.2.1'"),
                {"wrong": wrong},
            )
        with _statements(app.engine) as seen:
            report = deadline_check(app, day, plan=plan, full_assessment=True)
        assert any("s.comment" in s for s in seen), wrong  # the picks read
        _assert_day_is_full_assessment(app, report, plan, day)
        with app.session() as session:
            _assert_memory_is(app, plan, _full_assessment(session, plan, day))
        day += timedelta(days=1)


def test_a_rebuild_writes_the_memory_rows_that_differ(tmp_path: Path, database_url: str) -> None:
    """A rebuild leaves the memory a full assessment's: a spoiled row rewritten, the row of an
    item not in the plan forgotten. On PostgreSQL without deleting and inserting every row:
    only the rows that differ are written."""
    app, plan, day, _ = _finished_items(tmp_path, database_url)
    with app.engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE item_memory SET state = 'cancelled' WHERE item_code = '1.1.1'")
        )
        conn.execute(
            sa.text(
                "INSERT INTO item_memory (programme_id, item_code, state, rag, stale, due, "
                "next_check, action_code, latest_id, latest_on, latest_status, forecast, "
                "fingerprint) SELECT programme_id, '9.9.9', state, rag, stale, due, next_check, "
                "action_code, latest_id, latest_on, latest_status, forecast, fingerprint "
                "FROM item_memory WHERE item_code = '1.1.1'"
            )
        )
    with _statements(app.engine) as seen:
        report = deadline_check(app, day, plan=plan, rebuild_memory=True)
    assert report.rebuilt and report.assessed == len(plan.deadlines())
    _assert_day_is_full_assessment(app, report, plan, day)
    with app.session() as session:
        _assert_memory_is(app, plan, _full_assessment(session, plan, day))
    whole = [
        s for s in seen if s.startswith("DELETE FROM item_memory") and "item_code" not in s
    ]  # fmt: skip
    if app.engine.dialect.name == "postgresql":
        assert whole == []
    else:
        assert len(whole) == 1  # SQLite: deleted and inserted (the same cost there)
    day += timedelta(days=1)
    report = deadline_check(app, day, plan=plan)
    assert report.incremental
    _assert_day_is_full_assessment(app, report, plan, day)
