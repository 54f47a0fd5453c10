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
    action: Row | None = None  # a milestone's action row

    def inherited(self) -> list[tuple[str, Node]]:
        """The ``depends_on`` a milestone takes from its action (ids with their nodes, in the
        action's list): all of it when the action has no *gereed* of its own, else none
        (docs/plan-schema.md, "Dependencies"; :func:`governance.plan.inherits_depends_on`)."""
        action = self.action
        if action is None or action.gereed is not None:
            return []
        return action.own_depends
