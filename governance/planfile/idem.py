"""``idem`` resolved for good: a loaded plan never holds a SAME_AS_ABOVE period.

:mod:`.items` resolves ``idem`` row by row while it reads the file (it knows the row above and
reports the problems). :func:`resolve_same_as` is the invariant's last word for plans built some
other way (in code, in tests): every ``idem`` period that still follows ``same_as`` becomes the
period it names, the way the loader would have made it, so the assessment reads each item's own
period and never follows ``idem`` itself.
"""

from __future__ import annotations

from dataclasses import replace

from governance.periods import Period, PeriodKind
from governance.plan import Action, Milestone, Plan

__all__ = ["resolve_same_as", "unresolved_same_as"]

_Row = tuple[Period | None, tuple[str, ...]]  # a row's period and depends_on


def unresolved_same_as(plan: Plan) -> list[str]:
    """Ids of the rows whose period is still an unresolved ``idem``."""
    out: list[str] = []
    for a in plan.actions():
        items: tuple[Action | Milestone, ...] = (a, *a.milestones)
        out.extend(i.id for i in items if i.period and i.period.kind is PeriodKind.SAME_AS_ABOVE)
    return out


def resolve_same_as(plan: Plan) -> Plan:
    """``plan`` with every unresolved ``idem`` replaced by the period of the row it names (and
    a dependent row's ``depends_on`` where the row names none); ``plan`` itself when none is."""
    if not unresolved_same_as(plan):
        return plan
    rows: dict[str, _Row] = {}
    for a in plan.actions():
        rows.setdefault(a.id, (a.period, a.depends_on))
        for m in a.milestones:
            rows[m.id] = (m.period, m.depends_on)

    def resolved(item_id: str, seen: frozenset[str] = frozenset()) -> _Row:
        period, deps = rows.get(item_id, (None, ()))
        if period is None or period.kind is not PeriodKind.SAME_AS_ABOVE:
            return period, deps
        target = period.same_as
        if target and target in rows and target not in seen:
            above, above_deps = resolved(target, seen | {item_id})
            if above is None:
                return None, deps
            start, end = period.start or above.start, period.end or above.end
            copy = Period(above.kind, period.text, start, end, same_as=target)
            return copy, deps or above_deps
        # Nothing to follow: read the row's own dates.
        kind = PeriodKind.DATE if period.end else PeriodKind.OPEN_ENDED if period.start else None
        own = Period(kind, period.text, period.start, period.end) if kind else None
        return own, deps

    def milestone(m: Milestone) -> Milestone:
        period, deps = resolved(m.id)
        return m if period is m.period else replace(m, period=period, depends_on=deps)

    def action(a: Action) -> Action:
        milestones = tuple(milestone(m) for m in a.milestones)
        period, deps = resolved(a.id) if a.period is not None else (a.period, a.depends_on)
        if period is a.period and all(
            n is o for n, o in zip(milestones, a.milestones, strict=True)
        ):
            return a
        return replace(a, period=period, depends_on=deps, milestones=milestones)

    steps = tuple(replace(s, actions=tuple(action(a) for a in s.actions)) for s in plan.steps)
    return replace(plan, steps=steps)
