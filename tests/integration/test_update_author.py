"""`regie update --author` names a contact of the plan (or the office): a name that is none, such
as a contact who left or "Name <address>", is refused in one line, as import-updates and
update-sheet --contact refuse it, and nothing is stored."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_in_process import regie


def _updates_of(item: str) -> list[dict[str, object]]:
    rows = json.loads(regie("status", "--format", "json").out)
    latest = next(r for r in rows if r["id"] == item)["latest_update"]
    return [] if latest is None else [latest]


def test_an_author_who_is_no_contact_is_refused_in_one_line(regie_home: Path) -> None:
    for author in ("alice", "Jan Pietersen <jan@x.nl>", "Programmabureau "):
        refused = regie("update", "1.2.1", "--status", "on_track", "--author", author)
        assert refused.code == 2, (author, refused.out, refused.err)
        assert refused.err.startswith(f"--author: {author!r} is not a contact in the plan (")
        assert "ienm-voorbeeld" in refused.err and "'programmabureau' for the office" in refused.err
        assert len(refused.err.strip().splitlines()) == 1
    assert _updates_of("1.2.1") == []  # nothing stored


def test_the_office_and_contacts_may_report(regie_home: Path) -> None:
    default = regie("update", "1.2.1", "--status", "on_track")
    assert default.code == 0, default.err
    assert _updates_of("1.2.1")[0]["author"] == "programmabureau"
    office = regie("update", "1.2.1", "--status", "at_risk", "--author", "programmabureau")
    assert office.code == 0, office.err
    own = regie("update", "1.2.1", "--status", "on_track", "--author", "ienm-voorbeeld")
    assert own.code == 0, own.err
    assert _updates_of("1.2.1")[0]["author"] == "ienm-voorbeeld"
