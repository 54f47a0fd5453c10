"""Rich tables for the terminal (column headings in Dutch, like the plan)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from governance.events import resource_id
from governance.labels import period_kind_label, rag_label, state_label

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from governance.plan import Plan
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


def status_table(rows: list[dict[str, Any]], as_of: date) -> Table:
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
        state = state_label(row["state"])
        if row["stale"]:
            state += " (verouderd)"
        table.add_row(
            row["id"],
            row["title"],
            ", ".join(row["owners"]),
            row["gereed"] or "",
            row["due"] or "",
            state,
            f"[{RAG_STYLES.get(rag, '')}]{rag_label(rag)}[/]",
            f"{latest['reported_on']} {state_label(latest['status'])}" if latest else "",
        )
    return table


def events_table(events: list[Any]) -> Table:
    from rich.table import Table

    table = Table(title="Gebeurtenissen")
    for heading in ("Datum", "Gebeurtenis", "Nr", "Details"):
        table.add_column(heading)
    for e in events:
        details = ", ".join(f"{k}={v}" for k, v in e.payload.items() if v not in (None, ""))
        table.add_row(e.occurred_on.isoformat(), e.name, e.item_id or "", details)
    return table


def outbox_table(rows: list[Any]) -> Table:
    from rich.table import Table

    table = Table(title="Outbox")
    for heading in ("Datum", "Soort", "Aan", "Status", "Pogingen", "Onderwerp", "Reden"):
        table.add_column(heading)
    for r in rows:
        table.add_row(
            r.created_on.isoformat() if r.created_on else "",
            r.kind,
            r.recipient_name,
            r.status,
            str(r.attempts),
            r.subject,
            r.last_error or "",
        )
    return table


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
    messages only: a sent message reached its contact)."""
    why = unreachable or {}
    return [
        {
            "key": r.key,
            "kind": r.kind,
            "recipient": r.recipient,
            "status": r.status,
            "attempts": r.attempts,
            "created_on": r.created_on.isoformat() if r.created_on else None,
            "channel": r.channel,
            "external_id": r.external_id,
            "subject": r.subject,
            "last_error": r.last_error,
            "unreachable": why.get(r.recipient) if r.status != "sent" else None,
        }
        for r in rows
    ]
