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
    from store.bounces import StoredBounce

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
    notices: list[str] = field(default_factory=list)  # keys of the office's messages queued


def bouncing(session: Session, plan: Plan) -> dict[str, Bouncing]:
    """The plan's contacts whose current e-mail address bounces, by contact id."""
    from store.bounces import current_bounces

    contacts = {c.id: c for c in plan.contacts}
    addresses = {c.id: c.email for c in plan.contacts}
    found = current_bounces(session, plan.programme.id, addresses)
    return {cid: Bouncing(contacts[cid], bounce) for cid, bounce in found.items()}


def read_bounces(app: App, paths: list[Path]) -> BounceRun:
    from notifications.base import message_id_digest
    from regie.bounce_reports import NotABounce, parse, read_paths
    from regie.services import utcnow
    from store import bounces as store

    plan = app.load_plan()
    app.ensure_schema()
    run = BounceRun()
    messages = list(read_paths(paths))  # a missing path: one line before anything is recorded
    with app.writing(), app.session() as session, session.begin():
        before = set(bouncing(session, plan))
        for source, raw in messages:
            parsed = parse(source, raw)
            if isinstance(parsed, NotABounce):
                run.skipped.append(f"{source}: {parsed.why}")
                continue
            for report in parsed:
                digest = message_id_digest(report.message_id or "")
                sent = store.find_message(session, key=report.regie_key, digest=digest)
                if sent is None:
                    quoted = report.message_id or report.regie_key
                    run.unmatched.append(f"{source}: no message of ours has {quoted}")
                    continue
                email = report.recipient or (sent.email or "").lower()
                new = store.record(
                    session, sent,
                    dedupe_key=_dedupe(report.report_id, email),
                    email=email, permanent=report.permanent, status=report.status,
                    diagnostic=report.diagnostic, reported_at=report.reported_at, now=utcnow(),
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
            run.notices = _tell_office(session, plan, fresh)
    return run


def _dedupe(report_id: str, email: str) -> str:
    import hashlib

    return hashlib.sha256(f"{report_id}\n{email}".encode()).hexdigest()


def _tell_office(session: Session, plan: Plan, fresh: list[Bouncing]) -> list[str]:
    """One message per newly bouncing contact to each programme-office contact (queued; its
    key per bounce, so the office is told once)."""
    from notifications.render import header_text, render
    from regie.messages import office_fields
    from regie.services import utcnow
    from store import Repository
    from store.records import OutboxRecord

    office = [c for c in plan.contacts if c.programme_office]
    programme = plan.programme
    records = []
    for b in fresh:
        for to in office:
            if to.id == b.contact.id:
                continue  # a bouncing address cannot be told by mail that it bounces
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
                    },
                    created_on=utcnow().date(),
                )
            )
    if not records:
        return []
    return Repository(session, programme.id).enqueue(records)
