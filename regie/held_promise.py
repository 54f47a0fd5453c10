"""The promise an item is held to when its date was moved in the plan file without a decision
(walk54 1): `regie decision add --set-gereed` keeps it as ``gereed_original``, also when the
file already holds the new date (the sync's warning advises ratifying a hand edit so)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from governance.plan import Plan
    from regie.bootstrap import App

#: The text ``gereed_original`` takes for an item that had no date.
NO_DATE = "geen datum"


def held_promise(app: App, plan: Plan, item_id: str) -> str | None:
    """The gereed before the first of the item's date moves made without a decision since the
    last move a decision made: in the synced revisions (:func:`governance.provenance.
    undecided_run`), else in the file against the synced plan (an edit not synced yet). None:
    no such move, or one away from an ``idem`` row whose copied text the synced plan does not
    give (the caller's promise stands); an ``idem`` row's is the text it copied in the synced
    plan (:func:`governance.decisions.promise_with`); :data:`NO_DATE` for an item that had no
    date."""
    from governance.decisions import is_idem, promise_with
    from governance.provenance import RevisionFact, due_changes, file_edits, undecided_run
    from store import reports_read
    from store.due_dates import stored_on

    programme = plan.programme.id
    with app.reading() as connection:
        revisions = [
            RevisionFact(*row) for row in reports_read.plan_revisions(connection, programme)
        ]
        decisions = reports_read.decisions(connection, programme)
        synced = stored_on(connection, programme)
    run = undecided_run(due_changes(revisions, decisions), item_id)
    run += [c for c in file_edits(plan, synced.stored, synced.decided) if c.item_id == item_id]
    if not run:
        return None
    before = run[0].gereed_before
    if is_idem(before):
        # An ``idem`` row's promise is the text it copied in the synced plan (review54 1): the
        # file's row no longer copies anything once its date was edited by hand.
        texts = {code: gereed for code, (gereed, _) in synced.stored.items()}
        before = promise_with(plan, item_id, {**texts, item_id: before})
        if before is None:
            return None  # nothing to follow: the caller's promise stands
    return before or NO_DATE
