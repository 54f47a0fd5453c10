"""YAML parser messages in words a programme officer understands (the line comes with them)."""

from __future__ import annotations

import re

#: (pattern in the parser's message, plain words); the first match wins.
_PLAIN = (
    (r"expected '<document start>'", "text after the end of the plan: check this line's indent"),
    (r"mapping values are not allowed", "a ':' where none can be: put the text in quotes"),
    (r"could not find expected ':'", "a line without 'key: value': check it, or quote the text"),
    (r"did not find expected key", "this line's indentation does not match the lines above"),
    (r"expected <block end>", "this line's indentation does not match the lines above"),
    (r"did not find expected '-' indicator", "a list item is indented differently"),
    (r"found character '\\t'", "a tab: indent with spaces only"),
    (r"found undefined alias", "'*name' refers to an '&name' that is not there"),
    (r"end of stream|unexpected end", "the file ends inside a value: is a quote or bracket open?"),
    (r"found unknown escape character", "an unknown '\\' escape inside double quotes"),
    (r"found duplicate anchor", "the same '&name' is used twice"),
    (r"while scanning a (simple )?key", "a key that is not closed: check quotes and ':'"),
    (r"expected ',' or '[\]}]'", "a list or mapping in [ ] or { } is not closed properly"),
)
_TOKENS = re.compile(r"\(?'?<([a-z ]+)>'?,?\)?")


def plain_yaml(message: str) -> str:
    for pattern, words in _PLAIN:
        if re.search(pattern, message):
            return words
    # Unknown: at least without the parser's token names and Python tuples.
    return _TOKENS.sub(lambda m: m.group(1), message)


def plain_tag(tag: str) -> str:
    """``tag:yaml.org,2002:binary`` → ``a value of YAML type !!binary``."""
    return f"a value of YAML type !!{tag.rsplit(':', 1)[-1]}" if tag.startswith("tag:") else tag
