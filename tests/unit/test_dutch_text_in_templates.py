"""User-facing Dutch lives in templates, not in Python: the modules cleaned of it stay clean.

An AST scan of those modules' string literals (f-string parts too; docstrings are English
documentation and skipped) for Dutch function words that English text and identifiers do not
use. A new Dutch sentence in one of them belongs in a template catalogue
(``regie/templates/answers/`` …) and is rendered by the layer that shows it."""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

import pytest

from tests.unit.python_texts import docstring_ids

ROOT = Path(__file__).resolve().parent.parent.parent
#: Modules whose user-facing Dutch moved to templates; add a module once it is clean.
CLEAN = [
    "governance/agenda_model.py",
    "governance/agenda_since.py",
    "governance/answers.py",
    "governance/corrections.py",
    "governance/new_date.py",
    "governance/progress.py",
    "governance/progress_changes.py",
    "governance/progress_front.py",
    "governance/progress_layouts.py",
    "governance/progress_model.py",
    "governance/progress_period.py",
    "notifications/base.py",
    "notifications/email.py",
    "notifications/file_outbox.py",
    "notifications/notes.py",
    "notifications/routing.py",
    "notifications/slack.py",
    "notifications/slack_answer_blocks.py",
    "notifications/slack_blocks.py",
    "regie/cycle.py",
    "regie/feed_build.py",
    "regie/feed_events.py",
    "regie/feed_serve.py",
    "regie/reasons.py",
    "regie/recheck.py",
    "regie/slack_answers.py",
    "regie/slack_modals.py",
    "regie/texts.py",
    "web/answers.py",
    "web/app.py",
    "web/correction_form.py",
    "web/corrections.py",
    "web/feeds.py",
    "web/pages.py",
    "web/report_pages.py",
]
#: Dutch words that an English text, an identifier or a code does not contain as a word
#: ("de", "die", "met", "is", "op" … are left out: English or codes use them too).
DUTCH = frozenset(
    {
        "het", "een", "van", "niet", "voor", "dit", "deze", "dat", "uw", "geen", "naar", "bij",
        "zijn", "wordt", "worden", "nog", "ook", "maar", "kan", "kunt", "hoort", "ligt", "staat",
        "heeft", "moet", "hebt", "meer", "alleen", "eerder", "zonder", "opnieuw", "dan", "als",
        "wel", "wat", "waar", "wie", "hoe", "toch", "bent", "zal", "kunnen", "moeten", "tot",
        "uit", "verwijderd", "gewijzigd",
    }
)  # fmt: skip
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def dutch_literals(source: str) -> list[tuple[int, str]]:
    """(line, text) of every string literal in ``source`` that reads as Dutch, docstrings
    aside."""
    tree = ast.parse(source)
    docstrings = docstring_ids(tree)
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        if id(node) in docstrings:
            continue
        words = _WORD.findall(node.value)
        # An all-capitals word is a code or a pattern ("[UW][A-Z0-9]"), not a sentence's.
        if any(w.lower() in DUTCH and not (w.isupper() and len(w) > 1) for w in words):
            found.append((node.lineno, node.value))
    return sorted(found)


def test_the_scan_finds_dutch_sentences_and_not_english_or_identifiers() -> None:
    source = '''
"""Module docstring: het programmabureau is quoted in documentation, which is fine."""
A = "Deze link is niet (meer) geldig."
B = f"de toelichting is langer dan {n} tekens"
C = "geen"
D = "only with status done"
E = "link_departed"
F = {"item_id": "dit punt heeft geen eigen datum"}
G = "the process may die when the condition is met"
H = r"[UW][A-Z0-9]{2,}"
def f() -> str:
    """Docstring: uit het plan verwijderd (a phrase the report shows)."""
    return "regie.answer.refused"
'''
    assert [line for line, _ in dutch_literals(source)] == [3, 4, 5, 8]
    assert dutch_literals('X = "Het punt"') == [(1, "Het punt")]


@pytest.mark.parametrize("module", CLEAN)
def test_no_dutch_sentence_in_cleaned_modules(module: str) -> None:
    assert dutch_literals((ROOT / module).read_text(encoding="utf-8")) == []


def test_every_refusal_and_field_problem_has_its_text() -> None:
    """A new reason or problem in the domain needs its macro in the catalogue."""
    from governance.answers import FieldProblem, Problem, Refusal
    from regie.texts import problem_text, refusal_text

    assert all(refusal_text(reason) for reason in Refusal)
    values = {"limit": 10, "character": "\x00", "position": 3, "milestones": ["1.1.1", "1.1.2"],
              "item": "1.1.2", "on": date(2025, 5, 5), "after": True,
              "start": date(2015, 1, 1), "end": date(2020, 12, 31)}  # fmt: skip
    assert all(problem_text(FieldProblem("f", code, "", values)) for code in Problem)
