"""The outbox: messages queued in the deadline check's transaction and delivered later.

Life of a row: ``pending`` (or ``suppressed``, never sent) → claimed: ``sending`` → ``sent``;
or ``failed`` (retried after a backoff) → … → ``dead`` once it has had ``MAX_ATTEMPTS`` attempts
and its first attempt is ``GIVE_UP_AFTER`` old (a failure that cannot pass, :func:`mark_failed`'s
``permanent``, and a set-up test: after the attempts alone; a server's refusal for good,
``refused``: at once). A claim counts as an attempt, unless
the row is released untried (its channel went down first). ``regie outbox
retry`` gives a ``dead`` row fresh attempts (the old ones kept in ``earlier_attempts``: it
was tried) and makes a ``failed`` one due now. A ``sending``
row whose sender vanished is claimed again after ``reclaim_after``. Rows are never deleted
and a sent row stays sent (triggers from migration 0002 back this up); :func:`prune` erases an
old final message's personal content and keeps the row (migration 0033).
"""

from __future__ import annotations

import secrets
from collections.abc import Collection, Iterable, Iterator, Mapping
from datetime import date, datetime, timedelta
from itertools import chain
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from governance.clock import require_aware
from store import digest_items
from store.dialect import (
    batch_size,
    batches,
    dialect_name,
    insert_function,
    quick_compression,
    sized_batches,
)
from store.models import OUTBOX_STATUSES, EventRow, OutboxRow, UTCDateTime
from store.outbox_channels import carried_channels
from store.records import OutboxRecord

MAX_ATTEMPTS = 5
#: A message failing for a passing reason (a mail server or Slack down) is dead only when its
#: first attempt is this old too (REGIE_OUTBOX_GIVE_UP_HOURS): an outage of a few hours must
#: not kill what was tried during it. In between it is tried at the last back-off.
GIVE_UP_AFTER = timedelta(hours=24)
#: The kind of a set-up test message (`regie notify test`): sent only by its own command.
TEST_KIND = "test"
#: A 'sending' message whose sender stopped before it finished (killed, a power cut) is taken
#: again by a later send this long after its claim; till then send and doctor name it.
RECLAIM_AFTER = timedelta(minutes=15)
#: A message to a bouncing address looks again this often whether the address has changed.
WAIT_FOR_ADDRESS = timedelta(minutes=15)
#: Wait before retry n (n = attempts so far); the last one repeats.
RETRY_BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=12),
)
ENQUEUE_STATUSES = ("pending", "suppressed")
#: last_error of a message whose sender vanished on its last attempt.
ABANDONED = "delivery abandoned: no confirmation after the last attempt"
#: Ids per ``UPDATE … WHERE id IN (…)`` (psycopg allows 65,535 parameters).
CLAIM_BATCH = 5000

_COLUMNS = tuple(OutboxRow.__table__.c)
_INSERTED = (
    "programme_id",
    "key",
    "kind",
    "recipient",
    "recipient_name",
    "email",
    "slack",
    "subject",
    "body_text",
    "body_html",
    "payload",
    "created_on",
    "status",
    "attempts",
    "created_at",
)
#: Characters of rendered text (subject and bodies) per ``INSERT`` of new messages: a day's
#: digests at 100k items are each ≈ 0.1–2 MB of text and payload (which grows with the
#: bodies: the items they list), and one statement for all of them held every value at once,
#: the cycle's peak (+29 MiB on SQLite, benchmarks/RESULTS.md round 32). Small messages go
#: many to a statement, as before.
TEXT_PER_INSERT = 200_000


def _text(row: Mapping[str, Any]) -> int:
    return len(row["subject"]) + len(row["body_text"]) + len(row["body_html"] or "")


