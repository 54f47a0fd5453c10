"""The memory's open, overdue and ongoing item ids as the digests' overview reads them
(perf55c: joined by the database, one row) are those of the memory's rows, read one by one;
an empty memory has none. SQLite and PostgreSQL (the ``database_url`` fixture)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import sqlalchemy as sa

from governance.planfile.load import load_plan
from governance.reminders import OpenItems
from regie.cycle import deadline_check
from store.memory import load_open_items
from store.models_incremental import ItemMemoryRow
from tests.conftest import SEED_PLAN
from tests.integration.test_cycle import make_app


def test_the_memory_s_open_items_as_its_rows_say(tmp_path: Path, database_url: str) -> None:
    app = make_app(tmp_path, database_url)
    plan = load_plan(SEED_PLAN)
    for day in (date(2016, 1, 4), date(2016, 1, 5)):
        deadline_check(app, day, plan=plan)
    pid = plan.programme.id
    m = ItemMemoryRow
    with app.session() as session:
        rows = session.execute(sa.select(m.item_code, m.state).where(m.programme_id == pid))
        expected = [sorted(ids) for ids in OpenItems.of(dict(rows.tuples().all()))]
        got = [sorted(ids) for ids in load_open_items(session, pid)]
        assert load_open_items(session, "another") == ([], [], [])
    assert got == expected
    # Every kind in the seed's memory: late, ongoing and other open items.
    open_, late, ongoing = expected
    assert late and ongoing and set(open_) - set(late) - set(ongoing)
