"""A problem line echoes at most 64 characters of a value from the file (an id of the longest
allowed length whole; anything longer cut off with '…'), so a 5000-digit step number or a pasted
page in a field still gives one readable line ``PATH:LINE:COL: message``."""

from __future__ import annotations

import re

import pytest
from ruamel.yaml import YAML
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from governance.planfile.load import PlanInvalid, parse_plan
from governance.planfile.nodes import MAX_ID
from tests.unit.planfile.plantext import FIXTURES, plan_text, problems

#: The most of a value a line echoes (governance.planfile.nodes.ECHO): an id of the longest
#: allowed length.
ECHO = MAX_ID
#: Far longer than any message with three echoed values.
LONGEST_LINE = 400
_LINE = re.compile(r"plan\.yaml(:[0-9]+:[0-9]+)?: \S")


def test_an_action_id_with_a_5000_digit_step_number() -> None:
    digits = "1" * 5000
    lines = problems(
        plan_text(f"""\
          - number: 1
            title: S
            actions:
              - id: "{digits}.1"
                title: A
                owners: [IenM]
                milestones: [{{id: "1.1.1", title: M}}]
        """)
    )
    cut = "1" * (ECHO - 1) + "…"
    assert lines == [
        f"plan.yaml:8:13: action id '{'1' * 20}…' is 5002 characters long: at most {MAX_ID}",
        f"plan.yaml:8:13: action id '{cut}' is under step 1: it must start with '1.'",
        f"plan.yaml:11:27: milestone id '1.1.1' must look like '{cut}.N' (it is under action "
        f"'{cut}')",
    ]


def test_a_5000_digit_step_number_and_a_long_unknown_period() -> None:
    text = "Najaar " + "x " * 3000
    lines = problems(
        plan_text(f"""\
          - number: {"9" * 4000}
            title: S
            actions: [{{id: "1.1", title: A, owners: [IenM], gereed: "{text}"}}]
        """)
    )
    assert lines[0] == f"plan.yaml:5:13: 'number' must be 1–999, not {'9' * (ECHO - 1)}…"
    assert lines[1] == (
        f"plan.yaml:7:61: 'gereed': unknown period: '{text[: ECHO - 1]}…' "
        "(forms: docs/plan-schema.md, Periods)"
    )


def test_an_id_of_the_longest_allowed_length_is_echoed_whole() -> None:
    longest = "x" * MAX_ID
    (line,) = problems(
        plan_text(after=f"reports: [{{id: r, title: T, recipient: K, action: {longest}}}]\n")
    )
    assert f"unknown action '{longest}' in 'action'" in line


def _scalars(node: Node) -> list[ScalarNode]:
    if isinstance(node, ScalarNode):
        return [node]
    if isinstance(node, MappingNode):
        return [s for k, v in node.value for s in (*_scalars(k), *_scalars(v))]
    if isinstance(node, SequenceNode):
        return [s for v in node.value for s in _scalars(v)]
    return []


LONG_VALUES = {
    "id-like": '"' + "1" * 5000 + '.1"',
    "number": "7" * 4000,
    "text": '"' + "Najaar x " * 600 + '"',
    "quotes": '"' + "'\\\"" * 2000 + '"',
}


@pytest.mark.parametrize("fixture", ["minimal.yaml", "second_programme.yaml", "answers.yaml"])
@pytest.mark.parametrize("value", list(LONG_VALUES), ids=list(LONG_VALUES))
def test_every_key_and_value_replaced_by_a_long_one_gives_short_lines(
    fixture: str, value: str
) -> None:
    """Each scalar of the fixture (keys too), one at a time, replaced by a very long value:
    whatever the checks say about it fits on a line and keeps its place."""
    text = (FIXTURES / fixture).read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    for node in _scalars(YAML(typ="safe", pure=True).compose(text)):
        start, end = node.start_mark, node.end_mark
        if start.line != end.line:
            continue
        row = lines[start.line]
        changed = row[: start.column] + LONG_VALUES[value] + row[end.column :]
        try:
            parse_plan(
                "".join([*lines[: start.line], changed, *lines[start.line + 1 :]]), "plan.yaml"
            )
        except PlanInvalid as exc:
            for problem in exc.problems:
                line = str(problem)
                assert len(line) <= LONGEST_LINE and "\n" not in line, line[:500]
                assert _LINE.match(line), line[:500]
