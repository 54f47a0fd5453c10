"""Rich tables for the terminal (column headings in Dutch, like the plan)."""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from governance.events import resource_id
from governance.labels import NOT_STARTED, id_label, period_kind_label, rag_label, state_label

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from governance.plan import Plan
    from governance.updates import StatusUpdate
    from governance.workdays import WorkCalendar
    from regie.history import UpdateLine
    from store.records import OutboxRecord, StoredEvent

RAG_STYLES: dict[str, str] = {"green": "green", "amber": "yellow", "red": "bold red", "grey": "dim"}


def console() -> Console:
    from rich.console import Console

    # Wide enough for titles when output is piped (tests, logs); soft-wrap long cells.
    return Console(width=160) if not _is_tty() else Console()


def _is_tty() -> bool:
    import sys

    return sys.stdout.isatty()


def plan_table(plan: Plan) -> Table:
    from rich.table import Table

    table = Table(title=plan.programme.title, show_lines=False)
    for heading in ("Nr", "Actie / mijlpaal", "Eigenaar", "Gereed", "Soort", "Deadline"):
        table.add_column(heading)
    for step in plan.steps:
        table.add_row(f"[bold]{step.number}[/bold]", f"[bold]{step.title}[/bold]", "", "", "", "")
        for action in step.actions:
            period = action.period
            table.add_row(
                action.id,
                action.title,
                ", ".join(action.owners),
                action.gereed or "",
                period_kind_label(period.kind.value) if period else "",
                period.end.isoformat() if period and period.end else "",
            )
            for m in action.milestones:
                mp = m.period
                table.add_row(
                    m.id,
                    f"  {m.title}",
                    ", ".join(m.owners) if m.owners != action.owners else "",
                    m.gereed or "",
                    period_kind_label(mp.kind.value) if mp else "",
                    mp.end.isoformat() if mp and mp.end else "",
                )
    return table


def status_table(
    rows: list[dict[str, Any]], as_of: date, owner_name: Callable[[str], str]
) -> Table:
    """``owner_name``: :meth:`Plan.owner_name`, as the pack, the web pages and the feeds name
    owners; the id beside it where it differs (what ``--owner`` takes)."""
    from rich.table import Table

    table = Table(title=f"Stand per {as_of.isoformat()}")
    for heading in (
        "Nr",
        "Mijlpaal",
        "Eigenaar",
        "Gereed",
        "Deadline",
        "Status",
        "RAG",
        "Laatste update",
    ):
        table.add_column(heading)
    for row in rows:
        rag = row["rag"]
        latest = row["latest_update"]
        state = NOT_STARTED if row.get("not_started") else state_label(row["state"])
        if row["stale"]:
            state += " (verouderd)"
        table.add_row(
            row["id"],
            row["title"],
            ", ".join(id_label(o, owner_name(o)) for o in row["owners"]),
            row["gereed"] or "",
            f"{row['due']} !" if row.get("after_end") else row["due"] or "",
            state,
            f"[{RAG_STYLES.get(rag, '')}]{rag_label(rag)}[/]",
            f"{latest['reported_on']} {state_label(latest['status'])}" if latest else "",
        )
    return table


def after_end_line(rows: list[dict[str, Any]], end: date | None) -> str | None:
    """The line under the status table for the deadlines it marks with "!": open items due
    after the programme's end (a dependent item's date is computed from its ``depends_on``)."""
    late = [r["id"] for r in rows if r.get("after_end")]
    if end is None or not late:
        return None
    return f"! deadline after the programme's end ({end.isoformat()}): {', '.join(late)}"


def dropped_line(rows: list[dict[str, Any]]) -> str | None:
    """The line under the status table for the items without a date because their predecessors
    were cancelled (fix57f 1): a date for the steering body to set, or the item to let lapse."""
    dropped = [
        f"{r['id']} ({', '.join(r['cancelled_predecessors'])})"
        for r in rows
        if r.get("cancelled_predecessors")
    ]
    if not dropped:
        return None
    return (
        f"? no date, predecessor cancelled: {', '.join(dropped)} (a date to set by decision, "
        "or the item to let lapse)"
    )


