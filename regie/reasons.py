"""Delivery notes in English, for the command line.

Why a message was not delivered, went another way or was not sent is a
:class:`~notifications.notes.Note` (a code and its values), stored on the outbox row in Dutch
as the catalogue words it (``notifications/templates/delivery_notes.txt.j2``) and shown so by
the web and the messages. The command line, which is English, shows each code in the English
of :data:`ENGLISH` through :func:`in_english`, which reads the stored text: the Dutch of every
code is matched as the catalogue writes it (its values kept), so rows stored before read the
same. Other text, already English (Slack's and the mail server's own errors), passes unchanged.
"""

from __future__ import annotations

import re
import string
from functools import cache

from notifications.notes import NoteCode, dutch, parameters

#: Each code's English, its values as ``{name}`` (the same values as the Dutch; those first or
#: last in the Dutch are first or last here too). The English matches what ``regie.delivery``
#: says of the same contact before sending ("slack: no Slack id or e-mail address; email: no
#: address").
ENGLISH: dict[NoteCode, str] = {
    NoteCode.NO_EMAIL_FOR: "no e-mail address for {contact}",
    NoteCode.BOUNCES: "e-mail to {address} bounces ({mark})",
    NoteCode.NO_SLACK_ID_FOR: "no Slack id or e-mail address for {contact}",
    NoteCode.NO_SLACK_ACCOUNT: "no Slack account for {email}",
    NoteCode.NO_SLACK_CHANNEL: "no Slack channel given",
    NoteCode.UNKNOWN_SLACK_USER: "Slack does not know user {user} ({error})",
    NoteCode.NOT_BY_SLACK: "kind {kind} does not go by Slack",
    NoteCode.POSTED_BEFORE: "already posted before",
    NoteCode.SLACK_CHANNEL_REFUSED: "Slack channel {channel}: {error}",
    NoteCode.POST_FAILED: "{method} failed after {tries} attempts: {last}",
    NoteCode.SLACK_CANNOT_REACH: "no Slack id or e-mail address",
    NoteCode.EMAIL_CANNOT_REACH: "no address",
    NoteCode.CANNOT_REACH: "not reachable",
    NoteCode.SENT_VIA: "{skipped} — sent via {channel}",
    NoteCode.UNREACHABLE: "{contact} unreachable ({skipped})",
    NoteCode.NOTHING_LEFT: "not sent: every item in it was done or cancelled meanwhile",
    NoteCode.IN_ROUND: "not sent: today's status round message asks about the same items",
}

#: Words stored by earlier versions or by other layers, matched after the codes' own.
_OTHER: tuple[tuple[str, str], ...] = (
    # store.outbox.OutboxError names the step that found the row claimed again.
    (r"(cannot mark message .*\)) herzien: ", r"\1 revised: "),
    (r"(cannot mark message .*\)) overslaan: ", r"\1 suppressed: "),
)

_MARK = "\x00"


def english(code: NoteCode, **values: object) -> str:
    """A note in English, from its code and values."""
    return ENGLISH[code].format(**values)


def in_english(reason: str) -> str:
    """``reason`` (a stored delivery failure or note, or a line holding one) in English."""
    for dutch_words, english_words in _patterns():
        reason = dutch_words.sub(english_words, reason)
    return reason


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """(Dutch, English) per code, the longer Dutch first (one holding another's words, as
    "geen Slack-id of e-mailadres voor …" holds "geen Slack-id of e-mailadres", goes first).
    A value between fixed words is matched and put in its English place; a value at the
    start or end stays where it is, so a note inside a longer line (or holding another note:
    "telos onbereikbaar (slack: geen …)") keeps the rest, worded by the other patterns."""
    found = []
    for code in NoteCode:
        names = parameters(code)
        pieces = dutch(code, {n: f"{_MARK}{n}{_MARK}" for n in names}).split(_MARK)
        # pieces: fixed, name, fixed, name, …, fixed (an empty fixed at a value's edge).
        fixed, inner = _inner(pieces[0::2], pieces[1::2])
        english_pieces = _english_pieces(ENGLISH[code])
        english_fixed, english_inner = _inner(english_pieces[0::2], english_pieces[1::2])
        if sorted(inner) != sorted(english_inner) or _edges(pieces) != _edges(english_pieces):
            raise ValueError(f"{code}: the English has other values than the Dutch")
        regex = re.escape(fixed[0]) + "".join(
            f"(?P<{name}>.*?)" + re.escape(part)
            for name, part in zip(inner, fixed[1:], strict=True)
        )
        replacement = english_fixed[0].replace("\\", "\\\\") + "".join(
            rf"\g<{name}>" + part.replace("\\", "\\\\")
            for name, part in zip(english_inner, english_fixed[1:], strict=True)
        )
        found.append((len("".join(fixed)), re.compile(regex), replacement))
    found.sort(key=lambda entry: -entry[0])  # stable: equal lengths keep the codes' order
    codes = tuple((pattern, replacement) for _, pattern, replacement in found)
    return codes + tuple((re.compile(d), e) for d, e in _OTHER)


def _english_pieces(template: str) -> list[str]:
    """An English template as the Dutch is split: fixed, name, fixed, …, fixed."""
    pieces: list[str] = []
    for literal, name, _, _ in string.Formatter().parse(template):
        pieces.append(literal)
        if name is not None:
            pieces.append(name)
    if len(pieces) % 2 == 0:
        pieces.append("")
    return pieces


def _inner(fixed: list[str], names: list[str]) -> tuple[list[str], list[str]]:
    """The fixed words from the first to the last, and the values between them (a value at
    either edge, before the first or after the last fixed words, is left out)."""
    if names and fixed[0] == "":
        fixed, names = fixed[1:], names[1:]
    if names and fixed[-1] == "":
        fixed, names = fixed[:-1], names[:-1]
    return fixed, names


def _edges(pieces: list[str]) -> tuple[str | None, str | None]:
    """The values at the start and the end of a split template (None: fixed words there)."""
    first = pieces[1] if len(pieces) > 1 and pieces[0] == "" else None
    last = pieces[-2] if len(pieces) > 1 and pieces[-1] == "" else None
    return first, last
