"""Signed answer links: bound to contact, item and message; single use; expire; replaced."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from governance.answers import AnswerInput, Refusal
from regie.answer_links import LinkRefused, check_link
from regie.answers import AnswerRefused
from regie.bootstrap import App
from regie.services import today as business_today
from store import OutboxRecord, Repository
from tests.integration.answer_app import ANSWERS_PLAN
from tests.integration.link_setup import BASE, FIRST_DAY, link_app, queue_and_send
from tests.integration.mail_setup import Clock
from web.app import create_app


@pytest.fixture
def app(migrated_url: str, tmp_path: Path) -> App:
    return link_app(migrated_url, tmp_path)


def client(app: App) -> TestClient:
    return TestClient(create_app(app), raise_server_exceptions=True)


def counts(app: App) -> tuple[int, list[str]]:
    with app.session() as session:
        repo = Repository(session, "wegen-test")
        return len(repo.status_updates()), [e.name for e in repo.events() if "answer" in e.name]


def annas_message(app: App) -> OutboxRecord:
    with app.session() as session:
        (message,) = [
            m for m in Repository(session, "wegen-test").outbox() if m.recipient == "anna"
        ]
    return message


def csrf(page: str) -> str:
    return page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def test_digest_carries_a_link_per_item_starting_with_the_base_url(app: App) -> None:
    links = queue_and_send(app, FIRST_DAY)
    assert [item for item, _ in links["anna"]] == ["1.1.1"]
    with app.session() as session:
        (message,) = [
            m for m in Repository(session, "wegen-test").outbox() if m.recipient == "anna"
        ]
    assert f"Antwoorden: {BASE}/antwoord/" in message.body_text
    assert "regie update" not in message.body_text


def test_get_shows_a_form_and_stores_nothing_post_stores_once(app: App) -> None:
    ((item, token),) = queue_and_send(app, FIRST_DAY)["anna"]
    web = client(app)
    before = counts(app)
    for _ in range(3):  # a mail scanner opening the link, then the person
        page = web.get(f"/antwoord/{token}")
        assert page.status_code == 200
        assert "Update geven" in page.text and "Knelpuntenkaart" in page.text
        assert page.headers["cache-control"] == "no-store"
    assert counts(app) == before
    form = {"status": "at_risk", "note": "<script>x</script>", "csrf_token": csrf(page.text)}
    done = web.post(f"/antwoord/{token}", data=form)
    assert done.status_code == 200, done.text
    assert "opgeslagen" in done.text
    assert "Bij de volgende herinnering krijgt u een nieuwe." in done.text  # at risk: open
    again = web.post(f"/antwoord/{token}", data=form)
    assert again.status_code == 409
    assert "al gebruikt" in again.text
    assert web.get(f"/antwoord/{token}").status_code == 409
    with app.session() as session:
        updates = Repository(session, "wegen-test").status_updates()
    assert [(u.item_id, u.status.value, u.author, u.source) for u in updates] == [
        (item, "at_risk", "anna", "email")
    ]
    assert updates[0].comment == "<script>x</script>"
    assert counts(app)[1] == ["regie.answer.refused"]  # the second POST, with its reason


def test_field_errors_come_back_in_the_form(
    sender_clock: Clock,  # before app: the page's year is the test's, also at New Year (clock54)
    app: App,
) -> None:
    ((_, token),) = queue_and_send(app, FIRST_DAY)["anna"]
    web = client(app)
    token_csrf = csrf(web.get(f"/antwoord/{token}").text)
    page = web.post(
        f"/antwoord/{token}",
        data={"status": "on_track", "forecast": "31-13-2025", "csrf_token": token_csrf},
    )
    assert page.status_code == 422
    year = business_today(app).year  # the example: the end of this year, never a past one
    assert f"‘31-13-2025’ is geen datum; typ dag-maand-jaar, zoals 31-12-{year}." in page.text
    page = web.post(
        f"/antwoord/{token}", data={"status": "done", "note": "x" * 2001, "csrf_token": token_csrf}
    )
    assert page.status_code == 422
    assert "De toelichting is langer dan 2.000 tekens." in page.text  # as the form says its own
    assert "Toelichting (hoogstens 2.000 tekens)" in page.text  # walk56b 7: one way of writing
    assert counts(app) == (0, [])


#: How the mails and pages shorten a month, as the plan reads it (governance.periods).
SHORT = {"maart": "mrt"}


@pytest.mark.parametrize("short", [False, True], ids=["full", "abbreviated"])
def test_a_date_written_as_the_mails_write_it_is_read(
    sender_clock: Clock,  # before app: the office's today is the test's (clock54)
    app: App,
    short: bool,
) -> None:
    """walk56b 6: "15 januari 2027", as every mail and page prints a date, or "15 jan. 2027";
    the year is written, as in the plan, so a day and month alone stay the field's error."""
    from governance.dutch import MONTHS

    ((item, token),) = queue_and_send(app, FIRST_DAY)["anna"]
    web = client(app)
    token_csrf = csrf(web.get(f"/antwoord/{token}").text)
    day = business_today(app) + timedelta(days=40)
    month = MONTHS[day.month - 1]
    if short:
        month = SHORT.get(month, month[:3]) + "."
    for nonsense in (f"{day.day} {month}", f"{day.day} {month} x{day.year}", "asdf"):
        data = {"status": "on_track", "forecast": nonsense, "csrf_token": token_csrf}
        page = web.post(f"/antwoord/{token}", data=data)
        assert page.status_code == 422
        assert f"‘{nonsense}’ is geen datum; typ dag-maand-jaar" in page.text
    typed = f"{day.day} {month.capitalize()} {day.year}"
    data = {"status": "on_track", "forecast": typed, "csrf_token": token_csrf}
    page = web.post(f"/antwoord/{token}", data=data)
    assert page.status_code == 200, page.text
    with app.session() as session:
        (update,) = Repository(session, "wegen-test").status_updates()
    assert (update.item_id, update.status.value, update.forecast) == (item, "on_track", day)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # MAC changed
        lambda t: ("B" if t[0] == "A" else "A") + t[1:],  # id changed
        lambda t: t.split(".")[0],  # no MAC
        lambda t: t + "%00",
        lambda t: "x.y",
    ],
)
def test_tampered_links_are_refused_and_store_nothing(app: App, mutate: object) -> None:
    ((_, token),) = queue_and_send(app, FIRST_DAY)["anna"]
    bad = mutate(token)  # type: ignore[operator]
    web = client(app)
    page = web.get(f"/antwoord/{bad}")
    assert page.status_code == 404
    assert "Deze link is niet (meer) geldig." in page.text
    assert web.post(f"/antwoord/{bad}", data={"status": "done"}).status_code == 404
    assert counts(app) == (0, [])


