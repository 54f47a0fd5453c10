"""`regie cycle`: run the daily cycle flow and say what happened."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

import typer

from regie.bootstrap import App
from regie.cli.summaries import print_summary
from regie.cycle import check_can_run


def prefect_environment(app: App) -> None:
    """Give Prefect the project's own home before it is imported (see DESIGN.md)."""
    os.environ.setdefault("PREFECT_HOME", str((app.settings.home / "prefect").resolve()))
    # Prefect creates only the last level of its home; a fresh REGIE_HOME has none yet.
    Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")


def run_cycle(app: App, as_of: date | None, *, dry_run: bool) -> dict[str, Any]:
    from regie.services import today

    plan = app.load_plan()  # a bad plan fails here, in one line per problem, before Prefect
    app.ensure_schema()
    day = as_of or today(app)
    check_can_run(app, plan, day)
    prefect_environment(app)
    from flows.daily_cycle import daily_cycle

    result: dict[str, Any] = daily_cycle(as_of=day.isoformat(), dry_run=dry_run)
    print_summary(result, plan.programme.title, app)
    if (result.get("send") or {}).get("failed"):
        raise typer.Exit(1)  # a message not delivered needs someone's attention
    return result
