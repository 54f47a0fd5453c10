"""After a restore: which of the messages a dry run would send are already in the file outbox.

A database restored from a backup does not know what was sent after the backup; the file
outbox still holds those messages' ``.eml`` files (only the file outbox leaves such a trace: a
mail server or Slack keeps none Regie can read). A dry run names them (docs/operations.md,
"Restore", step 4) whatever step queues them: the deadline check's reminders, a status round's
requests, chases and summary, an agenda pack, a meeting's notice.

A key a dry run cannot know yet holds ``?`` for the row a real run would make (a status round's
number, a meeting change's row): it matches a file of that message under any number that the
database's outbox does not know.
"""

from __future__ import annotations

import glob
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from regie.bootstrap import App

#: The part of a dry run's key that a real run fills in with a row's id.
UNKNOWN = "?"
_MARK = "UNKNOWNROWID"


def sent_before(app: App, keys: list[str]) -> list[str]:
    """Of ``keys``, those whose ``.eml`` file is already in the file outbox: messages delivered
    before that the database does not know as sent (a restore from an older backup). A key with
    a ``?`` part stands for the messages, with a number there, that the outbox does not know:
    each found is named by its own key."""
    folder = app.settings.outbox_dir
    if not keys or not folder.is_dir():
        return []
    programme = app.programme_id()
    found: list[str] = []
    guessed: list[str] = []
    for key in dict.fromkeys(keys):
        if UNKNOWN in key.split(":"):
            guessed += _numbered(folder, key, programme)
        elif _in_outbox(folder, key, programme):
            found.append(key)
    return found + _unknown_to_database(app, guessed)


def _in_outbox(folder: Path, key: str, programme: str | None) -> bool:
    from notifications.file_outbox import file_names

    # Either name: a message written before names carried the programme counts too.
    return any((folder / name).exists() for name in file_names(key, programme))


def _numbered(folder: Path, key: str, programme: str | None) -> list[str]:
    """The keys, ``?`` filled in with a number, of the files in ``folder`` that hold such a
    message (under either name, :func:`notifications.file_outbox.file_names`)."""
    from notifications.base import scoped_key
    from notifications.file_outbox import file_name, file_names

    template = ":".join(_MARK if part == UNKNOWN else part for part in key.split(":"))
    found: list[str] = []
    for scoped in dict.fromkeys([scoped_key(template, programme), template]):
        stem = file_name(scoped).rsplit("-", 1)[0]
        if _MARK not in stem:  # cut off by the name's length limit: not told apart
            continue
        before, after = stem.split(_MARK, 1)
        number = re.compile(re.escape(before) + r"(\d+)" + re.escape(after) + r"-[0-9a-f]{10}\.eml")
        for path in folder.glob(f"{glob.escape(before)}*{glob.escape(after)}-*.eml"):
            match = number.fullmatch(path.name)
            if match is None:
                continue
            real = template.replace(_MARK, match.group(1))
            if path.name in file_names(real, programme):
                found.append(real)
    return list(dict.fromkeys(found))


def _unknown_to_database(app: App, keys: list[str]) -> list[str]:
    """Of ``keys``, those the database's outbox does not hold (under any status)."""
    if not keys:
        return []
    from store.reports_repo import ReportsRepository

    with app.session() as session:
        missing = ReportsRepository(session, app.programme_id()).missing_outbox_keys(keys)
    return [k for k in keys if k in missing]
