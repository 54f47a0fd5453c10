"""Signed answer links in reminder e-mails: made when a digest is queued, checked when opened.

Scheme: an HMAC of our own design (stdlib ``hmac`` + SHA-256), not itsdangerous. The URL carries
an id (128 bits) and a MAC over that id *and* what the link is bound to (programme, contact,
item, outbox message), keyed with ``REGIE_SECRET_KEY``: ``{REGIE_BASE_URL}/antwoord/<id>.<mac>``.
Why not itsdangerous: everything a link means lives in the database row (single use needs that
row anyway), so the signature only has to prove the URL was issued by us for that row — a dozen
lines of stdlib, no new dependency. And itsdangerous's built-in expiry counts from *signing*
(queueing), while a link expires 14 days after its message was *sent* (wall clock), which only
the outbox knows.

The id is not stored but derived: an HMAC under ``REGIE_SECRET_KEY`` of (programme, outbox key,
item, contact, a random salt per link), so the sender can make it again. The stored message (the
``outbox`` row, and so every backup) holds a placeholder ``{answer-link:<item>:<salt>}`` (the item
in base64url) where the URL's id and MAC go; :func:`link_filler` puts the link in just before a
message is handed to a channel (e-mail, file outbox, Slack), the same bytes on every attempt.
The salt gives a message queued again after a restore from a backup new links, not the ones sent
before. Only the SHA-256 of the id is stored (:func:`store.answers.token_hash`): the database and
its backups hold nothing that answers, and the key is not in the database. A link also remembers
a hash of the address it was sent to. Changing ``REGIE_SECRET_KEY`` ends every link not yet
answered (their MACs no longer match), also those of messages still queued — unless the old key
is kept as ``REGIE_SECRET_KEY_PREVIOUS`` for a while (:meth:`regie.config.Settings.
verification_keys`): a MAC or form token under either key is accepted, and an id derived under
the old key is still found (a message queued before the rotation goes out with the id stored
for it, signed under the new key). Everything new is signed with the current key only.

A link is refused (a clear Dutch page, nothing stored) when it is tampered with (bad format,
unknown id, wrong MAC), foreign (another programme, or a contact who may no longer answer for
the item), departed (its contact left the plan), for a successor (its contact id now has
another e-mail address: the link was someone else's), used, replaced (a newer reminder for the
same contact and item has been sent since; a status round's chase leaves the same round's
request link valid) or expired. GET never stores anything, not even a
refusal; only POST does, and only a person's attempt (:func:`_attempted`), once per link, reason
and hour. A link whose item was taken out of the plan is refused as *removed*, and one whose
item is cancelled (vervallen: by a decision or the office) as *cancelled*, whatever else holds:
an owner's answer never reopens it (:func:`governance.answers.standing_refusal`, checked again
inside the answer's transaction); reopening an item someone else reported gereed needs the
form's "Toch wijzigen".

Correction links: storing an answer also stores a fresh link for the same contact and item
(``outbox_key`` ``correction:<update id>``, no message carries it), shown once on the thank-you
page as "Wijzigen": the same scheme (a 128-bit id derived from the used link's id and the answer
under ``REGIE_SECRET_KEY``, only its SHA-256 stored, MAC over the bindings), single use, valid
:data:`CORRECTION_LIFETIME` from the answer, never past the lifetime of the link it corrects
through (:func:`_expires`), and only until the next reminder for the item is sent (which
replaces it, as it replaces any older link). Because it is derived, opening the used
link again (the 409 page) can offer the same "Wijzigen" while it is still valid
(:func:`open_correction`); nothing new is issued. A correction is a new update; the history
keeps both.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from governance.answers import Answerer, AnswerInput, Refusal
from regie.answers import AnswerRefused, Recorded
from regie.bootstrap import App

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from governance.plan import Deadline, Plan
    from governance.updates import StatusUpdate
    from store.answers import AnswerLink, NewLink
    from store.records import OutboxRecord

LINK_LIFETIME = timedelta(days=14)
#: A correction link (the "Wijzigen" on the thank-you page) is valid this long from the answer
#: it corrects, and only until the next reminder for the item is sent (which has its own link).
CORRECTION_LIFETIME = timedelta(days=7)
#: The ``outbox_key`` of a correction link: no message carries it (it is shown on the page).
CORRECTION_KEY = "correction:"
_URL_SAFE = re.compile(r"[A-Za-z0-9_-]{16,64}")  # what token_urlsafe and the MACs are made of
PATH = "/antwoord/"


def _mac(secret: str, purpose: str, *parts: str) -> str:
    message = "\x1f".join((purpose, *parts)).encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def link_mac(secret: str, token: str, programme: str, contact: str, item: str, key: str) -> str:
    return _mac(secret, "regie-answer-link-v1", token, programme, contact, item, key)


def link_id(
    secret: str, programme: str, message_key: str, item: str, contact: str, salt: str
) -> str:
    """A link's id: the same for the same message, item, contact and salt (made again at send
    time, never stored), 128 bits that nobody without ``REGIE_SECRET_KEY`` can make."""
    return _mac(secret, "regie-answer-link-id-v2", programme, message_key, item, contact, salt)


#: Where a stored message has a link: the item (base64url: item ids are free text), the salt.
PLACEHOLDER = re.compile(r"\{answer-link:([A-Za-z0-9_-]{1,120}):([A-Za-z0-9_-]{8,32})\}")


def new_salt() -> str:
    return secrets.token_urlsafe(9)


def placeholder(item_id: str, salt: str) -> str:
    encoded = base64.urlsafe_b64encode(item_id.encode()).rstrip(b"=").decode()
    return f"{{answer-link:{encoded}:{salt}}}"


def _placeholder_item(encoded: str) -> str | None:
    try:
        return base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        return None


def fill_links(
    text: str,
    secret: str,
    programme_id: str,
    message_key: str,
    contact: str,
    ids: Mapping[tuple[str, str], str] | None = None,
) -> str:
    """``text`` with each placeholder replaced by its link's id and MAC (under ``secret``). The
    contact is the message's own recipient (a link is only ever made for the person a message
    goes to), so a placeholder that found its way into a note makes at most a link of this very
    message. ``ids``: the id per (item, salt) where it is not derived under ``secret`` (one
    derived under the previous key, :func:`stored_ids`)."""

    def link(match: re.Match[str]) -> str:
        item = _placeholder_item(match[1])
        if item is None:
            return match[0]
        token = (ids or {}).get((item, match[2])) or link_id(
            secret, programme_id, message_key, item, contact, match[2]
        )
        return f"{token}.{link_mac(secret, token, programme_id, contact, item, message_key)}"

    return PLACEHOLDER.sub(link, text)


def rebased(text: str, base_url: str) -> str:
    """``text`` with each link placeholder that follows :data:`DEFAULT_BASE_URL` moved to
    ``base_url`` (when that is another address): a link queued while REGIE_BASE_URL was not
    set, and equally one queued with that local address set on purpose (a test): the stored
    text cannot tell the two apart. Only that exact prefix: any other address a message was
    queued with is kept."""
    from regie.config import DEFAULT_BASE_URL

    if base_url == DEFAULT_BASE_URL:
        return text
    return text.replace(
        f"{DEFAULT_BASE_URL}{PATH}{{answer-link:", f"{base_url}{PATH}{{answer-link:"
    )


def stored_ids(
    app: App,
    keys: Sequence[str],
    programme_id: str,
    message_key: str,
    contact: str,
    links: Iterable[tuple[str, str]],
) -> dict[tuple[str, str], str]:
    """The id of each link (item, salt) of a message as it was stored: derived under the first
    of ``keys`` that gives a stored id, the current key's when none does. After a rotation a
    message queued before it has ids derived under the previous key; they are used as they
    are, signed under the current key, so the link keeps working once the old key is gone."""
    from store.answers import stored_tokens

    derived = {
        link: [link_id(key, programme_id, message_key, link[0], contact, link[1]) for key in keys]
        for link in dict.fromkeys(links)
    }
    if len(keys) < 2 or not derived:
        return {link: ids[0] for link, ids in derived.items()}
    with app.session() as session:
        known = stored_tokens(session, [i for ids in derived.values() for i in ids])
    return {link: next((i for i in ids if i in known), ids[0]) for link, ids in derived.items()}


def _links_in(*texts: str) -> list[tuple[str, str]]:
    """The (item, salt) of each placeholder in ``texts``, in order."""
    found = []
    for text in texts:
        for match in PLACEHOLDER.finditer(text):
            item = _placeholder_item(match[1])
            if item is not None:
                found.append((item, match[2]))
    return found


def signed_by_any(keys: Sequence[str], mac: str, make: Callable[[str], str]) -> bool:
    """Whether ``mac`` is ``make(key)`` for one of ``keys``: each compared in constant time,
    and all of them (how long it takes does not say which key matched)."""
    given = mac.encode()
    return any([hmac.compare_digest(make(key).encode(), given) for key in keys])


def link_filler(app: App, programme_id: str) -> Callable[[OutboxRecord], OutboxRecord]:
    """What the sender applies to a claimed outbox row before a channel gets it: the row's
    texts with working links (the row itself keeps its placeholders). A message queued while
    REGIE_BASE_URL was not set carries the local default before its placeholders: it gets the
    address set now (:func:`rebased`), not links no owner can open."""
    secret = app.settings.secret_key
    base = app.settings.base_url
    # During a rotation's grace period a message queued under the previous key keeps its ids.
    keys: tuple[str, ...] = (secret,) if secret else ()
    if secret and app.settings.previous_secret_key:
        keys = app.settings.verification_keys()

    def fill(record: OutboxRecord) -> OutboxRecord:
        texts = (record.body_text, record.body_html or "")
        if not any(PLACEHOLDER.search(t) for t in texts):
            return record
        if not secret:
            from notifications.base import NotifierError

            raise NotifierError(
                "REGIE_SECRET_KEY is not set: the message's answer links cannot be made "
                "(it stays in the outbox and is tried again)"
            )

        found = _links_in(*texts) if len(keys) > 1 else []
        ids = stored_ids(app, keys, programme_id, record.key, record.recipient, found)

        def filled(text: str) -> str:
            return fill_links(
                rebased(text, base), secret, programme_id, record.key, record.recipient, ids
            )

        return replace(
            record,
            body_text=filled(record.body_text),
            body_html=filled(record.body_html) if record.body_html else record.body_html,
        )

    return fill


def csrf_token(secret: str, token: str) -> str:
    """The form's own token: bound to the link, so a page elsewhere cannot post for it."""
    return _mac(secret, "regie-answer-form-v1", token)


