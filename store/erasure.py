"""One contact's personal data: read it all (AVG art. 15) and erase it (art. 17).

The erasure runs in the caller's transaction. It opens the append-only triggers for exactly its
own changes by marking its ``erasures`` row ``in_progress`` (migration 0015) and closes them again
before the caller commits.
"""

from __future__ import annotations

import re
import secrets
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from store import digest_items
from store.models import (
    ContactRow,
    EventRow,
    OutboxRow,
    PlanRevisionRow,
    PromptRow,
    StatusUpdateRow,
)
from store.models_answers import AnswerLinkRow, RoundRequestRow, SlackUserRow, StatusRoundRow
from store.models_delivery import MailBounceRow, SlackLookupRow
from store.models_erasure import ErasureRow
from store.models_reports import ReportArchiveRow
from store.note_copies import Rerender, item_ids, quoted_forms, redact_json, redact_message
from store.records import OutboxRecord

FORGOTTEN_EVENT = "regie.contact.forgotten"
#: Outbox statuses that would still be delivered: forgetting makes them 'suppressed'.
UNSENT = ("pending", "failed")
PERSONAL_KEYS = ("name", "email", "slack")


class ErasureRefused(Exception):
    """The erasure cannot run now (nothing changed)."""


@dataclass(slots=True)
class Erased:
    pseudonym: str
    counts: Counter[str] = field(default_factory=Counter)
    outbox_keys: list[str] = field(default_factory=list)


def _plain(value: Any) -> Any:
    if hasattr(value, "isoformat"):  # dates and datetimes
        return value.isoformat()
    if isinstance(value, bytes):
        return None
    return value


def _rows(
    session: Session, statement: sa.Select[Any], skip: Iterable[str] = ()
) -> list[dict[str, Any]]:
    out = []
    for row in session.execute(statement).mappings():
        out.append({k: _plain(v) for k, v in row.items() if k not in skip})
    return out


def _mentions(column: Any, code: str) -> sa.ColumnElement[bool]:
    """A JSON column whose text holds ``code`` as a whole string value (both databases)."""
    return sa.cast(column, sa.Text).like(f'%"{code}"%')


def personal_values(session: Session, programme_id: str, code: str) -> set[str]:
    """Every name, e-mail address and Slack id ever stored for the contact (plan, revisions,
    outbox): what an erasure blanks wherever it occurs as a whole value."""
    values: set[str] = set()
    c = ContactRow
    for row in session.execute(
        sa.select(c.name, c.email, c.slack).where(c.programme_id == programme_id, c.code == code)
    ):
        values.update(v for v in row if v)
    r = PlanRevisionRow
    for before, after, name in session.execute(
        sa.select(r.before, r.after, r.field).where(
            r.programme_id == programme_id, r.entity == "contact", r.code == code
        )
    ):
        for side in (before, after):
            if isinstance(side, dict):
                values.update(str(side[k]) for k in PERSONAL_KEYS if side.get(k))
            elif name in PERSONAL_KEYS and side:
                values.add(str(side))
    o = OutboxRow
    for row in session.execute(
        sa.select(o.recipient_name, o.email, o.slack).where(
            o.programme_id == programme_id, o.recipient == code
        )
    ):
        values.update(v for v in row if v)
    return values


