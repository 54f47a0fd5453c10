"""Telling a governance body's members that a meeting moved or was cancelled (walk32a 6).

A meeting moves by editing the plan's schedule (``dates``, ``except``) or with a one-off
meeting; neither says which meeting it replaces. So the meeting preparation remembers each
body's meeting days (``meeting_days``, :mod:`store.meeting_days`) and compares the schedule with
them each run (:func:`governance.meetings.schedule_changes`): a day still ahead that left,
paired with a new day, moved; one with no new day was cancelled. Each recipient of the body's
agenda pack (:func:`regie.prepare.body_contacts`) then gets one short notice through the outbox,
under ``meeting-moved:<body>:<old>:<new>:<row>:<contact>`` or
``meeting-cancelled:<body>:<old>:<row>:<contact>``: ``<row>`` is the id of the remembered day
(the new day for a move), so the same move seen twice is told once and a move back and forth
is told each time. The first run for a body only records its days. A meeting moved to today or
earlier, or one already held, is recorded and told to nobody.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from regie.bootstrap import App

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from governance.meetings import Meeting
    from governance.plan import Contact, GovernanceBody, Plan
    from store.records import OutboxRecord

#: The outbox kind (templates ``meeting_changed.*.j2``, ``slack/meeting_changed.intro.md.j2``).
KIND = "meeting_changed"
#: How far ahead a moved or cancelled meeting is told (about four months: the next few meetings).
NOTICE_HORIZON_DAYS = 120


@dataclass
class MeetingNotices:
    """What a run found and queued: ``changes`` as lines ("body OLD moved to NEW", …) and the
    keys queued (with ``dry_run``, those it would queue; ``?`` for the row not yet made)."""

    changes: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)


def notice_key(body_id: str, old: date, new: date | None, row: int | str, contact_id: str) -> str:
    if new is None:
        return f"meeting-cancelled:{body_id}:{old.isoformat()}:{row}:{contact_id}"
    return f"meeting-moved:{body_id}:{old.isoformat()}:{new.isoformat()}:{row}:{contact_id}"


def notify_changed_meetings(
    app: App,
    plan: Plan,
    as_of: date,
    recipients: Callable[[Plan, GovernanceBody], list[Contact]],
    *,
    schedules: Mapping[str, list[Meeting]] | None = None,
    dry_run: bool = False,
) -> MeetingNotices:
    """Compare each body's schedule with the days remembered, tell ``recipients`` (the pack's:
    :func:`regie.prepare.body_contacts`, handed in by the preparation that imports this) of
    each meeting moved or cancelled, and remember the schedule (one transaction per body).
    ``schedules``: each body's meetings, when the caller read them already (else read here).
    ``dry_run``: nothing recorded or queued; the result says what would be."""
    from governance.meetings import schedule_changes
    from regie.reports import meetings
    from regie.services import sync_store
    from store import Repository
    from store.meeting_days import record_days, remembered_days

    out = MeetingNotices()
    pid = plan.programme.id
    for body in plan.governance:
        every = schedules[body.id] if schedules else meetings(app, body.id, plan=plan)
        by_day = {m.on: m for m in every}
        with app.session() as session, session.begin():
            remembered = remembered_days(session, pid, body.id)
            if remembered is None:
                if not dry_run and every:
                    sync_store(app, session, plan)  # the programme's row, on a fresh database
                    record_days(session, pid, body.id, sorted(by_day), (), as_of)
                continue
            changes = schedule_changes(remembered, by_day, as_of)
            if not (changes.added or changes.gone):
                continue
            # Only meetings of the coming months are told: a new rule, `until` or `end` can move
            # years of meetings at once, and a mail per meeting would bury the members (review13
            # 2); the rest is remembered, and said here.
            near = as_of + timedelta(days=NOTICE_HORIZON_DAYS)
            far = [(o, n) for o, n in changes.moved if min(o, n) > near]
            moved = [(o, n) for o, n in changes.moved if min(o, n) <= near]
            far_off = [d for d in changes.cancelled if d > near]
            cancelled = [d for d in changes.cancelled if d <= near]
            for old, new in moved:
                out.changes.append(f"{body.id} {old.isoformat()} moved to {new.isoformat()}")
            for old, new in changes.moved_past:
                out.changes.append(
                    f"{body.id} {old.isoformat()} moved to {new.isoformat()}, before "
                    f"{as_of.isoformat()}: nobody told"
                )
            for old in cancelled:
                out.changes.append(f"{body.id} {old.isoformat()} cancelled")
            if far or far_off:
                out.changes.append(
                    f"{body.id}: {len(far)} move(s) and {len(far_off)} cancellation(s) more than "
                    f"{NOTICE_HORIZON_DAYS} days ahead: remembered, nobody told"
                )
            contacts = recipients(plan, body)
            if dry_run:
                out.keys += [
                    notice_key(body.id, old, new, "?", c.id)
                    for old, new in (*moved, *((d, None) for d in cancelled))
                    for c in contacts
                ]
                continue
            ids = record_days(session, pid, body.id, changes.added, changes.gone, as_of)
            sent = _packs_sent(session, pid, body.id)
            messages = [
                notice(plan, body, c, old, by_day[new], ids[new], sent, as_of)
                for old, new in moved
                for c in contacts
            ] + [
                notice(plan, body, c, old, None, remembered[old], sent, as_of)
                for old in cancelled
                for c in contacts
            ]
            if messages:
                sync_store(app, session, plan)
                out.keys += Repository(session, pid).enqueue(messages)
    return out


def _packs_sent(session: Session, programme_id: str, body_id: str) -> set[date]:
    """The body's meetings whose agenda pack was queued (:func:`store.agenda_read.
    packs_queued`, the one rule for "the meeting got its pack")."""
    from store.agenda_read import packs_queued

    return set(packs_queued(session.connection(), programme_id, body_id))


def notice(
    plan: Plan,
    body: GovernanceBody,
    contact: Contact,
    old: date,
    new: Meeting | None,
    row: int,
    packs_sent: set[date],
    as_of: date,
) -> OutboxRecord:
    """One recipient's notice (Dutch, from the templates): ``new`` None for a cancellation.
    What it says of the pack holds for :mod:`regie.prepare`: a pack is queued once per meeting
    day, so a new day gets its own pack unless one went out for that day before."""
    from notifications.render import header_text, render
    from regie.messages import _programme, to_json
    from store.records import OutboxRecord

    key = notice_key(body.id, old, new.on if new else None, row, contact.id)
    context = {
        "contact": contact,
        "programme": _programme(plan),
        "body": {"id": body.id, "name": body.name},
        "old": old,
        "new": new.on if new else None,
        "time": new.time.strftime("%H:%M") if new and new.time else None,
        "location": new.location if new else None,
        "old_pack_sent": old in packs_sent,
        "new_pack_sent": new is not None and new.on in packs_sent,
        "as_of": as_of,
        "key": key,
    }
    return OutboxRecord(
        key=key,
        kind=KIND,
        recipient=contact.id,
        recipient_name=header_text(contact.name),
        email=header_text(contact.email) if contact.email else None,
        slack=contact.slack,
        subject=header_text(render(f"{KIND}.subject.j2", **context)),
        body_text=render(f"{KIND}.txt.j2", **context),
        body_html=render(f"{KIND}.html.j2", **context),
        payload={
            "programme": plan.programme.short_title or plan.programme.title,
            "body": body.id,
            "body_name": body.name,
            "old": old.isoformat(),
            "new": new.on.isoformat() if new else None,
            "render": to_json(context),
            **({"channel": contact.channel} if contact.channel else {}),
        },
        created_on=as_of,
    )
