"""What the agenda pack's *Statusronde* reads of the status rounds, within its data cut-off.

Plain SQL on a :class:`sqlalchemy.Connection`, like :mod:`store.agenda_read`. A round started,
closed or answered after the cut-off is read as it stood then, so a rebuild of an archived pack
says what the pack said.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from governance.agenda_round import RoundFacts
from store.assessment_query import converters
from store.reports_read import instant

_P = sa.bindparam("p", type_=sa.String)


@dataclass(frozen=True, slots=True)
class RoundRead:
    """A round as of the cut-off and the instants a rebuild must read it at."""

    facts: RoundFacts
    started_at: datetime
    closed_at: datetime | None  # its summary queued (the instant it closed), if by the cut-off


def body_rounds(
    connection: sa.Connection, programme_id: str, body_id: str, recorded_until: datetime | None
) -> list[RoundRead]:
    """The body's rounds started by ``recorded_until`` (all when None), closed only when their
    summary was queued by then (a round closes in the transaction that queues it)."""
    cut = "" if recorded_until is None else " AND r.started_at <= :cut"
    params: dict[str, object] = {"p": programme_id, "b": body_id}
    if recorded_until is not None:
        params["cut"] = instant(connection, recorded_until)
    rows = connection.execute(
        sa.text(
            "SELECT r.id, r.started_on, r.answer_by, r.started_at, r.closed_on FROM status_rounds r"
            f" WHERE r.programme_id = :p AND r.body = :b{cut} ORDER BY r.id"
        ).bindparams(_P),
        params,
    )
    as_date, as_instant = converters(connection.dialect.name)
    found = []
    for round_id, started_on, answer_by, started_at, closed_on in rows.all():
        closed_at = _summary_at(connection, programme_id, round_id) if closed_on else None
        if closed_at is not None and recorded_until is not None and closed_at > recorded_until:
            closed_on, closed_at = None, None  # closed after the cut-off: open as it stood
        facts = RoundFacts(
            round_id, body_id, as_date(started_on), as_date(answer_by),
            None if closed_on is None else as_date(closed_on),
        )  # fmt: skip
        found.append(RoundRead(facts, as_instant(started_at), closed_at))
    return found


def _summary_at(connection: sa.Connection, programme_id: str, round_id: int) -> datetime | None:
    """When the round's summary was queued (:func:`store.answers.round_closed_at`)."""
    value = connection.execute(
        sa.text(
            "SELECT MIN(created_at) FROM outbox WHERE programme_id = :p AND key LIKE :k"
        ).bindparams(_P),
        {"p": programme_id, "k": f"round:{round_id}:%:summary"},
    ).scalar()
    return None if value is None else converters(connection.dialect.name)[1](value)


def round_asked(connection: sa.Connection, round_id: int) -> list[tuple[str, str]]:
    """(item, organisation) of the round's requests (recorded with the round)."""
    rows = connection.execute(
        sa.text(
            "SELECT item_code, organisation_code FROM round_requests WHERE round_id = :r"
            " ORDER BY id"
        ),
        {"r": round_id},
    )
    return [(str(item), str(org)) for item, org in rows]


def round_answered(
    connection: sa.Connection,
    programme_id: str,
    first: date,
    last: date,
    recorded_until: datetime | None,
) -> set[str]:
    """The items with an update reported from ``first`` to ``last``, recorded by
    ``recorded_until`` (the round's closing instant or the pack's cut-off, the earlier)."""
    cut = "" if recorded_until is None else " AND recorded_at <= :cut"
    params: dict[str, object] = {"p": programme_id, "first": first, "last": last}
    if recorded_until is not None:
        params["cut"] = instant(connection, recorded_until)
    rows = connection.execute(
        sa.text(
            "SELECT DISTINCT item_code FROM status_updates WHERE programme_id = :p"
            f" AND reported_on >= :first AND reported_on <= :last{cut}"
        ).bindparams(_P, sa.bindparam("first", type_=sa.Date), sa.bindparam("last", type_=sa.Date)),
        params,
    )
    return {str(item) for (item,) in rows}
