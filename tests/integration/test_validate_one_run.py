"""`regie plan validate` reports every problem of a plan file in one run (docs/plan-schema.md):
the checks made once the plan is built (meetings on days off, an unknown holidays country)
report with the parser's problems, in file order, as PATH:LINE:COL, exit 2."""

from __future__ import annotations

from pathlib import Path

from tests.cli import Result
from tests.cli_in_process import regie

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "eigen-programma.yaml"
RULE = "rule: {every: quarter, weekday: donderdag, nth: 2, start: 2026-01-01}"
# The first Monday of every month: 6 April 2026 is Easter Monday (in Dutch: 'maand').
ON_HOLIDAYS = "rule: {every: maand, weekday: maandag, nth: 1, start: 2026-01-01}"
OWNERS = "owners: [PROV]"


def _validate(tmp_path: Path, text: str) -> Result:
    plan = tmp_path / "plan.yaml"
    plan.write_text(text, encoding="utf-8")
    env = {"REGIE_HOME": str(tmp_path / "home"), "REGIE_PLAN": str(plan)}
    return regie("plan", "validate", env=env)


def _line(text: str, part: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if part in line)


def test_meetings_on_holidays_are_reported_with_the_other_problems(tmp_path: Path) -> None:
    example = EXAMPLE.read_text(encoding="utf-8")
    assert RULE in example and OWNERS in example
    text = example.replace(RULE, ON_HOLIDAYS).replace(OWNERS, "owners: PROV", 1)
    result = _validate(tmp_path, text)
    assert result.code == 2, result
    lines = result.err.strip().splitlines()
    plan = tmp_path / "plan.yaml"
    rule_at, owners_at = _line(text, ON_HOLIDAYS), _line(text, "owners: PROV")
    assert rule_at < owners_at
    assert lines[0].startswith(f"{plan}:{rule_at}:")
    assert "the meeting rule gives 2026-04-06, a public holiday" in lines[0]
    assert lines[-1].startswith(f"{plan}:{owners_at}:")
    assert "'owners' must be a list" in lines[-1]
    # Fixed the owners, the same meeting problems and nothing else: one run said it all.
    again = _validate(tmp_path, example.replace(RULE, ON_HOLIDAYS))
    assert again.code == 2 and again.err.strip().splitlines() == lines[:-1]


def test_a_broken_rule_or_term_adds_no_knock_on_day_off(tmp_path: Path) -> None:
    """A rule with a problem of its own, or a programme end that is wrong, is not checked for
    days off: what it would give is a guess."""
    example = EXAMPLE.read_text(encoding="utf-8")
    broken = ON_HOLIDAYS.replace("start: 2026-01-01", "start: 2026-01-01, except: [2026-02-30]")
    result = _validate(tmp_path, example.replace(RULE, broken))
    assert result.code == 2
    assert "no such date" in result.err and "public holiday" not in result.err
    no_end = example.replace(RULE, ON_HOLIDAYS).replace("end: 2029-12-31", "end: 2029-12-32")
    result = _validate(tmp_path, no_end)
    assert result.code == 2
    assert "no such date" in result.err and "public holiday" not in result.err


def test_an_unknown_holidays_country_is_reported_with_the_other_problems(tmp_path: Path) -> None:
    example = EXAMPLE.read_text(encoding="utf-8")
    assert "holidays_country: NL" in example
    text = example.replace("holidays_country: NL", "holidays_country: XX").replace(
        OWNERS, "owners: PROV", 1
    )
    result = _validate(tmp_path, text)
    assert result.code == 2
    assert "no public holidays are known for that country code" in result.err
    assert "'owners' must be a list" in result.err
