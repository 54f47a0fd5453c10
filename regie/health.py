"""Liveness for `GET /healthz`: does the database answer?"""

from __future__ import annotations

from regie.bootstrap import App, first_line


def database_problem(app: App) -> str | None:
    """None when the database answers a trivial query, else the first line of the error."""
    import sqlalchemy as sa

    try:
        with app.engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except Exception as exc:  # any driver error: report it, never a traceback page
        return first_line(exc)
    return None
