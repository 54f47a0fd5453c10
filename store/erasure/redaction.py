"""Redact one status update's note (the office's redaction, ``regie redact``): the note and its
copies where they quote it, recorded without the old text."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from store import digest_items
from store.erasure.common import ErasureRefused, count_rows
from store.models import EventRow, OutboxRow, StatusUpdateRow
from store.note_copies import Rerender, item_ids, quoted_forms, redact_json, redact_message
from store.records import OutboxRecord

REDACTED_EVENT = "regie.update.redacted"
#: Outbox statuses whose text a redaction scrubs: every message not sent (a sent one stays as it
#: was sent, like the archived reports; one being sent makes the redaction wait).
NOT_SENT = ("pending", "failed", "dead", "suppressed")


@dataclass(frozen=True, slots=True)
class Redaction:
    """A recorded redaction: which update, when, by whom and why (never the old text)."""

    update_id: int
    item_code: str
    redacted_at: datetime
    redacted_by: str
    reason: str


@dataclass(slots=True)
class Redacted:
    update_id: int
    item_code: str
    counts: Counter[str] = field(default_factory=Counter)
    #: The keys of the unsent messages whose texts it changed (their file copies go too).
    outbox_keys: list[str] = field(default_factory=list)


def redaction_of(session: Session, programme_id: str, update_id: int) -> Redaction | None:
    from store.models_erasure import UpdateRedactionRow as r

    row = session.execute(
        sa.select(r.update_id, r.item_code, r.redacted_at, r.redacted_by, r.reason).where(
            r.programme_id == programme_id, r.update_id == update_id
        )
    ).first()
    return Redaction(*row) if row else None


def redactions(session: Session, programme_id: str, item_code: str) -> list[Redaction]:
    """The item's redactions, oldest first (its history shows them)."""
    from store.models_erasure import UpdateRedactionRow as r

    rows = session.execute(
        sa.select(r.update_id, r.item_code, r.redacted_at, r.redacted_by, r.reason)
        .where(r.programme_id == programme_id, r.item_code == item_code)
        .order_by(r.id)
    ).all()
    return [Redaction(*row) for row in rows]


