"""The calendar-token form's "Bereik" field: what is wrong with a scope, for a Dutch message.

:func:`feeds.scope.parse_scope` judges the scope; its errors are English for the command line.
:func:`scope_problem` names what it refused in parts, and ``agenda.html.j2`` words them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from governance.plan import Plan


@dataclass(frozen=True, slots=True)
class ScopeProblem:
    #: empty | unknown_kind | takes_no_value | no_value | unknown_value | invalid (anything else)
    problem: str
    text: str  # the scope as given, trimmed
    kind: str = ""  # org, step, contact or body
    value: str = ""
    known: tuple[str, ...] = ()  # the values the plan has for ``kind``


def scope_problem(text: str, plan: Plan) -> ScopeProblem | None:
    """None for a scope the feeds accept, else what is wrong with it."""
    from feeds.scope import KINDS, ScopeError, parse_scope

    text = text.strip()
    try:
        parse_scope(text, plan)
    except ScopeError:
        pass
    else:
        return None
    kind, colon, value = text.partition(":")
    if not text:
        return ScopeProblem("empty", text)
    if kind not in KINDS:
        return ScopeProblem("unknown_kind", text)
    if kind == "programme":
        return ScopeProblem("takes_no_value" if colon else "invalid", text)
    known = _known(kind, plan)
    if not value:
        return ScopeProblem("no_value", text, kind, known=known)
    if value not in known:
        return ScopeProblem("unknown_value", text, kind, value, known)
    return ScopeProblem("invalid", text, kind, value, known)


def _known(kind: str, plan: Plan) -> tuple[str, ...]:
    if kind == "org":
        return tuple(o.id for o in plan.organisations)
    if kind == "step":
        return tuple(str(s.number) for s in plan.steps)
    if kind == "contact":
        return tuple(c.id for c in plan.contacts)
    if kind == "body":
        return tuple(b.id for b in plan.governance)
    return ()
