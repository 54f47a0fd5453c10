"""A programme office writes to partner organisations formally: every text an owner reads
(Slack messages and modals, e-mails, answer pages, refusals) says "u"/"uw", never "je"/"jij"/
"jouw"/"jullie". Scanned in the templates and the Dutch strings of the code, and in the
messages as they are rendered."""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from governance.answers import Refusal
from governance.assessment import assess
from governance.planfile.load import load_plan
from governance.reminders import plan_reminders
from notifications.base import Message
from notifications.render import render
from notifications.slack_blocks import MAX_BLOCKS, digest_blocks
from regie.messages import outbox_messages
from regie.texts import refusal_text
from tests.conftest import SEED_PLAN
from tests.unit.asked import asked_before

ROOT = Path(__file__).resolve().parent.parent.parent
INFORMAL = re.compile(
    r"\b(?:je|jij|jou|jouw|jouwe|jullie|jezelf|jouzelf|jullie zelf)\b", re.IGNORECASE
)
#: What owners read: every message template (mail and Slack), the answer pages and their layout.
OWNER_TEMPLATES = [
    *sorted((ROOT / "notifications" / "templates").rglob("*.j2")),
    *sorted((ROOT / "web" / "templates").glob("answer_*.html.j2")),
    ROOT / "web" / "templates" / "base.html.j2",
    ROOT / "regie" / "templates" / "privacy" / "update_sheet_note.txt.j2",  # the update sheet's
    *sorted((ROOT / "regie" / "templates" / "answers").glob("*.j2")),  # refusals, field problems
]
#: Code that holds Dutch text for owners: refusals, field problems, Slack's modal and replies,
#: the answer form's errors and labels.
OWNER_CODE = [
    ROOT / "governance" / "answers.py",
    ROOT / "regie" / "slack_answers.py",
    ROOT / "notifications" / "slack_answer_blocks.py",
    ROOT / "notifications" / "slack_blocks.py",
    ROOT / "web" / "answers.py",
]
SLACK_KINDS = (
    "reminder_digest",
    "escalation_digest",
    "round_request",
    "round_chase",
    "round_summary",
    "test",
)


def informal(text: str) -> list[str]:
    return [m.group(0) for m in INFORMAL.finditer(text)]


def test_the_pattern_finds_the_informal_forms_and_not_the_formal_ones() -> None:
    assert informal("Voor X vragen we je om een update; stuurt Jou graag; JULLIE") == [
        "je",
        "Jou",
        "JULLIE",
    ]
    assert informal("Wilt u uw update geven? Jeugdzorg, bijeenkomst, projecten.") == []


@pytest.mark.parametrize("path", OWNER_TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_owner_templates_say_u(path: Path) -> None:
    assert informal(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("path", OWNER_CODE, ids=lambda p: str(p.relative_to(ROOT)))
def test_dutch_strings_in_owner_facing_code_say_u(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and informal(node.value)
    ]
    assert found == []


def test_refusals_say_u() -> None:
    assert [t for t in map(refusal_text, Refusal) if informal(t)] == []


def _slack_items(n: int) -> list[dict[str, Any]]:
    return [
        {
            "id": f"1.{i}",
            "title": f"Punt {i}",
            "gereed": "Q3-2015",
            "due": "2015-09-30",
            "state": "overdue",
            "days_overdue": 3,
            "kind": "overdue",
            "owners": ["RIVM"],
        }
        for i in range(1, n + 1)
    ]


def _slack_text(blocks: list[dict[str, Any]]) -> str:
    texts: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                if key == "text" and isinstance(inner, str):
                    texts.append(inner)
                else:
                    walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    walk(blocks)
    return "\n".join(texts)


@pytest.mark.parametrize("count", [1, 3, MAX_BLOCKS])  # MAX_BLOCKS: with "… en nog N punten"
@pytest.mark.parametrize("kind", SLACK_KINDS)
def test_rendered_slack_messages_say_u(kind: str, count: int) -> None:
    items = [] if kind == "test" else _slack_items(count)  # a test message lists nothing
    message = Message(
        key="k", kind=kind, recipient="a", recipient_name="A. Claes",
        subject="[MVI] Verzoek om update", text="t",
        metadata={"programme": "MVI", "body": "Stuurgroep MVI", "answer_by": "2015-10-15",
                  "answered": 1, "asked": 2, "addition": True, "items": items},
    )  # fmt: skip
    text = _slack_text(digest_blocks(message))
    assert informal(text) == [], text
    if kind in ("reminder_digest", "round_request", "round_chase", "test"):
        assert re.search(r"\bu\b", text), text  # the owner is addressed, formally
    if count == MAX_BLOCKS and kind != "test":
        assert "stuurt u graag het volledige overzicht" in text


def test_slack_modal_and_replies_say_u() -> None:
    from regie.slack_answers import answered_text
    from regie.slack_modals import modal

    plan = load_plan(SEED_PLAN)
    form = modal(plan, "1.1.1", "D1", "1.0")
    shown = _slack_text([form]) + answered_text("A. Claes", "Gereed", date(2015, 10, 1))
    assert informal(shown) == []


def test_rendered_mails_say_u() -> None:
    plan = load_plan(SEED_PLAN)
    day = date(2015, 10, 1)
    assessment = assess(plan, [], day)
    reminders = plan_reminders(plan, assessment, asked_before(plan, [], day), day)
    messages = list(outbox_messages(plan, assessment, reminders))
    assert {m.kind for m in messages} == {"reminder_digest", "escalation_digest"}
    for m in messages:
        for text in (m.subject, m.body_text, m.body_html or ""):
            assert informal(text) == [], (m.key, text)
    reminder = next(m for m in messages if m.kind == "reminder_digest")
    assert "vragen we u om een update" in reminder.body_text


@pytest.mark.parametrize("links", [True, False])
@pytest.mark.parametrize("kind", ["round_request", "round_chase", "round_summary", "test"])
def test_rendered_round_and_test_mails_say_u(kind: str, links: bool) -> None:
    link = "https://regie.example/antwoord/a" if links else None
    context = {
        "contact": SimpleNamespace(name="A. Claes"),
        "programme": {"title": "Programma X", "short_title": "X"},
        "body": SimpleNamespace(name="Stuurgroep X"),
        "round": SimpleNamespace(answer_by=date(2027, 3, 5)),
        "items": [
            {"item_id": "1.1", "title": "Lijst", "gereed": "Q1-2027", "due": date(2027, 3, 31),
             "answer_url": link},
        ],
        "progress": {
            "answered": 0, "items": 1, "without_answer": [{"id": "1.1", "title": "Lijst"}],
            "organisations": [{"id": "DV", "answered": 0, "asked": 1, "rate": 0.0}],
        },
        "as_of": date(2027, 2, 20),
        "key": "round:1:a:request",
    }  # fmt: skip
    for part in ("subject.j2", "txt.j2", "html.j2"):
        text = render(f"{kind}.{part}", **context)
        assert informal(text) == [], (part, text)