def export(session: Session, programme_id: str, code: str) -> dict[str, Any]:
    """Every stored row about the contact, as plain JSON values (tokens and hashes left out)."""
    values = personal_values(session, programme_id, code)
    emails = sorted(v.lower() for v in values if "@" in v)
    erasure = session.execute(
        sa.select(ErasureRow.pseudonym, ErasureRow.forgotten_at).where(
            ErasureRow.programme_id == programme_id, ErasureRow.contact_code == code
        )
    ).first()
    authors = [code] + ([erasure.pseudonym] if erasure else [])
    c, r, o, s, e = ContactRow, PlanRevisionRow, OutboxRow, StatusUpdateRow, EventRow
    data: dict[str, Any] = {
        "contacts": _rows(
            session, sa.select(c.__table__).where(c.programme_id == programme_id, c.code == code)
        ),
        "plan_revisions": _rows(
            session,
            sa.select(r.__table__)
            .where(r.programme_id == programme_id, r.entity == "contact", r.code == code)
            .order_by(r.id),
        ),
        "outbox": _rows(
            session,
            sa.select(o.__table__)
            .where(o.programme_id == programme_id, o.recipient == code)
            .order_by(o.id),
            skip=("claim_token",),
        ),
        "status_updates": _rows(
            session,
            sa.select(s.__table__)
            .where(s.programme_id == programme_id, s.author.in_(authors))
            .order_by(s.id),
        ),
        "events": _rows(
            session,
            sa.select(e.__table__)
            .where(
                e.programme_id == programme_id,
                sa.or_(*(_mentions(e.payload, v) for v in [*authors, *sorted(values)])),
            )
            .order_by(e.id),
        ),
        "prompts": _rows(
            session,
            sa.select(PromptRow.__table__)
            .where(PromptRow.programme_id == programme_id, PromptRow.contact_code == code)
            .order_by(PromptRow.id),
        ),
        "answer_links": _rows(
            session,
            sa.select(AnswerLinkRow.__table__)
            .where(AnswerLinkRow.programme_id == programme_id, AnswerLinkRow.contact_code == code)
            .order_by(AnswerLinkRow.id),
            skip=("token",),  # a secret, not data about the person
        ),
        "round_requests": _rows(
            session,
            sa.select(RoundRequestRow.__table__, StatusRoundRow.body, StatusRoundRow.answer_by)
            .join(StatusRoundRow, StatusRoundRow.id == RoundRequestRow.round_id)
            .where(
                StatusRoundRow.programme_id == programme_id, RoundRequestRow.contact_code == code
            )
            .order_by(RoundRequestRow.id),
        ),
        "slack_users": _rows(
            session,
            sa.select(SlackUserRow.__table__).where(
                SlackUserRow.programme_id == programme_id,
                sa.or_(
                    SlackUserRow.contact_code == code, sa.func.lower(SlackUserRow.email).in_(emails)
                ),
            ),
        ),
        "slack_lookups": _rows(
            session, sa.select(SlackLookupRow.__table__).where(SlackLookupRow.email.in_(emails))
        ),
        "mail_bounces": _rows(
            session,
            sa.select(MailBounceRow.__table__)
            .where(_bounced(programme_id, code, emails))
            .order_by(MailBounceRow.id),
        ),
        "report_archive": reports_naming(session, programme_id, values),
        "erasure": (
            {"pseudonym": erasure.pseudonym, "forgotten_at": _plain(erasure.forgotten_at)}
            if erasure
            else None
        ),
    }
    return data


def _bounced(programme_id: str, code: str, emails: list[str]) -> sa.ColumnElement[bool]:
    b = MailBounceRow
    return sa.and_(b.programme_id == programme_id, sa.or_(b.recipient == code, b.email.in_(emails)))


def reports_naming(
    session: Session, programme_id: str, values: Iterable[str]
) -> list[dict[str, Any]]:
    """Archived html/md reports whose text holds one of ``values`` (pdf/docx are not searched)."""
    a = ReportArchiveRow
    needles = [v.encode() for v in values if len(v) > 2]
    found = []
    for row in session.execute(
        sa.select(a.id, a.kind, a.format, a.title, a.as_of, a.created_at, a.content).where(
            a.programme_id == programme_id, a.format.in_(("html", "md"))
        )
    ):
        if any(n in row.content for n in needles):
            found.append(
                {"id": row.id, "kind": row.kind, "format": row.format, "title": row.title,
                 "as_of": _plain(row.as_of), "created_at": _plain(row.created_at)}
            )  # fmt: skip
    return found


def scrub(value: Any, replace: dict[str, str | None]) -> Any:
    """``value`` (JSON) with every string that is a key of ``replace`` (a name, an address, the
    contact's code) replaced, wherever it is; other strings and all keys stay."""
    if isinstance(value, str):
        if "@" in value:  # addresses match whatever their case
            return replace.get(value, replace.get(value.lower(), value))
        return replace.get(value, value)
    if isinstance(value, list):
        return [scrub(v, replace) for v in value]
    if isinstance(value, dict):
        return {k: scrub(v, replace) for k, v in value.items()}
    return value


def open_erasure(session: Session, programme_id: str, code: str, now: datetime) -> str:
    """The contact's pseudonym (a new one the first time), with the erasure marked running."""
    row = session.scalars(
        sa.select(ErasureRow).where(
            ErasureRow.programme_id == programme_id, ErasureRow.contact_code == code
        )
    ).first()
    if row is None:
        row = ErasureRow(
            programme_id=programme_id, contact_code=code, pseudonym=secrets.token_hex(8),
            forgotten_at=now, in_progress=True,
        )  # fmt: skip
        session.add(row)
        session.flush()
        row.pseudonym = f"vertrokken-{row.id}"
    row.in_progress = True
    row.forgotten_at = now
    session.flush()
    return row.pseudonym


