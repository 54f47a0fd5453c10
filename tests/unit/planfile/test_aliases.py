"""YAML aliases in the plan within bounds (security review, finding 9): a few aliases are fine,
a 470-byte alias bomb (ten levels) is refused at once at the alias that crosses the bound, as
PATH:LINE:COL, and so is an alias that contains itself (it was a RecursionError traceback)."""

from __future__ import annotations

import time
from pathlib import Path

from governance.planfile import validate_plan_file
from governance.planfile.aliases import MAX_ALIAS_NODES
from tests.conftest import SEED_PLAN

SEED = SEED_PLAN.read_text(encoding="utf-8")


def bomb(levels: int) -> str:
    """Each level lists the one before nine times: 9**levels nodes from a few hundred bytes."""
    lines = ["schema: 1", "x0: &a0 [lol,lol,lol,lol,lol,lol,lol,lol,lol]"]
    for n in range(1, levels):
        lines.append(f"x{n}: &a{n} [" + ",".join([f"*a{n - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_at_its_alias_at_once(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(bomb(10), encoding="utf-8")
    assert len(path.read_bytes()) < 500
    started = time.perf_counter()
    plan, problems = validate_plan_file(path)
    assert time.perf_counter() - started < 2  # 9**10 node visits before: minutes
    assert plan is None
    # Level 5 (line 7) is the first whose aliases stand for more than the bound; its first
    # alias is at column 10.
    assert [str(p) for p in problems] == [
        f"{path}:7:10: alias *a4 makes the aliases so far stand for 141,148 values, more than "
        f"the {MAX_ALIAS_NODES + 249:,} allowed here (nested aliases multiply): write the "
        "values out, or nest fewer aliases"
    ]


def test_an_alias_that_contains_itself_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "self.yaml"
    path.write_text("schema: 1\nx: &a [1, *a]\n", encoding="utf-8")
    plan, problems = validate_plan_file(path)
    assert plan is None
    assert [str(p) for p in problems] == [
        f"{path}:2:11: alias *a stands for a list or mapping that contains the alias itself: "
        "a plan cannot contain itself"
    ]


def test_a_plan_with_a_few_aliases_still_loads(tmp_path: Path) -> None:
    old = (
        "        title: Aansluiten bij convenanten, akkoorden en andere afsprakenkaders\n"
        "        owners: [IenM]\n"
    )
    new = old.replace("owners: [IenM]", "owners: &ienm [IenM]")
    later = "        title: Nieuwe bestuurlijke afspraken\n        owners: [IenM]\n"
    assert old in SEED and later in SEED
    text = SEED.replace(old, new, 1).replace(later, later.replace("[IenM]", "*ienm"), 1)
    path = tmp_path / "actions.yaml"
    path.write_text(text, encoding="utf-8")
    plan, problems = validate_plan_file(path)
    assert problems == [] and plan is not None
    action = plan.action("1.2")
    assert action is not None and action.owners == ("IenM",)


def test_a_bomb_just_within_the_bound_loads_quickly(tmp_path: Path) -> None:
    """Five levels: 9**5 = 59,049 nodes from aliases, under the bound: the plan's own problems
    (no programme, unknown keys) are reported, after well under a second."""
    path = tmp_path / "five.yaml"
    path.write_text(bomb(5), encoding="utf-8")
    started = time.perf_counter()
    plan, problems = validate_plan_file(path)
    assert time.perf_counter() - started < 2
    assert plan is None and any("unknown key 'x4'" in str(p) for p in problems)
