"""*Sinds de vorige vergadering*: an organisation's contact person changed (pure).

The items' owners are organisations, so an owner change says nothing about the person who
answers for them. This replays the contacts' plan revisions (created, changed name or
organisation, archived, restored) to the organisation's contacts as they stood when the period
began and as they stand on ``as_of``: where both had contacts and they differ, one change.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from governance.plan import Plan


class ItemRevision(Protocol):
    """A contact's plan revision (:class:`governance.agenda.ItemRevision`, ``item_id``: the
    contact's id); structural, so this module need not import the agenda's."""

    @property
    def item_id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def field(self) -> str | None: ...
    @property
    def before(self) -> Any: ...
    @property
    def after(self) -> Any: ...
    @property
    def recorded_at(self) -> datetime: ...


#: The first agenda layout that lists a contact change (older packs are made again without).
CONTACT_LAYOUT = 3

_Contacts = dict[str, dict[str, object]]  # contact id → name, organisation, active


def _apply(state: _Contacts, r: ItemRevision) -> None:
    if r.kind == "created" and isinstance(r.after, dict):
        state[r.item_id] = {
            "name": r.after.get("name"),
            "organisation": r.after.get("organisation"),
            "active": True,
        }
    elif r.item_id not in state:
        return  # a revision of a contact created before the records: nothing to compare
    elif r.kind == "changed" and r.field in ("name", "organisation"):
        state[r.item_id][r.field] = r.after
    elif r.kind in ("archived", "restored"):
        state[r.item_id]["active"] = r.kind == "restored"


def _by_organisation(state: _Contacts) -> dict[str, dict[str, str | None]]:
    out: dict[str, dict[str, str | None]] = {}
    for code, c in state.items():
        if c["active"] and isinstance(c["organisation"], str):
            name = c["name"] if isinstance(c["name"], str) and c["name"].strip() else None
            out.setdefault(c["organisation"], {})[code] = name
    return out


def contact_changes(
    plan: Plan,
    revisions: Sequence[ItemRevision],
    since: date | None,
    as_of: date,
    local_day: Callable[[datetime], date],
    counts: Callable[[datetime], bool] | None = None,
) -> list[tuple[str, str, date, str | None, str | None]]:
    """Per organisation whose contacts changed from ``since`` through ``as_of``: (organisation
    id, its name, the day of the last change, the names before, the names after). The names
    are None unless every contact involved has one on record (a redacted one has not).
    ``counts`` (agenda layout 23, walk58a 5): whether a revision recorded at a moment is in the
    period, as :func:`governance.agenda_since.since_last` judges the items' plan edits (from
    ``since``, or after the body's latest pack was archived); once one counts, the later ones
    do too. Without it: from ``since``, by day."""
    if since is None:
        return []  # a first meeting with nothing to count from: every contact is new
    state: _Contacts = {}
    before: _Contacts | None = None
    last: dict[str, date] = {}
    for r in sorted(revisions, key=lambda r: r.recorded_at):
        day = local_day(r.recorded_at)
        if day > as_of:
            break
        counted = counts(r.recorded_at) if counts is not None else day >= since
        if before is None and counted:
            before = {k: dict(v) for k, v in state.items()}
        was = state.get(r.item_id, {}).get("organisation")
        _apply(state, r)
        if before is not None:
            for org in {was, state.get(r.item_id, {}).get("organisation")}:
                if isinstance(org, str):
                    last[org] = day
    if before is None:
        return []
    then, now = _by_organisation(before), _by_organisation(state)
    out = []
    for org in sorted(set(then) & set(now)):
        if then[org] == now[org]:
            continue
        names = [*then[org].values(), *now[org].values()]
        known = all(n is not None for n in names)
        shown = organisation_name(plan, org)
        out.append(
            (
                org, shown, last.get(org, as_of),
                ", ".join(sorted(str(n) for n in then[org].values())) if known else None,
                ", ".join(sorted(str(n) for n in now[org].values())) if known else None,
            )
        )  # fmt: skip
    return out


def organisation_name(plan: Plan, org_id: str) -> str:
    found = plan.organisation(org_id)
    return found.name if found is not None else org_id
