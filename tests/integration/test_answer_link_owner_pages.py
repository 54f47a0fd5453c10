"""The owner's pages of an answer link (walk30 5, 6, 11): a status round's form says by when and
for which meeting; "Geen wijziging" records the latest answer again as of today; a used link
names its item and what it recorded and offers the one-time "Wijzigen" while allowed; the 410
pages name the item and a mere opening says nothing was "niet opgeslagen". SQLite and
PostgreSQL (the ``migrated_url`` fixture)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from governance.answers import Answerer, AnswerInput
from governance.clock import utcnow
from governance.labels import dutch_date
from governance.workdays import WorkCalendar
from regie.answers import record_answer
from regie.bootstrap import App
from regie.cycle import send_reminders
from regie.rounds import round_status, run_round_day
from regie.services import sync
from regie.services import today as business_today
from store import Repository
from tests.integration.answer_app import ANSWERS_PLAN
from tests.integration.link_setup import LINK, delivered_text, link_app
from tests.integration.mail_setup import Clock
from tests.integration.test_answer_standing import anna_link, client, csrf, later, text

PAGE_ONLY = pytest.mark.one_database(
    "a page's words, from SQL this file's other PostgreSQL tests run"
)

ANNA = Answerer("anna", "Anna de Wit")
#: The stuurgroep meets on the second Tuesday of every month (the fixture plan has no meetings).
MEETINGS = """    members: [GEM, PROV]
    meetings:
      time: "14:00"
      rule: {every: maand, weekday: dinsdag, nth: 2, start: 2024-01-01}
"""


@pytest.fixture
def app(migrated_url: str, tmp_path: Path) -> App:
    plan = tmp_path / "plan.yaml"
    # The rounds and meetings here start on Regie's today (links expire by Regie's clock): the
    # programme runs on past it, or from December 2027 the round's meeting would fall after
    # the fixture plan's end (clock53). Regie's clock, not the machine's: a test that pins it
    # (``sender_clock``, asked for before this fixture) counts from the pinned day (review54 8).
    text = ANSWERS_PLAN.read_text(encoding="utf-8")
    assert "  end: 2027-12-31\n" in text
    far = f"  end: {utcnow().year + 3}-12-31\n"
    plan.write_text(text.replace("  end: 2027-12-31\n", far), encoding="utf-8")
    return link_app(migrated_url, tmp_path / "home", plan)


def updates(app: App) -> list[tuple[str, str, date | None, date, str | None]]:
    with app.session() as session:
        found = Repository(session, "wegen-test").status_updates()
    return [(u.item_id, u.status.value, u.forecast, u.reported_on, u.author) for u in found]


def second_tuesday_from(day: date) -> date:
    """The stuurgroep's first meeting on or after ``day`` (counted here, not by the code)."""
    month = day.replace(day=1)
    while True:
        days = (month + timedelta(days=i) for i in range(31))
        tuesdays = [d for d in days if d.month == month.month and d.weekday() == 1]
        if tuesdays[1] >= day:
            return tuesdays[1]
        month = (month + timedelta(days=32)).replace(day=1)


def round_link(app: App) -> tuple[date, str]:
    """A round for the stuurgroep started today (real clock: links expire by it), answers by
    the third working day from now; (answer-by date, anna's link for 1.1.1)."""
    plan_file = app.settings.plan_path
    plan_file.write_text(
        plan_file.read_text(encoding="utf-8").replace("    members: [GEM, PROV]\n", MEETINGS),
        encoding="utf-8",
    )
    plan = app.load_plan()
    calendar = WorkCalendar.for_plan(plan)
    answer_by, working = business_today(app), 0
    while working < 3:
        answer_by += timedelta(days=1)
        working += calendar.is_working_day(answer_by)
    run_round_day(app, business_today(app), body="stuurgroep", answer_by=answer_by)
    send_reminders(app)
    mail = delivered_text(app, "round:1:anna:request")
    items = re.findall(r"^- (\S+) ", mail, flags=re.M)
    links = dict(zip(items, [m[1] for m in LINK.findall(mail)], strict=True))
    return answer_by, links["1.1.1"]


# --- walk30 5: by when, for which meeting ---------------------------------------------------------


@PAGE_ONLY
def test_a_round_link_says_by_when_and_for_which_meeting(app: App) -> None:
    answer_by, token = round_link(app)
    page = text(client(app).get(f"/antwoord/{token}").text)
    meeting = second_tuesday_from(answer_by)
    assert (
        f"Graag uw antwoord vóór {dutch_date(answer_by)}, voor de vergadering van "
        f"{dutch_date(meeting)} (Stuurgroep Fietsroutes)."
    ) in page


