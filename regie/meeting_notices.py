"""Telling a governance body's members that a meeting moved, was cancelled or was added
(walk32a 6, review13).

A meeting moves by editing the plan's schedule (``dates``, ``except``) or with a one-off
meeting; neither says which meeting it replaces. So the meeting preparation remembers each
body's meeting days (``meeting_days``, :mod:`store.meeting_days`) and compares the schedule with
them each run (:func:`governance.meetings.schedule_changes`): a day still ahead that left,
paired with a new day, moved; one with no new day was cancelled; a new day with none gone was
added: it goes ahead after all for a member told it was off, it is the new date of a meeting
told cancelled, or it is an extra meeting. Each recipient of the body's agenda pack
(:func:`regie.prepare.body_contacts`) then gets one short notice through the outbox, under
``meeting-moved:<body>:<old>:<new>:<row>:<contact>``, ``meeting-cancelled:<body>:<old>:<row>:
<contact>`` or ``meeting-added:<body>:<day>:<row>:<contact>``:
``<row>`` is the id of the remembered day (the new day for a move or an addition), so the same
change seen twice is told once and a move back and forth is told each time. The first run for a
body only records its days (and says so). A meeting moved to a day before the run, or one
already held, is recorded and told to nobody; so is a day that comes back whose leaving nobody
was told.
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
    """What a run found and queued: ``changes`` as lines ("body OLD moved to NEW", …), the keys
    queued (with ``dry_run``, those it would queue; ``?`` for the row not yet made), and
    ``notes``: what was remembered without telling anyone (a body's first run, a body gone from
    the plan), said in the summary without counting as a change."""

    changes: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


#: What a notice tells (the templates' ``change``): a meeting moved or cancelled, or a day that
#: joined: a cancelled meeting that goes ahead after all, the new day of a cancelled meeting, or
#: an extra meeting.
MOVED, CANCELLED, BACK, NEW_DATE, EXTRA = "moved", "cancelled", "back", "new_date", "extra"


def notice_key(
    change: str, body_id: str, old: date | None, new: date | None, row: int | str, contact_id: str
) -> str:
    if change == CANCELLED and old is not None:
        return f"meeting-cancelled:{body_id}:{old.isoformat()}:{row}:{contact_id}"
    if change == MOVED and old is not None and new is not None:
        return f"meeting-moved:{body_id}:{old.isoformat()}:{new.isoformat()}:{row}:{contact_id}"
    assert new is not None
    return f"meeting-added:{body_id}:{new.isoformat()}:{row}:{contact_id}"


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
    each meeting moved, cancelled or added, and remember the schedule (one transaction per
    body). ``schedules``: each body's meetings, when the caller read them already (else read
    here). ``dry_run``: nothing recorded or queued; the result says what would be."""
    from governance.meetings import pair_days, schedule_changes
    from regie.reports import meetings
    from regie.services import sync_store
    from store import Repository
    from store.meeting_days import left_days, record_days, remembered_days

    out = MeetingNotices()
    pid = plan.programme.id
    near = as_of + timedelta(days=NOTICE_HORIZON_DAYS)
    synced: list[Session] = []

    def sync(session: Session) -> None:
        # The programme's row, on a fresh database: once per run, not per body (review13 8).
        if not synced:
            sync_store(app, session, plan)
            synced.append(session)

    for body in plan.governance:
        every = schedules[body.id] if schedules else meetings(app, body.id, plan=plan)
        by_day = {m.on: m for m in every}
        with app.session() as session, session.begin():
            remembered = remembered_days(session, pid, body.id)
            if remembered is None:
                if every:
                    # Said, for an edit made before the first run (the upgrade, a renamed body)
                    # is lost (review13 5).
                    out.notes.append(
                        f"{body.id}: {len(by_day)} meeting day(s) remembered on its first run; "
                        "changes made before it are not told"
                    )
                    if not dry_run:
                        sync(session)
                        record_days(session, pid, body.id, sorted(by_day), (), as_of)
                continue
            changes = schedule_changes(remembered, by_day, as_of)
            if not (changes.added or changes.gone):
                continue
            # Only meetings of the coming months are told: a new rule, `until` or `end` can move
            # years of meetings at once, and a mail per meeting would bury the members (review13
            # 4); the rest is remembered, and said here.
            far = [(o, n) for o, n in changes.moved if min(o, n) > near]
            moved = [(o, n) for o, n in changes.moved if min(o, n) <= near]
            far_off = [d for d in changes.cancelled if d > near]
            cancelled = [d for d in changes.cancelled if d <= near]
            far_new = [d for d in changes.new if d > near]
            new = [d for d in changes.new if d <= near]
            for old, day in moved:
                out.changes.append(f"{body.id} {old.isoformat()} moved to {day.isoformat()}")
            for old, day in changes.moved_past:
                out.changes.append(
                    f"{body.id} {old.isoformat()} moved to {day.isoformat()}, before "
                    f"{as_of.isoformat()}: nobody told"
                )
            for old in cancelled:
                out.changes.append(f"{body.id} {old.isoformat()} cancelled")
            contacts = recipients(plan, body)
            # A day that joins is told too (review13 2): what each member hears depends on what
            # they were told of it before, so the notices already queued are read.
            joined: list[tuple[date, list[tuple[Contact, str, date | None]]]] = []
            if new:
                away, off = _told_away(session, pid, body.id)
                left = left_days(session, pid, body.id, new)
                told_off = sorted({d for d, _ in off if d >= as_of and d not in by_day})
                redated = dict(pair_days(told_off, [d for d in new if d not in left], by_day))
                instead = {n: o for o, n in redated.items()}
                for day in new:
                    whom: list[tuple[Contact, str, date | None]] = []
                    for c in contacts:
                        if (day, c.id) in away:
                            whom.append((c, BACK, day))
                        elif day in left:
                            continue  # it left untold: to this member it never stopped
                        elif day in instead and (instead[day], c.id) in off:
                            whom.append((c, NEW_DATE, instead[day]))
                        else:
                            whom.append((c, EXTRA, None))
                    joined.append((day, whom))
                    what = day.isoformat()
                    if any(change == BACK for _, change, _ in whom):
                        out.changes.append(f"{body.id} {what} goes ahead after all")
                    elif day in left:
                        out.changes.append(
                            f"{body.id} {what} back in the schedule, its leaving never told: "
                            "nobody told"
                        )
                    elif day in instead:
                        out.changes.append(
                            f"{body.id} {what} added, the new day of cancelled "
                            f"{instead[day].isoformat()}"
                        )
                    else:
                        out.changes.append(f"{body.id} {what} added")
            if far or far_off or far_new:
                out.changes.append(
                    f"{body.id}: {len(far)} move(s), {len(far_off)} cancellation(s) and "
                    f"{len(far_new)} new meeting day(s) more than {NOTICE_HORIZON_DAYS} days "
                    "ahead: remembered, nobody told"
                )
            if dry_run:
                out.keys += [
                    notice_key(MOVED, body.id, old, day, "?", c.id)
                    for old, day in moved
                    for c in contacts
                ] + [
                    notice_key(CANCELLED, body.id, old, None, "?", c.id)
                    for old in cancelled
                    for c in contacts
                ] + [
                    notice_key(change, body.id, old, day, "?", c.id)
                    for day, whom in joined
                    for c, change, old in whom
                ]  # fmt: skip
                continue
            ids = record_days(session, pid, body.id, changes.added, changes.gone, as_of)
            packs = _packs_sent(session, pid, body.id)
            messages = [
                notice(plan, body, c, MOVED, old, by_day[day], ids[day], packs, as_of)
                for old, day in moved
                for c in contacts
            ] + [
                notice(plan, body, c, CANCELLED, old, None, remembered[old], packs, as_of)
                for old in cancelled
                for c in contacts
            ] + [
                notice(plan, body, c, change, old, by_day[day], ids[day], packs, as_of)
                for day, whom in joined
                for c, change, old in whom
            ]  # fmt: skip
            if messages:
                sync(session)
                out.keys += Repository(session, pid).enqueue(messages)
    _gone_bodies(app, plan, as_of, out, dry_run)
    return out