def events_table(
    events: list[Any],
    calendar: WorkCalendar | None = None,
    forecasts: Collection[tuple[str, str, date]] = (),
) -> Table:
    """The audit log for a reader: a reminder's stage in words (``--format json`` keeps the
    recorded payload, stage keys included). ``calendar``: the plan's working days, to say how
    late a reminder after the deadline was (None: the plan file cannot be read);
    ``forecasts``: the reminders about the owner's forecast, as (item, stage, day)
    (:func:`regie.stage_dates.forecast_reminders`)."""
    from rich.table import Table

    table = Table(title="Gebeurtenissen")
    for heading in ("Datum", "Gebeurtenis", "Nr", "Details"):
        table.add_column(heading)
    for e in events:
        table.add_row(
            e.occurred_on.isoformat(),
            e.name,
            e.item_id or "",
            event_details(e, calendar, forecasts),
        )
    return table


#: Payload fields the table leaves to ``--format json``: internal keys that say nothing to a
#: reader the other fields do not (an escalation's key repeats its item and kind).
_LEFT_TO_JSON: dict[str, frozenset[str]] = {"regie.escalation.raised": frozenset({"key"})}


def event_details(
    event: StoredEvent,
    calendar: WorkCalendar | None = None,
    forecasts: Collection[tuple[str, str, date]] = (),
) -> str:
    """An event's payload as the table shows it: a reminder's stage in words first, then the
    other fields as ``name=value``; ``forecasts`` as :func:`events_table`'s."""
    payload = event.payload
    hidden = _LEFT_TO_JSON.get(event.name, frozenset())
    shown = [
        f"{k}={one_line(v)}"
        for k, v in payload.items()
        if k != "stage" and k not in hidden and v not in (None, "")
    ]
    if _first_assessment(event):  # not a change on that day (walk56a 11)
        done = payload.get("completed_on")
        shown.insert(0, "first assessment, not a change" + (f" (completed {done})" if done else ""))

    stage = payload.get("stage")
    if isinstance(stage, str) and stage:
        about = (event.item_id or "", stage, event.occurred_on) in forecasts
        shown.insert(0, stage_words(stage, event.occurred_on, calendar, forecast=about))
    return ", ".join(shown)


def _first_assessment(event: StoredEvent) -> bool:
    """A state event of an item's first assessment: no state before it (``from`` null), so
    the state it records held already, e.g. an item done long before Regie was adopted."""
    return (
        event.name.startswith(("regie.milestone.", "regie.forecast.slipped"))
        and "from" in event.payload
        and event.payload["from"] is None
    )


def one_line(value: object) -> str:
    """A payload value or a text as a table cell: on one line (line breaks and runs of spaces
    as one space), and no control or direction character reaching the terminal (a note or a
    decision stored before such characters were refused, say)."""
    from governance.characters import displayable

    return " ".join(displayable(str(value)).split())


def stage_words(
    stage: str, on: date, calendar: WorkCalendar | None = None, *, forecast: bool = False
) -> str:
    """A reminder's stage key (``overdue-49@2015-09-30``, :mod:`governance.reminders`) as a
    programme officer reads it, in English like the rest of the command line: which reminder
    about which deadline, and for one after the deadline how many working days late it was
    queued (``on``; with the plan's ``calendar``). Not "reminder 49": the N of ``overdue-N``
    counts the stages since the deadline, prompted or not. ``forecast``: the stage's date is
    the owner's expected date, not the deadline (walk56b 3). A key of another form is shown
    as it is."""
    from governance.stage_keys import stage_parts

    parts = stage_parts(stage)
    due = parts.due.isoformat() if parts.due else ""
    if forecast and parts.kind in ("due", "overdue") and parts.due is not None:
        return _forecast_words(parts.kind, parts.due, on, calendar)
    if parts.kind == "first":
        return f"first reminder before the deadline of {due}"
    if parts.kind == "second":
        return f"second reminder before the deadline of {due}"
    if parts.kind == "due":
        return f"reminder on the deadline of {due}"
    if parts.kind == "overdue" and parts.due is not None:
        text = f"reminder after the deadline of {due}"
        if calendar is not None and on > parts.due:
            late = calendar.working_days_between(parts.due, on)
            text += f" ({late} working day{'' if late == 1 else 's'} overdue)"
        return text
    if parts.kind == "periodic" and parts.period_start is not None:
        start = parts.period_start
        if parts.quarter:
            return f"quarterly status reminder (Q{parts.quarter} {start.year})"
        return f"periodic status reminder (period from {start.isoformat()})"
    if parts.kind == "notice":
        return f"notice: predecessor {', '.join(parts.predecessors)} cancelled, no date"
    if parts.kind == "escalation":
        return "escalation" + (f" ({parts.escalation})" if parts.escalation else "")
    return f"reminder (stage {stage})"


