"""Typed, position-aware reading of a composed YAML node tree (the plan-file pipeline).

The loader works on ruamel's *composed* nodes rather than constructed Python objects: nodes keep
every key (so duplicate keys can all be reported), the source text of every scalar (so ``id: 1.1``
can be quoted back exactly) and the line/column of every key and value.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from governance.periods import MAX_YEAR, MIN_YEAR

_TAG = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL, DATE = (
    _TAG + "str",
    _TAG + "int",
    _TAG + "float",
    _TAG + "bool",
    _TAG + "null",
    _TAG + "timestamp",
)
MERGE = _TAG + "merge"
_NUMBER_TAGS = frozenset({INT, FLOAT})
_DECIMAL = re.compile(r"[-+]?[0-9]+")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_BOOL_WORDS = frozenset({"yes", "no", "on", "off", "ja", "nee", "y", "n"})


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a plan file. ``line``/``col`` are 1-based; 0 means the whole file."""

    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        if self.line <= 0:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}:{max(self.col, 1)}: {self.message}"


class Problems:
    """Collects problems while the loader carries on, so that all of them are reported at once."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._items: list[Problem] = []

    def add(self, node: Node | None, message: str) -> None:
        if node is None:
            self.add_at(0, 0, message)
        else:
            self.add_at(node.start_mark.line + 1, node.start_mark.column + 1, message)

    def add_at(self, line: int, col: int, message: str) -> None:
        self._items.append(Problem(self.path, line, col, message))

    def __bool__(self) -> bool:
        return bool(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def sorted(self) -> list[Problem]:
        """In file order; the sort is stable, so problems at one spot keep the order found."""
        return sorted(self._items, key=lambda p: (p.line, p.col))


#: The longest id (programme, organisation, contact, body, goal, report, indicator, action,
#: milestone): the database keeps ids in 64 characters (store.models.CODE).
MAX_ID = 64
#: The most of a value from the file a problem line echoes: every id the plan may use is
#: shown whole, and a 5000-digit number or a pasted page keeps its line readable.
ECHO = MAX_ID


def clip(value: object) -> str:
    """``value``'s text as a problem line echoes it: at most :data:`ECHO` characters, the rest
    cut off with '…'."""
    text = str(value)
    return text if len(text) <= ECHO else text[: ECHO - 1] + "…"


def shown(value: object) -> str:
    """``value``'s text quoted as a problem line echoes it (``'1.1'``), clipped (:func:`clip`)."""
    return repr(clip(value))


def id_too_long(rid: str, what: str, node: Node | None, problems: Problems) -> bool:
    """Report an id longer than :data:`MAX_ID` characters (PostgreSQL refused it in the cycle)."""
    if len(rid) <= MAX_ID:
        return False
    shown = f"{rid[:20]}…" if len(rid) > 24 else rid
    problems.add(node, f"{what} id {shown!r} is {len(rid)} characters long: at most {MAX_ID}")
    return True


def is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == NULL


def describe(node: Node) -> str:
    """How a value reads to a person: used in 'must be X, not Y' messages."""
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    tag, text = node.tag, str(node.value)
    if tag == STR:
        return f"the text {shown(text)}"
    if tag in _NUMBER_TAGS:
        return f"the number {clip(text)}"
    if tag == BOOL:
        return f"the boolean {clip(text)}"
    if tag == DATE:
        return f"the date {clip(text)}"
    if tag == NULL:
        return "an empty value"
    from governance.planfile.yaml_words import plain_tag

    return clip(plain_tag(str(tag)))


def suggest(word: str, candidates: Sequence[str]) -> str:
    """' (did you mean 'x'?)' for the closest candidate, or ''."""
    # Case-insensitive: 'Rivm' should find 'RIVM'.
    lowered = {c.lower(): c for c in reversed(candidates)}
    match = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return f" (did you mean {shown(lowered[match[0]])}?)" if match else ""


