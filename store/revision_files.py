"""The ``revision`` and ``down_revision`` of a migration file, read without Alembic or ``ast``.

Every command checks that its database is current, from the migration files (importing
Alembic costs ≈ 0.2 s). ``ast.parse`` did that until CI caught CPython 3.11's AST constructor
failing in a Prefect flow run's thread ("SystemError: AST constructor recursion depth
mismatch"): its depth counter is shared by the interpreter's threads (CPython gh-106905), so
a parse in another thread can break ours whatever lock this module holds. The assignments
are module-level literals, read here as text: a string, ``None``, or a tuple or list of
strings (a merge), with or without an annotation (``revision: str = "0011"``).
"""

from __future__ import annotations

import re
from pathlib import Path

Value = str | tuple[str, ...] | None

#: ``name = value`` or ``name: annotation = value`` at the start of a line (module level).
_ASSIGNMENT = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)[ \t]*(?::[^=\n]*)?=[ \t]*"
    r"(?P<value>[^\n#]*?)[ \t]*(?:#.*)?$",
    re.MULTILINE,
)
_STRING = re.compile(r"""'([^'\\\n]*)'|"([^"\\\n]*)\"""")
#: A triple-quoted string (a docstring, a statement's SQL): its lines are not assignments.
_LONG_STRING = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'')


class UnreadableRevision(ValueError):
    """A revision assignment that is not one of the literals this reader knows."""


def assignments(path: Path, names: tuple[str, ...]) -> dict[str, Value]:
    """The module-level ``names`` assigned in ``path`` (the last assignment of each wins, as
    when the module runs); names not assigned are left out."""
    text = _LONG_STRING.sub('""', path.read_text(encoding="utf-8"))
    found: dict[str, Value] = {}
    for match in _ASSIGNMENT.finditer(text):
        name = match["name"]
        if name in names:
            found[name] = _literal(match["value"], path, name)
    return found


def _literal(text: str, path: Path, name: str) -> Value:
    if text == "None":
        return None
    single = _string(text)
    if single is not None:
        return single
    if len(text) >= 2 and (text[0], text[-1]) in {("(", ")"), ("[", "]")}:
        parts = [part.strip() for part in text[1:-1].split(",")]
        values = [_string(part) for part in parts if part]
        if all(value is not None for value in values):
            return tuple(value for value in values if value is not None)
    raise UnreadableRevision(f"{path}: {name} = {text}: not a string, None or a tuple of strings")


def _string(text: str) -> str | None:
    match = _STRING.fullmatch(text)
    if match is None:
        return None
    return match[1] if match[1] is not None else match[2]
