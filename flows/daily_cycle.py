"""Flow ``daily-cycle``: the morning run — check deadlines, do the day's status round and meeting
work, then send what was queued."""

from __future__ import annotations

from datetime import date
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from flows._prefect import one_cycle
from flows.deadline_check import deadline_check
from flows.send_reminders import send_reminders


@task(name="meeting-day", cache_policy=NO_CACHE)
def meeting_day(as_of: str, dry_run: bool) -> dict[str, Any]:
    """What ``prepare-meeting`` and ``status-round`` do each morning (rounds started, chased and
    closed, packs queued), idempotent per day, so it is queued before the digests are sent
    whichever of those deployments' runs comes late (or waits on the cycle's lock)."""
    from regie.bootstrap import bootstrap_for_links
    from regie.prepare import meeting_day as day_work

    app = bootstrap_for_links(queues=not dry_run)
    return day_work(app, date.fromisoformat(as_of), dry_run=dry_run)  # the check's own day


@flow(name="daily-cycle")
def daily_cycle(
    as_of: str | None = None, dry_run: bool = False, full: bool = False
) -> dict[str, Any]:
    """The check and the sender as subflows, so each has its own run (and retry history) in the
    Prefect UI; between them the day's meeting work (:func:`meeting_day`), as `regie cycle`
    does it without a server: a round's request or chase of the day is queued before that
    day's reminder digests go out, which leave out the items it asks the same owner about.

    A dry run records and sends nothing: it only reports what the check would do. ``full``
    judges every item from the records and rebuilds the per-item memory (``regie cycle
    --full``). Under the cycle's lock, as `regie cycle` (:func:`flows._prefect.one_cycle`).
    A fault in the meeting work (a pack that cannot be made, say) does not hold back the day's
    reminders: they are sent, then the run fails with that fault.
    """
    with one_cycle("daily-cycle"):
        check = deadline_check(as_of=as_of, dry_run=dry_run, full=full)
        try:
            meetings = meeting_day(check["as_of"], dry_run)
        except Exception as exc:  # the owners' reminders still go out; the run fails after
            fault: Exception | None = exc
        else:
            fault = None
        send = None if dry_run else send_reminders()
    if fault is not None:
        raise fault
    return {"check": check, "send": send, "meetings": meetings}
