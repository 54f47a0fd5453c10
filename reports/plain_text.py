"""The agenda pack's Markdown as plain text, for the text/plain part of its mail.

A member whose mail client shows plain text (a ministry's policy, a phone preview, a screen
reader's plain mode) would otherwise read the Markdown source: backslash escapes and pipe tables
of nine columns on one line. Here a heading is a line with a rule under it, and a table row a
block: its first two cells on the first line (an item's number and title; a step and its colour;
a decision's date and text), the others as "Kolom: waarde" under it (empty and "—" cells left
out). The words are the pack's own; nothing is added or reworded, except that a table's
"Eigenaar" label follows the count of its row's owners (*Eigenaren: A, B*, walk49 8): a column
header serves every row, a label one.
"""

from __future__ import annotations

from collections.abc import Collection

from reports.md_blocks import HEADING, IMAGE, blocks, cells, plain

#: A table cell with nothing to say.
_EMPTY = {"", "—", "–", "-"}
#: The header of the item-number column (the templates' word): its cell runs on into the title.
_NUMBER = "Nr"
#: The owners' column header (the templates' word) and its label for more than one owner.
_OWNER, _OWNERS = "Eigenaar", "Eigenaren"
#: The rule under a heading, by level: the title (#) and the agenda's parts (##).
_RULES = {1: "=", 2: "-"}


def markdown_to_text(markdown: str, owners: Collection[str] = ()) -> str:
    """``markdown`` (the report templates' subset, :mod:`reports.md_blocks`) as plain text.
    ``owners``: how one owner is shown (each organisation's name and id); an *Eigenaar* cell
    that is none of them lists several (a name may hold a comma, so commas are not counted)."""
    out: list[str] = []
    for block in blocks(markdown):
        first = block[0]
        heading = HEADING.fullmatch(first)
        image = IMAGE.fullmatch(first.strip())
        if heading and len(block) == 1:
            text = plain(heading.group(2))
            rule = _RULES.get(len(heading.group(1)))
            out.append(f"{text}\n{rule * len(text)}" if rule else text)
        elif image:
            # The chart itself is in the HTML part; its text alternative says what it shows.
            alt = plain(image.group(3) or image.group(1))
            out.append(f"[{plain(image.group(1))}] {alt}" if image.group(3) else f"[{alt}]")
        elif first.startswith("|") and len(block) >= 2:
            out.append(_table(block, owners))
        elif all(line.startswith("- ") for line in block):
            out.append("\n".join(f"- {plain(line[2:])}" for line in block))
        else:
            out.append("\n".join(plain(line.strip()) for line in block))
    return "\n\n".join(out) + "\n"


def _table(block: list[str], owners: Collection[str] = ()) -> str:
    header = [plain(h) for h in cells(block[0])]
    rows = []
    for line in block[2:]:
        values = [plain(c) for c in cells(line)]
        # "1.2.1 Verkennen draagvlak" for an item's number; "Totaal: rood", "12-01-2016: …".
        joiner = " " if header[:1] == [_NUMBER] else ": "
        title = joiner.join(v for v in values[:2] if v not in _EMPTY)
        rest = [
            f"{_label(name, value, owners)}: {value}"
            for name, value in zip(header[2:], values[2:], strict=False)
            if value not in _EMPTY
        ]
        rows.append(f"- {title}" + (f"\n  {' · '.join(rest)}" if rest else ""))
    return "\n".join(rows)


def _label(name: str, value: str, owners: Collection[str]) -> str:
    """A cell's label: its column's header, *Eigenaren* for a cell with several owners."""
    several = name == _OWNER and bool(owners) and value not in owners
    return _OWNERS if several else name