@dataclass
class LinkMaker:
    """Hands out links while digests are rendered — as the URL with a placeholder for its id and
    MAC (:func:`placeholder`), filled in when the message is sent (:func:`link_filler`);
    :meth:`made` lists them for storing with the messages that were actually queued: the hash
    of each id (the id itself is only ever in the sent message) and the hash of the address it
    goes to (``addresses``: contact → e-mail)."""

    base_url: str
    secret: str
    programme_id: str
    addresses: dict[str, str] = field(default_factory=dict)
    _made: list[NewLink] = field(default_factory=list)

    def __call__(self, contact_id: str, item_id: str, message_key: str) -> str:
        from store.answers import NewLink, address_hash, token_hash

        salt = new_salt()
        token = link_id(self.secret, self.programme_id, message_key, item_id, contact_id, salt)
        address = self.addresses.get(contact_id)
        recipient = address_hash(address) if address else None
        self._made.append(NewLink(token_hash(token), contact_id, item_id, message_key, recipient))
        return f"{self.base_url}{PATH}{placeholder(item_id, salt)}"

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
    #: The item's newest update when the link was checked (the form shows it), None: none yet.
    latest: StatusUpdate | None = None
    #: A correction link (from a thank-you page), not one from a message.
    correction: bool = False
    recipient_hash: str | None = None
    expires_at: datetime | None = None
    #: A correction link's answer (the update its "Wijzigen" changes), None for another link.
    changes: int | None = None
    #: The key of the message the link came in (``round:…`` for a status round's).
    outbox_key: str = ""


