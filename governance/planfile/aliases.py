"""YAML aliases within bounds: a few ``*defaults`` are fine, an alias bomb is refused.

An alias (``*name``) stands for the whole node its anchor (``&name``) marks, and every walk of the
plan visits that node once per alias. Nested aliases multiply: ten levels of nine aliases each
are 350 bytes of YAML and 9^10 nodes to visit (a CPU pinned for minutes: the command line, the
daily cycle, every page that loads the plan). The composer therefore counts, as it meets each
alias, how many nodes the aliases stand for; beyond :data:`MAX_ALIAS_NODES` (plus one per
character of the file before the alias, so that a large plan may use aliases in proportion) the
file is refused at that alias. An alias to a list or mapping that contains it (a plan that
contains itself) is refused as well. Counting costs nothing for a plan without aliases.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml.composer import Composer
from ruamel.yaml.error import StreamMark
from ruamel.yaml.nodes import CollectionNode, MappingNode, Node, SequenceNode

#: How many nodes all aliases together may stand for, beyond one per character before them.
MAX_ALIAS_NODES = 100_000


class AliasRefused(Exception):
    """An alias the plan may not use: ``message`` at ``mark`` (the alias itself)."""

    def __init__(self, mark: StreamMark, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


class BoundedComposer(Composer):
    """ruamel's composer, counting what its aliases stand for (see the module notes)."""

    def __init__(self, loader: Any = None) -> None:
        super().__init__(loader=loader)
        self.alias_nodes = 0
        self._sizes: dict[int, int] = {}

    def return_alias(self, a: Any) -> Any:
        event = self.parser.last_event  # the alias just read
        name = getattr(event, "anchor", None) or getattr(a, "anchor", None) or "?"
        mark = event.start_mark if event is not None else a.start_mark
        if isinstance(a, CollectionNode) and a.end_mark is None:  # still being composed
            raise AliasRefused(
                mark,
                f"alias *{name} stands for a list or mapping that contains the alias itself: "
                "a plan cannot contain itself",
            )
        self.alias_nodes += self._size(a)
        limit = MAX_ALIAS_NODES + max(getattr(mark, "index", 0), 0)
        if self.alias_nodes > limit:
            raise AliasRefused(
                mark,
                f"alias *{name} makes the aliases so far stand for {self.alias_nodes:,} values, "
                f"more than the {limit:,} allowed here (nested aliases multiply): "
                "write the values out, or nest fewer aliases",
            )
        return a

    def _size(self, node: Node) -> int:
        """How many nodes ``node`` is, counting an alias inside it as often as it occurs."""
        known = self._sizes.get(id(node))
        if known is not None:
            return known
        size = 1
        if isinstance(node, SequenceNode):
            size += sum(self._size(child) for child in node.value)
        elif isinstance(node, MappingNode):
            size += sum(self._size(k) + self._size(v) for k, v in node.value)
        self._sizes[id(node)] = size
        return size
