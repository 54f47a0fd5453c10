"""The copy the first command after a code upgrade keeps of the embedded SQLite database
(:func:`regie.sqlite_copy.keep_before_upgrade`), as a restore recognises it, and what bringing
it back takes: the earlier version of Regie installed again, since this one migrates any older
database it opens once more (walk58d 4)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

#: ``<database name>.before-<revision>-<UTC time>``, as :func:`keep_before_upgrade` names it.
_NAME = re.compile(r".+\.before-(?P<revision>[A-Za-z0-9_]+)-(?P<at>\d{8}T\d{6}Z)")


def upgrade_copy(name: str) -> tuple[str, datetime] | None:
    """The revision the copy was kept before the upgrade to, and when (UTC), from its file
    name; None for another file."""
    match = _NAME.fullmatch(name)
    if match is None:
        return None
    at = datetime.strptime(match["at"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    return match["revision"], at


def earlier_version_first(revision: str | None, head: str) -> str:
    """The words for a database at an older ``revision`` than this Regie's ``head``: put back
    with this version it is migrated again; to go back, the earlier version comes first."""
    return (
        f"the backup is at revision {revision or 'none'} (this Regie: {head}): restored with "
        "this version it is upgraded again; to go back to the earlier version, install it "
        'again first, then restore (docs/operations.md, "Upgrade")'
    )
