"""Delivery notes are a code and values (notifications.notes), worded in Dutch by one catalogue
and in English for the command line by regie.reasons: every code has both, and the English of
a stored Dutch note is the code's English with the same values, inside a longer line too."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from notifications.base import Refused, Unreachable
from notifications.notes import CATALOGUE, NoteCode, dutch, note, parameters
from notifications.routing import Router
from regie.reasons import ENGLISH, english, in_english
from tests.unit.test_delivery_reasons import DUTCH, _Channel

CATALOGUE_PATH = Path(__file__).resolve().parents[2] / "notifications" / "templates" / CATALOGUE
#: Values as a mail server or Slack says them: spaces, parentheses, a colon.
VALUES = {
    "contact": "telos", "address": "t.elos@example.nl", "mark": "550 5.1.1 (no such user)",
    "email": "t.elos@example.nl", "user": "U0123", "error": "user_not_found", "kind": "round",
    "channel": "C0ABC", "method": "chat.postMessage", "tries": 4, "last": "HTTP 503: busy",
    "skipped": "slack: geen Slack-account voor t.elos@example.nl",
}  # fmt: skip


def _values(code: NoteCode) -> dict[str, object]:
    return {name: VALUES[name] for name in parameters(code)}


def test_each_code_has_one_macro_and_its_english() -> None:
    macros = set(re.findall(r"{% macro (\w+)\(", CATALOGUE_PATH.read_text(encoding="utf-8")))
    assert macros == {code.value for code in NoteCode}
    assert set(ENGLISH) == set(NoteCode)


@pytest.mark.parametrize("code", list(NoteCode))
def test_a_stored_note_reads_as_its_codes_english(code: NoteCode) -> None:
    values = _values(code)
    stored = dutch(code, values)
    assert DUTCH.search(stored) or code is NoteCode.SLACK_CHANNEL_REFUSED
    # The nested note (a channel skipped first) is worded by its own code's English.
    expected = english(code, **values).replace("geen Slack-account voor", "no Slack account for")
    assert in_english(stored) == expected
    assert in_english(f"round:1:telos: {stored}") == f"round:1:telos: {expected}"
    assert not DUTCH.search(in_english(stored))


def test_a_notifier_error_keeps_its_note() -> None:
    refused = Refused(note(NoteCode.UNKNOWN_SLACK_USER, user="U1", error="user_not_found"))
    assert str(refused) == "Slack kent gebruiker U1 niet (user_not_found)"
    assert refused.note is not None and refused.note.code is NoteCode.UNKNOWN_SLACK_USER
    assert dict(refused.note.values) == {"user": "U1", "error": "user_not_found"}
    assert Unreachable("HTTP 503").note is None  # a server's own words: text only


def test_routing_says_which_channels_it_skipped_as_notes() -> None:
    from notifications.base import Message

    message = Message("k", "reminder_digest", "telos", "T. Elos", "Onderwerp", "Tekst")
    with pytest.raises(Unreachable) as raised:
        Router([_Channel("slack"), _Channel("file")], {}).send(message)
    assert raised.value.note is not None and raised.value.note.code is NoteCode.UNREACHABLE
    assert (
        str(raised.value)
        == "telos onbereikbaar (slack: geen Slack-id of e-mailadres; file: niet bereikbaar)"
    )
    assert in_english(str(raised.value)) == (
        "telos unreachable (slack: no Slack id or e-mail address; file: not reachable)"
    )
