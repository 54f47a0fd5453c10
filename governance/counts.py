"""English count words for the command line's lines (``1 step``, ``2 steps``, ``0 steps``):
one rule, so that no line says ``1 steps`` (walk56c 7). Dutch counts live in the templates."""

from __future__ import annotations


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and ``noun``, singular for exactly one; ``plural`` when adding an *s* is wrong
    (``count(2, "summary", "summaries")``)."""
    return f"{n} {noun if n == 1 else plural or f'{noun}s'}"
