"""Store side of answers: answer links, Slack's replay guard and user map, status rounds.

Functions take the caller's session (the caller owns the transaction), like the repository.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from store.dialect import batches, dialect_name, insert_function
from store.models import OutboxRow
from store.models_answers import (
    AnswerLinkRow,
    RoundRequestRow,
    SlackRequestRow,
    SlackUserRow,
    StatusRoundRow,
)


def write_lock(session: Session, programme_id: str) -> None:
    """Serialise answer writers of one programme, so that answers are stored (and stamped) in
    the order they commit. SQLite: take the write lock before the first read (a deferred
    transaction that has read cannot take it while another writer waits: 'database is locked');
    PostgreSQL: a transaction-scoped advisory lock."""
    if dialect_name(session) == "sqlite":
        session.execute(sa.text("UPDATE programmes SET id = id WHERE 1 = 0"))
    else:
        session.execute(
            sa.text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
            {"key": f"regie.answers:{programme_id}"},
        )


# --- answer links -------------------------------------------------------------------------------


def token_hash(token: str) -> str:
    """What is stored of a link's random id: its SHA-256, as for calendar tokens and sessions
    (the id has 128 random bits, so an unsalted hash cannot be reversed by guessing)."""
    return hashlib.sha256(token.encode()).hexdigest()


def address_hash(address: str) -> str:
    """What a link remembers of the address it was sent to (case and spaces do not count)."""
    normal = address.strip().lower()
    return hashlib.sha256(f"regie-recipient-v1\x1f{normal}".encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class AnswerLink:
    token_hash: str
    programme_id: str
    contact_id: str
    item_id: str
    outbox_key: str
    created_at: datetime
    used_at: datetime | None
    update_id: int | None
    sent_at: datetime | None  # of its outbox message; None while not sent
    replaced: bool  # a link of a later business day for the same contact and item was sent
    recipient_hash: str | None  # of the address it was sent to; None: not known (before 0016)


@dataclass(frozen=True, slots=True)
class NewLink:
    """A link to store: the hash of its id (never the id), what it is bound to, and the hash
    of the address its message goes to."""

    token_hash: str
    contact_id: str
    item_id: str
    outbox_key: str
    recipient_hash: str | None


def add_links(session: Session, programme_id: str, links: Iterable[NewLink], now: datetime) -> None:
    rows = [
        {
            "programme_id": programme_id,
            "token": new.token_hash,
            "contact_code": new.contact_id,
            "item_code": new.item_id,
            "outbox_key": new.outbox_key,
            "created_at": now,
            "recipient_hash": new.recipient_hash,
        }
        for new in links
    ]
    if rows:
        session.execute(sa.insert(AnswerLinkRow), rows)


def stored_tokens(session: Session, tokens: Iterable[str]) -> set[str]:
    """Which of these link ids (from URLs, or derived again) have a stored link: those of
    ``tokens`` whose hash is stored."""
    by_hash = {token_hash(t): t for t in tokens}
    found: set[str] = set()
    for chunk in batches(sorted(by_hash), 1000):
        rows = session.scalars(
            sa.select(AnswerLinkRow.token).where(AnswerLinkRow.token.in_(list(chunk)))
        )
        found.update(by_hash[h] for h in rows)
    return found


def link(session: Session, token: str) -> AnswerLink | None:
    """The link whose id (from the URL) is ``token``, when its message was sent, and whether a
    link of a later business day replaced it: one query (each round trip counts when 100
    answers arrive at once)."""
    newer_link = aliased(AnswerLinkRow)
    newer_sent = aliased(OutboxRow)
    own = aliased(OutboxRow)  # the link's own message (none for a correction link)
    # Replaced by a sent link for the same contact and item from a message of a later business
    # day (an older mail may show a stale state; the newer one is current). Messages of the same
    # day (the digest and a round's request of one cycle) leave each other's links valid: one
    # could otherwise be dead before its owner read it. Without a day (a correction link, which
    # has no message, or a message from before created_on was kept) any newer link replaces.
    # A status round's chase leaves the same round's request link valid (walk32b 3): both ask
    # the same round's question, and the owner clicks whichever mail they open.
    own_round, newer_round = (
        _round_prefix(AnswerLinkRow.outbox_key),
        _round_prefix(newer_link.outbox_key),
    )
    replaced = (
        sa.select(newer_link.id)
        .join(
            newer_sent,
            sa.and_(
                newer_sent.programme_id == newer_link.programme_id,
                newer_sent.key == newer_link.outbox_key,
            ),
        )
        .where(
            newer_link.programme_id == AnswerLinkRow.programme_id,
            newer_link.contact_code == AnswerLinkRow.contact_code,
            newer_link.item_code == AnswerLinkRow.item_code,
            newer_link.id != AnswerLinkRow.id,
            newer_sent.status == "sent",
            sa.or_(
                newer_sent.created_on > own.created_on,
                sa.and_(
                    sa.or_(own.created_on.is_(None), newer_sent.created_on.is_(None)),
                    newer_link.id > AnswerLinkRow.id,
                ),
            ),
            sa.or_(own_round.is_(None), newer_round.is_(None), own_round != newer_round),
        )
        .exists()
    )
    found = session.execute(
        sa.select(AnswerLinkRow, own.sent_at, replaced)
        .outerjoin(
            own,
            sa.and_(
                own.programme_id == AnswerLinkRow.programme_id,
                own.key == AnswerLinkRow.outbox_key,
            ),
        )
        .where(AnswerLinkRow.token == token_hash(token))
    ).first()
    if found is None:
        return None
    row, sent, newer = found
    return _answer_link(row, sent, replaced=bool(newer))


def _round_prefix(key: InstrumentedAttribute[str]) -> sa.ColumnElement[str | None]:
    """``round:<id>:<contact>:`` of a status round's request or chase key
    (``…:request``, ``…:chase:YYYY-MM-DD``), NULL for any other key: in SQL, so that
    :func:`link` stays one query."""
    return sa.case(
        (key.like("round:%:request"), sa.func.substr(key, 1, sa.func.length(key) - 7)),
        (key.like("round:%:chase:%"), sa.func.substr(key, 1, sa.func.length(key) - 16)),
        else_=sa.null(),
    )


def answered_through(
    session: Session, programme_id: str, contact_id: str, item_id: str, update_id: int
) -> AnswerLink | None:
    """The link of this contact and item that recorded update ``update_id`` (the one a
    correction link's key names), with when its message was sent; None if no link did."""
    own = aliased(OutboxRow)
    found = session.execute(
        sa.select(AnswerLinkRow, own.sent_at)
        .outerjoin(
            own,
            sa.and_(
                own.programme_id == AnswerLinkRow.programme_id,
                own.key == AnswerLinkRow.outbox_key,
            ),
        )
        .where(
            AnswerLinkRow.programme_id == programme_id,
            AnswerLinkRow.contact_code == contact_id,
            AnswerLinkRow.item_code == item_id,
            AnswerLinkRow.update_id == update_id,
        )
        .limit(1)
    ).first()
    if found is None:
        return None
    row, sent = found
    return _answer_link(row, sent, replaced=False)  # not asked: only its lifetime is read


def _answer_link(row: AnswerLinkRow, sent: datetime | None, *, replaced: bool) -> AnswerLink:
    return AnswerLink(
        token_hash=row.token,
        programme_id=row.programme_id,
        contact_id=row.contact_code,
        item_id=row.item_code,
        outbox_key=row.outbox_key,
        created_at=row.created_at,
        used_at=row.used_at,
        update_id=row.update_id,
        sent_at=sent,
        replaced=replaced,
        recipient_hash=row.recipient_hash,
    )


def stored_title(session: Session, programme_id: str, code: str) -> str | None:
    """The title the store last had for action or milestone ``code`` (archived ones included:
    a link to an item taken out of the plan still names it); None if unknown."""
    from store.models import ActionRow, MilestoneRow

    for model in (ActionRow, MilestoneRow):
        title = session.scalar(
            sa.select(model.title).where(model.programme_id == programme_id, model.code == code)
        )
        if title is not None:
            return str(title)
    return None


def use_link(session: Session, token: str, update_id: int, now: datetime) -> bool:
    """Mark the link used by this update; False when it was used already (single use, also
    under two concurrent POSTs: only one UPDATE finds ``used_at`` still empty)."""
    done = session.execute(
        sa.update(AnswerLinkRow)
        .where(AnswerLinkRow.token == token_hash(token), AnswerLinkRow.used_at.is_(None))
        .values(used_at=now, update_id=update_id)
        .returning(AnswerLinkRow.id)
        .execution_options(synchronize_session=False)
    ).first()
    return done is not None


# --- Slack --------------------------------------------------------------------------------------


#: The prefix of a submitted Slack view's id among the request signatures (its own window).
VIEW_PREFIX = "view:"
#: The prefix of a Slack message's item whose buttons were answered from (kept for good: a
#: prompt's buttons answer once, as an e-mail link; one short row per answer).
BUTTON_PREFIX = "button:"


def first_seen(
    session: Session,
    signature: str,
    now: datetime,
    window: timedelta,
    request_time: datetime | None = None,
) -> bool:
    """Record a request signature; False when it was seen before (a replay).

    ``request_time`` is the time the request says it was made (Slack's
    ``X-Slack-Request-Timestamp``; None: ``now``). A signature is kept until both ``now`` and
    ``request_time`` lie more than ``window`` back: Slack's own timestamp check refuses the
    request only then, also when Slack's clock runs ahead of ours. Older ones of the same kind
    are pruned: a ``view:`` id (kept for its own, longer window) only by another ``view:``
    call, a request signature only by another signature."""
    cutoff = now - window
    views = SlackRequestRow.signature.startswith(VIEW_PREFIX, autoescape=True)
    buttons = SlackRequestRow.signature.startswith(BUTTON_PREFIX, autoescape=True)
    if not signature.startswith(BUTTON_PREFIX):  # answered buttons are never pruned
        session.execute(
            sa.delete(SlackRequestRow).where(
                SlackRequestRow.received_at < cutoff,
                SlackRequestRow.request_time < cutoff,
                views if signature.startswith(VIEW_PREFIX) else sa.not_(views | buttons),
            )
        )
    inserted = session.execute(
        insert_function(session)(SlackRequestRow)
        .values(
            signature=signature,
            received_at=now,
            request_time=now if request_time is None else request_time,
        )
        .on_conflict_do_nothing(index_elements=["signature"])
        .returning(SlackRequestRow.id)
    ).first()
    return inserted is not None


def seen(session: Session, signature: str) -> bool:
    """Whether ``signature`` is on record (an answered button: :data:`BUTTON_PREFIX`)."""
    found = session.execute(
        sa.select(SlackRequestRow.id).where(SlackRequestRow.signature == signature)
    ).first()
    return found is not None


def slack_posts(session: Session, programme_id: str, item_id: str) -> list[tuple[str, str]]:
    """(channel, ts) of every reminder digest posted in Slack that carries ``item_id``: the
    messages whose buttons an answer to the item closes, whoever they were sent to."""
    from store.digest_items import DIGEST_KIND
    from store.models_delivery import OutboxDigestItemRow as d

    o = OutboxRow
    found = session.execute(
        sa.select(o.external_id)
        .join(d, d.message_id == o.id)
        .where(o.programme_id == programme_id, o.kind == DIGEST_KIND)
        .where(o.status == "sent", o.channel == "slack", d.item_code == item_id)
        .distinct()
    ).scalars()
    posts = {tuple(str(ref).split("/", 1)) for ref in found if ref and "/" in str(ref)}
    return sorted((channel, ts) for channel, ts in posts)


@dataclass(frozen=True, slots=True)
class SlackUser:
    """A Slack user id resolved earlier: to which contact, through which e-mail address."""

    contact_id: str
    email: str | None


def slack_contact(session: Session, programme_id: str, slack_user_id: str) -> SlackUser | None:
    found = session.execute(
        sa.select(SlackUserRow.contact_code, SlackUserRow.email).where(
            SlackUserRow.programme_id == programme_id,
            SlackUserRow.slack_user_id == slack_user_id,
        )
    ).first()
    return None if found is None else SlackUser(found[0], found[1])


def forget_slack_user(session: Session, programme_id: str, slack_user_id: str) -> None:
    """Drop a resolution that no longer holds (the contact's e-mail or Slack id changed)."""
    session.execute(
        sa.delete(SlackUserRow).where(
            SlackUserRow.programme_id == programme_id,
            SlackUserRow.slack_user_id == slack_user_id,
        )
    )


def remember_slack_user(
    session: Session,
    programme_id: str,
    slack_user_id: str,
    contact: str,
    email: str | None,
    now: datetime,
) -> None:
    """Store (or replace) what ``slack_user_id`` resolved to just now."""
    statement = insert_function(session)(SlackUserRow).values(
        programme_id=programme_id,
        slack_user_id=slack_user_id,
        contact_code=contact,
        email=email,
        looked_up_at=now,
    )
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["programme_id", "slack_user_id"],
            set_={
                "contact_code": statement.excluded.contact_code,
                "email": statement.excluded.email,
                "looked_up_at": statement.excluded.looked_up_at,
            },
        )
    )


