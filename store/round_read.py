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
    closed_at: datetime | None  # the instant it closed, if by the cut-off (and recorded)


def body_rounds(
    connection: sa.Connection, programme_id: str, body_id: str, recorded_until: datetime | None
) -> list[RoundRead]:
    """The body's rounds started by ``recorded_until`` (all when None), closed only when their
    close was recorded by then.

    The closing instant is the row's ``closed_at`` (0031; filled from the summary for rounds
    closed before it), read here in plain SQL rather than through
    :mod:`store.answers`: the pack's read path must not import the ORM (a PDF's layout starts
    without it; ``test_the_pack_is_read_on_a_plain_connection``)."""
    cut = "" if recorded_until is None else " AND r.started_at <= :cut"
    params: dict[str, object] = {"p": programme_id, "b": body_id}
    if recorded_until is not None:
        params["cut"] = instant(connection, recorded_until)
    rows = connection.execute(
        sa.text(
            "SELECT r.id, r.started_on, r.answer_by, r.started_at, r.closed_on, r.closed_at,"
            " r.meeting_on FROM status_rounds r"
            f" WHERE r.programme_id = :p AND r.body = :b{cut} ORDER BY r.id"
        ).bindparams(_P),
        params,
    )
    as_date, as_instant = converters(connection.dialect.name)
    found = []
    for round_id, started_on, answer_by, started_at, closed_on, closed, meeting_on in rows.all():
        # None for a round closed before 0031 without a summary: nothing says when, so it reads
        # as closed (as it did before 0031).
        closed_at = as_instant(closed) if closed_on is not None and closed is not None else None
        if closed_at is not None and recorded_until is not None and closed_at > recorded_until:
            closed_on, closed_at = None, None  # closed after the cut-off: open as it stood
        facts = RoundFacts(
            round_id, body_id, as_date(started_on), as_date(answer_by),
            None if closed_on is None else as_date(closed_on),
            None if meeting_on is None else as_date(meeting_on),
        )  # fmt: skip
        found.append(RoundRead(facts, as_instant(started_at), closed_at))
    return found


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


def round_answers(
    connection: sa.Connection,
    programme_id: str,
    first: date,
    last: date,
    recorded_until: datetime | None,
    *,
    chain: bool = True,
) -> list[tuple[str, date, date | None]]:
    """The updates :func:`round_answered` reads, each as (item, reported on, the reported-on day
    of the first update its chain of corrections corrects, or None), for
    :func:`governance.agenda_round.answered_in_round` (agenda layout 10: a correction of an
    update from before the round is no answer). ``chain=False``: the day of the update it
    corrects directly, as layouts 10–11 read it (a correction of a correction then counted)."""
    cut = "" if recorded_until is None else " AND s.recorded_at <= :cut"
    params: dict[str, object] = {"p": programme_id, "first": first, "last": last}
    if recorded_until is not None:
        params["cut"] = instant(connection, recorded_until)
    window = (
        f" WHERE s.programme_id = :p AND s.reported_on >= :first AND s.reported_on <= :last{cut}"
    )
    if chain:
        # Each correction in the window walks ``corrects`` back to the update that corrects
        # nothing: a line (an update is corrected once), so one row per correction. UNION,
        # not UNION ALL: a row seen before is not walked again, so a cycle of ``corrects``
        # (a hand-edited database; Regie only corrects an earlier update) ends, with no
        # first update found (review14 4); a line has no repeated row, so it reads the same.
        query = (
            "WITH RECURSIVE up(start, cur) AS ("
            f" SELECT s.id, s.corrects FROM status_updates s{window} AND s.corrects IS NOT NULL"
            " UNION"
            " SELECT up.start, c.corrects FROM up JOIN status_updates c ON c.id = up.cur"
            " WHERE c.corrects IS NOT NULL)"
            " SELECT s.item_code, s.reported_on, f.first_on FROM status_updates s"
            " LEFT JOIN (SELECT up.start, r.reported_on AS first_on FROM up"
            " JOIN status_updates r ON r.id = up.cur WHERE r.corrects IS NULL) f"
            f" ON f.start = s.id{window}"
        )
    else:
        query = (
            "SELECT s.item_code, s.reported_on, c.reported_on FROM status_updates s"
            f" LEFT JOIN status_updates c ON c.id = s.corrects{window}"
        )
    rows = connection.execute(
        sa.text(query).bindparams(
            _P, sa.bindparam("first", type_=sa.Date), sa.bindparam("last", type_=sa.Date)
        ),
        params,
    )
    as_date, _ = converters(connection.dialect.name)
    return [
        (str(item), as_date(on), None if corrected is None else as_date(corrected))
        for item, on, corrected in rows
    ]