def close_erasure(session: Session, programme_id: str, code: str) -> None:
    session.execute(
        sa.update(ErasureRow)
        .where(ErasureRow.programme_id == programme_id, ErasureRow.contact_code == code)
        .values(in_progress=False)
    )


def forget(
    session: Session,
    programme_id: str,
    code: str,
    now: datetime,
    *,
    day: date,
    notes: bool,
    placeholder: Callable[[str, str, str], str],
    reason: str,
) -> Erased:
    """Erase the contact's personal data (see docs/operations.md, "Personal data"); its events
    are filed under ``day`` (the office's date of ``now``).
    ``placeholder(pseudonym, kind, day)``: a message body's replacement (``day`` in ISO or "");
    ``reason``: why a message not yet sent is suppressed."""
    o = OutboxRow
    sending = session.scalar(
        sa.select(sa.func.count()).where(
            o.programme_id == programme_id, o.recipient == code, o.status == "sending"
        )
    )
    if sending:
        raise ErasureRefused(f"{code}: a message to them is being sent now; try again later")
    values = personal_values(session, programme_id, code)
    pseudonym = open_erasure(session, programme_id, code, now)
    done = Erased(pseudonym)
    blank: dict[str, str | None] = {v: "" for v in values}
    blank.update({v.lower(): "" for v in values if "@" in v})
    in_events = {**blank, code: pseudonym}

    c = ContactRow
    done.counts["contacts"] = _count(
        session.execute(
            sa.update(c)
            .where(
                c.programme_id == programme_id,
                c.code == code,
                sa.or_(c.name != "", c.email.is_not(None), c.slack.is_not(None)),
            )
            .values(name="", email=None, slack=None)
        )
    )
    r = PlanRevisionRow
    for rid, before, after in session.execute(
        sa.select(r.id, r.before, r.after).where(
            r.programme_id == programme_id, r.entity == "contact", r.code == code
        )
    ).all():
        new_before, new_after = scrub(before, blank), scrub(after, blank)
        if (new_before, new_after) != (before, after):
            session.execute(
                sa.update(r).where(r.id == rid).values(before=new_before, after=new_after)
            )
            done.counts["plan_revisions"] += 1
    s = StatusUpdateRow
    values_su: dict[str, Any] = {"author": pseudonym}
    if notes:
        values_su["comment"] = None
    mine = sa.or_(s.author == code, s.author == pseudonym)
    changed = [s.author != pseudonym]
    if notes:
        changed.append(s.comment.is_not(None))
    done.counts["status_updates"] = _count(
        session.execute(
            sa.update(s)
            .where(s.programme_id == programme_id, mine, sa.or_(*changed))
            .values(**values_su)
        )
    )
    e = EventRow
    # A token's scope names the contact (``contact:<id>``): its events name the pseudonym.
    in_events[f"contact:{code}"] = f"contact:{pseudonym}"
    needles = [code, f"contact:{code}", *sorted(values)]
    for eid, payload in session.execute(
        sa.select(e.id, e.payload).where(
            e.programme_id == programme_id, sa.or_(*(_mentions(e.payload, v) for v in needles))
        )
    ).all():
        new = scrub(payload, in_events)
        if new != payload:
            session.execute(sa.update(e).where(e.id == eid).values(payload=new))
            done.counts["events"] += 1
    for row in session.execute(
        sa.select(o.id, o.key, o.kind, o.status, o.created_on, o.payload, o.subject).where(
            o.programme_id == programme_id, o.recipient == code
        )
    ).all():
        done.outbox_keys.append(row.key)
        payload = {k: v for k, v in row.payload.items() if k not in ("render", "channel")}
        update: dict[str, Any] = {
            "recipient_name": "",
            "email": None,
            "slack": None,
            "subject": _replace_in(row.subject, values, pseudonym),
            "body_text": placeholder(
                pseudonym, row.kind, row.created_on.isoformat() if row.created_on else ""
            ),
            "body_html": None,
            "payload": scrub(payload, blank),
        }
        if row.status in UNSENT:
            update.update(status="suppressed", next_attempt_at=None, last_error=reason)
            done.counts["outbox_suppressed"] += 1
        session.execute(sa.update(o).where(o.id == row.id).values(**update))
        if row.kind == digest_items.DIGEST_KIND:  # the entries stored beside it follow
            digest_items.replace(session, row.id, update["payload"])
        done.counts["outbox"] += 1
    a = AnswerLinkRow
    done.counts["answer_links"] = _count(
        session.execute(
            sa.delete(a).where(
                a.programme_id == programme_id, a.contact_code == code, a.used_at.is_(None)
            )
        )
    )
    emails = sorted({v.lower() for v in values if "@" in v})
    su = SlackUserRow
    done.counts["slack_users"] = _count(
        session.execute(
            sa.delete(su).where(
                su.programme_id == programme_id,
                sa.or_(su.contact_code == code, sa.func.lower(su.email).in_(emails)),
            )
        )
    )
    done.counts["slack_lookups"] = _count(
        session.execute(sa.delete(SlackLookupRow).where(SlackLookupRow.email.in_(emails)))
    )
    # A bounce names the contact and their address: it goes with them (the append-only
    # trigger lets the running erasure delete in its programme, migration 0026).
    done.counts["mail_bounces"] = _count(
        session.execute(sa.delete(MailBounceRow).where(_bounced(programme_id, code, emails)))
    )
    done.counts["calendar_tokens"] = _revoke_tokens(
        session, programme_id, code, pseudonym, values, now, day
    )
    close_erasure(session, programme_id, code)
    session.add(
        EventRow(
            programme_id=programme_id, name=FORGOTTEN_EVENT, item_code=None,
            occurred_on=day, recorded_at=now,
            payload={"pseudonym": pseudonym, "notes": notes,
                     "counts": {k: v for k, v in sorted(done.counts.items()) if v}},
            dedupe_key=f"{FORGOTTEN_EVENT}:{pseudonym}:{now.isoformat()}",
        )
    )  # fmt: skip
    session.flush()
    return done


