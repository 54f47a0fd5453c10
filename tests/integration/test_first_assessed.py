"""A new programme's first day (walk49 1, fresh50): nothing is *verouderd* only because of the
time before Regie was there to ask. The stale clock starts at the latest of the latest update,
the day the item became active and the day Regie first assessed it (``item_first_assessed``),
so the first *verouderd* comes ``stale_after_days`` working days after the first cycle.

Through the command line in this process, on SQLite and PostgreSQL, with the example plan of
docs/new-programme.md (it starts 2026-01-01: its ongoing item 2.2 and its dated items whose
reminder window opened months ago were *verouderd* on the first day before).
"""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from regie.bootstrap import App
from tests.cli import ROOT
from tests.cli_in_process import regie
from tests.integration.reports_scenario import cli_env, migrated_app

EXAMPLE = ROOT / "docs" / "examples" / "eigen-programma.yaml"
FIRST = date(2026, 12, 4)  # a Friday, months after the programme's start
STALE = "regie.milestone.stale"


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> App:
    home = tmp_path / "home"
    home.mkdir()
    shutil.copyfile(EXAMPLE, home / "actions.yaml")  # migrated_app's plan name
    return migrated_app(home, database_url)


def _run(app: App, *args: str) -> str:
    done = regie(*args, env=cli_env(app) | {"PREFECT_API_URL": ""})
    assert done.code == 0, done.out + done.err
    return done.out


def _stale(app: App, day: date) -> set[str]:
    rows = json.loads(_run(app, "status", "--as-of", day.isoformat(), "--format", "json"))
    return {r["id"] for r in rows if r["stale"]}


def _stale_events(app: App) -> list[tuple[str, date]]:
    with app.engine.connect() as conn:
        found = conn.execute(
            sa.text("SELECT item_code, occurred_on FROM events WHERE name = :n ORDER BY id"),
            {"n": STALE},
        ).all()
    return [(code, on if isinstance(on, date) else date.fromisoformat(on)) for code, on in found]


def _first_days(app: App) -> dict[str, date]:
    from store.first_assessed import first_assessed_days

    with app.session() as session:
        return first_assessed_days(session, app.load_plan().programme.id)


def test_the_first_day_has_nothing_verouderd_and_the_first_comes_after_the_stale_limit(
    app: App,
) -> None:
    from governance.workdays import WorkCalendar

    plan = app.load_plan()
    cal = WorkCalendar.for_plan(plan)
    limit = plan.reminders.stale_after_days
    stale_on = cal.add_working_days(FIRST, limit)
    eve = cal.add_working_days(FIRST, limit - 1)

    # Before any cycle: the status (and a dry run) judge every item first assessed today.
    assert _stale(app, FIRST) == set()
    dry = _run(app, "cycle", "--dry-run", "--as-of", FIRST.isoformat())
    assert STALE not in dry and "verouderd" not in dry
    assert _first_days(app) == {}  # a dry run stores nothing

    _run(app, "cycle", "--no-send", "--as-of", FIRST.isoformat())
    first = _first_days(app)
    assert set(first) == {d.item_id for d in plan.deadlines()}
    assert set(first.values()) == {FIRST}
    assert _stale_events(app) == []
    assert _stale(app, FIRST) == set()
    table = _run(app, "status", "--as-of", FIRST.isoformat())
    assert "verouderd" not in table

    # Simulated later days: still nothing the working day before the limit, then the items
    # nobody answered for (among them ongoing 2.2) on the day it is reached.
    _run(app, "cycle", "--simulate", "--no-send", "--as-of", eve.isoformat())
    assert _stale_events(app) == [] and _stale(app, eve) == set()
    _run(app, "cycle", "--simulate", "--no-send", "--as-of", stale_on.isoformat())
    events = _stale_events(app)
    assert "2.2" in {code for code, _ in events}
    assert {on for _, on in events} == {stale_on}
    assert _stale(app, stale_on) == {code for code, _ in events}
    assert "doorlopend (verouderd)" in _run(app, "status", "--as-of", stale_on.isoformat())
    assert _first_days(app) == first  # the later cycles keep the first day


