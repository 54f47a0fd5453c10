"""`regie cycle`: run the daily cycle flow in-process and say what happened."""

from __future__ import annotations

import os
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import typer

from regie.bootstrap import App
from regie.cycle import check_can_run
from regie.labels import rag_label, state_label


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
    return result


def print_summary(result: dict[str, Any], title: str, app: App) -> None:
    check = result["check"]
    verb = "would record" if check["dry_run"] else "recorded"
    typer.echo(f"{title} — per {check['as_of']}{' (dry run)' if check['dry_run'] else ''}")
    typer.echo(f"  plan: {check['synced']}")
    counts = ", ".join(f"{state_label(k)} {v}" for k, v in check["counts"].items())
    typer.echo(f"  milestones: {counts}; programme {rag_label(check['programme_rag'])}")
    names = Counter(check.get("event_names", []))
    detail = ", ".join(f"{n} {name}" for name, n in sorted(names.items()))
    typer.echo(f"  events {verb}: {check['events']}" + (f" ({detail})" if detail else ""))
    quiet = "" if check.get("working_day", True) else " (not a working day: no prompts)"
    typer.echo(f"  reminders queued: {check['queued']}{quiet}")
    if check.get("unaddressed"):
        typer.echo(f"  no contact to remind for: {', '.join(check['unaddressed'])}")
    sent = result.get("send")
    if sent:
        where = app.settings.outbox_dir if sent["channel"] == "file" else sent["channel"]
        typer.echo(
            f"  sent: {sent['sent']} via {sent['channel']} ({where}), failed: {sent['failed']}"
        )