def _revoke_tokens(
    session: Session,
    programme_id: str,
    code: str,
    pseudonym: str,
    values: Iterable[str],
    now: datetime,
    day: date,
) -> int:
    """Revoke the contact's calendar tokens (scope ``contact:<code>``), recorded as any revocation
    is (``revoked_by``, a ``regie.calendar_token.revoked`` event); every token of theirs, revoked
    before or now, gets the pseudonym in its scope and label. The label of *any* token of the
    programme (an organisation's, a step's, another contact's) that names them gets the
    pseudonym in place of that name too (:func:`name_pattern`: labels are typed by hand, "voor
    K. Voorbeeld en team"). The number revoked now."""
    from store.audit import TOKEN_REVOKED, token_action
    from store.models_web import CalendarTokenRow as t

    names = name_pattern([*values, code])
    labelled = session.execute(
        sa.select(t.id, t.label).where(
            t.programme_id == programme_id, t.scope != f"contact:{code}", t.label.is_not(None)
        )
    ).all()
    for token_id, label in labelled:  # anyone's token whose label names them (finding: forget)
        new = names.sub(pseudonym, label) if names is not None else label
        if new != label:
            session.execute(sa.update(t).where(t.id == token_id).values(label=new))
    rows = session.execute(
        sa.select(t.id, t.revoked_at, t.label).where(
            t.programme_id == programme_id, t.scope == f"contact:{code}"
        )
    ).all()
    revoked = 0
    for token_id, revoked_at, label in rows:
        changes: dict[str, Any] = {"scope": f"contact:{pseudonym}"}
        if label:
            label = _replace_in(label, [*values, code], pseudonym)
            changes["label"] = names.sub(pseudonym, label) if names is not None else label
        if revoked_at is None:
            changes["revoked_at"] = now
        session.execute(sa.update(t).where(t.id == token_id).values(**changes))
        if revoked_at is None:
            token_action(session, programme_id, TOKEN_REVOKED, token_id, None, now, day)
            revoked += 1
    return revoked


#: Words that join a Dutch surname (``van der Berg``): not a given name.
_PARTICLES = frozenset("van von der den de het ten ter te in 't d' la le du da di".split())  # noqa: SIM905