def test_an_update_before_regie_does_not_make_an_item_stale_earlier(app: App) -> None:
    """An owner's update long before the first cycle (back-filled): the clock still starts at
    the first assessment."""
    _run(app, "update", "2.2", "--status", "on_track", "--as-of", "2026-03-02")
    _run(app, "cycle", "--no-send", "--as-of", FIRST.isoformat())
    assert "2.2" not in _stale(app, FIRST)
    assert _stale_events(app) == []


def test_a_full_cycle_fills_the_missing_first_days_from_the_recorded_states(app: App) -> None:
    """review51 5: the table is history, not a cache. After its rows are lost (a partial
    restore, a hand edit), ``regie cycle --full`` gives each item the day of its first recorded
    state again, not the run's day (which would restart every stale clock)."""
    from governance.workdays import WorkCalendar

    plan = app.load_plan()
    later = WorkCalendar.for_plan(plan).add_working_days(FIRST, 3)
    _run(app, "cycle", "--no-send", "--as-of", FIRST.isoformat())
    first = _first_days(app)
    with app.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM item_first_assessed WHERE item_code <> '2.2'"))
    _run(app, "cycle", "--full", "--simulate", "--no-send", "--as-of", later.isoformat())
    assert _first_days(app) == first


def test_the_fill_carries_a_renumbered_items_day_and_keeps_the_stored_ones(app: App) -> None:
    """A renumbered item missing its row takes the old id's day (as the sync carried it),
    not its own first state's; a stored row is kept as it is."""
    from datetime import UTC, datetime

    from store.first_assessed import fill_missing_days
    from store.models import EventRow

    pid = app.load_plan().programme.id
    _run(app, "cycle", "--no-send", "--as-of", FIRST.isoformat())
    at, later = datetime.now(UTC), date(2027, 1, 4)
    with app.session() as session, session.begin():
        session.execute(
            sa.text(
                "INSERT INTO item_states (programme_id, item_code, as_of, state, rag, stale, "
                "recorded_at) VALUES (:p, '9.1', :d, 'on_track', 'green', :f, :at)"
            ).bindparams(
                sa.bindparam("d", type_=sa.Date),
                sa.bindparam("at", type_=EventRow.recorded_at.type),
            ),
            {"p": pid, "d": later, "f": False, "at": at},
        )
        session.add(
            EventRow(
                programme_id=pid, name="regie.item.renumbered", item_code="9.1", occurred_on=later,
                recorded_at=at, payload={"from": "2.2", "to": "9.1"}, dedupe_key="r:2.2:9.1",
            )
        )  # fmt: skip
        session.flush()
        assert fill_missing_days(session, pid) == 1
        assert fill_missing_days(session, pid) == 0
    assert _first_days(app)["9.1"] == FIRST


def test_the_fill_adds_only_the_missing_rows_and_carries_renumbered_days(session: Session) -> None:
    """The rebuild's fill on the store (both databases): rows only for the items with states
    and none stored, each its first state's day and instant, or the day of the id it was
    renumbered from when that is earlier (stored or filled in the same call); stored rows,
    earlier or later than their first state, kept; an old id without either carries nothing.
    Another programme's rows for the same codes (earlier states, stored days, a renumbering of
    its own) neither count for ``p`` nor change."""
    from datetime import UTC

    from store.first_assessed import fill_missing_days
    from store.models import EventRow, ItemStateRow, ProgrammeRow
    from store.models_faults import ItemFirstAssessedRow

    at = datetime(2026, 12, 1, 6, tzinfo=UTC)
    d = [date(2026, 11, 30) + timedelta(days=n) for n in range(6)]  # d[0] … d[5]
    for pid in ("p", "q"):
        session.add(ProgrammeRow(id=pid, title=pid, created_at=at, updated_at=at))
    session.flush()
    _other_programme(session, at, d)
    before = _first_rows(session, "q")
    states = {"A": (1, 3), "B": (2, 4), "C": (3,), "D": (4,), "E": (4,), "F": (2,), "G": (4,)}
    rows = [
        {"programme_id": "p", "item_code": code, "as_of": d[n], "state": "open", "rag": "green",
         "stale": False, "recorded_at": at + timedelta(hours=n)}
        for code, days in states.items() for n in days
    ]  # fmt: skip
    session.execute(sa.insert(ItemStateRow), rows)
    kept = {"A": (d[0], at - timedelta(days=9)), "F": (d[5], at + timedelta(days=9))}
    session.execute(
        sa.insert(ItemFirstAssessedRow),
        [{"programme_id": "p", "item_code": c, "as_of": v[0], "recorded_at": v[1]}
         for c, v in kept.items()],
    )  # fmt: skip
    for n, (old, new) in enumerate((("B", "D"), ("A", "E"), ("Z", "G"), ("A", "F"))):
        session.add(
            EventRow(
                programme_id="p", name="regie.item.renumbered", item_code=new, occurred_on=d[4],
                recorded_at=at, payload={"from": old, "to": new}, dedupe_key=f"r{n}",
            )
        )  # fmt: skip
    session.flush()

    assert fill_missing_days(session, "p") == 5
    t = ItemFirstAssessedRow
    found = {
        code: (day, recorded.astimezone(UTC))
        for code, day, recorded in session.execute(
            sa.select(t.item_code, t.as_of, t.recorded_at).where(t.programme_id == "p")
        ).tuples()
    }
    first = {code: (d[days[0]], at + timedelta(hours=days[0])) for code, days in states.items()}
    assert found == {
        **kept,
        "B": first["B"],
        "C": first["C"],
        "D": first["B"],  # renumbered from B, whose first state (filled now) is earlier
        "E": kept["A"],  # renumbered from A: its stored day
        "G": first["G"],  # renumbered from Z, which has neither
    }
    assert fill_missing_days(session, "p") == 0
    assert _first_rows(session, "q") == before
    session.rollback()


