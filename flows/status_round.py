"""Flow ``status-round``: start a status round (with ``body`` and ``answer_by``), chase and close
open rounds as of the day, then deliver what was queued. Runs every working day (prefect.yaml);
a day run twice queues nothing new. Under the cycle's lock (:func:`flows._prefect.one_cycle`),
as ``prepare-meeting``: never beside another run or a `regie cycle`, which chases and closes the
same rounds in-process."""

from __future__ import annotations

from typing import Any

from prefect import flow, get_run_logger

from flows._prefect import one_cycle, parse_as_of
from flows.send_reminders import send_reminders


@flow(name="status-round")
def status_round(
    as_of: str | None = None,
    body: str | None = None,
    answer_by: str | None = None,
    scope: str | None = None,
) -> dict[str, Any]:
    from regie.bootstrap import bootstrap_for_links
    from regie.rounds import run_round_day

    day = parse_as_of(as_of)  # a bad date fails the run in one line, before any work
    by = parse_as_of(answer_by, field="answer_by")
    with one_cycle("status-round"):
        result = run_round_day(bootstrap_for_links(), day, body=body, answer_by=by, scope=scope)
        get_run_logger().info("Statusrondes: %s", result)
        result["send"] = send_reminders()
    return result