def _gone_bodies(
    app: App,
    plan: Plan,
    as_of: date,
    out: MeetingNotices,
    dry_run: bool,
) -> None:
    """A body remembered but no longer in the plan (removed, or renamed: a new id) is never
    compared: its meetings still ahead are not told as cancelled. Said once (review13 5); its
    days are then remembered as gone, so a body that comes back tells no day twice."""
    from store.meeting_days import record_days, remembered_bodies

    pid = plan.programme.id
    in_plan = {body.id for body in plan.governance}
    with app.session() as session, session.begin():
        for body_id, days in remembered_bodies(session, pid).items():
            if body_id in in_plan:
                continue
            ahead = len([d for d in days if d >= as_of])
            out.notes.append(
                f"{body_id}: no longer in the plan; its {ahead} meeting day(s) still ahead are "
                "not told as cancelled"
            )
            if not dry_run:
                record_days(session, pid, body_id, (), days, as_of)


def _told_away(
    session: Session,
    programme_id: str,
    body_id: str,
) -> tuple[set[tuple[date, str]], set[tuple[date, str]]]:
    """(day, contact) of the body's meetings told as gone from that day: moved away or
    cancelled (any delivery state: the member may hear it yet); and those told cancelled."""
    from store.meeting_days import outbox_keys

    away: set[tuple[date, str]] = set()
    off: set[tuple[date, str]] = set()
    for kind, into in (("meeting-moved", away), ("meeting-cancelled", off)):
        prefix = f"{kind}:{body_id}:"
        for key in outbox_keys(session, programme_id, prefix):
            parts = key[len(prefix) :].split(":")
            try:
                into.add((date.fromisoformat(parts[0]), parts[-1]))
            except ValueError:
                continue
    return away | off, off