def redact(
    session: Session,
    programme_id: str,
    update_id: int,
    now: datetime,
    day: date,
    *,
    by: str,
    reason: str,
    placeholder: str,
    rerender: Rerender | None = None,
) -> Redacted:
    """Replace status update ``update_id``'s note by ``placeholder`` and its copies where they
    quote it (:mod:`store.note_copies`): event payloads of its item (and those about no item),
    and the messages not sent that are about its item, or about no item and quote the note —
    never another item's message, nor an id, stage or key (a note such as "1" is in many of
    them). ``rerender`` renders a message's texts again from its redacted ``render`` context
    (the use case's templates); without it, or for a message without one, the quoted form is
    replaced, and only in a message about the item without a quoted form the note as a
    substring of its texts. The redaction is recorded (``update_redactions`` and a
    ``regie.update.redacted`` event on ``day``: who, when, why, which update — never the old
    text). Runs in the caller's transaction; opens the append-only triggers for exactly these
    changes (migration 0017) and closes them again. :class:`ErasureRefused` for an unknown
    update, one redacted before, one without a note, or while a message quoting it is being
    sent."""
    from store.models_erasure import UpdateRedactionRow

    s = StatusUpdateRow
    row = session.execute(
        sa.select(s.item_code, s.comment).where(s.programme_id == programme_id, s.id == update_id)
    ).first()
    if row is None:
        raise ErasureRefused(f"update {update_id}: no such status update")
    before = redaction_of(session, programme_id, update_id)
    if before is not None:
        when = before.redacted_at.strftime("%Y-%m-%d %H:%M UTC")
        raise ErasureRefused(
            f"update {update_id}: already redacted on {when} by {before.redacted_by}"
        )
    old = row.comment
    if not old or not old.strip():
        raise ErasureRefused(f"update {update_id}: has no note, nothing to redact")
    done = Redacted(update_id, row.item_code)
    messages = _quoting(session, programme_id, row.item_code, old)
    if any(m.status == "sending" for m in messages):
        raise ErasureRefused(
            f"update {update_id}: a message quoting its note is being sent now; try again later"
        )

    session.add(
        UpdateRedactionRow(
            programme_id=programme_id, update_id=update_id, item_code=row.item_code,
            redacted_at=now, redacted_by=by, reason=reason, in_progress=True,
        )
    )  # fmt: skip
    session.flush()
    done.counts["status_updates"] = count_rows(
        session.execute(sa.update(s).where(s.id == update_id).values(comment=placeholder))
    )
    e = EventRow
    for eid, item_code, payload in session.execute(
        sa.select(e.id, e.item_code, e.payload).where(
            e.programme_id == programme_id,
            sa.or_(e.item_code == row.item_code, e.item_code.is_(None)),
        )
    ).all():
        # Only the item's own event naming this update surely holds this very note in a
        # longer note field ("zie: <note>"); elsewhere only a value equal to it is a copy.
        loose = item_code == row.item_code and _names_update(payload, update_id)
        new = redact_json(payload, row.item_code, old, placeholder, loose=loose)
        if new != payload:
            session.execute(sa.update(e).where(e.id == eid).values(payload=new))
            done.counts["events"] += 1
    o = OutboxRow
    for m in messages:
        again = redact_message(m, row.item_code, old, placeholder, rerender)
        values = {k: getattr(again, k) for k in ("subject", "body_text", "body_html", "payload")}
        if values != {k: getattr(m, k) for k in values}:
            session.execute(sa.update(o).where(o.id == m.id).values(**values))
            if m.kind == digest_items.DIGEST_KIND:  # the entries stored beside it follow
                digest_items.replace(session, m.id, values["payload"])
            done.counts["outbox"] += 1
            done.outbox_keys.append(m.key)
    session.execute(
        sa.update(UpdateRedactionRow)
        .where(UpdateRedactionRow.update_id == update_id)
        .values(in_progress=False)
    )
    session.add(
        EventRow(
            programme_id=programme_id, name=REDACTED_EVENT, item_code=row.item_code,
            occurred_on=day, recorded_at=now,
            payload={"update_id": update_id, "by": by, "reason": reason,
                     "counts": {k: v for k, v in sorted(done.counts.items()) if v}},
            dedupe_key=f"{REDACTED_EVENT}:{update_id}",
        )
    )  # fmt: skip
    session.flush()
    return done


@dataclass(frozen=True, slots=True)
class _Unsent(OutboxRecord):
    id: int = 0  # the outbox row


def _quoting(session: Session, programme_id: str, item: str, old: str) -> list[_Unsent]:
    """The messages not sent (or being sent) that may quote note ``old`` of ``item``: those
    about the item holding its text anywhere, and those about no item that quote it (the
    quoted form in a text, or a note field equal to it in the payload)."""
    o = OutboxRow
    forms = [f for forms in quoted_forms(old, "") for f in forms]
    rows = session.execute(
        sa.select(
            o.id, o.status, o.key, o.kind, o.recipient, o.recipient_name, o.subject,
            o.body_text, o.body_html, o.payload,
        ).where(
            o.programme_id == programme_id,
            o.status.in_((*NOT_SENT, "sending")),
            sa.or_(
                *(column.contains(old, autoescape=True)
                  for column in (o.subject, o.body_text, o.body_html)),
                *(o.body_html.contains(f, autoescape=True) for f in forms),
                sa.cast(o.payload, sa.Text).contains(old, autoescape=True),
            ),
        )
    ).all()  # fmt: skip
    found = []
    for r in rows:
        payload = r.payload or {}
        about = item_ids(payload)
        texts = (r.subject, r.body_text, r.body_html)
        quotes = any(t is not None and f in t for t in texts for f in forms)
        if item in about or (not about and (quotes or _carries(payload, item, old))):
            found.append(
                _Unsent(
                    key=r.key, kind=r.kind, recipient=r.recipient,
                    recipient_name=r.recipient_name, subject=r.subject,
                    body_text=r.body_text, body_html=r.body_html, payload=payload,
                    status=r.status, id=r.id,
                )
            )  # fmt: skip
    return found


def _carries(payload: Any, item: str, old: str) -> bool:
    """A note field of ``payload`` (outside another item's part) holds exactly ``old``."""
    return bool(redact_json(payload, item, old, old + "\n") != payload)


def _names_update(payload: Any, update_id: int) -> bool:
    return isinstance(payload, dict) and payload.get("update_id") == update_id
