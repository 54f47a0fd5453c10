"""`regie mail bounces`: bounces read from the sender's mailbox, matched to our messages.

Each bounce that returns one of our e-mails (matched by its X-Regie-Key or its Message-ID,
both stable per outbox key) is recorded once. A permanent one (5.x.x) marks the contact's
address as bouncing: `regie doctor` names it, the programme office is told once by a message
of its own, and the e-mail channel no longer sends to that address (the router takes the
contact's Slack, else the message waits, failed with the reason). A later e-mail sent to the
address, or another address in the plan, clears it. A temporary one (4.x.x) is recorded and
noted, nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from governance.plan import Contact, Plan
    from regie.bootstrap import App
    from store.bounces import SentMessage, StoredBounce

#: The kind of the office's message about a contact whose e-mail bounces.
NOTICE_KIND = "mail_bounce"


@dataclass(frozen=True, slots=True)
class Bouncing:
    contact: Contact
    bounce: StoredBounce

    @property
    def reason(self) -> str:
        """``5.1.1 550 No such user`` as the remote server said it, short."""
        said = " ".join(x for x in (self.bounce.status, self.bounce.diagnostic) if x)
        return said or "teruggestuurd"


@dataclass
class BounceRun:
    recorded: list[str] = field(default_factory=list)  # one line per new bounce
    temporary: list[str] = field(default_factory=list)  # delays: noted only
    already: int = 0  # read before
    unmatched: list[str] = field(default_factory=list)  # bounces of no message of ours
    skipped: list[str] = field(default_factory=list)  # not bounces at all
    unreadable: list[str] = field(default_factory=list)  # mails the parser gave up on
    notices: list[str] = field(default_factory=list)  # keys of the office's messages queued
    untold: list[str] = field(default_factory=list)  # bouncing contacts no office could be told

    read: int = 0  # mails read (bounces or not), the unreadable ones left out


def bouncing(session: Session, plan: Plan) -> dict[str, Bouncing]:
    """The plan's contacts whose current e-mail address bounces, by contact id."""
    from store.bounces import current_bounces

    contacts = {c.id: c for c in plan.contacts}
    addresses = {c.id: c.email for c in plan.contacts}
    found = current_bounces(session, plan.programme.id, addresses)
    return {cid: Bouncing(contacts[cid], bounce) for cid, bounce in found.items()}


def read_bounces(app: App, paths: list[Path]) -> BounceRun:
    from notifications.base import message_id_digest
    from regie.bounce_reports import NotABounce, check_paths, parse, read_paths
    from regie.services import utcnow
    from store import bounces as store

    plan = app.load_plan()
    app.ensure_schema()
    run = BounceRun()
    check_paths(paths)  # a missing path: one line before anything is recorded
    programme_id = plan.programme.id
    with app.writing(), app.session() as session, session.begin():
        before = set(bouncing(session, plan))
        # One message at a time: the mailbox is not emptied, so it only grows.
        for source, raw in read_paths(paths):
            try:
                parsed = parse(source, raw)
            except Exception as exc:  # one unreadable mail must not stop every later run
                run.unreadable.append(f"{source}: could not be read ({_said(exc)})")
                continue
            run.read += 1
            if isinstance(parsed, NotABounce):
                run.skipped.append(f"{source}: {parsed.why}")
                continue
            for report in parsed:
                digest = message_id_digest(report.message_id or "")
                found = store.find_messages(session, key=report.regie_key, digest=digest)
                quoted = report.message_id or report.regie_key
                sent = _ours(found, programme_id, report.recipient, report.message_id)
                if isinstance(sent, str):
                    run.unmatched.append(f"{source}: {sent.format(quoted=quoted)}")
                    continue
                if sent.forgotten:
                    run.already += 1  # erased with its contact: never recorded again
                    continue
                # The address we mailed: the report's may be where a forward or alias took it.
                email = (sent.email or report.recipient or "").lower()
                diagnostic = report.diagnostic
                if report.recipient and report.recipient != email:
                    diagnostic = f"{diagnostic or ''} (reported for {report.recipient})".strip()
                new = store.record(
                    session, sent,
                    dedupe_key=_dedupe(report.report_id, email),
                    email=email, permanent=report.permanent, status=report.status,
                    diagnostic=diagnostic, reported_at=report.reported_at, now=utcnow(),
                )  # fmt: skip
                if not new:
                    run.already += 1
                    continue
                said = " ".join(x for x in (report.status, report.diagnostic) if x)
                line = f"{sent.recipient} <{email}>: {said or 'returned'} ({sent.key})"
                (run.recorded if report.permanent else run.temporary).append(line)
        now_bouncing = bouncing(session, plan)
        fresh = [b for cid, b in now_bouncing.items() if cid not in before]
        if fresh:
            run.notices, run.untold = _tell_office(app, session, plan, fresh)
    return run


