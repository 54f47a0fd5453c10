"""Answer links and the item's state (review "owner", findings 1–4, 8, 10): a cancelled item
cannot be reopened by an owner's answer, someone else's *gereed* is reopened only with
"Toch wijzigen" (checked again in the answer's transaction: a stale form cannot get around it),
the form shows the latest answer, a refused POST shows back what was typed, the thank-you page
says what was recorded and offers a single-use correction link, and a link to an item taken
out of the plan says so."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from starlette.testclient import TestClient

from governance.answers import OFFICE, Answerer, AnswerInput, Refusal
from governance.updates import StatusUpdate, UpdateStatus
from regie import answer_links
from regie.answer_links import LinkRefused, answer_by_link, check_link
from regie.answers import AnswerRefused, record_answer
from regie.bootstrap import App
from store import Repository
from tests.integration.answer_app import ANNA, ANSWERS_PLAN
from tests.integration.link_setup import FIRST_DAY, link_app, queue_and_send
from tests.integration.test_web_item_page import visible
from web.app import create_app

PAGE_ONLY = pytest.mark.one_database(
    "a page's words and checks, from SQL this file's other PostgreSQL tests run"
)

#: A forecast 40 days after the wall clock's office day (answers count for today): only for a
#: test on the real clock; one on Regie's pinned clock (``sender_clock``) takes :func:`later`.
LATER = (datetime.now(ZoneInfo("Europe/Amsterdam")).date() + timedelta(days=40)).isoformat()


def later(app: App) -> str:
    """A forecast 40 days after the office's today by Regie's clock, as the form takes it: the
    pinned day where a test pins it (``sender_clock``), so the forecast stays within the
    form's two years whatever the real date (review54 8)."""
    from regie.services import today as business_today

    return (business_today(app) + timedelta(days=40)).isoformat()


#: Instead of a note the reader may not read (walk54b 2).
WITHHELD = (
    "Er is een toelichting bij gegeven. Die is hier alleen zichtbaar voor de schrijver, diens "
    "plaatsvervanger, degene voor wie de schrijver invalt en het programmabureau; ze kan wel in "
    "de vergaderstukken en het voortgangsrapport staan."
)


@pytest.fixture
def app(migrated_url: str, tmp_path: Path) -> App:
    return link_app(migrated_url, tmp_path)


def client(app: App) -> TestClient:
    return TestClient(create_app(app), raise_server_exceptions=True)


def csrf(page: str) -> str:
    return page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def updates(app: App) -> list[tuple[str, str, str | None]]:
    with app.session() as session:
        return [
            (u.item_id, u.status.value, u.author)
            for u in Repository(session, "wegen-test").status_updates()
        ]


def refusals(app: App) -> list[str]:
    with app.session() as session:
        events = Repository(session, "wegen-test").events()
    return [str(e.payload["reason"]) for e in events if e.name == "regie.answer.refused"]


def text(page: str) -> str:
    main = re.search(r"<main\b.*?>(.*?)</main>", page, re.S)
    assert main, page
    return visible(main.group(1))


def anna_link(app: App) -> tuple[str, str]:
    ((item, token),) = queue_and_send(app, FIRST_DAY)["anna"]
    return item, token


def today() -> date:
    """The business date the app uses (the plan's zone, Europe/Amsterdam by default), not the
    machine's: they differ between 22:00/23:00 and 24:00 UTC."""
    return datetime.now(ZoneInfo("Europe/Amsterdam")).date()


# --- finding 1: a cancelled item ------------------------------------------------------------


