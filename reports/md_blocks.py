"""The small Markdown subset the report templates write, read back: ATX headings, paragraphs,
``- `` lists, pipe tables, ``**bold**`` spans and chart references ``![caption](chart:NAME
"alt text")``. Shared by the Word file (:mod:`reports.docx`) and the pack mail's plain text
(:mod:`reports.plain_text`), so both read exactly what the templates write."""

from __future__ import annotations

import re
from collections.abc import Iterator

from reports.render import md_unescape

HEADING = re.compile(r"(#{1,6}) (.*)")
IMAGE = re.compile(r'!\[((?:[^\]\\]|\\.)*)\]\(chart:([\w-]+)(?: "((?:[^"\\]|\\.)*)")?\)')
BOLD = re.compile(r"\*\*(.+?)\*\*")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")


def blocks(markdown: str) -> Iterator[list[str]]:
    """The non-empty lines, grouped by the blank lines between them."""
    block: list[str] = []
    for line in markdown.splitlines():
        if line.strip():
            block.append(line)
        elif block:
            yield block
            block = []
    if block:
        yield block


def cells(row: str) -> list[str]:
    """The cells of a pipe-table row, still escaped (an escaped ``\\|`` is text, not a border)."""
    parts = _CELL_SPLIT.split(row.strip())
    return [p.strip() for p in parts[1:-1]]


def plain(text: str) -> str:
    """An inline fragment as the reader should see it: bold markers gone, escapes removed."""
    return md_unescape(BOLD.sub(r"\1", text))
