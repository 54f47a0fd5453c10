"""Bounces (migration 0024) and what they say about an address: queries, no decisions.

Append-only: a bounce is inserted once (``dedupe_key``) and never changed. Whether a contact's
address still bounces is derived: its latest permanent bounce, unless an e-mail was sent to
the same address after it was recorded (the plan's current address is compared by
:mod:`regie.bounces`, which has the plan).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from store.dialect import insert_function
from store.models import EventRow, OutboxRow
from store.models_delivery import MailBounceRow
from store.models_erasure import ErasureRow

#: The event the sender records when the mail server refuses REGIE_MAIL_FROM.
SENDER_REFUSED_EVENT = "regie.mail.sender_refused"


@dataclass(frozen=True, slots=True)
class SentMessage:
    """An outbox message a bounce may return."""

    programme_id: str
    key: str
    recipient: str
    recipient_name: str
    email: str | None
    forgotten: bool = False  # its contact was forgotten (`regie contact forget`)
    external_id: str | None = None  # the Message-ID it went out with (the sender's domain)


@dataclass(frozen=True, slots=True)
class StoredBounce:
    recipient: str
    email: str
    status: str | None
    diagnostic: str | None
    message_key: str
    dedupe_key: str
    recorded_at: datetime


def find_messages(session: Session, *, key: str | None, digest: str | None) -> list[SentMessage]:
    """The messages of outbox ``key`` (the returned X-Regie-Key), else the e-mails whose
    Message-ID starts with ``digest`` (:func:`notifications.base.message_id`), in every
    programme (a key is unique per programme only), the latest sent first. Which one the
    bounce returns is for :mod:`regie.bounces` to decide, not the database's row order."""
    o, e = OutboxRow, ErasureRow
    forgotten = (
        sa.exists()
        .where(e.programme_id == o.programme_id, e.contact_code == o.recipient)
        .correlate(o)
    )
    columns = (
        o.programme_id, o.key, o.recipient, o.recipient_name, o.email,
        sa.and_(o.email.is_(None), forgotten).label("forgotten"), o.external_id,
    )  # fmt: skip
    order = (o.sent_at.desc().nulls_last(), o.id.desc())
    rows: list[sa.Row[Any]] = []
    if key:
        rows = list(session.execute(sa.select(*columns).where(o.key == key).order_by(*order)))
    if not rows and digest:
        starts = o.external_id.startswith(f"<{digest}@", autoescape=True)
        rows = list(session.execute(sa.select(*columns).where(starts).order_by(*order)))
    return [
        SentMessage(
            r.programme_id,
            r.key,
            r.recipient,
            r.recipient_name,
            r.email,
            bool(r.forgotten),
            r.external_id,
        )
        for r in rows
    ]


def record(
    session: Session,
    message: SentMessage,
    *,
    dedupe_key: str,
    email: str,
    permanent: bool,
    status: str | None,
    diagnostic: str | None,
    reported_at: datetime | None,
    now: datetime,
) -> bool:
    """Insert one bounce; False when that report was recorded already."""
    statement = (
        insert_function(session)(MailBounceRow)
        .values(
            programme_id=message.programme_id,
            dedupe_key=dedupe_key,
            message_key=message.key,
            recipient=message.recipient,
            email=email.lower(),
            permanent=permanent,
            status=status,
            diagnostic=diagnostic,
            reported_at=reported_at,
            recorded_at=now,
        )
        .on_conflict_do_nothing(index_elements=["programme_id", "dedupe_key"])
        .returning(MailBounceRow.id)
    )
    return session.scalar(statement) is not None


def latest_bounces(session: Session, programme_id: str) -> dict[str, StoredBounce]:
    """Per contact, the latest permanent bounce not followed by an e-mail sent to the same
    address (that send reached a server that took it). A message pruned since (its address
    erased, `regie outbox prune`) counts as sent to it: a prune must not bring back a bounce
    a later send had ended."""
    b = MailBounceRow
    latest: dict[str, StoredBounce] = {}
    rows = session.execute(
        sa.select(
            b.recipient, b.email, b.status, b.diagnostic, b.message_key, b.dedupe_key,
            b.recorded_at,
        )
        .where(b.programme_id == programme_id, b.permanent.is_(True))
        .order_by(b.id)
    ).all()  # fmt: skip
    for row in rows:
        latest[row.recipient] = StoredBounce(*row)
    if not latest:
        return {}
    o = OutboxRow
    # NULL: pruned, its address erased; it was sent to the contact after all.
    address = sa.case((o.pruned_at.is_not(None), None), else_=sa.func.lower(o.email)).label("a")
    sent = session.execute(
        sa.select(o.recipient, address, sa.func.max(o.sent_at))
        .where(
            o.programme_id == programme_id,
            o.status == "sent",
            o.channel == "email",
            o.recipient.in_(list(latest)),
        )
        .group_by(o.recipient, address)
    ).all()
    for recipient, email, last_sent in sent:
        bounce = latest.get(recipient)
        if (
            bounce
            and email in (None, bounce.email)
            and last_sent
            and last_sent > bounce.recorded_at
        ):
            del latest[recipient]
    return latest


def current_bounces(
    session: Session, programme_id: str, addresses: Mapping[str, str | None]
) -> dict[str, StoredBounce]:
    """:func:`latest_bounces` of the contacts whose current address (``addresses``: contact id
    → the plan's address) is the one that bounced: another address has not bounced (yet).
    Only a non-empty address is compared: a pruned bounce's is '' (`regie prune`), and a
    contact without one (Slack only) has no address that bounces (review49 1)."""
    found = latest_bounces(session, programme_id)
    current = {cid: (addresses.get(cid) or "").strip().lower() for cid in found}
    return {
        cid: bounce
        for cid, bounce in found.items()
        if current[cid] and current[cid] == bounce.email
    }


def sender_refused(session: Session, programme_id: str) -> tuple[datetime, str] | None:
    """When and why the mail server last refused our sender, unless an e-mail went out since."""
    e = EventRow
    row = session.execute(
        sa.select(e.recorded_at, e.payload)
        .where(e.programme_id == programme_id, e.name == SENDER_REFUSED_EVENT)
        .order_by(e.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    o = OutboxRow
    later = session.scalar(
        sa.select(sa.func.max(o.sent_at)).where(
            o.programme_id == programme_id, o.status == "sent", o.channel == "email"
        )
    )
    if later is not None and later > row.recorded_at:
        return None
    payload = row.payload if isinstance(row.payload, dict) else {}
    return row.recorded_at, str(payload.get("reason", ""))
