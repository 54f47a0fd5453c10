"""Delivery reasons in English, for the command line.

Why a message was not delivered (or went another way) is stored on the outbox row as the
notifier said it (``notifications/``: ``telos onbereikbaar (slack: geen Slack-id of
e-mailadres; …)``, ``geen Slack-account voor …  — verstuurd via email``) and, for a message
with nothing left to send, as :data:`regie.recheck.NOTHING_LEFT`. Those words stay as stored;
the command line, which is English, shows them through :func:`in_english` — rows stored before
as well. Each Dutch phrase the notifiers write has its English form here
(``tests/unit/test_delivery_reasons.py`` finds any that has not); other text, already English
(Slack's and the mail server's own errors), passes unchanged.
"""

from __future__ import annotations

import re

from regie.recheck import NOTHING_LEFT

#: (Dutch pattern, English) in order: longer phrases before the shorter ones inside them. The
#: English matches what ``regie.delivery`` says of the same contact before sending ("slack: no
#: Slack id or e-mail address; email: no address").
_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(dutch), english)
    for dutch, english in (
        (re.escape(NOTHING_LEFT), "not sent: every item in it was done or cancelled meanwhile"),
        (r"(\S+) onbereikbaar \(", r"\1 unreachable ("),
        (r"geen Slack-id of e-mailadres voor ", "no Slack id or e-mail address for "),
        (r"geen Slack-id of e-mailadres", "no Slack id or e-mail address"),
        (r"geen Slack-account voor ", "no Slack account for "),
        (r"geen Slack-kanaal opgegeven", "no Slack channel given"),
        (r"soort (\S+) gaat niet via Slack", r"kind \1 does not go by Slack"),
        (r"Slack kent gebruiker (\S+) niet \(", r"Slack does not know user \1 ("),
        (r"Slack-kanaal ", "Slack channel "),
        (r"geen e-mailadres voor ", "no e-mail address for "),
        (r"email: geen e-mailadres", "email: no address"),
        (r"geen e-mailadres", "no e-mail address"),
        (r"niet bereikbaar", "not reachable"),
        (r"e-mail aan (\S+) komt niet aan \(", r"e-mail to \1 bounces ("),
        (r" na (\S+) pogingen niet gelukt: ", r" failed after \1 attempts: "),
        (r" — verstuurd via ", " — sent via "),
        (r"al eerder geplaatst", "already posted before"),
        # store.outbox.OutboxError names the step that found the row claimed again.
        (r"(cannot mark message .*\)) herzien: ", r"\1 revised: "),
        (r"(cannot mark message .*\)) overslaan: ", r"\1 suppressed: "),
    )
)


def in_english(reason: str) -> str:
    """``reason`` (a stored delivery failure or note, or a line holding one) in English."""
    for dutch, english in _PHRASES:
        reason = dutch.sub(english, reason)
    return reason