def test_a_cancelled_item_cannot_be_answered_through_a_stale_link(app: App) -> None:
    item, token = anna_link(app)
    web = client(app)
    form = web.get(f"/antwoord/{token}")  # opened before the office cancels
    assert form.status_code == 200
    day = today()  # one reading: the answer's day and the one the page names (clock54)
    record_answer(app, AnswerInput(item, "cancelled", note="Dubbel"), OFFICE, channel="cli",
                  as_of=day)  # fmt: skip
    page = web.get(f"/antwoord/{token}")
    assert page.status_code == 409
    shown = text(page.text)
    assert "Dit punt is vervallen" in shown
    assert f"Vervallen gemeld door het programmabureau op {day.day} " in shown
    assert "u hoeft er niets meer voor te doen" in shown
    assert "P. Bureau, bureau@example.org" in shown  # the office's contact, by name
    assert "Toelichting: Dubbel" in shown and WITHHELD not in shown  # the office's: for owners
    assert "<form" not in page.text
    assert "opgeslagen" not in shown  # only opened: no answer to store (walk56b 2)
    posted = web.post(
        f"/antwoord/{token}",
        data={"status": "on_track", "note": "Loopt goed", "csrf_token": csrf(form.text)},
    )
    assert posted.status_code == 409
    assert "Dit punt is vervallen" in posted.text and "Loopt goed" in posted.text
    assert text(posted.text).count("Uw antwoord is niet opgeslagen.") == 1
    assert updates(app) == [(item, "cancelled", "programmabureau")]  # still cancelled
    assert refusals(app) == ["item_cancelled"]


@PAGE_ONLY
def test_a_decision_names_itself_on_the_page(app: App) -> None:
    item, token = anna_link(app)
    with app.session() as session, session.begin():
        Repository(session, "wegen-test").add_status_update(
            StatusUpdate(item, UpdateStatus.CANCELLED, date(2025, 9, 12), comment="Vervalt",
                         author="stuurgroep", source="decision")
        )  # fmt: skip
    page = client(app).get(f"/antwoord/{token}")
    assert page.status_code == 409
    assert "Vervallen per besluit Stuurgroep Fietsroutes, 12 september 2025." in text(page.text)


def test_a_cancellation_between_form_and_store_is_refused_in_the_transaction(app: App) -> None:
    """The form's check passed (``checked``), then the office cancelled: the answer's own
    transaction refuses it (what a replayed POST or a race meets)."""
    item, token = anna_link(app)
    plan = app.load_plan()
    view = check_link(app, plan, token, datetime.now(UTC))
    record_answer(app, AnswerInput(item, "cancelled"), OFFICE, channel="cli", as_of=today())
    with pytest.raises(AnswerRefused) as refused:
        answer_by_link(app, plan, token, view.csrf, AnswerInput(item, "on_track"),
                       now=datetime.now(UTC), as_of=today(), checked=view)  # fmt: skip
    assert refused.value.reason is Refusal.ITEM_CANCELLED
    assert updates(app) == [(item, "cancelled", "programmabureau")]
    with pytest.raises(LinkRefused) as again:  # the link was not used up by the refusal
        check_link(app, plan, token, datetime.now(UTC))
    assert again.value.reason is Refusal.ITEM_CANCELLED


# --- findings 1 and 2: someone else's gereed, the latest answer on the form -------------------


@PAGE_ONLY
def test_the_form_shows_the_latest_answer_of_the_deputy_with_their_note(app: App) -> None:
    """Who, when and what of another's answer; a deputy is named as one (walk54b 7), and the
    contact they stand in for reads their note (review54b 2: the pages' rule is wider than
    the calendar feeds' by the designated deputy, both ways)."""
    item, token = anna_link(app)
    note = "Bel mij op 06-12345678, ik ben volgende week ziek"
    day = today()  # one reading: the answer's day and the one the page names (clock54)
    record_answer(app, AnswerInput(item, "at_risk", note=note), Answerer("bram", "Bram Smit"),
                  channel="slack", as_of=day)  # fmt: skip
    shown = text(client(app).get(f"/antwoord/{token}").text)
    by = "Risico gemeld door Bram Smit (Provincie Noordwaarts) (plaatsvervanger)"
    assert f"Laatste antwoord: {by} op {day.day} " in shown
    assert f"Toelichting: {note}" in shown and WITHHELD not in shown
    assert "De deadline is verstreken." in shown  # 1.1.1 was due 30 June 2025


