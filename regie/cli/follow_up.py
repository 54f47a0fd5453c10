"""`regie follow-up`: who the office still has to chase, as the office's *Opvolging* page shows
it (:mod:`regie.follow_up`): owners asked and silent, open escalations, messages not delivered,
contacts whose address bounces or whom no channel reaches."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from governance.counts import count
from regie.cli.common import AsOfOpt, Format, FormatOpt, _app, parse_date
from regie.errors import InvalidInput

if TYPE_CHECKING:
    from regie.follow_up import ChaseRow, FollowUp


class Sort(StrEnum):
    waiting = "waiting"  # the longest waiting first (the page's ``dagen``)
    owner = "owner"
    number = "number"


#: The page's sort for each of the command's.
PAGE_SORTS = {Sort.waiting: "dagen", Sort.owner: "eigenaar", Sort.number: "nummer"}


def follow_up(
    as_of: AsOfOpt = None,
    owner: Annotated[str | None, typer.Option(help="Only items this organisation owns.")] = None,
    step: Annotated[int | None, typer.Option(help="Only this step number.")] = None,
    sort: Annotated[
        Sort, typer.Option(help="waiting: the longest waiting first; owner; number.")
    ] = Sort.waiting,
    fmt: FormatOpt = Format.table,
) -> None:
    """Who the office still has to chase: the items whose owners were asked (reminders from
    the due date on, open status rounds) and have not answered, with their open escalations
    (as the agenda pack counts them); then the messages not delivered, the contacts whose
    e-mail bounces and those no channel reaches. The office's page /opvolging shows the same."""
    from regie.follow_up import follow_up as build
    from regie.services import today

    app = _app()
    plan = app.load_plan()
    if owner is not None and plan.organisation(owner) is None:
        known = ", ".join(o.id for o in plan.organisations)
        raise InvalidInput(f"--owner: unknown organisation {owner!r} (known: {known})")
    if step is not None and step not in {s.number for s in plan.steps}:
        raise InvalidInput(f"--step: no step {step} in the plan")
    day = parse_date(as_of, "--as-of") or today(app, plan)
    view = build(app, day, owner or "", "" if step is None else str(step), PAGE_SORTS[sort])
    if fmt == Format.json:
        from regie.cli.tables import print_json

        print_json(as_json(view))
        return
    for line in lines(view):
        typer.echo(line)


def lines(view: FollowUp) -> list[str]:
    """The table format: one line per item, message and contact."""
    head = f"follow-up on {view.as_of}: {count(view.total, 'item')} without an answer"
    out = [head + (f", {view.escalated} escalated" if view.escalated else "")]
    if view.matched != view.total:
        out.append(f"matching the filters: {view.matched}")
    for r in view.everything:
        out.append(_line(r))
    for m in view.undelivered:
        reason = f" ({m.error})" if m.error else ""
        out.append(f"not delivered: {m.queued_on} {m.kind} to {m.contact_id}: {m.status}{reason}")
    for b in view.bounced:
        out.append(f"bounces: {b.contact_id} <{b.email}>" + (f": {b.reason}" if b.reason else ""))
    for u in view.unreachable:
        out.append(f"unreachable: {u.contact_id} ({u.reason})")
    return out


def _line(r: ChaseRow) -> str:
    c = r.chase
    asked = ", ".join(c.contacts) or "nobody"
    text = (
        f"{c.item_id}  {', '.join(c.owners)}: asked {asked} since {c.asked_since}"
        f" ({count(c.waiting_days, 'working day')})"
    )
    parts = [count(c.reminders, "reminder")] if c.reminders else []
    parts += [f"round {a.round_id} (answer by {a.answer_by})" for a in c.rounds]
    text += ", " + ", ".join(parts) if parts else ""
    if c.escalated_on is not None:
        to = f" to {', '.join(c.escalated_to)}" if c.escalated_to else ""
        text += f"; escalated {c.escalated_on}{to}"
    return text


def as_json(view: FollowUp) -> dict[str, Any]:
    def iso(value: Any) -> str | None:
        return value.isoformat() if value is not None else None

    return {
        "as_of": view.as_of.isoformat(),
        "items": [
            {
                "id": r.chase.item_id,
                "title": r.title,
                "step": r.step,
                "state": r.state,
                "due": iso(r.due),
                "owners": list(r.chase.owners),
                "contacts": list(r.chase.contacts),
                "asked_since": iso(r.chase.asked_since),
                "last_asked": iso(r.chase.last_asked),
                "working_days": r.chase.waiting_days,
                "reminders": r.chase.reminders,
                "rounds": [
                    {"round": a.round_id, "body": a.body, "answer_by": iso(a.answer_by)}
                    for a in r.chase.rounds
                ],
                "escalated_on": iso(r.chase.escalated_on),
                "escalated_to": list(r.chase.escalated_to),
            }
            for r in view.everything
        ],
        "undelivered": [
            {
                "key": m.key,
                "kind": m.kind,
                "contact": m.contact_id,
                "status": m.status,
                "queued_on": iso(m.queued_on),
                "last_error": m.error,
                "next_attempt_at": iso(m.next_attempt_at),
            }
            for m in view.undelivered
        ],
        "bounced": [
            {"contact": b.contact_id, "email": b.email, "reason": b.reason, "since": iso(b.since)}
            for b in view.bounced
        ],
        "unreachable": [{"contact": u.contact_id, "reason": u.reason} for u in view.unreachable],
    }
