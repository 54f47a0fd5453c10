"""The "Beantwoord door … op …" line that replaces an answered item's buttons is Slack mrkdwn:
the contact's name (from the plan) is escaped, so ``<!channel>`` in it pings nobody and
``<url|text>`` makes no disguised link (security review, lower-priority observation)."""

from __future__ import annotations

from datetime import date

from regie.slack_answers import answered_text


def test_a_name_with_slack_markup_is_shown_as_text() -> None:
    text = answered_text(
        "G. Voorbeeld <!channel> & <https://example.org|RIVM>", "Gereed", date(2015, 10, 1)
    )
    assert "<" not in text and ">" not in text
    assert text == (
        "Beantwoord door G. Voorbeeld &lt;!channel&gt; &amp; &lt;https://example.org|RIVM&gt;"
        " op 1 oktober 2015: Gereed"
    )


def test_a_plain_name_is_unchanged() -> None:
    assert answered_text("A. Claes", "Op schema", date(2015, 10, 1)) == (
        "Beantwoord door A. Claes op 1 oktober 2015: Op schema"
    )


def test_a_deputys_answer_says_so() -> None:
    assert answered_text("Bram Smit", "Op schema", date(2026, 12, 5), deputy=True) == (
        "Beantwoord door Bram Smit (plaatsvervanger) op 5 december 2026: Op schema"
    )
