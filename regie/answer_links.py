"""Signed answer links in reminder e-mails: made when a digest is queued, checked when opened.

Scheme: an HMAC of our own design (stdlib ``hmac`` + SHA-256), not itsdangerous. The URL carries
a random server-side id (128 bits) and a MAC over that id *and* what the link is bound to
(programme, contact, item, outbox message), keyed with ``REGIE_SECRET_KEY``:
``{REGIE_BASE_URL}/antwoord/<id>.<mac>``. Why not itsdangerous: everything a link means lives
in the database row (single use needs that row anyway), so the signature only has to prove the
URL was issued by us for that row — a dozen lines of stdlib, no new dependency. And
itsdangerous's built-in expiry counts from *signing* (queueing), while a link expires 14 days
after its message was *sent* (wall clock), which only the outbox knows.

Only the SHA-256 of the id is stored (:func:`store.answers.token_hash`): the database and its
backups hold nothing that answers. A link also remembers a hash of the address it was sent to.

A link is refused (a clear Dutch page, nothing stored) when it is tampered with (bad format,
unknown id, wrong MAC), foreign (another programme, or a contact who may no longer answer for
the item), departed (its contact left the plan), for a successor (its contact id now has
another e-mail address: the link was someone else's), used, replaced (a newer reminder for the
same contact and item has been sent since) or expired. GET never stores anything, not even a
refusal; only POST does.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from governance.answers import Answerer, AnswerInput, Refusal
from regie.answers import AnswerRefused, Recorded
from regie.bootstrap import App

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from governance.plan import Deadline, Plan
    from governance.updates import StatusUpdate
    from store.answers import NewLink

LINK_LIFETIME = timedelta(days=14)
_URL_SAFE = re.compile(r"[A-Za-z0-9_-]{16,64}")  # what token_urlsafe and the MACs are made of
PATH = "/antwoord/"


def _mac(secret: str, purpose: str, *parts: str) -> str:
    message = "\x1f".join((purpose, *parts)).encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def link_mac(secret: str, token: str, programme: str, contact: str, item: str, key: str) -> str:
    return _mac(secret, "regie-answer-link-v1", token, programme, contact, item, key)


def csrf_token(secret: str, token: str) -> str:
    """The form's own token: bound to the link, so a page elsewhere cannot post for it."""
    return _mac(secret, "regie-answer-form-v1", token)


@dataclass
class LinkMaker:
    """Hands out link URLs while digests are rendered; :meth:`made` lists them for storing
    with the messages that were actually queued: the hash of each id (the id itself lives only
    in the URL) and the hash of the address it goes to (``addresses``: contact → e-mail)."""

    base_url: str
    secret: str
    programme_id: str
    addresses: dict[str, str] = field(default_factory=dict)
    _made: list[NewLink] = field(default_factory=list)

    def __call__(self, contact_id: str, item_id: str, message_key: str) -> str:
        from store.answers import NewLink, address_hash, token_hash

        token = secrets.token_urlsafe(16)
        mac = link_mac(self.secret, token, self.programme_id, contact_id, item_id, message_key)
        address = self.addresses.get(contact_id)
        recipient = address_hash(address) if address else None
        self._made.append(NewLink(token_hash(token), contact_id, item_id, message_key, recipient))
        return f"{self.base_url}{PATH}{token}.{mac}"

    def made(self, keys: set[str]) -> list[NewLink]:
        return [m for m in self._made if m.outbox_key in keys]


Linker = Callable[[str, str, str], str]


@dataclass(frozen=True, slots=True)
class OpenLink:
    """A link that may be answered: what the form shows."""

    token: str
    csrf: str
    contact_id: str
    contact_name: str
    item: Deadline


class LinkRefused(AnswerRefused):
    """A link that cannot be answered (``reason`` says which page to show)."""


