"""Flow ``prepare-meeting``: each day, start the status round for meetings ten working days
ahead and send the agenda pack on pack day (``regie.prepare``), then deliver the outbox.
Runs daily (prefect.yaml); a day run twice queues nothing new. Under the cycle's lock
(:func:`flows._prefect.one_cycle`): two runs at once, or one beside a `regie cycle` (which does
the same day's work in-process), would assemble and archive a pack twice."""

from __future__ import annotations

from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows._prefect import one_cycle, parse_as_of
from flows.send_reminders import send_reminders


@task(name="prepare-meetings", cache_policy=NO_CACHE)
def prepare(as_of: str | None) -> dict[str, Any]:
    from regie.bootstrap import bootstrap_for_links
    from regie.prepare import prepare_meetings
    from regie.services import today

    app = bootstrap_for_links()  # refuses unusable links: nothing done
    return prepare_meetings(app, parse_as_of(as_of) or today(app)).summary()


@flow(name="prepare-meeting")
def prepare_meeting(as_of: str | None = None) -> dict[str, Any]:
    """Prepare every governance meeting that is due for it as of ``as_of`` (default today);
    a second run meanwhile, or a `regie cycle`, fails at once doing nothing (as
    ``deadline-check``)."""
    parse_as_of(as_of)  # a bad date fails the run in one line, before the lock
    with one_cycle("prepare-meeting"):
        result = prepare(as_of)
        get_run_logger().info(
            "Vergadervoorbereiding per %s: %d statusrondes gestart, %d agenda's klaargezet",
            result["as_of"],
            len(result["rounds"]),
            len(result["packs"]),
        )
        result["send"] = send_reminders()
    return result