def key_name(node: Node) -> str | None:
    """The text of a mapping key, None when the key is not plain text (a list, a number …)."""
    if isinstance(node, ScalarNode) and node.tag == STR:
        return str(node.value)
    return None


def text_of(node: Node, what: str, problems: Problems, *, quote_hint: bool = True) -> str | None:
    """A text scalar, or a problem. Numbers, booleans and dates get a 'write "…"' hint."""
    if isinstance(node, ScalarNode) and node.tag == STR:
        return str(node.value)
    if isinstance(node, ScalarNode) and quote_hint and node.tag in {INT, FLOAT, BOOL, DATE}:
        problems.add(node, f'{what} must be text, not {describe(node)}: write "{clip(node.value)}"')
    else:
        problems.add(node, f"{what} must be text, not {describe(node)}")
    return None


def int_of(node: Node, what: str, problems: Problems) -> int | None:
    if isinstance(node, ScalarNode) and node.tag == INT:
        text = str(node.value).replace("_", "")
        try:
            return int(text) if _DECIMAL.fullmatch(text) else int(text, 0)
        except ValueError:
            pass
    hint = ""
    if isinstance(node, ScalarNode) and node.tag == STR and _DECIMAL.fullmatch(str(node.value)):
        hint = f": write {clip(node.value)} without quotes"
    problems.add(node, f"{what} must be a whole number, not {describe(node)}{hint}")
    return None


def bool_of(node: Node, what: str, problems: Problems) -> bool | None:
    if isinstance(node, ScalarNode) and node.tag == BOOL:
        return str(node.value).lower() == "true"
    hint = ""
    if isinstance(node, ScalarNode) and str(node.value).lower() in _BOOL_WORDS:
        hint = " (YAML reads only true and false as booleans)"
    problems.add(node, f"{what} must be true or false, not {describe(node)}{hint}")
    return None


def date_of(node: Node, what: str, problems: Problems) -> date | None:
    """A date written as a YAML date (2015-01-01) or as an ISO string ("2015-01-01"), in the
    years a *gereed* period may name (1900–2199): far enough for any programme, and near enough
    that counting working days or stepping a meeting rule past it stays within Python's dates."""
    if isinstance(node, ScalarNode) and node.tag in {DATE, STR}:
        text = str(node.value).strip()
        if _ISO_DATE.fullmatch(text):
            try:
                found = date.fromisoformat(text)
            except ValueError:
                problems.add(node, f"{what}: no such date {shown(text)}")
                return None
            if not MIN_YEAR <= found.year <= MAX_YEAR:
                problems.add(
                    node, f"{what}: year out of range {MIN_YEAR}–{MAX_YEAR}: {shown(text)}"
                )
                return None
            return found
    problems.add(node, f"{what} must be a date written as YYYY-MM-DD, not {describe(node)}")
    return None


def items_of(node: Node, what: str, problems: Problems, hint: str = "") -> list[Node] | None:
    """The items of a list, or a problem (a lone text gets a '[…]' hint)."""
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, ScalarNode) and node.tag == STR and not hint:
        hint = f": write [{clip(node.value)}]"
    problems.add(node, f"{what} must be a list, not {describe(node)}{hint}")
    return None


