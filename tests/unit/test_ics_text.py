"""The feed writer's TEXT escaping and line folding, against icalendar's reader."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from feeds.ics import escape_text, fold
from governance.characters import displayable


def unfold(text: str) -> str:
    return text.replace("\r\n ", "")


@settings(deadline=None)  # the first call imports icalendar; the machine is shared
@given(st.text(min_size=0, max_size=400))
def test_folded_lines_fit_and_unfold_to_the_original(value: str) -> None:
    line = "DESCRIPTION:" + escape_text(value)
    folded = fold(line)
    assert unfold(folded) == line
    for piece in folded.split("\r\n"):
        assert len(piece.encode()) <= 75
    for piece in folded.split("\r\n")[:-1]:  # never split between a backslash and its escape
        run = len(piece) - len(piece.rstrip("\\"))
        assert run % 2 == 0


@settings(deadline=None)
@given(st.text(min_size=0, max_size=200))
def test_icalendar_reads_back_what_was_escaped(value: str) -> None:
    from icalendar import Event

    body = f"BEGIN:VEVENT\r\n{fold('SUMMARY:' + escape_text(value))}\r\nEND:VEVENT\r\n"
    expected = displayable(value)  # line breaks as \n, control characters as U+FFFD
    assert str(Event.from_ical(body)["SUMMARY"]) == expected


def test_escaping_examples() -> None:
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    assert fold("X:" + "é" * 40).split("\r\n")[0] == "X:" + "é" * 36  # 2 + 72 octets, no split é


def test_control_and_direction_characters_never_reach_the_feed() -> None:
    """RFC 5545 allows no control character in TEXT but tab; a note stored before they were
    refused carried ESC and BEL raw into DESCRIPTION (security review, findings 5 and 8)."""
    assert escape_text("a\x1b[31m\x07b\x00\u202egnp.exe\tc\r\nd") == (
        "a\ufffd[31m\ufffdb\ufffd\ufffdgnp.exe\tc\\nd"
    )
