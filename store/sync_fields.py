"""How plan objects map onto rows for :mod:`store.sync`.

Each entity compares a tuple of column values (stored row against the plan's, one tuple
comparison for an unchanged row); the rows that differ are named (lists for tuples,
``{kind, start, end}`` for periods, codes for references) and recorded in revisions as JSON
(:func:`to_json`).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from governance.plan import Action, Milestone, Plan
from store.models import (
    ActionRow,
    ContactRow,
    MilestoneRow,
    OrganisationRow,
    PlanEntityMixin,
    ProgrammeRow,
    StepRow,
)

Values = dict[str, Any]
Row = tuple[Any, ...]  # an entity's compared columns, in its Entity.columns order


class SyncError(ValueError):
    """The plan cannot be stored as given (e.g. a duplicate code)."""


class ProgrammeElsewhere(SyncError):
    """The plan's programme is not in the database, which holds other programmes: the first
    sync would add it beside them (the other installation's plan or database?), and was not
    told to (``add_programme``). Nothing was written."""

    def __init__(self, programme_id: str, stored: list[str]) -> None:
        super().__init__(f"the database holds {', '.join(stored)}, not {programme_id}")
        self.programme_id = programme_id
        self.stored = stored  # the first few, by id


def renumbered_only(
    old: Mapping[str, tuple[Any, int]], new: Mapping[str, tuple[Any, int]], moved: Iterable[str]
) -> set[str]:
    """Of the ``moved`` codes (present before and after, position changed), those whose position
    change needs no revision of its own: the item moved to another group (that change is
    recorded), or siblings were only added or removed around it (the siblings present before
    and after still come before it in the same order). ``old`` and ``new`` give each code's
    (group, position); only the groups of ``moved`` codes are looked at."""
    quiet: set[str] = set()
    keys: set[Any] = set()
    for code in moved:
        if old[code][0] != new[code][0]:
            quiet.add(code)
        else:
            keys.add(new[code][0])
    if not keys:
        return quiet

    def orders(values: Mapping[str, tuple[Any, int]]) -> dict[Any, list[str]]:
        out: dict[Any, list[tuple[int, str]]] = {}
        for code, (key, position) in values.items():
            if key in keys:
                out.setdefault(key, []).append((position, code))
        return {k: [c for _, c in sorted(v, key=lambda pc: pc[0])] for k, v in out.items()}

    before_order, after_order = orders(old), orders(new)
    # Per group: each code's index among the siblings present before and after, in the old and
    # the new order, and how long both orders agree from the start. A code's earlier siblings
    # are the same, in the same order, when both indexes are equal and within that agreement.
    # Linear in the group's size (comparing the sibling lists per code was quadratic).
    groups: dict[Any, tuple[dict[str, int], dict[str, int], int]] = {}
    for code in moved:
        key = new[code][0]
        if code in quiet:
            continue
        found = groups.get(key)
        if found is None:
            both = set(before_order.get(key, ())) & set(after_order.get(key, ()))
            before = [c for c in before_order.get(key, ()) if c in both]
            after = [c for c in after_order.get(key, ()) if c in both]
            agree = 0
            while agree < len(before) and before[agree] == after[agree]:
                agree += 1
            found = (
                {c: i for i, c in enumerate(before)},
                {c: i for i, c in enumerate(after)},
                agree,
            )
            groups[key] = found
        at_old, at_new, agree = found
        if at_old[code] == at_new[code] <= agree:
            quiet.add(code)
    return quiet


def keyed(entity: str, pairs: Iterable[tuple[str, Row]]) -> dict[str, Row]:
    out: dict[str, Row] = {}
    for code, values in pairs:
        if code in out:
            raise SyncError(f"duplicate {entity} {code!r} in the plan")
        out[code] = values
    return out


def read_programme(row: ProgrammeRow) -> Values:
    return {
        "title": row.title,
        "short_title": row.short_title,
        "description": row.description,
        "start": row.start_date,
        "end": row.end_date,
        "source_document": row.source_document,
    }


def write_programme(row: ProgrammeRow, name: str, value: Any) -> None:
    setattr(row, {"start": "start_date", "end": "end_date"}.get(name, name), value)


#: The compared columns of actions and milestones, in the order desired tuples give them.
ITEM_COLUMNS = (
    "title", "gereed", "period_kind", "period_start", "period_end", "owners", "depends_on",
    "note", "position",
)  # fmt: skip


#: Compared as the JSON text stored (read with a cast to text): decoding JSON for every stored
#: row was half the cost of comparing an unchanged plan. The text is what SQLAlchemy's JSON type
#: writes (``json.dumps``); a row stored in another spelling only looks changed, is compared by
#: value (no revision) and rewritten in this one.
JSON_COLUMNS = frozenset({"owners", "depends_on"})


@functools.lru_cache(maxsize=4096)
def json_text(values: tuple[str, ...]) -> str:
    return json.dumps(list(values))


@functools.lru_cache(maxsize=4096)
def _json_value(text: str) -> Any:
    return json.loads(text)


def json_value(text: str) -> Any:
    """The value of a stored JSON text (a fresh copy: the decoded values are cached)."""
    value = _json_value(text)
    return list(value) if isinstance(value, list) else value


def item_columns(item: Action | Milestone, position: int) -> tuple[Any, ...]:
    period = item.period
    return (
        item.title,
        item.gereed,
        period.kind.value if period is not None else None,
        period.start if period is not None else None,
        period.end if period is not None else None,
        json_text(item.owners),
        json_text(item.depends_on),
        item.note,
        position,
    )


def item_named(columns: Sequence[Any]) -> Values:
    """The named values of :data:`ITEM_COLUMNS` (as revisions record them)."""
    title, gereed, kind, start, end, owners, depends_on, note, position = columns
    return {
        "title": title,
        "gereed": gereed,
        "period": None if kind is None else {"kind": kind, "start": start, "end": end},
        "owners": json_value(owners),
        "depends_on": json_value(depends_on),
        "note": note,
        "position": position,
    }


def to_json(value: Any) -> Any:
    """A JSON-ready copy: dates as ISO text, tuples as lists."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    return value


@dataclass(frozen=True, slots=True)
class Entity:
    """How one kind of plan row is compared: its table, key column, compared columns and how a
    tuple of those is named for revisions (``named(lookup, row)`` when a lookup is needed)."""

    name: str
    model: type[PlanEntityMixin]
    key: str  # "code", or "number" for steps
    columns: tuple[str, ...]
    named: Callable[..., Values]
    group: int | None = None  # index of the column within which ``position`` counts
    position: int | None = None


def _named(*names: str) -> Callable[[Row], Values]:
    return lambda row: dict(zip(names, row, strict=True))


ORGANISATIONS = Entity(
    "organisation",
    OrganisationRow,
    "code",
    ("name", "kind", "note"),
    _named("name", "kind", "note"),
)
CONTACTS = Entity(
    "contact",
    ContactRow,
    "code",
    ("name", "organisation_code", "email", "slack", "role", "programme_office"),
    _named("name", "organisation", "email", "slack", "role", "programme_office"),
)
STEPS = Entity("step", StepRow, "number", ("title", "goal"), _named("title", "goal"))
ACTIONS = Entity(
    "action",
    ActionRow,
    "code",
    ("step_number", "group", "source", *ITEM_COLUMNS),
    lambda row: {"step": row[0], "group": row[1], "source": row[2], **item_named(row[3:])},
    group=0,
    position=3 + ITEM_COLUMNS.index("position"),
)
MILESTONES = Entity(
    "milestone",
    MilestoneRow,
    "code",
    ("action_id", *ITEM_COLUMNS),
    lambda code_of, row: {"action": code_of[row[0]], **item_named(row[1:])},
    group=0,
    position=1 + ITEM_COLUMNS.index("position"),
)


def organisations(plan: Plan) -> dict[str, Row]:
    return keyed("organisation", ((o.id, (o.name, o.kind, o.note)) for o in plan.organisations))


def contacts(plan: Plan) -> dict[str, Row]:
    return keyed(
        "contact",
        (
            (c.id, (c.name, c.organisation, c.email, c.slack, c.role, c.programme_office))
            for c in plan.contacts
        ),
    )


def steps(plan: Plan) -> dict[str, Row]:
    return keyed("step", ((str(s.number), (s.title, s.goal)) for s in plan.steps))


def actions(plan: Plan) -> dict[str, Row]:
    return keyed(
        "action",
        (
            (a.id, (a.step, a.group, a.source, *item_columns(a, position)))
            for step in plan.steps
            for position, a in enumerate(step.actions)
        ),
    )


def milestones(plan: Plan, action_ids: Mapping[str, int]) -> dict[str, Row]:
    def row(m: Milestone, position: int) -> Row:
        action_id = action_ids.get(m.action_id)
        if action_id is None:
            raise SyncError(f"milestone {m.id!r} names unknown action {m.action_id!r}")
        return (action_id, *item_columns(m, position))

    return keyed(
        "milestone",
        (
            (m.id, row(m, position))
            for action in plan.actions()
            for position, m in enumerate(action.milestones)
        ),
    )