class LinkRefused(AnswerRefused):
    """A link that cannot be answered (``reason`` says which page to show); ``item`` and
    ``latest`` when the refusal is about the item's state (a cancelled item); ``item`` also
    for a used link, one whose contact left or one whose item changed owner (those three
    only within the link's lifetime). ``item_id``/``item_title``: the item a link was
    for when it is no longer in the plan (the title the store last had); ``renumbered``: the
    item that took over its history with ``formerly``, if one did. ``used``: the answer a used
    link recorded. ``reader``: the link's contact, where the page shows ``latest`` (whose note
    they may not read: :mod:`regie.note_readers`)."""

    def __init__(
        self,
        reason: Refusal,
        detail: str = "",
        *,
        item: Deadline | None = None,
        latest: StatusUpdate | None = None,
        item_id: str | None = None,
        item_title: str | None = None,
        used: StatusUpdate | None = None,
        renumbered: Deadline | None = None,
        reader: str | None = None,
    ) -> None:
        super().__init__(reason, detail)
        self.renumbered = renumbered
        self.reader = reader
        self.item = item
        self.latest = latest
        self.item_id = item.item_id if item is not None else item_id
        self.item_title = item.title if item is not None else item_title
        self.used = used


#: The statuses a link may preselect on its form (``?status=…``: a one-click answer in a
#: mail still lands on the form, GET never stores). An overdue item only those that need no
#: new date: "Op schema" is not true of it until a date is given on the form itself.
QUICK_STATUSES = ("on_track", "at_risk", "done")
QUICK_STATUSES_OVERDUE = ("done", "at_risk")


