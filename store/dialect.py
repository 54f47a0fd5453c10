"""What differs between SQLite and PostgreSQL in the repository's statements."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence, Sized
from concurrent.futures import Future
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, overload

import sqlalchemy as sa
from sqlalchemy import Connection
from sqlalchemy.dialects import postgresql, sqlite

if TYPE_CHECKING:  # annotations only: the plain-connection reads need no ORM
    from sqlalchemy.orm import Session

T = TypeVar("T")

#: Bound parameters per statement: well under SQLite's limit (32,766 since 3.32).
MAX_PARAMETERS = 10_000


def dialect_name(session: Session) -> str:
    return session.get_bind().dialect.name


def reader(session: Session) -> Connection:
    """The session's connection (same transaction), for reads of many plain rows.

    ``session.execute`` wraps every row of even a Core ``SELECT`` of columns in the ORM's
    result machinery: about half the cost of reading 100,000 memory rows. Pending ORM changes
    are flushed first, so the rows read include them, as through the session.
    """
    session.flush()
    return session.connection()


def take_write_lock(session: Session) -> None:
    """SQLite: take the database's write lock now, waiting for it up to the busy timeout.

    A transaction starts deferred (a plain ``BEGIN``) and takes the write lock at its first
    write. When it has read before, SQLite refuses that write at once ('database is locked'),
    without waiting, if another connection holds the lock: waiting could deadlock it. A no-op
    write as the transaction's first statement takes the lock while nothing has been read, so
    it waits like any other first write. PostgreSQL: nothing (its writers lock rows)."""
    if dialect_name(session) == "sqlite":
        session.execute(sa.text("UPDATE programmes SET id = id WHERE 1 = 0"))


def insert_function(session: Session) -> Callable[..., Any]:
    """The dialect's ``insert``, which has ``on_conflict_do_nothing`` / ``…_do_update``."""
    dialect = dialect_name(session)
    if dialect == "postgresql":
        return postgresql.insert
    if dialect == "sqlite":
        return sqlite.insert
    raise NotImplementedError(f"the store supports SQLite and PostgreSQL, not {dialect}")