@PAGE_ONLY
def test_a_digest_link_says_nothing_of_a_round(app: App) -> None:
    _, token = anna_link(app)
    page = client(app).get(f"/antwoord/{token}")
    assert page.status_code == 200
    assert "Graag uw antwoord vóór" not in page.text and "vergadering van" not in page.text


# --- walk30 5: "Geen wijziging" -------------------------------------------------------------------


def test_geen_wijziging_records_the_latest_answer_again_and_the_round_counts_it(
    sender_clock: Clock,  # before app: the day the answer is stored on is the test's (clock54)
    app: App,
) -> None:
    sync(app, None)  # the store knows the items
    forecast = date.fromisoformat(later(app))
    three_days_ago = business_today(app) - timedelta(days=3)
    record_answer(app, AnswerInput("1.1.1", "at_risk", forecast=forecast, note="Wacht op data"),
                  ANNA, channel="cli", as_of=three_days_ago)  # fmt: skip
    _, token = round_link(app)
    web = client(app)
    form = web.get(f"/antwoord/{token}")
    assert 'id="geen-wijziging"' in form.text
    (latest_id,) = re.findall(r'name="unchanged" value="(\d+)"', form.text)
    assert round_status(app)[0]["answered"] == 0  # answered before the round started
    done = web.post(
        f"/antwoord/{token}", data={"csrf_token": csrf(form.text), "unchanged": latest_id}
    )
    assert done.status_code == 200
    assert updates(app) == [
        ("1.1.1", "at_risk", forecast, three_days_ago, "anna"),
        ("1.1.1", "at_risk", forecast, business_today(app), "anna"),  # the same again, as of today
    ]
    assert round_status(app)[0]["answered"] == 1
    assert dutch_date(forecast) in text(done.text)
    # The button sent twice (a double tap): the link is used, nothing more is stored.
    again = web.post(
        f"/antwoord/{token}", data={"csrf_token": csrf(form.text), "unchanged": latest_id}
    )
    assert again.status_code == 409
    assert len(updates(app)) == 2


def test_geen_wijziging_keeps_the_owners_note_in_the_pack_and_the_report(
    sender_clock: Clock,  # before app: the day the answer is stored on is the test's (clock54)
    app: App,
) -> None:
    """review9 4: "nothing changed" keeps the explanation: the agenda pack's *Laatste
    toelichting* and the progress report's reason still quote the owner's note."""
    from regie.reports import (
        add_meeting,
        agenda_pack,
        progress_report,
        render_agenda,
        render_progress,
    )

    sync(app, None)
    note = "Wacht op data van de provincie"
    forecast = date.fromisoformat(later(app))
    record_answer(app, AnswerInput("1.1.1", "at_risk", forecast=forecast, note=note), ANNA,
                  channel="cli", as_of=business_today(app) - timedelta(days=3))  # fmt: skip
    _, token = anna_link(app)
    web = client(app)
    form = web.get(f"/antwoord/{token}")
    assert "met dezelfde toelichting" in text(form.text)
    (latest_id,) = re.findall(r'name="unchanged" value="(\d+)"', form.text)
    done = web.post(
        f"/antwoord/{token}", data={"csrf_token": csrf(form.text), "unchanged": latest_id}
    )
    assert done.status_code == 200
    assert [u[3] for u in updates(app)] == [
        business_today(app) - timedelta(days=3),
        business_today(app),
    ]
    meeting, calendar = (
        business_today(app) + timedelta(days=7),
        WorkCalendar.for_plan(app.load_plan()),
    )
    while not calendar.is_working_day(meeting):
        meeting += timedelta(days=1)
    add_meeting(app, "stuurgroep", meeting, None, None, None)
    pack = agenda_pack(app, "stuurgroep", meeting, business_today(app))
    assert [(line.item_id, line.note) for line in pack.annex if line.note] == [("1.1.1", note)]
    assert note in render_agenda(pack, "md").decode()
    start = (business_today(app) - timedelta(days=10)).replace(
        day=1
    )  # from before the first answer
    report = render_progress(
        progress_report(app, start, business_today(app), business_today(app)), "md"
    )
    assert f"toelichting eigenaar: {note}" in report.decode()