def _packs_sent(
    session: Session,
    programme_id: str,
    body_id: str,
) -> set[str]:
    """The keys of the body's agenda packs delivered (status sent): what a notice says of a
    member's pack holds for that member, not for the body (review13 6)."""
    from store.agenda_read import PACK_KEY
    from store.meeting_days import outbox_keys

    keys = outbox_keys(session, programme_id, f"{PACK_KEY}:{body_id}:")
    return {key for key, status in keys.items() if status == "sent"}


def notice(
    plan: Plan,
    body: GovernanceBody,
    contact: Contact,
    change: str,
    old: date | None,
    new: Meeting | None,
    row: int,
    packs_sent: set[str],
    as_of: date,
) -> OutboxRecord:
    """One recipient's notice (Dutch, from the templates): ``change`` says what (:data:`MOVED`,
    …); ``old`` the day left (None for an extra meeting), ``new`` the meeting now (None for a
    cancellation). ``packs_sent``: the keys of the packs delivered. What it says of the pack
    holds for :mod:`regie.prepare`: a pack is queued once per meeting day and member, so a new
    day gets its own pack unless one went to this member for that day before."""
    from notifications.render import header_text, render
    from regie.messages import _programme, to_json
    from store.agenda_read import pack_key
    from store.records import OutboxRecord

    day = new.on if new else None
    key = notice_key(change, body.id, old, day, row, contact.id)
    context = {
        "contact": contact,
        "programme": _programme(plan),
        "body": {"id": body.id, "name": body.name},
        "change": change,
        "old": old,
        "new": day,
        "time": new.time.strftime("%H:%M") if new and new.time else None,
        "location": new.location if new else None,
        "old_pack_sent": old is not None and pack_key(body.id, old, contact.id) in packs_sent,
        "new_pack_sent": day is not None and pack_key(body.id, day, contact.id) in packs_sent,
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
            "change": change,
            "old": old.isoformat() if old else None,
            "new": day.isoformat() if day else None,
            "render": to_json(context),
            **({"channel": contact.channel} if contact.channel else {}),
        },
        created_on=as_of,
    )