def name_pattern(values: Iterable[str]) -> re.Pattern[str] | None:
    """A case-insensitive pattern for the ways a hand-typed label names the person with these
    personal values (names, e-mail addresses, ids): each value whole; a name without its
    bracketed suffix (``K. Voorbeeld (PIANOo, fictief)`` → ``K. Voorbeeld``); the given name or
    its initial(s) with or without dots before the surname (``Hanna Jansen``, ``H. Jansen``,
    ``H Jansen``, ``H.J. Jansen`` for ``Hanna Jansen``); the reversed form (``Jansen, H.``);
    and an e-mail address's local part. Whitespace may vary. A surname alone is not matched:
    it would hit namesakes (``G. Voorbeeld`` is another person than ``K. Voorbeeld``)."""
    whole: set[str] = set()  # tried first: a value whole, its bracketed suffix included
    forms: set[str] = set()
    for value in values:
        value = value.strip()
        if len(value) <= 2:
            continue
        whole.add(_flexible(value))
        if "@" in value:
            local = value.split("@", 1)[0]
            if len(local) > 2:
                forms.add(_flexible(local))
            continue
        base = re.sub(r"\s*\(.*?\)\s*", " ", value).strip()
        words = base.split()
        if len(words) < 2:
            if len(base) > 2:
                forms.add(_flexible(base))
            continue
        forms.add(_flexible(base))
        given = 1
        while given < len(words) - 1 and words[given].rstrip(".").lower() not in _PARTICLES:
            if not re.fullmatch(r"(?:\w\.)+\w?\.?|\w+", words[given]) or given >= 2:
                break
            given += 1  # "Anna Maria de Vries": two given names (at most)
        first, surname = words[:given], words[given:]
        if surname and surname[0].rstrip(".").lower() not in _PARTICLES and given > 1:
            first, surname = words[:1], words[1:]
        last = r"\s+".join(re.escape(w) for w in surname)
        initial = re.escape(first[0][0])
        full_given = r"\s+".join(re.escape(w) for w in first)
        # "H. Jansen", "H Jansen", "H.J. Jansen", "HJ Jansen", "Hanna Jansen"
        initials = rf"{initial}\.?(?:\s*\w\.?){{0,3}}"
        alternatives = [full_given, initials]
        if not re.fullmatch(r"(?:\w\.?)+", first[0]):
            alternatives.append(re.escape(first[0]))  # the first given name alone
        given_forms = "|".join(alternatives)
        forms.add(rf"(?:{given_forms})\s+{last}")
        forms.add(rf"{last},\s*(?:{given_forms})")
    if not whole:
        return None
    ordered = sorted(whole, key=len, reverse=True) + sorted(forms - whole, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(ordered) + r")(?!\w)", re.IGNORECASE)


def _flexible(text: str) -> str:
    return r"\s+".join(re.escape(w) for w in text.split())


def _replace_in(text: str, values: Iterable[str], pseudonym: str) -> str:
    for value in sorted(values, key=len, reverse=True):
        if len(value) > 2:
            text = text.replace(value, pseudonym)
    return text


def _count(result: Any) -> int:
    return int(result.rowcount or 0)


def contact_known(session: Session, programme_id: str, code: str) -> bool:
    """Whether anything is stored about ``code`` (a plan row, a message, an update, …)."""
    checks = [
        sa.select(ContactRow.id).where(
            ContactRow.programme_id == programme_id, ContactRow.code == code
        ),
        sa.select(OutboxRow.id).where(
            OutboxRow.programme_id == programme_id, OutboxRow.recipient == code
        ),
        sa.select(StatusUpdateRow.id).where(
            StatusUpdateRow.programme_id == programme_id, StatusUpdateRow.author == code
        ),
        sa.select(ErasureRow.id).where(
            ErasureRow.programme_id == programme_id, ErasureRow.contact_code == code
        ),
    ]
    return any(session.execute(q.limit(1)).first() for q in checks)


def forget_user(session: Session, username: str) -> str | None:
    """Rename a disabled login to ``vertrokken-gebruiker-<id>``, blank its display name and
    delete its sessions; the new name, or None when no disabled user has that name."""
    from store.models_web import UserRow, WebSessionRow

    row = session.scalars(
        sa.select(UserRow).where(UserRow.username == username, UserRow.disabled_at.is_not(None))
    ).first()
    if row is None:
        return None
    pseudonym = f"vertrokken-gebruiker-{row.id}"
    session.execute(sa.delete(WebSessionRow).where(WebSessionRow.user_id == row.id))
    row.username = pseudonym
    row.display_name = None
    session.flush()
    return pseudonym


# --- one update's note (the office's redaction) ----------------------------------------------

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
    done.counts["status_updates"] = _count(
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
