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

An open status round whose meeting changes with a change told (:func:`governance.agenda_round.
tie_rounds` ties it to another, or to none) is said in that change's notices, with its answer-by
date, which stays; the owners it asked who get none of those notices and still owe an answer get
one of their own (:func:`round_notice`, ``round-meeting-moved:<round>:<contact>:<meeting>:<row>``,
review13 7).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from governance.counts import count
from regie.bootstrap import App

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from governance.meetings import Meeting
    from governance.plan import Contact, GovernanceBody, Plan
    from store.answers import Round
    from store.records import OutboxRecord

#: The outbox kind (templates ``meeting_changed.*.j2``, ``slack/meeting_changed.intro.md.j2``).
KIND = "meeting_changed"
#: The outbox kind of an asked owner's notice that the round's meeting changed (templates
#: ``round_meeting_changed.*.j2``), and its key's first part (:func:`round_key`).
ROUND_KIND = "round_meeting_changed"
ROUND_KEY = "round-meeting-moved"
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
#: A day the body's rule gives that joined because the programme's end moved later (walk55d 7):
#: a regular meeting under the extended programme, told as such, not as an extra meeting.
EXTENDED = "extended"


def notice_key(
    change: str, body_id: str, old: date | None, new: date | None, row: int | str, contact_id: str
) -> str:
    if change == CANCELLED and old is not None:
        return f"meeting-cancelled:{body_id}:{old.isoformat()}:{row}:{contact_id}"
    if change == MOVED and old is not None and new is not None:
        return f"meeting-moved:{body_id}:{old.isoformat()}:{new.isoformat()}:{row}:{contact_id}"
    assert new is not None
    return f"meeting-added:{body_id}:{new.isoformat()}:{row}:{contact_id}"


def round_key(round_id: int, contact_id: str, meeting: date | None, row: int | str) -> str:
    """An asked owner's notice that the round's meeting changed (:func:`round_notice`):
    ``<row>`` is the change's, as in :func:`notice_key`, so a move back and forth is told each
    time and the same change seen twice once."""
    on = meeting.isoformat() if meeting else "none"
    return f"{ROUND_KEY}:{round_id}:{contact_id}:{on}:{row}"


@dataclass(frozen=True, slots=True)
class _Told:
    """One member's notice of one change: ``new`` the meeting now (None: cancelled)."""

    change: str
    old: date | None
    new: Meeting | None
    row: int | str
    contact: Contact

    @property
    def day(self) -> date | None:
        return self.new.on if self.new else None

    def key(self, body_id: str) -> str:
        return notice_key(self.change, body_id, self.old, self.day, self.row, self.contact.id)


@dataclass(frozen=True, slots=True)
class RoundShift:
    """An open status round whose meeting (:func:`governance.agenda_round.tie_rounds`, the rule
    of its own mails) is another since the last run: ``before`` the one it was for, ``after``
    the one it is for now (None: no meeting of the body fits). Its answer-by date stays."""

    round: Round
    before: date | None
    after: date | None
    #: With no meeting now (``after`` None): the body's next meeting after ``before``, which has
    #: or gets a round of its own (cancel46).
    following: date | None = None

    def follows(self, change: str, old: date | None, new: date | None) -> bool:
        """Whether the change told (``old`` left, ``new`` the meeting now) is why: the round's
        meeting moved or was cancelled, or the round is now for the day that joined."""
        if change in (MOVED, CANCELLED) and old is not None and old == self.before:
            return True
        return change != CANCELLED and new is not None and new == self.after

    def context(self) -> dict[str, date | None]:
        return {
            "answer_by": self.round.answer_by,
            "before": self.before,
            "after": self.after,
            "following": self.following,
        }


def _shifted_rounds(
    session: Session,
    plan: Plan,
    body_id: str,
    remembered: Mapping[date, int],
    by_day: Mapping[date, Meeting],
    as_of: date,
) -> list[RoundShift]:
    """The body's rounds still taking answers after ``as_of`` (one closing today is past
    helping) that the schedule now ties to another meeting than the days remembered did."""
    from governance.agenda_round import round_start, tie_rounds
    from store.answers import rounds

    mine = [r for r in rounds(session, plan.programme.id) if r.body == body_id]
    live = [r for r in mine if r.closed_on is None and r.answer_by > as_of]
    if not live:
        return []
    # Closed rounds count too: a meeting a closed round prepared is not free for another.
    facts = [(r.id, r.meeting_on, r.answer_by) for r in mine]
    asks_from = round_start(plan, body_id)
    before = tie_rounds(facts, sorted(remembered), asks_from)
    after = tie_rounds(facts, sorted(by_day), asks_from)
    return [
        RoundShift(r, was, now, None if now is not None else _next_day(by_day, was))
        for r in live
        if (was := before[r.id]) != (now := after[r.id])
    ]


