"""A queued message is checked again just before it goes out.

A digest may wait in the outbox (a retry after a failure, a sender that was down): items done
or cancelled in the meantime are left out of it, and a digest left with nothing to ask is not
sent at all but recorded as such. A report-due reminder whose report has been archived
meanwhile is not sent either (suppressed, with the reason). A reminder digest also leaves out
the items a status round's request or chase of the same day asks its contact about (that
message is the day's one request for them), and is not sent when nothing is left. Works from
the database alone: the message's payload carries what its templates need (``render``), so no
plan file is read; only a report-due reminder queued before its payload said whether its
obligation is the plan's only one is checked with the plan's obligations as they are now (the
sender passes them).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from store.records import OutboxRecord


def __getattr__(name: str) -> str:
    # NOTHING_LEFT: why a message was not sent (stored as its last_error, status 'suppressed',
    # the items left out after it in parentheses), worded by the delivery-note catalogue when
    # first asked for (no Jinja2 when the command line starts).
    if name == "NOTHING_LEFT":
        from notifications.notes import NoteCode, dutch

        return dutch(NoteCode.NOTHING_LEFT)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True, slots=True)
class Rechecked:
    message: OutboxRecord  # what to send (revised when items were left out)
    left_out: tuple[str, ...] = ()  # item ids done or cancelled since the message was queued
    cancelled: str | None = None  # why it is not to go out at all (a report archived meanwhile)
    #: Item ids of a reminder digest that a status round's request or chase to the same contact,
    #: queued for the same day, asks about: left out, that message is the day's one request.
    in_round: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.left_out or self.in_round or self.cancelled)

    @property
    def empty(self) -> bool:
        return not self.message.payload.get("items")


def finished_items(session: Session, programme_id: str, item_ids: list[str]) -> set[str]:
    """Of ``item_ids``, those whose latest status update says done or cancelled."""
    from governance.updates import UpdateStatus, latest_updates
    from store.assessment_query import assessment_updates

    wanted = set(item_ids)
    updates = [
        u for u in assessment_updates(session, programme_id, date.max) if u.item_id in wanted
    ]
    latest, _ = latest_updates(updates, date.max)
    finished = {UpdateStatus.DONE, UpdateStatus.CANCELLED}
    return {item for item, u in latest.items() if u.status in finished}


def recheck(
    session: Session,
    programme_id: str,
    message: OutboxRecord,
    obligations: Collection[str] | None = None,
) -> Rechecked:
    """``obligations``: the plan's reporting obligations now, for a report-due reminder queued
    before its payload carried what the archive check needs (:func:`needs_plan`)."""
    if message.kind == "report_due":
        from regie.report_due import archived_since

        # Its report archived while it waited or was being sent (review mailrep, finding 3).
        why = archived_since(session, programme_id, message.payload, obligations)
        if why is not None:
            return Rechecked(message, cancelled=why)
    items: list[dict[str, Any]] = list(message.payload.get("items") or [])
    ids = [str(i["id"]) for i in items if "id" in i]
    if not ids:
        return Rechecked(message)
    done = finished_items(session, programme_id, ids)
    asked = _asked_in_round(session, programme_id, message) - done
    if asked:
        # A notice (a predecessor cancelled, fix57f 1) is news the round's request does not
        # carry: it stays.
        asked -= {str(i["id"]) for i in items if i.get("notice")}
    if not done and not asked:
        return Rechecked(message)
    gone = done | asked
    payload = dict(message.payload)
    payload["items"] = [i for i in items if str(i.get("id")) not in gone]
    left_out = tuple(i for i in ids if i in done)
    revised = replace(message, payload=payload)
    context = payload.get("render")
    if payload["items"] and isinstance(context, dict):
        revised = rerender(revised, context, gone, still_open=asked)
    return Rechecked(revised, left_out, in_round=tuple(i for i in ids if i in asked))


def _asked_in_round(session: Session, programme_id: str, message: OutboxRecord) -> set[str]:
    """A reminder digest's items that the same day's status round message to the same contact
    asks about (walk30 7): the owner is asked about an item once a day. Their prompts stay on
    record, as the round's message asked them that day."""
    from store.outbox import DIGEST_KIND, asked_in_round

    if message.kind != DIGEST_KIND or message.created_on is None:
        return set()
    return asked_in_round(session, programme_id, message.recipient, message.created_on)


def needs_plan(message: OutboxRecord) -> bool:
    """A report-due reminder queued before its payload said whether its obligation is the
    plan's only one (``sole``): the archive check asks the plan for that."""
    return message.kind == "report_due" and "sole" not in message.payload


def rerender(
    message: OutboxRecord,
    context: dict[str, Any],
    done: set[str],
    *,
    still_open: Collection[str] = (),
) -> OutboxRecord:
    """Subject and text again from the templates, without the items left out (``done``).
    ``still_open``: those of them left out though still open (a status round asks them the same
    day): a digest's closing count of the contact's other open items takes them in, as it
    counts every open item not in the digest (walk56e 2)."""
    from governance.reminders import is_addition
    from notifications.render import header_text, render
    from regie.messages import from_json

    moved = _counted_elsewhere(context, still_open)
    restored = from_json(context) | moved
    restored.setdefault("addition", is_addition(message.key))  # queued before it was given
    restored["items"] = [i for i in restored["items"] if i["item_id"] not in done]
    # A report reminder's items --mark-done would record: one finished since is not (walk58a 2).
    marks = {"marks": [m for m in context["marks"] if m not in done]} if "marks" in context else {}
    restored |= marks
    payload = dict(message.payload) | moved  # Slack's closing block reads the payload's
    payload["render"] = {
        **context,
        **moved,
        **marks,
        "items": [i for i in context["items"] if i["item_id"] not in done],
    }
    return replace(
        message,
        subject=header_text(render(f"{message.kind}.subject.j2", **restored)),
        body_text=render(f"{message.kind}.txt.j2", **restored),
        body_html=render(f"{message.kind}.html.j2", **restored) if message.body_html else None,
        payload=payload,
    )


def _counted_elsewhere(context: dict[str, Any], still_open: Collection[str]) -> dict[str, int]:
    """The digest's ``others_open``/``others_late`` with ``still_open`` of its items added (the
    overdue ones to both); nothing when none of its items is among them."""
    moved = [i for i in context.get("items") or [] if i.get("item_id") in still_open]
    if not moved:
        return {}
    from governance.rag import State

    late = sum(1 for i in moved if i.get("state") == State.OVERDUE.value)
    return {
        "others_open": int(context.get("others_open") or 0) + len(moved),
        "others_late": int(context.get("others_late") or 0) + late,
    }
