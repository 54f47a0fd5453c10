"""The row type shared by the items and dependency steps of the plan-file pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field

from ruamel.yaml.nodes import MappingNode, Node

from governance.periods import Period


@dataclass(slots=True)
class Row:
    """An action or milestone being built; ``depends_on`` becomes final after ``idem``."""

    id: str
    kind: str  # "action" or "milestone", for messages
    node: MappingNode
    id_node: Node | None  # the id's value (None when missing): where id problems point
    at: Node  # the ``id:`` key, else the mapping: the item's location
    parent: str = ""  # a milestone's action id ("" for an action)
    gereed: str | None = None
    gereed_node: Node | None = None
    period: Period | None = None
    own_depends: list[tuple[str, Node]] = field(default_factory=list)
    depends_on: list[str] = field(default_factory=list)
