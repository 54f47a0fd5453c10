"""The example plan a new programme starts from (docs/examples/eigen-programma.yaml, explained in
docs/new-programme.md) stays valid and runs: the guide's commands work on it as written, and
what it sends speaks of that programme only."""

from __future__ import annotations

import re
import shutil
from email import message_from_bytes, policy
from pathlib import Path

from tests.cli import ROOT
from tests.cli_in_process import regie

EXAMPLE = ROOT / "docs" / "examples" / "eigen-programma.yaml"
GUIDE = ROOT / "docs" / "new-programme.md"


def _env(tmp_path: Path) -> dict[str, str]:
    plan = tmp_path / "plan.yaml"
    shutil.copy(EXAMPLE, plan)
    return {"REGIE_HOME": str(tmp_path / "home"), "REGIE_PLAN": str(plan)}


def test_the_example_plan_validates(tmp_path: Path) -> None:
    result = regie("plan", "validate", env=_env(tmp_path))
    assert result.code == 0, result.err
    assert "OK — 2 steps, 4 actions, 4 milestones, 3 organisations" in result.out


def test_the_examples_meeting_dates_are_marked_until_replaced(tmp_path: Path) -> None:
    """Its made-up meeting dates are `example: true`: `plan validate` and `regie doctor` warn
    until the flag is removed (new programmes kept following the example's dates)."""
    env = _env(tmp_path)
    warning = "warning: governance body 'stuurgroep': its meetings are marked 'example: true'"
    result = regie("plan", "validate", env=env)
    assert result.code == 0 and warning in result.out, result
    doctor = regie("doctor", env=env)
    assert "meeting dates still marked 'example: true'" in doctor.out
    assert "stuurgroep" in doctor.out.split("meeting dates still marked", 1)[1]
    plan = tmp_path / "plan.yaml"
    text = plan.read_text("utf-8")
    plan.write_text(re.sub(r"\n +example: true[^\n]*(\n +#[^\n]*)*", "", text), "utf-8")
    assert "example" not in plan.read_text("utf-8").split("meetings:", 1)[1].split("reports:")[0]
    result = regie("plan", "validate", env=env)
    assert result.code == 0 and "warning" not in result.out, result
    assert "example: true" not in regie("doctor", env=env).out


def test_the_guide_names_the_example_and_its_first_commands() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    assert "docs/examples/eigen-programma.yaml" in text
    for command in ("regie plan validate", "regie sync", "regie cycle --dry-run", "regie user add"):
        assert command in text, command


def test_a_first_cycle_on_the_example_speaks_of_that_programme_only(tmp_path: Path) -> None:
    env = _env(tmp_path)
    dry = regie("cycle", "--as-of", "2026-10-01", "--dry-run", env=env)
    assert dry.code == 0, dry.err
    assert not (tmp_path / "home" / "outbox").exists()  # a dry run sends nothing
    run = regie("cycle", "--as-of", "2026-10-01", env=env)
    assert run.code == 0, run.err
    mails = sorted((tmp_path / "home" / "outbox").glob("*.eml"))
    assert mails, run.out
    for path in mails:
        mail = message_from_bytes(path.read_bytes(), policy=policy.default)
        assert "Schone Lucht" in mail["Subject"], mail["Subject"]  # reminders and packs alike
        body = mail.get_body(preferencelist=("plain",))
        assert body is not None
        text = str(body.get_content())
        for foreign in ("MVI", "Kamer", "Ministerie", "IenM", "Stuurgroep MVI"):
            assert foreign not in text, (path.name, foreign)
    # 1.1.1 (Q3-2026) is overdue on 1 October: its owner's contact is asked about it.
    assert any("1.1.1" in p.read_text(encoding="utf-8", errors="replace") for p in mails)