def check_link(app: App, plan: Plan, url_token: str, now: datetime) -> OpenLink:
    """The link behind ``url_token`` if it may be answered now; :class:`LinkRefused` if not."""
    from governance.answers import contact, find_item, may_answer
    from store.answers import address_hash, link

    secret = app.settings.require_secret_key()
    token, _, mac = url_token.partition(".")
    if not (_URL_SAFE.fullmatch(token) and _URL_SAFE.fullmatch(mac)):
        raise LinkRefused(Refusal.LINK_TAMPERED)
    with app.session() as session:
        found = link(session, token)
    if found is None:
        raise LinkRefused(Refusal.LINK_TAMPERED)
    expected = link_mac(
        secret, token, found.programme_id, found.contact_id, found.item_id, found.outbox_key
    )
    if not hmac.compare_digest(expected.encode(), mac.encode()):
        raise LinkRefused(Refusal.LINK_TAMPERED)
    if found.programme_id != plan.programme.id:
        raise LinkRefused(Refusal.LINK_FOREIGN)
    person = contact(plan, found.contact_id)
    if person is None:
        raise LinkRefused(Refusal.LINK_DEPARTED)
    if found.recipient_hash is not None and (
        not person.email or address_hash(person.email) != found.recipient_hash
    ):
        raise LinkRefused(Refusal.LINK_SUCCESSOR)
    item = find_item(plan, found.item_id)
    if item is None:
        raise LinkRefused(Refusal.LINK_FOREIGN)
    if may_answer(plan, Answerer(person.id, person.name), item) is not None:
        raise LinkRefused(Refusal.LINK_FOREIGN)
    if found.used_at is not None:
        raise LinkRefused(Refusal.LINK_USED)
    if found.replaced:
        raise LinkRefused(Refusal.LINK_REPLACED)
    if now >= (found.sent_at or found.created_at) + LINK_LIFETIME:
        raise LinkRefused(Refusal.LINK_EXPIRED)
    return OpenLink(token, csrf_token(secret, token), person.id, person.name, item)


def answer_by_link(
    app: App,
    plan: Plan,
    url_token: str,
    csrf: str,
    answer: AnswerInput,
    *,
    now: datetime,
    as_of: date,
    checked: OpenLink | None = None,
) -> Recorded:
    """Store the answer posted through a link, once; the link is used in the same transaction.
    ``checked``: what :func:`check_link` just returned for this token and ``now`` (the form
    page checks first; single use is enforced by :func:`store.answers.use_link` anyway)."""
    from regie.answers import record_answer, record_refusal
    from store.answers import use_link

    try:
        view = checked if checked is not None else check_link(app, plan, url_token, now)
    except LinkRefused as exc:
        if exc.reason is not Refusal.LINK_TAMPERED:  # a known person's attempt: keep it
            contact_id, item_id = _bound_to(app, url_token)
            who = Answerer(contact_id, contact_id)
            attempt = replace(answer, item_id=item_id)
            record_refusal(app, plan, exc.reason, attempt, who, "email", as_of)
        raise
    if not (_URL_SAFE.fullmatch(csrf) and hmac.compare_digest(csrf.encode(), view.csrf.encode())):
        raise LinkRefused(Refusal.LINK_TAMPERED, "the form's token does not match the link")
    if answer.item_id != view.item.item_id:
        raise LinkRefused(Refusal.LINK_TAMPERED, "the form names another item than the link")

    def mark_used(session: Session, stored: StatusUpdate) -> None:
        assert stored.id is not None
        if not use_link(session, view.token, stored.id, now):
            raise LinkRefused(Refusal.LINK_USED)  # another POST got there first: roll back

    who = Answerer(view.contact_id, view.contact_name)
    try:
        return record_answer(
            app, answer, who, channel="email", as_of=as_of, plan=plan, within=mark_used
        )
    except LinkRefused as exc:
        record_refusal(app, plan, exc.reason, answer, who, "email", as_of)
        raise


def _bound_to(app: App, url_token: str) -> tuple[str, str]:
    """(contact, item) of a link whose MAC was right (only then is a refusal recorded)."""
    from store.answers import link

    found = None
    with app.session() as session:
        found = link(session, url_token.partition(".")[0])
    assert found is not None
    return found.contact_id, found.item_id
