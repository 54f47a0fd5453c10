"""What a returned spreadsheet row is next to what is on record (pure; the caller reads).

- :func:`former_gereeds`: the *gereed* texts an item had before its present one, each with the
  change that replaced it (a stored ``set_gereed`` decision, a plan-file edit, or the plan
  file's ``gereed_original``). An update sheet made before such a change still shows the old
  text in its ``gereed (plan)`` column: that is the plan's doing, not an answer (walk56a 5).
- :func:`same_answer` / :func:`repeated_in`: a row that says what an update already on record
  for that item and day says (same author, status, dates, note): importing a corrected copy of
  a sheet does not record its unchanged rows twice (walk56a 4), nor overrule an owner's
  correction of such a row with the sheet's old answer (:func:`corrected_since`, review56 1).
- :func:`changed_answer`: the update of an earlier import a changed row changes (same item, day
  and author), whose correction it becomes when that update still sets the item's state, as
  an owner's *Wijzigen* does (:func:`governance.corrections.owner_corrects`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from governance.corrections import corrected_by
from governance.decisions import Decision, DecisionKind
from governance.updates import StatusUpdate

#: The source of an update `regie import-updates` recorded.
IMPORT_SOURCE = "import"
#: The text ``gereed_original`` holds for an item that had no date.
_NO_DATE = "geen datum"


@dataclass(frozen=True, slots=True)
class FormerGereed:
    """A *gereed* an item had (``text``) and what replaced it (``now``): by ``decision``, or
    by a plan-file edit recorded on ``edited_on`` (neither: the file's ``gereed_original``)."""

    text: str
    now: str | None
    decision: Decision | None = None
    edited_on: date | None = None


@dataclass(frozen=True, slots=True)
class GereedRevision:
    """A plan revision of an item's ``gereed`` text (``store.reports_read.plan_revisions``)."""

    code: str
    before: str | None
    after: str | None
    recorded_on: date


def former_gereeds(
    item_id: str,
    current: str | None,
    decisions: Iterable[Decision],
    revisions: Iterable[GereedRevision],
    original: str | None = None,
) -> list[FormerGereed]:
    """The item's earlier *gereed* texts, oldest change first, the present one left out. A
    decision's change is named by the decision; the plan revision it made is not listed twice."""
    out: list[FormerGereed] = []
    decided: set[tuple[str, str | None]] = set()
    for d in decisions:
        if d.item_id == item_id and d.kind is DecisionKind.SET_GEREED and d.gereed_before:
            out.append(FormerGereed(d.gereed_before, d.gereed_after, decision=d))
            decided.add((d.gereed_before, d.gereed_after))
    for r in revisions:
        if r.code == item_id and r.before and (r.before, r.after) not in decided:
            out.append(FormerGereed(r.before, r.after, edited_on=r.recorded_on))
    known = {f.text for f in out}
    if original and original != _NO_DATE and original not in known:
        out.insert(0, FormerGereed(original, current))
    return [f for f in out if f.text != current]


def same_answer(a: StatusUpdate, b: StatusUpdate) -> bool:
    """Whether two updates say the same about the same item for the same day, by one author."""
    return (
        a.item_id == b.item_id
        and a.reported_on == b.reported_on
        and (a.author or None) == (b.author or None)
        and a.status == b.status
        and a.forecast == b.forecast
        and a.completed_on == b.completed_on
        and (a.comment or None) == (b.comment or None)
    )


def repeated_in(update: StatusUpdate, history: Sequence[StatusUpdate]) -> StatusUpdate | None:
    """The update of ``history`` (the item's, oldest first) that ``update`` repeats: the same
    answer, not corrected since (a corrected answer no longer stands: a sheet saying it again
    changes its own later correction back), or else the same answer corrected since from
    outside the imports (:func:`corrected_since`: the sheet's old row does not overrule an
    owner's correction). None when there is none."""
    corrected = corrected_by(history)
    same = [u for u in history if same_answer(update, u)]
    standing = next((u for u in same if u.id not in corrected), None)
    if standing is not None:
        return standing
    return next((u for u in same if corrected_since(u, history) is not None), None)


def corrected_since(update: StatusUpdate, history: Sequence[StatusUpdate]) -> StatusUpdate | None:
    """The first correction in ``update``'s chain of corrections (``history``: the item's
    updates) that no import made: an owner's *Wijzigen*, `regie update --corrects`, the
    office's form. None when ``update`` was not corrected, or only by imports."""
    by = corrected_by(history)
    seen = {update.id}
    link = by.get(update.id) if update.id is not None else None
    while link is not None and link.id not in seen:
        if link.source != IMPORT_SOURCE:
            return link
        seen.add(link.id)
        link = by.get(link.id) if link.id is not None else None
    return None


def changed_answer(update: StatusUpdate, history: Sequence[StatusUpdate]) -> StatusUpdate | None:
    """The newest update of an earlier import about the same item and day by the same author
    that ``update`` differs from (the row a corrected sheet changes), None when there is none."""
    return next(
        (
            u
            for u in reversed(history)
            if u.source == IMPORT_SOURCE
            and u.reported_on == update.reported_on
            and (u.author or None) == (update.author or None)
            and not same_answer(update, u)
        ),
        None,
    )
