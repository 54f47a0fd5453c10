"""What the agenda pack's *Sinds de vorige vergadering* reads of the plan's revisions.

Plain SQL on a :class:`sqlalchemy.Connection`, like :mod:`store.reports_read` (no ORM import
before a PDF's layout can start).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, NamedTuple

import sqlalchemy as sa

from governance.agenda import ItemRevision
from store.assessment_query import converters
from store.reports_read import RENUMBERED_EVENT as RENUMBERED_EVENT  # read here too
from store.reports_read import _until

_P = sa.bindparam("p", type_=sa.String)


def item_revisions(
    connection: sa.Connection,
    programme_id: str,
    recorded_until: datetime | None = None,
    *,
    renumbered: bool = False,
) -> tuple[list[ItemRevision], datetime | None]:
    """The revisions of actions and milestones the pack lists (created, archived, restored,
    and owner changes), oldest first, recorded up to ``recorded_until`` when given; and the
    moment the programme's plan was first recorded (its first sync), None before any.
    ``renumbered``: an ``archived`` revision names the id that took over the item's history
    in that sync (:attr:`ItemRevision.renumbered_to`; agenda layout 20, progress layout 19)."""
    cut, cut_params = _until(connection, recorded_until)
    params = {"p": programme_id} | cut_params
    _, as_instant = converters(connection.dialect.name)
    first = _first_sync(connection, cut, params)
    if first is None:
        return [], None
    # The first sync's created rows are the plan itself (every item of a large plan): not read.
    rows = connection.execute(
        sa.text(
            'SELECT code, kind, field, "before", "after", recorded_at FROM plan_revisions'
            " WHERE programme_id = :p AND entity IN ('action', 'milestone')"
            " AND ((kind = 'created' AND recorded_at > :first)"
            " OR kind IN ('archived', 'restored')"
            f" OR (kind = 'changed' AND field = 'owners')){cut} ORDER BY recorded_at, id"
        ).bindparams(_P),
        params | {"first": first},
    )
    text_json = connection.dialect.name == "sqlite"  # PostgreSQL's driver decodes JSON itself

    def value(raw: Any) -> Any:
        return json.loads(raw) if text_json and isinstance(raw, str | bytes) else raw

    found = [
        ItemRevision(str(code), kind, field, value(before), value(after), as_instant(at))
        for code, kind, field, before, after, at in rows
    ]
    found = with_removed_fields(connection, programme_id, found, cut, params)
    if renumbered:
        found = _with_successors(connection, found, cut, params)
    return found, as_instant(first)


def _with_successors(
    connection: sa.Connection, found: list[ItemRevision], cut: str, params: dict[str, Any]
) -> list[ItemRevision]:
    """``found`` with an ``archived`` revision's ``renumbered_to`` set when a
    ``regie.item.renumbered`` event (recorded within the same cut-off) says that an id took
    over the item's history in that sync or later: the item was renumbered, not removed.
    Only the archive the renumbering carried over counts (review55b 4): the old id's latest
    one recorded by the event, unless a ``restored`` of the id came between them; an earlier
    removal the id came back from stays a removal."""
    if not any(r.kind == "archived" for r in found):
        return found
    _, as_instant = converters(connection.dialect.name)
    text_json = connection.dialect.name == "sqlite"
    rows = connection.execute(
        sa.text(
            "SELECT item_code, payload, recorded_at FROM events"
            f" WHERE programme_id = :p AND name = :n{cut} ORDER BY recorded_at, id"
        ).bindparams(_P),
        params | {"n": RENUMBERED_EVENT},
    )
    carried: dict[int, str] = {}  # index in found of the archive → the id that took it over
    for new, raw, at in rows:
        payload = json.loads(raw) if text_json and isinstance(raw, str | bytes) else raw
        old = payload.get("from") if isinstance(payload, dict) else None
        if isinstance(old, str) and new:
            index = _carried_over(found, old, as_instant(at))
            if index is not None:
                carried[index] = str(new)
    return [
        replace(r, renumbered_to=carried[i]) if i in carried else r for i, r in enumerate(found)
    ]


def _carried_over(found: list[ItemRevision], old: str, at: datetime) -> int | None:
    """The index in ``found`` (oldest first) of ``old``'s archive a renumbering recorded at
    ``at`` carried over: its latest revision recorded by then, when that is an archive (a
    ``restored`` one means the id was back in the plan, its earlier removal a removal)."""
    latest = None
    for i, r in enumerate(found):
        if r.recorded_at > at:
            break
        if r.item_id == old and r.kind in ("archived", "restored"):
            latest = i
    return latest if latest is not None and found[latest].kind == "archived" else None


def _first_sync(connection: sa.Connection, cut: str, params: dict[str, Any]) -> Any:
    """The stored instant of the programme's first plan revision (its first sync), within the
    filter ``cut`` of :func:`store.reports_read._until`; None before any."""
    return connection.execute(
        sa.text(
            f"SELECT MIN(recorded_at) FROM plan_revisions WHERE programme_id = :p{cut}"
        ).bindparams(_P),
        params,
    ).scalar()


def additions_accepted(
    connection: sa.Connection, programme_id: str, recorded_until: datetime | None = None
) -> datetime | None:
    """Up to when the programme's plan was accepted as it stood (migration 0036: its latest
    plan revision at the upgrade; recorded up to ``recorded_until`` when given): additions
    recorded by then are not put to the body. None: every addition counts."""
    cut, params = _until(connection, recorded_until)
    _, as_instant = converters(connection.dialect.name)
    found = connection.execute(
        sa.text(f"SELECT through FROM additions_accepted WHERE programme_id = :p{cut}").bindparams(
            _P
        ),
        {"p": programme_id} | params,
    ).scalar()
    return None if found is None else as_instant(found)


def additions_accepted_at(
    connection: sa.Connection, programme_id: str, recorded_until: datetime | None = None
) -> datetime | None:
    """When the row :func:`additions_accepted` reads was recorded (recorded up to
    ``recorded_until`` when given): a pack that reads it has a data cut-off no earlier."""
    cut, params = _until(connection, recorded_until)
    _, as_instant = converters(connection.dialect.name)
    found = connection.execute(
        sa.text(
            f"SELECT recorded_at FROM additions_accepted WHERE programme_id = :p{cut}"
        ).bindparams(_P),
        {"p": programme_id} | params,
    ).scalar()
    return None if found is None else as_instant(found)


#: The fields of a removed item the pack names it by (title, gereed, owners, step or action).
_KEPT = ("title", "gereed", "owners", "step", "action")


def with_removed_fields(
    connection: sa.Connection,
    programme_id: str,
    found: list[ItemRevision],
    cut: str = "",
    params: dict[str, Any] | None = None,
) -> list[ItemRevision]:
    """``found`` with each ``archived`` revision's ``before`` set to the item's fields as its
    own revisions (created, then changed) left them when it was removed: the pack names an item
    that is no longer in the plan. Read from the revisions (never the rows, which a later
    restore may change), within the same data cut-off (``cut``, ``params``: the filter of
    :func:`store.reports_read._until` and its parameters with the programme's ``p``)."""
    codes = sorted({r.item_id for r in found if r.kind == "archived"})
    if not codes:
        return found
    params = params if params is not None else {"p": programme_id}
    text_json = connection.dialect.name == "sqlite"
    _, as_instant = converters(connection.dialect.name)

    def value(raw: Any) -> Any:
        return json.loads(raw) if text_json and isinstance(raw, str | bytes) else raw

    history: dict[str, list[tuple[datetime, str, str | None, Any]]] = {}
    query = sa.text(
        'SELECT code, kind, field, "after", recorded_at FROM plan_revisions'
        " WHERE programme_id = :p AND entity IN ('action', 'milestone') AND code IN :codes"
        " AND (kind = 'created' OR (kind = 'changed' AND field IN ('title', 'gereed', 'owners')))"
        f"{cut} ORDER BY recorded_at, id"
    ).bindparams(_P, sa.bindparam("codes", expanding=True))
    for start in range(0, len(codes), 500):
        chunk = codes[start : start + 500]
        for code, kind, field, after, at in connection.execute(query, params | {"codes": chunk}):
            history.setdefault(str(code), []).append((as_instant(at), kind, field, value(after)))
    out = []
    for r in found:
        if r.kind == "archived":
            fields: dict[str, Any] = {}
            for at, kind, field, after in history.get(r.item_id, ()):
                if at > r.recorded_at:
                    break
                if kind == "created" and isinstance(after, dict):
                    fields = {k: after[k] for k in _KEPT if k in after}
                elif kind == "changed" and field:
                    fields[field] = after
            r = replace(r, before=fields or None)
        out.append(r)
    return out


def contact_revisions(
    connection: sa.Connection, programme_id: str, recorded_until: datetime | None = None
) -> list[ItemRevision]:
    """The contacts' revisions that change who answers for an organisation (created,
    archived, restored, a changed name or organisation), oldest first, recorded up to
    ``recorded_until`` when given (``item_id``: the contact's id)."""
    cut, cut_params = _until(connection, recorded_until)
    _, as_instant = converters(connection.dialect.name)
    rows = connection.execute(
        sa.text(
            'SELECT code, kind, field, "before", "after", recorded_at FROM plan_revisions'
            " WHERE programme_id = :p AND entity = 'contact'"
            " AND (kind IN ('created', 'archived', 'restored')"
            f" OR (kind = 'changed' AND field IN ('name', 'organisation'))){cut}"
            " ORDER BY recorded_at, id"
        ).bindparams(_P),
        {"p": programme_id} | cut_params,
    )
    text_json = connection.dialect.name == "sqlite"

    def value(raw: Any) -> Any:
        return json.loads(raw) if text_json and isinstance(raw, str | bytes) else raw

    return [
        ItemRevision(str(code), kind, field, value(before), value(after), as_instant(at))
        for code, kind, field, before, after, at in rows
    ]


def _archived_packs(
    connection: sa.Connection, programme_id: str, body_id: str, until: datetime | None
) -> Iterator[tuple[dict[str, Any], datetime, date, str | None]]:
    """The agenda packs archived for ``body_id`` (up to ``until`` when given), oldest first:
    each pack's parameters, when it was archived, its meeting and how it was made. A pack whose
    parameters name no readable meeting is left out."""
    _, as_instant = converters(connection.dialect.name)
    rows = connection.execute(
        sa.text(
            "SELECT parameters, created_at, made_via FROM report_archive"
            " WHERE programme_id = :p AND kind = 'agenda' ORDER BY created_at, id"
        ).bindparams(_P),
        {"p": programme_id},
    )
    text_json = connection.dialect.name == "sqlite"
    for raw, at, made_via in rows:
        parameters = json.loads(raw) if text_json and isinstance(raw, str | bytes) else raw
        created = as_instant(at)
        if not isinstance(parameters, dict) or parameters.get("body") != body_id:
            continue
        if until is not None and created > until:
            continue
        try:
            meeting = date.fromisoformat(str(parameters.get("meeting")))
        except ValueError:
            continue
        yield parameters, created, meeting, made_via


def _listed(parameters: dict[str, Any]) -> frozenset[str] | None:
    """The items a pack's *ter besluitvorming* listed, None for a pack from before packs kept
    them."""
    items = parameters.get("listed")
    return frozenset(str(x) for x in items) if isinstance(items, list) else None


def _asked(parameters: dict[str, Any]) -> dict[str, frozenset[str]] | None:
    """Per item a pack's *ter besluitvorming* listed, the reasons of its points (agenda layout
    14 keeps them as ``asked``), None for a pack from before packs kept them."""
    asked = parameters.get("asked")
    if not isinstance(asked, dict):
        return None
    return {
        str(item): frozenset(str(r) for r in reasons)
        for item, reasons in asked.items()
        if isinstance(reasons, list)
    }


def _made_on(parameters: dict[str, Any]) -> date | None:
    """The simulation's day a pack was made on (``made_on``: REGIE_SIMULATE), else None."""
    try:
        return date.fromisoformat(str(parameters["made_on"]))
    except (KeyError, ValueError):
        return None


def _layout(parameters: dict[str, Any]) -> int:
    layout = parameters.get("layout")
    return layout if isinstance(layout, int) else 1


def packs_listed(
    connection: sa.Connection, programme_id: str, body_id: str, until: datetime | None = None
) -> dict[date, tuple[frozenset[str] | None, datetime]]:
    """Per meeting of ``body_id`` that got an agenda pack archived (up to ``until`` when
    given): the items its *ter besluitvorming* listed, as the pack's parameters keep them
    (``listed``; None for a pack archived before they were kept), and when it was archived.
    The latest pack per meeting counts."""
    return {
        meeting: (_listed(parameters), created)
        for parameters, created, meeting, _ in _archived_packs(
            connection, programme_id, body_id, until
        )
    }


#: The outbox key of the agenda pack for one meeting, per recipient (:func:`pack_key`).
PACK_KEY = "agenda-pack"


def pack_key(body_id: str, meeting_on: date, contact_id: str) -> str:
    return f"{PACK_KEY}:{body_id}:{meeting_on.isoformat()}:{contact_id}"


def packs_queued(
    connection: sa.Connection, programme_id: str, body_id: str, until: datetime | None = None
) -> dict[date, datetime]:
    """Per meeting of ``body_id`` whose pack went out: when it was first queued to one of the
    body's contacts (queued up to ``until`` when given), whatever its delivery state since.
    The one rule for "the meeting got its pack": the decision list's start
    (:func:`regie.prepare.decisions_from`) and *eerder voorgelegd* (:func:`packs_sent`)."""
    _, as_instant = converters(connection.dialect.name)
    prefix = f"{PACK_KEY}:{body_id}:"
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    rows = connection.execute(
        sa.text(
            "SELECT key, created_at FROM outbox"
            " WHERE programme_id = :p AND key LIKE :prefix ESCAPE '\\'"
        ).bindparams(_P),
        {"p": programme_id, "prefix": escaped + "%"},
    )
    out: dict[date, datetime] = {}
    for key, at in rows:
        queued = as_instant(at)
        if until is not None and queued > until:
            continue
        try:
            meeting = date.fromisoformat(str(key)[len(prefix) :].split(":", 1)[0])
        except ValueError:
            continue
        out[meeting] = min(queued, out.get(meeting, queued))
    return out


#: What a pack asked (:attr:`PacksRead.questions`): reasons per item, layout, as_of, archived.
PackAsked = tuple[dict[str, frozenset[str]] | None, int, date, datetime]


class HandPack(NamedTuple):
    """A pack made by hand for a meeting (:attr:`PacksRead.by_hand`): its day (``as_of``),
    when it was archived (``made_at``), for one made in a simulation (REGIE_SIMULATE) the
    simulation's day it was made on (``made_on``, kept with its parameters; None otherwise),
    and the items its *ter besluitvorming* put to the body (``listed``, kept as a sent pack's
    is; None for a pack archived before packs kept them)."""

    as_of: date
    made_at: datetime
    made_on: date | None = None
    listed: frozenset[str] | None = None


#: Why an earlier meeting's archived packs did or did not count (:class:`PacksRead`).
SENT, NEVER_SENT, MADE_AFTER = "sent", "never_sent", "made_after_meeting"


@dataclass(frozen=True, slots=True)
class PacksRead:
    """The packs put to a body (:func:`packs_sent`): ``listed`` per meeting that got one (the
    items its *ter besluitvorming* listed; None for a pack archived before packs kept them)
    with the moment it was archived or queued, whichever was later (the data it rests on);
    ``not_counted``: the other meetings with an archived pack, and why it did not count."""

    listed: dict[date, tuple[frozenset[str] | None, datetime]]
    not_counted: dict[date, str]
    #: Per meeting of ``listed``: the reasons per item its pack kept (None: not kept; agenda
    #: layout 14 keeps them), the pack's layout (what it could ask), its day (``as_of``) and
    #: when it was archived (its data cut-off).
    questions: dict[date, PackAsked] = dataclasses.field(default_factory=dict)
    #: Per meeting of ``not_counted`` that no pack went out for: the packs made for it otherwise
    #: (by hand, ``regie report agenda``) as of a day before it, oldest first. Regie does not
    #: know whether or when the office sent one; agenda layout 19 takes the last one made before
    #: the meeting's day as the body's pack for that meeting (review54 6, review54c 5:
    #: :func:`regie.report_build.agenda_pack`).
    by_hand: dict[date, tuple[HandPack, ...]] = dataclasses.field(default_factory=dict)
    #: Per meeting with an archived pack (counted or not): when its latest pack was archived.
    #: A pack that reads them has a data cut-off no earlier (why one did not count is its
    #: content too).
    archived: dict[date, datetime] = dataclasses.field(default_factory=dict)


def packs_sent(
    connection: sa.Connection, programme_id: str, body_id: str, until: datetime | None = None
) -> PacksRead:
    """The agenda packs really put to ``body_id`` (agenda layout 4), read up to ``until``:
    per meeting, the last pack archived for it that went out — made by the meeting-preparation
    run (or before packs kept how they were made) as of a day before the meeting, and queued
    to the body's contacts (:func:`packs_queued`). A pack made by hand, or made on or after the
    meeting's day, was never put to the body, nor one that was never sent (``by_hand`` keeps,
    per meeting no pack went out for, those made as of a day before it)."""
    queued = packs_queued(connection, programme_id, body_id, until)
    listed: dict[date, tuple[frozenset[str] | None, datetime]] = {}
    questions: dict[date, PackAsked] = {}
    not_counted: dict[date, str] = {}
    by_hand: dict[date, tuple[HandPack, ...]] = {}
    archived: dict[date, datetime] = {}
    for parameters, created, meeting, made_via in _archived_packs(
        connection, programme_id, body_id, until
    ):
        archived[meeting] = created  # oldest first: the latest one stays
        try:
            as_of = date.fromisoformat(str(parameters.get("as_of")))
        except ValueError:
            continue
        if as_of >= meeting:
            why = MADE_AFTER
        elif made_via not in (None, "prepare") or meeting not in queued:
            why = NEVER_SENT
            made = HandPack(as_of, created, _made_on(parameters), _listed(parameters))
            by_hand[meeting] = (*by_hand.get(meeting, ()), made)
        else:
            listed[meeting] = (_listed(parameters), max(created, queued[meeting]))
            questions[meeting] = (_asked(parameters), _layout(parameters), as_of, created)
            not_counted.pop(meeting, None)
            continue
        if meeting not in listed:
            not_counted[meeting] = why  # the last pack made for it says why
    for meeting in listed:
        by_hand.pop(meeting, None)  # a pack went out for it
    return PacksRead(listed, not_counted, questions, by_hand, archived)
