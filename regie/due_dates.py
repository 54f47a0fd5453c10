"""Due dates moved in the plan file without a decision: `regie sync` and `regie plan validate`
warn, one line per item (the rule is :mod:`governance.provenance`'s)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from regie.bootstrap import App

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from governance.plan import Plan


def undecided_after_sync(session: Session, plan: Plan, revisions: Sequence[Any]) -> list[str]:
    """`regie sync`: one warning per due date the sync just recorded as moved without a
    recorded decision to that gereed (a promise is moved by `regie decision add --set-gereed`,
    which keeps the first one)."""
    from governance.provenance import RevisionFact, due_changes, undecided_lines
    from store import reports_read
    from store.dialect import reader

    facts = [
        RevisionFact(r.code, r.field, r.before, r.after, r.recorded_at)
        for r in revisions
        if r.entity in ("action", "milestone") and r.field in ("gereed", "period")
    ]
    if not facts:
        return []
    found = reports_read.decisions(reader(session), plan.programme.id)
    return undecided_lines(due_changes(facts, found), str(plan.path))


def undecided_in_file(app: App, plan: Plan) -> list[str]:
    """`regie plan validate`: the same warning for the file against the synced plan, before it
    is synced. Only against an existing database, read as it is (as ``lost_dates``)."""
    from pathlib import Path

    from governance.provenance import file_edits, undecided_lines
    from store.due_dates import stored_in_file, stored_on_server

    settings = app.settings
    try:
        if settings.is_sqlite:
            database = Path(settings.database_url.split("///", 1)[-1].split("?", 1)[0])
            if not database.is_file():
                return []
            stored, decided = stored_in_file(database, plan.programme.id)
        else:
            stored, decided = stored_on_server(app.engine, plan.programme.id)
    except Exception:  # no database yet, an older schema, a server that is down: no warnings
        return []
    return undecided_lines(file_edits(plan, stored, decided), str(plan.path))
