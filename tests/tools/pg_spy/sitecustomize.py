"""Statement recorder for tests/tools/pg_statements.py: on PYTHONPATH only for its runs.

Every Python process started then (pytest and the ``regie`` processes its tests start) appends
the normalised text of each distinct statement it runs on PostgreSQL, with the test that ran
it (PYTEST_CURRENT_TEST, inherited by the processes a test starts), to a file of its own in
REGIE_PG_STATEMENTS (a folder).
"""

from __future__ import annotations

import os

_FOLDER = os.environ.get("REGIE_PG_STATEMENTS")

if _FOLDER:
    from typing import Any

    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from tests.tools.pg_normalise import normalise

    _seen: set[tuple[str, str]] = set()
    _path = os.path.join(_FOLDER, f"{os.getpid()}.tsv")

    @event.listens_for(Engine, "before_cursor_execute")
    def _record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if conn.dialect.name != "postgresql":
            return
        test = os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" (", 1)[0]
        key = (test, normalise(statement))
        if key in _seen:
            return
        _seen.add(key)
        with open(_path, "a", encoding="utf-8") as out:
            out.write(f"{key[0]}\t{key[1]}\n")
