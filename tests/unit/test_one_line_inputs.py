"""walk57b 7: the one-line values people type outside the plan file — a login's display name
(every page's header), a calendar token's label (a row of the token list and the /agenda table),
a one-off meeting's location and note (a feed's LOCATION, a pack's line) — refuse a line break,
a tab and a direction-changing or control character, as the plan file's one-line fields do."""

from __future__ import annotations

import pytest

from governance.characters import one_line_problem

BREAK = "--location: must be one line, but contains a line break"
BIDI = "invisible direction-changing character"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Zaal 1;\r\nATTENDEE:mailto:x@evil.example", f"{BREAK}"),
        ("Zaal\u20281", f"{BREAK}"),
        ("Zaal\t1", "--location: contains a tab: write a space"),
        ("Vier\u202eedr", f"--location: contains the {BIDI} U+202E: remove it"),
        ("Zaal\x1b[31m", "--location: contains the control character U+001B: remove it"),
        ("Stadhuis, zaal 2; ingang B — ‘t Hof", None),
    ],
)  # fmt: skip
def test_one_line_problem(text: str, said: str | None) -> None:
    assert one_line_problem("--location", text) == said


def test_a_folded_meeting_location_is_still_taken_without_its_trailing_break() -> None:
    """review57 3: parser 18 ran plans with ``location: >`` (a break at the end only); after
    the upgrade every command refused them. The break at the end is dropped, one inside is
    refused."""
    from pathlib import Path

    from governance.planfile import parse_plan
    from governance.planfile.load import PlanInvalid

    seed = (Path(__file__).resolve().parents[2] / "plan" / "actions.yaml").read_text("utf-8")
    line = "      location: Ministerie van Infrastructuur en Milieu, Den Haag (voorbeeld)\n"
    assert line in seed
    folded = seed.replace(
        line, "      location: >\n        Ministerie van Infrastructuur en Milieu, Den Haag\n"
    )
    plan = parse_plan(folded, "folded.yaml")
    (body,) = [b for b in plan.governance if b.meetings is not None and b.meetings.location]
    assert body.meetings is not None
    assert body.meetings.location == "Ministerie van Infrastructuur en Milieu, Den Haag"
    # A plan kept with a pack parser 18 made is read as it was: its pack is made again byte
    # for byte, the break included.
    kept = parse_plan(folded, "folded.yaml", accepted_by=18)
    (old,) = [b for b in kept.governance if b.meetings is not None and b.meetings.location]
    assert old.meetings is not None
    assert old.meetings.location == "Ministerie van Infrastructuur en Milieu, Den Haag\n"
    inner = seed.replace(line, "      location: |-\n        Zaal 1\n        Ingang B\n")
    with pytest.raises(PlanInvalid) as refused:
        parse_plan(inner, "inner.yaml")
    at = seed.splitlines().index(line.rstrip("\n")) + 1  # the location's line
    assert [str(p) for p in refused.value.problems] == [
        f"inner.yaml:{at}:17: 'location' must be one line, but contains a line break (a folded "
        "'>' keeps one at the end: write '>-')"
    ]
