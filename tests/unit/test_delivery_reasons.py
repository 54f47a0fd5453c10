"""The command line's English for what the notifiers store in Dutch (regie.reasons), and the
English of a reminder's stage in `regie events` (regie.cli.tables)."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from governance.workdays import WorkCalendar
from notifications.base import Delivery, Message, Unreachable
from notifications.routing import Router
from regie.cli.tables import event_details, stage_words
from regie.reasons import in_english
from regie.recheck import NOTHING_LEFT
from store.records import StoredEvent
from tests.unit.python_texts import docstring_ids

ROOT = Path(__file__).resolve().parents[2]
#: Where delivery reasons and notes are written (not the messages: those are Dutch on purpose).
SOURCES = [
    "notifications/base.py", "notifications/routing.py", "notifications/slack.py",
    "notifications/email.py", "notifications/file_outbox.py", "regie/recheck.py",
    "regie/cycle.py", "store/outbox.py",
]  # fmt: skip
#: Words that mark a reason as Dutch (none of them is an English word of a reason).
DUTCH = re.compile(
    r"\b(geen|onbereikbaar|bereikbaar|verstuurd|verzonden|pogingen|gelukt|eerder|geplaatst|kent"
    r"|gebruiker|niet|opgegeven|voor|punten|intussen|gereed|vervallen|herzien|overslaan"
    r"|kanaal|na)\b|Slack-kanaal|e-mailadres",
    re.IGNORECASE,
)


@dataclass
class _Channel:
    """A channel that reaches nobody (as Slack and e-mail for a contact without an address)."""

    channel: str

    def can_reach(self, message: Message) -> bool:
        return False

    def send(self, message: Message) -> Delivery:
        raise AssertionError("never tried")


def test_an_unreachable_contact_reads_as_the_cycle_summary_says_it() -> None:
    message = Message("k", "reminder_digest", "telos", "T. Elos", "Onderwerp", "Tekst")
    with pytest.raises(Unreachable) as stored:
        Router([_Channel("slack"), _Channel("email")], {}).send(message)
    assert str(stored.value) == (
        "telos onbereikbaar (slack: geen Slack-id of e-mailadres; email: geen e-mailadres)"
    )
    # regie.delivery's words for the same contact (the cycle summary's "unreachable" line).
    assert in_english(str(stored.value)) == (
        "telos unreachable (slack: no Slack id or e-mail address; email: no address)"
    )


@pytest.mark.parametrize(
    ("stored", "english"),
    [
        ("reminder:p:telos:2015-10-15:digest: telos onbereikbaar (slack: geen Slack-id of "
         "e-mailadres voor telos; email: geen e-mailadres voor telos)",
         "reminder:p:telos:2015-10-15:digest: telos unreachable (slack: no Slack id or e-mail "
         "address for telos; email: no e-mail address for telos)"),
        ("slack: geen Slack-account voor x@example.nl — verstuurd via email",
         "slack: no Slack account for x@example.nl — sent via email"),
        ("Slack kent gebruiker U123 niet (user_not_found)",
         "Slack does not know user U123 (user_not_found)"),
        ("Slack-kanaal C1: channel_not_found", "Slack channel C1: channel_not_found"),
        ("geen Slack-kanaal opgegeven", "no Slack channel given"),
        ("slack: soort agenda_pack gaat niet via Slack — verstuurd via email",
         "slack: kind agenda_pack does not go by Slack — sent via email"),
        ("chat.postMessage na 4 pogingen niet gelukt: HTTP 503",
         "chat.postMessage failed after 4 attempts: HTTP 503"),
        ("al eerder geplaatst", "already posted before"),
        ("file: niet bereikbaar", "file: not reachable"),
        (f"{NOTHING_LEFT} (1.1.1, 2.1)",
         "not sent: every item in it was done or cancelled meanwhile (1.1.1, 2.1)"),
        ("claim lost: cannot mark message 'k' (p) herzien: it is not in the outbox",
         "claim lost: cannot mark message 'k' (p) revised: it is not in the outbox"),
        ("cannot mark message 'k' (p) overslaan: its status is 'sent', not 'sending'",
         "cannot mark message 'k' (p) suppressed: its status is 'sent', not 'sending'"),
        # English already: unchanged.
        ("Slack refused the bot token (invalid_auth): check REGIE_SLACK_BOT_TOKEN",
         "Slack refused the bot token (invalid_auth): check REGIE_SLACK_BOT_TOKEN"),
        ("delivery abandoned: no confirmation after the last attempt",
         "delivery abandoned: no confirmation after the last attempt"),
    ],
)  # fmt: skip
def test_stored_reasons_in_english(stored: str, english: str) -> None:
    assert in_english(stored) == english
    assert not DUTCH.search(in_english(stored))


def _written_texts(path: Path) -> list[tuple[int, str]]:
    """Every string literal of a module but its docstrings, an f-string's fields given as
    ``3`` (its fixed parts are what can be Dutch)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = docstring_ids(tree)
    parts_of_fstrings = set()
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = ""
            for value in node.values:
                if isinstance(value, ast.Constant):
                    parts_of_fstrings.add(id(value))
                    text += str(value.value)
                else:
                    text += "3"
            out.append((node.lineno, text))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings | parts_of_fstrings
        ):
            out.append((node.lineno, node.value))
    return out