# --- status rounds ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Round:
    id: int
    programme_id: str
    body: str
    answer_by: date
    scope: str | None
    started_on: date
    closed_on: date | None
    #: The meeting it prepares, when started for one (0031); None: tied by its answer-by date.
    meeting_on: date | None = None
    #: When it closed (0031); None: open, or closed before 0031 without a summary.
    closed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class RoundRequest:
    item_id: str
    contact_id: str
    organisation: str


def _round(row: StatusRoundRow) -> Round:
    return Round(
        row.id, row.programme_id, row.body, row.answer_by, row.scope, row.started_on,
        row.closed_on, row.meeting_on, row.closed_at,
    )  # fmt: skip


def start_round(
    session: Session,
    programme_id: str,
    body: str,
    answer_by: date,
    scope: str | None,
    started_on: date,
    now: datetime,
    requests: Iterable[RoundRequest],
    meeting_on: date | None = None,
) -> tuple[Round, bool]:
    """The round for (body, answer_by), created with its requests if new; (round, created).
    ``meeting_on``: the meeting it prepares (a round found keeps the meeting it was started
    for: an archived pack read it so)."""
    existing = session.scalar(
        sa.select(StatusRoundRow).where(
            StatusRoundRow.programme_id == programme_id,
            StatusRoundRow.body == body,
            StatusRoundRow.answer_by == answer_by,
        )
    )
    if existing is not None:
        return _round(existing), False
    row = StatusRoundRow(
        programme_id=programme_id,
        body=body,
        answer_by=answer_by,
        scope=scope,
        started_on=started_on,
        started_at=now,
        meeting_on=meeting_on,
    )
    session.add(row)
    session.flush()
    values = [
        {
            "round_id": row.id,
            "item_code": r.item_id,
            "contact_code": r.contact_id,
            "organisation_code": r.organisation,
        }
        for r in requests
    ]
    if values:
        session.execute(sa.insert(RoundRequestRow), values)
    return _round(row), True


