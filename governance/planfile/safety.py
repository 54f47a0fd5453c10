"""Text that would read differently from what it is, or break a message header.

- Bidirectional-override characters (U+202A…U+202E, U+2066…U+2069) anywhere: they make a title
  display differently from its real text. Control characters other than tab and line breaks
  anywhere (a double-quoted ``"\\e"`` writes one): no document format can hold them. The same
  rule as owners' notes (:mod:`governance.characters`).
- Values that end up in message headers (the programme's titles, a contact's name, e-mail and
  Slack address, a governance body's name) and the titles of steps, actions and milestones (a
  heading, a table cell, a calendar event's summary) must be one line without control
  characters: no line feed, carriage return, U+2028 or U+2029 (a folded ``name: >`` keeps a
  line break: write ``>-``), and an e-mail address must look like one.

Rendering makes such values safe again (``notifications.render.header_text``); refusing them
here tells the author where, as ``PATH:LINE:COL``.
"""

from __future__ import annotations

import re

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from governance.characters import BIDI, CONTROL, codepoint
from governance.parser_version import (
    ONE_LINE_DAY_OFF_NAMES,
    ONE_LINE_MEETING_LOCATIONS,
    ONE_LINE_ORGANISATION_NAMES,
    ONE_LINE_TITLES,
    PARSER_VERSION,
)
from governance.planfile.nodes import Problems, key_name, shown

_LINE_BREAK = re.compile(r"[\n\r\u2028\u2029]")
#: In a one-line value a tab is refused as well (the other control characters everywhere).
_ONE_LINE_CONTROL = re.compile(rf"\t|{CONTROL.pattern}")
_EMAIL = re.compile(r"[^@\s<>,;:\"()\[\]]+@[^@\s<>,;:\"()\[\]]+\.[^@\s<>,;:\"()\[\]]+")

#: (section, key) pairs whose values must be one line: those that go into headers, and the
#: titles; section "" is the top level's mapping, "steps" holds the actions and milestones too.
ONE_LINE_FIELDS = {
    ("programme", "title"),
    ("programme", "short_title"),
    ("programme", "office_name"),
    ("programme", "mail_from"),
    # Shown as an owner in mail lines, the pack's and the report's table cells (walk30 1).
    ("organisations", "name"),
    ("organisations", "short_name"),
    ("contacts", "name"),
    ("contacts", "email"),
    ("contacts", "slack"),
    ("governance", "name"),
    ("governance", "location"),  # a meeting's: a calendar event's LOCATION (walk57b 7)
    ("calendar", "name"),  # an extra day off's: it is named in one-line problems and feeds
    ("steps", "title"),
}

#: One-line fields that a later parser version made so (the others always were): a plan text
#: accepted before is read as it was (see :mod:`governance.parser_version`).
_ONE_LINE_SINCE = {
    ("governance", "name"): ONE_LINE_TITLES,
    ("governance", "location"): ONE_LINE_MEETING_LOCATIONS,
    ("steps", "title"): ONE_LINE_TITLES,
    ("calendar", "name"): ONE_LINE_DAY_OFF_NAMES,
    ("organisations", "name"): ONE_LINE_ORGANISATION_NAMES,
    ("organisations", "short_name"): ONE_LINE_ORGANISATION_NAMES,
}


def check_text_safety(root: Node, problems: Problems, accepted_by: int = PARSER_VERSION) -> None:
    """``accepted_by``: see :func:`governance.planfile.parse_plan`."""
    one_line = {f for f in ONE_LINE_FIELDS if _ONE_LINE_SINCE.get(f, 0) <= accepted_by}
    _walk(root, section="", key="", problems=problems, one_line=one_line)


def _walk(
    node: Node, *, section: str, key: str, problems: Problems, one_line: set[tuple[str, str]]
) -> None:
    if isinstance(node, MappingNode):
        for k, v in node.value:
            name = key_name(k) or ""
            _walk(v, section=section or name, key=name, problems=problems, one_line=one_line)
    elif isinstance(node, SequenceNode):
        for item in node.value:
            _walk(item, section=section, key=key, problems=problems, one_line=one_line)
    elif isinstance(node, ScalarNode) and isinstance(node.value, str):
        _check(node, section, key, problems, (section, key) in one_line)


#: One-line fields that keep taking the single line break a folded ``>`` leaves at the end, which
#: the parser drops (:mod:`governance.planfile.extras`): a plan a parser before 19 ran with a
#: folded meeting location must not stop every command after an upgrade (review57 3).
_TRAILING_BREAK_TAKEN = frozenset({("governance", "location")})


def _check(node: ScalarNode, section: str, key: str, problems: Problems, one_line: bool) -> None:
    text = str(node.value)
    if one_line and (section, key) in _TRAILING_BREAK_TAKEN and text.endswith("\n"):
        text = text[:-1]
    bidi = BIDI.search(text)
    if bidi:
        problems.add(
            node,
            f"'{key}' contains the invisible direction-changing character "
            f"{codepoint(bidi.group())}: it makes the text read differently; remove it",
        )
    if one_line and _LINE_BREAK.search(text):
        hint = " (a folded '>' keeps one at the end: write '>-')"
        problems.add(node, f"'{key}' must be one line, but contains a line break{hint}")
    elif control := (_ONE_LINE_CONTROL if one_line else CONTROL).search(text):
        problems.add(
            node, f"'{key}' contains the control character {codepoint(control.group())}: remove it"
        )
    elif key == "email" and one_line and not _EMAIL.fullmatch(text):
        problems.add(node, f"'{key}' {shown(text)} is not an e-mail address (name@example.org)")
