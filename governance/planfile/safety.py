"""Text that would read differently from what it is, or break a message header.

- Bidirectional-override characters (U+202A…U+202E, U+2066…U+2069) anywhere: they make a title
  display differently from its real text. Control characters other than tab and line breaks
  anywhere (a double-quoted ``"\\e"`` writes one): no document format can hold them. The same
  rule as owners' notes (:mod:`governance.characters`).
- Values that end up in message headers (the programme's titles, a contact's name, e-mail and
  Slack address) must be one line without control characters (a folded ``name: >`` keeps a line
  break: write ``>-``), and an e-mail address must look like one.

Rendering makes such values safe again (``notifications.render.header_text``); refusing them
here tells the author where, as ``PATH:LINE:COL``.
"""

from __future__ import annotations

import re

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from governance.characters import BIDI, CONTROL, codepoint
from governance.planfile.nodes import Problems, key_name, shown

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_EMAIL = re.compile(r"[^@\s<>,;:\"()\[\]]+@[^@\s<>,;:\"()\[\]]+\.[^@\s<>,;:\"()\[\]]+")

#: (section, key) pairs whose values go into headers; section "" is the top level's mapping.
HEADER_FIELDS = {
    ("programme", "title"),
    ("programme", "short_title"),
    ("contacts", "name"),
    ("contacts", "email"),
    ("contacts", "slack"),
}


def check_text_safety(root: Node, problems: Problems) -> None:
    _walk(root, section="", key="", problems=problems)


def _walk(node: Node, *, section: str, key: str, problems: Problems) -> None:
    if isinstance(node, MappingNode):
        for k, v in node.value:
            name = key_name(k) or ""
            _walk(v, section=section or name, key=name, problems=problems)
    elif isinstance(node, SequenceNode):
        for item in node.value:
            _walk(item, section=section, key=key, problems=problems)
    elif isinstance(node, ScalarNode) and isinstance(node.value, str):
        _check(node, section, key, problems)


def _check(node: ScalarNode, section: str, key: str, problems: Problems) -> None:
    text = str(node.value)
    bidi = BIDI.search(text)
    if bidi:
        problems.add(
            node,
            f"'{key}' contains the invisible direction-changing character "
            f"{codepoint(bidi.group())}: it makes the text read differently; remove it",
        )
    if (section, key) not in HEADER_FIELDS:
        if control := CONTROL.search(text):
            problems.add(
                node,
                f"'{key}' contains the control character {codepoint(control.group())}: remove it",
            )
        return
    control = _CONTROL.search(text)
    if control:
        what = "a line break" if control.group() in "\r\n\u2028\u2029" else "a control character"
        hint = " (a folded '>' keeps one at the end: write '>-')" if what == "a line break" else ""
        problems.add(node, f"'{key}' must be one line, but contains {what}{hint}")
    elif key == "email" and not _EMAIL.fullmatch(text):
        problems.add(node, f"'{key}' {shown(text)} is not an e-mail address (name@example.org)")