@PAGE_ONLY
def test_a_colleagues_note_is_not_shown_either(migrated_url: str, tmp_path: Path) -> None:
    """The same rule as the feeds: not in a colleague's feed, so not on a colleague's page
    (an organisation is often a group of independent parties); no deputy mark for a
    contact of an owning organisation."""
    plan = tmp_path / "plan.yaml"
    dirk = "  - id: dirk\n    name: Dirk Dijk\n    organisation: GEM\n    email: dirk@example.org\n"
    plan.write_text(ANSWERS_PLAN.read_text(encoding="utf-8").replace(ANNA, ANNA + dirk),
                    encoding="utf-8")  # fmt: skip
    app = link_app(migrated_url, tmp_path / "home", plan)
    item, token = anna_link(app)
    record_answer(app, AnswerInput(item, "at_risk", note="Piet heeft griep"),
                  Answerer("dirk", "Dirk"), channel="slack", as_of=today())  # fmt: skip
    shown = text(client(app).get(f"/antwoord/{token}").text)
    assert "Risico gemeld door Dirk Dijk (Gemeente Rivierstad) op" in shown
    assert "griep" not in shown and WITHHELD in shown and "(plaatsvervanger)" not in shown


@PAGE_ONLY
def test_the_writer_reads_their_own_note(app: App) -> None:
    item, token = anna_link(app)
    record_answer(app, AnswerInput(item, "at_risk", note="Wacht op de aannemer"),
                  Answerer("anna", "Anna de Wit"), channel="slack", as_of=today())  # fmt: skip
    page = client(app).get(f"/antwoord/{token}").text
    assert "Toelichting: <q>Wacht op de aannemer</q>" in page
    assert WITHHELD not in text(page)
    # The hint names every place the note goes: the messages to the item's other contacts
    # keep the pages' rule, so they are no such place (walk54b 2).
    assert (
        "in het voortgangsrapport en in uw eigen agenda-abonnement staan. Ook uw eventuele "
        "plaatsvervanger leest mee, en als u invalt degene voor wie u invalt." in text(page)
    )  # the deputy, both ways (review54c 4)
    assert "herinneringen en escalaties" not in text(page)


def test_reopening_someone_elses_gereed_needs_toch_wijzigen(app: App) -> None:
    item, token = anna_link(app)
    web = client(app)
    stale = web.get(f"/antwoord/{token}")  # opened before bram reports gereed
    assert "Toch wijzigen" not in stale.text
    record_answer(app, AnswerInput(item, "done", completed_on=today()),
                  Answerer("bram", "Bram Smit"), channel="slack", as_of=today())  # fmt: skip
    form = web.get(f"/antwoord/{token}")
    by = "Gereed gemeld door Bram Smit (Provincie Noordwaarts) (plaatsvervanger) op"
    assert by in text(form.text)
    assert "Toch wijzigen" in form.text
    answer = {"status": "at_risk", "note": "Toch niet af", "csrf_token": csrf(stale.text)}
    page = web.post(f"/antwoord/{token}", data=answer)  # the stale form: no box to tick
    assert page.status_code == 422
    assert "Vink ‘Toch wijzigen’ aan" in page.text and "Toch niet af" in page.text
    assert updates(app) == [(item, "done", "bram")]
    page = web.post(f"/antwoord/{token}", data={**answer, "confirm": "ja"})
    assert page.status_code == 200, page.text
    assert updates(app) == [(item, "done", "bram"), (item, "at_risk", "anna")]  # both kept


def test_a_gereed_between_form_and_store_is_refused_in_the_transaction(app: App) -> None:
    item, token = anna_link(app)
    plan = app.load_plan()
    view = check_link(app, plan, token, datetime.now(UTC))
    record_answer(app, AnswerInput(item, "done"), Answerer("bram", "Bram Smit"), channel="slack",
                  as_of=today())  # fmt: skip
    with pytest.raises(AnswerRefused) as refused:
        answer_by_link(app, plan, token, view.csrf, AnswerInput(item, "at_risk"),
                       now=datetime.now(UTC), as_of=today(), checked=view)  # fmt: skip
    assert refused.value.reason is Refusal.ITEM_DONE
    assert updates(app) == [(item, "done", "bram")]
    assert refusals(app) == ["item_done"]


# --- finding 3: a refused POST keeps what was typed -----------------------------------------


