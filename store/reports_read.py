"""What an agenda pack reads from the reports' tables, on a plain connection.

Plain SQL on a :class:`sqlalchemy.Connection`: no ORM and no table classes, whose import costs
≈ 0.2 s of a command that only reads (the agenda pack's PDF waits for its pack). The repository
(:class:`store.reports_repo.ReportsRepository`) answers through these same functions, so there
is one query per question. Values are converted as :mod:`store.assessment_query` does (SQLite
returns ISO text for dates and naive UTC text for instants).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, date, datetime, time
from typing import Any

import sqlalchemy as sa

from governance.decisions import Decision, DecisionKind, ReportRef
from governance.meetings import Meeting
from governance.provenance import PlanEdit
from governance.updates import StatusUpdate, UpdateStatus
from store.assessment_query import converters

_P = sa.bindparam("p", type_=sa.String)
#: Item codes bound per statement (well under SQLite's parameter limit).
_CODES = 500


def instant(connection: sa.Connection, value: datetime) -> Any:
    """An instant bound in plain SQL as the column stores it: SQLite keeps UTCDateTime's naive
    UTC text (``2026-12-04 03:10:35.466969``), PostgreSQL an aware timestamp."""
    utc = value.astimezone(UTC)
    if connection.dialect.name == "sqlite":
        return utc.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    return utc


def _until(
    connection: sa.Connection, recorded_until: datetime | None
) -> tuple[str, dict[str, Any]]:
    """The filter on ``recorded_at`` of a read for a data cut-off, and its parameter."""
    if recorded_until is None:
        return "", {}
    return " AND recorded_at <= :cut", {"cut": instant(connection, recorded_until)}


def meetings(
    connection: sa.Connection,
    programme_id: str,
    body_id: str | None,
    recorded_until: datetime | None = None,
) -> list[Meeting]:
    """The one-off meetings stored for one body (or every body), by date (those recorded up to
    ``recorded_until`` when given)."""
    cut, cut_params = _until(connection, recorded_until)
    where = (" AND body_code = :b" if body_id is not None else "") + cut
    query = sa.text(
        "SELECT body_code, meets_on, starts_at, location, note FROM meetings"
        f" WHERE programme_id = :p{where} ORDER BY meets_on, id"
    )
    params: dict[str, Any] = {"p": programme_id} | ({"b": body_id} if body_id is not None else {})
    params |= cut_params
    as_date, _ = converters(connection.dialect.name)
    rows = connection.execute(query, params)
    return [
        Meeting(
            body,
            as_date(on),
            time.fromisoformat(starts_at) if starts_at else None,
            location,
            source="db",
            note=note,
        )
        for body, on, starts_at, location, note in rows
    ]


def decisions(
    connection: sa.Connection,
    programme_id: str,
    body_id: str | None = None,
    until: date | None = None,
) -> list[Decision]:
    """Decisions of one body (or all), up to meetings on ``until`` (a date) when given."""
    where = (" AND d.body_code = :b" if body_id is not None else "") + (
        " AND d.meeting_on <= :until" if until is not None else ""
    )
    # The report a decision approves (0025), its addition (0035) and what it corrects (0039)
    # joined in: one query.
    query = sa.text(
        "SELECT d.id, d.body_code, d.meeting_on, d.kind, d.text, d.item_code, d.gereed_before,"
        " d.gereed_after, d.recorded_at, a.report_code, a.period_from, a.period_to, n.id,"
        " c.corrects_id"
        " FROM decisions d LEFT JOIN report_approvals a ON a.decision_id = d.id"
        " LEFT JOIN decision_additions n ON n.decision_id = d.id"
        " LEFT JOIN decision_corrections c ON c.decision_id = d.id"
        f" WHERE d.programme_id = :p{where} ORDER BY d.meeting_on, d.id"
    ).bindparams(_P, *([sa.bindparam("until", type_=sa.Date)] if until is not None else []))
    params: dict[str, object] = {"p": programme_id}
    params |= {"b": body_id} if body_id is not None else {}
    params |= {"until": until} if until is not None else {}
    as_date, as_instant = converters(connection.dialect.name)
    rows = connection.execute(query, params)
    return [
        Decision(
            body_id=body,
            meeting_on=as_date(meeting_on),
            kind=DecisionKind(kind),
            text=text,
            item_id=item,
            gereed_before=before,
            gereed_after=after,
            recorded_at=as_instant(recorded_at),
            id=row_id,
            approves=ReportRef(report, as_date(first), as_date(last)) if report else None,
            adds=addition is not None,
            corrects=corrects,
        )
        for (
            row_id, body, meeting_on, kind, text, item, before, after, recorded_at,
            report, first, last, addition, corrects,
        ) in rows
    ]  # fmt: skip


def events_named(
    connection: sa.Connection,
    programme_id: str,
    name: str,
    until: date,
    recorded_until: datetime | None = None,
) -> list[tuple[str, date]]:
    """(item, day) of every event with this name that names an item, up to ``until`` (and
    recorded up to ``recorded_until`` when given)."""
    cut, cut_params = _until(connection, recorded_until)
    query = sa.text(
        "SELECT item_code, occurred_on FROM events WHERE programme_id = :p AND name = :n"
        f" AND occurred_on <= :until AND item_code IS NOT NULL{cut}"
    ).bindparams(_P, sa.bindparam("until", type_=sa.Date))
    as_date, _ = converters(connection.dialect.name)
    params = {"p": programme_id, "n": name, "until": until} | cut_params
    rows = connection.execute(query, params)
    return [(str(item), as_date(day)) for item, day in rows]


def programme_end_revisions(
    connection: sa.Connection, programme_id: str, recorded_until: datetime | None = None
) -> list[tuple[date | None, date | None, datetime]]:
    """(before, after, recorded_at) of every change of the programme's end in the plan file,
    oldest first (walk55d 7; None: no end)."""
    import json

    cut, cut_params = _until(connection, recorded_until)
    query = sa.text(
        'SELECT "before", "after", recorded_at FROM plan_revisions'
        " WHERE programme_id = :p AND entity = 'programme' AND kind = 'changed'"
        f" AND field = 'end'{cut} ORDER BY recorded_at, id"
    ).bindparams(_P)
    _, as_instant = converters(connection.dialect.name)
    text_json = connection.dialect.name == "sqlite"

    def day(raw: Any) -> date | None:
        value = json.loads(raw) if text_json and isinstance(raw, str | bytes) else raw
        return date.fromisoformat(str(value)) if value else None

    return [
        (day(before), day(after), as_instant(at))
        for before, after, at in connection.execute(query, {"p": programme_id} | cut_params)
    ]


def updates_recorded_until(
    connection: sa.Connection,
    programme_id: str,
    as_of: date,
    recorded_until: datetime,
    *,
    corrections: bool = True,
) -> list[StatusUpdate]:
    """Every update reported on or before ``as_of`` and recorded up to ``recorded_until``: what
    the assessment saw at a data cut-off (``assess`` picks each item's latest, as it does from
    :func:`store.assessment_query.assessment_updates`' shortlist). ``corrections``: each keeps
    the id it corrects, so that a correction recorded by the cut-off replaces the corrected
    update (:func:`governance.updates.latest_updates`, fix56s); False: none does, as reports
    of earlier layouts were made (a correction then counted as a plain later update)."""
    query = sa.text(
        f"SELECT {_UPDATE_COLUMNS} FROM status_updates WHERE programme_id = :p"
        " AND reported_on <= :as_of AND recorded_at <= :cut ORDER BY id"
    ).bindparams(_P, sa.bindparam("as_of", type_=sa.Date))
    params = {"p": programme_id, "as_of": as_of, "cut": instant(connection, recorded_until)}
    return _updates(connection, query, params, corrections=corrections)


#: The columns :func:`_updates` reads, in its order.
_UPDATE_COLUMNS = (
    "id, item_code, status, reported_on, forecast, completed_on, comment, author, source,"
    " recorded_at, corrects"
)


def _updates(
    connection: sa.Connection,
    query: sa.TextClause,
    params: dict[str, object],
    *,
    corrections: bool = True,
) -> list[StatusUpdate]:
    """The status updates ``query`` selects (:data:`_UPDATE_COLUMNS`); ``corrections``: False
    drops which update each corrects."""
    as_date, as_instant = converters(connection.dialect.name)
    return [
        StatusUpdate(
            item_id=item,
            status=UpdateStatus(status),
            reported_on=as_date(reported_on),
            forecast=None if forecast is None else as_date(forecast),
            completed_on=None if completed is None else as_date(completed),
            comment=comment,
            author=author,
            source=source,
            recorded_at=as_instant(recorded_at),
            id=row_id,
            corrects=corrects if corrections else None,
        )
        for (
            row_id, item, status, reported_on, forecast, completed, comment, author, source,
            recorded_at, corrects,
        ) in connection.execute(query, params)
    ]  # fmt: skip


#: :data:`store.sync_formerly.RENUMBERED_EVENT`, not imported: that module loads the ORM.
RENUMBERED_EVENT = "regie.item.renumbered"

#: The newest ``recorded_at`` of each kind of record a report reads (``:as_of`` bounds those
#: with a business date; decisions and plan revisions count whatever their date, since a later
#: decision is undone for a past day and a plan edit is listed; so do the renumberings, ``:r``,
#: which name an item removed in a sync as renumbered: :func:`store.agenda_read.item_revisions`).
#: What only an agenda pack reads (earlier packs, the status round, accepted additions, the
#: messages of replayed escalations) its own reading adds (:func:`regie.report_build.
#: _agenda_pack`).
_CUT_OFF = """SELECT MAX(t) FROM (
    SELECT MAX(recorded_at) AS t FROM status_updates WHERE programme_id = :p
        AND reported_on <= :as_of{cut}
    UNION ALL SELECT MAX(recorded_at) FROM decisions WHERE programme_id = :p{cut}
    UNION ALL SELECT MAX(recorded_at) FROM indicator_measurements WHERE programme_id = :p
        AND measured_on <= :as_of{cut}
    UNION ALL SELECT MAX(recorded_at) FROM meetings WHERE programme_id = :p{cut}
    UNION ALL SELECT MAX(recorded_at) FROM events WHERE programme_id = :p
        AND name = :n AND occurred_on <= :as_of{cut}
    UNION ALL SELECT MAX(recorded_at) FROM events WHERE programme_id = :p AND name = :r{cut}
    UNION ALL SELECT MAX(recorded_at) FROM plan_revisions WHERE programme_id = :p{cut}
    UNION ALL SELECT MAX(recorded_at) FROM item_first_assessed WHERE programme_id = :p
        AND as_of <= :as_of{cut}
) AS newest"""


def data_until(
    connection: sa.Connection,
    programme_id: str,
    as_of: date,
    escalation_event: str,
    recorded_until: datetime | None = None,
) -> datetime | None:
    """A report's data cut-off: the newest ``recorded_at`` among the updates, decisions,
    measurements, meetings, escalations, renumberings, plan revisions and first assessed days
    it reads (a day after ``as_of`` changes nothing: the clock starts on ``as_of`` then). Every
    record recorded since is later, so the records recorded up to it are exactly those the
    report read. ``recorded_until``: among those recorded up to then (a report made from them:
    the same cut-off as one made at that moment, not the moment itself)."""
    cut, cut_params = _until(connection, recorded_until)
    query = sa.text(_CUT_OFF.format(cut=cut)).bindparams(_P, sa.bindparam("as_of", type_=sa.Date))
    params = {"p": programme_id, "as_of": as_of, "n": escalation_event, "r": RENUMBERED_EVENT}
    value = connection.execute(query, params | cut_params).scalar()
    if value is None:
        return None
    _, as_instant = converters(connection.dialect.name)
    return as_instant(value)


def plan_revisions(
    connection: sa.Connection,
    programme_id: str,
    recorded_until: datetime | None = None,
    *,
    codes: Collection[str] | None = None,
) -> list[tuple[str, str | None, Any, Any, datetime]]:
    """(code, field, before, after, recorded_at) of every change of an action's or milestone's
    gereed or period, oldest first (JSON values decoded). ``codes``: only those items' (through
    the (programme, entity, code) index; a cycle's quoted forecasts ask for a few of 100k)."""
    import json

    cut, cut_params = _until(connection, recorded_until)
    only = " AND code IN :codes" if codes is not None else ""
    query = sa.text(
        'SELECT code, field, "before", "after", recorded_at, id FROM plan_revisions'
        " WHERE programme_id = :p AND entity IN ('action', 'milestone') AND kind = 'changed'"
        f" AND field IN ('gereed', 'period'){cut}{only} ORDER BY recorded_at, id"
    ).bindparams(_P, *([sa.bindparam("codes", expanding=True)] if codes is not None else []))
    _, as_instant = converters(connection.dialect.name)
    text_json = connection.dialect.name == "sqlite"  # PostgreSQL's driver decodes JSON itself

    def value(raw: Any) -> Any:
        return json.loads(raw) if text_json and isinstance(raw, str | bytes) else raw

    params = {"p": programme_id} | cut_params
    if codes is None:
        batches: list[dict[str, Any]] = [params]
    else:
        wanted = sorted(set(codes))
        batches = [
            params | {"codes": wanted[i : i + _CODES]} for i in range(0, len(wanted), _CODES)
        ]
    rows = [
        (as_instant(at), row_id, str(code), field, before, after)
        for batch in batches
        for code, field, before, after, at, row_id in connection.execute(query, batch)
    ]
    if len(batches) > 1:
        rows.sort(key=lambda r: (r[0], r[1]))  # oldest first across the batches too
    return [(code, field, value(b), value(a), at) for at, _, code, field, b, a in rows]


#: The event ``regie decision add`` records, with the ids of the plan revisions it made.
_DECISION_RECORDED = "regie.decision.recorded"


def plan_edits(
    connection: sa.Connection,
    programme_id: str,
    since: datetime,
    recorded_until: datetime | None = None,
) -> list[PlanEdit]:
    """The revisions of actions and milestones :func:`governance.provenance.plan_as_of` needs
    to undo the plan-file edits recorded from ``since`` on (the end of a past day), oldest
    first; [] when none was (one indexed count: the usual case, a view of today). Those of the
    programme's first sync (the earliest plan known) and those a decision made (rewound by its
    meeting date) are marked ``kept``: never undone, only read to rebuild an item's fields."""
    import json

    cut, cut_params = _until(connection, recorded_until)
    params = {"p": programme_id, "since": instant(connection, since)} | cut_params
    first = "(SELECT MIN(recorded_at) FROM plan_revisions WHERE programme_id = :p)"
    late = connection.execute(
        sa.text(
            "SELECT COUNT(*) FROM plan_revisions WHERE programme_id = :p"
            " AND entity IN ('action', 'milestone') AND recorded_at >= :since"
            f" AND recorded_at > {first}{cut}"
        ).bindparams(_P),
        params,
    ).scalar()
    if not late:
        return []
    text_json = connection.dialect.name == "sqlite"  # PostgreSQL's driver decodes JSON itself

    def value(raw: Any) -> Any:
        return json.loads(raw) if text_json and isinstance(raw, str | bytes) else raw

    as_date, as_instant = converters(connection.dialect.name)
    # Each revision a decision made, with its meeting (the event's day): kept, and a creation
    # (``--adds``) undone before that meeting.
    decided: dict[int, date] = {}
    for payload, meeting_on in connection.execute(
        sa.text(
            "SELECT payload, occurred_on FROM events WHERE programme_id = :p AND name = :n"
        ).bindparams(_P),
        {"p": programme_id, "n": _DECISION_RECORDED},
    ):
        found = value(payload)
        if isinstance(found, dict):
            on = as_date(meeting_on)
            decided.update(
                (int(i), on) for i in found.get("plan_revisions") or () if str(i).isdigit()
            )
    rows = connection.execute(
        sa.text(
            f'SELECT id, entity, code, kind, field, "before", "after", recorded_at,'
            f" recorded_at = {first} FROM plan_revisions WHERE programme_id = :p"
            f" AND entity IN ('action', 'milestone'){cut} ORDER BY recorded_at, id"
        ).bindparams(_P),
        params,
    )
    return [
        PlanEdit(
            entity, str(code), kind, field, value(before), value(after), as_instant(at),
            int(row_id), kept=bool(baseline) or int(row_id) in decided,
            decided_on=decided.get(int(row_id)),
        )
        for row_id, entity, code, kind, field, before, after, at, baseline in rows
    ]  # fmt: skip


def slip_updates(
    connection: sa.Connection, programme_id: str, as_of: date, recorded_until: datetime | None
) -> list[StatusUpdate]:
    """The updates a progress report may quote as the reason an owner gave for a slip
    (:func:`governance.slip_notes.slip_notes`): those reported on or before ``as_of`` (and
    recorded up to ``recorded_until`` when given) that came with *risico* or a forecast and a
    note, and every correction among them all (a correction replaces the update it corrects)."""
    cut, cut_params = _until(connection, recorded_until)
    query = sa.text(
        f"SELECT {_UPDATE_COLUMNS} FROM status_updates WHERE programme_id = :p"
        " AND reported_on <= :as_of AND (corrects IS NOT NULL OR (comment IS NOT NULL"
        f" AND (status = 'at_risk' OR forecast IS NOT NULL))){cut} ORDER BY id"
    ).bindparams(_P, sa.bindparam("as_of", type_=sa.Date))
    return _updates(connection, query, {"p": programme_id, "as_of": as_of, **cut_params})
