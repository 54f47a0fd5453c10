"""Steps → actions → milestones: ids, owners, *gereed* periods, ``idem`` and ``depends_on``.

Rows are first collected as mutable :class:`Row` records (so ``idem`` can look at the row above
and dependencies can be checked once every id is known), then frozen into the plan model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from governance.periods import Period, PeriodError, PeriodKind, Season, parse_period
from governance.plan import Action, Location, Milestone, Step
from governance.planfile.deps import check_dependencies
from governance.planfile.nodes import (
    DATE,
    FLOAT,
    INT,
    STR,
    Fields,
    Problems,
    clip,
    describe,
    id_too_long,
    mappings,
    shown,
    suggest,
)
from governance.planfile.rows import Row

_STEP = ("number", "title", "goal", "actions")
#: Written by `regie decision add` (a decision moved or dropped the item); see docs/plan-schema.md.
_DECIDED = ("gereed_original", "revised_by", "cancelled_by")
_ACTION = (
    "id",
    "title",
    "group",
    "owners",
    "source",
    "gereed",
    "depends_on",
    "note",
    "milestones",
    "formerly",
    *_DECIDED,
)
_MILESTONE = ("id", "title", "gereed", "owners", "depends_on", "note", "formerly", *_DECIDED)
_ACTION_ID = re.compile(r"([0-9]+)\.([0-9]+)")
#: Step numbers are 1–999: a plan has a handful of steps (docs/plan-schema.md, "Numbers").
MAX_STEP = 999


@dataclass(slots=True)
class _Context:
    path: str
    org_ids: list[str]
    seasons: dict[str, Season]
    problems: Problems
    ids: dict[str, Row] = field(default_factory=dict)  # actions and milestones share ids
    rows: list[Row] = field(default_factory=list)  # in file order
    formerly: list[tuple[Row, str, Node]] = field(default_factory=list)  # row, old id, where

    def location(self, row: Row) -> Location:
        mark = row.at.start_mark
        return Location(self.path, mark.line + 1, mark.column + 1)


def build_steps(
    top: Fields,
    org_ids: list[str],
    seasons: dict[str, Season],
    path: str,
    problems: Problems,
    *,
    formerly_checks: bool = True,
) -> tuple[Step, ...]:
    items = top.items("steps", required=True)
    if items is None:
        return ()
    if not items:
        problems.add(top.value("steps"), "'steps' must not be empty")
    ctx = _Context(path, org_ids, seasons, problems)
    steps: list[Step] = []
    previous: tuple[int, Node] | None = None
    for node in mappings(items, "step", problems):
        f = Fields(node, _STEP, f"step {_peek(node, 'number') or ''}".rstrip(), problems)
        number = f.integer("number", required=True)
        number_node = f.value("number")
        if number is not None and not 1 <= number <= MAX_STEP:
            problems.add(number_node, f"'number' must be 1–{MAX_STEP}, not {clip(number)}")
            number = None
        if number is not None and number_node is not None:
            if previous is not None and number <= previous[0]:
                kind = "duplicate step number" if number == previous[0] else "step number"
                problems.add(
                    number_node,
                    f"{kind} {number} comes after step {previous[0]}: "
                    "steps must be numbered in ascending order",
                )
            previous = (number, number_node)
        title = f.text("title", required=True) or ""
        goal = f.text("goal")
        action_nodes = f.items("actions", required=True) or []
        actions = _actions(action_nodes, number, ctx)
        steps.append(Step(number=number or 0, title=title, actions=actions, goal=goal))
    check_dependencies(ctx.rows, ctx.ids, problems)
    if formerly_checks:
        _check_formerly(ctx)
    return tuple(steps)


def _check_formerly(ctx: _Context) -> None:
    """``formerly`` names an id this plan no longer has (a renumbering is one step: an id
    still in the plan would make a chain or a cycle), not the item's own, and no other item's."""
    claimed: dict[str, Row] = {}
    for row, old, node in sorted(ctx.formerly, key=lambda f: f[2].start_mark.index):
        what = f"{row.kind} {shown(row.id)}"
        current = ctx.ids.get(old)
        if old == row.id:
            ctx.problems.add(node, f"{what} names itself in 'formerly'")
        elif current is not None:
            line = current.at.start_mark.line + 1
            ctx.problems.add(
                node,
                f"{what}: 'formerly' names {shown(old)}, which is still in the plan (the "
                f"{current.kind} at line {line}); 'formerly' is the id the item had before this "
                "renumbering, and that id must be gone from the plan (no chains or cycles)",
            )
        elif old in claimed:
            first = claimed[old]
            ctx.problems.add(
                node,
                f"{what}: {shown(old)} is already named in 'formerly' by the {first.kind} "
                f"{shown(first.id)} at line {first.at.start_mark.line + 1}; one item takes over "
                "an old id's history",
            )
        else:
            claimed[old] = row


def _formerly(f: Fields, row: Row, ctx: _Context) -> str | None:
    old = f.text("formerly")
    node = f.value("formerly")
    if old is None or node is None:
        return None
    old = old.strip()
    id_too_long(old, f"{row.kind}'s former", node, ctx.problems)
    if row.id:
        ctx.formerly.append((row, old, node))
    return old


def _peek(node: MappingNode, key: str) -> str | None:
    """A scalar value's text before the mapping is checked, to name it in messages."""
    for k, v in node.value:
        if isinstance(k, ScalarNode) and k.value == key and isinstance(v, ScalarNode):
            return str(v.value) or None
    return None


