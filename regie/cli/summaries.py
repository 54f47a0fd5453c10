"""What the CLI prints after a cycle: the summary a programme officer reads."""

from __future__ import annotations

from collections import Counter
from typing import Any

import typer

from governance.counts import count
from governance.labels import rag_label, state_label
from regie.bootstrap import App

#: Why the send step left a message out: all its items were finished meanwhile.
UNSENT_WHY = "(their items finished since they were queued)"
#: Why the send step left a reminder digest out: the day's status round message asks its items.
IN_ROUND_WHY = "(reminders whose items today's status round message asks)"


def print_summary(result: dict[str, Any], title: str, app: App) -> None:
    check = result["check"]
    verb = "would record" if check["dry_run"] else "recorded"
    typer.echo(f"{title} — per {check['as_of']}{' (dry run)' if check['dry_run'] else ''}")
    typer.echo(f"  plan: {check['synced']}")
    for warning in check.get("warnings", ()):  # as `regie sync` says them
        typer.echo(f"  {warning}")
    counts = ", ".join(f"{state_label(k)} {v}" for k, v in check["counts"].items())
    typer.echo(f"  milestones: {counts}; programme {rag_label(check['programme_rag'])}")
    if "assessed" in check:
        typer.echo(f"  assessed: {_assessed(check)}")
    names = Counter(check.get("event_names", []))
    detail = ", ".join(f"{n} {name}" for name, n in sorted(names.items()))
    typer.echo(f"  events {verb}: {check['events']}" + (f" ({detail})" if detail else ""))
    if check.get("after_end"):  # once per item and date: the event is new (walk30 9)
        typer.echo(
            f"  deadline after the programme's end ({check['programme_end']}): "
            f"{', '.join(check['after_end'])} (computed from depends_on)"
        )
    if check.get("ended"):  # every run after the end: the cycle goes on while items are open
        typer.echo(f"  {_ended(check['ended'])}")
    quiet = "" if check.get("working_day", True) else " (not a working day: no prompts)"
    queued = "would queue" if check["dry_run"] else "queued"  # a dry run queues nothing
    typer.echo(f"  reminders {queued}: {check['queued']}{quiet}")
    if check["queued"] and not check["dry_run"] and not app.settings.secret_key:
        typer.echo("  answer links: off (REGIE_SECRET_KEY is not set): owners are asked to reply")
    # Only a dry run looks: the file outbox holds these, the database does not know them as
    # sent (a restore from an older backup). With e-mail they would go out twice. The meetings'
    # day (rounds, packs, notices) is checked too, so one line names them all.
    day = result.get("meetings") or {}
    print_resend([*check.get("resend", ()), *day.get("resend", ())], app)
    if check.get("unaddressed"):
        typer.echo(f"  no contact to remind for: {', '.join(check['unaddressed'])}")
    if check.get("unreachable"):
        typer.echo(f"  unreachable on {app.settings.notifier}: {', '.join(check['unreachable'])}")
    if "meetings" in result:
        print_meetings(result["meetings"])
    sent = result.get("send")
    if sent:
        # The file outbox says where its files are; a channel's name says it all.
        where = f" ({app.settings.outbox_dir})" if sent["channel"] == "file" else ""
        typer.echo(
            f"  sent: {sent['sent']} via {sent['channel']}{where}, failed: {sent['failed']}"
            + (f" (of which {sent['dead']} dead: no more attempts)" if sent.get("dead") else "")
            + (f", not sent: {sent['skipped']} {UNSENT_WHY}" if sent.get("skipped") else "")
            + (f", not sent: {sent['in_round']} {IN_ROUND_WHY}" if sent.get("in_round") else "")
        )
        print_failures(sent)
        print_waiting(sent, app)


def _ended(ended: dict[str, Any]) -> str:
    """The line after the programme's end: how many items are still open, split by what
    happens to them (governance.programme_end.OpenAfterEnd, walk55d 4)."""
    parts = [
        f"{n} {what}"
        for n, what in (
            (ended["dated"], "with a date (reminders continue until each is done or cancelled)"),
            (ended["waiting"], "waiting on another item (asked once it has a date)"),
            (ended["undated"], "without a date (no longer asked)"),
        )
        if n
    ]
    n = ended["open"]
    return f"programme ended on {ended['on']}; {n} item{'' if n == 1 else 's'} still open" + (
        f": {', '.join(parts)}" if parts else ""
    )


def print_waiting(sent: dict[str, Any], app: App) -> None:
    """How many failed messages wait for a later attempt and when the first is tried: after an
    outage a message can wait hours for its back-off (walk31 4)."""
    from datetime import datetime

    from governance.clock import utcnow
    from regie.history import office_time
    from regie.services import office_zone

    if held := sent.get("held"):
        # Claimed by another sender: at work, or stopped before it finished (walk58d 3).
        until = datetime.fromisoformat(sent["held_until"])
        again = "now" if until <= utcnow() else f"from {office_time(until, office_zone(app))}"
        keys = sent["held_keys"]
        more = f" and {held - len(keys)} more" if held > len(keys) else ""
        typer.echo(
            f"  held as `sending` by another sender (at work, or stopped before it finished): "
            f"{count(held, 'message')}, {', '.join(keys)}{more}; taken again by a send {again} "
            "if still unsent"
        )
    waiting = sent.get("waiting") or 0
    if not waiting:
        return
    when = datetime.fromisoformat(sent["next_attempt"]) if sent.get("next_attempt") else None
    due = "due now" if when is None or when <= utcnow() else office_time(when, office_zone(app))
    typer.echo(
        f"  waiting for a later attempt: {count(waiting, 'message')}, next attempt {due}; "
        "to send them at the next send: `regie outbox retry --all-failed --yes`"
    )