def _said(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:199] + "…"


def _ours(
    found: list[SentMessage], programme_id: str, address: str | None, message_id: str | None = None
) -> SentMessage | str:
    """The message of this programme that the bounce returns, or why none is (a line with a
    ``{quoted}`` slot). A key does not name the programme, and a Message-ID sent before they
    were derived from programme and key (:func:`notifications.base.message_id`) does not
    either: when messages of several programmes carry it, the whole Message-ID (its domain is
    the programme's sender's) and then the address the bounce names decide; a message of ours
    with that key that was mailed under another Message-ID is not the one returned. Several
    programmes left with the same Message-ID (one sender domain) and the same address: the
    address is dead for each, so each records it. Several left without the address: nothing
    is guessed, so another programme's bounce never marks this one's contact."""
    if not found:
        return "no message of ours has {quoted}"
    wanted = (message_id or "").strip().lower()
    same_id = [m for m in found if wanted and (m.external_id or "").strip().lower() == wanted]
    if wanted and not same_id:
        # A message of ours mailed under another Message-ID is not the one returned: the key
        # is another database's (a programme with its own database, one sender domain).
        found = [m for m in found if not (m.external_id or "").startswith("<")]
        if not found:
            return "{quoted} was not sent by this programme (another programme's message?)"
    candidates = same_id or found
    to_address = [m for m in candidates if address and (m.email or "").lower() == address]
    candidates = to_address or candidates
    mine = [m for m in candidates if m.programme_id == programme_id]
    others = sorted({m.programme_id for m in candidates} - {programme_id})
    if mine and (not others or to_address):
        return mine[0]
    if mine:
        names = ", ".join([programme_id, *others])
        return f"{{quoted}} is a message of several programmes ({names}); cannot tell which"
    return (
        f"{{quoted}} is a message of programme {', '.join(others)}, not this one "
        "(its own `regie mail bounces` records it)"
    )


def _dedupe(report_id: str, email: str) -> str:
    import hashlib

    return hashlib.sha256(f"{report_id}\n{email}".encode()).hexdigest()


def _tell_office(
    app: App, session: Session, plan: Plan, fresh: list[Bouncing]
) -> tuple[list[str], list[str]]:
    """One message per newly bouncing contact to each programme-office contact and to the
    office's Slack channel when there is one (queued; its key per bounce, so the office is told
    once). Returns the keys queued and a line per bouncing contact nobody could be told about."""
    from notifications.render import header_text, render
    from regie.cycle import office_channel
    from regie.messages import office_fields
    from regie.report_due import _channel_contact
    from regie.services import today
    from store import Repository
    from store.records import OutboxRecord

    channel = _channel_contact(plan, office_channel(app))
    office = [c for c in plan.contacts if c.programme_office]
    programme = plan.programme
    records = []
    untold = []
    day = today(app, plan)  # the office's business day, not UTC's (they differ around midnight)
    for b in fresh:
        # A bouncing address cannot be told by mail that it bounces.
        told = [to for to in office if to.id != b.contact.id]
        if channel is not None:
            told.append(channel)
        if not told:
            untold.append(f"{b.contact.id} <{b.contact.email}>: {b.reason}")
        for to in told:
            context = {
                "contact": to,
                "programme": programme,
                "bounced": b.contact,
                "reason": b.reason,
            }
            records.append(
                OutboxRecord(
                    key=f"{NOTICE_KIND}:{b.contact.id}:{b.bounce.dedupe_key[:16]}:{to.id}",
                    kind=NOTICE_KIND,
                    recipient=to.id,
                    recipient_name=header_text(to.name),
                    email=header_text(to.email) if to.email else None,
                    slack=to.slack,
                    subject=header_text(render(f"{NOTICE_KIND}.subject.j2", **context)),
                    body_text=render(f"{NOTICE_KIND}.txt.j2", **context),
                    body_html=render(f"{NOTICE_KIND}.html.j2", **context),
                    payload={
                        "programme": programme.short_title or programme.title,
                        **office_fields(plan),
                        "items": [],
                        "bounced": b.contact.id,
                        "bounced_name": b.contact.name,
                        "reason": b.reason,
                        **({"channel": to.channel} if to.channel else {}),
                        **({"to_channel": True} if to is channel else {}),
                    },
                    created_on=day,
                )
            )
    if not records:
        return [], untold
    return Repository(session, programme.id).enqueue(records), untold
