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


def _plan_with_office(tmp_path: Path, name: str) -> Path:
    """The repository's plan, its office named ``name`` (``programme.office_name``)."""
    root = Path(__file__).resolve().parents[2]
    text = (root / "plan" / "actions.yaml").read_text(encoding="utf-8")
    plan = tmp_path / "actions.yaml"
    plan.write_text(
        text.replace("  id: mvi-2015-2020\n", f"  id: mvi-2015-2020\n  office_name: {name}\n", 1),
        encoding="utf-8",
    )
    return plan


def test_the_office_is_named_by_the_plans_own_name_too(regie_home: Path, tmp_path: Path) -> None:
    """walk46 13: a programme whose office is a *Programmasecretariaat* names it so; the keyword
    'programmabureau' keeps working (existing scripts use it), and the refusal names both."""
    env = {"REGIE_PLAN": str(_plan_with_office(tmp_path, "Programmasecretariaat"))}
    refused = regie("update", "1.2.1", "--status", "on_track", "--author", "Tom Jacobs", env=env)
    assert refused.code == 2, (refused.out, refused.err)
    assert refused.err.strip().endswith(
        "; or 'programmasecretariaat' or 'programmabureau' for the office)"
    ), refused.err
    assert len(refused.err.strip().splitlines()) == 1
    assert _updates_of_in("1.2.1", env) == []
    for word in ("programmasecretariaat", "Programmasecretariaat", "programmabureau"):
        done = regie("update", "1.2.1", "--status", "on_track", "--author", word, env=env)
        assert done.code == 0, (word, done.err)
        # Stored as the office's own update, under the one name every reader knows.
        assert _updates_of_in("1.2.1", env)[0]["author"] == "programmabureau"
    other = regie(
        "update", "1.2.1", "--status", "on_track", "--author", "programmabureau ", env=env
    )
    assert other.code == 2 and "is not a contact in the plan" in other.err


def _updates_of_in(item: str, env: dict[str, str]) -> list[dict[str, object]]:
    rows = json.loads(regie("status", "--format", "json", env=env).out)
    latest = next(r for r in rows if r["id"] == item)["latest_update"]
    return [] if latest is None else [latest]
