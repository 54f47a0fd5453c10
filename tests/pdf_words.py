"""Words a PDF's text breaks across lines: with a hyphen (WeasyPrint's hyphenation) or without
one (a word broken anywhere), read from pypdf's text, line by line."""

from __future__ import annotations

import re
from collections.abc import Collection
from itertools import pairwise

#: A hyphen that ends a hyphenated line: ASCII, U+2010 (WeasyPrint's), a soft hyphen.
_HYPHENS = "-\u2010\u00ad"
_LAST = re.compile(rf"(\w+)([{_HYPHENS}]?)$")
_FIRST = re.compile(r"^(\w+)")


def broken_words(text: str, words: Collection[str]) -> tuple[list[str], list[str]]:
    """(hyphenated, unhyphenated): the ``words`` split over two lines of ``text``, each as
    "head|tail", with a hyphen after the head or without one."""
    hyphenated: list[str] = []
    bare: list[str] = []
    lines = [line.rstrip() for line in text.splitlines()]
    for line, following in pairwise(lines):
        last, first = _LAST.search(line), _FIRST.match(following.lstrip())
        if last is None or first is None:
            continue
        head, hyphen, tail = last[1], last[2], first[1]
        if head + tail in words and head not in words:
            (hyphenated if hyphen else bare).append(f"{head}|{tail}")
    return hyphenated, bare


def title_words(titles: Collection[str]) -> set[str]:
    """The words of ``titles`` long enough to be broken (four letters or more)."""
    return {w for t in titles for w in re.findall(r"\w+", t) if len(w) >= 4}
