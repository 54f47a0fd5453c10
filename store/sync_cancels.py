"""Items the plan file says are dropped (``cancelled_by``) made *vervallen* in the store.

The plan file is the source of truth. `regie decision add --cancel` writes ``cancelled_by`` and a
``cancelled`` status update (source ``decision``, from the meeting on); a plan written with
``cancelled_by`` already in it (a programme adopting Regie mid-term, a re-sync into a fresh
database, a hand edit) has no such update, and the assessment reads only updates. So each sync
writes, for every item the file drops (its own ``cancelled_by`` or its action's) that has no
cancellation on record, the update the decision would have written: ``cancelled`` from the date
the text names (``besluit Stuurgroep X, 10 juli 2025``), else from the sync's day in the office's
time zone (REGIE_TIMEZONE, else the plan's). The incremental daily step picks it up like any
other update recorded since its last run.

Not for an item whose latest update already finishes it (done, cancelled), nor for one with a
cancellation reported on or after that date (one written before and superseded since: a
restore, an owner's later answer), nor for the items the caller cancels itself (``skip``: a
decision being recorded writes its own).

Which texts count as the body's decision (walk58b 1): those the programme's first sync reads
(the plan as written from its source document, decisions taken before Regie) and those that
name a decision the register holds (the body and meeting day of a ``cancel`` of the item or
its action). A ``cancelled_by`` typed into the plan later that names no such decision is the
office's plan edit: its update has source ``plan`` (:data:`PLAN_SOURCE`), no author (the
operator is its ``recorded_by``), is dated on the sync's day (the event log's day), and the
sync records it as a plan revision (field ``cancelled_by``) with who and when; `regie sync`
and the cycle warn about it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import UTC, date, datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from governance.decisions import DECISION_SOURCE, PLAN_SOURCE, Decision, DecisionKind
from governance.plan import Action, Milestone, Plan
from governance.provenance import decided_on
from governance.updates import FINISHED, UpdateStatus
from store.models import PlanRevisionRow, StatusUpdateRow

_CHUNK = 500


class Cancels(NamedTuple):
    """What :func:`apply_file_cancels` wrote: every item made cancelled, and those of them the
    plan file drops without a decision the register holds (the office's plan edit)."""

    written: list[str]
    undecided: list[str]


class FileCancel(NamedTuple):
    item_id: str
    text: str  # the cancelled_by text (the item's own, else its action's)
    on: date  # from when it is cancelled


def file_cancels(plan: Plan, today: date) -> list[FileCancel]:
    """Every item (a deadline) the plan file drops, in plan order, with the day it counts from:
    the date its ``cancelled_by`` text names, else ``today``."""
    items = plan.deadline_table().by_id
    out = []
    for action in plan.actions():
        chain: list[Action | Milestone] = [action, *action.milestones]
        for item in chain:
            text = item.cancelled_by or action.cancelled_by
            if text and item.id in items:
                out.append(FileCancel(item.id, text, decided_on(text) or today))
    return out


def body_named(plan: Plan, text: str) -> str | None:
    """The body whose name the text gives ("besluit Stuurgroep X, …"); None when none does."""
    return _author(plan, text)


def _author(plan: Plan, text: str) -> str | None:
    """The body whose name the text gives ("besluit Stuurgroep X, …"), as a decision's update
    names its body; None when none matches."""
    for body in plan.governance:
        if text.startswith(f"besluit {body.name},"):
            return body.id
    return None


def names_decision(
    plan: Plan, text: str, item_id: str, action_id: str, decisions: list[Decision]
) -> bool:
    """Whether ``text`` names a ``cancel`` decision of the register for the item or its
    action: the same body and meeting day."""
    on = decided_on(text)
    body = _author(plan, text)
    return any(
        d.kind is DecisionKind.CANCEL
        and d.item_id in (item_id, action_id)
        and d.meeting_on == on
        and d.body_id == body
        for d in decisions
    )


def _chunks(ids: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def apply_file_cancels(
    session: Session,
    plan: Plan,
    now: datetime,
    skip: Collection[str] = (),
    *,
    day: date | None = None,
    first: bool = True,
    plan_path: str | None = None,
) -> Cancels:
    """Write the missing cancellations (see the module notes); return their item ids.
    ``day``: the office's date at ``now`` (default: in the plan's time zone); ``first``: the
    programme's first sync (every text is the plan as first written: the body's decision)."""
    today = day if day is not None else now.astimezone(ZoneInfo(plan.calendar.timezone)).date()
    wanted = [c for c in file_cancels(plan, today) if c.item_id not in skip]
    if not wanted:
        return Cancels([], [])
    u = StatusUpdateRow
    latest: dict[str, tuple[date, datetime, int, str]] = {}
    cancelled_on: dict[str, date] = {}  # item → its latest cancellation's day
    for ids in _chunks([c.item_id for c in wanted]):
        rows = session.execute(
            sa.select(u.item_code, u.reported_on, u.recorded_at, u.id, u.status).where(
                u.programme_id == plan.programme.id, u.item_code.in_(ids)
            )
        )
        for code, reported_on, recorded_at, row_id, status in rows.tuples():
            key = (reported_on, recorded_at, row_id, status)
            if code not in latest or key[:3] > latest[code][:3]:
                latest[code] = key
            if status == UpdateStatus.CANCELLED.value:
                cancelled_on[code] = max(reported_on, cancelled_on.get(code, reported_on))
    done = {s.value for s in FINISHED}
    written: list[str] = []
    undecided: list[str] = []
    register: list[Decision] | None = None
    for c in wanted:
        last = latest.get(c.item_id)
        if last is not None and last[3] in done:
            continue
        if c.item_id in cancelled_on and cancelled_on[c.item_id] >= c.on:
            continue
        if not first:
            if register is None:
                register = _register(session, plan.programme.id)
            action_id = _action_of(plan, c.item_id)
            if not names_decision(plan, c.text, c.item_id, action_id, register):
                _plan_edit(session, plan, c, today, now, plan_path, action_id)
                written.append(c.item_id)
                undecided.append(c.item_id)
                continue
        session.add(
            u(
                programme_id=plan.programme.id,
                item_code=c.item_id,
                status=UpdateStatus.CANCELLED.value,
                reported_on=c.on,
                comment=c.text,
                author=_author(plan, c.text),
                source=DECISION_SOURCE,
                recorded_at=now.astimezone(UTC),
            )
        )
        written.append(c.item_id)
    if written:
        session.flush()
    return Cancels(written, undecided)


def _register(session: Session, programme_id: str) -> list[Decision]:
    from store import reports_read
    from store.dialect import reader

    return reports_read.decisions(reader(session), programme_id)


def _action_of(plan: Plan, item_id: str) -> str:
    if plan.action(item_id) is not None:
        return item_id
    return next((m.action_id for m in plan.milestones() if m.id == item_id), item_id)


def _plan_edit(
    session: Session,
    plan: Plan,
    c: FileCancel,
    today: date,
    now: datetime,
    plan_path: str | None,
    action_id: str,
) -> None:
    """The office's plan edit: a ``cancelled`` update of the sync's day (source ``plan``, no
    author) and the plan revision that records the text."""
    at = now.astimezone(UTC)
    session.add(
        StatusUpdateRow(
            programme_id=plan.programme.id,
            item_code=c.item_id,
            status=UpdateStatus.CANCELLED.value,
            reported_on=today,
            comment=None,  # the text is the revision's: it names no decision
            author=None,
            source=PLAN_SOURCE,
            recorded_at=at,
        )
    )
    session.add(
        PlanRevisionRow(
            programme_id=plan.programme.id,
            recorded_at=at,
            entity="action" if action_id == c.item_id else "milestone",
            code=c.item_id,
            kind="changed",
            field="cancelled_by",
            before=None,
            after=c.text,
            plan_path=plan_path,
        )
    )
