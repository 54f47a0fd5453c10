"""``depends_on`` checks: unknown ids, self-dependence and dependency cycles."""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence

from governance.planfile.nodes import Problems, suggest
from governance.planfile.rows import Row


def check_dependencies(rows: Sequence[Row], ids: Mapping[str, Row], problems: Problems) -> None:
    """Report unknown and self references where they are written, and each cycle once."""
    known = list(ids)
    for row in rows:
        for ref, node in row.own_depends:
            if ref == row.id:
                problems.add(node, f"{row.kind} {row.id!r} depends on itself")
            elif ref not in ids:
                problems.add(node, f"unknown id {ref!r} in 'depends_on'{suggest(ref, known)}")
    order = {row.id: i for i, row in enumerate(rows) if ids.get(row.id) is row}
    graph = {rid: [d for d in ids[rid].depends_on if d in order and d != rid] for rid in order}
    for component in _strongly_connected(graph):
        if len(component) < 2:
            continue
        first = min(component, key=order.__getitem__)
        cycle = _shortest_cycle(first, graph, set(component))
        row = ids[first]
        problems.add(row.at, "dependency cycle: " + " → ".join(cycle))


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