def quick_statuses(overdue: bool) -> tuple[str, ...]:
    return QUICK_STATUSES_OVERDUE if overdue else QUICK_STATUSES


def check_link(app: App, plan: Plan, url_token: str, now: datetime) -> OpenLink:
    """The link behind ``url_token`` if it may be answered now; :class:`LinkRefused` if not."""
    from governance.answers import contact, find_item, may_answer, standing_refusal
    from regie.answers import latest_update
    from store.answers import address_hash, link

    keys = app.settings.verification_keys()  # the current key, then a rotation's previous
    secret = keys[0]
    token, _, mac = url_token.partition(".")
    if not (_URL_SAFE.fullmatch(token) and _URL_SAFE.fullmatch(mac)):
        raise LinkRefused(Refusal.LINK_TAMPERED)
    with app.session() as session:
        found = link(session, token)
    if found is None:
        raise LinkRefused(Refusal.LINK_TAMPERED)
    bound = (found.programme_id, found.contact_id, found.item_id, found.outbox_key)
    if not signed_by_any(keys, mac, lambda key: link_mac(key, token, *bound)):
        raise LinkRefused(Refusal.LINK_TAMPERED)
    if found.programme_id != plan.programme.id:
        raise LinkRefused(Refusal.LINK_FOREIGN)
    expires = _expires(app, found)
    person = contact(plan, found.contact_id)
    if person is None:  # the page still names the item the link was about
        raise LinkRefused(Refusal.LINK_DEPARTED, **_named(app, plan, found, now < expires))
    if found.recipient_hash is not None and (
        not person.email or address_hash(person.email) != found.recipient_hash
    ):
        raise LinkRefused(Refusal.LINK_SUCCESSOR)
    item = find_item(plan, found.item_id)
    if item is None:  # archived from the plan (an item id is never reused for another item)
        raise LinkRefused(Refusal.LINK_REMOVED, **_named(app, plan, found, now < expires))
    who = Answerer(person.id, person.name, by_link=True)
    if may_answer(plan, who, item) is not None:  # it was theirs when sent: the plan changed
        # No longer theirs, so past its lifetime the page names nothing of it (review54 7).
        raise LinkRefused(Refusal.LINK_OWNER_CHANGED, **_named(app, plan, found, now < expires))
    with app.session() as session:
        latest = latest_update(session, found.programme_id, item.item_id)
    # A cancelled item first: whatever the link's own state, there is nothing left to answer.
    if standing_refusal(plan, who, latest, "", True) is Refusal.ITEM_CANCELLED:
        raise LinkRefused(Refusal.ITEM_CANCELLED, item=item, latest=latest, reader=person.id)
    correction = found.outbox_key.startswith(CORRECTION_KEY)
    if found.used_at is not None:
        if now >= expires:  # a kept or forwarded mail is no lasting view of the item (review8 2)
            raise LinkRefused(Refusal.LINK_USED)
        used = _update(app, plan, item.item_id, found.update_id)
        raise LinkRefused(Refusal.LINK_USED, item=item, latest=latest, used=used)
    if found.replaced:
        raise LinkRefused(Refusal.LINK_REPLACED)
    if now >= expires:
        raise LinkRefused(Refusal.LINK_EXPIRED)
    return OpenLink(
        token,
        csrf_token(secret, token),
        person.id,
        person.name,
        item,
        latest=latest,
        correction=correction,
        recipient_hash=found.recipient_hash,
        expires_at=expires,
        changes=_corrected_id(found.outbox_key),
        outbox_key=found.outbox_key,
    )


