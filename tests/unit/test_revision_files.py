"""Migration revisions read as text (store.revision_files): what Python itself would assign."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from store import db
from store.revision_files import UnreadableRevision, assignments

NAMES = ("revision", "down_revision")


def _python_says(path: Path) -> dict[str, object]:
    """The module-level values as Python's own parser reads them (the reference)."""
    found: dict[str, object] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id in NAMES:
            literal = ast.literal_eval(value)
            found[target.id] = tuple(literal) if isinstance(literal, list) else literal
    return found


def test_every_shipped_migration_reads_as_python_reads_it() -> None:
    paths = sorted((db.MIGRATIONS_DIR / "versions").glob("*.py"))
    assert len(paths) >= 11
    for path in paths:
        assert assignments(path, NAMES) == _python_says(path), path.name


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('revision: str = "0012"\ndown_revision: str | None = "0011"\n', ("0012", "0011")),
        ("revision = 'a1'\ndown_revision = None\n", ("a1", None)),
        ('revision = "m"  # a merge\ndown_revision = ("b", \'c\')\n', ("m", ("b", "c"))),
        ('revision = "m"\ndown_revision = ["b", "c",]\n', ("m", ("b", "c"))),
        ('revision = "first"\nrevision = "second"\ndown_revision = ()\n', ("second", ())),
    ],
)
def test_literals_as_python_assigns_them(
    tmp_path: Path, source: str, expected: tuple[object, object]
) -> None:
    path = tmp_path / "v.py"
    path.write_text(source)
    assert assignments(path, NAMES) == dict(zip(NAMES, expected, strict=True))
    assert assignments(path, NAMES) == _python_says(path)


def test_strings_and_indented_lines_are_not_assignments(tmp_path: Path) -> None:
    path = tmp_path / "v.py"
    path.write_text(
        '"""Rename things.\n\nrevision = "not-this"\n"""\n'
        'revision = "0005"\n'
        "def upgrade() -> None:\n"
        '    revision = "nor-this"\n'
        "    op.execute(\n"
        "        '''UPDATE t SET a = 1 WHERE b = 2;\n"
        'down_revision = "nor-this-sql"\n'
        "'''\n"
        "    )\n"
    )
    assert assignments(path, NAMES) == {"revision": "0005"} == _python_says(path)


def test_a_value_that_is_not_a_plain_literal_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "v.py"
    path.write_text('revision = "0005"\ndown_revision = PREVIOUS\n')
    with pytest.raises(UnreadableRevision, match=r"v\.py: down_revision = PREVIOUS"):
        assignments(path, NAMES)


def test_the_head_is_found_without_pythons_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """CPython 3.11's AST constructor is not safe beside another thread's parse (a Prefect
    flow run failed on it in CI): reading the revisions must not need it."""
    expected = db.head_revision()

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("ast.parse called")

    monkeypatch.setattr(ast, "parse", refuse)
    assert db.head_revision() == expected
    assert expected in db.known_revisions()
