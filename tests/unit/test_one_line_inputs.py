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
