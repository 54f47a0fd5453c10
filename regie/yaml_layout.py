"""The plan file's line breaks kept through a round-trip edit (:mod:`regie.decisions`).

ruamel.yaml keeps comments, quotes and flow style, but writes every flow collection on one
line: a list of rows or dates the author broke over several lines (``milestones: [{…},`` /
``{…}]``) came back as one long line after any decision, wherever it stood in the file
(walk56e 3). :func:`kept_line_breaks` puts the author's line breaks back where ruamel only
re-flowed the text, and keeps every other change of the edit.
"""

from __future__ import annotations

import difflib
import re


def kept_line_breaks(before: str, after: str) -> str:
    """``after`` (ruamel's dump of the edited ``before``) with ``before``'s line breaks put back
    where ruamel joined the lines of a flow collection (:func:`_merged`): the same document,
    laid out as its author wrote it."""
    if before == after:
        return after
    old = before.splitlines(keepends=True)
    new = after.splitlines(keepends=True)
    # Lines the same at both ends are matched at once: a plan's lines repeat a lot
    # ("owners: [X]"), which makes the matcher slow on a whole large file.
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    out = new[:head]
    lines = difflib.SequenceMatcher(None, old[head : len(old) - tail], new[head : len(new) - tail])
    for tag, i1, i2, j1, j2 in lines.get_opcodes():
        was, now = old[head + i1 : head + i2], new[head + j1 : head + j2]
        out += now if tag == "equal" else [_merged("".join(was), "".join(now))]
    out += new[len(new) - tail :]
    return "".join(out)


#: A longer stretch of changed text is taken as ruamel wrote it (matching it by character
#: would take long); a row, or a list broken over a few lines, is far shorter.
_MERGED_AT_MOST = 20_000


def _merged(old: str, new: str) -> str:
    """``new``, with ``old``'s whitespace where ruamel joined lines: separating whitespace in a
    flow collection (after ``[ { , :``, before ``] }``, outside quotes) that held a line break
    in ``old`` and is one space or nothing in ``new``. Such whitespace says nothing (YAML), so
    the document stays the same; anywhere else (block structure, a scalar's text) ``new``."""
    if "\n" not in old.rstrip("\n") or len(old) + len(new) > _MERGED_AT_MOST:
        return new
    in_flow = _flow_separators(new)
    chars = difflib.SequenceMatcher(None, old, new, autojunk=False)
    parts: list[str] = []
    for tag, i1, i2, j1, j2 in chars.get_opcodes():
        was, now = old[i1:i2], new[j1:j2]
        joined = (
            tag != "equal" and "\n" in was and not was.strip() and now in ("", " ")
            and in_flow[j1] and in_flow[j2]
        )  # fmt: skip
        parts.append(was if joined else now)
    return "".join(parts)


def _flow_separators(text: str) -> list[bool]:
    """For each place between two characters of ``text`` (and both ends): whether whitespace
    there only separates, inside a flow collection: right after ``[ { ,`` or ``: `` and
    before ``] }``, outside quotes and comments (whitespace next to them included)."""
    places = [False] * (len(text) + 1)
    depth, quote, comment = 0, "", False
    last = ""  # the last character outside whitespace
    for i, ch in enumerate(text):
        if comment:
            comment = ch != "\n"
            continue
        if quote:
            if ch == quote and not (quote == '"' and _escaped(text, i)):
                quote = ""
            last = ch
            continue
        if ch in " \t\n":
            places[i] = places[i] or (depth > 0 and last in "[{,:")
            places[i + 1] = places[i]
            continue
        if ch in "]}" and depth > 0:
            places[i] = True
            back = i - 1
            while back >= 0 and text[back] in " \t\n":
                places[back] = True
                back -= 1
        if ch == "#" and (i == 0 or text[i - 1] in " \t\n"):
            comment = True
            continue
        if ch in "'\"" and (i == 0 or text[i - 1] in " \t\n[{,"):  # not an apostrophe
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth = max(depth - 1, 0)
        if ch in "[{," and depth > 0:
            places[i + 1] = True  # right after it: a line break ruamel left out
        last = ch
    return places


def _escaped(text: str, i: int) -> bool:
    backslashes = 0
    while i - 1 - backslashes >= 0 and text[i - 1 - backslashes] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


#: ruamel's indentation of a plan written as the seed is: lists two in from their key.
DEFAULT_INDENT = (2, 4, 2)

_KEY_ALONE = re.compile(r"^( *)[^ #\-][^#]*:[ \t]*(#.*)?$")
_ENTRY = re.compile(r"^( *)-( +)\S")
_KEY = re.compile(r"^( *)[^ #\-][^:#]*:")


def file_indent(text: str) -> tuple[int, int, int]:
    """The (mapping, sequence, offset) indentation ``text`` is written with, as ruamel's
    ``YAML.indent`` takes it: a plan written as PyYAML writes it (``- id:`` under its key,
    not two in) kept that way by a decision, instead of every list of the file re-indented
    (walk57c 6). Taken from the first block list and the first nested mapping; ruamel's
    defaults for the seed's layout where the text has none."""
    mapping, sequence, offset = DEFAULT_INDENT
    found_list = found_map = False
    previous: re.Match[str] | None = None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        entry = _ENTRY.match(line)
        if entry and previous is not None and not found_list:
            offset = len(entry.group(1)) - len(previous.group(1))
            sequence = offset + 1 + len(entry.group(2))
            found_list = True
        elif previous is not None and not found_map and (key := _KEY.match(line)):
            deeper = len(key.group(1)) - len(previous.group(1))
            if deeper > 0:
                mapping, found_map = deeper, True
        previous = _KEY_ALONE.match(line)
        if found_list and found_map:
            break
    if offset < 0 or sequence < offset + 2:
        return DEFAULT_INDENT
    return mapping, sequence, offset