def _round_owners(
    session: Session,
    plan: Plan,
    body: GovernanceBody,
    shifts: list[RoundShift],
    told: list[_Told],
    as_of: date,
    out: MeetingNotices,
    dry_run: bool,
) -> list[tuple[RoundShift, _Told, Contact]]:
    """Per round moved with a change told: the owners it asked who still owe an answer and get
    no member's notice of that change (which says it for them), each with the change. An owner
    who answered every item asked is not told: the answers count for the meeting the round is
    now for, and the date they were due by stays, so nothing changes for them."""
    from governance.answers import contact
    from regie.rounds import round_progress

    found: list[tuple[RoundShift, _Told, Contact]] = []
    for shift in shifts:
        why = [t for t in told if shift.follows(t.change, t.old, t.day)]
        if not why:
            continue  # a change nobody is told of (held, in the past, far ahead): not this
        knows = {t.contact.id for t in why}
        silent = round_progress(session, plan, shift.round, as_of)["silent_contacts"]
        whom = [
            person
            for cid in silent
            if cid not in knows and (person := contact(plan, cid)) is not None
        ]
        found += [(shift, why[0], person) for person in whom]
        was = shift.before.isoformat() if shift.before else "none"
        now = shift.after.isoformat() if shift.after else "no meeting"
        out.changes.append(
            f"{body.id} round {shift.round.id} (answers by {shift.round.answer_by.isoformat()}) "
            f"now for {now}, was {was}: {count(len(whom), 'more asked owner')} "
            f"{'would be told' if dry_run else 'told'}"
        )
    return found


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
    from governance.programme_end import extension_days
    from regie.reports import meetings
    from regie.services import sync_store
    from store import Repository
    from store.meeting_days import left_days, record_days, remembered_days
    from store.reports_read import programme_end_revisions

    out = MeetingNotices()
    pid = plan.programme.id
    with app.reading() as connection:  # the moves of the programme's end (walk55d 7)
        end_moves = [(b, a) for b, a, _ in programme_end_revisions(connection, pid)]
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
                    remembered_on = (
                        "would be remembered on the first real run" if dry_run
                        else "remembered on its first run"
                    )  # fmt: skip
                    out.notes.append(
                        f"{body.id}: {count(len(by_day), 'meeting day')} {remembered_on}; "
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
                # A cancelled day already told its new date is not paired again (meet45). A day
                # that comes back is among ``left``: never another's new date.
                done = _redated(session, pid, body.id)
                told_off = sorted(
                    {d for d, _ in off if d >= as_of and d not in by_day and d not in done}
                )
                redated = dict(pair_days(told_off, [d for d in new if d not in left], by_day))
                instead = {n: o for o, n in redated.items()}
                schedule = body.meetings
                regular = extension_days(schedule.rule if schedule else None, new, end_moves)
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
                            whom.append((c, EXTENDED if day in regular else EXTRA, None))
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
                    elif day in regular:
                        out.changes.append(
                            f"{body.id} {what} added: the rule's meeting under the programme's "
                            f"extension to {plan.programme.end}"
                        )
                    else:
                        out.changes.append(f"{body.id} {what} added")
            if far or far_off or far_new:
                out.changes.append(
                    f"{body.id}: {count(len(far), 'move')}, {count(len(far_off), 'cancellation')} "
                    f"and {count(len(far_new), 'new meeting day')} more than "
                    f"{NOTICE_HORIZON_DAYS} days ahead: remembered, nobody told"
                )
            # An open status round whose meeting changed with these (review13 7): said in the
            # members' notices, and to the owners it asked who get none of those.
            shifts = _shifted_rounds(session, plan, body.id, remembered, by_day, as_of)
            if dry_run:
                ids: dict[date, int | str] = {d: "?" for d in changes.added}
                rows: dict[date, int | str] = {d: "?" for d in remembered}
            else:
                ids = dict(record_days(session, pid, body.id, changes.added, changes.gone, as_of))
                rows = dict(remembered)
            told: list[_Told] = [
                _Told(MOVED, old, by_day[day], ids[day], c) for old, day in moved for c in contacts
            ] + [
                _Told(CANCELLED, old, None, rows[old], c) for old in cancelled for c in contacts
            ] + [
                _Told(change, old, by_day[day], ids[day], c)
                for day, whom in joined
                for c, change, old in whom
            ]  # fmt: skip
            owners = _round_owners(session, plan, body, shifts, told, as_of, out, dry_run)
            if dry_run:
                out.keys += [t.key(body.id) for t in told] + [
                    round_key(s.round.id, c.id, s.after, t.row) for s, t, c in owners
                ]
                continue
            packs = _packs_sent(session, pid, body.id)
            asked = _packs_asked(session, pid, body.id) if cancelled else {}
            messages = [
                notice(
                    plan, body, t.contact, t.change, t.old, t.new, t.row, packs, as_of,
                    rounds=[s for s in shifts if s.follows(t.change, t.old, t.day)],
                    next_on=_next_day(by_day, t.old) if t.change == CANCELLED else None,
                    old_asked=asked.get(t.old) if t.old is not None else None,
                )
                for t in told
            ] + [
                round_notice(plan, body, c, s, t, as_of) for s, t, c in owners
            ]  # fmt: skip
            if messages:
                sync(session)
                out.keys += Repository(session, pid).enqueue(messages)
    _gone_bodies(app, plan, as_of, out, dry_run)
    return out


def _next_day(days: Mapping[date, Meeting], after: date | None) -> date | None:
    """The body's first meeting after ``after`` (a cancelled day): where what its pack asked
    comes back (the notice says so)."""
    return min((d for d in days if after is not None and d > after), default=None)


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
                f"{body_id}: no longer in the plan; {still_ahead(ahead)} not told as cancelled"
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


def _redated(session: Session, programme_id: str, body_id: str) -> set[date]:
    """The body's cancelled days already told their new date (a *Nieuwe datum* notice to
    anyone): the key names only the new day, the payload the old."""
    from store.meeting_days import outbox_payloads

    done: set[date] = set()
    for payload in outbox_payloads(session, programme_id, f"meeting-added:{body_id}:").values():
        old = payload.get("old")
        if payload.get("change") == NEW_DATE and isinstance(old, str):
            try:
                done.add(date.fromisoformat(old))
            except ValueError:
                continue
    return done


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


def _packs_asked(session: Session, programme_id: str, body_id: str) -> dict[date, bool]:
    """Per meeting whose pack was put to the body: whether its *ter besluitvorming* asked
    anything (as the archived pack's parameters keep it; a pack from before they did is left
    out: not known)."""
    from store.agenda_read import packs_sent

    read = packs_sent(session.connection(), programme_id, body_id)
    return {day: bool(items) for day, (items, _) in read.listed.items() if items is not None}


def notice(
    plan: Plan,
    body: GovernanceBody,
    contact: Contact,
    change: str,
    old: date | None,
    new: Meeting | None,
    row: int | str,
    packs_sent: set[str],
    as_of: date,
    *,
    rounds: Sequence[RoundShift] = (),
    next_on: date | None = None,
    old_asked: bool | None = None,
) -> OutboxRecord:
    """One recipient's notice (Dutch, from the templates): ``change`` says what (:data:`MOVED`,
    …); ``old`` the day left (None for an extra meeting), ``new`` the meeting now (None for a
    cancellation). ``packs_sent``: the keys of the packs delivered. What it says of the pack
    holds for :mod:`regie.prepare`: a pack is queued once per meeting day and member, so a new
    day gets its own pack unless one went to this member for that day before. ``rounds``: the
    open status rounds this change ties to another meeting (said with their answer-by date).
    ``next_on``: a cancelled meeting's next one, whose pack is made anew and asks again what
    the cancelled meeting's pack asked and still needs a decision (walk33 5). ``old_asked``:
    whether the pack for ``old`` asked the body for any decision (None: not known); one that
    asked none has no points to come back (follow46)."""
    from regie.messages import _programme, rendered_record, to_json
    from store.agenda_read import pack_key

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
        "next": next_on,
        "old_pack_asked_nothing": old_asked is False,
        "next_pack_sent": next_on is not None
        and pack_key(body.id, next_on, contact.id) in packs_sent,
        "rounds": [s.context() for s in rounds],
        # An extension's meeting (walk55d 7) names the programme's new end.
        "programme_end": plan.programme.end if change == EXTENDED else None,
        "as_of": as_of,
        "key": key,
    }
    payload = {
        "programme": plan.programme.short_title or plan.programme.title,
        "body": body.id,
        "body_name": body.name,
        "change": change,
        "old": old.isoformat() if old else None,
        "new": day.isoformat() if day else None,
        "render": to_json(context),
        **({"channel": contact.channel} if contact.channel else {}),
    }
    return rendered_record(KIND, contact, key, context, payload, as_of)


