"""The Slack user look-up cache (``users.lookupByEmail`` answers), kept in the database."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from store.dialect import insert_function
from store.models_delivery import SlackLookupRow

#: A found user rarely changes; a missing one may join the workspace any day.
FOUND_FOR = timedelta(days=30)
MISSING_FOR = timedelta(days=1)


class SlackUserCache:
    """``lookup(email)`` → ``(user_id or None,)`` when fresh, else None (ask Slack)."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        writing: Callable[[], AbstractContextManager[object]] = nullcontext,
    ) -> None:
        self.sessions = sessions
        self.writing = writing  # the caller's writer lock (SQLite: one writer per process)

    def lookup(self, email: str, now: datetime) -> tuple[str | None] | None:
        with self.sessions() as session:
            row = session.get(SlackLookupRow, email.strip().lower())
        if row is None:
            return None
        fresh_for = FOUND_FOR if row.user_id else MISSING_FOR
        if row.looked_up_at < now - fresh_for:
            return None
        return (row.user_id,)

    def store(self, email: str, user_id: str | None, now: datetime) -> None:
        values = {"email": email.strip().lower(), "user_id": user_id, "looked_up_at": now}
        with self.writing(), self.sessions() as session, session.begin():
            insert = insert_function(session)
            session.execute(
                insert(SlackLookupRow)
                .values(values)
                .on_conflict_do_update(
                    index_elements=["email"],
                    set_={"user_id": user_id, "looked_up_at": now},
                )
            )


def addresses_of(session: Session, user_id: str, now: datetime) -> list[str]:
    """The e-mail addresses ``users.lookupByEmail`` found ``user_id`` for (the sender's own
    look-ups, while fresh as :meth:`SlackUserCache.lookup` counts them): an answer maps the
    user back through them before asking Slack (``users.info``)."""
    from sqlalchemy import select

    found = session.scalars(
        select(SlackLookupRow.email)
        .where(SlackLookupRow.user_id == user_id, SlackLookupRow.looked_up_at >= now - FOUND_FOR)
        .limit(20)
    )
    return sorted(found)