def rounds(session: Session, programme_id: str, *, open_only: bool = False) -> list[Round]:
    query = sa.select(StatusRoundRow).where(StatusRoundRow.programme_id == programme_id)
    if open_only:
        query = query.where(StatusRoundRow.closed_on.is_(None))
    return [_round(r) for r in session.scalars(query.order_by(StatusRoundRow.id))]


def round_requests(session: Session, round_id: int) -> list[RoundRequest]:
    query = (
        sa.select(RoundRequestRow)
        .where(RoundRequestRow.round_id == round_id)
        .order_by(RoundRequestRow.id)
    )
    return [
        RoundRequest(r.item_code, r.contact_code, r.organisation_code)
        for r in session.scalars(query)
    ]


def round_chased(session: Session, programme_id: str, round_id: int) -> bool:
    """Whether a chase of round ``round_id`` was queued (``round:<id>:<contact>:chase:<day>``),
    whatever became of it."""
    query = sa.select(OutboxRow.key).where(
        OutboxRow.programme_id == programme_id,
        OutboxRow.key.like(f"round:{round_id}:%:chase:%"),
    )
    return session.scalar(query.limit(1)) is not None


def close_round(session: Session, round_id: int, on: date, at: datetime) -> bool:
    """Close the round on ``on`` at instant ``at`` (after its summary was queued, in the same
    transaction: the summary's counts stand at ``at``); False if it was closed already."""
    done = session.execute(
        sa.update(StatusRoundRow)
        .where(StatusRoundRow.id == round_id, StatusRoundRow.closed_on.is_(None))
        .values(closed_on=on, closed_at=at)
        .returning(StatusRoundRow.id)
        .execution_options(synchronize_session=False)
    ).first()
    return done is not None
