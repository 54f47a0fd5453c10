"""One use case for an owner's answer, whatever the channel (CLI, spreadsheet, e-mail link, Slack).

:func:`record_answer` checks who answers and what they say (rules in :mod:`governance.answers`),
stores the status update and its ``regie.status.updated`` event in one transaction, and only
after the commit tells Prefect. A refusal by the rules is recorded as a ``regie.answer.refused``
event (in its own transaction: nothing else is stored) and raised as :class:`AnswerRefused`.

What is *not* recorded as a refused answer: input that never became an attempt by a known person
(a wrong Slack signature, a replayed request, a tampered link, malformed fields). Those are
answered with a clear message and leave no trace, so that junk cannot fill the audit log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from governance.answers import Answerer, AnswerInput, FieldProblem, Refusal
from regie.bootstrap import App
from regie.errors import RegieError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from governance.plan import Plan
    from governance.updates import StatusUpdate

ANSWER_REFUSED = "regie.answer.refused"
CHANNELS = ("cli", "import", "email", "slack", "web")

#: Called inside the answer's transaction once the update is stored (e.g. mark a link used);
#: raising :class:`AnswerRefused` there rolls the update back.
WithinTransaction = Callable[["Session", "StatusUpdate"], None]
#: Completes an update inside the answer's transaction, before it is stored (a correction's
#: ``corrects``); raising :class:`AnswerRefused` stores nothing.
Prepare = Callable[["Session", "StatusUpdate"], "StatusUpdate"]
#: Called first inside whichever transaction the attempt writes (the answer's or its refusal's),
#: e.g. Slack's replay guard: one COMMIT per request; raising rolls everything back.
Guard = Callable[["Session"], None]


class AnswerRefused(RegieError):
    """An answer that was not stored: ``reason`` for the log, ``message`` (Dutch) for the person,
    ``problems`` when the content was at fault (the command line shows their English text)."""

    exit_code = 2

    def __init__(
        self,
        reason: Refusal,
        detail: str = "",
        problems: list[FieldProblem] | None = None,
    ) -> None:
        self.reason = reason
        self.problems = problems or []
        from regie.texts import refusal_text

        self.message = refusal_text(reason)
        lines = [f"{p.field}: {p.en}" for p in self.problems] or [detail or self.message]
        super().__init__(*lines)


@dataclass(frozen=True, slots=True)
class Recorded:
    update: StatusUpdate
    event_key: str
    extra: dict[str, Any] = field(default_factory=dict)
    #: Why Prefect was not told (its server did not answer), or None: the answer is stored.
    unpublished: str | None = None
    #: The programme's last assessed day when the update reports for an earlier day (a
    #: back-filled answer: accepted, and said so), else None.
    backdated: date | None = None


def unpublished_note(recorded: list[Recorded]) -> str | None:
    """The line a command adds when the answers are stored but Prefect was not told."""
    reason = next((r.unpublished for r in recorded if r.unpublished), None)
    if reason is None:
        return None
    return (
        f"stored; the reassessment trigger was not sent: {reason} "
        "(the next cycle picks the answer up)"
    )


def office_note(lines: list[int] | None, how: str) -> str:
    """The one line a command adds when it stored a note without naming who wrote it: the
    record reads as the office's own words, which every owner's contacts read ("Who reads a
    note"), so an owner's reply the office types in should name its contact (``how``: the
    command's way to do so). ``lines``: the sheet's lines with such a note (None: one
    update from the command line). Review54b 6."""
    if lines is None:
        what = "the comment is stored as the office's own note"
    else:
        n = len(lines)
        where = ", ".join(str(line) for line in lines)
        what = (
            f"{n} note{'' if n == 1 else 's'} stored as the office's own "
            f"(line{'' if n == 1 else 's'} {where}: no contact)"
        )
    them = "them" if lines is not None and len(lines) > 1 else "it"
    return f"note: {what}: every owner's contacts read {them}; for an owner's reply, {how}"


def backdated_note(recorded: list[Recorded]) -> str | None:
    """The one line a command adds when it stored answers for a day before the last assessed
    day: accepted (back-filling is legitimate), but reports made since may now read otherwise,
    and every page and report marks such an update *nagekomen*."""
    late = [r for r in recorded if r.backdated is not None]
    if not late:
        return None
    last = max(r.backdated for r in late if r.backdated is not None)
    days = sorted({r.update.reported_on for r in late})
    when = days[0].isoformat() if len(days) == 1 else f"{days[0]} to {days[-1]}"
    n = len(late)
    return (
        f"note: {n} update{'' if n == 1 else 's'} back-dated to {when}, before the last assessed "
        f"day {last}: accepted; reports for earlier days made again may differ, and "
        f"{'it shows' if n == 1 else 'they show'} as nagekomen (recorded today)"
    )


def check_answer(
    plan: Plan,
    answer: AnswerInput,
    who: Answerer,
    as_of: date,
    extra: list[FieldProblem] | None = None,
) -> StatusUpdate:
    """The status update ``answer`` becomes, or :class:`AnswerRefused` (nothing recorded);
    ``extra``: problems the caller found besides the answer's own (shown with them)."""
    from governance.answers import (
        answer_problems,
        find_item,
        is_office,
        may_answer,
        refused_en,
    )
    from governance.dates import programme_life
    from governance.updates import StatusUpdate, UpdateStatus

    problems = answer_problems(answer, as_of, programme_life(plan)) + (extra or [])
    if problems:
        raise AnswerRefused(Refusal.INVALID, problems=problems)
    item = find_item(plan, answer.item_id)
    if item is None:  # a typo or a stale form, not someone answering for another's item
        raise AnswerRefused(Refusal.UNKNOWN_ITEM, _not_in_plan(plan, answer.item_id))
    refusal = may_answer(plan, who, item)
    if refusal is None and answer.status == UpdateStatus.CANCELLED and not is_office(plan, who):
        refusal = Refusal.OFFICE_ONLY
    if refusal is not None:
        who_text = who.contact_id or who.name
        why = refused_en(refusal, item)
        raise AnswerRefused(refusal, f"{answer.item_id}: {who_text} may not answer: {why}")
    return StatusUpdate(
        item_id=answer.item_id,
        status=UpdateStatus(answer.status),
        reported_on=as_of,
        forecast=answer.forecast,
        completed_on=answer.completed_on,
        comment=answer.note,  # verbatim: templates escape it, nothing interprets it
        author=who.contact_id or who.name,
        source="",
    )


#: Refusals that are recorded as ``regie.answer.refused`` events (a known person was refused).
RECORDED_REFUSALS = frozenset(
    {
        Refusal.UNKNOWN_CONTACT,
        Refusal.NOT_OWNER,
        Refusal.OFFICE_ONLY,
        Refusal.LINK_USED,
        Refusal.LINK_EXPIRED,
        Refusal.LINK_REPLACED,
        Refusal.LINK_FOREIGN,
        Refusal.LINK_REMOVED,
        Refusal.LINK_OWNER_CHANGED,
        Refusal.ITEM_CANCELLED,
        Refusal.ITEM_DONE,
    }
)

#: Refusals by what the item's latest update says (:func:`governance.answers.standing_refusal`).
STANDING_REFUSALS = frozenset({Refusal.ITEM_CANCELLED, Refusal.ITEM_DONE})


def _not_in_plan(plan: Plan, item_id: str) -> str:
    """An id the plan does not have; naming the item that says ``formerly`` it, if one does: an
    id from before Regie has no history to follow (walk56a 2)."""
    from governance.renumbering import formerly_ids

    claimed = formerly_ids(plan).get(item_id)
    said = f" ({claimed} says formerly: {item_id})" if claimed is not None else ""
    return f"{item_id}: not in the plan{said}"


def latest_update(session: Session, programme_id: str, item_id: str) -> StatusUpdate | None:
    """The item's newest update (as the assessment reads it), None when it has none."""
    from store import Repository

    updates = Repository(session, programme_id).status_updates(item=item_id)
    return updates[-1] if updates else None


def repeated_note(app: App, programme_id: str, update: StatusUpdate, by: str) -> str | None:
    """The note a "Geen wijziging" by contact ``by`` that repeats ``update`` carries: its note,
    so the explanation the packs and reports show (the latest update's) stays (review9 4).
    Written into the new update, not looked up by the readers: an archived report reads the
    updates as recorded and is made again the same. None for a decision's or a report's update
    (their text is nobody's explanation), for a redacted note (the placeholder is nobody's
    words) and for a note ``by`` did not write (review10a 1): a deputy's, a co-owner's or the
    office's words are not the repeater's, and `contact forget --notes` of their author blanks
    only the updates that author reported, so a copy under ``by``'s name would outlive it."""
    from governance.decisions import NOT_THE_OWNERS
    from store.erasure.redaction import redaction_of

    if not update.comment or update.source in NOT_THE_OWNERS or update.id is None:
        return None
    if update.author != by:
        return None
    with app.session() as session:
        if redaction_of(session, programme_id, update.id) is not None:
            return None
    return update.comment


def standing_check(plan: Plan, who: Answerer, status: str, confirmed: bool) -> WithinTransaction:
    """Checks, inside the answer's transaction (under the answers' write lock, so no other
    answer or cancellation slips in between), that the update just stored does not overturn
    what the item's previous update says (:func:`governance.answers.standing_refusal`): a
    stale form or a replayed POST cannot get around the form's own check. Also that *Risico*
    on an item that update leaves overdue says what is stuck
    (:func:`governance.answers.blocked_note_problem`): a field problem, nothing recorded."""
    from governance.answers import blocked_note_problem, find_item, standing_refusal

    def check(session: Session, stored: StatusUpdate) -> None:
        from store import Repository

        before = [
            u
            for u in Repository(session, plan.programme.id).status_updates(item=stored.item_id)
            if u.id != stored.id
        ]
        refusal = standing_refusal(plan, who, before[-1] if before else None, status, confirmed)
        if refusal is not None:
            raise AnswerRefused(refusal, f"{stored.item_id}: {refusal.value.replace('_', ' ')}")
        item = find_item(plan, stored.item_id)
        latest = before[-1] if before else None
        problem = item and blocked_note_problem(
            item, latest, stored.status, stored.comment, stored.reported_on
        )
        if problem:
            raise AnswerRefused(Refusal.INVALID, problems=[problem])

    return check


@contextmanager
def writing(app: App) -> Iterator[None]:
    """One writer at a time per SQLite database in this process (:meth:`App.writing`): queueing
    writers on a lock instead of on SQLite's busy timeout (which polls, and gives up after
    10 s) keeps 100 concurrent answers in order and none fails with 'database is locked'."""
    with app.writing():
        yield


def record_answer(
    app: App,
    answer: AnswerInput,
    who: Answerer,
    *,
    channel: str,
    as_of: date,
    plan: Plan | None = None,
    sync: bool = False,
    within: WithinTransaction | None = None,
    emit: bool = True,
    guard: Guard | None = None,
    standing: bool = False,
    confirmed: bool = False,
    corrects: int | None = None,
    changes: int | None = None,
) -> Recorded:
    """Check and store one answer; see the module notes. ``as_of`` is the business date the
    answer counts for; ``sync`` loads the plan into the database first (CLI). ``standing``:
    an owner's channel (link, Slack), where the answer may not overturn a cancellation, nor
    without ``confirmed`` someone else's *gereed* (:func:`standing_check`).

    ``corrects``: the office corrects that update (a reason required; refused unless the rules
    of :mod:`governance.corrections` allow it). ``changes``: an owner's "Wijzigen" of their
    answer with that id: the update corrects it while it is still the item's latest."""
    from governance.corrections import reason_problem

    plan = plan or app.load_plan()
    reason = reason_problem(answer.note) if corrects is not None else None
    try:
        update = check_answer(plan, answer, who, as_of, [reason] if reason else None)
    except AnswerRefused as exc:
        if exc.reason in RECORDED_REFUSALS:
            record_refusal(app, plan, exc.reason, answer, who, channel, as_of, guard=guard)
        raise
    checks = [standing_check(plan, who, answer.status, confirmed)] if standing else []
    checks += [within] if within is not None else []

    def each(session: Session, stored: StatusUpdate) -> None:
        for check in checks:
            check(session, stored)

    try:
        return store_answers(
            app,
            plan,
            [replace(update, source=channel)],
            sync=sync,
            within=each if checks else None,
            emit=emit,
            guard=guard,
            prepare=correcting(plan, corrects, changes),
        )[0]
    except AnswerRefused as exc:
        if exc.reason in STANDING_REFUSALS and type(exc) is AnswerRefused:
            record_refusal(app, plan, exc.reason, answer, who, channel, as_of, guard=guard)
        raise


def correcting(plan: Plan, corrects: int | None, changes: int | None) -> Prepare | None:
    """Sets, inside the answer's transaction (under the answers' write lock: no other answer
    slips in between), the update a correction corrects: ``corrects`` as the office gave it
    (or :class:`AnswerRefused`), or for an owner's change of ``changes`` the update that
    answer now stands as (:func:`governance.corrections.owner_corrects`)."""
    if corrects is None and changes is None:
        return None

    def prepare(session: Session, update: StatusUpdate) -> StatusUpdate:
        from governance.corrections import correction_problems, owner_corrects
        from store import Repository

        repo = Repository(session, plan.programme.id)
        history = repo.status_updates(item=update.item_id)
        if corrects is None:
            assert changes is not None
            return replace(update, corrects=owner_corrects(changes, history))
        target = repo.status_update(corrects)
        problems = correction_problems(
            corrects, target, update.item_id, history, update.reported_on
        )
        if problems:
            raise AnswerRefused(Refusal.INVALID, problems=problems)
        return replace(update, corrects=corrects)

    return prepare


def store_answers(
    app: App,
    plan: Plan,
    updates: list[StatusUpdate],
    *,
    sync: bool = False,
    within: WithinTransaction | None = None,
    emit: bool = True,
    guard: Guard | None = None,
    prepare: Prepare | None = None,
) -> list[Recorded]:
    """Store checked updates and their events in one transaction (all or none); then emit.
    ``prepare``: completes each update in the transaction before it is stored."""
    from governance.events import status_updated
    from regie.services import sync_store
    from store import EventRecord, Repository, UnknownItem
    from store.actor import current_actor
    from store.answers import write_lock

    recorded: list[Recorded] = []
    with writing(app), app.session() as session, session.begin():
        repo = Repository(session, plan.programme.id)
        if guard is not None:  # first: a write (SQLite's lock), outside PostgreSQL's lock
            guard(session)
        write_lock(session, plan.programme.id)  # answers are stored in the order they commit
        if sync:
            sync_store(app, session, plan)
        last = repo.last_assessed()
        for update in updates:
            if prepare is not None:
                update = prepare(session, update)
            try:
                stored = repo.add_status_update(update)
            except UnknownItem:
                raise AnswerRefused(
                    Refusal.UNKNOWN_ITEM, f"{update.item_id}: not in the database"
                ) from None
            event = status_updated(stored)
            # Who typed it in, as the update's recorded_by and every command's event say it
            # (walk58b 3: an audit export filtered on the actor missed the update events).
            payload = {**event.payload, "by": current_actor()}
            repo.record_events(
                [EventRecord(event.name, event.item_id, event.occurred_on, payload, event.key)]
            )
            if within is not None:
                within(session, stored)
            late = last if last is not None and stored.reported_on < last else None
            recorded.append(Recorded(stored, event.key, backdated=late))
    if emit and (api_url := app.settings.prefect_api_url):
        # A Prefect server's triggers reassess at once. Without one, the next scheduled cycle
        # picks the answers up (and importing Prefect would only slow the command line down);
        # so it does when the server does not answer (asked first, briefly: never a wait).
        from regie.events import PrefectUnavailable, publish

        try:
            publish(
                [status_updated(r.update) for r in recorded], plan.programme.id, api_url=api_url
            )
        except PrefectUnavailable as exc:
            recorded = [replace(r, unpublished=str(exc)) for r in recorded]
    return recorded


def record_refusal(
    app: App,
    plan: Plan,
    reason: Refusal,
    answer: AnswerInput | None,
    who: Answerer | None,
    channel: str,
    as_of: date,
    detail: str = "",
    *,
    guard: Guard | None = None,
) -> AnswerRefused:
    """Record a ``regie.answer.refused`` event (its own transaction) and return the error."""
    import uuid

    from regie.services import sync_store
    from store import EventRecord, Repository

    item_id = answer.item_id if answer else None
    payload = {
        "reason": reason.value,
        "channel": channel,
        "contact": who.contact_id if who else None,
        "item": item_id,
        "status": answer.status if answer else None,
        "detail": detail or None,
    }
    with writing(app), app.session() as session, session.begin():
        if guard is not None:
            guard(session)
        repo = Repository(session, plan.programme.id)
        if not repo.programme_exists():
            sync_store(app, session, plan)
        repo.record_events(
            [
                EventRecord(
                    ANSWER_REFUSED,
                    item_id[:64] if item_id else None,
                    as_of,
                    payload,
                    f"{ANSWER_REFUSED}:{uuid.uuid4().hex}",
                )
            ]
        )
    return AnswerRefused(reason, detail)