def _forget(app: App, contact: str) -> None:
    """``contact`` leaves the plan and is forgotten with their notes
    (`regie contact forget CONTACT --notes --yes`)."""
    from regie.erasure import forget_contact

    plan = app.settings.plan_path.read_text(encoding="utf-8")
    nxt = {"anna": "  - id: bram\n", "bram": "  - id: carla\n"}[contact]
    block = plan[plan.index(f"  - id: {contact}\n") : plan.index(nxt)]
    plan = plan.replace(block, "").replace(f"    deputy: {contact}\n", "")
    app.settings.plan_path.write_text(plan, encoding="utf-8")
    sync(app, None)
    forget_contact(app, contact, datetime.now(UTC), notes=True, apply=True)


def _notes(app: App) -> list[tuple[str | None, str | None]]:
    with app.session() as session:
        found = Repository(session, "wegen-test").status_updates(item="1.1.1")
    return [(u.author, u.comment) for u in found]


def _press_geen_wijziging(app: App) -> str:
    """anna opens her link and presses "Geen wijziging"; the button's explanation (its text)."""
    _, token = anna_link(app)
    web = client(app)
    form = web.get(f"/antwoord/{token}")
    (latest_id,) = re.findall(r'name="unchanged" value="(\d+)"', form.text)
    done = web.post(
        f"/antwoord/{token}", data={"csrf_token": csrf(form.text), "unchanged": latest_id}
    )
    assert done.status_code == 200
    (explained,) = re.findall(r'<p id="geen-wijziging-uitleg">(.*?)</p>', form.text, re.S)
    return " ".join(explained.split())


def test_geen_wijziging_does_not_copy_the_deputys_note(app: App) -> None:
    """review10a 1: anna repeats the answer her deputy bram gave. His note is his words, not
    hers: the button says it is not carried, her update has none, and once bram is forgotten
    with his notes none of his words are left."""
    sync(app, None)
    note = "Bram: wacht op de aanbesteding (persoonlijk: ik ben ziek tot 1 mei)"
    forecast = date.fromisoformat(later(app))
    record_answer(app, AnswerInput("1.1.1", "at_risk", forecast=forecast,
                                   note=note), Answerer("bram", "Bram Smit"),
                  channel="cli", as_of=business_today(app) - timedelta(days=3))  # fmt: skip
    explained = _press_geen_wijziging(app)
    assert "met dezelfde toelichting" not in explained
    assert "zonder toelichting (de laatste toelichting is niet van u)" in explained
    assert _notes(app) == [("bram", note), ("anna", None)]
    _forget(app, "bram")
    assert [comment for _, comment in _notes(app)] == [None, None]


def test_geen_wijziging_copies_the_own_note_and_forget_blanks_both(app: App) -> None:
    """review10a 1: anna repeats her own answer: her note is carried (review9 4); forgetting
    anna with her notes blanks the original and the copy, both reported by her."""
    sync(app, None)
    note = "Wacht op data (persoonlijk: tot 1 mei afwezig)"
    forecast = date.fromisoformat(later(app))
    record_answer(app, AnswerInput("1.1.1", "at_risk", forecast=forecast,
                                   note=note), ANNA,
                  channel="cli", as_of=business_today(app) - timedelta(days=3))  # fmt: skip
    explained = _press_geen_wijziging(app)
    assert "met dezelfde toelichting" in explained and "niet van u" not in explained
    assert _notes(app) == [("anna", note), ("anna", note)]
    _forget(app, "anna")
    assert [comment for _, comment in _notes(app)] == [None, None]


def test_geen_wijziging_is_refused_when_someone_answered_since_the_form_was_shown(app: App) -> None:
    sync(app, None)
    forecast = date.fromisoformat(later(app))
    record_answer(app, AnswerInput("1.1.1", "on_track", forecast=forecast), ANNA,
                  channel="cli", as_of=business_today(app) - timedelta(days=3))  # fmt: skip
    _, token = anna_link(app)
    web = client(app)
    form = web.get(f"/antwoord/{token}")
    (latest_id,) = re.findall(r'name="unchanged" value="(\d+)"', form.text)
    record_answer(app, AnswerInput("1.1.1", "at_risk", forecast=forecast), ANNA,
                  channel="cli", as_of=business_today(app))  # fmt: skip
    page = web.post(
        f"/antwoord/{token}", data={"csrf_token": csrf(form.text), "unchanged": latest_id}
    )
    assert page.status_code == 422  # the form again, with the item's state as it is now
    assert "Kies een stand" in text(page.text) and "Laatste antwoord: Risico" in text(page.text)
    assert len(updates(app)) == 2


