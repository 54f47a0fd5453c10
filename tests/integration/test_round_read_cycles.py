"""store.round_read follows a chain of corrections to the update it started from (review14 4): a
database whose ``corrects`` links form a cycle (hand-edited or corrupted: Regie itself only ever
corrects an earlier update) still gives an answer, on SQLite and PostgreSQL, instead of
recursing forever."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from governance.plan import Plan
from store import sync_plan
from store.models import StatusUpdateRow
from store.round_read import round_answers
from tests.integration.store_plans import T0

FIRST, LAST = date(2015, 10, 1), date(2015, 10, 16)  # the round's window
BEFORE = date(2015, 9, 15)


def _row(id_: int, item: str, on: date, corrects: int | None) -> dict[str, object]:
    return {
        "id": id_,
        "programme_id": "mvi-test",
        "item_code": item,
        "status": "on_track",
        "reported_on": on,
        "source": "cli",
        "recorded_at": datetime(2015, 10, 1, 9, 0, tzinfo=UTC),
        "corrects": corrects,
    }


@pytest.fixture
def connection(engine: Engine, sample_plan: Plan) -> Iterator[sa.Connection]:
    with Session(engine) as session:
        sync_plan(session, sample_plan, now=T0)
        session.commit()
    with engine.connect() as connection:
        _bounded(connection)
        yield connection


def _bounded(connection: sa.Connection) -> None:
    """A query that recursed without end fails here instead of hanging the test run."""
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SET statement_timeout = '5s'"))
        return
    steps = iter(range(50_000))  # progress calls of 1,000 VM steps each: ample for this data
    connection.connection.driver_connection.set_progress_handler(  # type: ignore[union-attr]
        lambda: next(steps, None) is None, 1_000
    )


def test_a_cycle_of_corrections_ends_and_reads_as_no_chain(connection: sa.Connection) -> None:
    # Inserted in one statement each, so that each row's foreign key finds its target.
    table = StatusUpdateRow.__table__
    chains = [
        # A sound chain: 901 (before the round) ← 902 ← 903 (in the round).
        [_row(901, "1.1.1", BEFORE, None)],
        [_row(902, "1.1.1", date(2015, 10, 2), 901)],
        [_row(903, "1.1.1", date(2015, 10, 5), 902)],
        [_row(910, "1.1.2", date(2015, 10, 6), 910)],  # corrects itself
        # Three that correct each other in a ring.
        [
            _row(920, "1.2", date(2015, 10, 7), 922),
            _row(921, "1.2", date(2015, 10, 8), 920),
            _row(922, "1.2", date(2015, 10, 9), 921),
        ],
    ]
    for rows in chains:
        connection.execute(sa.insert(table).values(rows))
    answers = round_answers(connection, "mvi-test", FIRST, LAST, None)
    assert sorted(answers) == [
        ("1.1.1", date(2015, 10, 2), BEFORE),
        ("1.1.1", date(2015, 10, 5), BEFORE),
        ("1.1.2", date(2015, 10, 6), None),
        ("1.2", date(2015, 10, 7), None),
        ("1.2", date(2015, 10, 8), None),
        ("1.2", date(2015, 10, 9), None),
    ]