def _own_lifetime(found: AnswerLink) -> datetime:
    """The end of ``found``'s own lifetime: a correction link's from its answer, a message's
    link's from its sending."""
    if found.outbox_key.startswith(CORRECTION_KEY):
        return found.created_at + CORRECTION_LIFETIME
    return (found.sent_at or found.created_at) + LINK_LIFETIME


def _expires(app: App, found: AnswerLink) -> datetime:
    """When link ``found`` stops: its own lifetime, and for a correction link never later than
    the link whose answer it corrects (and so on back to the message's link): "Wijzigen" is no
    way to keep a link open past the lifetime of the mail it came from (review9 2). A link
    before it that cannot be found bounds nothing."""
    from store.answers import answered_through

    expires = _own_lifetime(found)
    corrected = _corrected_id(found.outbox_key)
    if corrected is None:
        return expires
    with app.session() as session:
        link = found
        # The update ids go down along the chain (each answer was recorded before its
        # correction link was made), so this ends.
        while corrected is not None:
            before = answered_through(
                session, link.programme_id, link.contact_id, link.item_id, corrected
            )
            if before is None:
                break
            expires = min(expires, _own_lifetime(before))
            link, corrected = before, _corrected_id(before.outbox_key)
    return expires


def _named(app: App, plan: Plan, found: AnswerLink, alive: bool) -> dict[str, Any]:
    """What a refusal page needs to name the link's item: the plan's item, else its id and the
    title the store last had (an item taken out of the plan). Nothing once the link is past its
    lifetime (not ``alive``): a kept or forwarded mail is no lasting view of the item, as for
    a used link (review8 2, review9 5)."""
    from governance.answers import find_item
    from store.answers import stored_title
    from store.sync_formerly import renumbered_to

    if not alive:
        return {}
    item = find_item(plan, found.item_id)
    if item is not None:
        return {"item": item}
    with app.session() as session:
        title = stored_title(session, found.programme_id, found.item_id)
        new = renumbered_to(session, found.programme_id, found.item_id)
    named: dict[str, Any] = {"item_id": found.item_id, "item_title": title}
    if new is not None and (now_item := find_item(plan, new)) is not None:
        named["renumbered"] = now_item
    return named


