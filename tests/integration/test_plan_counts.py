"""`regie plan validate` and `regie doctor` count a plan's parts in English that agrees with
the number: "1 step", not "1 steps" (walk56c 7)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_in_process import regie

MINIMAL = Path(__file__).resolve().parent.parent / "fixtures" / "plans" / "minimal.yaml"
SECOND_STEP = "  - number: 2\n    title: Leeg\n    actions: []\n"


def test_one_step_is_one_step(regie_home: Path, tmp_path: Path) -> None:
    text = MINIMAL.read_text("utf-8")
    assert text.endswith(SECOND_STEP)
    plan = tmp_path / "plan.yaml"
    plan.write_text(text.removesuffix(SECOND_STEP), "utf-8")
    env = {"REGIE_PLAN": str(plan)}
    valid = regie("plan", "validate", env=env)
    assert valid.code == 0, valid.err
    assert f"{plan}: OK — 1 step, 2 actions, 5 milestones, 3 organisations" in valid.out
    checks = {c["check"]: c["detail"] for c in json.loads(regie("doctor", "--format", "json",
                                                                 env=env).out)}  # fmt: skip
    assert checks["plan"].startswith(
        f"{plan}: valid (1 step, 2 actions, 5 milestones, 3 organisations)"
    ), checks["plan"]
