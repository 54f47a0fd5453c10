"""What the checks after parsing read of a plan file the parser refused
(governance.planfile.outline): so that they report in the same run, without knock-ons."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from governance.planfile import plan_outline, validate_plan_file

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = (ROOT / "docs" / "examples" / "eigen-programma.yaml").read_text(encoding="utf-8")
RULE = "rule: {every: quarter, weekday: donderdag, nth: 2, start: 2026-01-01}"
OWNERS = "owners: [PROV]"


def _outline(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    plan, problems = validate_plan_file(path)
    assert plan is None and problems
    return plan_outline(path, problems)


def test_a_problem_elsewhere_leaves_the_term_calendar_and_meetings(tmp_path: Path) -> None:
    text = EXAMPLE.replace(OWNERS, "owners: PROV", 1).replace(
        RULE, RULE.replace("}", "}\n      dates: [2026-02-30, 2026-03-07]")
    )
    outline = _outline(tmp_path, text)
    assert outline is not None
    assert (outline.programme.start, outline.programme.end) == (
        date(2026, 1, 1),
        date(2029, 12, 31),
    )
    assert outline.calendar.holidays_country == "NL"
    (meetings,) = [b.meetings for b in outline.governance if b.meetings]
    assert meetings.rule is not None
    assert meetings.dates == (date(2026, 3, 7),)  # the wrong date is left out, not the others


def test_a_rule_with_a_problem_is_left_out(tmp_path: Path) -> None:
    broken = RULE.replace("start: 2026-01-01", "start: 2026-01-01, except: [2026-02-30]")
    outline = _outline(tmp_path, EXAMPLE.replace(RULE, broken))
    assert outline is not None
    assert all(b.meetings is None or b.meetings.rule is None for b in outline.governance)


def test_a_wrong_term_or_calendar_leaves_nothing_to_check(tmp_path: Path) -> None:
    assert _outline(tmp_path, EXAMPLE.replace("end: 2029-12-31", "end: 2029-12-32")) is None
    wrong = EXAMPLE.replace("holidays_country: NL", "holidays_country: Nederland")
    assert _outline(tmp_path, wrong) is None


def test_without_meetings_the_calendar_is_still_there_for_its_own_check(tmp_path: Path) -> None:
    start = EXAMPLE.index("    meetings:")
    end = EXAMPLE.index("\n\n", start)
    text = (EXAMPLE[:start] + EXAMPLE[end:]).replace(OWNERS, "owners: PROV", 1)
    outline = _outline(tmp_path, text)
    assert outline is not None and not any(b.meetings for b in outline.governance)
