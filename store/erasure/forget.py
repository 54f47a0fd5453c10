"""Forget a contact (AVG art. 17, ``regie contact forget``): blank their personal data
wherever it is stored, name them by a pseudonym in what must stay, and suppress the messages to
them not yet sent.

The erasure runs in the caller's transaction. It opens the append-only triggers for exactly its
own changes by marking its ``erasures`` row ``in_progress`` (migration 0015) and closes them again
before the caller commits.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from store import digest_items
from store.erasure.common import ErasureRefused, count_rows, name_pattern, replace_in, scrub
from store.erasure.contact_data import bounced, mentions, personal_values
from store.models import ContactRow, EventRow, OutboxRow, PlanRevisionRow, StatusUpdateRow
from store.models_answers import AnswerLinkRow, SlackUserRow
from store.models_delivery import MailBounceRow, SlackLookupRow
from store.models_erasure import ErasureRow

FORGOTTEN_EVENT = "regie.contact.forgotten"
#: Outbox statuses that would still be delivered: forgetting makes them 'suppressed'.
UNSENT = ("pending", "failed")


@dataclass(slots=True)
class Erased:
    pseudonym: str
    counts: Counter[str] = field(default_factory=Counter)
    outbox_keys: list[str] = field(default_factory=list)


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
    addresses = [*values, *(v.lower() for v in values if "@" in v)]

    c = ContactRow
    done.counts["contacts"] = count_rows(
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
    done.counts["status_updates"] = count_rows(
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
            e.programme_id == programme_id, sa.or_(*(mentions(e.payload, v) for v in needles))
        )
    ).all():
        new = scrub(payload, in_events)
        if new != payload:
            session.execute(sa.update(e).where(e.id == eid).values(payload=new))
            done.counts["events"] += 1
    for row in session.execute(
        sa.select(
            o.id, o.key, o.kind, o.status, o.created_on, o.payload, o.subject, o.last_error
        ).where(o.programme_id == programme_id, o.recipient == code)
    ).all():
        done.outbox_keys.append(row.key)
        payload = {k: v for k, v in row.payload.items() if k not in ("render", "channel")}
        update: dict[str, Any] = {
            "recipient_name": "",
            "email": None,
            "slack": None,
            "subject": replace_in(row.subject, values, pseudonym),
            "body_text": placeholder(
                pseudonym, row.kind, row.created_on.isoformat() if row.created_on else ""
            ),
            "body_html": None,
            "payload": scrub(payload, blank),
        }
        if row.status in UNSENT:
            update.update(status="suppressed", next_attempt_at=None, last_error=reason)
            done.counts["outbox_suppressed"] += 1
        elif row.last_error and row.status != "sent":  # a sent row keeps none (and is guarded)
            # A dead message's server reply can quote the address ("550 <x@y.org> unknown").
            update["last_error"] = replace_in(row.last_error, addresses, pseudonym)
        session.execute(sa.update(o).where(o.id == row.id).values(**update))
        if row.kind == digest_items.DIGEST_KIND:  # the entries stored beside it follow
            digest_items.replace(session, row.id, update["payload"])
        done.counts["outbox"] += 1
    a = AnswerLinkRow
    done.counts["answer_links"] = count_rows(
        session.execute(
            sa.delete(a).where(
                a.programme_id == programme_id, a.contact_code == code, a.used_at.is_(None)
            )
        )
    )
    emails = sorted({v.lower() for v in values if "@" in v})
    su = SlackUserRow
    done.counts["slack_users"] = count_rows(
        session.execute(
            sa.delete(su).where(
                su.programme_id == programme_id,
                sa.or_(su.contact_code == code, sa.func.lower(su.email).in_(emails)),
            )
        )
    )
    done.counts["slack_lookups"] = count_rows(
        session.execute(sa.delete(SlackLookupRow).where(SlackLookupRow.email.in_(emails)))
    )
    # A bounce names the contact and their address: it goes with them (the append-only
    # trigger lets the running erasure delete in its programme, migration 0026).
    done.counts["mail_bounces"] = count_rows(
        session.execute(sa.delete(MailBounceRow).where(bounced(programme_id, code, emails)))
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
            label = replace_in(label, [*values, code], pseudonym)
            changes["label"] = names.sub(pseudonym, label) if names is not None else label
        if revoked_at is None:
            changes["revoked_at"] = now
        session.execute(sa.update(t).where(t.id == token_id).values(**changes))
        if revoked_at is None:
            token_action(session, programme_id, TOKEN_REVOKED, token_id, None, now, day)
            revoked += 1
    return revoked


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
