"""The office corrects an item's latest update on the item page (walk28 #12): a "Corrigeren"
form for logged-in officers (status, dates, a required reason, CSRF), field-named errors, one
correction for a double submit, and the history shows which update corrects which."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from httpx import Response
from starlette.testclient import TestClient

from regie import office
from regie.bootstrap import App
from store import Repository
from tests.cli_in_process import regie
from tests.integration.test_web_item_page import _app, _client, visible

AS_OF = date(2015, 7, 1)
LATER = date(2015, 7, 3)


@pytest.fixture
def app(tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch) -> App:
    """The seed plan with 1.1.1 reported gereed on ``AS_OF`` by the office; the office's today
    is ``LATER``."""
    from regie.history import record_update
    from regie.services import sync

    app = _app(tmp_path, migrated_url)
    sync(app, None)
    record_update(
        app, "1.1.1", "done", as_of=AS_OF, forecast=None, completed_on=date(2015, 6, 30),
        comment="Afgerond", author=None,
    )  # fmt: skip
    monkeypatch.setattr(office, "today", lambda app: LATER)
    return app


def updates(app: App) -> list[tuple[int | None, str, int | None, str | None]]:
    with app.session() as session:
        found = Repository(session, app.programme_id()).status_updates(item="1.1.1")
    return [(u.id, u.status.value, u.corrects, u.comment) for u in found]


def form_fields(page: str) -> dict[str, str]:
    """The hidden fields of the item page's correction form."""
    form = page.split('action="/items/1.1.1/corrigeren"', 1)[1].split("</form>", 1)[0]
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))


def post(web: TestClient, hidden: dict[str, str], **fields: str) -> Response:
    return web.post("/items/1.1.1/corrigeren", data={**hidden, **fields}, follow_redirects=False)


def test_an_officer_corrects_the_latest_update_and_the_history_says_so(app: App) -> None:
    web = _client(app)
    page = web.get("/items/1.1.1")
    assert page.status_code == 200
    assert "Laatste update corrigeren" in visible(page.text)
    hidden = form_fields(page.text)
    assert hidden["corrects"] == "1" and hidden["csrf_token"]
    done = web.post(
        "/items/1.1.1/corrigeren",
        data={**hidden, "status": "on_track", "forecast": "2015-09-30",
              "note": "Correctie: het rapport is nog niet vastgesteld"},
        follow_redirects=False,
    )  # fmt: skip
    assert done.status_code == 303
    assert done.headers["location"] == "/items/1.1.1#update-2"
    assert updates(app) == [
        (1, "done", None, "Afgerond"),
        (2, "on_track", 1, "Correctie: het rapport is nog niet vastgesteld"),
    ]
    shown = web.get("/items/1.1.1").text
    row1 = shown.split('<tr id="update-1" class="corrected">', 1)[1].split("</tr>", 1)[0]
    assert "gecorrigeerd op 3 juli 2015" in visible(row1) and "<del>gereed</del>" in row1
    row2 = shown.split('<tr id="update-2">', 1)[1].split("</tr>", 1)[0]
    assert "Correctie van de update van 1 juli 2015 (" in visible(row2)
    assert "statusupdate vastgelegd: correctie van de update van 1 juli 2015" in visible(shown)
    # The state comes from the correction; the form now corrects the correction.
    assert form_fields(shown)["corrects"] == "2"
    with app.session() as session:
        events = Repository(session, app.programme_id()).events(item="1.1.1")
    fixed = [e for e in events if e.name == "regie.status.updated"][-1]
    assert fixed.payload["corrects"] == 1 and fixed.payload["source"] == "web"


def test_a_double_submit_stores_one_correction(app: App) -> None:
    web = _client(app)
    hidden = form_fields(web.get("/items/1.1.1").text)
    data = {"status": "at_risk", "note": "Correctie: loopt vast"}
    first = post(web, hidden, **data)
    second = post(web, hidden, **data)
    assert first.status_code == second.status_code == 303
    assert second.headers["location"] == "/items/1.1.1#update-2"
    assert [u[0] for u in updates(app)] == [1, 2]
    # A different correction of the same update is not the same submit: refused, said why.
    other = post(web, hidden, status="on_track", note="Iets anders")
    assert other.status_code == 400
    said = visible(other.text)
    assert "De correctie is niet vastgelegd" in said
    assert "Deze update is al gecorrigeerd op 3 juli 2015" in said
    assert len(updates(app)) == 2


def test_errors_are_named_per_field_and_nothing_is_stored(app: App) -> None:
    web = _client(app)
    hidden = form_fields(web.get("/items/1.1.1").text)
    page = post(web, hidden, status="on_track", forecast="31-13-2015", note="")
    assert page.status_code == 400
    html = page.text
    said = visible(html)
    assert "Verwachte datum gereed: ‘31-13-2015’ is geen datum" in said
    no_reason = post(web, hidden, status="on_track", note="   ")
    assert no_reason.status_code == 400
    error = 'id="correctie-note-fout" class="field-error">Geef de reden van de correctie.<'
    assert error in no_reason.text
    past = post(web, hidden, status="on_track", forecast="2015-01-01", note="Reden")
    assert "De verwachte datum ligt in het verleden." in visible(past.text)
    unknown = post(web, hidden, status="klaar", note="Reden")
    assert "Kies een stand." in visible(unknown.text)
    assert updates(app) == [(1, "done", None, "Afgerond")]