def _update(app: App, plan: Plan, item_id: str, update_id: int | None) -> StatusUpdate | None:
    """The update a used link recorded (None: not known)."""
    from store import Repository

    if update_id is None:
        return None
    with app.session() as session:  # one row by its key, not the item's whole history
        found = Repository(session, plan.programme.id).status_update(update_id)
    return found if found is not None and found.item_id == item_id else None


def correction_id(secret: str, token: str, update_id: int) -> str:
    """The id of the correction link an answer through link ``token`` gets: derived, as a
    message's link ids are, so the holder of the used link can be offered its "Wijzigen" again
    (:func:`open_correction`) and nobody without ``REGIE_SECRET_KEY`` and that link can make it."""
    return _mac(secret, "regie-correction-link-id-v1", token, str(update_id))


def open_correction(app: App, plan: Plan, url_token: str, now: datetime) -> str | None:
    """The URL token of the "Wijzigen" that the answer through used link ``url_token`` got, if
    it may still be used now (:func:`check_link` on it: single use, its lifetime, not replaced
    by a newer reminder); else None. Makes nothing: the correction link was stored with the
    answer. Only for a link whose MAC is right (the holder of the personal link)."""
    found = open_correction_until(app, plan, url_token, now)
    return found[0] if found is not None else None


def open_correction_until(
    app: App, plan: Plan, url_token: str, now: datetime
) -> tuple[str, datetime | None] | None:
    """:func:`open_correction` and until when it may be used: the used link's page gives the
    same deadline as the thank-you page did (walk49 6)."""
    from store.answers import link, stored_tokens

    if not app.settings.secret_key:
        return None
    keys = app.settings.verification_keys()
    secret = keys[0]
    token, _, mac = url_token.partition(".")
    if not (_URL_SAFE.fullmatch(token) and _URL_SAFE.fullmatch(mac)):
        return None
    with app.session() as session:
        found = link(session, token)
    if found is None or found.used_at is None or found.update_id is None:
        return None
    bound = (found.programme_id, found.contact_id, found.item_id, found.outbox_key)
    if not signed_by_any(keys, mac, lambda key: link_mac(key, token, *bound)):
        return None
    # Its id was derived under the key of the day of the answer: the previous one, just after
    # a rotation. The link shown is signed under the current key.
    ids = [correction_id(key, token, found.update_id) for key in keys]
    if len(ids) > 1:
        with app.session() as session:
            known = stored_tokens(session, ids)
        ids = [i for i in ids if i in known] or ids
    new = ids[0]
    key = f"{CORRECTION_KEY}{found.update_id}"
    own = (found.programme_id, found.contact_id, found.item_id, key)
    mine = f"{new}.{link_mac(secret, new, *own)}"
    try:
        view = check_link(app, plan, mine, now)
    except LinkRefused:
        return None
    return mine, view.expires_at


