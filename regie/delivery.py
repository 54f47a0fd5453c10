"""Who can be reached where: the configured channels (REGIE_NOTIFIER) against the contacts.

A contact that none of the channels reaches is reported (cycle summary, ``regie outbox``),
never silently dropped; the outbox keeps their messages, failed with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from regie.bootstrap import App

if TYPE_CHECKING:
    from governance.plan import Contact, Plan


@dataclass(frozen=True, slots=True)
class Unreachable:
    contact_id: str
    reason: str

    def __str__(self) -> str:
        return f"{self.contact_id} ({self.reason})"


def why_unreachable(app: App, contact: Contact) -> str | None:
    """None when a configured channel can reach ``contact``, else why not (Dutch-free, short)."""
    reasons = []
    for name in app.settings.notifiers:
        if name == "file":
            return None
        if name == "email":
            if contact.email:
                return None
            reasons.append("email: no address")
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
    out = []
    for contact in plan.contacts:
        if wanted is not None and contact.id not in wanted:
            continue
        reason = why_unreachable(app, contact)
        if reason is not None:
            out.append(Unreachable(contact.id, reason))
    return out
