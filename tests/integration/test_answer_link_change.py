"""The correction form ("Wijzigen" on the thank-you page) posted as it was filled in (walk56b
1, 4): the earlier answer's expected date, carried over, does not block *Gereed* (also when
the office answered meanwhile; a date typed anew still does), its date finished does not block
another status; the form says it changes
the person's own answer only while that answer is still the latest, else that the answer comes
after someone else's; a refused reopening says "al als gereed gemeld" once in the summary and
once at its field."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from governance.answers import OFFICE, Answerer, AnswerInput
from regie.answers import record_answer
from regie.bootstrap import App
from store import Repository
from tests.integration.link_setup import link_app
from tests.integration.test_answer_standing import LATER, anna_link, client, csrf, text, today

OWN = "U wijzigt hiermee uw eigen antwoord."


@pytest.fixture
def app(migrated_url: str, tmp_path: Path) -> App:
    return link_app(migrated_url, tmp_path)


def stored(app: App) -> list[tuple[str, str | None, str | None, int | None]]:
    """(status, forecast, completed_on, corrects) of each update, oldest first."""
    with app.session() as session:
        found = Repository(session, "wegen-test").status_updates()
    return [
        (
            u.status.value,
            u.forecast.isoformat() if u.forecast else None,
            u.completed_on.isoformat() if u.completed_on else None,
            u.corrects,
        )
        for u in found
    ]


def answered(app: App, answer: dict[str, str]) -> tuple[str, str, str]:
    """Anna answers ``answer`` through her link, then opens its "Wijzigen": (item, link, form
    page)."""
    item, token = anna_link(app)
    web = client(app)
    form = web.get(f"/antwoord/{token}")
    done = web.post(f"/antwoord/{token}", data={**answer, "csrf_token": csrf(form.text)})
    assert done.status_code == 200, done.text
    (correction,) = re.findall(r'id="wijzigen" href="/antwoord/([^"]+)"', done.text)
    page = web.get(f"/antwoord/{correction}")
    assert page.status_code == 200
    return item, correction, page.text


def filled_in(page: str, name: str) -> str:
    """The value the form's date field ``name`` holds as served (no JavaScript)."""
    found = re.search(rf'<input type="date" id="{name}" name="{name}" value="([^"]*)"', page)
    assert found, page
    return found.group(1)


def test_gereed_on_the_correction_form_as_filled_in_is_stored(app: App) -> None:
    _, link, page = answered(app, {"status": "on_track", "forecast": LATER})
    assert filled_in(page, "forecast") == LATER  # the form starts from the answer it changes
    post = {"status": "done", "forecast": filled_in(page, "forecast"),
            "completed_on": filled_in(page, "completed_on"),
            "note": "per ongeluk op Op schema gedrukt", "csrf_token": csrf(page)}  # fmt: skip
    done = client(app).post(f"/antwoord/{link}", data=post)
    assert done.status_code == 200, text(done.text)
    assert stored(app) == [
        ("on_track", LATER, None, None),
        ("done", None, today().isoformat(), 1),  # a correction, without the carried date
    ]


def test_a_date_typed_with_gereed_is_still_refused(app: App) -> None:
    _, link, page = answered(app, {"status": "on_track", "forecast": LATER})
    typed = (today() + timedelta(days=41)).isoformat()
    post = {"status": "done", "forecast": typed, "csrf_token": csrf(page)}
    refused = client(app).post(f"/antwoord/{link}", data=post)
    assert refused.status_code == 422
    assert re.search(r'<p id="forecast-fout" class="field-error">[^<]*hoort niet bij', refused.text)
    assert "hoort niet bij ‘gereed’ of ‘vervallen’" in refused.text  # the form's own quotes
    assert stored(app) == [("on_track", LATER, None, None)]


def test_another_status_on_a_gereed_correction_leaves_its_date_finished(app: App) -> None:
    finished = (today() - timedelta(days=1)).isoformat()
    _, link, page = answered(app, {"status": "done", "completed_on": finished})
    assert filled_in(page, "completed_on") == finished
    post = {"status": "at_risk", "completed_on": filled_in(page, "completed_on"),
            "note": "Toch niet af", "csrf_token": csrf(page)}  # fmt: skip
    changed = client(app).post(f"/antwoord/{link}", data=post)
    assert changed.status_code == 200, text(changed.text)
    assert stored(app) == [("done", None, finished, None), ("at_risk", None, None, 1)]


def test_the_form_says_whose_answer_it_changes(app: App) -> None:
    item, link, page = answered(app, {"status": "on_track", "forecast": LATER})
    assert OWN in text(page)
    record_answer(app, AnswerInput(item, "done", note="ontwerp vastgesteld"), OFFICE,
                  channel="cli", as_of=today())  # fmt: skip
    web = client(app)
    page = web.get(f"/antwoord/{link}").text
    shown = text(page)
    assert OWN not in shown
    assert (
        "Na uw antwoord heeft het programmabureau geantwoord: ‘Gereed’ (hierboven). Wat u nu "
        "verstuurt, wijzigt uw eigen antwoord dus niet meer: het wordt een nieuw antwoord na dat "
        "van het programmabureau." in shown
    )
    refused = web.post(f"/antwoord/{link}", data={"status": "on_track", "csrf_token": csrf(page)})
    assert refused.status_code == 422
    shown = text(refused.text)
    assert OWN not in shown and "Na uw antwoord heeft het programmabureau" in shown
    assert shown.count("Dit punt is al als gereed gemeld") == 2  # the summary and the field
    again = {"status": "on_track", "confirm": "ja", "csrf_token": csrf(page)}
    assert web.post(f"/antwoord/{link}", data=again).status_code == 200
    assert [(s, c) for s, _, _, c in stored(app)] == [
        ("on_track", None),
        ("done", None),
        ("on_track", None),  # a new answer after the office's, not a correction
    ]


def test_after_an_own_later_answer_the_form_says_it_is_a_new_one(app: App) -> None:
    item, link, _ = answered(app, {"status": "on_track", "forecast": LATER})
    record_answer(app, AnswerInput(item, "at_risk", note="Via Slack"),
                  Answerer("anna", "Anna de Wit"), channel="slack", as_of=today())  # fmt: skip
    page = client(app).get(f"/antwoord/{link}").text
    shown = text(page)
    assert OWN not in shown
    assert (
        "U hebt na het antwoord dat u met deze link wijzigt al opnieuw geantwoord (hierboven). "
        "Wat u nu verstuurt, wijzigt dat eerdere antwoord dus niet meer: het wordt een nieuw "
        "antwoord. Alle antwoorden blijven in de geschiedenis van het punt staan." in shown
    )
    post = {"status": "done", "csrf_token": csrf(page)}
    assert client(app).post(f"/antwoord/{link}", data=post).status_code == 200
    assert [(s, c) for s, _, _, c in stored(app)] == [
        ("on_track", None),
        ("at_risk", None),
        ("done", None),
    ]


def test_gereed_as_filled_in_is_stored_after_the_office_answered_meanwhile(app: App) -> None:
    item, link, page = answered(app, {"status": "on_track", "forecast": LATER})
    record_answer(app, AnswerInput(item, "at_risk", note="Bureau"), OFFICE, channel="cli",
                  as_of=today())  # fmt: skip
    post = {"status": "done", "forecast": filled_in(page, "forecast"), "csrf_token": csrf(page)}
    done = client(app).post(f"/antwoord/{link}", data=post)
    assert done.status_code == 200, text(done.text)
    assert stored(app)[-1] == ("done", None, today().isoformat(), None)  # a new answer
