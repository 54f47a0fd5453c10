"""Load ``plan/actions.yaml`` into a validated :class:`Plan`, or say everything that is wrong.

Every problem is one line ``PATH:LINE:COL: message`` (1-based); problems about the file as a
whole (missing, a directory, binary) have no position and read ``PATH: message``. Bad input
never raises anything but :class:`PlanInvalid` (or, from :func:`validate_plan_file`, nothing).

Reading the file is the one bit of I/O in ``governance``: :func:`load_plan` is a thin shell
around the pure :func:`parse_plan`.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import replace
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, SequenceNode
from ruamel.yaml.reader import ReaderError

from governance import parser_version
from governance.plan import Plan
from governance.planfile.aliases import AliasRefused, BoundedComposer
from governance.planfile.build import build_plan
from governance.planfile.idem import resolve_same_as
from governance.planfile.nodes import Problem, Problems, is_null
from governance.planfile.safety import check_text_safety
from governance.planfile.yaml_words import plain_yaml

__all__ = [
    "PlanInvalid",
    "Problem",
    "load_plan",
    "locate",
    "locate_all",
    "parse_plan",
    "plan_outline",
    "programme_named",
    "validate_plan_file",
]


#: Part of :attr:`Plan.source_hash` (defined in :mod:`governance.parser_version`).
PARSER_VERSION = parser_version.PARSER_VERSION


class PlanInvalid(Exception):
    """The plan file has problems; ``str()`` lists them all, one per line, in file order."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def parse_plan(text: str, path: str = "<plan>", *, accepted_by: int | None = None) -> Plan:
    """The plan in ``text``; ``path`` is only used to name the file in problems.

    ``accepted_by``: the parser version that accepted the text (a plan kept with an archived
    report): the checks added after it are not made (see ``governance.parser_version``). The
    hash is today's parser's either way."""
    problems = Problems(path)
    plan = _parse(text, problems, PARSER_VERSION if accepted_by is None else accepted_by)
    if plan is None or problems:
        raise PlanInvalid(problems.sorted())
    digest = hashlib.sha256(
        f"{PARSER_VERSION}\n{text}".encode("utf-8", "surrogatepass")
    ).hexdigest()
    # resolve_same_as is a no-op check here: the rows resolved ``idem`` already.
    return replace(resolve_same_as(plan), source_hash=digest)


def load_plan(path: str | os.PathLike[str]) -> Plan:
    """Read and parse the plan file at ``path`` (UTF-8)."""
    name = os.fspath(path)
    return parse_plan(_read(name), name)


def validate_plan_file(path: str | os.PathLike[str]) -> tuple[Plan | None, list[Problem]]:
    """``(plan, [])`` for a good file, else ``(None, problems)``; never raises for bad input."""
    try:
        return load_plan(path), []
    except PlanInvalid as exc:
        return None, exc.problems


def plan_outline(path: str | os.PathLike[str], problems: list[Problem]) -> Plan | None:
    """Of the plan file at ``path``, refused for ``problems``: what the checks made after
    parsing read, so that they report in the same run (:mod:`governance.planfile.outline`).
    None when the programme's term or the calendar cannot be told."""
    from governance.planfile.outline import outline_from_root

    name = os.fspath(path)
    try:
        root = _compose(_read(name), Problems(name))  # its own problems are among those
    except PlanInvalid:
        return None
    return outline_from_root(root, name, problems)


def locate(path: str | os.PathLike[str], keys: tuple[str | int, ...], message: str) -> Problem:
    """``message`` at the value ``keys`` lead to from the top of the plan file (e.g.
    ``("calendar", "holidays_country")``; an int is a list's index): for a fault found after
    parsing, when the value is first used. The whole file when the value is not there (any
    more)."""
    return locate_all(path, [(keys, message)])[0]


def locate_all(
    path: str | os.PathLike[str], faults: list[tuple[tuple[str | int, ...], str]]
) -> list[Problem]:
    """:func:`locate` for several faults, reading the file once."""
    name = os.fspath(path)
    top: Node | None
    try:
        top = _compose(_read(name), Problems(name))  # its own problems are not these
    except PlanInvalid:
        top = None
    out = []
    for keys, message in faults:
        node = _at(top, keys)
        if node is None:
            out.append(Problem(name, 0, 0, message))
        else:
            line, column = node.start_mark.line + 1, node.start_mark.column + 1
            out.append(Problem(name, line, column, message))
    return out


