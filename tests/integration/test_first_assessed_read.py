"""store.first_assessed.first_assessed_days: on SQLite read straight from the driver (a date
made once per stored text, plan8 §2.1), elsewhere and with a cut-off through SQLAlchemy Core.
Every way gives exactly the dict a plain Core query of the table gives: the programme's rows
only (another programme's item of the same code in the table), days after the assessed day
(a back-dated rerun's) as stored, the ``item_ids`` read for any number of codes."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from store.first_assessed import IN_BATCH, first_assessed_days
from store.models import ProgrammeRow
from store.models_faults import ItemFirstAssessedRow

AS_OF = date(2019, 10, 1)
AT = datetime(2019, 10, 1, 6, tzinfo=UTC)


def _fill(session: Session, rng: random.Random) -> None:
    for pid in ("p", "q"):
        session.add(ProgrammeRow(id=pid, title=pid.upper(), created_at=AT, updated_at=AT))
    session.flush()
    rows = []
    for pid, n in (("p", IN_BATCH + 300), ("q", 200)):
        for k in range(n):
            # Days up to a month either side of AS_OF: some later (a back-dated rerun's).
            day = AS_OF + timedelta(days=rng.randint(-400, 30))
            rows.append({"programme_id": pid, "item_code": f"{k}.{k % 7}", "as_of": day,
                         "recorded_at": AT - timedelta(days=rng.randint(0, 3))})  # fmt: skip
    session.execute(sa.insert(ItemFirstAssessedRow), rows)
    session.commit()


def _core(session: Session, pid: str) -> dict[str, date]:
    t = ItemFirstAssessedRow.__table__.c
    query = sa.select(t.item_code, t.as_of).where(t.programme_id == pid)
    return {code: day for code, day in session.execute(query).tuples()}


def test_every_read_gives_the_core_querys_days(engine: sa.Engine, session: Session) -> None:
    rng = random.Random(53)
    _fill(session, rng)
    expected = _core(session, "p")
    assert len(expected) == IN_BATCH + 300
    assert max(expected.values()) > AS_OF  # later days are in the table
    assert set(expected) & set(_core(session, "q"))  # the same codes in the other programme
    assert _core(session, "p") != _core(session, "q")

    whole = first_assessed_days(session, "p")
    assert whole == expected
    assert all(type(d) is date for d in whole.values())
    # The reports' cut-off keeps the Core query: every row recorded by then is the same dict.
    assert first_assessed_days(session, "p", recorded_until=AT) == expected
    with engine.connect() as connection:  # a plain connection (the reports)
        assert first_assessed_days(connection, "p") == expected

    codes = list(expected)
    for some in (
        set(),
        {codes[0]},
        set(rng.sample(codes, 50)) | {"9.9.9", "nergens"},  # unknown codes: no key
        set(codes) | {f"{k}.{k % 7}" for k in range(IN_BATCH + 300, IN_BATCH + 500)},
    ):
        got = first_assessed_days(session, "p", some)
        assert got == {c: d for c, d in expected.items() if c in some}
        assert all(type(d) is date for d in got.values())
    assert first_assessed_days(session, "nobody") == {}
    assert first_assessed_days(session, "nobody", {codes[0]}) == {}
