"""Give a prepared benchmark database the prompt history years of daily cycles leave behind
(RESULTS.md §5, round 10: what the daily step costs once the history is long).

Usage, from the repository root, on a copy of a database made by ``benchmarks.step prepare``
(its prompts are those of one working day)::

    cp var/bench/day2.db var/bench/aged.db
    .venv/bin/python -m benchmarks.prompt_history var/bench/aged.db
    .venv/bin/python -m benchmarks.step phases sqlite:///var/bench/aged.db --runs 4

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


def age(path: str) -> tuple[int, int]:
    connection = sqlite3.connect(path)
    rows = connection.execute(
        "SELECT programme_id, item_code, stage, contact_code, queued_on, recorded_at FROM prompts"
    ).fetchall()
    added = [
        (programme, item, earlier, contact, day.isoformat(), recorded)
        for programme, item, stage, contact, queued, recorded in rows
        for earlier, day in earlier_stages(stage, date.fromisoformat(queued))
    ]
    with connection:
        connection.executemany(
            "INSERT INTO prompts (programme_id, item_code, stage, contact_code, queued_on, "
            "recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
            added,
        )
    connection.close()
    return len(rows), len(added)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database", help="a copy of a database made by benchmarks.step prepare")
    args = parser.parse_args(argv)
    before, added = age(args.database)
    print(f"{before:,} prompts on record, {added:,} earlier ones added")


if __name__ == "__main__":
    main()
