"""Give a prepared benchmark database the prompt history years of daily cycles leave behind
(RESULTS.md §5, round 10: what the daily step costs once the history is long).

Usage, from the repository root, on a copy of a database made by ``benchmarks.step prepare``
(its prompts are those of one working day)::

    cp var/bench/day2.db var/bench/aged.db
    .venv/bin/python -m benchmarks.prompt_history var/bench/aged.db
    .venv/bin/python -m benchmarks.step phases sqlite:///var/bench/aged.db --runs 4

On PostgreSQL, give it the URL ``benchmarks.step prepare postgres:NAME`` printed.

For every prompt ``overdue-N@D`` on record it adds the earlier stages of the same due date
(``first@D``, ``second@D``, ``due@D``, ``overdue-1@D`` … ``overdue-(N-1)@D``) a week apart
before it, and for every ``periodic-YYYYQn`` the quarters since 2015 Q3; same item and contact.
An approximation of the synthetic plan's own history (an overdue item is prompted every five
working days): the added stages are ones the items have left, so the day's prompts stay the
same, but they count as unanswered, so more escalations fall due than on the unaged copy.
"""

from __future__ import annotations

import argparse
import re
import sqlite3
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

_OVERDUE = re.compile(r"overdue-(\d+)@(\d{4}-\d\d-\d\d)")
_PERIODIC = re.compile(r"periodic-(\d{4})Q(\d)")
#: Earlier stages of a due date, and how many days before it each was prompted.
_BEFORE_DUE = (("first", 21), ("second", 7), ("due", 0))


def earlier_stages(stage: str, queued_on: date) -> Iterator[tuple[str, date]]:
    """The stages an item in ``stage`` on ``queued_on`` was prompted for before, with days."""
    if m := _OVERDUE.fullmatch(stage):
        n, due = int(m[1]), date.fromisoformat(m[2])
        for k in range(1, n):
            yield f"overdue-{k}@{due}", queued_on - timedelta(days=7 * (n - k))
        for name, days in _BEFORE_DUE:
            yield f"{name}@{due}", due - timedelta(days=days)
    elif m := _PERIODIC.fullmatch(stage):
        year, quarter = int(m[1]), int(m[2])
        while (year, quarter) > (2015, 3):
            year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
            yield f"periodic-{year}Q{quarter}", date(year, 3 * quarter - 2, 15)


def age(database: str) -> tuple[int, int]:
    """Add the earlier prompts to a SQLite file or, given a ``postgresql…://`` URL, a server's."""
    if "://" in database:
        import sqlalchemy as sa

        url = sa.make_url(database)
        if url.get_backend_name() == "sqlite":
            database = url.database or ""
        else:
            return _age_postgres(database)
    connection = sqlite3.connect(database)
    rows = connection.execute(_READ).fetchall()
    added = list(_earlier(rows))
    with connection:
        connection.executemany(
            "INSERT INTO prompts (programme_id, item_code, stage, contact_code, queued_on, "
            "recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
            added,
        )
    connection.close()
    return len(rows), len(added)


_READ = "SELECT programme_id, item_code, stage, contact_code, queued_on, recorded_at FROM prompts"


def _earlier(rows: list[Any]) -> Iterator[tuple[Any, ...]]:
    for programme, item, stage, contact, queued, recorded in rows:
        day = queued if isinstance(queued, date) else date.fromisoformat(queued)
        for earlier, on in earlier_stages(stage, day):
            yield programme, item, earlier, contact, on.isoformat(), recorded


def _age_postgres(url: str) -> tuple[int, int]:
    """COPY, then ANALYZE: the planner must see the aged table as the daily cycle would."""
    import sqlalchemy as sa

    from store import make_engine

    engine = make_engine(url, poolclass=sa.NullPool)
    with engine.begin() as connection:
        rows = list(connection.exec_driver_sql(_READ).tuples())
        raw: Any = connection.connection.driver_connection
        added = 0
        copy_into = (
            "COPY prompts (programme_id, item_code, stage, contact_code, queued_on, recorded_at) "
            "FROM STDIN"
        )
        with raw.cursor() as cursor, cursor.copy(copy_into) as copy:
            for row in _earlier(rows):
                copy.write_row(row)
                added += 1
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE prompts")
    engine.dispose()
    return len(rows), added


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "database",
        help="a copy of a database made by benchmarks.step prepare: a SQLite file or a URL",
    )
    args = parser.parse_args(argv)
    before, added = age(args.database)
    print(f"{before:,} prompts on record, {added:,} earlier ones added")


if __name__ == "__main__":
    main()