def print_resend(keys: list[str], app: App) -> None:
    """A dry run's messages whose ``.eml`` is already in the file outbox (:mod:`regie.resend`),
    one line; nothing when there are none."""
    keys = list(dict.fromkeys(keys))
    if keys:
        typer.echo(
            f"  would send again {len(keys)} already in {app.settings.outbox_dir} (sent before "
            f"the database was restored?): {', '.join(keys[:10])}"
            + (f" and {len(keys) - 10} more" if len(keys) > 10 else "")
        )


def print_meetings(meetings: dict[str, Any]) -> None:
    """The meetings' day (:func:`regie.prepare.meeting_day`): rounds started, packs queued,
    rounds chased and closed; or that the Prefect deployments do it."""
    if "deployments" in meetings:
        typer.echo(
            "  meetings: status rounds and agenda packs are left to the prepare-meeting and "
            f"status-round deployments on {meetings['deployments']}"
        )
        return
    dry = meetings.get("dry_run", False)
    progress = [r for r in meetings.get("progress", ()) if r["queued"] or r["closed"]]
    # A meeting that passed without a pack: one line of its own (regie.prepare.PrepareReport).
    missed = meetings.get("missed", ())
    for which in missed:
        typer.echo(
            f"  meeting {which} passed without an agenda pack (none was queued before it); "
            "its decisions go on the next pack's decision list"
        )
    # A meeting moved or cancelled: one line each, with the notices to its pack's recipients.
    told = Counter(":".join(k.split(":")[1:3]) for k in meetings.get("notices", ()))
    for change in meetings.get("changed", ()):
        body, old = change.split()[:2]
        n = told.get(f"{body}:{old}", 0)
        notices = f"{n} notice{'' if n == 1 else 's'} {'to queue' if dry else 'queued'}"
        typer.echo(f"  meeting {change}{'' if change.endswith('told') else f' ({notices})'}")
    # Days remembered but told to nobody (a first run, a body gone from the plan): said once.
    for note in meetings.get("notes", ()):
        typer.echo(f"  meeting {note}")
    skipped = [s for s in meetings.get("skipped", ()) if s.split(":")[0] not in missed]
    if not (meetings["rounds"] or meetings["packs"] or skipped or progress):
        if not (missed or meetings.get("changed")):
            typer.echo(
                "  meetings: nothing due (no status round to start or chase, no agenda pack)"
            )
        return
    started = [
        f"{r} ({count(meetings['requests'].get(r, 0), 'request')})" for r in meetings["rounds"]
    ]
    typer.echo(
        f"  status rounds {'would start' if dry else 'started'}: {', '.join(started) or 'none'}"
    )
    packs = Counter(" ".join(key.split(":")[1:3]) for key in meetings["packs"])
    queued = [f"{m} to {n} contact{'' if n == 1 else 's'}" for m, n in packs.items()]
    typer.echo(
        f"  agenda packs {'would queue' if dry else 'queued'}: {', '.join(queued) or 'none'}"
    )
    for one in skipped:
        typer.echo(f"  no status round for {one}")
    for r in progress:
        what = f"  status round {r['round']} ({r['body']}, answers by {r['answer_by']}):"
        if r["closed"]:
            summaries = f"{r['queued']} summar{'y' if r['queued'] == 1 else 'ies'}"
            typer.echo(
                f"{what} would close, {summaries} to queue"
                if dry
                else f"{what} closed, {summaries} queued"
            )
        elif r["queued"]:
            chases = f"{r['queued']} chase{'' if r['queued'] == 1 else 's'}"
            typer.echo(f"{what} {chases} {'to queue' if dry else 'queued'}")


def _assessed(check: dict[str, Any]) -> str:
    """How many items the day judged, and why that many."""
    total = sum(check["counts"].values())
    if check.get("incremental"):
        changed = "(incremental: those that can have changed)"
        return f"{check['assessed']} of {count(total, 'item')} {changed}"
    if check.get("rebuilt"):
        return f"all {count(check['assessed'], 'item')} (full, the per-item memory rebuilt)"
    return f"all {count(check['assessed'], 'item')} (full)"


def print_failures(sent: dict[str, Any]) -> None:
    """Each failed message with its reason (to stderr), then where to see them all. Reasons and
    notes are the notifiers' words, shown in English (:mod:`regie.reasons`)."""
    from regie.reasons import in_english

    for note in sent.get("notes") or ():
        typer.echo(f"  note {in_english(note)}")
    errors = sent.get("errors", [])
    for line in errors:
        typer.echo(f"  failed {in_english(line)}", err=True)
    if sent.get("stopped"):
        # The channel itself is down: one line, not one per message.
        typer.echo(f"  sending stopped: {in_english(sent['stopped'])}", err=True)
    elif sent.get("failed", 0) > len(errors):
        typer.echo(f"  … and {sent['failed'] - len(errors)} more", err=True)
    if sent.get("failed"):
        typer.echo("  see `regie outbox --status failed` and `--status dead`", err=True)