def round_notice(
    plan: Plan,
    body: GovernanceBody,
    contact: Contact,
    shift: RoundShift,
    why: _Told,
    as_of: date,
) -> OutboxRecord:
    """An asked owner's notice (Dutch, from the templates ``round_meeting_changed.*``): the
    change ``why`` (as the members' notice words it), the meeting the round is for now, and
    that its answer-by date stays."""
    from regie.messages import _programme, rendered_record, to_json

    key = round_key(shift.round.id, contact.id, shift.after, why.row)
    context = {
        "contact": contact,
        "programme": _programme(plan),
        "body": {"id": body.id, "name": body.name},
        "change": why.change,
        "old": why.old,
        "new": why.day,
        "round": shift.context(),
        "as_of": as_of,
        "key": key,
    }
    payload = {
        "programme": plan.programme.short_title or plan.programme.title,
        "body": body.id,
        "body_name": body.name,
        "round": shift.round.id,
        "change": why.change,
        "old": why.old.isoformat() if why.old else None,
        "new": why.day.isoformat() if why.day else None,
        "render": to_json(context),
        **({"channel": contact.channel} if contact.channel else {}),
    }
    return rendered_record(ROUND_KIND, contact, key, context, payload, as_of)


def still_ahead(days: int) -> str:
    """``its 1 meeting day still ahead is``, ``its 3 meeting days still ahead are``."""
    return f"its {count(days, 'meeting day')} still ahead {'is' if days == 1 else 'are'}"