class Fields:
    """The keys of one YAML mapping, checked against the keys the schema knows.

    Duplicate keys, unknown keys (with a suggestion) and keys that are not text are reported
    once, on construction; the accessors report wrong types and missing required keys.
    ``where`` names the mapping in messages ("programme", "action '1.1'").
    """

    def __init__(
        self,
        node: MappingNode,
        known: Sequence[str],
        where: str,
        problems: Problems,
    ) -> None:
        self.node = node
        self.where = where
        self.problems = problems
        self._keys: dict[str, Node] = {}
        self._values: dict[str, Node] = {}
        for key, value in node.value:
            name = key_name(key)
            if key.tag == MERGE:
                problems.add(
                    key, f"merge keys ('<<') are not supported in {where}: write the keys out"
                )
            elif name is None:
                problems.add(key, f"{describe(key)} is not a valid key in {where}")
            elif name in self._keys:
                first = self._keys[name].start_mark.line + 1
                problems.add(key, f"duplicate key {shown(name)} in {where} (first at line {first})")
            elif name not in known:
                problems.add(key, f"unknown key {shown(name)} in {where}{suggest(name, known)}")
            else:
                self._keys[name] = key
                self._values[name] = value

    def __contains__(self, name: str) -> bool:
        return name in self._values

    def key(self, name: str) -> Node | None:
        return self._keys.get(name)

    def value(self, name: str, *, required: bool = False) -> Node | None:
        """The value node, None when absent or empty (null); reports a missing required key."""
        node = self._values.get(name)
        if node is None or is_null(node):
            if required:
                self._missing(name)
            return None
        return node

    def _missing(self, name: str) -> None:
        key = self._keys.get(name)
        if key is None:
            self.problems.add(self.node, f"missing required key {name!r} in {self.where}")
        else:  # present but empty: point at the key, where the value should be
            self.problems.add(key, f"{name!r} in {self.where} needs a value")

    def text(self, name: str, *, required: bool = False, empty_ok: bool = False) -> str | None:
        node = self.value(name, required=required)
        if node is None:
            return None
        value = text_of(node, repr(name), self.problems)
        if value is not None and not value.strip() and not empty_ok:
            if required:
                self.problems.add(node, f"{name!r} in {self.where} must not be empty")
            return None
        return value

    def integer(self, name: str, *, required: bool = False) -> int | None:
        node = self.value(name, required=required)
        return None if node is None else int_of(node, repr(name), self.problems)

    def integer_in(
        self, name: str, low: int, high: int, unit: str = "", *, zero: str = ""
    ) -> int | None:
        """An optional whole number in ``low``–``high`` (docs/plan-schema.md, "Numbers"), else
        a problem naming the range (``unit`` after it, ``zero`` saying what 0 means) and None."""
        number = self.integer(name)
        if number is not None and not low <= number <= high:
            unit = f" {unit}" if unit else ""
            zero = f" ({zero})" if zero else ""
            self.problems.add(
                self.value(name),
                f"{name!r} must be {low}–{high}{unit}{zero}, not {clip(number)}",
            )
            return None
        return number

    def boolean(self, name: str) -> bool | None:
        node = self.value(name)
        return None if node is None else bool_of(node, repr(name), self.problems)

    def date(self, name: str) -> date | None:
        node = self.value(name)
        return None if node is None else date_of(node, repr(name), self.problems)

    def items(self, name: str, *, required: bool = False) -> list[Node] | None:
        node = self.value(name, required=required)
        return None if node is None else items_of(node, repr(name), self.problems)

    def mapping(self, name: str, *, required: bool = False) -> MappingNode | None:
        node = self.value(name, required=required)
        if node is None:
            return None
        if not isinstance(node, MappingNode):
            self.problems.add(node, f"{name!r} must be a mapping, not {describe(node)}")
            return None
        return node

    def refs(self, name: str, what: str) -> list[tuple[str, Node]] | None:
        """A list of ids (owners, members, depends_on) with their nodes; None when absent.

        Ids that are not text are reported (with a quoting hint); an id listed twice too.
        """
        items = self.items(name)
        if items is None:
            return None
        out: list[tuple[str, Node]] = []
        seen: set[str] = set()
        for item in items:
            ref = text_of(item, f"each {what} in {name!r}", self.problems)
            if ref is None:
                continue
            if ref in seen:
                self.problems.add(item, f"{shown(ref)} is listed twice in {name!r}")
                continue
            seen.add(ref)
            out.append((ref, item))
        return out


def mappings(items: list[Node], what: str, problems: Problems) -> Iterator[MappingNode]:
    """The items of a list that are mappings; the others are reported."""
    for item in items:
        if isinstance(item, MappingNode):
            yield item
        else:
            problems.add(item, f"each {what} must be a mapping (key: value), not {describe(item)}")
