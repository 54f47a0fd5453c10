"""Owners' notes stay inert: the domain's quoting and the Markdown escaping."""

from __future__ import annotations

from governance.agenda import gereed_text, inert
from governance.agenda_lines import one_line
from reports.render import asked_question, md_escape, md_unescape


def test_inert_flattens_and_quotes_formulas() -> None:
    assert inert("=SUM(A1:A3)") == "'=SUM(A1:A3)"
    assert inert("@cmd") == "'@cmd" and inert("+1") == "'+1" and inert("-2") == "'-2"
    assert inert("regel 1\n\n  regel 2") == "regel 1 regel 2"
    assert inert("Q3 = klaar") == "Q3 = klaar"
    assert inert(None) is None


def test_one_line_flattens_and_keeps_a_leading_formula_character() -> None:
    """What a document prints (walk57b 5): the note on one line, as written."""
    assert one_line("=SUM(A1:A3)") == "=SUM(A1:A3)" and one_line("- wacht\n op") == "- wacht op"
    assert one_line("@cmd") == "@cmd" and one_line(None) is None


def test_markdown_escaping_round_trips() -> None:
    text = "<b>x</b> **y** _z_ [a](b) `c` $d$ | e # f & g ~h~ !i \\j {k}"
    escaped = md_escape(text)
    for done in ("\\<b\\>", "\\*\\*y", "\\_z\\_", "\\[a\\]", "\\`c\\`", "\\$d\\$", "\\| e"):
        assert done in escaped, done
    assert md_unescape(escaped) == text


def test_gereed_text_spells_out_a_decision() -> None:
    class Item:
        original_gereed = "Najaar 2015"
        revised_by = "besluit stuurgroep 12 januari 2016"
        cancelled_by = None

    assert gereed_text(Item(), "Q2-2016") == (
        "oorspronkelijk Najaar 2015, bijgesteld Q2-2016 (besluit stuurgroep 12 januari 2016)"
    )
    assert gereed_text(None, None) == "geen datum"


def test_unanswered_escalation_is_put_to_the_body() -> None:
    from datetime import date

    from governance.agenda import decisions_asked, item_lines
    from governance.assessment import assess
    from governance.planfile import load_plan
    from governance.updates import StatusUpdate, UpdateStatus
    from tests.conftest import SEED_PLAN

    plan = load_plan(SEED_PLAN)
    as_of = date(2016, 1, 15)
    answered = StatusUpdate("1.4", UpdateStatus.ON_TRACK, date(2016, 1, 12))
    assessment = assess(plan, [answered], as_of)
    lines = item_lines(plan, assessment)
    escalations = [("3.7", date(2016, 1, 4)), ("1.4", date(2016, 1, 4))]
    asked = {a.item.item_id: a for a in decisions_asked(assessment, lines, escalations)}
    assert asked["3.7"].reason == "escalated"
    assert asked_question(asked["3.7"]) == (
        "Eigenaar aanspreken over 3.7 (escalatie van 4 januari 2016 onbeantwoord)?"
    )
    assert "1.4" not in asked  # answered after the escalation
