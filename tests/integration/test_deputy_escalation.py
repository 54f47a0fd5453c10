"""Owner review findings 6, 7 and 9 through the cycle into the file outbox (SQLite and
PostgreSQL): the deputy's own copy of an escalation, with a link that records the deputy's
answer, and texts that acknowledge the owner's earlier (lapsed) answer."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from governance.answers import Answerer, AnswerInput
from regie.answer_links import answer_by_link, check_link
from regie.answers import record_answer
from regie.bootstrap import App
from regie.cycle import deadline_check, send_reminders
from store import Repository, sync_plan
from tests.integration.link_setup import LINK, link_app

#: 1.1.1 (GEM: anna, deputy bram) is due 30 June 2025; anna gave a date that has passed.
ANSWERED = date(2025, 7, 1)
DAY = date(2025, 9, 15)
#: The owner's prompt about the lapsed date: an item escalates only once its owner was asked
#: and had ``unanswered_grace_days`` (5 working days) to answer.
ASKED = date(2025, 9, 8)


@pytest.fixture
def app(migrated_url: str, tmp_path: Path) -> App:
    from governance.clock import utcnow

    app = link_app(migrated_url, tmp_path)
    plan = app.load_plan()
    with app.session() as session, session.begin():
        sync_plan(session, plan, now=utcnow(), plan_path=str(plan.path))
    return app


def _mail(app: App, key: str) -> EmailMessage:
    from notifications.base import scoped_key
    from notifications.file_outbox import file_name

    data = (app.settings.outbox_dir / file_name(scoped_key(key, app.programme_id()))).read_bytes()
    mail = message_from_bytes(data, policy=policy.default)
    assert isinstance(mail, EmailMessage)
    return mail


def _part(mail: EmailMessage, kind: str) -> str:
    part = mail.get_body((kind,))
    assert part is not None
    return " ".join(str(part.get_content()).split())  # type: ignore[attr-defined]


def test_the_deputy_s_copy_explains_itself_and_its_link_records_the_deputy(app: App) -> None:
    answer = AnswerInput("1.1.1", "on_track", forecast=date(2025, 8, 1), note="Extra ronde")
    record_answer(app, answer, Answerer("anna", "Anna de Wit"), channel="email", as_of=ANSWERED)
    assert not [k for k in deadline_check(app, ASKED).queued if k.endswith(":deputy")]
    report = deadline_check(app, DAY)
    send_reminders(app)
    (key,) = [k for k in report.queued if k.endswith(":deputy")]
    assert ":bram:" in key
    mail = _mail(app, key)
    text, html = _part(mail, "plain"), _part(mail, "html")
    assert mail["X-Regie-Key"] == key
    for body in (text, html):
        assert "U ontvangt dit als plaatsvervanger van Anna de Wit." in body
        assert "aandacht van het programmabureau" not in body
        assert "zonder recente statusupdate" not in body
        assert "(1 juli 2025: Op schema, verwacht gereed 1 augustus 2025) is verlopen" in body
    office = _part(_mail(app, next(k for k in report.queued if ":office:" in k)), "plain")
    assert "verwacht gereed 1 augustus 2025) is verlopen" in office
    assert "plaatsvervanger" not in office
    # Anna's note: the office reads it, and her designated deputy, who stands in for her
    # (review54b 2; another organisation), as on the answer pages.
    assert "verwacht gereed 1 augustus 2025 — 'Extra ronde'" in office
    for body in (text, html):
        assert "'Extra ronde'" in body
        assert "Er is een toelichting bij gegeven" not in body
    # The link is bram's own: the answer is recorded under the deputy's name.
    links = [(m[0], m[1]) for m in LINK.findall(_part(mail, "plain"))]
    assert len(links) == 1
    plan = app.load_plan()
    view = check_link(app, plan, links[0][1], datetime.now(UTC))
    assert view.contact_id == "bram"
    answer_by_link(
        app,
        plan,
        links[0][1],
        view.csrf,
        AnswerInput("1.1.1", "at_risk", forecast=date(2025, 10, 1), note="Wacht"),
        now=datetime.now(UTC),
        as_of=DAY,
        checked=view,
    )
    with app.session() as session:
        latest = Repository(session, "wegen-test").status_updates()[-1]
    assert (latest.author, latest.source, latest.item_id) == ("bram", "email", "1.1.1")


def test_the_owner_s_digest_shows_the_latest_answer_and_what_is_missing(app: App) -> None:
    answer = AnswerInput("1.1.1", "at_risk", note="Weinig respons")
    record_answer(app, answer, Answerer("anna", "Anna de Wit"), channel="email", as_of=ANSWERED)
    report = deadline_check(app, DAY)
    send_reminders(app)
    (key,) = [k for k in report.queued if ":anna:" in k and k.endswith(":digest")]
    mail = _mail(app, key)
    for body in (_part(mail, "plain"), _part(mail, "html")):
        assert "Uw laatste update (1 juli 2025): Risico — 'Weinig respons'" in body
        assert "de deadline is verstreken: geef een nieuwe datum of meld gereed" in body
        assert f"Bij vragen over dit bericht: kenmerk {key}." in body


def test_the_deputy_s_thank_you_page_promises_no_reminder(app: App) -> None:
    """walk54b 7: a deputy (of another organisation) gets no reminders, so the thank-you page
    promises none; the owner's page then names the answer as a deputy's, as Slack does."""
    import re

    from starlette.testclient import TestClient

    from web.app import create_app

    answer = AnswerInput("1.1.1", "on_track", forecast=date(2025, 8, 1), note="Extra ronde")
    record_answer(app, answer, Answerer("anna", "Anna de Wit"), channel="email", as_of=ANSWERED)
    deadline_check(app, ASKED)  # the owner asked first; escalated a grace period later
    report = deadline_check(app, DAY)
    send_reminders(app)
    (deputy,) = [k for k in report.queued if k.endswith(":deputy")]
    ((_, token),) = LINK.findall(_part(_mail(app, deputy), "plain"))
    (digest,) = [k for k in report.queued if ":anna:" in k and k.endswith(":digest")]
    anna = LINK.findall(_part(_mail(app, digest), "plain"))[0][1]
    web = TestClient(create_app(app))
    form = web.get(f"/antwoord/{token}")
    csrf = form.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    later = (datetime.now(UTC) + timedelta(days=40)).date().isoformat()
    done = web.post(
        f"/antwoord/{token}",
        data={"status": "on_track", "forecast": later, "note": "Bel 06-5555", "csrf_token": csrf},
    )
    assert done.status_code == 200, done.text
    said = " ".join(re.sub(r"<[^>]+>", " ", done.text).split())
    assert "Bij de volgende herinnering" not in said
    assert "Als plaatsvervanger krijgt u over dit punt geen herinneringen" in said
    owner = " ".join(re.sub(r"<[^>]+>", " ", web.get(f"/antwoord/{anna}").text).split())
    assert "gemeld door Bram Smit (Provincie Noordwaarts) (plaatsvervanger) op" in owner
    # Anna reads the note of her designated deputy (review54b 2).
    assert "Bel 06-5555" in owner and "Er is een toelichting bij gegeven" not in owner
