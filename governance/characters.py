"""Characters that text written by people may not carry: one rule for the plan file and for
owners' notes, whatever the channel (answer link, Slack, command line, spreadsheet).

- Direction-changing characters (U+202A…U+202E, U+2066…U+2069) make a text display
  differently from what it is ("exe.png" that is "gnp.exe"): refused everywhere.
- Control characters other than tab, line feed and carriage return (C0, DEL, C1), and what is no
  character at all (a lone surrogate: the command line's way of passing on bytes that are not
  UTF-8; the non-characters U+FFFE and U+FFFF): nothing writes them on purpose, a terminal or a
  PDF pastes them in, PostgreSQL cannot store NUL, and XML (a DOCX report) cannot hold any of
  them. Refused in notes; :func:`xml_safe` replaces them in text already stored.

Text stored before notes were checked can still hold both: :func:`displayable` is what every
renderer shows of it (web pages, reports, calendar feeds, messages, the update sheet).
"""

from __future__ import annotations

import re

BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_REFUSED = re.compile(f"{BIDI.pattern}|{CONTROL.pattern}")
_C0_C1 = re.compile(r"[\x00-\x1f\x7f-\x9f]")

#: What XML 1.0 cannot hold (https://www.w3.org/TR/xml/#charsets), and the direction changers.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
REPLACEMENT = "\ufffd"
#: What :func:`displayable` replaces (line breaks aside): what notes refuse.
_NOT_SHOWN = re.compile(f"{BIDI.pattern}|{CONTROL.pattern}")
_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x85]")


def refused_character(text: str) -> tuple[int, str] | None:
    """The first character of ``text`` that :mod:`this module <governance.characters>` refuses,
    as (0-based index, character), or None."""
    found = _REFUSED.search(text)
    return None if found is None else (found.start(), found.group())


_ONE_LINE_REFUSED = re.compile(rf"[\t\n\r\u2028\u2029]|{_REFUSED.pattern}")


def one_line_problem(field: str, text: str) -> str | None:
    """A one-line problem (English, the command line's) when ``text`` cannot be a one-line
    value — a label, a name shown in a header, a meeting's location: a line break or tab, a
    direction-changing or control character (walk57b 7) — else None."""
    found = _ONE_LINE_REFUSED.search(text)
    if found is None:
        return None
    char = found.group()
    if char in "\n\r\u2028\u2029":
        return f"{field}: must be one line, but contains a line break"
    if char == "\t":
        return f"{field}: contains a tab: write a space"
    return f"{field}: contains {describe_en(char)}: remove it"


def codepoint(char: str) -> str:
    """'U+001B'."""
    return f"U+{ord(char):04X}"


def describe_en(char: str) -> str:
    """What ``char`` is, in English: for a one-line error that must not contain it."""
    if BIDI.fullmatch(char):
        return f"the invisible direction-changing character {codepoint(char)}"
    if char == "\0":
        return "a NUL character (U+0000)"
    if not _C0_C1.fullmatch(char):
        return f"{codepoint(char)}, which is no text (a byte that is not UTF-8?)"
    return f"the control character {codepoint(char)}"


def describe_nl(char: str) -> str:
    """What ``char`` is, in Dutch, for the person who typed or pasted it."""
    if BIDI.fullmatch(char):
        return f"het onzichtbare teken {codepoint(char)}, dat de leesrichting omdraait"
    if not _C0_C1.fullmatch(char):
        return f"een teken dat geen tekst is ({codepoint(char)})"
    return f"een onzichtbaar stuurteken ({codepoint(char)})"


def xml_safe(text: str) -> str:
    """``text`` with every character XML cannot hold replaced by U+FFFD (text stored before
    notes were checked, or from anywhere else: a report is made all the same)."""
    return _NOT_XML.sub(REPLACEMENT, text)


def displayable(text: str) -> str:
    """``text`` as it may be shown anywhere: each control character (C0, DEL, C1), each
    direction-changing character and each non-character replaced by U+FFFD, except tab and
    the line breaks: a carriage return (alone or before a line feed), a vertical tab (Word's
    manual line break, pasted), a form feed and U+0085 each become one line feed.

    The direction changers are replaced rather than removed or wrapped in an isolate
    (``<bdi>``, U+2068…U+2069): an isolate keeps an override working inside the note itself
    ("gnp.exe" still reads "exe.png"), and removing them would hide that the text carried
    something meant to mislead. U+FFFD shows the text in the order it was written and marks
    the spot, as the DOCX writer does (:func:`xml_safe`). Tab and line feed are text; each
    renderer shows them its own way (a space, a ``\\n`` in a calendar, a line break)."""
    if _BREAKS.search(text):
        text = _BREAKS.sub("\n", text)
    return _NOT_SHOWN.sub(REPLACEMENT, text)


def displayable_value(value: object) -> object:
    """A template value as it may be shown (a Jinja environment's ``finalize``): text through
    :func:`displayable`, markup kept markup, anything else as it is."""
    if not isinstance(value, str) or (_NOT_SHOWN.search(value) is None and "\r" not in value):
        return value
    text = displayable(value)
    return type(value)(text) if hasattr(value, "__html__") else text
