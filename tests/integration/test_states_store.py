"""Item states and prompt history on SQLite and PostgreSQL (migration 0002)."""

from __future__ import annotations

import dataclasses
import itertools
import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from governance.incremental import Remembered
from governance.reminders import (
    ESCALATION_KINDS,
    NO_FACTS,
    PromptQuestion,
    PromptRecord,
    facts_from_history,
)
from governance.tally import Tally
from store import PreviousStates, Repository, StateRecord, memory, tallies
from store.dialect import ARRAY_INSERT_FROM_ROWS
from store.memory import MemoryHeader
from store.models import ItemStateRow, ProgrammeRow, PromptRow
from store.prompt_facts import prompt_facts
from store.states import previous_values
from tests.integration.array_inserts import assert_overlong_refused_alike
from tests.integration.store_reads import states_on

NOW = datetime(2015, 9, 1, 8, 0, tzinfo=UTC)
D1, D2, D3, D4 = (date(2015, 9, d) for d in (7, 8, 9, 10))
_programmes = itertools.count()


def _add_programme(session: Session, programme_id: str) -> Repository:
    session.add(ProgrammeRow(id=programme_id, title=programme_id, created_at=NOW, updated_at=NOW))
    session.commit()
    return Repository(session, programme_id, clock=lambda: NOW)


@pytest.fixture
def repo(session: Session) -> Iterator[Repository]:
    yield _add_programme(session, "p")


def _on(session: Session, repo: Repository, day: date) -> dict[str, StateRecord]:
    """What the store says each item's state was on ``day``."""
    return states_on(session, repo.programme_id, day)


def _s(code: str, state: str = "open", rag: str = "green", stale: bool = False) -> StateRecord:
    return StateRecord(code, state, rag, stale, date(2015, 12, 31))


def _rows(session: Session, programme_id: str = "p") -> list[tuple[Any, ...]]:
    query = (
        sa.select(ItemStateRow.item_code, ItemStateRow.as_of, ItemStateRow.state)
        .where(ItemStateRow.programme_id == programme_id)
        .order_by(ItemStateRow.item_code, ItemStateRow.as_of)
    )
    return [tuple(r) for r in session.execute(query)]


def _previous(repo: Repository, before: date) -> dict[str, str]:
    previous = repo.previous_states(before)
    assert previous is not None
    return previous.states


# --- previous_states ------------------------------------------------------------------------------


def test_nothing_before_the_first_recorded_day(repo: Repository) -> None:
    assert repo.previous_states(D1) is None
    repo.record_states(D1, [_s("1.1"), _s("1.2", stale=True)])

    assert repo.previous_states(D1) is None  # the day itself is not "before"
    assert repo.previous_states(D1 - timedelta(days=30)) is None
    assert repo.previous_states(D2) == PreviousStates(
        {"1.1": "open", "1.2": "open"}, frozenset({"1.2"}), D1
    )


def test_previous_is_each_items_latest_earlier_row(repo: Repository, session: Session) -> None:
    repo.record_states(D1, [_s("1.1"), _s("1.2")])
    repo.record_states(D2, [_s("1.1", "overdue", "red"), _s("1.2")])  # only 1.1 changed
    repo.record_states(D3, [_s("1.1", "overdue", "red"), _s("1.2", stale=True)])

    assert _rows(session) == [
        ("1.1", D1, "open"),
        ("1.1", D2, "overdue"),
        ("1.2", D1, "open"),
        ("1.2", D3, "open"),
    ]
    assert repo.previous_states(D2) == PreviousStates(
        {"1.1": "open", "1.2": "open"}, frozenset(), D1
    )
    assert repo.previous_states(D3) == PreviousStates(
        {"1.1": "overdue", "1.2": "open"}, frozenset(), D2
    )
    assert repo.previous_states(D4) == PreviousStates(
        {"1.1": "overdue", "1.2": "open"}, frozenset({"1.2"}), D3
    )
    # A gap of days without changes reads the same as the last change.
    assert repo.previous_states(D4 + timedelta(days=60)) == repo.previous_states(D4)


def test_rerunning_a_day_does_not_change_what_came_before_it(
    repo: Repository, session: Session
) -> None:
    repo.record_states(D1, [_s("1.1"), _s("1.2")])
    repo.record_states(D2, [_s("1.1", "at_risk", "amber"), _s("1.2")])
    before_d2 = repo.previous_states(D2)

    assert repo.record_states(D2, [_s("1.1", "overdue", "red"), _s("1.2", "done")]) == 2
    assert repo.previous_states(D2) == before_d2
    assert repo.previous_states(D3) == PreviousStates(
        {"1.1": "overdue", "1.2": "done"}, frozenset(), D2
    )
    assert repo.record_states(D2, [_s("1.1", "overdue", "red"), _s("1.2", "done")]) == 0
    assert len(_rows(session)) == 4


def test_change_then_change_back(repo: Repository, session: Session) -> None:
    repo.record_states(D1, [_s("1.1")])
    repo.record_states(D2, [_s("1.1", "overdue", "red")])
    assert repo.record_states(D3, [_s("1.1")]) == 1  # back to open is a change too

    assert _previous(repo, D3) == {"1.1": "overdue"}
    assert _previous(repo, D4) == {"1.1": "open"}
    assert [r[1] for r in _rows(session)] == [D1, D2, D3]


def test_rerun_back_to_the_earlier_state_removes_that_days_row(
    repo: Repository, session: Session
) -> None:
    repo.record_states(D1, [_s("1.1"), _s("1.2")])
    repo.record_states(D2, [_s("1.1", "overdue", "red"), _s("1.2")])
    assert _rows(session)[1] == ("1.1", D2, "overdue")

    assert repo.record_states(D2, [_s("1.1"), _s("1.2")]) == 1  # the D2 row goes
    assert _rows(session) == [("1.1", D1, "open"), ("1.2", D1, "open")]
    assert repo.previous_states(D3) == PreviousStates(
        {"1.1": "open", "1.2": "open"}, frozenset(), D1
    )


