"""``regie decision add --corrects N``: the decision recorded wrongly that a new one corrects
(walk56d 3, a mistyped date in the minutes), checked before anything is written.

Both stay recorded (``decision_corrections``, migration 0039); the plan's date is set again
from the one before the meeting (the corrected decision's ``gereed_before``), and the views
read the correction in its place (:mod:`governance.decision_corrections`)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from regie.bootstrap import App
from regie.errors import InvalidInput

if TYPE_CHECKING:
    from governance.decisions import Decision


def corrected_decision(
    app: App,
    corrects: int,
    body_id: str,
    meeting_on: date,
    item_id: str | None,
    *,
    dated: bool,
    other: bool,
) -> Decision:
    """The decision ``corrects`` names, refused (one line, nothing written) unless it is one
    of the same body, meeting and item, of the same sort (a date moved: ``dated``; else text
    only), not corrected yet and the latest about its item; ``other``: the new one drops,
    restores, adds or approves (never a correction)."""
    from governance.decisions import DecisionKind, restores
    from store.reports_repo import ReportsRepository

    flag = f"--corrects {corrects}"
    if other:
        raise InvalidInput(
            f"{flag}: a correction gives the right date (--set-gereed) or text; a drop, a "
            "restore, an addition or an approval is not corrected (record a decision of its own)"
        )
    with app.session() as session:
        found = ReportsRepository(session, app.programme_id()).decisions()
    wrong = next((d for d in found if d.id == corrects), None)
    if wrong is None:
        raise InvalidInput(f"{flag}: no decision {corrects} (see `regie decision list`)")
    if (wrong.body_id, wrong.meeting_on) != (body_id, meeting_on):
        raise InvalidInput(
            f"{flag}: decision {corrects} is of {wrong.body_id} {wrong.meeting_on}; a "
            "correction is recorded for the same body and meeting"
        )
    if wrong.item_id != item_id:
        about = f"about {wrong.item_id}" if wrong.item_id else "about no item"
        raise InvalidInput(f"{flag}: decision {corrects} is {about}; give the same item")
    again = next((d for d in found if d.corrects == corrects), None)
    if again is not None:
        raise InvalidInput(
            f"{flag}: decision {corrects} is corrected already by decision {again.id}; "
            f"correct that one (--corrects {again.id})"
        )
    moved = wrong.kind is DecisionKind.SET_GEREED
    if (
        wrong.kind is DecisionKind.CANCEL
        or wrong.adds
        or wrong.approves
        or wrong in restores(found)
    ):
        raise InvalidInput(
            f"{flag}: decision {corrects} drops, restores, adds or approves; that is not "
            "corrected (record a decision of its own: --restore, --cancel)"
        )
    if moved != dated:
        give = f"--set-gereed {item_id} TEXT" if moved else "no --set-gereed"
        raise InvalidInput(
            f"{flag}: decision {corrects} {'moved a date' if moved else 'moved no date'}; "
            f"its correction gives {give}"
        )
    later = [d.id for d in found if item_id and d.item_id == item_id and (d.id or 0) > corrects]
    if later:
        raise InvalidInput(
            f"{flag}: decision {later[-1]} about {item_id} came after it; correct the latest"
        )
    return wrong
