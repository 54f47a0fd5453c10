"""The ``one_database`` marker: the documented exception to "a test taking ``database_url`` runs
on SQLite and on PostgreSQL".

``@pytest.mark.one_database("why")`` drops the PostgreSQL variant of a test whose subject comes
after the store (a PDF's layout, a mail's text): its PostgreSQL run repeats SQL that the other
PostgreSQL tests of its file run. The reason is required. ``tests/tools/pg_statements.py``
checks the claim: per file, the PostgreSQL variants left run every statement all of them ran.
``--every-database`` keeps the dropped variants (the guard's "before" run).
"""

from __future__ import annotations

import functools

import pytest

MARKER = "one_database"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--every-database",
        action="store_true",
        help=f"run the PostgreSQL variants of tests marked {MARKER} too",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    problems: list[str] = []
    misused: list[tuple[pytest.Item, str]] = []
    dropped: list[pytest.Item] = []
    for item in items:
        marker = item.get_closest_marker(MARKER)
        if marker is None:
            continue
        problem = _misuse(item, marker)
        if problem:
            problems.append(f"{item.nodeid}: {problem}")
            misused.append((item, problem))
        elif _database(item) == "postgres" and not config.getoption("every_database"):
            dropped.append(item)
    if problems and not hasattr(config, "workerinput"):  # not an xdist worker
        # A collection error, one line per test: a marker that drops a variant must say why.
        raise pytest.UsageError("\n".join(sorted(set(problems))))
    for item, problem in misused:
        # In an xdist worker an error raised here is an INTERNALERROR with a traceback: the
        # misused test fails instead, with its one line (review52).
        item.runtest = functools.partial(pytest.fail, problem, pytrace=False)  # type: ignore[method-assign]
    if dropped:
        ids = {id(item) for item in dropped}
        items[:] = [item for item in items if id(item) not in ids]
        config.hook.pytest_deselected(items=dropped)


def _misuse(item: pytest.Item, marker: pytest.Mark) -> str | None:
    reason = marker.args[0] if len(marker.args) == 1 else marker.kwargs.get("reason")
    if len(marker.args) > 1 or (marker.args and marker.kwargs):
        return f"{MARKER} takes one reason"
    if not isinstance(reason, str) or not reason.strip():
        return f'{MARKER} needs a reason: @pytest.mark.{MARKER}("why PostgreSQL adds nothing")'
    if _database(item) is None:
        return f"{MARKER} on a test that does not take database_url"
    return None


def _database(item: pytest.Item) -> str | None:
    callspec = getattr(item, "callspec", None)
    return None if callspec is None else callspec.params.get("database_url")
