"""Properties of the whole pipeline: random bytes, YAML-ish text and mutated valid plans give a
plan or well-formed problems, never anything else."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from governance.planfile.load import PlanInvalid, parse_plan, validate_plan_file
from tests.unit.planfile.plantext import MINIMAL


def _assert_well_formed(exc: PlanInvalid, text: str) -> None:
    lines = text.count("\n") + 2
    assert exc.problems, "PlanInvalid without problems"
    for p in exc.problems:
        assert p.path == "fuzz.yaml" and p.message and "\n" not in str(p)
        assert 0 <= p.line <= lines
    assert exc.problems == sorted(exc.problems, key=lambda p: (p.line, p.col))


# deadline=None: examples are judged by what they return, never by how long they take (a loaded
# CI machine made the default 200 ms deadline fail at random).
@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=300))
def test_random_bytes_never_raise_anything_but_plan_invalid(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(data)
    plan_, found = validate_plan_file(path)
    assert (plan_ is None) == bool(found)


YAMLISH = st.lists(
    st.sampled_from(
        [*" \n\t-:[]{},'\"#&*!|>%@`?~.0123456789abcxyzQ", "idem", "steps", "id", "\n  - "]
    ),
    max_size=120,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=YAMLISH)
def test_random_yamlish_text_never_raises_anything_but_plan_invalid(text: str) -> None:
    try:
        parse_plan(text, "fuzz.yaml")
    except PlanInvalid as exc:
        _assert_well_formed(exc, text)


_SEED = YAML(typ="safe").load(MINIMAL.read_text())


_JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3000),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(),
    st.sampled_from(["", "idem", "Q3-2015", "Afhankelijk van x", "1.1", "1.1.1", "IenM", "x"]),
    st.lists(st.sampled_from(["IenM", "1.1", "1.2.1", "", "zz"]), max_size=3),
    st.dictionaries(st.sampled_from(["id", "title", "gereed", "owners", "x"]), st.none()),
)


def _mutate(node: object, draw: st.DrawFn, depth: int = 0) -> object:
    """Replace, drop or add one thing somewhere in a (copy of a) valid plan."""
    if isinstance(node, dict) and node:
        node = dict(node)
        key = draw(st.sampled_from(sorted(node)))
        action = draw(st.sampled_from(["descend", "replace", "drop", "add"]))
        if action == "descend":
            node[key] = _mutate(node[key], draw, depth + 1)
        elif action == "replace":
            node[key] = draw(_JUNK)
        elif action == "drop":
            del node[key]
        else:
            node[draw(st.sampled_from(["owners", "depends_on", "gereed", "idd"]))] = draw(_JUNK)
        return node
    if isinstance(node, list) and node:
        node = list(node)
        i = draw(st.integers(0, len(node) - 1))
        action = draw(st.sampled_from(["descend", "replace", "duplicate", "drop"]))
        if action == "descend":
            node[i] = _mutate(node[i], draw, depth + 1)
        elif action == "replace":
            node[i] = draw(_JUNK)
        elif action == "duplicate":
            node.insert(i, node[i])
        else:
            del node[i]
        return node
    return draw(_JUNK)


@st.composite
def mutated_plans(draw: st.DrawFn) -> str:
    plan_: object = _SEED
    for _ in range(draw(st.integers(1, 4))):
        plan_ = _mutate(plan_, draw)
    yaml = YAML(typ="safe")
    yaml.default_flow_style = draw(st.booleans())
    from io import StringIO

    out = StringIO()
    yaml.dump(plan_, out)
    return out.getvalue()


@settings(max_examples=300, deadline=None)
@given(text=mutated_plans())
def test_mutated_plans_give_a_plan_or_well_formed_problems(text: str) -> None:
    try:
        p = parse_plan(text, "fuzz.yaml")
    except PlanInvalid as exc:
        _assert_well_formed(exc, text)
    else:
        assert p.to_json()["programme"]["id"]