def _other_programme(session: Session, at: datetime, d: list[date]) -> None:
    """Programme ``q`` beside ``p`` in the fill's test: for p's codes, states earlier than
    p's, first days stored (B and C, which p lacks; Z, which p renumbered from) and an item
    renumbered from A to H. Each would change p's fill if a query were not scoped to p."""
    from store.models import EventRow, ItemStateRow
    from store.models_faults import ItemFirstAssessedRow

    early = at - timedelta(days=30)
    session.execute(
        sa.insert(ItemStateRow),
        [{"programme_id": "q", "item_code": c, "as_of": d[0], "state": "done", "rag": "green",
          "stale": False, "recorded_at": early} for c in ("A", "B", "C", "H")],
    )  # fmt: skip
    session.execute(
        sa.insert(ItemFirstAssessedRow),
        [{"programme_id": "q", "item_code": c, "as_of": d[0] - timedelta(days=n + 1),
          "recorded_at": early} for n, c in enumerate(("B", "C", "Z"))],
    )  # fmt: skip
    session.add(
        EventRow(
            programme_id="q", name="regie.item.renumbered", item_code="H", occurred_on=d[1],
            recorded_at=at, payload={"from": "A", "to": "H"}, dedupe_key="q-r",
        )
    )  # fmt: skip
    session.flush()


def _first_rows(session: Session, programme_id: str) -> list[tuple[str, date, datetime]]:
    from store.models_faults import ItemFirstAssessedRow as t

    query = (
        sa.select(t.item_code, t.as_of, t.recorded_at)
        .where(t.programme_id == programme_id)
        .order_by(t.item_code)
    )
    return list(session.execute(query).tuples())


def test_recorded_first_days_are_stored_as_the_orm_stores_them(session: Session) -> None:
    """A new row (its day and instant as the ORM writes them: SQLite gets them as text made
    once per value, compared as stored with each value's type), a later stored day moved
    earlier keeping its instant, an earlier stored day kept."""
    from datetime import UTC, datetime

    from store.first_assessed import record_first_days
    from store.models import ProgrammeRow
    from store.models_faults import ItemFirstAssessedRow

    at = datetime(2026, 12, 4, 6, 30, 15, 123456, tzinfo=UTC)
    then = datetime(2026, 11, 2, 6, tzinfo=UTC)
    for p in ("p", "q"):
        session.add(ProgrammeRow(id=p, title=p, created_at=at, updated_at=at))
    session.flush()
    for code, day in (("1.1", date(2026, 11, 30)), ("1.2", date(2026, 11, 2))):
        session.add(ItemFirstAssessedRow(programme_id="p", item_code=code, as_of=day,
                                         recorded_at=then))  # fmt: skip
    session.flush()
    days = {"1.1": date(2026, 11, 3), "1.2": date(2026, 12, 4), "1.3": date(2026, 12, 4)}
    assert record_first_days(session, "p", days, at) == 3
    expected = {"1.1": (date(2026, 11, 3), then), "1.2": (date(2026, 11, 2), then),
                "1.3": (date(2026, 12, 4), at)}  # fmt: skip
    for code, (day, when) in expected.items():
        session.add(ItemFirstAssessedRow(programme_id="q", item_code=code, as_of=day,
                                         recorded_at=when))  # fmt: skip
    session.flush()
    columns = "item_code, as_of, recorded_at"
    if session.get_bind().dialect.name == "sqlite":
        columns += ", typeof(as_of), typeof(recorded_at)"
    query = sa.text(f"SELECT {columns} FROM item_first_assessed WHERE programme_id = :p "
                    "ORDER BY item_code")  # fmt: skip
    stored = {p: session.execute(query, {"p": p}).all() for p in ("p", "q")}
    assert stored["p"] == stored["q"] and len(stored["p"]) == 3
    session.rollback()


