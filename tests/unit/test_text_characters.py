"""One rule for characters that text written by people may not carry (governance/characters.py):
an owner's note (every channel checks it through governance.answers.answer_problems) and the
plan file; the DOCX writer replaces what XML cannot hold (security review, findings 5, 6, 8)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from governance.answers import AnswerInput, answer_problems
from governance.characters import xml_safe
from governance.planfile import validate_plan_file
from regie.texts import problem_text
from reports.docx import markdown_to_docx
from tests.conftest import SEED_PLAN

DAY = date(2016, 1, 15)


def _note(note: str) -> list[tuple[str, str, str]]:
    answer = AnswerInput("1.1.1", "on_track", note=note)
    return [(p.field, problem_text(p), p.en) for p in answer_problems(answer, DAY)]


@pytest.mark.parametrize(
    ("note", "what", "at"),
    [
        ("abc\x00def", "a NUL character (U+0000)", 4),
        ("\x1b[31mrood", "the control character U+001B", 1),
        ("bel\x07", "the control character U+0007", 4),
        ("del\x7f", "the control character U+007F", 4),
        ("c1\x9b", "the control character U+009B", 3),
        ("vt\x0bff", "the control character U+000B", 3),
        (
            "lone \udcff",
            "U+DCFF, which is no text (a byte that is not UTF-8?)",
            6,
        ),  # a command line's non-UTF-8 byte
        ("x\ufffe", "U+FFFE, which is no text (a byte that is not UTF-8?)", 2),
        ("zie \u202egnp.exe", "the invisible direction-changing character U+202E", 5),
        ("\u2066iso", "the invisible direction-changing character U+2066", 1),
    ],
)
def test_a_note_with_a_control_or_direction_character_is_refused(
    note: str, what: str, at: int
) -> None:
    ((field, nl, en),) = _note(note)
    assert field == "note"
    assert en == f"contains {what} at character {at}: remove it"
    assert nl.startswith("de toelichting bevat ") and f"op positie {at};" in nl
    assert note[at - 1] not in en + nl  # the messages never carry the character itself


@pytest.mark.parametrize(
    "note", ["regel\nregel", "a\r\nb\rc", "tab\there", "é ü ß – “” 🚧 中文", "\u200bzwsp", ""]
)
def test_text_line_breaks_and_tabs_are_fine(note: str) -> None:
    assert _note(note) == []


def test_a_too_long_note_is_told_its_length_first() -> None:
    assert [p[2] for p in _note("\x1b" * 2001)] == ["2001 characters, at most 2000"]


def test_xml_safe_replaces_what_xml_cannot_hold() -> None:
    assert (
        xml_safe("a\x00b\x1bc\td\ne\rf\x85g\udcffh\uffff")
        == "a\ufffdb\ufffdc\td\ne\rf\x85g\ufffdh\ufffd"
    )


def test_the_docx_writer_survives_control_characters() -> None:
    """Stored before notes were checked: the report is made, with U+FFFD where they were."""
    from docx import Document

    markdown = (
        "# Kop\x07\n\nAlinea met \x1b[31m en \x00.\n\n"
        "| Nr | Toelichting |\n|---|---|\n| 1.1.1 | **vet\x0b** en \x08 |\n\n- punt \x1f\n"
    )
    content = markdown_to_docx(markdown, {}, title="Titel\x1b", as_of=DAY)
    doc = Document(io.BytesIO(content))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "Kop\ufffd"
    assert "Alinea met \ufffd[31m en \ufffd." in texts
    assert "punt \ufffd" in texts
    assert doc.tables[0].rows[1].cells[1].text == "vet\ufffd en \ufffd"
    assert doc.core_properties.title == "Titel\ufffd"


def test_the_plan_refuses_a_control_character_in_any_text(tmp_path: Path) -> None:
    """A double-quoted YAML string can write one ("\\e"); the plan's own direction rule is the
    one notes use."""
    seed = SEED_PLAN.read_text(encoding="utf-8")
    old = "            title: Inventarisatie\n"
    assert old in seed
    line = seed[: seed.index(old)].count("\n") + 1
    path = tmp_path / "actions.yaml"
    path.write_text(seed.replace(old, '            title: "Inventarisatie\\e[31m"\n', 1))
    _, problems = validate_plan_file(path)
    assert [str(p) for p in problems] == [
        f"{path}:{line}:20: 'title' contains the control character U+001B: remove it"
    ]


def test_displayable_marks_what_a_stored_note_may_still_hold() -> None:
    """Notes stored before the rule: each refused character shows as U+FFFD, in the order it
    was written (an override neither works nor disappears); line breaks become line feeds."""
    from governance.characters import displayable

    assert (
        displayable("a\x00b\x1b[31m\x07c\td\r\ne\rf\x9bg\u202egnp.exe\u2066h\udcffi\uffff")
        == "a\ufffdb\ufffd[31m\ufffdc\td\ne\nf\ufffdg\ufffdgnp.exe\ufffdh\ufffdi\ufffd"
    )
    # Word pastes a manual line break as a vertical tab; form feed and NEL are breaks too.
    assert displayable("een\x0btwee\x0cdrie\x85vier\r\n") == "een\ntwee\ndrie\nvier\n"
    text = "é ü – “” 🚧 中文 \u200b regel\nregel"
    assert displayable(text) is text or displayable(text) == text


@pytest.mark.parametrize("module", ["web.templating", "reports.render", "notifications.render"])
def test_every_template_environment_shows_text_displayable(module: str) -> None:
    """The choke point for web pages, reports and messages: the environments' ``finalize``;
    markup stays markup (a macro's output is not escaped twice), other values are untouched."""
    import importlib

    from markupsafe import Markup

    env = importlib.import_module(module).environment()
    template = env.from_string("{{ note }}|{{ html }}|{{ number }}|{{ none }}")
    shown = template.render(
        note="<a>\x1b[31m\u202e", html=Markup("<b>\x07</b>"), number=3, none=None
    )
    assert shown.startswith(("&lt;a&gt;\ufffd[31m\ufffd|<b>\ufffd</b>|3|", "<a>\ufffd[31m\ufffd|"))
    assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown
