"""Which decision ratified a date moved in the plan file without one (review54 3 and 5).

One rule for the progress report's *bekrachtigd bij besluit* (:mod:`governance.progress`), the
agenda pack's *Verschuiving … accorderen?* (:func:`governance.agenda_asked.to_ratify`) and the
pack's *sinds de vorige vergadering*: a decision about the item, taken after the edit and by
``as_of``, that either records the body's word on it (a text-only decision with ``--item``) or
sets the item's date to the edit's own date. A decision that moved the date elsewhere, dropped
the item or approved a report did not ratify the edit: :func:`revising_decision` names the
first move elsewhere."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from governance.decisions import Decision, DecisionKind
from governance.provenance import DueChange

__all__ = ["ratifies", "ratifying_decision", "revising_decision"]


def ratifies(decision: Decision, edit: DueChange) -> bool:
    """Whether ``decision`` (about the edit's item) says yes to the edit: a text-only decision
    that neither approves a report nor adds the item, or a ``set_gereed`` to the edit's date."""
    if decision.item_id != edit.item_id:
        return False
    if decision.kind is DecisionKind.DECISION:
        return decision.approves is None and not decision.adds
    return decision.kind is DecisionKind.SET_GEREED and _same(
        decision.gereed_after, edit.gereed_after
    )


def ratifying_decision(
    edit: DueChange, decisions: Iterable[Decision], as_of: date, zone: str = "UTC"
) -> Decision | None:
    """The first decision of ``decisions`` that ratified ``edit`` (:func:`ratifies`), taken on
    or after the edit's day in ``zone`` and on or before ``as_of``; on the edit's own day only
    one recorded after the edit (a meeting that day may have decided before the file was
    edited). None: the edit stays *zonder besluit*."""
    return next((d for d in _after(edit, decisions, as_of, zone) if ratifies(d, edit)), None)


def revising_decision(
    edit: DueChange, decisions: Iterable[Decision], as_of: date, zone: str = "UTC"
) -> Decision | None:
    """The first ``set_gereed`` of the edit's item to another date than the edit's, taken after
    the edit (as :func:`ratifying_decision` counts it) and by ``as_of``: the body moved the date
    again rather than ratify it (*daarna bijgesteld bij besluit …*)."""
    return next(
        (
            d
            for d in _after(edit, decisions, as_of, zone)
            if d.item_id == edit.item_id
            and d.kind is DecisionKind.SET_GEREED
            and not _same(d.gereed_after, edit.gereed_after)
        ),
        None,
    )


def _after(
    edit: DueChange, decisions: Iterable[Decision], as_of: date, zone: str
) -> list[Decision]:
    """The item's decisions taken after the edit and by ``as_of``, in the order taken."""
    day = _day(edit.recorded_at, zone)
    out = []
    for d in decisions:
        if d.item_id != edit.item_id or not day <= d.meeting_on <= as_of:
            continue
        if d.meeting_on == day and not _recorded_after(d, edit):
            continue
        out.append(d)
    return sorted(out, key=lambda d: (d.meeting_on, _instant(d.recorded_at), d.id or 0))


def _recorded_after(decision: Decision, edit: DueChange) -> bool:
    """Whether the decision was recorded after the edit; an unknown time (a decision built in
    code, an edit not synced yet) counts as after."""
    if decision.recorded_at is None or edit.recorded_at == datetime.min:
        return True
    return _instant(decision.recorded_at) > _instant(edit.recorded_at)


def _day(at: datetime, zone: str) -> date:
    """The day in ``zone`` of a recorded instant; an edit not synced yet has none (date.min)."""
    if at == datetime.min:
        return date.min
    return _instant(at).astimezone(ZoneInfo(zone)).date()


def _instant(at: datetime | None) -> datetime:
    """A recorded instant, aware (naive: UTC); None sorts first."""
    if at is None or at == datetime.min:
        return datetime.min.replace(tzinfo=UTC)
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def _same(a: str | None, b: str | None) -> bool:
    return (a or "").strip().casefold() == (b or "").strip().casefold()