def _forecast_words(kind: str, day: date, on: date, calendar: WorkCalendar | None) -> str:
    """:func:`stage_words` of a stage keyed on the owner's expected date ``day``."""
    if kind == "due":
        return f"reminder on the expected date {day.isoformat()}"
    text = f"reminder after the expected date {day.isoformat()}"
    if calendar is not None and on > day:
        late = calendar.working_days_between(day, on)
        text += f" ({late} working day{'' if late == 1 else 's'} after it)"
    return text


def outbox_table(rows: list[Any], zone: str) -> Table:
    """The outbox; a reason as stored in the notifier's words, shown in English; a failed
    message's next attempt in the office's time ``zone``."""
    from rich.table import Table

    from regie.history import office_time
    from regie.reasons import in_english

    table = Table(title="Outbox")
    for heading in ("Datum", "Soort", "Aan", "Status", "Pogingen", "Onderwerp", "Reden"):
        table.add_column(heading)
    for r in rows:
        reason = _next_attempt(
            in_english(r.last_error) if r.last_error else _late(r),
            office_time(r.next_attempt_at, zone) if r.status == "failed" else "",
        )
        table.add_row(
            r.created_on.isoformat() if r.created_on else "",
            r.kind,
            r.recipient_name,
            r.status,
            str(r.attempts),
            r.subject,
            "; ".join(part for part in (reason, *_tried_before(r), _pruned(r, zone)) if part),
        )
    return table


def _pruned(row: Any, zone: str) -> str:
    """A pruned message's empty subject and recipient name explained (`regie outbox prune`)."""
    from governance.clock import local_date

    when = getattr(row, "pruned_at", None)
    return f"pruned on {local_date(when, zone).isoformat()}" if when else ""


def _tried_before(row: Any) -> list[str]:
    """What migration 0032 keeps, when set: the attempts before `regie outbox retry` gave
    fresh ones, and the channel an attempt left the message on not knowing if it arrived
    (later attempts use that channel only)."""
    out = []
    if row.earlier_attempts:
        n = row.earlier_attempts
        out.append(f"{n} earlier attempt{'s' if n > 1 else ''} before a retry")
    if row.tried_channel:
        out.append(f"tried via {row.tried_channel}, arrival unknown: {row.tried_channel} only")
    return out


def _next_attempt(reason: str, when: str) -> str:
    """A failed message's reason and when it is tried again (`regie outbox retry`: now)."""
    if not when:
        return reason
    return f"{reason}; next attempt {when}" if reason else f"next attempt {when}"


def _late(row: Any) -> str:
    """A message that went out after failed attempts says so (each failure is a
    ``regie.message.failed`` event: `regie events --format json`)."""
    failed = row.attempts - 1 if row.status == "sent" else 0
    return f"sent after {failed} failed attempt{'s' if failed > 1 else ''}" if failed > 0 else ""


def users_table(users: Sequence[dict[str, str | None]]) -> Table:
    from rich.table import Table

    table = Table("user", "name", "state", "created (UTC)", "last login (UTC)")
    for u in users:
        state = str(u["state"])
        if u["state"] == "locked":
            state = f"locked until {u['locked_until']}"
        elif u["state"] == "disabled":
            state = f"disabled {u['disabled_at']}"
        table.add_row(
            str(u["username"]),
            u["name"] or "",
            state,
            str(u["created_at"]),
            u["last_login_at"] or "",
        )
    return table


def print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


def events_json(events: Sequence[StoredEvent]) -> list[dict[str, Any]]:
    return [
        {
            "name": e.name,
            "item_id": e.item_id,
            "resource_id": resource_id(e.item_id) if e.item_id else None,
            "occurred_on": e.occurred_on.isoformat(),
            "recorded_at": e.recorded_at.isoformat(),
            "payload": e.payload,
        }
        for e in events
    ]


