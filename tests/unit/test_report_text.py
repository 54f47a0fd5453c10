"""Owners' notes stay inert: the domain's quoting and the Markdown escaping."""

from __future__ import annotations

from governance.agenda import gereed_text, inert
from reports.render import md_escape, md_unescape


def test_inert_flattens_and_quotes_formulas() -> None:
    assert inert("=SUM(A1:A3)") == "'=SUM(A1:A3)"
    assert inert("@cmd") == "'@cmd" and inert("+1") == "'+1" and inert("-2") == "'-2"
    assert inert("regel 1\n\n  regel 2") == "regel 1 regel 2"
    assert inert("Q3 = klaar") == "Q3 = klaar"
    assert inert(None) is None


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
