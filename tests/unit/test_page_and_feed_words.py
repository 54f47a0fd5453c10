"""The filter problems of the office's pages and the calendar feeds' own words come from their
catalogues (regie/templates/filters.txt.j2, feeds.txt.j2), values kept as typed."""

from __future__ import annotations

import pytest

from regie.texts import feed_words, filter_text


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("unknown_owner", "Eigenaar: onbekende organisatie ‘x  y’."),
        ("unknown_step", "Stap: het plan heeft geen stap ‘x  y’."),
        ("unknown_state", "Stand: onbekende stand ‘x  y’."),
        ("unknown_body", "Orgaan: onbekend orgaan ‘x  y’."),
        ("not_a_date", "Vergadering: ‘x  y’ is geen datum (JJJJ-MM-DD)."),
        ("unknown_effect", "Gevolg: onbekend gevolg ‘x  y’."),
    ],
)
def test_filter_problems_name_the_field_and_the_value_as_typed(code: str, text: str) -> None:
    assert filter_text(code, "x  y") == text
    # The form field the page links the problem to (walk58c 6): the field its text names.
    fields = {"Eigenaar": "eigenaar", "Stap": "stap", "Stand": "status", "Orgaan": "orgaan",
              "Vergadering": "vergadering", "Gevolg": "gevolg"}  # fmt: skip
    assert filter_text(code, "x  y").field == fields[text.split(":")[0]]


def test_feed_words() -> None:
    assert feed_words("scope_org", name="RIVM") == "deadlines RIVM"
    assert feed_words("scope_step", number="2", title="Inkoop") == "stap 2: Inkoop"
    assert feed_words("scope_step", number="9", title="") == "stap 9"
    assert feed_words("scope_contact", name="T. Elos") == "deadlines voor T. Elos"
    assert feed_words("scope_body", name="Stuurgroep  MVI") == "vergaderingen Stuurgroep  MVI"
    assert feed_words("scope_all") == "alle deadlines"
    assert feed_words("removed") == "uit het plan gehaald"
    assert feed_words("no_programme") == "het programma"
