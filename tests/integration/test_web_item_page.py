"""The office's item page and calendar-token form speak Dutch: no internal keys, no English."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path

from starlette.testclient import TestClient

from regie.bootstrap import App, bootstrap
from regie.config import load_settings
from tests.conftest import SEED_PLAN
from tests.integration.server import TEST_SECRET_KEY

PASSWORD = "a long enough password"


class _Text(HTMLParser):
    """The text a reader sees (attributes such as ``title`` left out)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def visible(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def _app(tmp_path: Path, url: str, reminders: str = "") -> App:
    """The seed plan's programme; ``reminders``: more lines of its ``reminders:`` section."""
    plan = tmp_path / "plan.yaml"
    shutil.copy(SEED_PLAN, plan)
    # The weekly overdue reminders these pages number, also after the escalation (the back-off
    # after one is tests/unit/test_reminder_back_off.py's).
    text = plan.read_text(encoding="utf-8")
    assert "\norganisations:\n" in text and "\nreminders:" not in text
    weekly = f"reminders:\n  after_escalation_every_days: 5\n{reminders}\norganisations:\n"
    plan.write_text(text.replace("organisations:\n", weekly, 1), encoding="utf-8")
    return bootstrap(
        load_settings({"REGIE_HOME": str(tmp_path / "home"), "REGIE_DATABASE_URL": url,
                       "REGIE_PLAN": str(plan), "REGIE_SECRET_KEY": TEST_SECRET_KEY})
    )  # fmt: skip


def _client(app: App) -> TestClient:
    from regie.users import add_user, log_in
    from web.app import create_app
    from web.security import session_cookie_name

    now = datetime.now(UTC)
    add_user(app, "office", PASSWORD, "P. Bureau", now)
    token = log_in(app, "office", PASSWORD, now)
    assert token is not None
    return TestClient(create_app(app), cookies={session_cookie_name(app): token})


def test_item_page_describes_reminders_deliveries_and_revisions_in_dutch(
    tmp_path: Path, migrated_url: str
) -> None:
    from regie.cycle import deadline_check, send_reminders
    from regie.services import sync

    app = _app(tmp_path, migrated_url)
    deadline_check(app, date(2015, 10, 1))
    send_reminders(app)  # through the file outbox
    deadline_check(app, date(2015, 10, 8))  # the next reminder after the deadline: queued only
    plan = app.settings.plan_path
    text = plan.read_text(encoding="utf-8")
    old = 'id: "2.3.1"\n            title: Opdrachtformulering\n            gereed: "Q2-2015"'
    assert old in text
    plan.write_text(text.replace(old, old.replace("Q2-2015", "Najaar 2015")), "utf-8")
    sync(app, None)

    page = _client(app).get("/items/2.3.1")
    assert page.status_code == 200
    shown = visible(page.text)
    for internal in ("overdue-13@", "escalation:", "@2015-06-30", "sent", "via file", "{'"):
        assert internal not in shown, internal
    # The first two reminders after the deadline on record (stages overdue-13 and -14: the
    # stages count from the deadline, reminders or not), never "13e herinnering".
    assert "1e herinnering na de deadline van 30 juni 2015 (67 werkdagen te laat)" in shown
    assert "2e herinnering na de deadline van 30 juni 2015 (72 werkdagen te laat)" in shown
    assert "13e" not in shown and "14e" not in shown
    assert "escalatie: over de deadline" in shown
    assert "verstuurd per bestand" in shown and "in de wachtrij" in shown
    assert 'title="overdue-13@2015-06-30"' in page.text  # the key, for whoever needs it
    # The revisions: the milestone created, then its gereed and period changed.
    assert "Actie: 2.3" in shown and "Titel: Opdrachtformulering" in shown
    assert "Eigenaren: Telos" in shown
    assert "Periode: kwartaal, 1 april 2015 – 30 juni 2015" in shown
    assert "gereed (plan) Q2-2015 Najaar 2015" in shown
    assert "periode kwartaal, 1 april 2015 – 30 juni 2015 seizoen, 1 september 2015 – " in shown
    # The events; the first check is the item's first assessment, not a change (walk57c 4).
    assert "eerste beoordeling door Regie: te laat (geen wijziging)" in shown
    assert "status: te laat" not in shown and "regie.milestone" not in shown


def test_item_page_numbers_the_reminders_that_went_out_and_names_every_event(
    tmp_path: Path, migrated_url: str
) -> None:
    """Replayed history (suppressed, never sent) is no reminder to count: the first one sent
    after the deadline is the 1st, whatever its stage's number. A refused answer is an event
    in Dutch, not ``regie.answer.refused``."""
    from governance.answers import Answerer, AnswerInput, Refusal
    from regie.answers import record_refusal
    from regie.cycle import deadline_check, send_reminders
    from regie.history import replay
    from regie.plan_cache import current_plan

    app = _app(tmp_path, migrated_url)
    replay(app, date(2015, 9, 1), date(2015, 9, 15))  # recorded as suppressed
    deadline_check(app, date(2015, 10, 1))
    send_reminders(app)
    deadline_check(app, date(2015, 10, 8))
    plan, _ = current_plan(app)
    answer = AnswerInput("2.3.1", "on_track")
    record_refusal(app, plan, Refusal.NOT_OWNER, answer, Answerer("x", "x"), "cli",
                   date(2015, 10, 8))  # fmt: skip
    from regie.answers import check_answer, store_answers

    owner = Answerer("telos-voorbeeld", "H. Voorbeeld")
    update = check_answer(plan, AnswerInput("2.3.1", "at_risk"), owner, date(2015, 10, 8))
    store_answers(app, plan, [update], sync=True)

    page = _client(app).get("/items/2.3.1")
    assert page.status_code == 200
    shown = visible(page.text)
    replayed = "1 september 2015 herinnering na de deadline van 30 juni 2015 (45 werkdagen te laat)"
    # The contact by name, its id muted beside it (not the bare id).
    person = "H. Voorbeeld (Telos, fictief) (telos-voorbeeld)"
    # Replayed: said so, not "niet meer nodig" (walk57c 3); and no number.
    assert f"{replayed} {person} nagespeeld met regie replay (niet verstuurd)" in shown
    assert "niet meer nodig" not in shown
    assert '<span class="muted">(telos-voorbeeld)</span>' in page.text
    assert "1e herinnering na de deadline van 30 juni 2015 (67 werkdagen te laat)" in shown
    assert "2e herinnering na de deadline van 30 juni 2015 (72 werkdagen te laat)" in shown
    assert "3e herinnering" not in shown
    assert "statusupdate geweigerd" in shown
    # Door: the owner's update names the owner, as the mails and the answer form do.
    assert f"risico – – {person} " in shown, shown
    assert "regie." not in shown and "overige gebeurtenis" not in shown


def test_agenda_form_errors_are_dutch_and_name_the_field(tmp_path: Path, migrated_url: str) -> None:
    from regie.services import sync
    from web.security import CSRF_FIELD

    app = _app(tmp_path, migrated_url)
    sync(app, None)
    web = _client(app)
    form = web.get("/agenda")
    csrf = form.text.split(f'name="{CSRF_FIELD}" value="', 1)[1].split('"', 1)[0]
    cases = {
        "org:NOPE": "Bereik: er is geen organisatie ‘NOPE’ in het plan. Kies uit: ",
        "step:9": "Bereik: er is geen stap ‘9’ in het plan. Kies uit: 1, 2, 3, 4.",
        "org:": "Bereik: geef achter ‘org:’ een organisatie op, bijvoorbeeld org:",
        "programme:x": "Bereik: ‘programme’ (het hele programma) krijgt geen waarde.",
        "iets": "Bereik: ‘iets’ is geen bereik. Gebruik programme, org:ID, step:N, contact:ID",
        # The form offers names: the error uses the option's name, not the code.
        "": "Bereik: kies een bereik, bijvoorbeeld ‘Het hele programma’.",
    }
    for scope, message in cases.items():
        page = web.post("/agenda", data={CSRF_FIELD: csrf, "bereik": scope})
        assert page.status_code == 400, scope
        shown = visible(page.text)
        assert message in shown, (scope, shown)
        assert shown.count("Bereik: ") == 2  # in the summary and at the field, nothing else
        for english in ("scope", "no such", "known", "give a value", "takes no value"):
            assert english not in shown, (scope, english)
    made = web.post("/agenda", data={CSRF_FIELD: csrf, "bereik": " org:Telos "})
    assert made.status_code == 200  # named as the plan names it (short_name), the code beside
    assert (
        'Nieuw abonnement voor Telos <span class="muted">(<code>org:Telos</code>)</span></h2>'
    ) in made.text
    assert "Telos, kenniscentrum" not in made.text.split("<h2>Nieuw abonnement", 1)[1]


def test_item_page_names_a_reminder_about_the_forecast_as_the_expected_date(
    tmp_path: Path, migrated_url: str
) -> None:
    """The owner's expected date after the deadline, once reached, has reminders of its own
    (``due@F``, ``overdue-N@F``): the page calls F the expected date, not a second deadline
    under the item's own (walk56b 3)."""
    from governance.answers import Answerer, AnswerInput
    from regie.answers import check_answer, store_answers
    from regie.cycle import deadline_check, send_reminders
    from regie.plan_cache import current_plan

    app = _app(tmp_path, migrated_url)
    deadline_check(app, date(2015, 10, 1))
    send_reminders(app)
    plan, _ = current_plan(app)
    owner = Answerer("telos-voorbeeld", "H. Voorbeeld")
    answer = AnswerInput("2.3.1", "on_track", forecast=date(2015, 10, 15))
    store_answers(app, plan, [check_answer(plan, answer, owner, date(2015, 10, 5))], sync=True)
    deadline_check(app, date(2015, 10, 15))  # the expected date has come: is it done?
    send_reminders(app)
    deadline_check(app, date(2015, 10, 29))  # and passed
    send_reminders(app)

    shown = visible(_client(app).get("/items/2.3.1").text)
    assert "herinnering op de verwachte datum (15 oktober 2015)" in shown, shown
    assert "1e herinnering na de verwachte datum van 15 oktober 2015 (10 werkdagen erna)" in shown
    assert "deadline (15 oktober 2015)" not in shown
    assert "deadline van 15 oktober 2015" not in shown
    # The reminders about the deadline itself keep their words.
    assert "1e herinnering na de deadline van 30 juni 2015 (67 werkdagen te laat)" in shown

    # The audit log says it as the page does (in English, like the rest of the command line).
    from tests.cli_in_process import regie

    env = {
        "REGIE_HOME": str(app.settings.home),
        "REGIE_DATABASE_URL": migrated_url,
        "REGIE_PLAN": str(app.settings.plan_path),
    }
    events = regie("events", "--item", "2.3.1", "--since", "2015-10-15", env=env)
    assert events.code == 0, events.err
    said = " ".join(events.out.split())
    assert "reminder on the expected date 2015-10-15" in said, said
    assert "reminder after the expected date 2015-10-15 (10 working days after it)" in said
    assert "deadline of 2015-10-15" not in said
