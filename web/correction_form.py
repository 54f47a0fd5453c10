"""The item page's "Corrigeren" form: what it shows (web.corrections stores what it posts)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from governance.updates import StatusUpdate

#: The statuses the form offers (the office may also record vervallen).
STATUSES = ("on_track", "at_risk", "done", "cancelled")
#: The form's fields in the order an error summary lists them.
FIELDS = ("status", "forecast", "completed_on", "note", "corrects")


@dataclass(frozen=True, slots=True)
class CorrectionForm:
    """What the "Corrigeren" form shows: the update it corrects, the values (as typed, or the
    corrected update's to start from) and the errors per field (Dutch sentences)."""

    corrects: int
    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)


def start_form(latest: StatusUpdate | None) -> CorrectionForm | None:
    """The form for the item's latest update (None: nothing to correct), its values filled in
    from that update except the reason, which is the correction's own."""
    from governance.decisions import DECISION_SOURCE

    # A decision's update is changed by a new decision, not corrected here.
    if latest is None or latest.id is None or latest.source == DECISION_SOURCE:
        return None
    values = {
        "status": latest.status.value,
        "forecast": latest.forecast.isoformat() if latest.forecast else "",
        "completed_on": latest.completed_on.isoformat() if latest.completed_on else "",
        "note": "",
    }
    return CorrectionForm(latest.id, values)