@pytest.mark.parametrize(
    "changed",
    [
        StateRecord("1.1", "overdue", "green", False, date(2015, 12, 31)),
        StateRecord("1.1", "open", "amber", False, date(2015, 12, 31)),
        StateRecord("1.1", "open", "green", True, date(2015, 12, 31)),
        StateRecord("1.1", "open", "green", False, date(2016, 3, 31)),
        StateRecord("1.1", "open", "green", False, None),
    ],
)
def test_any_field_change_writes_a_row(
    repo: Repository, session: Session, changed: StateRecord
) -> None:
    repo.record_states(D1, [_s("1.1")])
    assert repo.record_states(D2, [_s("1.1")]) == 0
    assert repo.record_states(D3, [changed]) == 1
    assert _on(session, repo, D3) == {"1.1": changed}
    assert _on(session, repo, D2) == {"1.1": _s("1.1")}


def test_new_item_later_gets_its_first_row(repo: Repository, session: Session) -> None:
    repo.record_states(D1, [_s("1.1")])
    assert repo.record_states(D2, [_s("1.1"), _s("9.9", "waiting")]) == 1
    assert _on(session, repo, D1) == {"1.1": _s("1.1")}
    assert _on(session, repo, D2) == {
        "1.1": _s("1.1"),
        "9.9": _s("9.9", "waiting"),
    }
    assert _on(session, repo, D1 - timedelta(days=1)) == {}


def test_an_item_twice_in_one_call_is_refused(repo: Repository) -> None:
    with pytest.raises(ValueError, match=r"1\.1.*twice"):
        repo.record_states(D1, [_s("1.1"), _s("1.1", "done")])


def test_programmes_have_their_own_states(repo: Repository, session: Session) -> None:
    other = _add_programme(session, "q")
    repo.record_states(D1, [_s("1.1")])
    other.record_states(D2, [_s("1.1", "done")])

    assert repo.previous_states(D3) == PreviousStates({"1.1": "open"}, frozenset(), D1)
    assert other.previous_states(D2) is None
    assert _on(session, other, D2) == {"1.1": _s("1.1", "done")}