def _label(kind: str, node: MappingNode) -> str:
    rid = _peek(node, "id")
    return f"{kind} {shown(rid)}" if rid else kind


def _actions(nodes: list[Node], step: int | None, ctx: _Context) -> tuple[Action, ...]:
    out: list[Action] = []
    above: Row | None = None
    for node in mappings(nodes, "action", ctx.problems):
        f = Fields(node, _ACTION, _label("action", node), ctx.problems)
        row = _row(f, "action", ctx)
        if row.id and step is not None:
            _check_action_id(row, step, ctx.problems)
        owners = _owners(f, ctx, required=True)
        first = f"the first action of step {step}" if step is not None else "a first action"
        _gereed(f, row, above, first, ctx)
        milestones = _milestones(f, row, owners, ctx)
        out.append(
            Action(
                id=row.id,
                step=step or 0,
                title=f.text("title", required=True) or "",
                owners=owners,
                gereed=row.gereed,
                period=row.period,
                milestones=milestones,
                depends_on=tuple(row.depends_on),
                group=f.text("group"),
                source=f.text("source"),
                note=f.text("note"),
                location=ctx.location(row),
                formerly=_formerly(f, row, ctx),
                **_decided(f),
            )
        )
        above = row
    return tuple(out)


def _milestones(
    action: Fields, parent: Row, owners: tuple[str, ...], ctx: _Context
) -> tuple[Milestone, ...]:
    out: list[Milestone] = []
    above: Row | None = None
    for node in mappings(action.items("milestones") or [], "milestone", ctx.problems):
        f = Fields(node, _MILESTONE, _label("milestone", node), ctx.problems)
        row = _row(f, "milestone", ctx)
        row.parent = parent.id
        row.action = parent
        if row.id and parent.id and not re.fullmatch(re.escape(parent.id) + r"\.[0-9]+", row.id):
            ctx.problems.add(
                row.id_node,
                f"milestone id {shown(row.id)} must look like '{clip(parent.id)}.N' "
                f"(it is under action {shown(parent.id)})",
            )
        _gereed(f, row, above, f"the first milestone of action {shown(parent.id)}", ctx)
        out.append(
            Milestone(
                id=row.id,
                action_id=parent.id,
                title=f.text("title", required=True) or "",
                gereed=row.gereed,
                period=row.period,
                owners=_owners(f, ctx, required=False) or owners,
                depends_on=tuple(row.depends_on),
                note=f.text("note"),
                location=ctx.location(row),
                formerly=_formerly(f, row, ctx),
                **_decided(f),
            )
        )
        above = row
    return tuple(out)


def _decided(f: Fields) -> dict[str, str | None]:
    """What decisions did to an item: its original gereed and which decision moved/dropped it."""
    return {
        "original_gereed": f.text("gereed_original"),
        "revised_by": f.text("revised_by"),
        "cancelled_by": f.text("cancelled_by"),
    }


def _row(f: Fields, kind: str, ctx: _Context) -> Row:
    """The row with its id (checked unique across actions and milestones) and depends_on."""
    rid = f.text("id", required=True) or ""
    row = Row(rid, kind, f.node, f.value("id") if rid else None, f.key("id") or f.node)
    if rid:
        id_too_long(rid, kind, row.id_node, ctx.problems)
        first = ctx.ids.get(rid)
        if first is not None:
            line = first.at.start_mark.line + 1
            ctx.problems.add(
                row.id_node,
                f"duplicate id {shown(rid)} (already used by the {first.kind} at line {line})",
            )
        else:
            ctx.ids[rid] = row
    row.own_depends = f.refs("depends_on", "id") or []
    row.depends_on = [ref for ref, _ in row.own_depends]
    ctx.rows.append(row)
    return row


