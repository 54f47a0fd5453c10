"""A governance body is named as its plan names it, and never after a Dutch article: "de" or
"het" depends on the name ("het Bestuurlijk overleg …", "de Stuurgroep …") and a proper name
takes none, so no template may choose one for it."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from notifications.base import Message
from notifications.render import render
from notifications.slack_blocks import digest_blocks

ROOT = Path(__file__).resolve().parent.parent.parent
TEMPLATES = [
    p
    for folder in ("notifications/templates", "reports/templates", "web/templates")
    for p in sorted((ROOT / folder).rglob("*.j2"))
]
#: An article (or "van"/"aan" without one) right before a value that is a governance body.
BODY_AFTER_WORD = re.compile(
    r"\b(?:de|het|van|aan)\s+\*?\{\{[^}]*\b(?:body|steering_body)\b", re.IGNORECASE
)
#: A body's id shown as text (ids are for file names, keys and URLs).
BODY_ID_AS_TEXT = re.compile(r"\{\{[^}]*\bbody_id\b")
NAMES = (
    "Bestuurlijk overleg met lokale besturen",  # a "het" word
    "Stuurgroep Plan van aanpak MVI",  # a "de" word
    "Programmaraad Digitale Toegankelijkheid",  # a proper name
)
ROUND_KINDS = ("round_request", "round_chase", "round_summary")


def test_no_template_puts_a_word_before_a_body_or_shows_its_id() -> None:
    assert TEMPLATES
    found = [
        f"{p.relative_to(ROOT)}: {m.group(0)}"
        for p in TEMPLATES
        for pattern in (BODY_AFTER_WORD, BODY_ID_AS_TEXT)
        for m in pattern.finditer(p.read_text(encoding="utf-8"))
    ]
    assert found == []


def _context(name: str, *, links: bool) -> dict[str, Any]:
    link = "https://regie.example/antwoord/a" if links else None
    items = [
        {"item_id": "1.1", "title": "Lijst van websites", "gereed": "Q1-2027",
         "due": date(2027, 3, 31), "answer_url": link},
        {"item_id": "1.2", "title": "Lijst van apps", "gereed": None, "due": None,
         "answer_url": None},
    ]  # fmt: skip
    return {
        "contact": SimpleNamespace(name="A. Claes"),
        "programme": {"title": "Programma X", "short_title": "X"},
        "body": SimpleNamespace(name=name),
        "round": SimpleNamespace(answer_by=date(2027, 3, 5)),
        "items": items,
        "progress": {
            "answered": 1,
            "items": 2,
            "without_answer": [{"id": "1.2", "title": "Lijst van apps"}],
            "organisations": [{"id": "DV", "answered": 1, "asked": 2, "rate": 0.5}],
        },
        "as_of": date(2027, 2, 20),
        "key": "round:1:a:request",
    }


def _slack_intro(kind: str, name: str) -> str:
    message = Message(
        key="k", kind=kind, recipient="a", recipient_name="A", subject="s", text="t",
        metadata={"body": name, "answer_by": "2027-03-05", "programme": "X", "answered": 1,
                  "asked": 2, "items": [{"id": "1.2", "title": "Lijst van apps", "gereed": None,
                                                 "due": None}]},
    )  # fmt: skip
    return str(next(b["text"]["text"] for b in digest_blocks(message) if b["block_id"] == "intro"))


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("kind", ROUND_KINDS)
def test_round_messages_name_the_body_without_an_article(kind: str, name: str) -> None:
    context = _context(name, links=True)
    texts = {
        "subject": render(f"{kind}.subject.j2", **context),
        "text": render(f"{kind}.txt.j2", **context),
        "html": render(f"{kind}.html.j2", **context),
        "slack": _slack_intro(kind, name),
    }
    before = re.compile(rf"\b(?:de|het|van|aan)\s+\*?{re.escape(name)}", re.IGNORECASE)
    for where, text in texts.items():
        assert name in text, where
        assert not before.search(text), (where, text)
    if kind != "round_summary":
        assert f"Voor de komende vergadering ({name})" in texts["text"] or (
            f"voor de komende vergadering ({name})" in texts["text"]
        )
        assert f"komende vergadering (*{name}*)" in texts["slack"]


@pytest.mark.parametrize("links", [True, False])
@pytest.mark.parametrize("kind", ["round_request", "round_chase"])
def test_each_item_of_a_round_message_is_a_block_of_its_own(kind: str, links: bool) -> None:
    """A blank line after every item, whether it has an answer link or not: the last one is
    never glued to the "Geef per punt …" (or the closing) line."""
    text = render(f"{kind}.txt.j2", **_context(NAMES[0], links=links))
    first = "- 1.1 Lijst van websites\n  Gereed: Q1-2027 (deadline 31 maart 2027)\n"
    if links:
        first += "  Antwoorden: https://regie.example/antwoord/a\n"
    assert first + "\n- 1.2 Lijst van apps\n  Gereed: geen datum\n\n" in text
    assert "  Gereed: geen datum\n\nGeef per punt" in text  # the chase too (walk29 finding 8)


@pytest.mark.parametrize("kind", ROUND_KINDS)
def test_no_meeting_after_the_date_is_no_komende_vergadering(kind: str) -> None:
    """walk30 4: when the body's meetings are known and none follows the answer-by date (or
    the date is after the programme's end), no message promises "de komende vergadering"."""
    name = "Stuurgroep Fietsplan"
    context = {**_context(name, links=True), "no_meeting": True}
    message = Message(
        key="k", kind=kind, recipient="a", recipient_name="A", subject="s", text="t",
        metadata={"body": name, "answer_by": "2027-03-05", "programme": "X", "answered": 1,
                  "asked": 2, "no_meeting": True,
                  "items": [{"id": "1.2", "title": "Lijst van apps", "gereed": None,
                             "due": None}]},
    )  # fmt: skip
    slack = next(b["text"]["text"] for b in digest_blocks(message) if b["block_id"] == "intro")
    for text in (
        render(f"{kind}.txt.j2", **context),
        render(f"{kind}.html.j2", **context),
        str(slack),
    ):
        assert "komende vergadering" not in text, text
        assert "voortgangsbespreking" in " ".join(text.split()), text