class OutboxError(RuntimeError):
    """A delivery result for a message that is unknown or not being sent."""

    def __init__(self, key: str, programme_id: str, status: str | None, action: str) -> None:
        if status is None:
            problem = "it is not in the outbox"
        elif status == "sending":
            problem = "it was claimed again meanwhile (another attempt is under way)"
        else:
            problem = f"its status is {status!r}, not 'sending'"
        super().__init__(f"cannot mark message {key!r} ({programme_id}) {action}: {problem}")
        self.key = key
        self.programme_id = programme_id
        self.status = status


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th attempt failed."""
    return RETRY_BACKOFF[min(max(attempts, 1), len(RETRY_BACKOFF)) - 1]


def _record(row: RowMapping) -> OutboxRecord:
    return OutboxRecord(
        key=row["key"],
        kind=row["kind"],
        recipient=row["recipient"],
        recipient_name=row["recipient_name"],
        subject=row["subject"],
        body_text=row["body_text"],
        email=row["email"],
        slack=row["slack"],
        body_html=row["body_html"],
        payload=row["payload"],
        created_on=row["created_on"],
        status=row["status"],
        attempts=row["attempts"],
        earlier_attempts=row["earlier_attempts"],
        tried_channel=row["tried_channel"],
        channel=row["channel"],
        external_id=row["external_id"],
        last_error=row["last_error"],
        created_at=row["created_at"],
        sent_at=row["sent_at"],
        next_attempt_at=row["next_attempt_at"],
        claim_token=row["claim_token"],
        pruned_at=row["pruned_at"],
    )


def enqueue(
    session: Session,
    programme_id: str,
    messages: Iterable[OutboxRecord],
    status: str,
    created_at: datetime,
) -> list[str]:
    """Insert messages whose key is new; return those keys in input order.

    ``messages`` is taken as it comes, a few at a time (:data:`TEXT_PER_INSERT`): given as an
    iterator (the cycle renders each digest as it is taken), no more than a statement's
    messages are held at once, each with its rendered bodies and payload."""
    if status not in ENQUEUE_STATUSES:
        raise ValueError(f"enqueue status must be one of {ENQUEUE_STATUSES}, not {status!r}")
    keys: list[str] = []  # each key once, in input order

    def new_rows() -> Iterator[dict[str, Any]]:
        seen: set[str] = set()
        for m in messages:
            if m.key not in seen:  # the first message of a key is the one queued
                seen.add(m.key)
                keys.append(m.key)
                yield _row(programme_id, m, status, created_at)

    batched = sized_batches(new_rows(), batch_size(len(_INSERTED)), _text, TEXT_PER_INSERT)
    first = next(batched, None)
    if first is None:
        return []
    insert = insert_function(session)
    inserted: dict[str, int] = {}  # key → outbox id
    with quick_compression(session.connection()):
        for batch in chain([first], batched):
            statement = (
                insert(OutboxRow)
                .values(batch)
                .on_conflict_do_nothing(index_elements=["programme_id", "key"])
                .returning(OutboxRow.key, OutboxRow.id)
            )
            ids = dict(session.execute(statement).tuples().all())
            inserted.update(ids)
            # A reminder digest's (item, stage) entries beside it, in the same transaction.
            digest_items.record(
                session,
                [
                    (ids[row["key"]], row["payload"])
                    for row in batch
                    if row["kind"] == DIGEST_KIND and row["key"] in ids
                ],
            )
    return [key for key in keys if key in inserted]


def _row(programme_id: str, m: OutboxRecord, status: str, created_at: datetime) -> dict[str, Any]:
    return {
        "programme_id": programme_id,
        "key": m.key,
        "kind": m.kind,
        "recipient": m.recipient,
        "recipient_name": m.recipient_name,
        "email": m.email,
        "slack": m.slack,
        "subject": m.subject,
        "body_text": m.body_text,
        "body_html": m.body_html,
        "payload": dict(m.payload),
        "created_on": m.created_on,
        "status": status,
        "attempts": 0,
        "created_at": created_at,
    }


def claim(
    session: Session,
    programme_id: str,
    *,
    limit: int | None,
    now: datetime,
    reclaim_after: timedelta,
    max_attempts: int,
    keys: Collection[str] | None = None,
) -> list[OutboxRecord]:
    """Move claimable rows to 'sending' (one more attempt) and return them, oldest first;
    only those of ``keys`` when given (one message sent on its own, e.g. a set-up test)."""
    require_aware(now, "now")
    if limit is not None and limit <= 0:
        return []
    o = OutboxRow
    stale = o.claimed_at < now - reclaim_after
    # A sender that keeps dying on a message must not retry it forever.
    abandoned = session.execute(
        sa.update(o)
        .where(
            o.programme_id == programme_id,
            o.status == "sending",
            stale,
            # A set-up test is tried once, by the command that queued it (regie notify test).
            sa.or_(o.attempts >= max_attempts, o.kind == TEST_KIND),
        )
        .values(status="dead", next_attempt_at=None, last_error=ABANDONED)
        .returning(o.key, o.attempts, o.created_on, o.recipient, o.kind)
        .execution_options(synchronize_session=False)
    ).all()
    for row in abandoned:  # the sender vanished during its last attempt: that attempt failed
        _attempt_failed(session, programme_id, row.key, row, ABANDONED, now, "dead")
    claimable = sa.or_(
        o.status == "pending",
        # Whether a failed row gets another attempt was decided when it failed (mark_failed).
        sa.and_(o.status == "failed", o.next_attempt_at <= now),
        sa.and_(o.status == "sending", stale, o.attempts < max_attempts),
    )
    # A general send never takes a set-up test: it belongs to the command that queued it.
    wanted = o.key.in_(list(keys)) if keys is not None else o.kind != TEST_KIND
    candidates = (
        sa.select(o.id)
        .where(o.programme_id == programme_id, claimable, wanted)
        .order_by(o.id)
        .limit(limit)
    )
    # A new token per claim: a sender that wakes up after its rows were claimed again cannot
    # record a result for them (the attempt count alone cannot tell two claims apart in time).
    to_sending = {
        "status": "sending",
        "attempts": o.attempts + 1,
        "first_attempt_at": sa.func.coalesce(o.first_attempt_at, sa.literal(now, UTCDateTime())),
        "claimed_at": now,
        "claim_token": secrets.token_hex(16),
    }
    claimed: list[RowMapping] = []
    if dialect_name(session) == "postgresql":
        # Lock the rows first and skip those another sender holds: two senders never claim
        # the same row and neither waits for the other.
        ids = list(session.scalars(candidates.with_for_update(skip_locked=True)))
        for chunk in batches(ids, CLAIM_BATCH):
            claimed.extend(
                session.execute(
                    sa.update(o)
                    .where(o.id.in_(list(chunk)))
                    .values(to_sending)
                    .returning(*_COLUMNS)
                    .execution_options(synchronize_session=False)
                ).mappings()
            )
    else:
        # SQLite serialises writers: one UPDATE is atomic on its own.
        claimed.extend(
            session.execute(
                sa.update(o)
                .where(o.id.in_(candidates.scalar_subquery()))
                .values(to_sending)
                .returning(*_COLUMNS)
                .execution_options(synchronize_session=False)
            ).mappings()
        )
    claimed.sort(key=lambda row: row["id"])
    return [_record(row) for row in claimed]


def mark_sent(
    session: Session,
    programme_id: str,
    key: str,
    *,
    channel: str,
    external_id: str | None,
    now: datetime,
    claim_token: str | None = None,
) -> None:
    """'sending' → 'sent'; with ``claim_token``, only for the claim that token came from."""
    require_aware(now, "now")
    o = OutboxRow
    done = session.execute(
        sa.update(o)
        .where(o.programme_id == programme_id, o.key == key, o.status == "sending")
        .where(_holds(claim_token))
        .values(
            status="sent",
            sent_at=now,
            channel=channel,
            external_id=external_id,
            last_error=None,
            next_attempt_at=None,
        )
        .returning(o.id)
        .execution_options(synchronize_session=False)
    ).first()
    if done is None:
        raise _not_sending(session, programme_id, key, "sent")


def mark_failed(
    session: Session,
    programme_id: str,
    key: str,
    *,
    error: str,
    now: datetime,
    max_attempts: int,
    claim_token: str | None = None,
    give_up_after: timedelta = GIVE_UP_AFTER,
    permanent: bool = False,
    refused: bool = False,
    waiting: bool = False,
    channel: str | None = None,
) -> str:
    """'sending' → 'failed' (retried after :func:`retry_delay`) or 'dead' (:func:`gives_up`);
    return the new status. ``permanent``: the failure cannot pass by waiting (no channel reaches
    the recipient), so the attempts alone decide, as for a set-up test. ``refused``: the
    recipient's server refused the message for good (an SMTP 5xx reply, Slack's
    ``channel_not_found``): dead at once, ``error`` keeping the server's reply. ``waiting``:
    nothing reaches the recipient until their address changes (it bounces): 'failed', the
    attempt not counted, looked at again after :data:`WAIT_FOR_ADDRESS`, never given up.
    ``channel``: the attempt handed the message to that channel and it may have arrived there
    (``tried_channel``: later attempts use it only); None keeps what an earlier one left."""
    require_aware(now, "now")
    o = OutboxRow
    row = session.execute(
        sa.select(
            o.status, o.attempts, o.claim_token, o.created_on, o.recipient, o.kind,
            sa.func.coalesce(o.first_attempt_at, o.created_at, type_=UTCDateTime()).label(
                "first_attempt_at"
            ),
        ).where(o.programme_id == programme_id, o.key == key)
    ).first()  # fmt: skip
    if row is None or row.status != "sending":
        raise _not_sending(session, programme_id, key, "failed")
    if claim_token is not None and row.claim_token != claim_token:
        raise _not_sending(session, programme_id, key, "failed")
    values: dict[str, Any]
    if waiting:
        values = {
            "status": "failed",
            "next_attempt_at": now + WAIT_FOR_ADDRESS,
            "attempts": o.attempts - 1,
        }
    elif refused or gives_up(
        attempts=row.attempts,
        max_attempts=max_attempts,
        first_attempt_at=row.first_attempt_at,
        now=now,
        give_up_after=give_up_after,
        final=permanent or row.kind == TEST_KIND,
    ):
        values = {"status": "dead", "next_attempt_at": None}
    else:
        values = {"status": "failed", "next_attempt_at": now + retry_delay(row.attempts)}
    if channel is not None:
        values["tried_channel"] = channel
    done = session.execute(
        sa.update(o)
        # Unchanged since we read it, or another sender got there first.
        .where(
            o.programme_id == programme_id,
            o.key == key,
            o.status == "sending",
            o.attempts == row.attempts,
            _holds(claim_token),
        )
        .values(last_error=error, **values)
        .returning(o.id)
        .execution_options(synchronize_session=False)
    ).first()
    if done is None:
        raise _not_sending(session, programme_id, key, "failed")
    _attempt_failed(session, programme_id, key, row, error, now, str(values["status"]))
    return str(values["status"])


def gives_up(
    *,
    attempts: int,
    max_attempts: int,
    first_attempt_at: datetime | None,
    now: datetime,
    give_up_after: timedelta,
    final: bool = False,
) -> bool:
    """Whether a message that just failed its ``attempts``-th attempt is dead: it has had
    ``max_attempts`` attempts and (unless ``final``: a permanent failure, a set-up test) its
    first attempt (None: unknown, treated as long ago) is at least ``give_up_after`` old."""
    if attempts < max_attempts:
        return False
    if final or first_attempt_at is None:
        return True
    return now - first_attempt_at >= give_up_after


def _attempt_failed(
    session: Session,
    programme_id: str,
    key: str,
    row: Any,
    error: str,
    now: datetime,
    status: str,
) -> None:
    """Keep the failed attempt as an event: the row's ``last_error`` is overwritten by the next
    attempt (a success clears it), the event stays (finding 7 of the audit)."""
    from store.audit import MESSAGE_FAILED, record_action

    record_action(
        session, programme_id, MESSAGE_FAILED, now=now,
        # A message queued for no business day (a row from before created_on was kept) has
        # only its attempt's instant: UTC's date, as before the office's day was passed in.
        occurred_on=row.created_on or now.date(),
        payload={"key": key, "kind": row.kind, "recipient": row.recipient,
                 "attempt": row.attempts, "reason": error, "at": now.isoformat(),
                 "status": status},
        key=f"{key}:{row.attempts}",
    )  # fmt: skip


def revise(
    session: Session,
    programme_id: str,
    key: str,
    *,
    claim_token: str | None,
    subject: str,
    body_text: str,
    body_html: str | None,
    payload: dict[str, Any],
) -> None:
    """Change a message being sent, before it goes out (items finished since it was queued
    are left out): the row then says what was really sent."""
    _claimed_update(
        session, programme_id, key, claim_token, "herzien",
        subject=subject, body_text=body_text, body_html=body_html, payload=payload,
    )  # fmt: skip
    o = OutboxRow
    row = session.execute(
        sa.select(o.id, o.kind).where(o.programme_id == programme_id, o.key == key)
    ).one()
    if row.kind == DIGEST_KIND:  # items left out: its stored entries follow
        digest_items.replace(session, row.id, payload)


def mark_suppressed(
    session: Session, programme_id: str, key: str, *, claim_token: str | None, reason: str
) -> None:
    """'sending' → 'suppressed': nothing is left to send (kept, with the reason, never sent)."""
    _claimed_update(
        session, programme_id, key, claim_token, "overslaan",
        status="suppressed", last_error=reason, next_attempt_at=None,
    )  # fmt: skip


def _claimed_update(
    session: Session,
    programme_id: str,
    key: str,
    claim_token: str | None,
    action: str,
    **values: Any,
) -> None:
    o = OutboxRow
    done = session.execute(
        sa.update(o)
        .where(o.programme_id == programme_id, o.key == key, o.status == "sending")
        .where(_holds(claim_token))
        .values(**values)
        .returning(o.id)
        .execution_options(synchronize_session=False)
    ).first()
    if done is None:
        raise _not_sending(session, programme_id, key, action)


def _holds(claim_token: str | None) -> sa.ColumnElement[bool]:
    """The row is still under the claim ``claim_token`` (no condition without a token)."""
    return sa.true() if claim_token is None else OutboxRow.claim_token == claim_token


def _not_sending(session: Session, programme_id: str, key: str, action: str) -> OutboxError:
    status = session.scalar(
        sa.select(OutboxRow.status).where(
            OutboxRow.programme_id == programme_id, OutboxRow.key == key
        )
    )
    return OutboxError(key, programme_id, status, action)


def messages(
    session: Session,
    programme_id: str,
    status: str | None,
    limit: int | None,
    *,
    since: datetime | None = None,
    newest: bool = False,
) -> list[OutboxRecord]:
    """The messages (of ``status``; queued from ``since`` on), oldest first; ``limit`` of them:
    the first, or with ``newest`` the last (still listed oldest first)."""
    if status is not None and status not in OUTBOX_STATUSES:
        raise ValueError(f"unknown outbox status {status!r}: one of {', '.join(OUTBOX_STATUSES)}")
    o = OutboxRow
    query = sa.select(*_COLUMNS).where(o.programme_id == programme_id)
    if status is not None:
        query = query.where(o.status == status)
    if since is not None:
        require_aware(since, "since")
        query = query.where(o.created_at >= since)
    query = query.order_by(o.id.desc() if newest else o.id).limit(limit)
    found = [_record(row) for row in session.execute(query).mappings()]
    return found[::-1] if newest else found


def keys_with_status(session: Session, programme_id: str, statuses: Collection[str]) -> list[str]:
    """The keys of the messages in one of ``statuses``, oldest first: only the keys (a dry run
    names what it would send again without reading every waiting message whole)."""
    unknown = set(statuses) - set(OUTBOX_STATUSES)
    if unknown:
        raise ValueError(f"unknown outbox status {sorted(unknown)[0]!r}")
    query = sa.select(OutboxRow.key).where(
        OutboxRow.programme_id == programme_id, OutboxRow.status.in_(list(statuses))
    )
    return list(session.scalars(query.order_by(OutboxRow.id)))


def keys_of_day(session: Session, programme_id: str, day: date) -> set[str]:
    """The keys of the messages queued for business day ``day`` (a few per contact)."""
    query = sa.select(OutboxRow.key).where(
        OutboxRow.programme_id == programme_id, OutboxRow.created_on == day
    )
    return set(session.scalars(query))


#: The status round's messages that ask an owner about items (``round:<id>:<contact>:…``).
ROUND_ASKS = ("round_request", "round_chase")
#: A round message in one of these statuses asks (or is still to ask) its recipient; a
#: ``failed`` or ``dead`` one may never arrive, a ``suppressed`` one never will (review10a 5).
ROUND_ASKING = ("pending", "sending", "sent")


def asked_in_round(session: Session, programme_id: str, recipient: str, day: date) -> set[str]:
    """The items the status round's requests and chases queued for business day ``day`` ask
    ``recipient`` about (sent, being sent or still to be sent: none withdrawn, failed or given
    up): that day's reminder digest to the same contact leaves them out, as the round's message
    asks them (walk30 7). A round message that failed or died does not: the digest still asks,
    and so keeps the items whose delivery the escalation reports (review10a 5). A range of the
    (programme, key) index: few rows, only the rounds'."""
    o = OutboxRow
    query = sa.select(o.payload).where(
        o.programme_id == programme_id,
        o.key >= "round:",
        o.key < "round;",  # ';' follows ':'
        o.kind.in_(ROUND_ASKS),
        o.recipient == recipient,
        o.created_on == day,
        o.status.in_(ROUND_ASKING),
    )
    return {code for payload in session.scalars(query) for code in _item_ids(payload)}


