"""One database per installation, unless shared on purpose: a programme is added to a database
that holds other programmes only when the operator says so (`regie sync --add-programme`).

With two installations side by side the likeliest slip is one env line of the other's
(REGIE_PLAN or REGIE_DATABASE_URL), or the other's dump restored: the first sync would then
quietly add the plan's programme beside the database's own and send its messages from there
(walk56c 1). The sync refuses in one line instead (exit 2, nothing written), `regie doctor`
fails, and the restores refuse a backup or database without the plan's programme.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from regie.errors import InvalidInput

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from regie.bootstrap import App

#: The option of `regie sync` that adds a programme to a database holding others.
ADD_PROGRAMME = "--add-programme"
#: How many programme ids a line names before "and more".
NAMED = 3
SHARED_ON_PURPOSE = f"a database shared on purpose: `regie sync {ADD_PROGRAMME}` once adds it"
WHICH = "is REGIE_PLAN or REGIE_DATABASE_URL the other installation's?"


def held(stored: list[str]) -> str:
    """The programme ids, at most :data:`NAMED` of them, then "and more"."""
    shown = ", ".join(stored[:NAMED])
    return f"{shown} and more" if len(stored) > NAMED else shown


def elsewhere(url: str, programme_id: str, stored: list[str]) -> str:
    """The line for a database that holds ``stored`` and not the plan's programme."""
    return f"database {url} holds {held(stored)}, not the plan's programme {programme_id}"


def foreign_programmes(session: Session, programme_id: str) -> list[str]:
    """The first few programmes the database holds when it does not hold ``programme_id``;
    [] when it does, or holds none (a new database)."""
    from store.audit import programme_stored
    from store.doctor import stored_programme_ids

    if programme_stored(session, programme_id):
        return []
    return stored_programme_ids(session, most=NAMED + 1)


@contextmanager
def said_in_one_line(app: App) -> Iterator[None]:
    """A sync refused because the database holds other programmes
    (:class:`store.sync_fields.ProgrammeElsewhere`) as one line, exit 2."""
    from store.sync_fields import ProgrammeElsewhere

    try:
        yield
    except ProgrammeElsewhere as exc:
        raise InvalidInput(
            f"{elsewhere(app.safe_url, exc.programme_id, exc.stored)}: {WHICH} Nothing was "
            f"written ({SHARED_ON_PURPOSE})"
        ) from None
