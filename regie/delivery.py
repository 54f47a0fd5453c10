"""Who can be reached where: the configured channels (REGIE_NOTIFIER) against the contacts.

A contact that none of the channels reaches is reported (cycle summary, ``regie outbox``),
never silently dropped; the outbox keeps their messages, failed with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from regie.bootstrap import App

if TYPE_CHECKING:
    from governance.plan import Contact, Plan
    from store.records import OutboxRecord


@dataclass(frozen=True, slots=True)
class Unreachable:
    contact_id: str
    reason: str

    def __str__(self) -> str:
        return f"{self.contact_id} ({self.reason})"


def why_unreachable(
    app: App, contact: Contact, bouncing: Mapping[str, str] | None = None
) -> str | None:
    """None when a configured channel can reach ``contact``, else why not (Dutch-free, short).
    ``bouncing``: addresses (lower case) that bounce (``regie mail bounces``) → why."""
    reasons = []
    for name in app.settings.notifiers:
        if name == "file":
            return None
        if name == "email":
            address = (contact.email or "").strip().lower()
            if address and address not in (bouncing or {}):
                return None
            reasons.append(f"email: {address} bounces" if address else "email: no address")
        if name == "slack":
            reason = _slack_reason(app, contact)
            if reason is None:
                return None
            reasons.append(f"slack: {reason}")
    return "; ".join(reasons)


def _slack_reason(app: App, contact: Contact) -> str | None:
    given = (contact.slack or "").strip()
    if given and "@" not in given:
        return None  # a user id: Slack will say if it is wrong
    email = given or contact.email
    if not email:
        return "no Slack id or e-mail address"
    from regie.services import utcnow
    from store.slack_lookups import SlackUserCache

    app.ensure_schema()
    cached = SlackUserCache(app.sessions).lookup(email, utcnow())
    if cached is not None and cached[0] is None:
        return f"no Slack account for {email}"
    return None


def unreachable_contacts(
    app: App, plan: Plan, contact_ids: Iterable[str] | None = None
) -> list[Unreachable]:
    """The plan's contacts (or those named) that no configured channel reaches."""
    wanted = None if contact_ids is None else set(contact_ids)
    bouncing = app.bouncing_addresses(plan) if "email" in app.settings.notifiers else {}
    out = []
    for contact in plan.contacts:
        if wanted is not None and contact.id not in wanted:
            continue
        reason = why_unreachable(app, contact, bouncing)
        if reason is not None:
            out.append(Unreachable(contact.id, reason))
    return out


def current_addresses(app: App) -> dict[str, str]:
    """Contact id → e-mail address as the plan and contact list say now ({} when the plan
    cannot be read: the queued addresses stand)."""
    plan = app._plan_if_readable()
    if plan is None:
        return {}
    # A renamed contact's old ids too (``formerly``): a message queued before the rename.
    return {
        i: c.email.strip()
        for c in plan.contacts
        if c.email and c.email.strip()
        for i in (c.id, *c.formerly)
    }


def readdressed(
    app: App, plan_id: str, row: OutboxRecord, addresses: dict[str, str]
) -> OutboxRecord:
    """``row`` (claimed) to its contact's current e-mail address: a message queued before the
    address was fixed (e.g. after a bounce) goes to the new one, and the outbox says so."""
    from dataclasses import replace

    from store import outbox

    now = addresses.get(row.recipient)
    if not row.email or not now or now.lower() == row.email.strip().lower():
        return row
    if row.payload.get("to_channel"):
        return row
    with app.session() as session, session.begin():
        outbox.readdress(session, plan_id, row.key, email=now, claim_token=row.claim_token)
    return replace(row, email=now)
