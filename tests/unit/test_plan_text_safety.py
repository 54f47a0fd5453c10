"""Plan-file text that would read differently or break a header is refused (issue #7 §6)."""

from __future__ import annotations

from pathlib import Path

import pytest

from governance.planfile import validate_plan_file
from tests.conftest import SEED_PLAN

SEED = SEED_PLAN.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        (
            "    name: Programmabureau MVI (voorbeeld)\n",
            "    name: >\n      Programmabureau MVI\n",
            133,
            "'name' must be one line, but contains a line break (a folded '>' keeps one",
        ),
        (
            "  holidays_country: NL\n",
            "  holidays_country: NL\n"
            '  extra_days_off: [{date: 2016-07-11, name: "Vlaamse\\nfeestdag"}]\n',
            49,
            "'name' must be one line, but contains a line break",
        ),
        (  # shown as an owner in table cells and mail lines: one line (walk30 1)
            "    short_name: PIANOo\n",
            '    short_name: "PIA\\nNOo"\n',
            99,
            "'short_name' must be one line, but contains a line break",
        ),
        (
            "    email: programmabureau-mvi@example.org\n",
            "    email: programmabureau-mvi at example.org\n",
            135,
            "is not an e-mail address",
        ),
        (
            "    name: Programmabureau MVI (voorbeeld)\n",
            "    name: Programmabureau \u202eIVM (voorbeeld)\n",
            133,
            "U+202E",
        ),
    ],
)
def test_unsafe_text_is_refused_at_its_place(
    tmp_path: Path, old: str, new: str, line: int, message: str
) -> None:
    assert old in SEED
    path = tmp_path / "actions.yaml"
    path.write_text(SEED.replace(old, new, 1), encoding="utf-8")
    _, problems = validate_plan_file(path)
    texts = [str(p) for p in problems]
    assert any(t.startswith(f"{path}:{line}:") and message in t for t in texts), texts


def test_the_seed_plan_is_safe() -> None:
    _, problems = validate_plan_file(SEED_PLAN)
    assert problems == []


@pytest.mark.parametrize(
    "text",
    [
        "schema: 1\nprogramme: [\n",
        "schema: 1\n  programme: x\n",
        "schema: 1\nname: 'unterminated\n",
        "schema: 1\nprogramme:\n  id: x\n- a\n",
        "schema: 1\nx: *nope\n",
        "schema: 1\n\tprogramme: x\n",
        "schema: 1\nprogramme:\n  id: x\n  title: !!binary aGVsbG8=\n",
    ],
)
def test_yaml_problems_are_said_in_plain_words(tmp_path: Path, text: str) -> None:
    """No parser token names, Python tuples or tag URIs (issue #7 §6)."""
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    _, problems = validate_plan_file(path)
    assert problems
    for problem in map(str, problems):
        assert problem.startswith(f"{path}:")
        for jargon in ("<block", "<document", "('", "tag:yaml.org", "scalar", "token"):
            assert jargon not in problem, problem


def test_titles_and_body_names_must_be_one_line(tmp_path: Path) -> None:
    """A title is a heading, a table cell and a calendar event's summary; a body's name goes
    into mail subjects: a line break in one (CR/LF, U+2028, a folded '>') is refused at its
    place, and so is a tab (a vertical tab, as in any text), one line per problem (security
    review, lower-priority observation)."""
    changes = [
        ("    title: Gezamenlijke ambities en doelstellingen\n",
         '    title: "Gezamenlijke ambities\\r\\nATTENDEE:mailto:x@example.org"\n'),
        ("        title: Aansluiten bij convenanten, akkoorden en andere afsprakenkaders\n",
         '        title: "Aansluiten bij convenanten\\u2028en akkoorden"\n'),
        ("            title: Inventarisatie\n",
         "            title: >\n              Inventarisatie\n"),
        ("    title: Monitoring en benchmarking\n",
         '    title: "Monitoring\\ten\\vbenchmarking"\n'),
        ("    name: Landelijk overleg maatschappelijk verantwoord inkopen\n    purpose",
         '    name: "Landelijk overleg\\nmaatschappelijk verantwoord inkopen"\n    purpose'),
    ]  # fmt: skip
    text = SEED
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "actions.yaml"
    path.write_text(text, encoding="utf-8")
    _, problems = validate_plan_file(path)
    hint = " (a folded '>' keeps one at the end: write '>-')"
    assert [str(p) for p in problems] == [
        f"{path}:187:11: 'name' must be one line, but contains a line break{hint}",
        f"{path}:450:12: 'title' must be one line, but contains a line break{hint}",
        f"{path}:456:16: 'title' must be one line, but contains a line break{hint}",
        f"{path}:466:20: 'title' must be one line, but contains a line break{hint}",
        f"{path}:551:12: 'title' contains the control character U+0009: remove it",
    ]


def test_a_title_keeps_its_other_characters(tmp_path: Path) -> None:
    """Folded over several lines with '>-' (one line when read), quotes, colons, emoji: fine."""
    old = "            title: Inventarisatie\n"
    new = (
        '            title: >-\n              Inventarisatie: "fase 1";\n              deel A 🎉\n'
    )
    path = tmp_path / "actions.yaml"
    path.write_text(SEED.replace(old, new, 1), encoding="utf-8")
    _, problems = validate_plan_file(path)
    assert problems == []