def sent_digest_items(session: Session, programme_id: str, day: date) -> dict[str, set[str]]:
    """Per recipient, the items the reminder digests queued for business day ``day`` and already
    sent asked about: a status round started later that day asks them again, which cannot be
    undone, only said (:attr:`regie.rounds.RoundReport.reminded_today`)."""
    o = OutboxRow
    query = sa.select(o.recipient, o.payload).where(
        o.programme_id == programme_id,
        o.kind == DIGEST_KIND,
        o.created_on == day,
        o.status == "sent",
    )
    asked: dict[str, set[str]] = {}
    for recipient, payload in session.execute(query):
        if codes := _item_ids(payload):
            asked.setdefault(recipient, set()).update(codes)
    return asked


def _item_ids(payload: object) -> set[str]:
    """The item ids a digest's or round message's payload lists (its ``items``)."""
    items = payload.get("items") if isinstance(payload, dict) else None
    return {
        str(item["id"])
        for item in (items if isinstance(items, list) else ())
        if isinstance(item, dict) and item.get("id")
    }


def message(session: Session, programme_id: str, key: str) -> OutboxRecord | None:
    """One message by its idempotency key."""
    query = sa.select(*_COLUMNS).where(OutboxRow.programme_id == programme_id, OutboxRow.key == key)
    row = session.execute(query).mappings().first()
    return None if row is None else _record(row)


#: Statuses of a message not sent yet that a sender would still take (a 'sending' one is in
#: flight: it goes out or fails as it is).
UNSENT = ("pending", "failed")
#: The start of last_error of a message withdrawn because its contact left or moved.
WITHDRAWN = "withdrawn: "
#: The event a sync records when it withdraws messages (one per contact).
WITHDRAWN_EVENT = "regie.messages.withdrawn"
#: The kind of message whose items are prompts (governance.reminders): withdrawn, they are not.
DIGEST_KIND = digest_items.DIGEST_KIND


def withdraw(
    session: Session,
    programme_id: str,
    moved: Mapping[str, str],
    channels: Mapping[str, str | None],
    *,
    occurred_on: date,
    now: datetime,
) -> dict[str, list[str]]:
    """Suppress the unsent messages to contacts who left or moved; return their keys per contact.

    ``moved``: contact → why (archived, another e-mail address …), from the sync. ``channels``:
    each current contact's preferred channel (None: the first that reaches), which the plan may
    change without a stored column: a message that carries another one is withdrawn too. A
    withdrawn message keeps its row (status 'suppressed', last_error ``withdrawn: …``), one
    event per contact names the messages, and the prompts of a withdrawn digest no longer count
    (:class:`store.withdrawn_prompts.Withdrawn`, from its stored entries): the next cycle asks the
    organisation's current contacts. A message already sent, or being sent, is left as it is.
    """
    require_aware(now, "now")
    o = OutboxRow
    # Only the channel a message carries is read of its payload, by the database: a day's
    # unsent digests at 100k items hold tens of megabytes of JSON, which this runs on every
    # sync (0.6 s and a 130 MiB peak when decoded here, #8 round 21).
    rows = carried_channels(session, programme_id, UNSENT, TEST_KIND)
    why: dict[str, str] = {}
    by_contact: dict[str, list[tuple[int, str]]] = {}
    for row_id, key, recipient, carried in rows:
        reason = moved.get(recipient)
        carries_another = carried is not None and carried != channels.get(recipient, carried)
        if reason is None and carries_another:
            reason = "another preferred channel"
        if reason is not None:
            why[recipient] = reason
            by_contact.setdefault(recipient, []).append((row_id, key))
    if not by_contact:
        return {}
    for contact, found in by_contact.items():
        session.execute(
            sa.update(o)
            .where(o.id.in_([row_id for row_id, _ in found]), o.status.in_(UNSENT))
            .values(
                status="suppressed",
                next_attempt_at=None,
                last_error=f"{WITHDRAWN}contact {contact}: {why[contact]}",
            )
            .execution_options(synchronize_session=False)
        )
    stamp = now.isoformat()
    session.execute(
        sa.insert(EventRow),
        [
            {
                "programme_id": programme_id,
                "name": WITHDRAWN_EVENT,
                "item_code": None,
                "occurred_on": occurred_on,
                "recorded_at": now,
                "payload": {
                    "contact": contact,
                    "reason": why[contact],
                    "messages": [key for _, key in found],
                },
                "dedupe_key": f"{WITHDRAWN_EVENT}:{contact}:{stamp}",
            }
            for contact, found in by_contact.items()
        ],
    )
    return {contact: [key for _, key in found] for contact, found in by_contact.items()}


def release(session: Session, programme_id: str, key: str, *, claim_token: str | None) -> str:
    """'sending' → back where it was, without counting the attempt: the message was claimed but
    never tried (its channel went down first). Return the status it is back in: 'pending', or
    'failed' when an earlier attempt had failed (its back-off has passed: it was claimable)."""
    o = OutboxRow
    restored = sa.case((o.attempts > 1, "failed"), else_="pending")
    # Never tried at all: no first attempt either.
    first = sa.case((o.attempts > 1, o.first_attempt_at), else_=sa.null())
    done = session.execute(
        sa.update(o)
        .where(o.programme_id == programme_id, o.key == key, o.status == "sending")
        .where(_holds(claim_token))
        .values(
            status=restored,
            attempts=o.attempts - 1,
            first_attempt_at=first,
            claimed_at=None,
            claim_token=None,
        )
        .returning(o.status)
        .execution_options(synchronize_session=False)
    ).first()
    if done is None:
        raise _not_sending(session, programme_id, key, "released")
    return str(done.status)


def readdress(
    session: Session, programme_id: str, key: str, *, email: str, claim_token: str | None
) -> None:
    """A claimed message goes to the contact's current e-mail address, not the one it was
    queued with (the address was fixed meanwhile, e.g. after a bounce): the row says where
    it went."""
    o = OutboxRow
    done = session.execute(
        sa.update(o)
        .where(o.programme_id == programme_id, o.key == key, o.status == "sending")
        .where(_holds(claim_token))
        .values(email=email)
        .returning(o.id)
        .execution_options(synchronize_session=False)
    ).first()
    if done is None:
        raise _not_sending(session, programme_id, key, "readdressed")