def programme_named(path: str | os.PathLike[str]) -> str | None:
    """The ``programme: id:`` text of the plan file at ``path``, whatever else in it is refused
    (a delivery command serves that programme of a shared database while the plan is being
    mended); None when the file cannot be read as YAML or names no id."""
    name = os.fspath(path)
    try:
        top = _compose(_read(name), Problems(name))
    except PlanInvalid:
        return None
    value = getattr(_at(top, ("programme", "id")), "value", None)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _at(top: Node | None, keys: tuple[str | int, ...]) -> Node | None:
    """The node ``keys`` lead to from ``top`` (an int is a list's index); None when not there."""
    node = top
    for key in keys:
        if isinstance(key, int) and isinstance(node, SequenceNode):
            node = node.value[key] if 0 <= key < len(node.value) else None
        elif isinstance(key, str) and isinstance(node, MappingNode):
            node = next((v for k, v in node.value if getattr(k, "value", None) == key), None)
        else:
            return None
        if node is None:
            return None
    return node


def _read(path: str) -> str:
    """The file's text, or PlanInvalid with one problem saying why it cannot be read."""
    problems = Problems(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        problems.add(None, "no such file")
    except IsADirectoryError:
        problems.add(None, "is a directory, not a plan file")
    except PermissionError:
        problems.add(None, "permission denied")
    except OSError as exc:
        problems.add(None, f"cannot be read: {exc.strerror or exc}")
    else:
        text = _decode(data, problems)
        if text is not None:
            return text
    raise PlanInvalid(problems.sorted())


def _decode(data: bytes, problems: Problems) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.add(None, "is UTF-16 encoded: save it as UTF-8")
        return None
    if b"\0" in data:
        problems.add(None, "is not a text file (it contains NUL bytes)")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line_start = before.rfind(b"\n") + 1
        col = len(before[line_start:].decode("utf-8-sig", errors="replace")) + 1
        problems.add_at(
            before.count(b"\n") + 1,
            col,
            f"is not valid UTF-8 (byte 0x{data[exc.start]:02x}): save the file as UTF-8",
        )
        return None


def _parse(text: str, problems: Problems, accepted_by: int) -> Plan | None:
    if "\0" in text:
        problems.add(None, "is not a text file (it contains NUL characters)")
        return None
    root = _compose(text, problems)
    if root is None or is_null(root):  # nothing, only comments, or a bare '---'
        if not problems:
            problems.add(None, "is empty: a plan needs schema, programme, organisations and steps")
        return None
    check_text_safety(root, problems, accepted_by)
    return build_plan(root, problems.path, problems, accepted_by)


def _compose(text: str, problems: Problems) -> Node | None:
    """The YAML node tree (not constructed objects: nodes keep duplicate keys, source text and
    positions). Syntax errors become a problem at ruamel's problem mark."""
    try:
        # The pure safe loader: the round-trip scanner marks folds in '>' scalars with '\a'.
        # Its composer refuses alias bombs (governance/planfile/aliases.py).
        yaml = YAML(typ="safe", pure=True)
        yaml.Composer = BoundedComposer
        node: Node | None = yaml.compose(text)
    except AliasRefused as exc:
        problems.add_at(exc.mark.line + 1, exc.mark.column + 1, exc.message)
        return None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = plain_yaml("; ".join(str(s) for s in (exc.context, exc.problem) if s))
        if mark is None:
            problems.add(None, f"YAML syntax error: {what}")
        else:
            what += _opened(text, exc, problems.path)
            problems.add_at(mark.line + 1, mark.column + 1, f"YAML syntax error: {what}")
        return None
    except ReaderError as exc:
        line, col = _position(text, exc.position)
        char = (
            exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        )
        problems.add_at(line, col, f"character U+{char:04X} is not allowed in YAML")
        return None
    except YAMLError as exc:
        problems.add(None, f"YAML error: {exc}")
        return None
    except RecursionError:
        problems.add(None, "YAML is nested too deeply")
        return None
    return node


def _opened(text: str, exc: MarkedYAMLError, path: str) -> str:
    """Where a bracket or quote left open starts (the context mark), when that is another
    place than the problem's: the parser only notices lines later."""
    start, at = exc.context_mark, exc.problem_mark
    if start is None or at is None or (start.line, start.column) == (at.line, at.column):
        return ""
    lines = text.splitlines()
    row = lines[start.line] if start.line < len(lines) else ""
    char = row[start.column] if start.column < len(row) else ""
    name = _OPENERS.get(char)
    if name is None:
        return ""  # a block mapping's context is where it starts: no help
    return f" (the {name} opened at {path}:{start.line + 1}:{start.column + 1})"


_OPENERS = {"[": "'['", "{": "'{'", '"': "double quote", "'": "single quote"}


def _position(text: str, index: int) -> tuple[int, int]:
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1
