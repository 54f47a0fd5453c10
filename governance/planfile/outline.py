"""What the checks made after parsing read, of a plan file the parser refused.

Some problems are found only once the plan is built, because they need the ``holidays``
package, which parsing does not import: an unknown ``calendar.holidays_country``, and meetings
on a day off (docs/plan-schema.md, "Meetings"). So that ``regie plan validate`` reports them
with the parser's problems in one run, :func:`plan_outline` builds the parts those checks read
from a refused file: the programme's term, the calendar and the governance bodies' meetings,
as a plan without steps.

Left out, so that no check echoes a problem already reported (a knock-on): everything when the
programme's ``start`` or ``end`` or the calendar's ``holidays_country`` or ``extra_days_off``
has a problem (the term or the days off would be guessed), or the file is no mapping; a body's
meeting ``rule`` with a problem in it (a date its broken ``except`` meant to skip would be
reported). A meeting date that is wrong is not in ``dates``: the others are checked.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace

from ruamel.yaml.nodes import MappingNode, Node, SequenceNode

from governance.plan import GovernanceBody, Plan, Programme
from governance.planfile.build import _PROGRAMME, _TOP, _calendar
from governance.planfile.extras import meeting_schedule
from governance.planfile.nodes import Fields, Problem, Problems, is_null

__all__ = ["outline_from_root"]

_BODY = ("meetings",)  # the one key of a governance body the checks read


def outline_from_root(root: Node | None, path: str, problems: Sequence[Problem]) -> Plan | None:
    """The outline (module notes) of the composed file ``root`` whose parse found
    ``problems``; None when its term or calendar cannot be told (module notes)."""
    if not isinstance(root, MappingNode):
        return None
    scratch = Problems(path)  # the parts' own problems: the parse reported them already
    programme_node = _child(root, "programme")
    if not isinstance(programme_node, MappingNode):
        return None
    calendar_node = _child(root, "calendar")
    read = [_child(programme_node, "start"), _child(programme_node, "end")]
    if isinstance(calendar_node, MappingNode):
        read += [_child(calendar_node, "holidays_country"), _child(calendar_node, "extra_days_off")]
    elif calendar_node is not None and not is_null(calendar_node):
        return None  # a calendar that is no mapping: reported, its days unknown
    if any(_has_problem(node, problems) for node in read):
        return None
    term = Fields(programme_node, _PROGRAMME, "programme", scratch)
    programme = Programme(id="", title="", start=term.date("start"), end=term.date("end"))
    calendar = _calendar(Fields(root, _TOP, "the plan", scratch), scratch)
    bodies: list[GovernanceBody] = []
    governance = _child(root, "governance")
    entries = governance.value if isinstance(governance, SequenceNode) else []
    for node in entries:
        meetings = None
        if isinstance(node, MappingNode) and _child(node, "meetings") is not None:
            meetings = meeting_schedule(Fields(node, _BODY, "governance body", scratch), scratch)
            rule = _child(_child(node, "meetings"), "rule")
            if meetings is not None and rule is not None and _has_problem(rule, problems):
                meetings = replace(meetings, rule=None)
        bodies.append(GovernanceBody(id="", name="", purpose="", meetings=meetings))
    return Plan(
        programme=programme,
        steps=(),
        governance=tuple(bodies),
        calendar=calendar,
        path=os.fspath(path),
    )


def _child(node: Node | None, key: str) -> Node | None:
    """The value under ``key`` of a mapping node (the first, if repeated), else None."""
    if not isinstance(node, MappingNode):
        return None
    return next((v for k, v in node.value if getattr(k, "value", None) == key), None)


def _has_problem(node: Node | None, problems: Sequence[Problem]) -> bool:
    """Whether a problem is placed within ``node`` (from its start up to its end)."""
    if node is None:
        return False
    start = (node.start_mark.line + 1, node.start_mark.column + 1)
    end = (node.end_mark.line + 1, node.end_mark.column + 1)
    return any(start <= (p.line, p.col) < end or (p.line, p.col) == start for p in problems)
