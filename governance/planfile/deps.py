"""``depends_on`` checks: unknown ids, self-dependence and dependency cycles."""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence
from itertools import pairwise

from ruamel.yaml.nodes import Node

from governance.planfile.nodes import Problems, clip, shown, suggest
from governance.planfile.rows import Row


def check_dependencies(rows: Sequence[Row], ids: Mapping[str, Row], problems: Problems) -> None:
    """Report unknown and self references where they are written, and each cycle once.

    The graph is the one the assessment follows (:class:`governance.assessor.PlanIndex`): an
    action named in ``depends_on`` stands for its own *gereed* and all its milestones, so
    waiting for it is waiting for each of them. A milestone that depends on its own action
    therefore waits for itself; so does one that reaches its action through others. The
    milestones of an action without a *gereed* of its own depend on what the action's
    ``depends_on`` names (:meth:`Row.inherited`): those edges are in the graph too, and an
    action that names one of its own milestones would make that milestone wait for itself."""
    known = list(ids)
    for row in rows:
        for ref, node in row.own_depends:
            if ref == row.id:
                problems.add(node, f"{row.kind} {shown(row.id)} depends on itself")
            elif ref not in ids:
                # Never the item itself, a milestone's own action, nor (for an action without
                # a gereed, whose depends_on its milestones take) its own milestones: following
                # that hint would only give a self-dependence error (walk49 5, review49b 5).
                own = row.kind == "action" and row.gereed is None
                others = [
                    k
                    for k in known
                    if k != row.id and k != row.parent and not (own and ids[k].parent == row.id)
                ]
                problems.add(node, f"unknown id {shown(ref)} in 'depends_on'{suggest(ref, others)}")
            elif ref == row.parent:
                problems.add(
                    node,
                    f"milestone {shown(row.id)} depends on its own action {shown(ref)}, which "
                    "stands for all its milestones, this one too: it would wait for itself",
                )
        for ref, node in row.inherited():
            if ref == row.id:
                problems.add(
                    node,
                    f"action {shown(row.parent)} has no 'gereed' of its own, so its 'depends_on' "
                    f"holds for each of its milestones: milestone {shown(ref)} would wait for "
                    "itself (name it in the 'depends_on' of the milestones that wait for it)",
                )
    order = {row.id: i for i, row in enumerate(rows) if ids.get(row.id) is row}
    milestones: dict[str, list[str]] = {}
    for rid in order:
        if ids[rid].parent in order:
            milestones.setdefault(ids[rid].parent, []).append(rid)

    def waits_for(row: Row) -> list[str]:
        skip = (row.id, row.parent)
        own = [d for d in row.depends_on if d in order and d not in skip]
        passed = [d for d, _ in row.inherited() if d in order and d not in skip and d not in own]
        return own + passed + milestones.get(row.id, [])

    graph = {rid: waits_for(ids[rid]) for rid in order}
    for component in _strongly_connected(graph):
        if len(component) < 2:
            continue
        first = min(component, key=order.__getitem__)
        cycle = _shortest_cycle(first, graph, set(component))
        row = ids[first]
        # A cycle that leaves its first item by an inherited step is pointed out where that
        # step is written: in its action's depends_on.
        at: Node = row.at
        if cycle[1] not in row.depends_on:
            at = next((n for d, n in row.inherited() if d == cycle[1]), row.at)
        shown_cycle = " → ".join(map(clip, cycle))
        problems.add(at, f"dependency cycle: {shown_cycle}{_through(cycle, ids)}")


def _through(cycle: list[str], ids: Mapping[str, Row]) -> str:
    """The steps of ``cycle`` not written in the ``depends_on`` they leave, but what depending
    on an action means (an action to one of its milestones) or what a milestone inherits from
    its action, spelled out."""
    members: list[str] = []
    inherited: dict[str, list[str]] = {}  # action id → the steps its milestones inherit
    for a, b in pairwise(cycle):
        if b in ids[a].depends_on:
            continue
        if ids[b].parent == a:
            members.append(f"{clip(a)} → {clip(b)}")
        else:
            inherited.setdefault(clip(ids[a].parent), []).append(f"{clip(a)} → {clip(b)}")
    notes = [f"{', '.join(members)}: an action waits for each of its milestones"] if members else []
    notes += [
        f"{', '.join(steps)}: action {action} has no 'gereed' of its own, so its milestones "
        "wait for what it depends on"
        for action, steps in inherited.items()
    ]
    return f" ({'; '.join(notes)})" if notes else ""


def _strongly_connected(graph: Mapping[str, list[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative so that a long chain cannot hit the recursion limit."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            successors = graph[node]
            if i < len(successors):
                work.append((node, i + 1))
                nxt = successors[i]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                out.append(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return out


def _shortest_cycle(start: str, graph: Mapping[str, list[str]], within: set[str]) -> list[str]:
    """start → … → start, the fewest steps, following depends_on in written order."""
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in graph[node]:
            if nxt not in within:
                continue
            if nxt == start:
                path = [node]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return [*reversed(path), start]
            if nxt not in came_from:
                came_from[nxt] = node
                queue.append(nxt)
    return [start, start]  # unreachable for a real component; kept total for safety
