"""Flow ``send-reminders``: deliver the pending outbox messages through the configured notifier.

Retries live here and only here: delivery is the I/O that can fail for a moment (SMTP, Slack
rate limits). Retrying is safe because the outbox row, not Prefect, guards against a second
delivery: each attempt only picks up messages that are still pending.
"""

from __future__ import annotations

from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from regie import cycle
from regie.bootstrap import bootstrap


class DeliveryFailed(RuntimeError):
    """Some messages could not be delivered; raised so Prefect retries the task."""


@task(
    name="deliver-outbox",
    retries=3,
    retry_delay_seconds=[10, 60, 300],
    cache_policy=NO_CACHE,
)
def deliver(limit: int | None) -> dict[str, Any]:
    report = cycle.send_reminders(bootstrap(), limit=limit)
    if report.failed:
        failures = "; ".join(f"{key}: {error}" for key, error in report.failed[:5])
        more = f" (en {len(report.failed) - 5} meer)" if len(report.failed) > 5 else ""
        raise DeliveryFailed(
            f"{len(report.failed)} van {len(report.failed) + len(report.sent)} berichten via "
            f"{report.channel} niet bezorgd: {failures}{more}"
        )
    return report.summary()


@flow(name="send-reminders")
def send_reminders(limit: int | None = None) -> dict[str, Any]:
    """Send at most ``limit`` pending messages (all when None)."""
    summary = deliver(limit)
    get_run_logger().info("Verzonden via %s: %d berichten", summary["channel"], summary["sent"])
    return summary