def test_many_first_days_are_stored_as_the_rule_says(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More days than ARRAY_INSERT_FROM_ROWS (PostgreSQL: one ``INSERT … SELECT`` of arrays,
    pg54), odd item codes among them: each stored row is what the rule on a plain dict says
    — a new row gets its day and the call's instant (in UTC, to the microsecond), a later
    stored day moves to the earlier one and keeps its instant, an earlier or equal one stays
    — another programme's rows for the same codes untouched; a second call changes nothing."""
    from datetime import UTC, timezone

    from store import first_assessed
    from store.dialect import ARRAY_INSERT_FROM_ROWS
    from store.first_assessed import record_first_days
    from store.models import ProgrammeRow
    from store.models_faults import ItemFirstAssessedRow

    used: list[int] = []
    real = first_assessed.staged

    def spy(connection: object, table: object, rows: list[object]) -> object:
        used.append(len(rows))
        return real(connection, table, rows)  # type: ignore[arg-type]

    monkeypatch.setattr(first_assessed, "staged", spy)
    at = datetime(2026, 12, 4, 8, 30, 15, 123456, tzinfo=timezone(timedelta(hours=1)))
    then = datetime(2026, 11, 2, 6, 0, 0, 654321, tzinfo=UTC)
    for p in ("p", "q"):
        session.add(ProgrammeRow(id=p, title=p, created_at=at, updated_at=at))
    session.flush()
    odd = ['1."a"', "1.c\\d", "1.e,f", "1.{h}", "NULL", "1.ïé€", " 1.sp "]
    codes = [*odd, *(f"{i % 7}.{i}" for i in range(ARRAY_INSERT_FROM_ROWS + 100))]
    first = date(2026, 11, 1)
    days = {c: first + timedelta(days=i % 40) for i, c in enumerate(codes)}
    # Stored before: every third item's day 5 days later (moves), every third + 1 the same or
    # an earlier day (stays); the rest has none (new). Programme q: every code, one old day.
    stored = {
        c: (days[c] + timedelta(days=5 if i % 3 == 0 else -(i % 2)), then)
        for i, c in enumerate(codes) if i % 3 != 2
    }  # fmt: skip
    q_rows = {c: (date(2020, 1, 1), then) for c in codes}
    for pid, rows in (("p", stored), ("q", q_rows)):
        session.execute(
            sa.insert(ItemFirstAssessedRow),
            [{"programme_id": pid, "item_code": c, "as_of": d, "recorded_at": r}
             for c, (d, r) in rows.items()],
        )  # fmt: skip
    expected = {
        c: (min(day, stored[c][0]), then) if c in stored else (day, at.astimezone(UTC))
        for c, day in days.items()
    }
    assert record_first_days(session, "p", days, at) == len(codes)
    t = ItemFirstAssessedRow
    query = sa.select(t.item_code, t.as_of, t.recorded_at)

    def rows_of(pid: str) -> dict[str, tuple[date, datetime]]:
        found = session.execute(query.where(t.programme_id == pid)).tuples()
        return {code: (day, recorded) for code, day, recorded in found}

    assert rows_of("p") == expected
    assert rows_of("q") == q_rows
    assert record_first_days(session, "p", days, at + timedelta(days=1)) == len(codes)
    assert rows_of("p") == expected
    if session.get_bind().dialect.name == "postgresql":
        assert used == [len(codes)] * 2  # both calls' arrays
    else:
        assert used == []
    session.rollback()
