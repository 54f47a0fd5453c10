"""`regie import-updates` next to what is on record (walk56a 4, 5, 9).

- a file whose content was imported before: refused first, before any row is checked
  (:func:`refuse_repeat`), and again inside the storing transaction (two clerks at once);
- a row that repeats an update already recorded for that item and day is skipped, one line
  names them all (:func:`split_repeats`, :func:`repeats_note`); so is a row that repeats one
  its owner corrected since (the line names the correction: review56 1);
- a changed row of an earlier import (same item, day and author) corrects that update while it
  still sets the item's state, as an owner's *Wijzigen* does (:func:`correcting_rows`);
- a ``gereed (plan)`` cell with a gereed the item had before the sheet came back
  (:class:`FormerGereeds`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from governance.counts import count
from regie.errors import InvalidInput

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from governance.decisions import Decision
    from governance.plan import Plan
    from governance.sheet_rows import FormerGereed, GereedRevision
    from governance.updates import StatusUpdate
    from regie.answers import Prepare
    from regie.bootstrap import App
    from store.reports_repo import UpdateImport


def refuse_repeat(session: Session, programme_id: str, path: Path, digest: str) -> None:
    """InvalidInput naming the earlier import when a file with this content was imported."""
    from store.reports_repo import ReportsRepository

    earlier = ReportsRepository(session, programme_id).imports_of(digest)
    if earlier:
        first = earlier[0]
        more = f" (and {len(earlier) - 1} more)" if len(earlier) > 1 else ""
        raise InvalidInput(
            f"{path}: the same content was imported before as import {first.id} "
            f"({first.file_name}, for {first.reported_on}, recorded "
            f"{first.recorded_at:%Y-%m-%d %H:%M} UTC, {count(len(first.update_ids), 'update')})"
            f"{more}; nothing imported (give --again to import it once more)"
        )


class OnRecord(NamedTuple):
    """The updates on record for the sheet's items (each item's, oldest first), and which
    import recorded an update (update id → import)."""

    histories: dict[str, list[StatusUpdate]]
    imports: dict[int, UpdateImport]


def on_record(app: App, plan: Plan, item_ids: set[str]) -> OnRecord:
    from store import Repository
    from store.reports_repo import ReportsRepository

    histories: dict[str, list[StatusUpdate]] = {i: [] for i in item_ids}
    with app.session() as session:
        for update in Repository(session, plan.programme.id).status_updates():
            if update.item_id in histories:
                histories[update.item_id].append(update)
        imports = {
            update_id: found
            for found in ReportsRepository(session, plan.programme.id).imports()
            for update_id in found.update_ids
        }
    return OnRecord(histories, imports)


class Repeat(NamedTuple):
    """A skipped row (``line``), the update it repeats, and the correction of that update made
    since outside the imports (:func:`governance.sheet_rows.corrected_since`), if any."""

    line: int
    earlier: StatusUpdate
    since: StatusUpdate | None = None


def split_repeats(
    updates: list[StatusUpdate], lines: dict[str, int], record: OnRecord
) -> tuple[list[StatusUpdate], list[Repeat]]:
    """The updates to record, and the rows (by their ``lines``) already on record."""
    from governance.sheet_rows import corrected_since, repeated_in

    kept: list[StatusUpdate] = []
    repeats: list[Repeat] = []
    for update in updates:
        history = record.histories.get(update.item_id, [])
        earlier = repeated_in(update, history)
        if earlier is None:
            kept.append(update)
        else:
            since = corrected_since(earlier, history)
            repeats.append(Repeat(lines[update.item_id], earlier, since))
    return kept, repeats


def _where(update: StatusUpdate, imports: dict[int, UpdateImport]) -> str:
    found = imports.get(update.id) if update.id is not None else None
    if found is None:
        return f"update {update.id} ({update.source})"
    return f"update {update.id} (import {found.id}, {found.file_name})"


def repeats_note(repeats: list[Repeat], imports: dict[int, UpdateImport], as_of: date) -> str:
    """One line naming the skipped rows and the updates they repeat."""
    n = len(repeats)
    shown = ", ".join(
        f"line {r.line} as {_where(r.earlier, imports)}"
        + (f", since corrected by update {r.since.id}" if r.since is not None else "")
        for r in sorted(repeats, key=lambda r: r.line)
    )
    return (
        f"skipped {count(n, 'row')} already recorded for {as_of} "
        f"(same contact, status, dates and note): {shown}"
    )


@dataclass(frozen=True, slots=True)
class Change:
    """A changed row of an earlier import: ``earlier`` is the update it changes, ``corrects``
    the update it corrects (None: another update came after it, ``latest``)."""

    item_id: str
    earlier: StatusUpdate
    corrects: int | None
    latest: StatusUpdate


def changed_items(updates: list[StatusUpdate], record: OnRecord) -> set[str]:
    """The items whose row changes an update of an earlier import (same day and author)."""
    from governance.sheet_rows import changed_answer

    return {
        u.item_id
        for u in updates
        if changed_answer(u, record.histories.get(u.item_id, [])) is not None
    }


def correcting_rows(plan: Plan, items: set[str], found: list[Change]) -> Prepare | None:
    """Sets, inside the import's transaction (under the answers' write lock), ``corrects`` of
    a row that changes an earlier import's update of ``items``, as an owner's *Wijzigen* does
    (:func:`governance.corrections.owner_corrects`); each such row is added to ``found``."""
    if not items:
        return None

    def prepare(session: Session, update: StatusUpdate) -> StatusUpdate:
        from governance.corrections import owner_corrects
        from governance.sheet_rows import changed_answer
        from store import Repository

        if update.item_id not in items:
            return update
        history = Repository(session, plan.programme.id).status_updates(item=update.item_id)
        earlier = changed_answer(update, history)
        if earlier is None or earlier.id is None:
            return update
        tip = owner_corrects(earlier.id, history)
        found.append(Change(update.item_id, earlier, tip, history[-1]))
        return update if tip is None else replace(update, corrects=tip)

    return prepare


def changes_note(
    changes: list[Change], lines: dict[str, int], imports: dict[int, UpdateImport]
) -> list[str]:
    """One line for the rows that correct an earlier import, one for those that could not."""
    fixed = [c for c in changes if c.corrects is not None]
    later = [c for c in changes if c.corrects is None]
    out = []
    if fixed:
        shown = ", ".join(
            f"line {lines[c.item_id]} ({c.item_id}) corrects "
            + (
                _where(c.earlier, imports)
                if c.corrects == c.earlier.id
                else f"update {c.corrects}, the correction of {_where(c.earlier, imports)}"
            )
            for c in fixed
        )
        out.append(f"changed since an earlier import of the same day and contact: {shown}")
    if later:
        shown = ", ".join(
            f"line {lines[c.item_id]} ({c.item_id}) changes {_where(c.earlier, imports)}, "
            f"but update {c.latest.id} ({c.latest.reported_on}) came after it"
            for c in later
        )
        out.append(f"recorded as new updates, not corrections: {shown}")
    return out


class FormerGereeds:
    """The gereed texts the plan's items had before (:func:`governance.sheet_rows.
    former_gereeds`), read from the stored decisions and plan revisions when first asked."""

    def __init__(self, app: App, plan: Plan) -> None:
        self._app = app
        self._plan = plan
        self._read: tuple[list[Decision], list[GereedRevision]] | None = None

    def of(self, item_id: str, *also: str) -> list[FormerGereed]:
        from governance.answers import find_item
        from governance.sheet_rows import former_gereeds

        decisions, revisions = self._stored()
        item = find_item(self._plan, item_id)
        current = item.gereed if item is not None else None
        original = _original_gereed(self._plan, item_id)
        out: list[FormerGereed] = []
        for code in (item_id, *also):
            out += former_gereeds(code, current, decisions, revisions, original)
        return out

    def _stored(self) -> tuple[list[Decision], list[GereedRevision]]:
        from zoneinfo import ZoneInfo

        from governance.sheet_rows import GereedRevision
        from store import reports_read

        if self._read is None:
            programme = self._plan.programme.id
            zone = ZoneInfo(self._plan.calendar.timezone)
            with self._app.reading() as connection:
                decisions = reports_read.decisions(connection, programme)
                revisions = [
                    GereedRevision(code, before, after, at.astimezone(zone).date())
                    for code, field, before, after, at in reports_read.plan_revisions(
                        connection, programme
                    )
                    if field == "gereed"
                ]
            self._read = (decisions, revisions)
        return self._read


def _original_gereed(plan: Plan, item_id: str) -> str | None:
    """The plan file's ``gereed_original`` of the action or milestone ``item_id``."""
    for action in plan.actions():
        if action.id == item_id:
            return action.original_gereed
        for milestone in action.milestones:
            if milestone.id == item_id:
                return milestone.original_gereed
    return None