def test_without_login_or_csrf_nothing_is_stored(app: App) -> None:
    web = _client(app)
    hidden = form_fields(web.get("/items/1.1.1").text)
    anonymous = TestClient(web.app)
    page = anonymous.get("/items/1.1.1", follow_redirects=False)
    assert page.status_code == 303  # to the login page: no form
    posted = anonymous.post(
        "/items/1.1.1/corrigeren",
        data={**hidden, "status": "on_track", "note": "Reden"},
        follow_redirects=False,
    )
    assert posted.status_code == 303 and posted.headers["location"].startswith("/inloggen")
    forged = post(web, {**hidden, "csrf_token": "nope"}, status="on_track", note="Reden")
    assert forged.status_code == 403
    bare = post(web, {"corrects": "1"}, status="on_track", note="Reden")
    assert bare.status_code == 403
    assert updates(app) == [(1, "done", None, "Afgerond")]


@pytest.mark.parametrize("corrects", ["²", "١", "1x", ""])
def test_a_corrects_that_is_no_plain_number_shows_the_form_afresh(app: App, corrects: str) -> None:
    """review6: "²" passes ``str.isdigit`` but not ``int``: the page, not a server error."""
    web = _client(app)
    hidden = form_fields(web.get("/items/1.1.1").text)
    page = post(web, {**hidden, "corrects": corrects}, status="on_track", note="Reden")
    assert page.status_code < 500, page.text
    assert updates(app) == [(1, "done", None, "Afgerond")]


def test_a_correction_as_prefilled_is_stored_and_a_refusal_takes_the_focus(app: App) -> None:
    """review6: the form starts from the corrected update's values; a completion date that
    the new status does not take is left out, not refused. A refused submit says so in the
    title and its summary takes the focus (the form sits below the history); the statuses
    read as in every other answer form."""
    web = _client(app)
    page = web.get("/items/1.1.1").text
    select = page.split('id="correctie-status"', 1)[1].split("</select>", 1)[0]
    assert ">Gereed</option>" in select and ">Op schema</option>" in select
    hidden = form_fields(page)
    refused = post(web, hidden, status="on_track", completed_on="2015-06-30", note="")
    assert refused.status_code == 400
    assert "<title>Fout: 1.1.1" in refused.text
    assert 'aria-labelledby="correctie-fout" tabindex="-1" autofocus' in refused.text
    stored = post(web, hidden, status="on_track", completed_on="2015-06-30", note="Niet gereed")
    assert stored.status_code == 303, visible(stored.text)
    assert updates(app)[-1] == (2, "on_track", 1, "Niet gereed")


def test_a_form_outrun_by_a_new_answer_is_aimed_at_the_newest_update(app: App) -> None:
    """review6: someone answered after the form was shown: the refusal says so, and the form
    shown with it corrects the newest update, so the officer's next submit succeeds."""
    from regie.history import record_update

    web = _client(app)
    hidden = form_fields(web.get("/items/1.1.1").text)
    record_update(
        app, "1.1.1", "at_risk", as_of=LATER, forecast=None, completed_on=None,
        comment="Loopt vertraging op", author=None,
    )  # fmt: skip
    late = post(web, hidden, status="on_track", note="Correctie")
    assert late.status_code == 400
    assert "er is na deze update een nieuwere update gegeven" in visible(late.text).lower()
    again = form_fields(late.text)
    assert again["corrects"] == "2"
    done = post(web, again, status="on_track", note="Correctie")
    assert done.status_code == 303
    assert updates(app)[-1] == (3, "on_track", 2, "Correctie")


def test_a_date_typed_anew_that_the_status_takes_none_of_is_refused_as_everywhere(
    app: App, tmp_path: Path
) -> None:
    """fix57e 1: *Gereed* with an expected date typed in was stored without it; now the form
    refuses it at its field, as the owner's form and `regie update --corrects` do. The date the
    form was filled in with (the corrected update's) is still left out without a word."""
    web = _client(app)
    hidden = form_fields(web.get("/items/1.1.1").text)
    typed = post(web, hidden, status="done", forecast="2015-09-30", note="Toch klaar")
    assert typed.status_code == 400
    error = 'id="correctie-forecast-fout" class="field-error">Een verwachte datum hoort niet bij'
    assert error in typed.text
    finished = post(web, hidden, status="at_risk", completed_on="2015-07-02", note="Nog niet")
    assert finished.status_code == 400
    assert "Een datum gereed hoort alleen bij ‘gereed’." in visible(finished.text)
    assert updates(app) == [(1, "done", None, "Afgerond")]
    # The command line refuses the same correction, in the same words' English.
    env = {"REGIE_HOME": str(tmp_path / "home"), "REGIE_DATABASE_URL": app.settings.database_url,
           "REGIE_PLAN": str(tmp_path / "plan.yaml")}  # fmt: skip
    cli = regie("update", "1.1.1", "--status", "done", "--forecast", "2015-09-30", "--comment",
                "Toch klaar", "--corrects", "1", "--as-of", "2015-07-03", env=env)  # fmt: skip
    assert cli.code == 2 and "only with status on_track or at_risk" in cli.err, cli.err
    assert updates(app) == [(1, "done", None, "Afgerond")]
    # Corrected to op schema with a date, then to gereed from that form: the carried date goes.
    on_track = post(web, hidden, status="on_track", forecast="2015-09-30", note="Loopt nog")
    assert on_track.status_code == 303
    again = form_fields(web.get("/items/1.1.1").text)
    done = post(web, again, status="done", forecast="2015-09-30", completed_on="2015-07-02",
                note="Toch klaar")  # fmt: skip
    assert done.status_code == 303, visible(done.text)
    with app.session() as session:
        latest = Repository(session, app.programme_id()).status_updates(item="1.1.1")[-1]
    assert (latest.status.value, latest.forecast, latest.completed_on, latest.corrects) == (
        "done", None, date(2015, 7, 2), 2
    )  # fmt: skip
