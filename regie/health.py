"""Liveness for `GET /healthz`: does the database answer? And, for ``/healthz?full=1``,
`regie doctor`'s checks (:mod:`regie.doctor`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from regie.bootstrap import App, first_line

if TYPE_CHECKING:
    from regie.doctor import Check


def database_problem(app: App) -> str | None:
    """None when the database answers a trivial query, else the first line of the error."""
    import sqlalchemy as sa

    try:
        with app.engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except Exception as exc:  # any driver error: report it, never a traceback page
        return first_line(exc)
    return None


def full_checks(app: App) -> list[Check]:
    """`regie doctor`'s checks for ``/healthz?full=1``, without the Prefect API's: the page
    asks no other server."""
    from regie.doctor import run_checks

    return run_checks(app, prefect=False)
