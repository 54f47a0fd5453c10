"""How plan objects map onto rows for :mod:`store.sync`.

Values are compared in a neutral form (lists for tuples, ``{kind, start, end}`` for periods) and
recorded in revisions as JSON (:func:`to_json`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from governance.periods import Period
from governance.plan import Action, Milestone
from store.models import ContactRow, PlanItemMixin, PlanRevisionRow, ProgrammeRow
from store.records import Revision

Values = dict[str, Any]


class SyncError(ValueError):
    """The plan cannot be stored as given (e.g. a duplicate code)."""


def renumbered_only(
    group: str | None, current: Mapping[str, Values], desired: Mapping[str, Values]
) -> set[str]:
    """Codes whose position change needs no revision of its own: the item moved to another
    group (that change is recorded), or siblings were only added or removed around it (the
    siblings present before and after still come before it in the same order)."""
    if group is None:
        return set()

    def orders(values: Mapping[str, Values]) -> dict[Any, list[str]]:
        out: dict[Any, list[str]] = {}
        for code in sorted(values, key=lambda c: values[c]["position"]):
            out.setdefault(values[code][group], []).append(code)
        return out

    old, new = orders(current), orders(desired)
    quiet: set[str] = set()
    # Per group: each code's index among the siblings present before and after, in the old and
    # the new order, and how long both orders agree from the start. A code's earlier siblings
    # are the same, in the same order, when both indexes are equal and within that agreement.
    # Linear in the group's size (comparing the sibling lists per code was quadratic).
    groups: dict[Any, tuple[dict[str, int], dict[str, int], int]] = {}
    for code in current.keys() & desired.keys():
        key = desired[code][group]
        if current[code][group] != key:
            quiet.add(code)
            continue
        found = groups.get(key)
        if found is None:
            both = set(old[key]) & set(new[key])
            before = [c for c in old[key] if c in both]
            after = [c for c in new[key] if c in both]
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


def keyed(entity: str, pairs: Iterable[tuple[str, Values]]) -> dict[str, Values]:
    out: dict[str, Values] = {}
    for code, values in pairs:
        if code in out:
            raise SyncError(f"duplicate {entity} {code!r} in the plan")
        out[code] = values
    return out


def read_attrs(row: object, fields: Iterable[str]) -> Values:
    return {name: getattr(row, name) for name in fields}


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


def read_contact(row: ContactRow) -> Values:
    return {
        "name": row.name,
        "organisation": row.organisation_code,
        "email": row.email,
        "slack": row.slack,
        "role": row.role,
        "programme_office": row.programme_office,
    }


def write_contact(row: ContactRow, name: str, value: Any) -> None:
    setattr(row, "organisation_code" if name == "organisation" else name, value)


def period_value(period: Period | None) -> Values | None:
    if period is None:
        return None
    return {"kind": period.kind.value, "start": period.start, "end": period.end}


def item_values(item: Action | Milestone, position: int) -> Values:
    return {
        "title": item.title,
        "gereed": item.gereed,
        "period": period_value(item.period),
        "owners": list(item.owners),
        "depends_on": list(item.depends_on),
        "note": item.note,
        "position": position,
    }


def read_item(row: PlanItemMixin) -> Values:
    period = None
    if row.period_kind is not None:
        period = {"kind": row.period_kind, "start": row.period_start, "end": row.period_end}
    return {
        "title": row.title,
        "gereed": row.gereed,
        "period": period,
        "owners": list(row.owners),
        "depends_on": list(row.depends_on),
        "note": row.note,
        "position": row.position,
    }


def write_item(row: PlanItemMixin, name: str, value: Any) -> None:
    if name == "period":
        row.period_kind = value["kind"] if value else None
        row.period_start = value["start"] if value else None
        row.period_end = value["end"] if value else None
    elif name in ("owners", "depends_on"):
        setattr(row, name, list(value))  # a fresh list, so the JSON column sees the change
    else:
        setattr(row, name, value)


def to_json(value: Any) -> Any:
    """A JSON-ready copy: dates as ISO text, tuples as lists."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    return value


def revision_record(row: PlanRevisionRow) -> Revision:
    return Revision(
        entity=row.entity,
        code=row.code,
        kind=row.kind,
        field=row.field,
        before=row.before,
        after=row.after,
        recorded_at=row.recorded_at,
        plan_path=row.plan_path,
        id=row.id,
    )
