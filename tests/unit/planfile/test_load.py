"""Reading a plan file (governance/planfile/load.py): missing, a directory, binary, encodings,
empty, YAML syntax, the top-level shape; problems as ``PATH:LINE:COL: message`` in file order."""

from __future__ import annotations

from pathlib import Path

import pytest

from governance.planfile.load import PlanInvalid, Problem, load_plan, validate_plan_file
from tests.unit.planfile.plantext import FIXTURES, MINIMAL, problems


def test_validate_plan_file_good(tmp_path: Path) -> None:
    path = tmp_path / "actions.yaml"
    path.write_text(MINIMAL.read_text(), encoding="utf-8")
    p, found = validate_plan_file(path)
    assert found == [] and p is not None and p.path == str(path)


def test_problem_str() -> None:
    assert str(Problem("a.yaml", 3, 7, "bad")) == "a.yaml:3:7: bad"
    assert str(Problem("a.yaml", 0, 0, "no such file")) == "a.yaml: no such file"


def test_many_problems_in_one_file_are_reported_in_file_order() -> None:
    p, found = validate_plan_file(FIXTURES / "many_problems.yaml")
    assert p is None
    path = str(FIXTURES / "many_problems.yaml")
    lines = [str(x) for x in found]
    assert lines[:4] == [
        f"{path}:3:7: programme id 'MVI 2015' may only contain a-z, 0-9 and '-'"
        " (e.g. 'mvi-2015-2020')",
        f"{path}:12:9: missing required key 'owners' in action '2.1'",
        f"{path}:12:13: action id '2.1' is under step 1: it must start with '1.'",
        f"{path}:14:9: unknown key 'ownres' in action '2.1' (did you mean 'owners'?)",
    ]
    assert lines[4].startswith(f"{path}:15:17: 'gereed': ") and "'Q5-2015'" in lines[4]
    assert lines[5:] == [
        f"{path}:19:21: 'idem' has no row above to copy:"
        " this is the first milestone of action '2.1'",
        f"{path}:20:22: unknown organisation 'IenN' in 'owners' (did you mean 'IenM'?)",
    ]
    assert found == sorted(found, key=lambda x: (x.line, x.col))


def only_problem(path: Path) -> str:
    with pytest.raises(PlanInvalid) as info:
        load_plan(path)
    plan_, found = validate_plan_file(path)
    assert plan_ is None and found == info.value.problems
    assert len(found) == 1
    return str(found[0])


def test_missing_file(tmp_path: Path) -> None:
    assert only_problem(tmp_path / "nope.yaml") == f"{tmp_path / 'nope.yaml'}: no such file"


def test_directory(tmp_path: Path) -> None:
    assert only_problem(tmp_path) == f"{tmp_path}: is a directory, not a plan file"


def test_binary(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"schema: 1\n\x00\x01\x02")
    assert only_problem(path) == f"{path}: is not a text file (it contains NUL bytes)"


def test_utf16(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("schema: 1\n", encoding="utf-16")
    assert only_problem(path) == f"{path}: is UTF-16 encoded: save it as UTF-8"


def test_not_utf8_names_the_first_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes("schema: 1\ntitle: Café é\n".encode("latin-1"))
    assert only_problem(path) == (
        f"{path}:2:11: is not valid UTF-8 (byte 0xe9): save the file as UTF-8"
    )


def test_utf8_with_bom_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.read_bytes())
    assert load_plan(path).programme.id == "mvi-test"


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n"])
def test_empty(text: str) -> None:
    assert problems(text) == [
        "plan.yaml: is empty: a plan needs schema, programme, organisations and steps"
    ]


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("schema: 1\nprogramme: [\n", "3:1"),
        ("schema: 1\n  programme: x\n", "2:12"),
        ("schema: 1\nname: 'unterminated\n", "3:1"),
        ("schema: 1\n---\nschema: 2\n", "2:1"),
        ("schema: 1\nx: *nope\n", "2:4"),
        ("schema: 1\n\tprogramme: x\n", "2:1"),
    ],
)
def test_yaml_syntax_errors_use_the_problem_mark(text: str, position: str) -> None:
    (found,) = problems(text)
    assert found.startswith(f"plan.yaml:{position}: YAML syntax error: ")


@pytest.mark.parametrize(
    ("text", "opened"),
    [
        ("schema: 1\nprogramme:\n  title: [a, b\n  id: x\n", "(the '[' opened at plan.yaml:3:10)"),
        ("schema: 1\nname: {a: b\n", "(the '{' opened at plan.yaml:2:7)"),
        ("schema: 1\nname: 'unterminated\n", "(the single quote opened at plan.yaml:2:7)"),
    ],
)
def test_an_unclosed_bracket_or_quote_says_where_it_opened(text: str, opened: str) -> None:
    """The parser notices an unclosed '[' lines later: the line also names where it opened."""
    (found,) = problems(text)
    assert found.endswith(opened), found


def test_an_indentation_error_names_no_opening() -> None:
    (found,) = problems("schema: 1\na:\n  b: c\n d: e\n")
    assert "opened at" not in found


def test_control_character() -> None:
    assert problems("schema: 1\nx: a\x07b\n") == [
        "plan.yaml:2:5: character U+0007 is not allowed in YAML"
    ]


@pytest.mark.parametrize(
    ("text", "described"),
    [("- a\n- b\n", "a list"), ("just text\n", "the text 'just text'"), ("42\n", "the number 42")],
)
def test_top_level_must_be_a_mapping(text: str, described: str) -> None:
    assert problems(text) == [
        "plan.yaml:1:1: the plan must be a mapping with the keys schema, programme,"
        f" organisations and steps, not {described}"
    ]