# Any sequence of runs in date order (a day may be rerun): every day reads as the last run of
# the latest day up to it said, and the table keeps only change points.
_state = st.sampled_from(["open", "overdue", "done"])
_run = st.tuples(
    st.integers(0, 2),  # days after the previous run
    st.dictionaries(st.sampled_from(["a", "b", "c"]), st.tuples(_state, st.booleans())),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(runs=st.lists(_run, min_size=1, max_size=8))
def test_states_read_back_as_the_latest_run_said(
    session: Session, runs: list[tuple[int, dict[str, tuple[str, bool]]]]
) -> None:
    repo = _add_programme(session, f"prop-{next(_programmes)}")  # a fresh programme per example
    day = D1
    said: dict[date, dict[str, StateRecord]] = {}  # day -> what its last run said
    for gap, states in runs:
        day += timedelta(days=gap)
        records = [StateRecord(c, s, "green", stale, None) for c, (s, stale) in states.items()]
        repo.record_states(day, records)
        said.setdefault(day, {}).update({r.item_id: r for r in records})
        session.commit()

    expected: dict[str, StateRecord] = {}
    changes = 0
    for d in range(-1, (day - D1).days + 2):
        on = D1 + timedelta(days=d)
        before = dict(expected)
        for code, record in said.get(on, {}).items():
            changes += expected.get(code) != record
            expected[code] = record
        assert _on(session, repo, on) == expected
        previous = repo.previous_states(on)
        if not before:
            assert previous is None
        else:
            assert previous is not None
            assert previous.states == {c: r.state for c, r in before.items()}
            assert previous.stale == {c for c, r in before.items() if r.stale}
    count = sa.select(sa.func.count()).where(ItemStateRow.programme_id == repo.programme_id)
    assert session.scalar(count) == changes


def test_previous_values_are_each_items_latest_row_before_the_day(
    repo: Repository, session: Session
) -> None:
    """The full assessment's read of every item's latest row (SQLite: one ``max()`` with bare
    columns, straight from the driver) says what the window function over the history says:
    every field, the stale flag a bool, the latest day; another programme's rows left out."""
    from store.states import latest_states

    other = _add_programme(session, "q")
    rng = random.Random(29)
    dues = [None, date(2015, 12, 31), date(2016, 3, 31)]
    days = [D1 + timedelta(days=n) for n in range(0, 24, 2)]
    for day in days:
        records = [
            StateRecord(
                f"{i}.1", rng.choice(["open", "overdue", "done"]), rng.choice(["green", "red"]),
                rng.random() < 0.3, rng.choice(dues),
            )
            for i in range(40) if rng.random() < 0.4
        ]  # fmt: skip
        repo.record_states(day, records)
        other.record_states(day + timedelta(days=1), [_s(f"{i}.1", "done") for i in range(50)])
    session.commit()
    for on in [D1 - timedelta(days=1), *(d + timedelta(days=k) for d in days for k in (0, 1))]:
        rows = latest_states(session, "p", on, inclusive=False)
        previous, values = previous_values(session, "p", on)
        assert values == {r.item_id: (r.state, r.rag, r.stale, r.due) for r, _ in rows}
        assert all(type(v[2]) is bool for v in values.values())
        if not rows:
            assert previous is None
            continue
        assert previous == PreviousStates(
            {c: v[0] for c, v in values.items()},
            frozenset(c for c, v in values.items() if v[2]),
            max(as_of for _, as_of in rows),
        )


_Row = tuple[str, date, str, str, bool, date | None]  # (code, as_of, state, rag, stale, due)
_Value = tuple[str, str, bool, date | None]  # (state, rag, stale, due)
_Model = dict[tuple[str, date], _Value]  # the rows of a programme: (code, as_of) → value


def _stored(session: Session, programme_id: str) -> set[_Row]:
    s = ItemStateRow
    query = sa.select(s.item_code, s.as_of, s.state, s.rag, s.stale, s.due).where(
        s.programme_id == programme_id
    )
    return {
        (c, on, st, rag, bool(stale), due) for c, on, st, rag, stale, due in session.execute(query)
    }


def _model_run(table: _Model, day: date, wanted: dict[str, _Value]) -> int:
    """The rule on a plain dict of rows, (code, day) → value: an item gets a row for ``day``
    iff its value differs from its latest row on an earlier day; a rerun whose item is back
    to that value deletes the day's row. Return how many rows were inserted, updated or
    deleted."""
    touched = 0
    for code, value in wanted.items():
        if _earlier_value(table, code, day) == value:
            touched += table.pop((code, day), None) is not None
        elif table.get((code, day)) != value:
            table[code, day] = value
            touched += 1
    return touched


def _earlier_value(table: _Model, code: str, day: date) -> _Value | None:
    """The value of ``code``'s latest row before ``day`` in a model table (None: no row)."""
    earlier = [on for c, on in table if c == code and on < day]
    return table[code, max(earlier)] if earlier else None


@pytest.mark.parametrize("seed", range(4))
def test_recorded_rows_are_those_of_the_change_point_rule(
    repo: Repository, session: Session, seed: int
) -> None:
    """Random histories of runs (first runs, reruns of a day, now and then an earlier day
    again), two programmes side by side: after every run each programme's table holds what
    the rule on a plain dict of rows (:func:`_model_run`) holds, and the count returned is
    the model's. Programme ``p`` writes through :meth:`Repository.record_states`, ``q``
    through :meth:`Repository.record_state_values` (with ``earlier`` read first or not)."""
    other = _add_programme(session, "q")
    rng = random.Random(seed)
    states, rags, dues = ["open", "overdue"], ["green", "red"], [None, date(2015, 12, 31)]
    codes = [f"{i}.1" for i in range(8)]
    tables: dict[str, _Model] = {"p": {}, "q": {}}
    said: dict[str, dict[str, _Value]] = {"p": {}, "q": {}}  # each item's value, last said
    days = {"p": D1, "q": D1}
    for _ in range(14):
        for pid in ("p", "q"):
            step = rng.choice([0, 0, 1, 1, 2, -1])  # a rerun, the next days, an earlier day
            days[pid] = max(D1, days[pid] + timedelta(days=step))
            day = days[pid]
            wanted: dict[str, _Value] = {}
            for code in rng.sample(codes, rng.randint(1, len(codes))):
                back = _earlier_value(tables[pid], code, day)
                chance = rng.random()
                if back is not None and chance < 0.3:  # back to its latest earlier row
                    wanted[code] = back
                elif code in said[pid] and chance < 0.6:  # as the last run said
                    wanted[code] = said[pid][code]
                else:
                    wanted[code] = (
                        rng.choice(states), rng.choice(rags), rng.random() < 0.3,
                        rng.choice(dues),
                    )  # fmt: skip
            said[pid].update(wanted)
            expected = _model_run(tables[pid], day, wanted)
            if pid == "p":
                records = [StateRecord(c, *v) for c, v in wanted.items()]
                got = repo.record_states(day, records)
            else:
                earlier = previous_values(session, "q", day)[1] if rng.random() < 0.5 else None
                got = other.record_state_values(day, wanted, earlier)
            assert got == expected, (pid, day, wanted)
            assert _stored(session, pid) == {(c, on, *v) for (c, on), v in tables[pid].items()}
    session.commit()


def test_recorded_states_are_stored_as_the_orm_stores_them(
    repo: Repository, session: Session
) -> None:
    """Every column of a recorded row as the ORM writes the same values (SQLite: the rows go
    to the driver as text and 0/1 made once per value; compared as stored, with each value's
    storage type): a first run of a day, then a rerun that overwrites a row."""
    at = datetime(2015, 9, 7, 6, 30, 15, 123456, tzinfo=UTC)
    records = [
        StateRecord("1.1", "open", "green", False, None),
        StateRecord("1.2", "overdue", "red", True, date(2015, 8, 31)),
    ]
    repo.record_states(D1, records[:1])
    Repository(session, "p", clock=lambda: at).record_states(D2, records)
    Repository(session, "p", clock=lambda: at).record_states(D2, [records[0], _s("1.2", "done")])
    _add_programme(session, "q")
    for day, r, when in [(D1, records[0], NOW), (D2, _s("1.2", "done"), at)]:
        session.add(
            ItemStateRow(
                programme_id="q", item_code=r.item_id, as_of=day, state=r.state, rag=r.rag,
                stale=r.stale, due=r.due, recorded_at=when,
            )
        )  # fmt: skip
    session.commit()
    names = "item_code, as_of, state, rag, stale, due, recorded_at"
    typed = ", ".join(f"{c}, typeof({c})" for c in names.split(", "))
    query = f"SELECT {typed} FROM item_states WHERE programme_id = :p ORDER BY {names}"
    if session.get_bind().dialect.name != "sqlite":
        query = f"SELECT {names} FROM item_states WHERE programme_id = :p ORDER BY {names}"
    stored = {p: session.execute(sa.text(query), {"p": p}).all() for p in ("p", "q")}
    assert stored["p"] == stored["q"] and len(stored["p"]) == 2


def test_appended_states_are_stored_as_the_orm_stores_them(
    repo: Repository, session: Session
) -> None:
    """The incremental day's changed rows (``memory.append_states``; SQLite: plain values to
    the driver, each made once by its column type) stored as the ORM stores the same values,
    each value's storage type included, and numbered in the order given."""
    at = datetime(2015, 9, 7, 6, 30, 15, 123456, tzinfo=UTC)
    changed = [
        ("1.2", "overdue", "red", True, date(2015, 8, 31)),
        ("1.1", "open", "green", False, None),
        ("1.3", "overdue", "red", True, date(2015, 8, 31)),
    ]
    assert memory.append_states(session, "p", D2, changed, at) == 3
    assert memory.append_states(session, "p", D3, [], at) == 0
    _add_programme(session, "q")
    for code, state, rag, stale, due in changed:
        session.add(
            ItemStateRow(
                programme_id="q", item_code=code, as_of=D2, state=state, rag=rag, stale=stale,
                due=due, recorded_at=at,
            )
        )  # fmt: skip
        session.flush()
    session.commit()
    names = "item_code, as_of, state, rag, stale, due, recorded_at"
    typed = ", ".join(f"{c}, typeof({c})" for c in names.split(", "))
    query = f"SELECT {typed} FROM item_states WHERE programme_id = :p ORDER BY id"
    if session.get_bind().dialect.name != "sqlite":
        query = f"SELECT {names} FROM item_states WHERE programme_id = :p ORDER BY id"
    stored = {p: session.execute(sa.text(query), {"p": p}).all() for p in ("p", "q")}
    assert stored["p"] == stored["q"] and [r[0] for r in stored["p"]] == ["1.2", "1.1", "1.3"]


#: Item codes with what an array literal must carry through (its quotes, backslash, commas,
#: braces, the word NULL) and non-ASCII text, beside plain ones.
_ARRAY_ODD_CODES = ['1."a"', "1.c\\d", "1.e,f", "1.{h}", "NULL", "1.ïé€", " 1.sp "]


def test_large_runs_of_a_day_store_every_value_as_given(
    repo: Repository, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A day's first run, the next day's and a rerun of it, each with more changed items than
    ARRAY_INSERT_FROM_ROWS (PostgreSQL: one ``INSERT … SELECT`` of arrays, pg54): every stored
    row is the one a plain dict of the runs says — its value, the stale flag a bool, the due
    day or none, the run's instant in UTC to the microsecond (given in another zone), ids in
    the order given — rows a rerun overwrites take its values and instant (ON CONFLICT), rows
    back to the earlier day's value go, rows it leaves alone keep theirs."""
    from store import states

    used: list[int] = []
    real = states.staged

    def spy(connection: Any, table: Any, rows: Any) -> Any:
        used.append(len(rows))
        return real(connection, table, rows)

    monkeypatch.setattr(states, "staged", spy)
    n = 3 * ARRAY_INSERT_FROM_ROWS  # a rerun changes half the items: still arrays
    codes = [*_ARRAY_ODD_CODES, *(f"{i % 9}.{i}" for i in range(n - len(_ARRAY_ODD_CODES)))]
    rng = random.Random(54)
    kinds = ["open", "overdue", "at_risk", "done", "waiting"]
    dues = [None, date(2015, 12, 31), date(2016, 2, 29), date(1999, 1, 1)]

    def value() -> _Value:
        return (rng.choice(kinds), rng.choice(["green", "red"]), rng.random() < 0.5,
                rng.choice(dues))  # fmt: skip

    def other_than(*values: _Value) -> _Value:
        while (found := value()) in values:
            pass
        return found

    zone = timezone(timedelta(hours=2))
    t1, t2, t3 = (datetime(2015, 9, d, 8, 30, 15, 123456 + d, tzinfo=zone) for d in (7, 8, 9))
    v1 = {c: value() for c in codes}
    v2 = {c: v1[c] if i % 3 == 0 else other_than(v1[c]) for i, c in enumerate(codes)}
    v3 = {
        c: other_than(v1[c]) if i % 3 == 0  # a new row of the day
        else v1[c] if i % 3 == 1  # back to the earlier day's: the day's row goes
        else v2[c] if i % 6 == 5  # as the day's first run said: its row kept
        else other_than(v1[c], v2[c])  # the day's row overwritten
        for i, c in enumerate(codes)
    }  # fmt: skip
    expected: dict[tuple[str, date], tuple[_Value, datetime]] = {}
    born: dict[tuple[str, date], datetime] = {}  # the run that inserted a row
    for day, values, at in ((D1, v1, t1), (D2, v2, t2), (D2, v3, t3)):
        written = Repository(session, "p", clock=lambda at=at: at).record_states(
            day, [StateRecord(c, *v) for c, v in values.items()]
        )
        touched = 0
        for code, v in values.items():
            before = [on for c, on in expected if c == code and on < day]
            if before and expected[code, max(before)][0] == v:
                touched += expected.pop((code, day), None) is not None
            elif (code, day) not in expected or expected[code, day][0] != v:
                born.setdefault((code, day), at)
                expected[code, day] = (v, at.astimezone(UTC))
                touched += 1
        assert written == touched
    session.commit()
    s = ItemStateRow
    query = sa.select(s.id, s.item_code, s.as_of, s.state, s.rag, s.stale, s.due, s.recorded_at)
    rows = session.execute(query.where(s.programme_id == "p")).tuples().all()
    stored = {(c, on): ((st, rag, stale, due), at) for _, c, on, st, rag, stale, due, at in rows}
    assert stored == expected
    assert all(type(v[2]) is bool for v, _ in stored.values())
    ids = {(c, on): i for i, c, on, *_ in rows}
    for day, at in ((D1, t1), (D2, t2), (D2, t3)):  # each run's new rows numbered in order
        given = [ids[c, day] for c in codes if born.get((c, day)) == at and (c, day) in ids]
        assert len(given) > 100 and given == sorted(given)
    counts = {v: sum(1 for x in stored.values() if x[1] == v) for v in (t1, t2, t3)}
    assert min(counts.values()) > 0  # rows of every run are there
    if session.get_bind().dialect.name == "postgresql":
        assert len(used) == 3 and min(used) >= ARRAY_INSERT_FROM_ROWS  # every run's arrays
    else:
        assert used == []


@pytest.mark.slow
def test_hundred_thousand_items_round_trip(repo: Repository, session: Session) -> None:
    """A day's states for 100,000 items, twice; the second run reads the first. (How long it
    takes is measured in benchmarks/, not asserted here: a timed test fails on a busy machine.)"""
    n = 100_000
    assert repo.record_states(D1, (_s(f"{i // 100}.{i % 100}") for i in range(n))) == n
    changed = (_s(f"{i // 100}.{i % 100}", "overdue" if i % 3 == 0 else "open") for i in range(n))
    assert repo.record_states(D2, changed) == len(range(0, n, 3))
    previous = repo.previous_states(D3)

    assert previous is not None and len(previous.states) == n and previous.as_of == D2
    assert sum(s == "overdue" for s in previous.states.values()) == len(range(0, n, 3))


# --- prompts --------------------------------------------------------------------------------------


def test_prompts_are_recorded_once_and_read_in_order(repo: Repository, session: Session) -> None:
    first = [
        PromptRecord("1.1", "first", "jdevries", D2),
        PromptRecord("1.2", "first", "jdevries", D1),
        PromptRecord("1.2", "escalation:1.2:none:overdue", "", D2),
    ]
    assert repo.record_prompts(first) == 3
    again = [*first, PromptRecord("1.1", "first", "jdevries", D3)]  # same stage, later day
    assert repo.record_prompts(again) == 0
    assert repo.record_prompts([PromptRecord("1.1", "first", "anna", D3)] * 2) == 1
    session.commit()

    assert repo.prompt_history(until=D4) == [
        first[1],
        first[0],
        first[2],
        PromptRecord("1.1", "first", "anna", D3),
    ]
    assert repo.prompt_history(until=D1) == [first[1]]
    assert repo.prompt_history(until=D1 - timedelta(days=1)) == []
    assert repo.record_prompts([]) == 0


def test_prompts_belong_to_their_programme(repo: Repository, session: Session) -> None:
    other = _add_programme(session, "q")
    record = PromptRecord("1.1", "first", "jdevries", D1)
    assert repo.record_prompts([record]) == 1
    assert other.record_prompts([record]) == 1
    assert other.prompt_history(until=D1) == [record]


@pytest.mark.parametrize("operation", ["update", "delete"])
def test_prompts_are_append_only(
    repo: Repository, session: Session, engine: sa.Engine, operation: str
) -> None:
    repo.record_prompts([PromptRecord("1.1", "first", "jdevries", D1)])
    session.commit()
    statement: sa.Executable = (
        sa.update(PromptRow).values(stage="second")
        if operation == "update"
        else sa.delete(PromptRow)
    )
    with pytest.raises(sa.exc.IntegrityError, match="append-only"), engine.begin() as conn:
        conn.execute(statement)
    assert repo.prompt_history(until=D1) == [PromptRecord("1.1", "first", "jdevries", D1)]


def test_a_large_batch_of_prompts_is_stored_as_a_small_one(
    repo: Repository, session: Session
) -> None:
    """From ARRAY_INSERT_FROM_ROWS rows on PostgreSQL the prompts go as arrays: same rows, same
    order of ids (the history's tie-break), existing prompts skipped."""
    n = ARRAY_INSERT_FROM_ROWS + 3
    big = [
        PromptRecord(f"1.{i}", "first", "jdevries", D1 + timedelta(days=i % 5)) for i in range(n)
    ]
    assert repo.record_prompts(big[:10]) == 10
    assert repo.record_prompts(big[::-1]) == n - 10
    for record in big:  # one at a time: the plain INSERT, another contact
        assert repo.record_prompts([dataclasses.replace(record, contact_id="anna")]) == 1
    session.commit()
    p = PromptRow.__table__.c
    query = sa.select(p.id, p.item_code, p.contact_code, sa.cast(p.queued_on, sa.String))
    stored = {(code, contact): (i, day) for i, code, contact, day in session.execute(query)}
    assert len(stored) == 2 * n
    for r in big:
        assert stored[r.item_id, "jdevries"][1] == stored[r.item_id, "anna"][1]
    ids = [stored[r.item_id, "jdevries"][0] for r in big[10:][::-1]]
    assert ids == sorted(ids)


def test_an_overlong_stage_is_refused_by_a_large_batch_as_by_a_small_one(
    repo: Repository, session: Session
) -> None:
    """PostgreSQL: a stage longer than its column (String(255)) is refused by the array
    insert as by the plain one, the same error, nothing stored (a cast of the array to
    ``varchar(255)[]`` cut it silently). SQLite does not check lengths."""
    assert_overlong_refused_alike(
        session,
        lambda n: [PromptRecord(f"1.{i}", "s" * 300, "jdevries", D1) for i in range(n)],
        repo.record_prompts,
        PromptRow,
    )


def test_a_large_memory_is_saved_as_a_small_one(repo: Repository, session: Session) -> None:
    """The memory's rows (replaced whole, or upserted) as arrays from ARRAY_INSERT_FROM_ROWS
    rows on PostgreSQL read back as saved, with the stored fingerprints kept when none are given.
    The upsert rewrites each counted-update column: between the two saves every one of them
    changes, and some rows go from an update to none, some from none to one."""
    pid = repo.programme_id
    n = ARRAY_INSERT_FROM_ROWS + 5

    def items(shift: int, codes: range) -> dict[str, Remembered]:
        return {
            f"1.{i}": Remembered(
                "overdue" if (i + shift) % 3 else "open", "red", bool(i % 2),
                D1 + timedelta(days=i + shift) if i % 4 else None, D2 if i % 5 else None, "1",
                # what the assessment counted of the updates: none, or an update (its id, day
                # and status) and a forecast, each a function of the shift
                *(
                    (
                        100 * shift + i, D1 - timedelta(days=(i + shift) % 9),
                        ("at_risk", "on_track")[(i + shift) % 2],
                        D3 + timedelta(days=shift) if (i + shift) % 7 else None,
                        ("cli", "decision")[(i + shift) % 2],
                    )
                    if (i + shift) % 6
                    else (None, None, None, None, None)
                ),
            )
            for i in codes
        }  # fmt: skip

    header = MemoryHeader(D1, "basis", "hash", 7)
    first = items(0, range(n))
    memory.save(session, pid, header, first, {c: f"fp-{c}" for c in first},
                replace_all=True, recorded_at=NOW)  # fmt: skip
    assert memory.load_items(session, pid) == first
    changed = items(1, range(3, n + 3))  # three new items, the others changed
    memory.save(session, pid, header, changed, None, replace_all=False, recorded_at=NOW)
    session.commit()
    assert memory.load_items(session, pid) == first | changed
    # Every counted column of a row present in both saves was rewritten, not kept.
    for column in range(6, 10):
        both = [c for c in changed if c in first]
        assert any(first[c][column] != changed[c][column] for c in both), column
    fingerprints = memory.load_fingerprints(session, pid)
    assert fingerprints["1.5"] == ("fp-1.5", "1") and fingerprints[f"1.{n + 1}"] == ("", "1")
    assert len(fingerprints) == n + 3


def test_rows_whose_check_alone_moves_have_that_column_updated(
    repo: Repository, session: Session
) -> None:
    """Given the rows stored now, ``save`` updates the next check of the rows that differ from
    theirs only there, writes nothing for the rows equal to theirs and upserts the rest; it
    reads back as an upsert of every row. Should a row to update be gone (the ``stored`` given
    no longer true), those rows are upserted whole too."""
    pid = repo.programme_id
    n = ARRAY_INSERT_FROM_ROWS + 6

    def row(i: int, state: str = "open", check: date | None = D2) -> Remembered:
        return Remembered(state, "green", False, D3, check, "1", i, D1, "on_track", None, "cli")

    stored = {f"1.{i}": row(i) for i in range(n)}
    header = MemoryHeader(D1, "basis", "hash", 7)
    fps = {c: f"fp-{c}" for c in stored}
    memory.save(session, pid, header, stored, fps, replace_all=True, recorded_at=NOW)
    day = {
        f"1.{i}": (row(i), row(i, check=D4), row(i, check=None), row(i, "overdue"))[i % 4]
        for i in range(n)
    } | {"1.new": row(7)}  # equal; the check moved, or gone; another state; a new item
    written: list[tuple[str, int]] = []

    def count(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if "item_memory" in statement.split("(")[0]:
            written.append((statement.split()[0].upper(), cursor.rowcount))

    engine = session.get_bind()
    sa.event.listen(engine, "after_cursor_execute", count)
    try:
        memory.save(session, pid, header, day, None, replace_all=False, recorded_at=NOW,
                    stored=stored)  # fmt: skip
    finally:
        sa.event.remove(engine, "after_cursor_execute", count)
    moved = sum(1 for i in range(n) if i % 4 in (1, 2))
    whole = sum(1 for i in range(n) if i % 4 == 3) + 1
    # SQLite: one statement per new check (D4, None); PostgreSQL: one from the staged rows.
    per_check = 2 if session.get_bind().dialect.name == "sqlite" else 1
    updates = [rows for kind, rows in written if kind == "UPDATE"]
    assert len(updates) == per_check and sum(updates) == moved
    assert written[per_check:] == [("INSERT", whole)]
    session.commit()
    assert memory.load_items(session, pid) == stored | day
    assert memory.load_fingerprints(session, pid)["1.5"] == ("fp-1.5", "1")
    # A row to update gone since ``stored`` was read: every moved row upserted as well.
    session.execute(sa.text("DELETE FROM item_memory WHERE item_code = '1.1'"))
    later = {c: r._replace(next_check=D1) for c, r in day.items()}
    memory.save(session, pid, header, later, None, replace_all=False, recorded_at=NOW,
                stored=day)  # fmt: skip
    session.commit()
    assert memory.load_items(session, pid) == stored | later


def test_moved_checks_found_by_the_rowids_the_due_read_gave(
    repo: Repository, session: Session
) -> None:
    """SQLite: ``load_due`` gives each due row's rowid, and ``save`` moves those rows' checks by
    them (a statement per new check; another item's row by its code); the memory reads back as
    an upsert of every row. A rowid whose row is gone since: every moved row upserted whole as
    well. PostgreSQL gives none (its moved rows are staged)."""
    pid = repo.programme_id
    sqlite = session.get_bind().dialect.name == "sqlite"

    def row(i: int, check: date) -> Remembered:
        return Remembered("open", "green", False, D3, check, "1", i, D1, "on_track", None, "cli")

    stored = {f"1.{i}": row(i, D2 if i % 2 else D4) for i in range(10)}
    header = MemoryHeader(D1, "basis", "hash", 7)
    fps = {c: f"fp-{c}" for c in stored}
    memory.save(session, pid, header, stored, fps, replace_all=True, recorded_at=NOW)
    rowids: dict[str, int] = {}
    due = memory.load_due(session, pid, D2, rowids)
    assert due == {c: r for c, r in stored.items() if r.next_check == D2}
    assert rowids.keys() == (due.keys() if sqlite else set())
    day = {c: r._replace(next_check=D3 if c == "1.1" else D4) for c, r in due.items()}
    day["1.0"] = stored["1.0"]._replace(next_check=D3)  # not due: no rowid
    statements: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("UPDATE ITEM_MEMORY"):
            statements.append(" ".join(statement.split()))

    engine = session.get_bind()
    sa.event.listen(engine, "before_cursor_execute", seen)
    try:
        memory.save(session, pid, header, day, None, replace_all=False, recorded_at=NOW,
                    stored=stored, rowids=rowids)  # fmt: skip
    finally:
        sa.event.remove(engine, "before_cursor_execute", seen)
    if sqlite:  # D3: "1.1" by its rowid, "1.0" by its code; D4: the rest by their rowids
        by_rowid = [s for s in statements if "WHERE rowid IN" in s]
        assert len(statements) == 3 and len(by_rowid) == 2
    session.commit()
    assert memory.load_items(session, pid) == stored | day
    # A row gone since the rowids were read: every moved row upserted, the gone one again.
    session.execute(sa.text("DELETE FROM item_memory WHERE item_code = '1.3'"))
    later = {c: r._replace(next_check=D1) for c, r in day.items()}
    memory.save(session, pid, header, later, None, replace_all=False, recorded_at=NOW,
                stored=day, rowids=rowids)  # fmt: skip
    session.commit()
    assert memory.load_items(session, pid) == stored | later


def test_the_memory_read_in_part(repo: Repository, session: Session) -> None:
    """The day's partial reads of the memory agree with reading every row: the rows whose next
    check has come, some rows by id (more than one batch of ``IN``), every id, and the counts
    per state and per (action, colour) grouped by the database."""
    pid = repo.programme_id
    n = memory.IN_BATCH + 200
    states, rags = ("open", "overdue", "done"), ("green", "amber", "red", "grey")
    items = {
        f"{i % 7}.{i}": Remembered(
            states[i % 3], rags[i % 4], bool(i % 2), D1 if i % 5 else None,
            None if i % 6 == 0 else D1 + timedelta(days=i % 4), str(i % 7),
            None, None, None, None, None,  # no update counted
        )
        for i in range(n)
    }  # fmt: skip
    memory.save(session, pid, MemoryHeader(D1, "basis", "hash", 0), items, None,
                replace_all=True, recorded_at=NOW)  # fmt: skip
    session.commit()
    assert memory.load_items(session, pid) == items
    due = memory.load_due(session, pid, D2)
    assert due == {i: r for i, r in items.items() if r.next_check and r.next_check <= D2}
    assert 0 < len(due) < n
    some = [i for k, i in enumerate(sorted(items)) if k % 10] + ["9.none"]  # and one unknown
    assert memory.load_items(session, pid, some) == {i: items[i] for i in some if i in items}
    assert len(some) > memory.IN_BATCH
    assert memory.load_items(session, pid, []) == {}
    assert memory.load_ids(session, pid) == set(items)
    # The tally stored with the rows, and the same counted from the rows by the database when
    # either part does not add up to them.
    assert tallies.load_tally(session, pid) == Tally.of(items)._replace(stored=True)
    assert tallies.load_tally(session, "other") == Tally.of({})._replace(stored=True)
    session.execute(sa.text("DELETE FROM memory_state_tally WHERE state = 'open'"))
    assert tallies.load_tally(session, pid) == Tally.of(items)
    session.rollback()
    assert tallies.load_tally(session, pid).stored
    session.execute(sa.text("DELETE FROM memory_action_tally WHERE action_code = '3'"))
    assert tallies.load_tally(session, pid) == Tally.of(items)
    session.rollback()
    negative = "UPDATE memory_action_tally SET grey = grey + green + 1, green = -1"
    session.execute(sa.text(f"{negative} WHERE action_code = '3'"))  # the sums unchanged
    assert tallies.load_tally(session, pid) == Tally.of(items)


def test_the_due_rows_of_each_programme_beside_others(
    repo: Repository, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rows whose next check has come are one programme's, whether the memory holds other
    programmes' rows (programme ids before and after it) or not. On SQLite the table is read
    in storage order when it holds only that programme's rows, else through the primary key."""
    states, rags = ("open", "overdue", "done"), ("green", "amber", "red", "grey")

    def items(offset: int) -> dict[str, Remembered]:
        return {
            f"{i % 5}.{i}": Remembered(
                states[i % 3], rags[(i + offset) % 4], bool(i % 2), D1,
                None if i % 6 == 0 else D1 + timedelta(days=(i + offset) % 4), str(i % 5),
                None, None, None, None, None,
            )
            for i in range(60)
        }  # fmt: skip

    def due(rows: dict[str, Remembered]) -> dict[str, Remembered]:
        return {i: r for i, r in rows.items() if r.next_check and r.next_check <= D2}

    sqlite = session.get_bind().dialect.name == "sqlite"
    used: list[str] = []
    if sqlite:
        read = memory._sqlite_remembered

        def spy(connection: Any, sql: str, params: Any, *rest: Any) -> dict[str, Remembered]:
            used.append(sql)
            return read(connection, sql, params, *rest)

        monkeypatch.setattr(memory, "_sqlite_remembered", spy)
    header = MemoryHeader(D1, "basis", "hash", 0)
    rows = {"p": items(0)}
    memory.save(session, "p", header, rows["p"], None, replace_all=True, recorded_at=NOW)
    session.commit()
    assert memory.load_due(session, "p", D2) == due(rows["p"])
    for pid, offset in (("a", 1), ("z", 2)):  # before and after "p"
        _add_programme(session, pid)
        rows[pid] = items(offset)
        memory.save(session, pid, header, rows[pid], None, replace_all=True, recorded_at=NOW)
        session.commit()
        for each in rows:
            assert memory.load_due(session, each, D2) == due(rows[each])
            assert 0 < len(due(rows[each])) < len(rows[each])
    if not sqlite:
        return
    assert used[0] == memory._SQLITE_DUE_SCAN  # alone in the table
    assert set(used[1:]) == {memory._SQLITE_DUE}  # beside others
    connection = session.connection().connection.driver_connection
    assert connection is not None

    def plan(sql: str) -> str:
        return " ".join(
            str(r[-1]) for r in connection.execute(f"EXPLAIN QUERY PLAN {sql}", ("p", "x"))
        )

    assert plan(memory._SQLITE_DUE_SCAN) == "SCAN item_memory"
    assert "USING INDEX" in plan(memory._SQLITE_DUE)


#: Item codes with what a JSON or an array parameter must carry through: quotes, a backslash,
#: commas, brackets and braces, non-ASCII text, and one that only differs in case.
_ODD_CODES = ['1."a"', "1.'b'", "1.c\\d", "1.e,f", "1.[g]", "1.{h}", "1.ïj", "1.\u00e9k", "1.E,F"]


def test_reads_by_many_odd_codes_equal_the_whole_reads(repo: Repository, session: Session) -> None:
    """The memory rows of some items (one statement with every code as one parameter: a JSON
    text on SQLite, an array on PostgreSQL) are exactly those of the whole read, whatever the
    codes hold and however many there are."""
    pid = repo.programme_id
    codes = [*_ODD_CODES, *(f"2.{i}" for i in range(memory.IN_BATCH + 100))]
    items = {
        c: Remembered(
            "open", "green", bool(i % 2), D1 if i % 3 else None, D2, c.split(".")[0],
            None, None, None, None, None,  # no update counted
        )
        for i, c in enumerate(codes)
    }  # fmt: skip
    memory.save(session, pid, MemoryHeader(D1, "basis", "hash", 0), items, None,
                replace_all=True, recorded_at=NOW)  # fmt: skip
    session.commit()
    for some in (_ODD_CODES, codes[::2], [*codes[1::2], "9.none", '"', "\\"], []):
        assert memory.load_items(session, pid, some) == {c: items[c] for c in some if c in items}
    assert len(memory.load_items(session, pid, codes)) == len(codes)


@pytest.mark.parametrize("read_all", [False, True], ids=["probes", "read-all"])
def test_prompt_facts_are_what_the_whole_history_says(
    repo: Repository, session: Session, monkeypatch: pytest.MonkeyPatch, read_all: bool
) -> None:
    """The store's answers to the reminder rules' questions (:mod:`store.prompt_facts`: index
    probes, or the items' prompts read when they are fewer than keys) equal
    :func:`facts_from_history` over every prompt: odd codes, stages asked or not (and the one
    before, first prompted on, before or after a day), this run's and an earlier run's
    escalation keys, prompts on, before and after the latest update's
    day and after the day asked about, an item with nothing on record."""
    from store import prompt_rows

    held = prompt_rows.held_prompts
    # Every prompt of the items asked about read (as many as they are), or none: the probes.
    monkeypatch.setattr(
        prompt_rows, "held_prompts", lambda *a: held(*a[:-1], 10**9) if read_all else None
    )
    pid = repo.programme_id
    rng = random.Random(8)
    codes = [*_ODD_CODES, *(f"2.{i}" for i in range(400))]
    stages = ["first@2015-09-30", "second@2015-09-30", "due@2015-09-30", "periodic-2015Q3"]
    days = [D1 + timedelta(days=n) for n in range(10)]
    prompts: list[PromptRecord] = []
    questions: dict[str, PromptQuestion] = {}
    for i, code in enumerate(codes):
        run = f"escalation:{code}:{rng.choice(['none', str(i)])}:"
        for _ in range(rng.randrange(7)):
            contact = rng.choice(["jdevries", "pbakker"])
            prompts.append(PromptRecord(code, rng.choice(stages), contact, rng.choice(days)))
        if rng.random() < 0.3:
            key = run + rng.choice(ESCALATION_KINDS)
            prompts.append(PromptRecord(code, key, rng.choice(["office", ""]), rng.choice(days)))
        if rng.random() < 0.2:
            earlier = f"escalation:{code}:1{i}:unanswered"  # of a run that has ended
            prompts.append(PromptRecord(code, earlier, "office", rng.choice(days)))
        # The stage before the asked one, and the day after which its first prompt was late.
        previous = rng.choice([None, *stages])
        # Of an item overdue long enough to escalate: the dates whose first prompt is asked for.
        about = rng.choice(
            [(), (), ("@2015-09-30",), ("@2015-12-31",), ("@2015-12-31", "@2015-09-30")]
        )
        # The contacts whose prompts count (walk30 3: the current ones), for the first prompt
        # about such an item's date and for any item's unanswered prompts (hands33).
        of = rng.choice(
            [frozenset(), frozenset({"jdevries"}), frozenset({"pbakker"}),
             frozenset({"pbakker", "jdevries"}), frozenset({"kclaes"})]
        )  # fmt: skip
        questions[code] = PromptQuestion(
            rng.choice([None, *stages]), run, rng.choice([None, *days]), previous,
            rng.choice(days) if previous else None, about, of,
        )  # fmt: skip
    questions["9.none"] = PromptQuestion(stages[0], "escalation:9.none:none:", None)
    repo.record_prompts(prompts)
    session.commit()
    everything = repo.prompt_history(until=days[-1])
    asked = first_asked = 0
    on_pg = session.get_bind().dialect.name == "postgresql"
    jit = "SELECT current_setting('jit')" if on_pg else "SELECT 1"
    setting = session.execute(sa.text(jit)).scalar()
    for as_of in (days[0], days[4], days[-1]):
        want = facts_from_history(everything, questions, as_of)
        got = prompt_facts(session, pid, as_of, questions)
        expected = {i: f for i, f in want.items() if f != NO_FACTS}
        diff = [
            (i, got.get(i), expected.get(i))
            for i in set(got) | set(expected)
            if got.get(i) != expected.get(i)
        ]
        assert not diff, diff[:3]
        without = prompt_facts(session, pid, as_of, questions, unanswered=False)
        bare = {i: f._replace(unanswered={}) for i, f in want.items()}
        assert without == {i: f for i, f in bare.items() if f != NO_FACTS}, as_of
        asked += sum(f.stage_prompted + f.escalated + len(f.unanswered) for f in got.values())
        first_asked += sum(f.asked_on is not None for f in got.values())
        soon = [f.too_soon for f in got.values()]
        assert as_of == days[0] or (any(soon) and not all(soon))  # both answers, at each day
    assert asked > 500  # the random history answers many questions, each way
    assert first_asked > 50  # the first prompt about an overdue item's date, too
    assert session.execute(sa.text(jit)).scalar() == setting  # PostgreSQL's JIT as it was
    monkeypatch.undo()
    # Read only while the items asked about hold no more prompts than there are keys (every
    # eighth item read first, up to its share of them).
    some = codes[::3]

    def order(p: PromptRecord) -> tuple[str, str, str, date]:
        return p.item_id, p.stage, p.contact_id, p.queued_on

    theirs = sorted(
        (p for p in everything if p.item_id in some and p.queued_on <= days[4]), key=order
    )
    ever = sum(p.item_id in some for p in everything)  # those after the day count too
    assert ever > len(theirs) > 100
    # Whole or nothing at every limit: read (all of them) only from ``ever`` on; below, None,
    # whether the eighth read first or the rest went over (both seen: ``read_first``).
    read_first: list[bool] = []
    rows_of = prompt_rows.rows_of

    def spied(connection: Any, programme: str, codes: list[str], most: int) -> Any:
        rows = rows_of(connection, programme, codes, most)
        if len(codes) == len(some[::8]):
            read_first.append(rows is not None)
        return rows

    monkeypatch.setattr(prompt_rows, "rows_of", spied)
    for limit in sorted({*range(0, 2 * ever, max(1, ever // 40)), ever - 1, ever, 2 * ever}):
        got = prompt_rows.held_prompts(session.connection(), pid, days[4], some, limit)
        if limit < ever:
            assert got is None, limit
        elif got is not None or limit == 2 * ever:  # from twice as many on, read for sure
            assert got is not None and sorted(got, key=order) == theirs, limit
    assert False in read_first and True in read_first
    monkeypatch.undo()
    assert prompt_facts(session, pid, days[-1], {}) == {}


def test_sqlite_looks_prompts_up_through_the_unique_index(session: Session) -> None:
    """Each key a probe of the (programme, item, stage, contact) index, each item's prompts a
    range of it: not a scan of every prompt up to the day through the (programme, queued_on)
    index, which SQLite otherwise picks (years of prompts read per key)."""
    from store import prompt_facts as facts
    from store import prompt_rows

    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("a SQLite query plan")
    connection = session.connection().connection.driver_connection
    assert connection is not None
    for sql, keys in (
        (facts._SQLITE_ON_RECORD, '[["1.1", "first@2015-09-30"]]'),
        (facts._SQLITE_SINCE, '[["1.1", null, ""]]'),
    ):
        plan = " ".join(
            str(row[-1])
            for row in connection.execute(f"EXPLAIN QUERY PLAN {sql}", (keys, "p", "2015-09-09"))
        )
        assert (
            "SEARCH p USING INDEX sqlite_autoindex_prompts_1 (programme_id=? AND item_code=?"
            in plan
        )
        assert "ix_prompts_queued_on" not in plan
    # The items' own prompts, read when they are few: a range of the same index per item.
    held = " ".join(
        str(row[-1])
        for row in connection.execute(
            f"EXPLAIN QUERY PLAN {prompt_rows._SQLITE_HELD}", ("p", '["1.1", "1.2"]', 10)
        )
    )
    assert "USING INDEX sqlite_autoindex_prompts_1 (programme_id=? AND item_code=?)" in held
    assert "SCAN prompts" not in held and "ix_prompts_queued_on" not in held