def _check_action_id(row: Row, step: int, problems: Problems) -> None:
    match = _ACTION_ID.fullmatch(row.id)
    if match is None:
        problems.add(
            row.id_node,
            f"action id {shown(row.id)} must look like '{step}.N' (e.g. '{step}.1')",
        )
    elif (match.group(1).lstrip("0") or "0") != str(step):  # not int(): 5000 digits raise
        problems.add(
            row.id_node,
            f"action id {shown(row.id)} is under step {step}: it must start with '{step}.'",
        )


def _owners(f: Fields, ctx: _Context, *, required: bool) -> tuple[str, ...]:
    refs = f.refs("owners", "organisation id")
    if refs is None:
        if required:
            f.value("owners", required=True)  # reports the missing key
        return ()
    if not refs and f.value("owners") is not None:
        hint = "" if required else " (leave 'owners' out to use the action's owners)"
        ctx.problems.add(f.value("owners"), f"'owners' must name at least one organisation{hint}")
    for ref, node in refs:
        if ctx.org_ids and ref not in ctx.org_ids:
            ctx.problems.add(
                node, f"unknown organisation {shown(ref)} in 'owners'{suggest(ref, ctx.org_ids)}"
            )
    return tuple(ref for ref, _ in refs)


def _gereed(f: Fields, row: Row, above: Row | None, first: str, ctx: _Context) -> None:
    """Parse the verbatim *gereed*; resolve ``idem`` from the row above.

    Absent or null (``gereed:``, ``gereed: ~``) means "no gereed" (None): the seed leaves it out
    when the action's milestones carry the dates. Blank text (``gereed: ""``) is a cell written
    empty: kept as the empty text, to be decided (kind ``tbd``), as the period parser reads it.
    """
    node = f.value("gereed")
    if node is None:
        return
    # Numbers and dates are fine (``gereed: 2016``): the scalar's source text is what counts.
    if not isinstance(node, ScalarNode) or node.tag not in {STR, INT, FLOAT, DATE}:
        ctx.problems.add(node, f"'gereed' must be text such as 'Q3-2015', not {describe(node)}")
        return
    text = str(node.value).strip()
    row.gereed, row.gereed_node = text, node
    try:
        period = parse_period(text, ctx.seasons)
    except PeriodError as exc:
        # Where to look, said once per line: the accepted forms are a table, not a guess.
        hint = " (forms: docs/plan-schema.md, Periods)" if exc.reason == "unknown period" else ""
        ctx.problems.add(node, f"'gereed': {clip(exc.reason)}: {shown(exc.text)}{hint}")
        return
    if period.kind is PeriodKind.SAME_AS_ABOVE:
        row.period = _same_as_above(row, above, first, ctx.problems)
        return
    row.period = period
    # A 'depends_on' that is there but no list has its own line; "add it" would be wrong.
    written = f.value("depends_on")
    unreadable = written is not None and not isinstance(written, SequenceNode)
    if (
        period.kind is PeriodKind.DEPENDENT
        and not unreadable
        and not row.own_depends
        and not row.inherited()
    ):
        ctx.problems.add(
            node,
            f"'gereed' {shown(text)} is dependent: add 'depends_on' with the id(s) "
            f"this {row.kind} waits for",
        )


def _same_as_above(row: Row, above: Row | None, first: str, problems: Problems) -> Period | None:
    """``idem``: the period of the row above with this row's text; a dependent row above also
    passes on its ``depends_on`` (merged after the row's own)."""
    if above is None:
        problems.add(
            row.gereed_node, f"{shown(row.gereed)} has no row above to copy: this is {first}"
        )
        return None
    source = above.period
    if source is None:
        if above.gereed is None:  # an invalid gereed above has been reported already
            problems.add(
                row.gereed_node,
                f"{shown(row.gereed)} copies the row above ({clip(above.id)}), which has no "
                "'gereed'",
            )
        return None
    if source.kind is PeriodKind.DEPENDENT:
        own = row.depends_on
        row.depends_on = own + [d for d in above.depends_on if d not in own and d != row.id]
    return Period(source.kind, row.gereed or "", source.start, source.end, same_as=above.id)