#: The event `regie outbox retry` records: dead messages given fresh attempts.
RETRIED_EVENT = "regie.outbox.retried"
#: Dead messages queued this recently make `regie send` and `regie cycle` exit 1.
DEAD_NOTICED = timedelta(days=7)


def dead_keys(
    session: Session,
    programme_id: str,
    *,
    since: datetime | None = None,
    statuses: Collection[str] = ("dead",),
    unconfirmed: bool | None = None,
) -> list[str]:
    """The keys of the dead messages (of ``statuses`` when given; set-up tests and pruned
    messages, with nothing left to send, left out), oldest first; with ``since``, only those
    queued from then on. ``unconfirmed``: only (True) or none of (False) those a channel may
    have delivered without saying so (:data:`governance.unconfirmed.MAY_HAVE_ARRIVED`)."""
    from governance.unconfirmed import MAY_HAVE_ARRIVED

    o = OutboxRow
    query = sa.select(o.key).where(
        o.programme_id == programme_id,
        o.status.in_(list(statuses)),
        o.kind != TEST_KIND,
        o.pruned_at.is_(None),
    )
    if unconfirmed is not None:
        maybe = sa.func.coalesce(o.last_error, "").contains(MAY_HAVE_ARRIVED, autoescape=True)
        query = query.where(maybe if unconfirmed else ~maybe)
    if since is not None:
        query = query.where(o.created_at >= since)
    return list(session.scalars(query.order_by(o.id)))


#: What `regie outbox retry` takes: a dead message, or a failed one waiting for its back-off.
RETRIABLE = ("dead", "failed")


def revive(
    session: Session, programme_id: str, keys: Collection[str], *, now: datetime, day: date
) -> list[str]:
    """Dead messages of ``keys`` → 'pending' with fresh attempts; return the keys revived, sorted
    (one event names them, on ``day``, the office's date; their failed attempts stay on record
    as events)."""
    return retry(session, programme_id, keys, now=now, day=day)[0]


