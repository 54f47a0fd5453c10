"""Retention (walk31 finding 8, AVG storage limitation): `regie outbox prune` erases the
personal content of old messages that are done with (sent, suppressed, dead) and removes the
file notifier's copies of them; the rows stay with their keys, so nothing is sent twice.

What a pruned message keeps and why: docs/operations.md, "Retention".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from regie.bootstrap import App
from regie.errors import InvalidInput

#: The event a prune records (who, the cut-off, how many).
PRUNED_EVENT = "regie.outbox.pruned"
_DAYS = re.compile(r"(\d{1,5})d?")


@dataclass(frozen=True, slots=True)
class Pruned:
    keys: list[str]
    files: int
    before: datetime
    applied: bool


def cutoff(app: App, now: datetime, *, older_than: str | None, before: date | None) -> datetime:
    """The instant before which messages go: ``older_than`` days (``400d`` or ``400``) before
    ``now``, or the start of day ``before`` in the office's zone; exactly one of them."""
    from regie.services import office_zone

    if (older_than is None) == (before is None):
        raise InvalidInput("outbox prune: give --older-than DAYS (e.g. 400d) or --before DATE")
    if before is not None:
        start = datetime.combine(before, time(0), tzinfo=ZoneInfo(office_zone(app)))
        if start > now:
            raise InvalidInput(f"--before: {before} is after today")
        return start
    assert older_than is not None
    match = _DAYS.fullmatch(older_than.strip())
    if match is None or int(match[1]) < 1:
        raise InvalidInput(
            f"--older-than: {older_than[:20]!r} is not a number of days of at least 1 (e.g. 400d)"
        )
    return now - timedelta(days=int(match[1]))


def prune_outbox(app: App, before: datetime, now: datetime, *, apply: bool) -> Pruned:
    """Erase the personal content of the final messages older than ``before``
    (:func:`store.outbox.prune`) and, after the commit, remove their file copies and those
    left of messages pruned before (``apply``; else say what would go, nothing changed).
    Recorded with the operator (:data:`PRUNED_EVENT`)."""
    from regie.erasure import _eml_files
    from regie.services import office_day
    from store import outbox
    from store.audit import record_action

    programme_id = app.programme_id()
    with app.writing(), app.session() as session, session.begin():
        # Copies a crashed run (or a failed unlink) left behind go too: their rows are done.
        earlier = outbox.pruned_keys(session, programme_id, before)
        keys = outbox.prune(session, programme_id, before, now=now, apply=apply)
        if apply and keys:
            record_action(
                session, programme_id, PRUNED_EVENT, now=now, occurred_on=office_day(app, now),
                payload={"before": before.isoformat(timespec="seconds"), "count": len(keys)},
            )  # fmt: skip
    files = _eml_files(app, [*earlier, *keys])
    if apply:
        for path in files:
            path.unlink(missing_ok=True)
    return Pruned(keys, len(files), before, apply)