@pytest.mark.parametrize("source", SOURCES)
def test_every_dutch_reason_the_code_writes_has_its_english(source: str) -> None:
    """A new Dutch reason or note in the notifiers without its English in regie.reasons fails
    here, with its line. Pieces joined at run time (routing's note, ' onbereikbaar (', the
    steps OutboxError names) are checked as the whole lines they make, above."""
    joined = {" onbereikbaar (", " — verstuurd via ", "geen e-mailadres", "herzien", "overslaan"}
    missing = [
        f"{source}:{line}: {text!r} → {in_english(text)!r}"
        for line, text in _written_texts(ROOT / source)
        if DUTCH.search(text) and text not in joined and DUTCH.search(in_english(text))
    ]
    assert missing == []


# --- `regie events`: a reminder's stage in words ----------------------------------------------


CALENDAR = WorkCalendar("NL")


@pytest.mark.parametrize(
    ("stage", "on", "text"),
    [
        ("first@2016-09-30", date(2016, 9, 9), "first reminder before the deadline of 2016-09-30"),
        ("second@2016-09-30", date(2016, 9, 23),
         "second reminder before the deadline of 2016-09-30"),
        ("due@2016-09-30", date(2016, 9, 30), "reminder on the deadline of 2016-09-30"),
        # Queued 2016-01-04, 1 working day after 2015-12-31 (New Year and a weekend between):
        # "reminder 49" in the key's words would count stages, not reminders.
        ("overdue-49@2015-12-31", date(2016, 1, 4),
         "reminder after the deadline of 2015-12-31 (1 working day overdue)"),
        ("overdue-2@2015-12-21", date(2016, 1, 4),
         "reminder after the deadline of 2015-12-21 (8 working days overdue)"),
        ("periodic-2016Q1", date(2016, 1, 4), "quarterly status reminder (Q1 2016)"),
        ("periodic-2016M03", date(2016, 3, 1),
         "periodic status reminder (period from 2016-03-01)"),
        ("escalation:1.1.1:none:overdue", date(2016, 3, 1), "escalation (overdue)"),
        ("something-else", date(2016, 3, 1), "reminder (stage something-else)"),
        ("predecessor-cancelled@2.4.1", date(2016, 3, 1),
         "notice: predecessor 2.4.1 cancelled, no date"),
    ],
)  # fmt: skip
def test_stage_words(stage: str, on: date, text: str) -> None:
    assert stage_words(stage, on, CALENDAR) == text


@pytest.mark.parametrize(
    ("stage", "on", "text"),
    [
        ("due@2027-01-15", date(2027, 1, 15), "reminder on the expected date 2027-01-15"),
        ("overdue-2@2027-01-15", date(2027, 1, 29),
         "reminder after the expected date 2027-01-15 (10 working days after it)"),
        ("overdue-1@2027-01-15", date(2027, 1, 18),
         "reminder after the expected date 2027-01-15 (1 working day after it)"),
        # Only a dated stage names a date the owner could have given.
        ("periodic-2016Q1", date(2016, 1, 4), "quarterly status reminder (Q1 2016)"),
    ],
)  # fmt: skip
def test_stage_words_of_a_stage_about_the_owners_forecast(stage: str, on: date, text: str) -> None:
    assert stage_words(stage, on, CALENDAR, forecast=True) == text


def test_event_details_show_words_not_keys() -> None:
    from datetime import UTC, datetime

    reminder = StoredEvent(
        1, "regie.reminder.queued", "1.5.1", date(2016, 3, 1), datetime(2016, 3, 1, tzinfo=UTC),
        {"stage": "overdue-8@2015-12-31", "state": "overdue", "contact": "bz",
         "digest": "reminder:p:bz:2016-03-01:digest"}, "k1",
    )  # fmt: skip
    assert event_details(reminder) == (
        "reminder after the deadline of 2015-12-31, state=overdue, contact=bz, "
        "digest=reminder:p:bz:2016-03-01:digest"
    )
    escalation = StoredEvent(
        2, "regie.escalation.raised", "1.1.1", date(2016, 3, 1), datetime(2016, 3, 1, tzinfo=UTC),
        {"kind": "overdue", "reason": "107 working days overdue", "contacts": "office",
         "key": "escalation:1.1.1:none:overdue", "digests": "escalation:p:office:2016-03-01"},
        "k2",
    )  # fmt: skip
    details = event_details(escalation)
    assert "escalation:1.1.1" not in details and details.startswith("kind=overdue, reason=")


def test_event_details_keep_the_terminal_safe() -> None:
    """A value with an escape sequence, a direction override or a line break (old data, or a
    status someone typed) is shown on one line with U+FFFD, never sent raw to the terminal."""
    from datetime import UTC, datetime

    event = StoredEvent(
        3, "regie.status.updated", "1.1.1", date(2016, 3, 1), datetime(2016, 3, 1, tzinfo=UTC),
        {"status": "at_risk", "comment": "rood\x1b[31m\u202egnp.exe\r\nregel twee"}, "k3",
    )  # fmt: skip
    details = event_details(event)
    assert "\x1b" not in details and "\u202e" not in details and "\n" not in details
    assert details == "status=at_risk, comment=rood\ufffd[31m\ufffdgnp.exe regel twee"
