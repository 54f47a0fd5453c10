"""PostgreSQL's append-only guards as the migrations install them, for `regie audit verify`:
each guard trigger's table, timing and function, and each guard function's body.

The reference needs no database: the migrations up to the revision are rendered as SQL the way
`alembic upgrade --sql` does (Alembic's offline mode, dialect PostgreSQL; a data step sees no
rows), and the ``CREATE``/``DROP`` statements are replayed in order. That is SQLite's check
(:func:`store.audit.reference_triggers`, whose triggers hold their own SQL) made symmetrical:
there a trigger's text is its guard, here the text is split between a trigger and the
function it executes, and a ``CREATE OR REPLACE FUNCTION`` that allows updates would leave
every trigger in place.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

_STATEMENT = re.compile(
    r"CREATE\s+(?:OR\s+REPLACE\s+)?FUNCTION\s+(?P<function>\w+)\(\)\s+RETURNS\s+trigger\s+"
    r"LANGUAGE\s+(?P<language>\w+)\s+AS\s+\$\$(?P<body>.*?)\$\$"
    r"|DROP\s+FUNCTION\s+(?:IF\s+EXISTS\s+)?(?P<dropped_function>\w+)\(\)"
    r"|CREATE\s+(?:CONSTRAINT\s+)?TRIGGER\s+(?P<trigger>\w+)\s+(?P<timing>.*?)\s+ON\s+"
    r"(?P<table>\w+)\s+(?P<options>.*?)EXECUTE\s+FUNCTION\s+(?P<executes>\w+)\(\)"
    r"|DROP\s+TRIGGER\s+(?:IF\s+EXISTS\s+)?(?P<dropped_trigger>\w+)\s+ON\s+(?P<dropped_on>\w+)"
    r"|DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?P<dropped_table>\w+)",
    re.DOTALL,
)
# pg_trigger.tgtype's bits (PostgreSQL's include/catalog/pg_trigger.h).
_ROW, _BEFORE, _INSERT, _DELETE, _UPDATE, _TRUNCATE = 1, 2, 4, 8, 16, 32
_DISABLED = {"D": "", "R": " (fires only on a replica)"}
_EVENTS = {"INSERT": _INSERT, "DELETE": _DELETE, "UPDATE": _UPDATE, "TRUNCATE": _TRUNCATE}


@dataclass(frozen=True, slots=True)
class PgGuards:
    """What the migrations up to one revision leave installed."""

    #: (table, trigger) → (the function it executes, pg_trigger.tgtype, its ``UPDATE OF``
    #: columns, sorted)
    triggers: dict[tuple[str, str], tuple[str, int, tuple[str, ...]]] = field(default_factory=dict)
    #: function → (language, body as written between ``$$``)
    functions: dict[str, tuple[str, str]] = field(default_factory=dict)


@lru_cache(maxsize=4)  # the migrations do not change while a process runs; read-only
def reference_guards(revision: str | None) -> PgGuards:
    """The guards the migrations install on PostgreSQL up to ``revision`` (None: head)."""
    guards = PgGuards()
    for match in _STATEMENT.finditer(_rendered(revision or "heads")):
        if match["function"]:
            guards.functions[match["function"]] = (match["language"].lower(), match["body"])
        elif match["dropped_function"]:
            guards.functions.pop(match["dropped_function"], None)
        elif match["trigger"]:
            kind = _tgtype(match["timing"], match["options"])
            columns = _columns(match["timing"])
            guards.triggers[match["table"], match["trigger"]] = (match["executes"], kind, columns)
        elif match["dropped_trigger"]:
            guards.triggers.pop((match["dropped_on"], match["dropped_trigger"]), None)
        elif match["dropped_table"]:
            for key in [k for k in guards.triggers if k[0] == match["dropped_table"]]:
                del guards.triggers[key]
    return guards


def problems(session: Session, reference: PgGuards) -> list[str]:
    """One line per trigger that is disabled, per guard trigger that is missing, runs another
    function or fires on other events, and per guard function that is missing or not the one
    installed."""
    # The function a trigger runs is the one of its tgfoid, wherever it lives (review50 1):
    # looked up by name, a same-named one in another schema would pass unseen. A WHEN
    # (tgqual) or a column list (tgattr) narrows when it fires, with name and events intact.
    rows = session.execute(
        sa.text(
            "SELECT c.relname, t.tgname, t.tgenabled, p.proname, t.tgtype, pn.nspname, "
            "pn.nspname = current_schema(), t.tgqual IS NOT NULL, "
            "ARRAY(SELECT a.attname FROM pg_attribute a WHERE a.attrelid = t.tgrelid "
            "AND a.attnum = ANY(t.tgattr) ORDER BY a.attname) "
            "FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "JOIN pg_proc p ON p.oid = t.tgfoid "
            "JOIN pg_namespace pn ON pn.oid = p.pronamespace "
            "WHERE NOT t.tgisinternal AND n.nspname = current_schema()"
        )
    ).all()
    found = {(row[0], row[1]): row[2:] for row in rows}
    tables = {table for table, _ in found}
    # 'R' (ENABLE REPLICA TRIGGER) fires only where session_replication_role is replica: not
    # in Regie's sessions, so as good as disabled.
    lines = [f"trigger {name} on {table}: disabled" + _DISABLED[state] for (table, name),
             (state, *_) in sorted(found.items()) if state in _DISABLED]  # fmt: skip
    for (table, name), (function, kind, columns) in sorted(reference.triggers.items()):
        if (table, name) not in found:
            if table in tables or _exists(session, table):
                lines.append(f"trigger {name} on {table}: missing (dropped?)")
            continue
        _, runs, fires, schema, here, qualified, on_columns = found[table, name]
        where = f"trigger {name} on {table}"
        if runs != function:
            lines.append(f"{where}: runs {runs}(), not {function}() as installed")
        elif not here:
            lines.append(f"{where}: runs {runs}() of schema {schema}, not the one installed")
        elif int(fires) != kind or tuple(on_columns) != columns:
            lines.append(f"{where}: fires on other events than installed")
        elif qualified:  # no migration writes a WHEN
            lines.append(f"{where}: fires only WHEN a condition holds, not as installed")
    installed = dict(
        session.execute(
            sa.text(
                "SELECT p.proname, l.lanname || ':' || p.prosrc FROM pg_proc p "
                "JOIN pg_namespace n ON n.oid = p.pronamespace "
                "JOIN pg_language l ON l.oid = p.prolang "
                "WHERE n.nspname = current_schema() AND p.proname = ANY(:names)"
            ),
            {"names": sorted(reference.functions)},
        )
        .tuples()
        .all()
    )
    for function, (language, body) in sorted(reference.functions.items()):
        if function not in installed:
            lines.append(f"function {function}(): missing (dropped?)")
        elif _normal(installed[function]) != _normal(f"{language}:{body}"):
            lines.append(f"function {function}(): changed from what the migrations installed")
    return lines


def _rendered(revision: str) -> str:
    """The SQL of the migrations from the base up to ``revision``, for PostgreSQL."""
    from alembic.migration import MigrationContext
    from alembic.operations import Operations
    from alembic.script import ScriptDirectory

    from store.db import alembic_config

    out = io.StringIO()
    context = MigrationContext.configure(
        dialect_name="postgresql",
        dialect_opts={"paramstyle": "named"},  # '%' kept as written, as online
        opts={"as_sql": True, "output_buffer": out, "literal_binds": True},
    )
    context.impl.connection = _NoRows(context.dialect)  # type: ignore[assignment]
    script = ScriptDirectory.from_config(alembic_config())
    with Operations.context(context):
        for step in reversed(list(script.walk_revisions("base", revision))):
            step.module.upgrade()
    return out.getvalue()


class _NoRows:
    """The connection a migration's data step reads from when rendered: no rows, so it changes
    nothing (its DDL is rendered as usual)."""

    def __init__(self, dialect: Any) -> None:
        self.dialect = dialect

    def execute(self, *_: Any, **__: Any) -> _NoRows:
        return self

    def scalars(self, *_: Any, **__: Any) -> _NoRows:
        return self

    def all(self) -> list[Any]:
        return []

    def __iter__(self) -> Any:
        return iter(())


def _tgtype(timing: str, options: str) -> int:
    words = timing.upper().split()
    kind = sum(_EVENTS.get(word, 0) for word in words)
    kind |= _BEFORE if words[0] == "BEFORE" else 0
    return kind | (_ROW if "FOR EACH ROW" in " ".join(options.upper().split()) else 0)


def _columns(timing: str) -> tuple[str, ...]:
    """The columns of ``UPDATE OF a, b``, sorted; () for a trigger on whole rows."""
    listed = re.search(r"\bOF\s+(.*?)(?:\s+OR\b|$)", timing, re.IGNORECASE | re.DOTALL)
    return tuple(sorted(c.strip() for c in listed[1].split(","))) if listed else ()


def _normal(text: str) -> str:
    return " ".join(text.split())


def _exists(session: Session, table: str) -> bool:
    return bool(session.scalar(sa.text("SELECT to_regclass(:t) IS NOT NULL"), {"t": table}))