@PAGE_ONLY
def test_no_geen_wijziging_without_an_answer_or_when_a_new_date_is_needed(app: App) -> None:
    _, token = anna_link(app)
    web = client(app)
    assert 'id="geen-wijziging"' not in web.get(f"/antwoord/{token}").text  # nothing to repeat
    # 1.1.1 is past its deadline (30 June 2025); "op schema" without a new date: overdue, the
    # form asks the new date first.
    record_answer(
        app, AnswerInput("1.1.1", "on_track"), ANNA, channel="cli", as_of=business_today(app)
    )
    page = web.get(f"/antwoord/{token}").text
    assert 'id="geen-wijziging"' not in page and "De deadline is verstreken" in page


# --- walk30 6: a used link ------------------------------------------------------------------------


@PAGE_ONLY
def test_a_used_link_names_the_item_and_its_answer_and_offers_wijzigen(
    sender_clock: Clock,  # before app: the day the answer is stored on is the test's (clock54)
    app: App,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, token = anna_link(app)
    web = client(app)
    form = web.get(f"/antwoord/{token}")
    forecast = later(app)  # by the pinned clock, as every date here (review54 8)
    answer = {
        "status": "at_risk",
        "forecast": forecast,
        "note": "Wacht op de aanbesteding",
        "csrf_token": csrf(form.text),
    }
    done = web.post(f"/antwoord/{token}", data=answer)
    (correction,) = re.findall(r'id="wijzigen" href="/antwoord/([^"]+)"', done.text)
    opened = web.get(f"/antwoord/{token}")
    assert opened.status_code == 409
    shown = text(opened.text)
    assert "Punt 1.1.1 Knelpuntenkaart" in shown
    assert (
        "Vastgelegd: Risico gemeld door Anna de Wit (Gemeente Rivierstad) op "
        f"{dutch_date(business_today(app))}, "
        f"verwachte datum gereed {dutch_date(date.fromisoformat(forecast))}."
    ) in shown
    assert "niets nieuws opgeslagen" not in shown  # a GET tried to store nothing
    # The same "Wijzigen" as the thank-you page's: it opens the correction form.
    assert re.findall(r'id="wijzigen" href="/antwoord/([^"]+)"', opened.text) == [correction]
    # Past its lifetime the used link no longer offers it.
    eight_days_on = sender_clock.now + timedelta(days=8)
    with monkeypatch.context() as m:
        m.setattr("governance.clock.utcnow", lambda: eight_days_on)
        assert 'id="wijzigen"' not in web.get(f"/antwoord/{token}").text
    # Past the link's own lifetime it is no lasting view of the item (review8 2).
    gone = sender_clock.now + timedelta(days=15)
    with monkeypatch.context() as m:
        m.setattr("governance.clock.utcnow", lambda: gone)
        aged = web.get(f"/antwoord/{token}")
        assert aged.status_code == 409
        assert "Knelpuntenkaart" not in aged.text and "Vastgelegd" not in aged.text
    page = web.get(f"/antwoord/{correction}")
    change = {"status": "on_track", "forecast": forecast, "csrf_token": csrf(page.text)}
    fixed = web.post(f"/antwoord/{correction}", data=change)
    assert fixed.status_code == 200
    # Used once: not offered again; the page shows what came after.
    after = web.get(f"/antwoord/{token}")
    assert 'href="/antwoord/' + correction not in after.text
    assert "Daarna: Op schema gemeld door Anna de Wit (Gemeente Rivierstad)" in text(after.text)


@PAGE_ONLY
def test_a_late_answers_wijzigen_ends_with_the_link_it_was_answered_through(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """review9 2: answered on day 12 of the link's 14, the correction link may not outlive the
    link: past day 14 neither the used link's page nor the thank-you page's "Wijzigen" opens the
    item's form (7 days from the answer would be day 19)."""
    _, token = anna_link(app)
    web = client(app)
    start = datetime.now(UTC)
    forecast = later(app)
    with monkeypatch.context() as m:
        m.setattr("governance.clock.utcnow", lambda: start + timedelta(days=12))
        form = web.get(f"/antwoord/{token}")
        answer = {
            "status": "at_risk",
            "forecast": forecast,
            "note": "Wacht op de aanbesteding",
            "csrf_token": csrf(form.text),
        }
        done = web.post(f"/antwoord/{token}", data=answer)
        assert done.status_code == 200, done.text
        (correction,) = re.findall(r'id="wijzigen" href="/antwoord/([^"]+)"', done.text)
        # The page says until when: not the 7 days the answer alone would give.
        assert dutch_date((start + timedelta(days=19)).date()) not in text(done.text)
    with monkeypatch.context() as m:  # within the link's lifetime: offered, and it opens
        m.setattr("governance.clock.utcnow", lambda: start + timedelta(days=13))
        opened = web.get(f"/antwoord/{token}")
        assert re.findall(r'id="wijzigen" href="/antwoord/([^"]+)"', opened.text) == [correction]
        assert web.get(f"/antwoord/{correction}").status_code == 200
    with monkeypatch.context() as m:
        m.setattr("governance.clock.utcnow", lambda: start + timedelta(days=15))
        aged = web.get(f"/antwoord/{token}")
        assert aged.status_code == 409
        assert 'id="wijzigen"' not in aged.text and "Knelpuntenkaart" not in aged.text
        kept = web.get(f"/antwoord/{correction}")  # the thank-you page kept open
        assert kept.status_code == 410
        assert "Knelpuntenkaart" not in kept.text
        change = {"status": "on_track", "forecast": forecast, "csrf_token": csrf(form.text)}
        assert web.post(f"/antwoord/{correction}", data=change).status_code == 410
    assert [u[1] for u in updates(app) if u[0] == "1.1.1"] == ["at_risk"]


# --- walk30 6 and 11: the 410 pages ---------------------------------------------------------------


def _with_plan(app: App, tmp_path: Path, text_: str) -> App:
    changed = tmp_path / "changed.yaml"
    changed.write_text(text_, encoding="utf-8")
    return replace(app, settings=replace(app.settings, plan_path=changed))


@PAGE_ONLY
def test_the_contact_left_page_names_the_item_and_says_each_thing_once(
    app: App, tmp_path: Path
) -> None:
    _, token = anna_link(app)
    form = client(app).get(f"/antwoord/{token}")
    plan = app.settings.plan_path.read_text(encoding="utf-8")
    anna = plan[plan.index("  - id: anna\n") : plan.index("  - id: bram\n")]
    web = TestClient(create_web(_with_plan(app, tmp_path, plan.replace(anna, ""))))
    opened = web.get(f"/antwoord/{token}")
    assert opened.status_code == 410
    shown = text(opened.text)
    assert "Punt 1.1.1 Knelpuntenkaart" in shown
    assert shown.count("niet meer in het plan staat") == 1
    assert shown.count("Neem contact op met") == 1
    assert "opgeslagen" not in shown  # only opened: nothing was submitted
    posted = web.post(f"/antwoord/{token}", data={"status": "done", "csrf_token": csrf(form.text)})
    assert posted.status_code == 410
    assert text(posted.text).count("Uw antwoord is niet opgeslagen.") == 1
    # Past the link's lifetime the page names nothing of the item, as a used link's (review9 5).
    with pytest.MonkeyPatch.context() as m:
        m.setattr("governance.clock.utcnow", lambda: datetime.now(UTC) + timedelta(days=15))
        aged = web.get(f"/antwoord/{token}")
    assert aged.status_code == 410
    assert "niet meer in het plan staat" in text(aged.text)
    assert "1.1.1" not in aged.text and "Knelpuntenkaart" not in aged.text


def test_the_item_removed_page_names_the_item(app: App, tmp_path: Path) -> None:
    sync(app, None)  # the store knows the item's title
    _, token = anna_link(app)
    plan = app.settings.plan_path.read_text(encoding="utf-8")
    start = plan.index('          - id: "1.1.1"')
    gone = plan[start : plan.index('          - id: "1.1.2"')]
    web = TestClient(create_web(_with_plan(app, tmp_path, plan.replace(gone, ""))))
    page = web.get(f"/antwoord/{token}")
    assert page.status_code == 410
    shown = text(page.text)
    assert "Punt 1.1.1 Knelpuntenkaart" in shown and "staat niet meer in het plan" in shown
    # Past the link's lifetime the page names nothing of the item, as a used link's (review9 5).
    with pytest.MonkeyPatch.context() as m:
        m.setattr("governance.clock.utcnow", lambda: datetime.now(UTC) + timedelta(days=15))
        aged = web.get(f"/antwoord/{token}")
    assert aged.status_code == 410
    assert "staat niet meer in het plan" in text(aged.text)
    assert "1.1.1" not in aged.text and "Knelpuntenkaart" not in aged.text


def create_web(app: App) -> Starlette:
    from web.app import create_app

    return create_app(app)