def outbox_json(
    rows: Sequence[OutboxRecord], unreachable: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """Rows as JSON; ``unreachable`` names, per contact, why no channel reaches them (undelivered
    messages only: a sent message reached its contact). ``last_error`` is the reason as stored
    (the notifier's words), ``reason`` the same in English, as the table shows it."""
    from regie.reasons import in_english

    why = unreachable or {}
    return [
        {
            "key": r.key,
            "kind": r.kind,
            "recipient": r.recipient,
            "status": r.status,
            "attempts": r.attempts,
            # Before `regie outbox retry` gave fresh attempts (0: none), and the channel an
            # attempt left it on without knowing if it arrived (null: none); migration 0032.
            "earlier_attempts": r.earlier_attempts,
            "tried_channel": r.tried_channel,
            "created_on": r.created_on.isoformat() if r.created_on else None,
            "channel": r.channel,
            "external_id": r.external_id,
            "subject": r.subject,
            # When `regie outbox prune` erased its content (null: not pruned), review11 6.
            "pruned_at": r.pruned_at.isoformat() if r.pruned_at else None,
            "last_error": r.last_error,
            "reason": in_english(r.last_error) if r.last_error else None,
            "unreachable": why.get(r.recipient) if r.status != "sent" else None,
            # A failed message's next attempt (UTC); None for any other status.
            "next_attempt_at": (
                r.next_attempt_at.isoformat()
                if r.status == "failed" and r.next_attempt_at
                else None
            ),
        }
        for r in rows
    ]


def update_lines(item: str, history: list[UpdateLine], as_of: date) -> list[str]:
    """An item's status updates, oldest first, one line each: the id (for ``--corrects``),
    the day, the status, who, and what it corrects or was corrected by."""
    if not history:
        return [f"{item}: no status updates up to {as_of.isoformat()}"]
    lines = [f"{item}: status updates up to {as_of.isoformat()}, oldest first"]
    for line in history:
        u = line.update
        parts = [f"update {u.id}", u.reported_on.isoformat(), u.status.value]
        if u.forecast is not None:
            parts.append(f"forecast {u.forecast.isoformat()}")
        if u.completed_on is not None:
            parts.append(f"completed {u.completed_on.isoformat()}")
        parts.append(f"by {line.author} ({u.source})")
        if line.recorded_by:
            parts.append(f"recorded by {line.recorded_by}")
        if line.corrects is not None:
            c = line.corrects
            parts.append(
                f"correction of update {c.id} of {c.reported_on.isoformat()} ({_by(history, c)})"
            )
        if line.corrected_by is not None:
            b = line.corrected_by
            parts.append(f"CORRECTED by update {b.id} on {b.reported_on.isoformat()}")
        if u.comment:
            parts.append(note_cell(u.comment))
        lines.append("  " + "  ".join(parts))
    return lines


#: How much of a note :func:`update_lines` shows; ``--format json`` gives it whole.
NOTE_WIDTH = 80


def note_cell(note: str) -> str:
    """A note in an update's line: on one line (its line breaks as spaces), at most
    :data:`NOTE_WIDTH` characters with a visible "…" where it is cut (the house's
    :func:`governance.dates.shorten`), in plain double quotes (not Python's repr, which
    escaped quotes and line breaks, walk56b 5), and nothing reaching the terminal raw."""
    from governance.characters import displayable
    from governance.dates import shorten

    return f'"{shorten(displayable(note), NOTE_WIDTH)}"'


def _by(history: list[UpdateLine], update: StatusUpdate) -> str:
    return next((h.author for h in history if h.update.id == update.id), update.author or "-")


def updates_json(history: list[UpdateLine]) -> list[dict[str, Any]]:
    """An item's status updates for ``--format json``: ids, days as ISO text."""
    return [
        {
            "id": h.update.id,
            "reported_on": h.update.reported_on.isoformat(),
            "status": h.update.status.value,
            "forecast": h.update.forecast.isoformat() if h.update.forecast else None,
            "completed_on": h.update.completed_on.isoformat() if h.update.completed_on else None,
            "comment": h.update.comment,
            "author": h.update.author,
            "source": h.update.source,
            "recorded_by": h.recorded_by,
            "corrects": h.update.corrects,
            "corrected_by": h.corrected_by.id if h.corrected_by else None,
        }
        for h in history
    ]
