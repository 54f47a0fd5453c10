"""Delivery notes: why a message went by another channel, was held, refused or not sent.

The notifiers say it as a :class:`Note`, a code and its values; the words are Dutch, in one
catalogue (``notifications/templates/delivery_notes.txt.j2``), since the outbox row stores the
note as text (``last_error``) and the office reads it so. The command line shows the same
codes in English (:mod:`regie.reasons`). Jinja2 is imported when a note is first worded,
never when the command line starts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jinja2.environment import TemplateModule

CATALOGUE = "delivery_notes.txt.j2"


class NoteCode(StrEnum):
    """One macro of the catalogue each."""

    NO_EMAIL_FOR = "no_email_for"
    BOUNCES = "bounces"
    NO_SLACK_ID_FOR = "no_slack_id_for"
    NO_SLACK_ACCOUNT = "no_slack_account"
    NO_SLACK_CHANNEL = "no_slack_channel"
    UNKNOWN_SLACK_USER = "unknown_slack_user"
    NOT_BY_SLACK = "not_by_slack"
    POSTED_BEFORE = "posted_before"
    SLACK_CHANNEL_REFUSED = "slack_channel_refused"
    POST_FAILED = "post_failed"
    SLACK_CANNOT_REACH = "slack_cannot_reach"
    EMAIL_CANNOT_REACH = "email_cannot_reach"
    CANNOT_REACH = "cannot_reach"
    SENT_VIA = "sent_via"
    UNREACHABLE = "unreachable"
    NOTHING_LEFT = "nothing_left"
    IN_ROUND = "in_round"


@dataclass(frozen=True, slots=True)
class Note:
    """A delivery note: ``str()`` words it in Dutch, as it is stored."""

    code: NoteCode
    values: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return dutch(self.code, self.values)


def note(code: NoteCode, **values: object) -> Note:
    return Note(code, values)


def dutch(code: NoteCode, values: Mapping[str, object] | None = None) -> str:
    """The note's Dutch words, exactly as the catalogue's macro writes them (not reflowed:
    a value such as a mail server's reply is kept as it came)."""
    return str(getattr(_catalogue(), code.value)(**dict(values or {})))


def parameters(code: NoteCode) -> tuple[str, ...]:
    """The names of the values the code's macro takes, in order."""
    return tuple(getattr(_catalogue(), code.value).arguments)


def _catalogue() -> TemplateModule:
    from notifications.words import catalogue

    return catalogue(CATALOGUE)
