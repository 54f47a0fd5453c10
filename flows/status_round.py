"""Flow ``status-round``: start a status round (with ``body`` and ``answer_by``), chase and close
open rounds as of the day, then deliver what was queued. Runs every working day (prefect.yaml);
a day run twice queues nothing new."""

from __future__ import annotations

from datetime import date
from typing import Any

from prefect import flow, get_run_logger

from flows.send_reminders import send_reminders


@flow(name="status-round")
def status_round(
    as_of: str | None = None,
    body: str | None = None,
    answer_by: str | None = None,
    scope: str | None = None,
) -> dict[str, Any]:
    from regie.bootstrap import bootstrap
    from regie.rounds import run_round_day

    result = run_round_day(
        bootstrap(),
        date.fromisoformat(as_of) if as_of else None,
        body=body,
        answer_by=date.fromisoformat(answer_by) if answer_by else None,
        scope=scope,
    )
    get_run_logger().info("Statusrondes: %s", result)
    result["send"] = send_reminders()
    return result
