"""The lower bound: one hand-written SQL query for the overdue items of a programme at ``as_of``.

It mirrors the engine's definition (:mod:`governance.assessment`) of *overdue*, nothing more:

- the deadlines are the current milestones, plus every current action with its own *gereed* or
  without current milestones;
- an item's due date is its period's end for the dated kinds; a *dependent* item is due
  ``lead`` working days after its last dependency finished, once every dependency is finished
  (a dependency is an action, finished when all its deadlines are, or a single item; an id that
  names nothing never finishes). Other kinds have no due date;
- the latest update (by reported_on, recorded_at, id, reported on or before ``as_of``) is not
  done or cancelled; a finished item finished on its ``completed_on`` (done) or ``reported_on``;
- overdue: due < as_of, and the latest forecast given (if any) does not save it: a forecast
  after the due date that is not yet past (``forecast > due and forecast >= as_of``) makes the
  item slipped instead.

Working days come from ``bench_calendar`` (built from :class:`~governance.workdays.WorkCalendar`,
so both sides use the same holidays). The latest update per item is found per candidate with an
index seek (``ix_status_updates_latest``), which measured faster than a window function over all
updates on both databases. ``idem`` rows are not handled: the loader resolves them, and the
synthetic plan has none.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from governance.periods import DATED_KINDS

_DATED = ", ".join(f"'{k.value}'" for k in sorted(DATED_KINDS))

#: A scalar subquery on the latest update of item ``{item}`` up to ``:as_of``.
_LATEST = """(SELECT {expr} FROM status_updates u
        WHERE u.programme_id = :p AND u.item_code = {item} AND u.reported_on <= :as_of{extra}
        ORDER BY u.reported_on DESC, u.recorded_at DESC, u.id DESC LIMIT 1)"""
_FINISHED_ON = """CASE WHEN u.status = 'done' AND u.completed_on IS NOT NULL THEN u.completed_on
             WHEN u.status IN ('done', 'cancelled') THEN u.reported_on END"""

_SQL = """
WITH deadlines AS NOT MATERIALIZED (  -- inlined, so each use filters the plan tables directly
    SELECT m.code, m.period_kind, m.period_end, m.depends_on FROM milestones m
    WHERE m.programme_id = :p AND m.archived_at IS NULL
    UNION ALL
    SELECT a.code, a.period_kind, a.period_end, a.depends_on FROM actions a
    WHERE a.programme_id = :p AND a.archived_at IS NULL
      AND (a.gereed IS NOT NULL OR NOT EXISTS (
          SELECT 1 FROM milestones m WHERE m.action_id = a.id AND m.archived_at IS NULL))
),
dep_links AS MATERIALIZED (  -- dependent items and the ids they wait for
    SELECT d.code, {dep_value} AS dep FROM deadlines d{dep_join} WHERE d.period_kind = 'dependent'
),
dep_members AS (  -- what a dependency id stands for: an action's deadlines, or one item
    SELECT l.dep, m.code FROM dep_links l  -- an action's milestones
    JOIN actions a ON a.programme_id = :p AND a.code = l.dep AND a.archived_at IS NULL
    JOIN milestones m ON m.action_id = a.id AND m.archived_at IS NULL
    UNION
    SELECT l.dep, a.code FROM dep_links l  -- an action that is a deadline itself
    JOIN actions a ON a.programme_id = :p AND a.code = l.dep AND a.archived_at IS NULL
    WHERE a.gereed IS NOT NULL OR NOT EXISTS (
        SELECT 1 FROM milestones m WHERE m.action_id = a.id AND m.archived_at IS NULL)
    UNION
    SELECT l.dep, m.code FROM dep_links l  -- a milestone
    JOIN milestones m ON m.programme_id = :p AND m.code = l.dep AND m.archived_at IS NULL
),
dep_finished AS (  -- NULL while any member is open; an id that names nothing has no row
    SELECT dm.dep, CASE WHEN count(*) = count(dm.finished_on) THEN max(dm.finished_on) END
        AS finished_on
    FROM (SELECT dep, {member_finished} AS finished_on FROM dep_members) dm
    GROUP BY dm.dep
),
dependent_ready AS (
    SELECT l.code, CASE WHEN count(*) = count(f.finished_on) THEN max(f.finished_on) END AS ready
    FROM dep_links l LEFT JOIN dep_finished f ON f.dep = l.dep GROUP BY l.code
),
past_due AS (
    SELECT code, period_end AS due FROM deadlines
    WHERE period_kind IN ({dated}) AND period_end < :as_of
    UNION ALL
    SELECT code, due FROM (
        SELECT r.code, (SELECT min(c2.day) FROM bench_calendar c1
                        JOIN bench_calendar c2 ON c2.workday_no = c1.workday_no + :lead
                        WHERE c1.day = r.ready) AS due
        FROM dependent_ready r WHERE r.ready IS NOT NULL
    ) dependent WHERE due < :as_of
),
candidates AS MATERIALIZED (  -- whether the owner finished it or forecast a later date decides
    SELECT c.code, c.due, {latest_status} AS status, {latest_forecast} AS forecast
    FROM past_due c
)
SELECT code FROM candidates
WHERE (status IS NULL OR status NOT IN ('done', 'cancelled'))
  AND (forecast IS NULL OR forecast <= due OR forecast < :as_of)
"""


def overdue_sql(dialect: str) -> sa.TextClause:
    """The query for ``dialect`` ("sqlite" or "postgresql"); parameters p, as_of, lead."""
    if dialect == "postgresql":
        dep_value, dep_join = (
            "j.dep",
            " CROSS JOIN LATERAL json_array_elements_text(d.depends_on) j(dep)",
        )
    elif dialect == "sqlite":
        dep_value, dep_join = "j.value", ", json_each(d.depends_on) j"
    else:
        raise ValueError(f"no lower-bound query for {dialect}")
    text = _SQL.format(
        dated=_DATED,
        dep_value=dep_value,
        dep_join=dep_join,
        member_finished=_LATEST.format(expr=_FINISHED_ON, item="dep_members.code", extra=""),
        latest_status=_LATEST.format(expr="u.status", item="c.code", extra=""),
        latest_forecast=_LATEST.format(
            expr="u.forecast", item="c.code", extra=" AND u.forecast IS NOT NULL"
        ),
    )
    return sa.text(text).bindparams(
        sa.bindparam("p", type_=sa.String),
        sa.bindparam("as_of", type_=sa.Date),
        sa.bindparam("lead", type_=sa.Integer),
    )


def overdue_codes(connection: sa.Connection, programme: str, as_of: date, lead: int) -> set[str]:
    """Run the lower-bound query: the codes of the overdue items. On PostgreSQL without its JIT
    compiler, the query at its best: the plan's estimated cost switches it on, and compiling
    then took 1.2–1.8 s of a 1.9–2.6 s run (0.6–0.8 s without; RESULTS §5, round 12)."""
    query = overdue_sql(connection.dialect.name)
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL jit = off")  # this transaction only
    return set(connection.execute(query, {"p": programme, "as_of": as_of, "lead": lead}).scalars())
