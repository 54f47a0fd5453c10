"""A mail's Subject reads back exactly as the message's subject, however long (walk33 8): Python's
own folding broke "uw update vóór …" after "update " and began the next line with one more
space, so mail clients showed "uw update  vóór …"."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

from notifications.base import Message
from notifications.email import EmailNotifier
from notifications.file_outbox import to_email

#: The subjects of a round's request and chase with a long programme and body name: the fold
#: falls just before "vóór" for some length of the name (the sweep below finds it).
TAILS = [
    "Statusronde {name}: uw update vóór 13 juni 2025",
    "Herinnering statusronde {name}: uw update vóór 13 juni 2025",
    "Statusronde {name}: nu voor de vergadering van dinsdag 17 juni 2025, antwoord vóór 13 juni"
    " 2025",
    "Statusronde {name} gesloten: 2 van de 4 punten beantwoord",
    "Eén punt — café ë ë é x",
]


def _subjects() -> list[str]:
    return [
        f"[Plan van aanpak MVI] {tail.format(name='Stuurgroep ' + 'x' * n)}"
        for tail in TAILS
        for n in range(0, 80, 7)  # every 7th length: the fold moves across the words
    ]


def _message(subject: str) -> Message:
    return Message(
        key="round:1:anna:request", kind="round_request", recipient="anna",
        recipient_name="Anna de Wit", subject=subject, text="Beste Anna,\n",
        email="anna@example.org", programme="p",
    )  # fmt: skip


def _read_back(mail: EmailMessage, linesep: str) -> tuple[str, list[bytes]]:
    raw = mail.as_bytes(policy=mail.policy.clone(linesep=linesep))
    head = raw.split(linesep.encode() * 2)[0]
    subject = message_from_bytes(raw, policy=policy.default)["Subject"]
    return str(subject), head.split(linesep.encode())


@pytest.mark.parametrize("linesep", ["\n", "\r\n"])  # the file copy, the SMTP mail
def test_the_subject_reads_back_as_written_in_the_file_copy_and_the_smtp_mail(
    linesep: str,
) -> None:
    smtp = EmailNotifier("localhost", 25, mail_from="Regie <regie@example.org>")
    old_wrong = 0
    for subject in _subjects():
        for mail in (to_email(_message(subject)), smtp.compose(_message(subject))):
            read, lines = _read_back(mail, linesep)
            assert read == subject
            assert all(len(line) <= 78 for line in lines), lines
        # The case of the finding is among them: Python's folding of the plain text reads wrong.
        plain = EmailMessage()
        plain["Subject"] = subject
        old_wrong += _read_back(plain, linesep)[0] != subject
    assert old_wrong


@pytest.mark.parametrize("linesep", ["\n", "\r\n"])
def test_a_subject_of_every_length_reads_back_as_written(linesep: str) -> None:
    """walk56e 5: an ASCII subject of 70–77 characters went whole onto a continuation line and
    read back with a leading blank. Every length from 1 to 300, plain and with an accent, with
    words of several lengths and a double blank, reads back exactly, lines within 78."""
    smtp = EmailNotifier("localhost", 25, mail_from="Regie <regie@example.org>")
    text = "[Kustveiligheid] Agenda Stuurgroep Kust 13 juli 2027 (stand per 12 juli 2027)  " * 4
    accented = text.replace("Agenda", "Agenda’s vóór")
    for source in (text, accented, "x" * 300):
        for length in range(1, 301):
            subject = source[:length].strip(" ") or "x"
            for mail in (to_email(_message(subject)), smtp.compose(_message(subject))):
                read, lines = _read_back(mail, linesep)
                assert read == subject, (length, lines)
                if " " in subject:  # one unbroken word longer than a line cannot be split
                    assert all(len(line) <= 78 for line in lines), lines
