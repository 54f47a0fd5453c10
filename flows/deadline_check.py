"""Flow ``deadline-check``: sync the plan, assess it, record events and reminders, emit events.

One task does the whole check in one database transaction (no task per milestone: a thousand
tiny tasks cost more than the check itself); a second task forwards the newly recorded events to
Prefect, where deployment triggers (prefect.yaml) react to them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows._prefect import one_cycle, parse_as_of
from regie import cycle
from regie.bootstrap import bootstrap_for_links
from regie.cycle import CheckReport, EventSummary
from regie.services import today


# No retries: a failure here is nearly always a bad plan file or a bug, which repeating would
# not fix; the check is idempotent, so the next run catches up. NO_CACHE: it has side effects.
@task(name="record-deadline-check", cache_policy=NO_CACHE)
def record_check(as_of: date | None, dry_run: bool, full: bool = False) -> CheckReport:
    app = bootstrap_for_links(queues=not dry_run)  # refuses unusable links: nothing done
    return cycle.deadline_check(app, as_of or today(app), dry_run=dry_run, rebuild_memory=full)


@task(name="emit-events", cache_policy=NO_CACHE)
def emit_events(events: list[EventSummary], programme_id: str) -> int:
    from regie.events import publish

    return publish(events, programme_id)


@flow(name="deadline-check")
def deadline_check(
    as_of: str | None = None, dry_run: bool = False, full: bool = False
) -> dict[str, Any]:
    """Assess the plan as of ``as_of`` (YYYY-MM-DD; default today in the office's time zone);
    ``full``: every item from the records, the per-item memory rebuilt. Under the cycle's
    lock (:func:`flows._prefect.one_cycle`): never beside a `regie cycle` or another check."""
    day = parse_as_of(as_of)  # a bad date fails the run in one line, before the lock
    with one_cycle("deadline-check"):
        report = record_check(day, dry_run, full)
        if not dry_run and report.events:
            emit_events(report.events, report.programme_id)
    summary = report.summary()
    get_run_logger().info(
        "Deadlinecontrole %s per %s%s: %d gebeurtenissen, %d herinneringen klaargezet",
        summary["programme"],
        summary["as_of"],
        " (proefdraai)" if dry_run else "",
        summary["events"],
        summary["queued"],
    )
    return summary
