"""Flow ``daily-cycle``: the morning run — check deadlines, then send what the check queued."""

from __future__ import annotations

from typing import Any

from prefect import flow

from flows._prefect import one_cycle
from flows.deadline_check import deadline_check
from flows.send_reminders import send_reminders


@flow(name="daily-cycle")
def daily_cycle(
    as_of: str | None = None, dry_run: bool = False, full: bool = False
) -> dict[str, Any]:
    """Both steps as subflows, so each has its own run (and retry history) in the Prefect UI.

    A dry run records and sends nothing: it only reports what the check would do. ``full``
    judges every item from the records and rebuilds the per-item memory (``regie cycle
    --full``). Under the cycle's lock, as `regie cycle` (:func:`flows._prefect.one_cycle`).
    """
    with one_cycle("daily-cycle"):
        check = deadline_check(as_of=as_of, dry_run=dry_run, full=full)
        send = None if dry_run else send_reminders()
    return {"check": check, "send": send}