def test_a_post_without_the_forms_token_is_refused(app: App) -> None:
    ((_, token),) = queue_and_send(app, FIRST_DAY)["anna"]
    page = client(app).post(f"/antwoord/{token}", data={"status": "done"})
    assert page.status_code == 404
    assert counts(app) == (0, [])


def test_a_link_expires_fourteen_days_after_it_was_sent(app: App) -> None:
    ((_, token),) = queue_and_send(app, FIRST_DAY)["anna"]
    plan = app.load_plan()
    with app.session() as session:
        (message,) = [
            m for m in Repository(session, "wegen-test").outbox() if m.recipient == "anna"
        ]
    assert message.sent_at is not None
    check_link(app, plan, token, message.sent_at + timedelta(days=13, hours=23))
    with pytest.raises(LinkRefused) as refused:
        check_link(app, plan, token, message.sent_at + timedelta(days=14))
    assert refused.value.reason is Refusal.LINK_EXPIRED


def test_a_newer_reminder_replaces_the_older_link(app: App) -> None:
    ((_, old),) = queue_and_send(app, FIRST_DAY)["anna"]
    newer = queue_and_send(app, FIRST_DAY + timedelta(days=14))["anna"]  # second prompt stage
    assert ("1.1.1", old) not in newer and newer[0][0] == "1.1.1"
    web = client(app)
    page = web.get(f"/antwoord/{old}")
    assert page.status_code == 410
    assert "nieuwere herinnering" in page.text
    assert web.get(f"/antwoord/{newer[0][1]}").status_code == 200


def test_a_link_for_an_item_no_longer_theirs_is_foreign(app: App, tmp_path: Path) -> None:
    ((_, token),) = queue_and_send(app, FIRST_DAY)["anna"]
    moved = tmp_path / "moved.yaml"
    moved.write_text(ANSWERS_PLAN.read_text().replace("owners: [GEM]", "owners: [PB]"))
    other = replace(app, settings=replace(app.settings, plan_path=moved))
    web = client(other)
    page = web.get(f"/antwoord/{token}")
    assert page.status_code == 403
    from regie.answer_links import csrf_token
    from tests.integration.server import TEST_SECRET_KEY

    junk = web.post(f"/antwoord/{token}", data={"status": "done", "csrf_token": "x" * 22})
    assert junk.status_code == 403
    assert counts(app) == (0, [])  # not the form's token: no attempt by a known person
    # The form opened before the item moved carries the link's own token: an attempt, kept.
    form = {"status": "done", "csrf_token": csrf_token(TEST_SECRET_KEY, token.split(".")[0])}
    page = web.post(f"/antwoord/{token}", data=form)
    assert page.status_code == 403
    assert counts(app) == (0, ["regie.answer.refused"])


def test_answer_by_link_is_the_one_use_case(app: App) -> None:
    """The link channel refuses what record_answer refuses: cancelled is for the office."""
    from regie.answer_links import answer_by_link, csrf_token
    from tests.integration.server import TEST_SECRET_KEY

    ((item, token),) = queue_and_send(app, FIRST_DAY)["anna"]
    plan = app.load_plan()
    with pytest.raises(AnswerRefused) as refused:
        answer_by_link(
            app,
            plan,
            token,
            csrf_token(TEST_SECRET_KEY, token.split(".")[0]),
            AnswerInput(item, "cancelled"),
            now=datetime.now(UTC),
            as_of=FIRST_DAY,
        )
    assert refused.value.reason is Refusal.OFFICE_ONLY
    assert counts(app) == (0, ["regie.answer.refused"])


def test_a_done_answer_says_no_more_reminders_follow(app: App) -> None:
    ((_, token),) = queue_and_send(app, FIRST_DAY)["anna"]
    web = client(app)
    page = web.get(f"/antwoord/{token}")
    done = web.post(f"/antwoord/{token}", data={"status": "done", "csrf_token": csrf(page.text)})
    assert done.status_code == 200, done.text
    assert "Voor dit punt krijgt u geen herinneringen meer." in done.text
    assert "volgende herinnering" not in done.text
