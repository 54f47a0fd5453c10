"""The shipped plan names the body its escalation digests go to (docs/plan-schema.md,
"governance": ``escalations: true``), rather than leaving it to the guess from the body's name."""

from __future__ import annotations

from governance.planfile.load import load_plan
from governance.reminders import steering_body
from tests.conftest import SEED_PLAN


def test_the_shipped_plan_marks_the_stuurgroep_for_escalations() -> None:
    plan = load_plan(SEED_PLAN)
    assert [b.id for b in plan.governance if b.escalations] == ["stuurgroep"]
    body = steering_body(plan)
    assert body is not None and body.id == "stuurgroep"