@PAGE_ONLY
def test_a_refused_post_shows_back_what_was_typed_and_whom_to_mail(app: App) -> None:
    _, token = anna_link(app)
    web = client(app)
    tab_a = web.get(f"/antwoord/{token}")
    tab_b = web.get(f"/antwoord/{token}")
    first = web.post(
        f"/antwoord/{token}",
        data={
            "status": "at_risk",
            "note": "Wacht op de aanbesteding",
            "csrf_token": csrf(tab_a.text),
        },
    )
    assert first.status_code == 200
    note = "Lange uitleg over de vertraging bij de aanbesteding"
    page = web.post(
        f"/antwoord/{token}",
        data={"status": "at_risk", "forecast": LATER, "note": note, "csrf_token": csrf(tab_b.text)},
    )
    assert page.status_code == 409
    shown = text(page.text)
    assert "Wat u had ingevuld" in shown and note in shown and LATER in shown and "Risico" in shown
    assert 'href="mailto:bureau@example.org?subject=' in page.text
    assert "bureau@example.org" in shown


@PAGE_ONLY
def test_an_expired_link_shows_back_the_answer(app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    _, token = anna_link(app)
    web = client(app)
    form = web.get(f"/antwoord/{token}")
    later = datetime.now(UTC) + timedelta(days=15)  # the form stayed open too long
    monkeypatch.setattr("governance.clock.utcnow", lambda: later)
    page = web.post(
        f"/antwoord/{token}",
        data={
            "status": "at_risk",
            "note": "Over het weekend getypt",
            "csrf_token": csrf(form.text),
        },
    )
    assert page.status_code == 410
    shown = text(page.text)
    assert "verlopen" in shown and "Over het weekend getypt" in shown
    assert "vraag dan een nieuwe link aan bij het programmabureau" in shown
    # Or answer without a link: a reply to the mail reaches the office (names35 4).
    assert "U kunt uw antwoord ook zonder link geven: beantwoord de e-mail" in shown
    assert updates(app) == [] and refusals(app) == ["link_expired"]


# --- findings 4 and 8: what was recorded, and a correction link -------------------------------


def test_the_thank_you_page_says_what_was_recorded_and_offers_a_correction(app: App) -> None:
    item, token = anna_link(app)
    web = client(app)
    form = web.get(f"/antwoord/{token}")
    done = web.post(
        f"/antwoord/{token}",
        data={"status": "on_track", "forecast": LATER, "note": "Extra ronde",
              "csrf_token": csrf(form.text)},
    )  # fmt: skip
    assert done.status_code == 200
    shown = text(done.text)
    assert "Vastgelegd als Verschoven naar" in shown and "(deadline 30 juni 2025)" in shown
    assert "Extra ronde" in shown
    (correction,) = re.findall(r'id="wijzigen" href="/antwoord/([^"]+)"', done.text)
    assert correction != token
    page = web.get(f"/antwoord/{correction}")
    assert page.status_code == 200
    assert "Uw antwoord: Op schema gemeld door Anna de Wit (Gemeente Rivierstad)" in text(page.text)
    assert re.search(r'value="on_track"[^>]* checked>', page.text) and "Extra ronde" in page.text
    fixed = web.post(
        f"/antwoord/{correction}",
        data={"status": "at_risk", "forecast": LATER, "note": "Risico toch",
              "csrf_token": csrf(page.text)},
    )  # fmt: skip
    assert fixed.status_code == 200
    assert updates(app) == [(item, "on_track", "anna"), (item, "at_risk", "anna")]
    again = web.post(f"/antwoord/{correction}", data={"status": "done",
                                                      "csrf_token": csrf(page.text)})  # fmt: skip
    assert again.status_code == 409  # single use
    assert len(updates(app)) == 2
    with app.session() as session:  # only the hash of the correction link's id is stored
        rows = session.execute(__import__("sqlalchemy").text("SELECT token FROM answer_links"))
        stored = {r[0] for r in rows}
    assert correction.split(".")[0] not in stored


@PAGE_ONLY
def test_a_correction_link_is_bound_signed_and_expires(app: App) -> None:
    item, token = anna_link(app)
    plan = app.load_plan()
    view = check_link(app, plan, token, datetime.now(UTC))
    now = datetime.now(UTC)
    stuck = AnswerInput(item, "at_risk", note="Wacht")  # overdue: Risico says what is stuck
    recorded = answer_by_link(app, plan, token, view.csrf, stuck,
                              now=now, as_of=today(), checked=view)  # fmt: skip
    correction = str(recorded.extra["correction"])
    assert check_link(app, plan, correction, now).correction
    with pytest.raises(LinkRefused) as late:
        check_link(app, plan, correction, now + answer_links.CORRECTION_LIFETIME)
    assert late.value.reason is Refusal.LINK_EXPIRED
    tampered = correction[:-2] + ("AA" if not correction.endswith("AA") else "BB")
    with pytest.raises(LinkRefused) as bad:
        check_link(app, plan, tampered, now)
    assert bad.value.reason is Refusal.LINK_TAMPERED
    other = replace(app, settings=replace(app.settings, secret_key="another-" + "k" * 40))
    with pytest.raises(LinkRefused):  # signed with REGIE_SECRET_KEY
        check_link(other, plan, correction, now)


def test_a_newer_reminder_replaces_the_correction_link(app: App) -> None:
    item, token = anna_link(app)
    plan = app.load_plan()
    now = datetime.now(UTC)
    view = check_link(app, plan, token, now)
    stuck = AnswerInput(item, "at_risk", note="Wacht")  # overdue: Risico says what is stuck
    recorded = answer_by_link(app, plan, token, view.csrf, stuck,
                              now=now, as_of=today(), checked=view)  # fmt: skip
    queue_and_send(app, FIRST_DAY + timedelta(days=14))  # the next prompt for the item
    with pytest.raises(LinkRefused) as replaced:
        check_link(app, plan, str(recorded.extra["correction"]), now)
    assert replaced.value.reason is Refusal.LINK_REPLACED


def test_an_overdue_item_at_risk_without_a_date_is_recorded_honestly(app: App) -> None:
    """Risico may come without a new date (it is stuck); the done page says what that means.
    (Before webrev finding 2 this test used "Op schema", which now needs the date.)"""
    _, token = anna_link(app)
    web = client(app)
    form = web.get(f"/antwoord/{token}")
    done = web.post(f"/antwoord/{token}", data={"status": "at_risk", "note": "Wacht op de markt",
                                                "csrf_token": csrf(form.text)})  # fmt: skip
    shown = text(done.text)
    assert "Risico, maar zonder nieuwe datum: in het overzicht blijft dit punt ‘te laat’" in shown
    assert "geef een nieuwe verwachte datum via ‘Wijzigen’" in shown


@PAGE_ONLY
def test_an_overdue_item_on_schedule_needs_the_new_date(app: App) -> None:
    """ "Op schema, met de nieuwe datum hierboven" without that date is refused at the date
    field, as Slack's "Nieuwe datum…" is; nothing is stored, the choice is kept."""
    _, token = anna_link(app)
    web = client(app)
    form = web.get(f"/antwoord/{token}")
    page = web.post(f"/antwoord/{token}", data={"status": "on_track", "forecast": "",
                                                "csrf_token": csrf(form.text)})  # fmt: skip
    assert page.status_code == 422, page.text
    assert "Nieuwe verwachte datum gereed: Kies de nieuwe verwachte datum." in text(page.text)
    assert 'aria-invalid="true"' in page.text.split('id="forecast"', 1)[1].split(">", 1)[0]
    assert re.search(r'value="on_track"[^>]* checked>', page.text)
    assert updates(app) == []


@PAGE_ONLY
def test_an_overdue_items_unreadable_date_is_named_as_its_field_is(app: App) -> None:
    """The overdue form labels the date *Nieuwe verwachte datum gereed*: a date it cannot read
    is named so too (not *Verwachte datum gereed*), as its other date errors are."""
    _, token = anna_link(app)
    web = client(app)
    form = web.get(f"/antwoord/{token}")
    page = web.post(f"/antwoord/{token}", data={"status": "at_risk", "forecast": "abc",
                                                "csrf_token": csrf(form.text)})  # fmt: skip
    assert page.status_code == 422, page.text
    shown = text(page.text)
    assert "Nieuwe verwachte datum gereed: ‘abc’ is geen datum; typ dag-maand-jaar" in shown
    assert "Verwachte datum gereed: ‘abc’" not in shown.replace("Nieuwe verwachte", "")


# --- finding 10: an item taken out of the plan ------------------------------------------------


def test_a_link_to_an_item_taken_out_of_the_plan_says_so(app: App, tmp_path: Path) -> None:
    """Opening the link stores nothing, so its page says nothing of it; a submit of the form
    opened before the item went says, as every refused submit does, that it was not stored
    (fix54c's note)."""
    _, token = anna_link(app)
    form = client(app).get(f"/antwoord/{token}")  # opened before the plan changed
    assert form.status_code == 200, form.text
    smaller = tmp_path / "smaller.yaml"
    plan_text = ANSWERS_PLAN.read_text()
    cut = plan_text.index('          - id: "1.1.1"')
    end = plan_text.index('          - id: "1.1.2"')
    smaller.write_text(plan_text[:cut] + plan_text[end:])
    other = replace(app, settings=replace(app.settings, plan_path=smaller))
    web = client(other)
    page = web.get(f"/antwoord/{token}")
    assert page.status_code == 410
    assert "Dit punt staat niet meer in het plan; u hoeft niets te doen." in text(page.text)
    assert "niet opgeslagen" not in text(page.text)
    assert "ander programma" not in page.text
    posted = web.post(
        f"/antwoord/{token}", data={"status": "on_track", "csrf_token": csrf(form.text)}
    )
    assert posted.status_code == 410
    shown = text(posted.text)
    assert "Dit punt staat niet meer in het plan; u hoeft niets te doen." in shown
    assert "Uw antwoord is niet opgeslagen. Vragen? Neem contact op met" in shown
    assert updates(app) == []


# --- walk54 5: an item that changed owner -------------------------------------------------------


def test_a_link_whose_item_changed_owner_says_so_and_whom_to_ask(app: App, tmp_path: Path) -> None:
    """Anna's own link, in her own programme: the item is PROV's now. The page names the item,
    says it is with another owner and names the office; nothing is stored, the refusal is
    recorded under its own reason."""
    _, token = anna_link(app)
    form = client(app).get(f"/antwoord/{token}")  # opened before the plan changed
    assert form.status_code == 200, form.text
    moved = tmp_path / "moved.yaml"
    plan_text = ANSWERS_PLAN.read_text()
    assert plan_text.count("        owners: [GEM]\n") == 1
    moved.write_text(plan_text.replace("        owners: [GEM]\n", "        owners: [PROV]\n"))
    other = replace(app, settings=replace(app.settings, plan_path=moved))
    web = client(other)
    page = web.get(f"/antwoord/{token}")
    assert page.status_code == 403
    shown = text(page.text)
    assert "Punt 1.1.1 Knelpuntenkaart" in shown
    assert "niet opgeslagen" not in shown  # opening a link stores nothing
    assert (
        "Dit punt ligt inmiddels bij een andere eigenaar of contactpersoon: het plan is "
        "gewijzigd. U hoeft er niets meer voor te doen. Vragen? Neem contact op met het "
        "programmabureau"
    ) in shown
    assert "ander programma" not in page.text
    posted = web.post(
        f"/antwoord/{token}", data={"status": "on_track", "csrf_token": csrf(form.text)}
    )
    assert posted.status_code == 403
    assert "Dit punt ligt inmiddels bij een andere eigenaar" in text(posted.text)
    assert "Uw antwoord is niet opgeslagen. Vragen?" in text(posted.text)
    assert updates(app) == []
    assert refusals(app) == ["link_owner_changed"]


def test_an_owner_changed_link_past_its_lifetime_names_nothing_of_the_item(
    app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """review54 7: as for a removed item or a departed contact, a kept or forwarded mail is no
    lasting view of the item, least of all for someone it is no longer with (README: refusal
    pages name the item only while the link is within its lifetime)."""
    _, token = anna_link(app)
    moved = tmp_path / "moved.yaml"
    moved.write_text(
        ANSWERS_PLAN.read_text().replace("        owners: [GEM]\n", "        owners: [PROV]\n")
    )
    web = client(replace(app, settings=replace(app.settings, plan_path=moved)))
    later = datetime.now(UTC) + timedelta(days=15)  # the link was sent just now: 14 days
    monkeypatch.setattr("governance.clock.utcnow", lambda: later)
    page = web.get(f"/antwoord/{token}")
    assert page.status_code == 403
    shown = text(page.text)
    assert "Dit punt ligt inmiddels bij een andere eigenaar of contactpersoon" in shown
    assert "1.1.1" not in page.text and "Knelpuntenkaart" not in page.text


def test_a_link_of_another_programme_keeps_its_own_words(app: App, tmp_path: Path) -> None:
    _, token = anna_link(app)
    foreign = tmp_path / "foreign.yaml"
    foreign.write_text(ANSWERS_PLAN.read_text().replace("  id: wegen-test\n", "  id: ander\n", 1))
    other = replace(app, settings=replace(app.settings, plan_path=foreign))
    page = client(other).get(f"/antwoord/{token}")
    assert page.status_code == 403
    assert "Deze link hoort bij een ander programma of een andere persoon." in text(page.text)


@PAGE_ONLY
def test_the_owner_pages_name_the_organisation_as_the_mails_do(
    migrated_url: str, tmp_path: Path
) -> None:
    """The answer form, the used link and the correction form name who answered with the
    organisation's short_name (else its name), as mails, packs and reports do: not its id."""
    plan = tmp_path / "plan.yaml"
    text_of_plan = ANSWERS_PLAN.read_text(encoding="utf-8")
    plan.write_text(
        text_of_plan.replace(
            "    name: Gemeente Rivierstad\n",
            "    name: Gemeente Rivierstad\n    short_name: Rivierstad\n",
        ),
        encoding="utf-8",
    )
    app = link_app(migrated_url, tmp_path / "home", plan)
    _, token = anna_link(app)
    web = client(app)
    form = web.get(f"/antwoord/{token}")
    done = web.post(
        f"/antwoord/{token}",
        data={
            "status": "at_risk",
            "forecast": LATER,
            "note": "Wacht op de aanbesteding",
            "csrf_token": csrf(form.text),
        },
    )
    assert done.status_code == 200
    (correction,) = re.findall(r'id="wijzigen" href="/antwoord/([^"]+)"', done.text)
    used = text(web.get(f"/antwoord/{token}").text)
    assert "Vastgelegd: Risico gemeld door Anna de Wit (Rivierstad) op" in used
    again = text(web.get(f"/antwoord/{correction}").text)
    assert "Uw antwoord: Risico gemeld door Anna de Wit (Rivierstad) op" in again
    assert "(GEM)" not in used + again


@PAGE_ONLY
def test_the_thank_you_page_says_a_plain_answer_once(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """walk32c 12: "Uw antwoord: Risico / Vastgelegd als: Risico" said the same twice; an
    answer recorded as given is said once (an item not yet past its deadline of 30 juni 2025)."""
    monkeypatch.setattr("governance.clock.utcnow", lambda: datetime(2025, 6, 12, 10, tzinfo=UTC))
    _, token = anna_link(app)
    web = client(app)
    form = web.get(f"/antwoord/{token}")
    done = web.post(f"/antwoord/{token}", data={"status": "at_risk", "csrf_token": csrf(form.text)})
    assert done.status_code == 200, done.text
    shown = text(done.text)
    assert "Vastgelegd als Risico" in shown
    assert "Uw antwoord" not in shown


@PAGE_ONLY
def test_the_footer_names_the_programme_as_the_mails_do(app: App) -> None:
    """walk54b 4: "het programma „Veilige Fietsroutes”", not "„Programma Veilige …”" (the
    plan's title starts with the word; the mails leave it out with the same helper)."""
    _, token = anna_link(app)
    page = client(app).get(f"/antwoord/{token}").text
    assert "Regie – voortgang van het programma „Veilige Fietsroutes”." in page
    assert "„Programma Veilige" not in page
