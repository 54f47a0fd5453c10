"""store.dialect.alongside on PostgreSQL: work in a worker thread on the caller's transaction."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from psycopg.errors import QueryCanceled
from sqlalchemy.orm import Session

from store import make_engine
from store.dialect import alongside

pytestmark = pytest.mark.postgres


@pytest.fixture
def engine(postgres_url: str) -> Iterator[sa.Engine]:
    engine = make_engine(postgres_url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE written (id serial PRIMARY KEY, v int NOT NULL)"))
    yield engine
    engine.dispose()


def _insert(session: Session, v: int) -> None:
    session.execute(sa.text("INSERT INTO written (v) VALUES (:v)"), {"v": v})


def _rows(engine: sa.Engine) -> list[int]:
    with engine.connect() as conn:
        return list(conn.scalars(sa.text("SELECT v FROM written ORDER BY id")))


def _workers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("regie-store")]


def test_work_runs_in_order_in_one_transaction(engine: sa.Engine) -> None:
    with Session(engine) as session, session.begin():
        with alongside(session) as submit:
            futures = [submit(lambda v=v: _insert(session, v)) for v in range(5)]
            seen = {f.result() for f in futures}
        assert seen == {None}
        assert _rows(engine) == []  # not committed yet: the caller's transaction
    assert _rows(engine) == [0, 1, 2, 3, 4]  # ids in the order submitted
    assert _workers() == []


def test_the_caller_cannot_use_the_session_while_work_is_pending(engine: sa.Engine) -> None:
    """Before the first submit and once the submitted work is done the caller may use the
    session; in between its statement is refused, not run beside the worker's on the one
    connection."""
    with Session(engine) as session, session.begin(), alongside(session) as submit:
        _insert(session, 1)  # nothing submitted yet
        submit(lambda: _insert(session, 2)).result()
        _insert(session, 3)  # the work is done
        submit(lambda: session.execute(sa.text("SELECT pg_sleep(0.3)")))
        with pytest.raises(RuntimeError, match="pending"):
            _insert(session, 4)
    assert _rows(engine) == [1, 2, 3]
    assert _workers() == []


def test_an_error_in_the_work_ends_the_block_and_nothing_is_committed(engine: sa.Engine) -> None:
    def fail() -> None:
        raise RuntimeError("disk full")

    with (
        pytest.raises(RuntimeError, match="disk full"),
        Session(engine) as session,
        session.begin(),
        alongside(session) as submit,
    ):
        submit(lambda: _insert(session, 1))
        submit(fail)
        submit(lambda: _insert(session, 2))
    assert _rows(engine) == []
    assert _workers() == []


def test_a_failed_write_is_the_error_not_the_aborted_read_after_it(engine: sa.Engine) -> None:
    """A read the caller waits on after a write that failed fails too ("current transaction
    is aborted"): the block raises the write's error, the cause."""
    with (
        pytest.raises(sa.exc.IntegrityError, match="null value") as raised,
        Session(engine) as session,
        session.begin(),
        alongside(session) as submit,
    ):
        submit(lambda: session.execute(sa.text("INSERT INTO written (v) VALUES (NULL)")))
        submit(lambda: session.execute(sa.text("SELECT count(*) FROM written"))).result()
    assert "transaction is aborted" in str(raised.value.__context__)
    assert _workers() == []


@pytest.mark.parametrize("interrupt", [RuntimeError, KeyboardInterrupt])
def test_an_interrupt_cancels_the_work_before_the_rollback(
    engine: sa.Engine, interrupt: type[BaseException]
) -> None:
    started = threading.Event()

    def slow() -> None:
        _insert(session, 1)
        started.set()
        session.execute(sa.text("SELECT pg_sleep(600)"))  # cancelled, never waited out

    with (
        pytest.raises(interrupt),
        Session(engine) as session,
        session.begin(),
        alongside(session) as submit,
    ):
        running = submit(slow)
        queued = submit(lambda: _insert(session, 2))
        assert started.wait(30)
        raise interrupt()
    # The block came back only once its worker was done with the connection.
    assert _workers() == []
    assert isinstance(running.exception(), sa.exc.OperationalError)
    assert isinstance(running.exception().orig, QueryCanceled)  # type: ignore[union-attr]
    assert queued.cancelled()
    assert _rows(engine) == []