def _corrected_id(outbox_key: str) -> int | None:
    """The update a correction link's key (``correction:<update id>``) names; None otherwise."""
    if not outbox_key.startswith(CORRECTION_KEY):
        return None
    number = outbox_key[len(CORRECTION_KEY) :]
    return int(number) if number.isdigit() else None


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
    confirmed: bool = False,
) -> Recorded:
    """Store the answer posted through a link, once; the link is used in the same transaction.
    ``checked``: what :func:`check_link` just returned for this token and ``now`` (the form
    page checks first; single use is enforced by :func:`store.answers.use_link` anyway).
    ``confirmed``: the person ticked "Toch wijzigen" (reopening an item someone else reported
    gereed). The answer may not overturn a cancellation (checked in its transaction).

    The recorded answer's ``extra`` holds a fresh correction link (``correction``: the URL
    token, ``correction_until``): stored in the same transaction, as a link from a message is
    (only the SHA-256 of its id, :func:`correction_id`; the MAC binds it to the programme,
    contact, item and the update it corrects), single use, valid :data:`CORRECTION_LIFETIME`
    and only until the next reminder for the item is sent."""
    from regie.answers import record_answer
    from store.answers import NewLink, add_links, token_hash, use_link

    try:
        view = checked if checked is not None else check_link(app, plan, url_token, now)
    except LinkRefused as exc:
        if exc.reason is not Refusal.LINK_TAMPERED:  # a link we issued: was it an attempt?
            contact_id, item_id = _bound_to(app, url_token)
            attempt = replace(answer, item_id=item_id)
            if _attempted(app, plan, url_token, csrf, attempt, as_of):
                who = Answerer(contact_id, contact_id)
                record_link_refusal(app, plan, exc.reason, url_token, attempt, who, now, as_of)
        raise
    if not _form_token_ok(app, view.token, csrf):
        raise LinkRefused(Refusal.LINK_TAMPERED, "the form's token does not match the link")
    if answer.item_id != view.item.item_id:
        raise LinkRefused(Refusal.LINK_TAMPERED, "the form names another item than the link")

    secret = app.settings.require_secret_key()
    correction: dict[str, object] = {}

    def mark_used(session: Session, stored: StatusUpdate) -> None:
        assert stored.id is not None
        if not use_link(session, view.token, stored.id, now):
            raise LinkRefused(Refusal.LINK_USED)  # another POST got there first: roll back
        new = correction_id(secret, view.token, stored.id)
        key = f"{CORRECTION_KEY}{stored.id}"
        bound = (plan.programme.id, view.contact_id, view.item.item_id, key)
        made = NewLink(
            token_hash(new), view.contact_id, view.item.item_id, key, view.recipient_hash
        )
        add_links(session, plan.programme.id, [made], now)
        correction["correction"] = f"{new}.{link_mac(secret, new, *bound)}"
        until = now + CORRECTION_LIFETIME
        # Never past the lifetime of the link answered through (check_link: _expires).
        if view.expires_at is not None:
            until = min(until, view.expires_at)
        correction["correction_until"] = until

    who = Answerer(view.contact_id, view.contact_name, by_link=True)
    try:
        recorded = record_answer(
            app,
            answer,
            who,
            channel="email",
            as_of=as_of,
            plan=plan,
            within=mark_used,
            standing=True,
            confirmed=confirmed,
            changes=view.changes,  # "Wijzigen": the answer it changes is corrected
        )
    except LinkRefused as exc:
        record_link_refusal(app, plan, exc.reason, url_token, answer, who, now, as_of)
        raise
    return replace(recorded, extra={**recorded.extra, **correction})


def _bound_to(app: App, url_token: str) -> tuple[str, str]:
    """(contact, item) of a link whose MAC was right (only then is a refusal recorded)."""
    from store.answers import link

    found = None
    with app.session() as session:
        found = link(session, url_token.partition(".")[0])
    assert found is not None
    return found.contact_id, found.item_id


#: A refused attempt through one link is recorded at most once per reason in this window (a
#: clock hour, UTC): a person who tries again is one line in the history, a client that posts a
#: thousand times is one line too.
REFUSAL_WINDOW = timedelta(hours=1)


def _attempted(
    app: App, plan: Plan, url_token: str, csrf: str, answer: AnswerInput, as_of: date
) -> bool:
    """Whether a POST through a link that may no longer be answered was a person's attempt:
    its form token is the one the form of that link carried (an HMAC of the link's id, so it
    can be checked whether or not the link is still valid; a used or expired link shows no form,
    so only someone who opened it while it was valid has it), and its fields are well-formed.
    Anything else leaves no trace (README: junk cannot fill the audit log)."""
    from governance.answers import answer_problems
    from governance.dates import programme_life

    if not _form_token_ok(app, url_token.partition(".")[0], csrf):
        return False
    return not answer_problems(answer, as_of, programme_life(plan))


