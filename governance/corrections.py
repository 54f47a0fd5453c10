"""Which update a correction may correct, and which update corrects which.

The rule (docs/answers.md, "Corrections"): a correction corrects the item's *latest* update,
the one that sets its state. It is a new update (the corrected one stays on record, marked)
that counts from its own ``reported_on`` on, so ``status --as-of`` a day before the correction
still shows the corrected answer, as it was known then, and any day from the correction on
shows the correction. An older update no longer sets the state: correcting it could only
rewrite history (or, read naively, overturn a later answer), so it is refused with the update
to correct instead. An update is corrected once: a further correction corrects the correction.

Pure: the caller passes the updates; nothing here reads a database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from governance.answers import FieldProblem, Problem
from governance.decisions import DECISION_SOURCE
from governance.updates import StatusUpdate

FIELD = "corrects"  # the answer's field a correction problem is about
REASON_FIELD = "note"  # a correction's reason is its note


def corrected_by(updates: Iterable[StatusUpdate]) -> dict[int, StatusUpdate]:
    """Corrected update id → the update that corrects it."""
    return {u.corrects: u for u in updates if u.corrects is not None}


def correction_problems(
    corrects: int,
    target: StatusUpdate | None,
    item_id: str,
    history: Sequence[StatusUpdate],
    reported_on: date,
) -> list[FieldProblem]:
    """What stands in the way of correcting update ``corrects`` (``target``: that update when
    the programme has it) with an update about ``item_id`` reported on ``reported_on``;
    ``history``: the item's updates, oldest first (as the assessment orders them)."""
    if target is None:
        return [
            _problem(
                Problem.CORRECTS_UNKNOWN, f"no update {corrects} in this programme", update=corrects
            )
        ]
    if target.item_id != item_id:
        return [
            _problem(
                Problem.CORRECTS_OTHER_ITEM,
                f"update {corrects} is about {target.item_id}, not {item_id}",
                update=corrects,
                item=target.item_id,
            )
        ]
    if target.source == DECISION_SOURCE:
        return [
            _problem(
                Problem.CORRECTS_DECISION,
                f"update {corrects} records a decision of {target.author} "
                f"({target.reported_on}): a decision is changed by a new one "
                "(`regie decision add`)",
                update=corrects,
                body=target.author,
                on=target.reported_on,
            )
        ]
    by = corrected_by(history).get(corrects)
    if by is not None:
        return [
            _problem(
                Problem.CORRECTS_CORRECTED,
                f"update {corrects} was already corrected by update {by.id} "
                f"({by.reported_on}): correct that one, update {by.id}",
                update=corrects,
                by=by.id,
                on=by.reported_on,
            )
        ]
    latest = history[-1] if history else None
    if latest is not None and latest.id != corrects:
        return [
            _problem(
                Problem.CORRECTS_NOT_LATEST,
                f"update {corrects} is not the item's latest update: update {latest.id} "
                f"({latest.reported_on}) came after it and sets the state: correct update "
                f"{latest.id} or record a new update",
                update=corrects,
                latest=latest.id,
                on=latest.reported_on,
            )
        ]
    if reported_on < target.reported_on:
        return [
            _problem(
                Problem.CORRECTS_LATER,
                f"update {corrects} is of {target.reported_on}, after this correction's day "
                f"{reported_on}: a correction counts from its own day on",
                update=corrects,
                on=target.reported_on,
            )
        ]
    return []


def owner_corrects(answered: int, history: Sequence[StatusUpdate]) -> int | None:
    """The update an owner's "Wijzigen" of their answer ``answered`` corrects: that answer or,
    when it was corrected since (a second "Wijzigen"), the chain's newest link; None when that
    is no longer the item's latest update (someone answered since: the owner's change is then
    a new update, as any other)."""
    by = corrected_by(history)
    tip = answered
    seen = {tip}
    while tip in by and (following := by[tip].id) is not None and following not in seen:
        tip = following
        seen.add(tip)
    latest = history[-1] if history else None
    return tip if latest is not None and latest.id == tip else None


def reason_problem(note: str | None) -> FieldProblem | None:
    """A correction needs a reason (its note): the pack, the report and the item page show
    why the answer changed."""
    if note is not None and note.strip():
        return None
    return FieldProblem(REASON_FIELD, Problem.REASON_MISSING, "a correction needs a reason")


def _problem(code: Problem, en: str, **values: object) -> FieldProblem:
    shown: Mapping[str, object] = {k: v for k, v in values.items() if v is not None}
    return FieldProblem(FIELD, code, en, shown)
