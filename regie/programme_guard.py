"""One database per installation, unless shared on purpose: a programme is added to a database
that holds other programmes only when the operator says so (`regie sync --add-programme`).

With two installations side by side the likeliest slip is one env line of the other's
(REGIE_PLAN or REGIE_DATABASE_URL), or the other's dump restored: the first sync would then
quietly add the plan's programme beside the database's own and send its messages from there
(walk56c 1). The sync refuses in one line instead (exit 2, nothing written), `regie doctor`
fails, and the restores refuse a backup or database without the plan's programme. A database
holding one programme may also be this installation's own with ``programme.id`` changed in
the plan: not supported (`--add-programme` would split its history over two ids), so the
line asks that too and says to set it back (review56 4).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from regie.errors import InvalidInput
from store.doctor import NAMED_PROGRAMMES

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from regie.bootstrap import App

#: The option of `regie sync` that adds a programme to a database holding others.
ADD_PROGRAMME = "--add-programme"
#: How many programme ids a line names before "and more".
NAMED = NAMED_PROGRAMMES
SHARED_ON_PURPOSE = f"a database shared on purpose: `regie sync {ADD_PROGRAMME}` once adds it"
WHICH = "is REGIE_PLAN or REGIE_DATABASE_URL the other installation's?"
#: Where the docs give the rule for ``programme.id`` (choose it once and never change it).
ID_RULE = "docs/new-programme.md, §1"


def which(stored: list[str]) -> str:
    """The question a refusal asks about a database holding ``stored``: with one programme,
    also whether the plan's ``programme.id`` was changed from it."""
    if len(stored) != 1:
        return WHICH
    return f"{WHICH.removesuffix('?')}, or was programme.id changed from {stored[0]}?"


def remedy(stored: list[str]) -> str:
    """What to do about it, the database shared on purpose last: with one programme, first
    that a changed ``programme.id`` is set back (not added beside the old one)."""
    if len(stored) != 1:
        return SHARED_ON_PURPOSE
    return (
        f"a changed programme.id is not supported, {ID_RULE}: set it back to {stored[0]}; "
        f"{SHARED_ON_PURPOSE}"
    )


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
    from store.doctor import programmes_to_name

    if programme_stored(session, programme_id):
        return []
    return programmes_to_name(session)


def served(app: App, command: str) -> str:
    """The programme `regie COMMAND` serves without the plan (send, outbox, events, prune):
    the database's only one; in a database holding several, the one the plan file names, even
    while the plan has other problems (:meth:`App.programme_id`). One line (exit 2) when the
    file names none of the database's programmes, or none at all (fix57c 1)."""
    try:
        programme_id = app.programme_id()
    except InvalidInput as exc:
        stored = app.stored_programme_ids(most=NAMED + 1)
        if len(stored) < 2:
            raise
        more = f" (and {len(exc.lines) - 1} more)" if len(exc.lines) > 1 else ""
        raise InvalidInput(
            f"database {app.safe_url} holds {held(stored)}: `regie {command}` serves the "
            f"programme REGIE_PLAN names (programme.id), and the plan file names none: "
            f"{exc.lines[0] if exc.lines else app.settings.plan_path}{more}"
        ) from None
    with app.session() as session:
        stored = foreign_programmes(session, programme_id)
    if stored:
        raise InvalidInput(
            f"{elsewhere(app.safe_url, programme_id, stored)}: {which(stored)} "
            f"(`regie {command}` serves the plan's programme)"
        )
    return programme_id


@contextmanager
def said_in_one_line(app: App) -> Iterator[None]:
    """A sync refused because the database holds other programmes
    (:class:`store.sync_fields.ProgrammeElsewhere`) as one line, exit 2."""
    from store.sync_fields import ProgrammeElsewhere

    try:
        yield
    except ProgrammeElsewhere as exc:
        raise InvalidInput(
            f"{elsewhere(app.safe_url, exc.programme_id, exc.stored)}: {which(exc.stored)} "
            f"Nothing was written ({remedy(exc.stored)})"
        ) from None
