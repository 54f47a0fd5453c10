"""The audit log's record of a recorded decision (shared by :mod:`regie.decisions` and
:mod:`regie.decision_adds`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from governance.decisions import Decision


def recorded(
    session: Any,
    programme_id: str,
    stored: Decision,
    dropped: tuple[str, ...],
    revisions: list[int],
    revived: tuple[str, ...] = (),
) -> None:
    """The audit log's event of a recorded decision: who recorded it (store.actor), the items
    it cancelled or restored and the plan revisions it made (their ids in ``plan_revisions``)."""
    from regie.services import utcnow
    from store.audit import record_action

    record_action(
        session, programme_id, DECISION_RECORDED, now=utcnow(), occurred_on=stored.meeting_on,
        item=stored.item_id, key=str(stored.id),
        payload={"decision_id": stored.id, "body": stored.body_id, "kind": stored.kind.value,
                 "text": stored.text, "gereed_before": stored.gereed_before,
                 "gereed_after": stored.gereed_after, "cancelled": list(dropped),
                 "restored": list(revived), "plan_revisions": revisions},
    )  # fmt: skip


DECISION_RECORDED = "regie.decision.recorded"