def retry(
    session: Session, programme_id: str, keys: Collection[str], *, now: datetime, day: date
) -> tuple[list[str], list[str]]:
    """The messages of ``keys`` sent by the next send: a dead one → 'pending' with fresh
    attempts, a failed one (waiting for its back-off) due ``now``, its attempts and give-up
    window kept. Return (revived, due now), each sorted; one event names them all. A message
    sent (or being sent) is left as it is: it never goes out twice. A revived message keeps
    its earlier attempts apart (``earlier_attempts``): it was tried, so it may have arrived
    (no fall-back to another channel, Slack looks for its earlier post first)."""
    o = OutboxRow
    fresh: dict[str, object] = {
        "status": "pending",
        "earlier_attempts": o.earlier_attempts + o.attempts,
        "attempts": 0,
        "next_attempt_at": None,
        "first_attempt_at": None,
    }
    revived = _moved_by_hand(session, programme_id, keys, ("dead",), fresh, None, now, day)
    due: dict[str, object] = {"next_attempt_at": now}
    hurried = _moved_by_hand(session, programme_id, keys, ("failed",), due, None, now, day)
    if revived or hurried:
        from store.audit import record_action

        both = sorted([*revived, *hurried])
        record_action(
            session, programme_id, RETRIED_EVENT, now=now, occurred_on=day,
            payload={"messages": both, "count": len(both), "due_now": hurried},
        )  # fmt: skip
    return revived, hurried


def waiting(session: Session, programme_id: str) -> tuple[int, datetime | None]:
    """How many messages failed and wait for a later attempt (set-up tests left out), and
    when the first of them is next tried (None: none waits)."""
    o = OutboxRow
    first_due = sa.func.min(o.next_attempt_at)  # typed as the column: aware UTC
    count, first = session.execute(
        sa.select(sa.func.count(), first_due).where(
            o.programme_id == programme_id, o.status == "failed", o.kind != TEST_KIND
        )
    ).one()
    return int(count), first


def held(session: Session, programme_id: str) -> list[tuple[str, datetime]]:
    """The messages claimed as 'sending' (set-up tests left out), oldest first, each with its
    claim's instant: another sender's at work, or one that stopped before it finished (killed)
    and holds them until :data:`RECLAIM_AFTER` has passed since that instant (walk58d 3)."""
    o = OutboxRow
    query = sa.select(o.key, o.claimed_at).where(
        o.programme_id == programme_id, o.status == "sending", o.kind != TEST_KIND
    )
    return [(key, claimed) for key, claimed in session.execute(query.order_by(o.id))]


#: The event `regie outbox mark-sent` records: messages known to have gone out already.
MARKED_SENT_EVENT = "regie.outbox.marked_sent"


def mark_sent_by_hand(
    session: Session, programme_id: str, keys: Collection[str], *, now: datetime, day: date
) -> list[str]:
    """Unsent messages of ``keys`` (pending, failed, dead) → 'sent' without sending them: they
    went out before the database was restored from an older backup, and the office knows it.
    Return the keys marked, sorted; one event names them (with the operator)."""
    sent = {"status": "sent", "sent_at": now, "next_attempt_at": None, "last_error": None}
    return _moved_by_hand(
        session, programme_id, keys, (*UNSENT, "dead"), sent, MARKED_SENT_EVENT, now, day
    )


def _moved_by_hand(
    session: Session,
    programme_id: str,
    keys: Collection[str],
    statuses: tuple[str, ...],
    values: dict[str, object],
    event: str | None,
    now: datetime,
    day: date,
) -> list[str]:
    """The messages of ``keys`` in one of ``statuses`` (set-up tests left out) given ``values``
    and unclaimed; the keys moved, sorted, named by one ``event`` (with the operator) filed
    under ``day`` (none: the caller records it)."""
    require_aware(now, "now")
    from store.audit import record_action

    o = OutboxRow
    moved: list[str] = []
    for chunk in batches(sorted(set(keys)), CLAIM_BATCH):
        moved.extend(
            session.scalars(
                sa.update(o)
                .where(
                    o.programme_id == programme_id,
                    o.key.in_(list(chunk)),
                    o.status.in_(statuses),
                    o.kind != TEST_KIND,
                    o.pruned_at.is_(None),  # nothing left to send: it stays as it is
                )
                .values(**values, claimed_at=None, claim_token=None)
                .returning(o.key)
                .execution_options(synchronize_session=False)
            )
        )
    if moved and event is not None:
        record_action(
            session, programme_id, event, now=now, occurred_on=day,
            payload={"messages": sorted(moved), "count": len(moved)},
        )  # fmt: skip
    return sorted(moved)


#: The states a message no longer leaves by itself: what :func:`prune` may erase. A dead one
#: only by `regie outbox retry`, which leaves a pruned one as it is.
FINAL = ("sent", "suppressed", "dead")
#: What a pruned message keeps of its payload's items: what later checks read (which items
#: and stages a digest or an escalation carried, :mod:`store.digest_items`).
_ITEM_KEEPS = ("id", "stage", "kind")
#: The top-level payload keys a pruned message keeps: dates, rounds, flags and the programme's
#: and office's names, none naming a person (a meeting notice's ``change``, ``old`` and ``new``
#: say which cancelled day was told its new date, :mod:`regie.meeting_notices`). An allow-list,
#: so a key added later (such as a bounce notice's ``bounced_name`` or ``reason``) is erased
#: unless it is added here.
_PAYLOAD_KEEPS = (
    "as_of", "programme", "office_name", "office_article", "due", "start", "end", "round",
    "answer_by", "meeting_on", "sole", "addition", "to_channel", "change", "old", "new",
)  # fmt: skip
#: The reasons a pruned message keeps of its ``last_error``: their fixed start only, which
#: code reads (a withdrawn prompt); the rest may name the contact or hold the address.
_ERROR_KEEPS = (WITHDRAWN,)


