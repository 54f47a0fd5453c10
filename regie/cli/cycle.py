"""`regie cycle`: run the daily cycle once and say what happened.

Where it runs depends on whether a Prefect server is configured (README, "Run on a Prefect
server"):

- ``PREFECT_API_URL`` set (in the environment or the active Prefect profile): the
  ``daily-cycle`` flow runs against that server, so the run, its tasks and the emitted events
  show up there and the deployments' triggers react to them.
- not set: the same use cases (``regie.cycle.deadline_check`` then ``send_reminders``) run
  in-process, without importing Prefect. Prefect would otherwise start a temporary server for
  this one process (≈ 7 s, plus ≈ 2 s of imports and ≈ 3 s of API calls) that nobody else can
  see, whose events no trigger receives, and which outlives the command when it is killed.
  The cycle also does the day's work of ``prepare-meeting`` and ``status-round``
  (``regie.prepare.meeting_day``): the status rounds and agenda packs due, then the open rounds
  chased and closed — after the check (which syncs the plan and guards the day), before
  sending, so a round's message of the day is queued before that day's reminder digests go
  out, whenever those deployments run. The ``daily-cycle`` flow does the same on a server
  (idempotent per day: the deployments' own runs then queue nothing new). Only ``--no-send``
  with a server leaves it to them (nothing is sent before they run).
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from regie.bootstrap import App, first_line
from regie.cli.summaries import print_summary
from regie.config import valid_api_url
from regie.cycle import check_can_run
from regie.errors import InvalidInput, RegieError, ServiceUnreachable
from regie.prefect_setup import prefect_api_url, prefect_environment, server_problem
from store.urls import hide_password

if TYPE_CHECKING:
    from governance.plan import Plan


def run_cycle(
    app: App, as_of: date | None, *, dry_run: bool, full: bool = False, send: bool = True
) -> dict[str, Any]:
    from regie.locks import cycle_lock

    with cycle_lock(app.settings.home):
        return _run_cycle(app, as_of, dry_run=dry_run, full=full, send=send)


def _run_cycle(
    app: App, as_of: date | None, *, dry_run: bool, full: bool, send: bool = True
) -> dict[str, Any]:
    plan = app.load_plan()  # a bad plan fails here, in one line per problem, before Prefect
    app.ensure_schema()
    from regie.services import today

    day = as_of or today(app, plan)
    warning = check_can_run(app, plan, day)
    if warning is not None and not dry_run:  # a dry run records no first day
        typer.echo(warning, err=True)
    from regie import restore_hold

    restore = restore_hold.unanswered(app, plan.programme.id)
    held = restore is not None and send and not dry_run  # walk58d 5: queue, send nothing
    send = send and not held
    prefect_environment(app)
    api_url = prefect_api_url()
    if api_url is not None and not valid_api_url(api_url):  # from the profile: the env's is
        raise InvalidInput(  # checked with the other settings
            f"PREFECT_API_URL: not an http(s) URL: {hide_password(api_url)!r} "
            "(in the active Prefect profile)"
        )
    if not send:
        # In this process: the flow would emit the events to Prefect, whose triggers send. The
        # meetings' deployments run on a server when there is one, so only without one here.
        result = run_in_process(
            app, plan, day, dry_run=dry_run, full=full, send=False, meetings=api_url is None
        )
        where = (
            "in-process (--no-send: no Prefect flow run, no events sent to Prefect); "
            "nothing delivered: see `regie outbox --status pending`, then `regie send`"
        )
        if api_url is not None:  # prepare-meeting, status-round; nothing is sent before them
            result["meetings"] = {"deployments": hide_password(api_url)}
    elif api_url is None:
        result = run_in_process(app, plan, day, dry_run=dry_run, full=full)
        where = "in-process (no PREFECT_API_URL: no Prefect flow run, no events sent to Prefect)"
    else:
        result, run_id = run_as_flow(api_url, day, dry_run=dry_run, full=full)
        where = f"Prefect flow run {run_id} on {hide_password(api_url)}"
    if held:
        where = where.replace("--no-send", "held after the restore", 1)
    print_summary(result, plan.programme.title, app)
    typer.echo(f"  ran: {where}")
    if restore is not None and dry_run and (line := restore_hold.dry_run_line(app, restore)):
        typer.echo(line)
    if restore is not None and not dry_run:
        restore_hold.record_cycled(app, plan.programme.id, restore, held=held)
    if restore is not None and held:
        pending = restore_hold.pending_count(app, plan.programme.id)
        typer.echo(restore_hold.held_line(app, restore, pending), err=True)
    from regie.cli.outbox_retry import warn_dead

    if warn_dead(app) or (result.get("send") or {}).get("failed") or held:
        raise typer.Exit(1)  # a message not delivered (or held) needs someone's attention
    return result


def run_in_process(
    app: App,
    plan: Plan,
    day: date,
    *,
    dry_run: bool,
    full: bool = False,
    send: bool = True,
    meetings: bool = True,
) -> dict[str, Any]:
    """What the ``daily-cycle`` flow does, without Prefect: the check, then the sender.
    ``full``: every item judged from the records, the per-item memory rebuilt.

    ``meetings``: between the two, what the ``prepare-meeting`` and ``status-round``
    deployments do on a server (status rounds and agenda packs due, rounds chased and closed);
    with a dry run it records, archives and queues nothing either. A fault there does not hold
    back the day's reminders: they are sent, then the fault is raised.

    The flow also emits the newly recorded events to Prefect; without a server there is no one
    to receive them (Regie's own event log holds them either way: ``regie events``).
    """
    from regie import cycle
    from regie.prepare import meeting_day

    check = cycle.deadline_check(app, day, dry_run=dry_run, plan=plan, rebuild_memory=full)
    prepared: dict[str, Any] | None = None
    fault: Exception | None = None
    try:
        prepared = meeting_day(app, day, plan=plan, dry_run=dry_run) if meetings else None
    except Exception as exc:  # the owners' reminders still go out; the fault is raised after
        fault = exc
    sent = None if dry_run or not send else cycle.send_reminders(app)
    if fault is not None:
        raise fault
    result = {"check": check.summary(), "send": sent.summary() if sent else None}
    if prepared is not None:
        result["meetings"] = prepared
    return result


def run_as_flow(
    api_url: str, day: date, *, dry_run: bool, full: bool = False
) -> tuple[dict[str, Any], str]:
    """Run the ``daily-cycle`` flow on the Prefect server at ``api_url``; (result, run id)."""
    # Never a temporary server from here, whatever the profile says: it would be a child
    # process that a killed `regie cycle` leaves behind.
    os.environ["PREFECT_SERVER_EPHEMERAL_ENABLED"] = "false"
    os.environ["PREFECT_API_URL"] = api_url
    home = Path(os.environ["PREFECT_HOME"])
    try:  # Prefect creates only the last level of its home; a fresh REGIE_HOME has none yet
        home.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RegieError(f"PREFECT_HOME {home}: cannot create it: {exc.strerror}") from exc
    unhealthy = server_problem(api_url)  # before importing Prefect: a server down is said at once
    if unhealthy is not None:
        raise ServiceUnreachable(
            f"Prefect API {hide_password(api_url)} is not reachable: {unhealthy} "
            "(start the server, or unset PREFECT_API_URL to run the cycle without Prefect)"
        )
    from flows.daily_cycle import daily_cycle

    state = daily_cycle(as_of=day.isoformat(), dry_run=dry_run, full=full, return_state=True)
    run_id = str(state.state_details.flow_run_id)
    try:
        result: dict[str, Any] = state.result()
    except RegieError:
        raise  # e.g. a plan edited between the check above and the run: its own one-liner
    except Exception as exc:
        raise RegieError(f"Prefect flow run {run_id} failed: {first_line(exc)}") from exc
    return result, run_id
