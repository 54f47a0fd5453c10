"""Plan-file text that would read differently or break a header is refused (issue #7 §6)."""

from __future__ import annotations

from pathlib import Path

import pytest

from governance.planfile import validate_plan_file
from tests.conftest import SEED_PLAN

SEED = SEED_PLAN.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        (
            "    name: Programmabureau MVI (voorbeeld)\n",
            "    name: >\n      Programmabureau MVI\n",
            116,
            "'name' must be one line, but contains a line break (a folded '>' keeps one",
        ),
        (
            "    email: programmabureau-mvi@example.org\n",
            "    email: programmabureau-mvi at example.org\n",
            118,
            "is not an e-mail address",
        ),
        (
            "    name: Programmabureau MVI (voorbeeld)\n",
            "    name: Programmabureau \u202eIVM (voorbeeld)\n",
            116,
            "U+202E",
        ),
    ],
)
def test_unsafe_text_is_refused_at_its_place(
    tmp_path: Path, old: str, new: str, line: int, message: str
) -> None:
    assert old in SEED
    path = tmp_path / "actions.yaml"
    path.write_text(SEED.replace(old, new, 1), encoding="utf-8")
    _, problems = validate_plan_file(path)
    texts = [str(p) for p in problems]
    assert any(t.startswith(f"{path}:{line}:") and message in t for t in texts), texts


def test_the_seed_plan_is_safe() -> None:
    _, problems = validate_plan_file(SEED_PLAN)
    assert problems == []


@pytest.mark.parametrize(
    "text",
    [
        "schema: 1\nprogramme: [\n",
        "schema: 1\n  programme: x\n",
        "schema: 1\nname: 'unterminated\n",
        "schema: 1\nprogramme:\n  id: x\n- a\n",
        "schema: 1\nx: *nope\n",
        "schema: 1\n\tprogramme: x\n",
        "schema: 1\nprogramme:\n  id: x\n  title: !!binary aGVsbG8=\n",
    ],
)
def test_yaml_problems_are_said_in_plain_words(tmp_path: Path, text: str) -> None:
    """No parser token names, Python tuples or tag URIs (issue #7 §6)."""
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    _, problems = validate_plan_file(path)
    assert problems
    for problem in map(str, problems):
        assert problem.startswith(f"{path}:")
        for jargon in ("<block", "<document", "('", "tag:yaml.org", "scalar", "token"):
            assert jargon not in problem, problem
