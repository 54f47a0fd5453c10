"""`regie status ITEM`'s line per update: a note on one line, visibly shortened, in plain
quotes (walk56b 5)."""

from __future__ import annotations

from datetime import date

import pytest

from governance.updates import StatusUpdate, UpdateStatus
from regie.cli.tables import NOTE_WIDTH, update_lines
from regie.history import UpdateLine


def _line(note: str) -> str:
    update = StatusUpdate("1.1.1", UpdateStatus.ON_TRACK, date(2027, 1, 5), comment=note, id=3)
    lines = update_lines(
        "1.1.1", [UpdateLine(update, "Jan de Vries", None, None)], date(2027, 1, 5)
    )
    return lines[1]


@pytest.mark.parametrize(
    ("note", "shown"),
    [
        ("Klaar", '"Klaar"'),
        # Both quotes, as written: no backslashes.
        ("""Jan's "ontwerp" is klaar""", '''"Jan's "ontwerp" is klaar"'''),
        # Line breaks (any kind) as spaces: one line per update.
        (
            "Stap 1 klaar\nStap 2 loopt\r\nStap 3\x0bvolgt",
            '"Stap 1 klaar Stap 2 loopt Stap 3 volgt"',
        ),
        # An escape sequence never reaches the terminal raw.
        ("rood\x1b[31m!", '"rood\ufffd[31m!"'),
        # Exactly as long as the room: whole, no "…".
        ("x" * NOTE_WIDTH, '"' + "x" * NOTE_WIDTH + '"'),
        # Longer: cut with a visible "…", the cell as wide as the room.
        ("y" * (NOTE_WIDTH + 1), '"' + "y" * (NOTE_WIDTH - 1) + '…"'),
    ],
)
def test_a_note_is_one_line_plainly_quoted_and_visibly_shortened(note: str, shown: str) -> None:
    line = _line(note)
    assert line.endswith("(cli)  " + shown), line
    assert "\\" not in line and "\n" not in line