def batches(rows: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def sized_batches(
    rows: Iterable[T], most: int, size: Callable[[T], int], limit: int
) -> Iterator[list[T]]:
    """``rows`` in order, taken as they come: at most ``most`` a batch, and no more than
    ``limit`` of ``size`` (characters, say) a batch unless one row alone is more. A multi-row
    ``INSERT`` of large values holds every one of its rows' values at once, in the driver and
    in SQLite; taken from an iterator, no more than a batch (and the next row) is made."""
    batch: list[T] = []
    total = 0
    for row in rows:
        weight = size(row)
        if batch and (len(batch) == most or total + weight > limit):
            yield batch
            batch, total = [], 0
        batch.append(row)
        total += weight
    if batch:
        yield batch


def json_codes(codes: Collection[str]) -> str:
    """``codes`` (sorted) as one JSON array: the parameter of :func:`in_json_codes`."""
    return json.dumps(sorted(codes))


def in_json_codes(column: Any, codes: Collection[str]) -> sa.ColumnElement[bool]:
    """SQLite: ``column IN (SELECT value FROM json_each(:codes))``, the codes as one JSON text
    parameter. One statement for any number of codes, where batches of ``IN (…)`` with 900
    bound codes each were compiled, expanded and run per batch (16 statements at 14,000
    items); SQLite still probes the column's index once per code (its plan: ``LIST
    SUBQUERY``). JSON functions are built into SQLite since 3.38 (and in most builds before)."""
    values = sa.func.json_each(sa.bindparam(None, json_codes(codes), type_=sa.String))
    table = values.table_valued("value")
    condition: sa.ColumnElement[bool] = column.in_(sa.select(table.c.value))
    return condition


def sqlite_rows(
    connection: Connection, sql: str, params: Mapping[str, Any] | Sequence[Any], batch: int
) -> Iterator[list[Any]]:
    """SQLite: the rows of ``sql`` straight from the driver (``sqlite3``), ``batch`` at a time,
    for the daily step's large reads, where SQLAlchemy's per-row processing cost as much as the
    query. Values come as the driver gives them (ISO text for days: the caller converts).

    As a SQLAlchemy statement would: the read runs in the connection's transaction (begun here
    when none is, so a plain connection's later reads share its snapshot), and a driver error
    is raised as SQLAlchemy's (``sqlalchemy.exc.DBAPIError`` subclasses), which the CLI and the
    web app turn into one line. Only on SQLite, whose :func:`alongside` runs work at once in
    the caller's thread: no other statement can be running on this connection meanwhile (the
    PostgreSQL worker's statements all go through SQLAlchemy, where that is checked).
    """
    import sqlite3

    if connection.dialect.name != "sqlite":
        raise RuntimeError("sqlite_rows reads SQLite only")
    if not connection.in_transaction():
        connection.begin()
    driver = connection.connection.driver_connection
    if driver is None:  # a checked-out connection always has one
        raise RuntimeError("no SQLite connection")
    try:
        cursor = driver.execute(sql, params)
        try:
            while rows := cursor.fetchmany(batch):
                yield rows
        finally:
            cursor.close()
    except sqlite3.Error as exc:
        raise sa.exc.DBAPIError.instance(sql, params, exc, sqlite3.Error) from exc


class IsoDays(dict[str | None, date | None]):
    """Stored ISO text → date (None → None), each text converted once: for the rows of
    :func:`sqlite_rows`, where thousands of rows share a few hundred days."""

    def __init__(self) -> None:
        super().__init__({None: None})

    def __missing__(self, text: str | None) -> date | None:
        found = self[text] = date.fromisoformat(text) if text is not None else None
        return found

    if TYPE_CHECKING:  # for the type checker only: a Python ``__getitem__`` would slow the lookup

        @overload
        def __getitem__(self, text: str) -> date: ...
        @overload
        def __getitem__(self, text: None) -> None: ...
        def __getitem__(self, text: str | None) -> date | None: ...


def batch_size(columns: int) -> int:
    """Rows per multi-row INSERT with ``columns`` bound values each."""
    return max(1, MAX_PARAMETERS // columns)


class Repeated:
    """A table for one executemany whose ``columns`` repeat a few values over many rows (the
    day, the instant of recording).

    On SQLite each such value is converted to its stored text once, by the column type's own
    bind processor, and the statement's copy of the column is untyped, so it is not converted
    again per row (the UTC instant's two conversions cost as much as inserting the row).
    Elsewhere the table and the values are used as they are.
    """

    def __init__(self, session: Session, table: sa.FromClause, columns: Collection[str]) -> None:
        assert isinstance(table, sa.Table)  # a model's ``__table__``
        dialect = session.get_bind().dialect
        self._process: dict[str, Callable[[Any], Any]] = {}
        if dialect.name == "sqlite":
            for name in columns:
                process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
                if process is not None:
                    self._process[name] = process
        self.table: sa.TableClause = table
        if self._process:
            self.table = sa.table(
                table.name,
                *(
                    sa.column(c.name) if c.name in self._process else sa.column(c.name, c.type)
                    for c in table.columns
                ),
            )
        self._seen: dict[tuple[str, Any], Any] = {}

    def value(self, column: str, value: Any) -> Any:
        """``value`` for ``column`` as the statement takes it."""
        process = self._process.get(column)
        if process is None:
            return value
        key = (column, value)
        found = self._seen.get(key, _MISSING)
        if found is _MISSING:
            found = self._seen[key] = process(value)
        return found


_MISSING = object()


#: Rows from which a bulk insert on PostgreSQL goes through :func:`staged`'s arrays (below
#: it, one multi-row statement).
ARRAY_INSERT_FROM_ROWS = 500


def arrays_worthwhile(connection: Connection, rows: Sized) -> bool:
    """Whether ``rows`` go to PostgreSQL through :func:`staged`'s arrays."""
    return connection.dialect.name == "postgresql" and len(rows) >= ARRAY_INSERT_FROM_ROWS


@contextmanager
def staged(
    connection: Connection, table: sa.FromClause, rows: Sequence[Mapping[str, Any]]
) -> Iterator[sa.TextualSelect]:
    """PostgreSQL: ``rows`` as a ``SELECT`` in input order, for one ``INSERT … SELECT … ON
    CONFLICT`` into ``table``: each column's values go as one array literal (a text
    parameter), unnested by the server (``unnest(…) WITH ORDINALITY``).

    A multi-row ``INSERT … VALUES`` of 1,000 rows binds thousands of parameters that the
    server parses and plans per statement. A COPY into a staging table (rounds 4–5) cost a
    temporary table, three round trips and a Python call per row to encode (≈ 0.35 s for a
    day's 31,000 events and prompts at 100k items); the driver's own array adapter is Python
    per element too. Here a column of text is quoted with two C-level replaces per value, and
    every other value is written by the driver's own text dumper (once per distinct value
    where it repeats: days, the instant of recording), after its column type's bind
    conversion, so the stored values are those of an ``INSERT`` of the same rows.
    """
    assert isinstance(table, sa.Table)  # a model's ``__table__``
    dialect = connection.dialect
    columns = list(rows[0])
    quote = dialect.identifier_preparer.quote
    as_text = _TextOf(connection)
    arrays: list[str] = []
    params: dict[str, str] = {}
    for n, name in enumerate(columns):
        column = table.c[name]
        values = [row[name] for row in rows]
        process: Callable[[Any], Any] | None = column.type._cached_bind_processor(dialect)
        if process is not None and not isinstance(column.type, sa.JSON):
            process = _once_per_value(process)  # a payload is a dict: no key
        if process is not None:
            values = [process(v) for v in values]
        params[f"staged_{n}"] = _array_literal(as_text(values))
        arrays.append(f"CAST(:staged_{n} AS {_element_type(column.type, dialect)}[])")
    listed = ", ".join(quote(c) for c in columns)
    query = (
        f"SELECT {listed} FROM unnest({', '.join(arrays)}) WITH ORDINALITY "
        f"AS staged ({listed}, staged_order) ORDER BY staged_order"
    )
    yield sa.text(query).bindparams(**params).columns(*(sa.column(c) for c in columns))


def _element_type(column_type: sa.types.TypeEngine[Any], dialect: sa.Dialect) -> str:
    """The array's element type for a column: its own, but unbounded text for a string column.

    An explicit cast to ``varchar(n)`` cuts a longer value silently; from ``text`` the
    INSERT's own assignment to the column refuses it, as a plain INSERT does."""
    if isinstance(column_type, sa.String) and not isinstance(column_type, sa.Enum):
        return "TEXT"
    return str(column_type.compile(dialect))


class _TextOf:
    """A column's values as the driver writes them in text format (``None`` stays ``None``):
    each distinct value dumped once (a column of days, the instant of recording), a JSON
    payload by the driver's own JSON dumper (public API only: the serialiser the connection
    or the wrapper was given)."""

    def __init__(self, connection: Connection) -> None:
        from psycopg.adapt import PyFormat, Transformer
        from psycopg.types.json import Json, Jsonb

        driver = connection.connection.driver_connection
        assert driver is not None
        self._encoding = driver.info.encoding
        self._transformer = Transformer(driver)
        self._format = PyFormat.TEXT
        self._json = (Json, Jsonb)

    def __call__(self, values: list[Any]) -> list[Any]:
        kinds = {type(v) for v in values}
        kinds.discard(type(None))
        if not kinds or kinds == {str}:
            return values
        if len(kinds) == 1 and issubclass(next(iter(kinds)), self._json):
            sample = next(v for v in values if v is not None)
            dump = self._transformer.get_dumper(sample, self._format).dump
            # The dumper encodes the serialiser's text as UTF-8 (whatever the connection's).
            return [None if v is None else _utf8(dump(v)) for v in values]
        if len(kinds) > 1:  # e.g. True and 1 (equal keys): one by one
            return [None if v is None else self._dump(v) for v in values]
        try:
            distinct: dict[Any, str | None] = dict.fromkeys(values)
        except TypeError:  # unhashable
            return [None if v is None else self._dump(v) for v in values]
        for value in distinct:
            distinct[value] = None if value is None else self._dump(value)
        return [distinct[v] for v in values]

    def _dump(self, value: Any) -> str:
        return self._decode(self._transformer.get_dumper(value, self._format).dump(value))

    def _decode(self, data: Any) -> str:
        return bytes(data).decode(self._encoding)


def _utf8(data: Any) -> str:
    return bytes(data).decode()


def _array_literal(texts: list[str | None]) -> str:
    """A PostgreSQL array literal of ``texts``, each element quoted (``NULL`` for None).

    Text never holds NUL in PostgreSQL: the column is joined on it and escaped in one pass
    (backslash and double quote, the two characters special inside quotes), C-level string
    operations over the whole column instead of a Python call per value."""
    if None not in texts:
        joined = "\x00".join(texts)  # type: ignore[arg-type]  # no None: checked
        if joined.count("\x00") == len(texts) - 1:  # else a NUL of a value: refused below
            return '{"' + _escaped(joined).replace("\x00", '","') + '"}'
    return "{" + ",".join("NULL" if t is None else _quoted(t) for t in texts) + "}"


def _quoted(text: str) -> str:
    return '"' + _escaped(text) + '"'


def _escaped(text: str) -> str:
    """Backslash and double quote escaped, as inside a quoted array element."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _once_per_value(process: Callable[[Any], Any] | None) -> Callable[[Any], Any] | None:
    """``process`` done once per distinct value: a column such as the instant of recording
    repeats one value over every row (the conversion cost as much as copying the row, 16,000
    times a day). Values of another type are another key (``True`` is not ``1``); unhashable
    ones (a JSON payload) are converted each time."""
    if process is None:
        return None
    seen: dict[tuple[type, Any], Any] = {}

    def convert(value: Any) -> Any:
        key = (type(value), value)
        try:
            return seen[key]
        except KeyError:
            found = seen[key] = process(value)
            return found
        except TypeError:
            return process(value)

    return convert


@contextmanager
def quick_compression(connection: Connection) -> Iterator[None]:
    """PostgreSQL: large values written meanwhile compressed with LZ4 rather than the default
    pglz, when the server has it (PostgreSQL ≥ 14 built with LZ4); the setting is restored
    after, and ends with the transaction in any case. Reading needs nothing: each stored value
    says how it was compressed.

    The outbox's digests are tens of megabytes of text at 100k items: pglz took ≈ 0.5 s of
    server CPU for them, LZ4 ≈ 0.15 s, for 20 % more disk (benchmarks/RESULTS.md §5, round 5).
    A session setting, not a column's: no migration, and a server without LZ4 is asked first.
    """
    previous = None
    if connection.dialect.name == "postgresql":
        previous = connection.exec_driver_sql(
            "SELECT setting FROM pg_settings WHERE name = 'default_toast_compression' "
            "AND 'lz4' = ANY(enumvals)"
        ).scalar()
    if previous is None or previous == "lz4":
        yield
        return
    connection.exec_driver_sql("SELECT set_config('default_toast_compression', 'lz4', true)")
    yield
    # Not on an error: the transaction is then rolled back, which ends the setting too.
    connection.exec_driver_sql(
        "SELECT set_config('default_toast_compression', %(previous)s, true)",
        {"previous": previous},
    )


class Submit(Protocol):
    def __call__(self, work: Callable[[], T], /) -> Future[T]: ...


@contextmanager
def alongside(session: Session) -> Iterator[Submit]:
    """Database work that runs while the caller computes something else: ``submit(work)``
    returns a future of ``work()``. The block ends when all the work has, and raises the
    first error of any of it.

    PostgreSQL: the work runs in one worker thread on the session (same transaction, in the
    order submitted), so the server inserts while this thread goes on (the driver lets go of
    the GIL while it waits): on two cores a large insert then costs little wall time. The
    session is one connection, used by one thread at a time: the caller may use it inside the
    block until its first ``submit``; from then until the block ends, only the submitted work
    does (the caller may wait for a future and submit more). A statement of the caller's while
    submitted work is still pending is refused (``RuntimeError``): a check per statement on
    this connection, during the block only (tests/integration/test_daily.py also checks that
    no two threads run statements on one connection at once). SQLite does its work in this
    process: ``work`` runs at once.
    """
    if dialect_name(session) != "postgresql":
        yield at_once
        return
    from concurrent.futures import ThreadPoolExecutor

    connection = session.connection()
    # Taken now, in this thread: on an interrupt its running statement is cancelled from here.
    driver = connection.connection.driver_connection
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="regie-store")
    submitted: list[Future[Any]] = []
    caller = threading.get_ident()

    def submit(work: Callable[[], T], /) -> Future[T]:
        future = pool.submit(work)
        submitted.append(future)
        return future

    def one_thread(*_: object) -> None:
        if threading.get_ident() == caller and not all(f.done() for f in submitted):
            raise RuntimeError(
                "store.dialect.alongside: the session is the worker's while submitted work "
                "is pending; wait for its future first"
            )

    sa.event.listen(connection, "before_cursor_execute", one_thread)
    try:
        try:
            yield submit
            pool.shutdown(wait=True)
        except BaseException as exc:
            # An error or an interrupt (Ctrl-C, a cancelled flow run) here, or while waiting:
            # the caller rolls back next, so the worker must be done with the connection
            # first. Queued work is dropped, the running statement cancelled, and the wait
            # itself not interrupted.
            # Work that had already failed is the cause, not what the caller saw: on PostgreSQL
            # every statement after a failed one fails with "current transaction is aborted",
            # a read the caller waited on too (the caller's error stays attached as the
            # context). Taken before the cancelling below, whose own errors are consequences.
            first = _first_failure(submitted)
            pool.shutdown(wait=False, cancel_futures=True)
            _wait_out(submitted, driver.cancel if driver is not None else None)
            pool.shutdown(wait=True)  # nothing left to run: the thread ends now
            if isinstance(exc, Exception) and isinstance(first, Exception) and first is not exc:
                raise first  # noqa: B904
            raise
    finally:
        sa.event.remove(connection, "before_cursor_execute", one_thread)
    for future in submitted:
        future.result()


def _first_failure(futures: list[Future[Any]]) -> BaseException | None:
    """The first error of the submitted work, in the order submitted (cancelled work has none)."""
    for future in futures:
        if future.done() and not future.cancelled() and future.exception() is not None:
            return future.exception()
    return None


def _wait_out(futures: list[Future[Any]], cancel: Callable[[], None] | None) -> None:
    """Wait until every future is done or cancelled, asking the server to cancel the running
    statement meanwhile (again every half second: a cancel that arrives between two statements
    does nothing), whatever interrupts the wait (re-raised after it): a worker thread must not
    outlive the transaction it writes in."""
    from concurrent.futures import wait

    interrupted: BaseException | None = None
    while True:
        try:
            # done(), not wait(): a future cancelled by shutdown() never counts as done there.
            pending = [f for f in futures if not f.done()]
            if not pending:
                break
            if cancel is not None:
                with contextlib.suppress(Exception):
                    cancel()
            wait(pending, timeout=0.5)
        except BaseException as exc:  # kept, and re-raised once the worker is done
            interrupted = interrupted or exc
    if interrupted is not None:
        raise interrupted


def at_once(work: Callable[[], T], /) -> Future[T]:
    """``work`` done now, as a finished future (SQLite's :func:`alongside`)."""
    done: Future[T] = Future()
    done.set_result(work())
    return done