def pruned_payload(payload: Any) -> dict[str, Any]:
    """A payload without its personal content: the plain values of :data:`_PAYLOAD_KEEPS` and
    each item's id, stage and kind; no channel, render context, texts, names, server reasons
    or nested objects. A reminder digest's stored entries stay equal."""
    if not isinstance(payload, dict):
        return {}
    kept: dict[str, Any] = {
        k: v
        for k, v in payload.items()
        if k in _PAYLOAD_KEEPS and (v is None or isinstance(v, str | int | float | bool))
    }
    items = payload.get("items")
    if isinstance(items, list):
        entries = [item for item in items if isinstance(item, dict)]
        kept["items"] = [{k: item[k] for k in _ITEM_KEEPS if k in item} for item in entries]
    return kept


def pruned_error(error: str | None) -> str | None:
    """``last_error`` of a pruned message: the start code reads (:data:`_ERROR_KEEPS`) or
    nothing; a server's refusal or a bounce note often holds the address."""
    if error is None:
        return None
    return next((start for start in _ERROR_KEEPS if error.startswith(start)), None)


def prune(
    session: Session, programme_id: str, before: datetime, *, now: datetime, apply: bool
) -> list[str]:
    """Erase the personal content of the messages in a final state (:data:`FINAL`) sent, or
    else queued, before ``before`` and not pruned yet: recipient name, e-mail address, Slack
    id, subject, bodies, the payload's personal parts (:func:`pruned_payload`) and the reason
    but for its code (:func:`pruned_error`). The row
    stays with its key, kind, recipient code, status and dates, so it is never queued again
    (:func:`enqueue` skips a key it holds). Return the keys, oldest first (``apply`` False:
    those it would prune, nothing changed)."""
    require_aware(before, "before")
    require_aware(now, "now")
    o = OutboxRow
    query = sa.select(o.id, o.key).where(
        o.programme_id == programme_id,
        o.status.in_(FINAL),
        o.pruned_at.is_(None),
        sa.func.coalesce(o.sent_at, o.created_at) < before,
    )
    found = session.execute(query.order_by(o.id)).all()
    if not apply:
        return [key for _, key in found]
    for chunk in batches([row_id for row_id, _ in found], 500):
        for row_id, payload, error in session.execute(
            sa.select(o.id, o.payload, o.last_error).where(o.id.in_(chunk))
        ).tuples():
            session.execute(
                sa.update(o)
                # Still final: a dead one revived meanwhile is left whole (it is sent again).
                .where(o.id == row_id, o.pruned_at.is_(None), o.status.in_(FINAL))
                .values(
                    recipient_name="", email=None, slack=None, subject="", body_text="",
                    body_html=None, payload=pruned_payload(payload),
                    last_error=pruned_error(error), pruned_at=now,
                )
                .execution_options(synchronize_session=False)
            )  # fmt: skip
    return [key for _, key in found]


def pruned_keys(session: Session, programme_id: str, before: datetime) -> list[str]:
    """The keys of the messages pruned already that :func:`prune` would take at ``before``,
    oldest first: a rerun sweeps the file copies an interrupted one left (review11 3)."""
    require_aware(before, "before")
    o = OutboxRow
    query = sa.select(o.key).where(
        o.programme_id == programme_id,
        o.pruned_at.is_not(None),
        sa.func.coalesce(o.sent_at, o.created_at) < before,
    )
    return list(session.scalars(query.order_by(o.id)))


def pruned_on(session: Session, programme_id: str, keys: Collection[str]) -> dict[str, datetime]:
    """When each of ``keys`` that was pruned was pruned: nothing left to send or mark."""
    o = OutboxRow
    found: dict[str, datetime] = {}
    for chunk in batches(sorted(set(keys)), CLAIM_BATCH):
        rows = session.execute(
            sa.select(o.key, o.pruned_at).where(
                o.programme_id == programme_id, o.key.in_(list(chunk)), o.pruned_at.is_not(None)
            )
        ).tuples()
        found.update((key, when) for key, when in rows if when is not None)
    return found


def statuses(session: Session, programme_id: str, keys: Collection[str]) -> dict[str, str]:
    """The status of each of ``keys`` that is in the outbox."""
    o = OutboxRow
    found: dict[str, str] = {}
    for chunk in batches(sorted(set(keys)), CLAIM_BATCH):
        rows = session.execute(
            sa.select(o.key, o.status).where(o.programme_id == programme_id, o.key.in_(list(chunk)))
        ).all()
        found.update((key, status) for key, status in rows)
    return found