def _form_token_ok(app: App, token: str, csrf: str) -> bool:
    """Whether ``csrf`` is the form token of link id ``token`` under the current key or, during
    a rotation's grace period, the previous one (a form opened before the rotation)."""
    keys = app.settings.verification_keys()
    return bool(_URL_SAFE.fullmatch(csrf)) and signed_by_any(
        keys, csrf, lambda key: csrf_token(key, token)
    )


def refusal_key(url_token: str, reason: Refusal, now: datetime) -> str:
    """The refusal event's dedupe key: one per link (its stored hash), reason and window."""
    from regie.answers import ANSWER_REFUSED
    from store.answers import token_hash

    start = int(now.timestamp() // REFUSAL_WINDOW.total_seconds())
    link = token_hash(url_token.partition(".")[0])[:32]
    return f"{ANSWER_REFUSED}:link:{link}:{reason.value}:{start}"


def record_link_refusal(
    app: App,
    plan: Plan,
    reason: Refusal,
    url_token: str,
    answer: AnswerInput,
    who: Answerer,
    now: datetime,
    as_of: date,
) -> None:
    """Record a checked attempt's ``regie.answer.refused`` event (as
    :func:`regie.answers.record_refusal`), at most once per link, reason and
    :data:`REFUSAL_WINDOW`: the event's dedupe key says which, so a repeat is not inserted."""
    from regie.answers import ANSWER_REFUSED, writing
    from regie.services import sync_store
    from store import EventRecord, Repository

    payload = {
        "reason": reason.value,
        "channel": "email",
        "contact": who.contact_id,
        "item": answer.item_id,
        "status": answer.status,  # checked by answer_problems: one of the known statuses
        "detail": None,
    }
    key = refusal_key(url_token, reason, now)
    item = answer.item_id[:64] or None
    with writing(app), app.session() as session, session.begin():
        repo = Repository(session, plan.programme.id)
        if not repo.programme_exists():
            sync_store(app, session, plan, now=now)
        repo.record_events([EventRecord(ANSWER_REFUSED, item, as_of, payload, key)])


@dataclass(frozen=True, slots=True)
class OtherLink:
    """An item of the same message its recipient may still answer: the thank-you page's
    "Andere punten uit dit bericht"."""

    item: Deadline
    url_token: str
    latest: StatusUpdate | None


def other_links(app: App, plan: Plan, url_token: str, now: datetime) -> list[OtherLink]:
    """The message's other links that may still be answered, in the message's order: the same
    links the mail holds (made again from its placeholders, as the sender makes them), each
    checked as if opened now. None for a correction link (no message) or a message whose links
    cannot be made again (no key). Nothing new is issued, so nothing new can be forwarded."""
    from store.answers import link
    from store.outbox import message

    secret = app.settings.secret_key
    token = url_token.partition(".")[0]
    if not secret or not _URL_SAFE.fullmatch(token):
        return []
    with app.session() as session:
        found = link(session, token)
        if found is None or found.outbox_key.startswith(CORRECTION_KEY):
            return []
        record = message(session, found.programme_id, found.outbox_key)
    if record is None or record.recipient != found.contact_id:
        return []
    out: list[OtherLink] = []
    seen = {found.item_id}
    wanted = []
    for item_id, salt in _links_in(record.body_text):
        if item_id not in seen:
            seen.add(item_id)
            wanted.append((item_id, salt))
    # The ids as the sender made them (the previous key's for a message sent before a
    # rotation); each signed under the current key.
    keys = app.settings.verification_keys()
    ids = stored_ids(app, keys, found.programme_id, record.key, found.contact_id, wanted)
    for item_id, salt in wanted:
        other = ids[(item_id, salt)]
        mac = link_mac(secret, other, found.programme_id, found.contact_id, item_id, record.key)
        try:
            view = check_link(app, plan, f"{other}.{mac}", now)
        except LinkRefused:
            continue  # answered, replaced, expired, cancelled …: nothing to offer
        out.append(OtherLink(view.item, f"{other}.{mac}", view.latest))
    return out
