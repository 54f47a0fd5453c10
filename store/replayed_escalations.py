"""Which escalations only `regie replay` raised: recorded as a reconstruction of past days,
their messages suppressed, never sent (walk56a 6). An agenda pack does not call those
*onbeantwoord* (agenda layout 21): nobody received them."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from governance.events import ESCALATION_RAISED
from store.assessment_query import converters
from store.reports_read import _until

#: :data:`store.withdrawn_prompts.ESCALATION_DIGEST`, whose module imports the ORM: a pack is
#: read on a plain connection (store.reports_read).
ESCALATION_DIGEST = "escalation_digest"


def replayed_escalations_read(
    connection: sa.Connection,
    programme_id: str,
    until: date,
    recorded_until: datetime | None = None,
) -> tuple[set[tuple[str, date]], datetime | None]:
    """(item, day) of the escalations raised up to ``until`` (recorded up to ``recorded_until``
    when given) whose every message is on record as one a replay stored: suppressed without a
    reason (:func:`store.prompt_delivery._given`'s "recorded by `regie replay`"). One carried
    by no message (nobody to tell), or by a message sent, failed, still waiting or left out at
    send time (a reason), is not among them: that is no reconstruction. And the newest
    ``created_at`` of the messages read (up to ``recorded_until`` when given; None: none read):
    a pack that reads them has a data cut-off no earlier (their states are read as they stand,
    as packs of layout 21 read them)."""
    cut, cut_params = _until(connection, recorded_until)
    query = sa.text(
        "SELECT item_code, occurred_on, payload FROM events WHERE programme_id = :p"
        f" AND name = :n AND occurred_on <= :until AND item_code IS NOT NULL{cut}"
    ).bindparams(sa.bindparam("until", type_=sa.Date))
    params = {"p": programme_id, "n": ESCALATION_RAISED, "until": until} | cut_params
    as_date, as_instant = converters(connection.dialect.name)
    carried: dict[tuple[str, date], list[str]] = {}
    for item, day, payload in connection.execute(query, params):
        keys = [k for k in str(_payload(payload).get("digests") or "").split(",") if k]
        if keys:
            carried.setdefault((str(item), as_date(day)), []).extend(keys)
    if not carried:
        return set(), None
    wanted = sorted({k for keys in carried.values() for k in keys})
    states = sa.text(
        "SELECT key, status, last_error, created_at FROM outbox WHERE programme_id = :p"
        " AND kind = :k AND key IN :keys"
    ).bindparams(sa.bindparam("keys", expanding=True))
    replayed: dict[str, bool] = {}
    newest: datetime | None = None
    for start in range(0, len(wanted), 500):
        rows = connection.execute(
            states, {"p": programme_id, "k": ESCALATION_DIGEST, "keys": wanted[start : start + 500]}
        )
        for key, status, error, created in rows:
            replayed[str(key)] = status == "suppressed" and not error
            at = as_instant(created)
            if (recorded_until is None or at <= recorded_until) and (newest is None or at > newest):
                newest = at
    found = {
        escalation
        for escalation, keys in carried.items()
        if all(replayed.get(k, False) for k in keys)
    }
    return found, newest


def _payload(raw: Any) -> dict[str, Any]:
    """An event's payload as stored: JSON text on SQLite, already decoded on PostgreSQL."""
    value = json.loads(raw) if isinstance(raw, str | bytes) else raw
    return value if isinstance(value, dict) else {}
