"""`regie plan validate` warns when the reminder settings escalate a silent overdue item before
its owner's first overdue prompt (walk49 3): one line at the setting, exit 0 like every warning."""

from __future__ import annotations

from pathlib import Path

from tests.cli_in_process import regie

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "eigen-programma.yaml"
SETTINGS = "  overdue_every_days: 10\n  escalate_after_overdue_days: 15"


def validate(tmp_path: Path, text: str) -> list[str]:
    plan = tmp_path / "plan.yaml"
    plan.write_text(text, "utf-8")
    env = {"REGIE_HOME": str(tmp_path / "home"), "REGIE_DATABASE_URL": "", "REGIE_CONTACTS": ""}
    result = regie("plan", "validate", str(plan), env=env)
    assert result.code == 0, result.err
    return [line for line in result.out.splitlines() if "warning: reminders:" in line]


def test_an_escalation_before_the_first_overdue_prompt_is_warned_of(tmp_path: Path) -> None:
    text = EXAMPLE.read_text("utf-8")
    assert SETTINGS in text
    line = text[: text.index(SETTINGS)].count("\n") + 2  # the escalate_after_overdue_days line
    early = text.replace(SETTINGS, "  overdue_every_days: 7\n  escalate_after_overdue_days: 6")
    assert validate(tmp_path, early) == [
        f"{tmp_path / 'plan.yaml'}:{line}:32: warning: reminders: a silent overdue item "
        "escalates 6 working days after its due date (escalate_after_overdue_days 6), before "
        "its owner's first overdue reminder 7 working days after it (overdue_every_days 7) "
        "could be answered: make escalate_after_overdue_days more than overdue_every_days"
    ]
    # Not given: the warning points at the reminders mapping (the default 10 on the same day).
    default = text.replace(SETTINGS, "  overdue_every_days: 10")
    (warned,) = validate(tmp_path, default)
    assert ":21:3: warning: reminders: a silent overdue item escalates 10 working days" in warned
    assert "(escalate_after_overdue_days (10, the default))" in warned, warned
    # One unanswered prompt (the due date's) escalates after the grace (review49b 2, 3).
    one = text.replace(SETTINGS, SETTINGS + "\n  escalate_after_unanswered: 1")
    (unanswered,) = validate(tmp_path, one)
    assert unanswered.endswith(
        "a silent overdue item escalates 5 working days after its due date "
        "(escalate_after_unanswered 1, unanswered_grace_days (5, the default)), before its "
        "owner's first overdue reminder 10 working days after it (overdue_every_days 10) could "
        "be answered: make escalate_after_unanswered 2 or more, or unanswered_grace_days more "
        "than overdue_every_days"
    ), unanswered
    fast = text.replace(SETTINGS, "  overdue_every_days: 1\n  escalate_after_overdue_days: 0")
    (singular,) = validate(tmp_path, fast)
    assert "escalates 1 working day after its due date (escalate_after_overdue_days 0)" in (
        singular
    ), singular
    assert "reminder 1 working day after it (overdue_every_days 1)" in singular, singular
    assert validate(tmp_path, text) == []  # the example's own settings: no warning
