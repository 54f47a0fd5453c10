"""walk56b 2 and 7: a refusal's text says "niet opgeslagen" only for someone who tried to answer
(a submit, a Slack click), never for a link only opened; numbers in the answer texts are
written the Dutch way (2.000)."""

from __future__ import annotations

import pytest

from governance.answers import FieldProblem, Problem, Refusal
from governance.dutch import dutch_number
from regie.texts import problem_text, refusal_text

#: The reasons whose text tells someone who tried to answer that it was not stored.
TRIED = {
    Refusal.LINK_SUCCESSOR: "(of een eerder e-mailadres); uw antwoord is niet opgeslagen. Gebruik",
    Refusal.ITEM_CANCELLED: "u hoeft er niets meer voor te doen. Uw antwoord is niet opgeslagen.",
    Refusal.ITEM_DONE: "Dit punt is al als gereed gemeld; uw antwoord is niet opgeslagen.",
    Refusal.BUSY: "Het is even te druk; er is niets opgeslagen.",
}


@pytest.mark.parametrize("reason", list(Refusal), ids=lambda r: r.value)
def test_no_refusal_text_says_not_stored_for_a_link_only_opened(reason: Refusal) -> None:
    said = refusal_text(reason, posted=False)
    assert "niet opgeslagen" not in said and "niets opgeslagen" not in said
    assert said and "  " not in said and " ." not in said and " ;" not in said


@pytest.mark.parametrize("reason", list(TRIED), ids=lambda r: r.value)
def test_one_who_tried_to_answer_is_told_it_was_not_stored(reason: Refusal) -> None:
    """Slack's click and the command line (the default) keep the sentence."""
    assert TRIED[reason] in refusal_text(reason)
    assert TRIED[reason] in refusal_text(reason, posted=True)


def test_the_rest_of_a_text_is_the_same_opened_or_posted() -> None:
    assert refusal_text(Refusal.ITEM_CANCELLED, posted=False) == (
        "Dit punt is vervallen: u hoeft er niets meer voor te doen."
    )
    assert refusal_text(Refusal.ITEM_DONE, posted=False) == (
        "Dit punt is al als gereed gemeld. Wilt u het toch wijzigen? Kies ‘Update geven’ en "
        "vink ‘Toch wijzigen’ aan."
    )
    assert refusal_text(Refusal.LINK_SUCCESSOR, posted=False) == (
        "Deze link was bestemd voor een eerdere contactpersoon van deze organisatie (of een "
        "eerder e-mailadres). Gebruik de link in de nieuwste herinnering aan uw eigen "
        "e-mailadres."
    )


@pytest.mark.parametrize(
    ("number", "shown"),
    [(0, "0"), (999, "999"), (1000, "1.000"), (2000, "2.000"), (1234567, "1.234.567"),
     (-12345, "-12.345")],
)  # fmt: skip
def test_dutch_numbers_group_thousands_with_a_dot(number: int, shown: str) -> None:
    assert dutch_number(number) == shown


def test_a_notes_limit_is_written_as_the_form_writes_it() -> None:
    said = problem_text(FieldProblem("note", Problem.NOTE_TOO_LONG, "", {"limit": 2000}))
    assert said == "de toelichting is langer dan 2.000 tekens"


@pytest.mark.parametrize("reason", list(Refusal), ids=lambda r: r.value)
def test_the_refusal_page_says_not_stored_once_after_a_submit_and_never_when_opened(
    reason: Refusal,
) -> None:
    """Every reason's page (web/templates/answer_refused.html.j2) as web.answers renders it."""
    import re
    from types import SimpleNamespace

    from governance.office_names import office_names
    from web.templating import environment

    env = environment()
    env.globals["url_for"] = lambda *_, **__: SimpleNamespace(path="/static/regie.css")
    page = env.get_template("answer_refused.html.j2")
    for posted in (False, True):
        html = page.render(
            reason=reason.value, message=refusal_text(reason, posted=False), typed={},
            item=None, item_id="1.1", item_title="Inventaris", renumbered=None, standing=None,
            used=None, newer=None, correction=None, correction_until=None, posted=posted,
            too_large=False, note_max=2000, status_labels={}, office=None, reply_reaches=False,
            programme_title="P", programme_full_title="P", root="", office_words=office_names(),
        )  # fmt: skip
        main = " ".join(re.sub(r"<[^>]+>", " ", html.split("<main", 1)[1]).split()).lower()
        said = re.findall(r"niet opgeslagen|niets (?:nieuws )?opgeslagen", main)
        assert len(said) == posted, main
