"""Flow ``send-reminders``: deliver the pending outbox messages through the configured notifier.

Two kinds of failure, two mechanisms:

- the sender itself fails (database unreachable, a notifier bug): the task raises and Prefect
  retries it (10 s, 1 min, 5 min). Safe, because the outbox row, not Prefect, guards against a
  second delivery: each attempt only claims messages that are still due.
- one message is refused (NotifierError): the outbox records it as failed with its own backoff
  (and gives up after its last attempt); the run logs a warning and reports it in ``failed``.
  A Prefect retry seconds later would find nothing due yet, so it is not retried here.
"""

from __future__ import annotations

from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from regie import cycle
from regie.bootstrap import bootstrap
from regie.cycle import SendReport


@task(
    name="deliver-outbox",
    retries=3,
    retry_delay_seconds=[10, 60, 300],
    cache_policy=NO_CACHE,
)
def deliver(limit: int | None) -> SendReport:
    return cycle.send_reminders(bootstrap(), limit=limit)


@flow(name="send-reminders")
def send_reminders(limit: int | None = None) -> dict[str, Any]:
    """Send at most ``limit`` due messages (all when None)."""
    report = deliver(limit)
    logger = get_run_logger()
    logger.info("Verzonden via %s: %d berichten", report.channel, len(report.sent))
    for key, error in report.failed:
        logger.warning("Niet verzonden: %s: %s", key, error)
    return report.summary()
