"""Retention (walk31 finding 8, AVG storage limitation): `regie outbox prune` erases the
personal content of old messages that are done with (sent, suppressed, dead) and removes the
file notifier's copies of them; the rows stay with their keys, so nothing is sent twice.
`regie prune` does that and more (retention49): old bounces lose their address and the
server's words (but for each contact's latest permanent one not ended by a later send) and old
Slack users are deleted; installation-wide, by limits of their own (retention50), the web
sessions that are over and the Slack e-mail look-ups no longer read; one transaction, the
files after it.

What a pruned message keeps and why: docs/operations.md, "Retention".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from regie.bootstrap import App
from regie.errors import InvalidInput

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from store.retention import BouncesPruned

#: The event a prune records (who, the cut-off, how many).
PRUNED_EVENT = "regie.outbox.pruned"
#: The event `regie prune` records for what it prunes beyond the outbox (who, the cut-off,
#: how many of each of the programme's tables, and apart those shared by the installation);
#: the outbox's part is recorded as :data:`PRUNED_EVENT`.
DATA_PRUNED_EVENT = "regie.data.pruned"
_DAYS = re.compile(r"(\d{1,5})d?")


@dataclass(frozen=True, slots=True)
class Pruned:
    keys: list[str]
    files: int
    before: datetime
    applied: bool


def cutoff(
    app: App,
    now: datetime,
    *,
    older_than: str | None,
    before: date | None,
    command: str = "outbox prune",
) -> datetime:
    """The instant before which messages go: ``older_than`` days (``400d`` or ``400``) before
    ``now``, or the start of day ``before`` in the office's zone; exactly one of them."""
    from regie.services import office_zone

    if (older_than is None) == (before is None):
        raise InvalidInput(f"{command}: give --older-than DAYS (e.g. 400d) or --before DATE")
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
    programme_id = app.programme_id()
    with app.writing(), app.session() as session, session.begin():
        keys, earlier = _prune_messages(app, session, programme_id, before, now, apply=apply)
    return _remove_copies(app, keys, earlier, before, apply=apply)


@dataclass(frozen=True, slots=True)
class PrunedAll:
    """What `regie prune` pruned (or would)."""

    outbox: Pruned
    bounces: BouncesPruned
    slack_users: int
    web_sessions: int  # installation-wide
    slack_lookups: int  # installation-wide

    def counts(self) -> dict[str, int]:
        """The programme's own tables beyond the outbox, as :data:`DATA_PRUNED_EVENT` records
        them under ``counts``."""
        return {"mail_bounces": self.bounces.erased, "slack_users": self.slack_users}

    def installation(self) -> dict[str, int]:
        """The tables every programme of the database shares, under ``installation``: pruned
        by limits of their own (no cut-off), so any programme's prune takes the same rows."""
        return {"web_sessions": self.web_sessions, "slack_lookups": self.slack_lookups}

    def pruned(self) -> bool:
        """Whether anything beyond the outbox went (then the event is recorded)."""
        return any(self.counts().values()) or any(self.installation().values())


def prune_all(app: App, before: datetime, now: datetime, *, apply: bool) -> PrunedAll:
    """:func:`prune_outbox`, and in the same transaction: the bounces recorded before
    ``before`` lose their address and the server's words, but for each contact's latest
    permanent bounce not ended by a later send (:func:`store.bounces.latest_bounces`: the one
    that can mark an address as bouncing, now or when the plan gives it again); the
    programme's Slack users resolved before ``before`` are deleted. Installation-wide, by
    limits of their own whatever ``before`` (review49 8): the web sessions that are over
    (expired or ended) and the e-mail look-ups no look-up reads again. Recorded with the
    operator (:data:`PRUNED_EVENT`, :data:`DATA_PRUNED_EVENT` with the installation's counts
    apart), each only when it pruned something; the file copies go after the commit. No plan
    is read: the programme is the database's (in a database holding several, the one the plan
    file names: :meth:`App.programme_id`), as for `regie outbox prune` (review49 3)."""
    from regie.services import office_day
    from store import retention
    from store.audit import record_action
    from store.bounces import latest_bounces

    programme_id = app.programme_id()
    with app.writing(), app.session() as session, session.begin():
        keys, earlier = _prune_messages(app, session, programme_id, before, now, apply=apply)
        # Whether an address bounces is decided by the contact's latest permanent bounce
        # alone (an earlier one never counts): kept whole, it decides the same after a prune.
        keep = {b.dedupe_key for b in latest_bounces(session, programme_id).values()}
        bounces = retention.prune_bounces(
            session, programme_id, before, keep=keep, now=now, apply=apply
        )
        users = retention.prune_slack_users(session, programme_id, before, apply=apply)
        sessions = retention.prune_web_sessions(session, now, apply=apply)
        lookups = retention.prune_slack_lookups(session, now, apply=apply)
        pruned = PrunedAll(Pruned(keys, 0, before, apply), bounces, users, sessions, lookups)
        if apply and pruned.pruned():
            payload = {
                "before": before.isoformat(timespec="seconds"),
                "counts": {table: n for table, n in pruned.counts().items() if n},
                "installation": {table: n for table, n in pruned.installation().items() if n},
            }
            record_action(
                session, programme_id, DATA_PRUNED_EVENT, now=now,
                occurred_on=office_day(app, now), payload=payload,
            )  # fmt: skip
    copies = _remove_copies(app, keys, earlier, before, apply=apply)
    return PrunedAll(copies, bounces, users, sessions, lookups)


def _prune_messages(
    app: App, session: Session, programme_id: str, before: datetime, now: datetime, *, apply: bool
) -> tuple[list[str], list[str]]:
    """The keys pruned now (recorded as :data:`PRUNED_EVENT` when any), and those pruned
    before whose copies a crashed run (or a failed unlink) may have left: their rows are done."""
    from regie.services import office_day
    from store import outbox
    from store.audit import record_action

    earlier = outbox.pruned_keys(session, programme_id, before)
    keys = outbox.prune(session, programme_id, before, now=now, apply=apply)
    if apply and keys:
        record_action(
            session, programme_id, PRUNED_EVENT, now=now, occurred_on=office_day(app, now),
            payload={"before": before.isoformat(timespec="seconds"), "count": len(keys)},
        )  # fmt: skip
    return keys, earlier


def _remove_copies(
    app: App, keys: list[str], earlier: list[str], before: datetime, *, apply: bool
) -> Pruned:
    """After the commit: the messages' file copies removed (``apply``), or counted."""
    from regie.erasure import _eml_files

    files = _eml_files(app, [*earlier, *keys])
    if apply:
        for path in files:
            path.unlink(missing_ok=True)
    return Pruned(keys, len(files), before, apply)
