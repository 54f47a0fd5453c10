"""What office49's rule (a programme-office contact answers for an owning organisation only when
it has no other contact) left for what was already under way (office50):

- an open status round that asked the office about an organisation's items chases that
  organisation's own contact once it has one (a plan edit mid-round, or a round started before
  the rule), with links of its own, and no longer the office; the requests stay on record;
- a deputy of the office holding a link issued while the office answered for the item may
  still answer through it, until the plan withdraws them; the office answers for every item.

SQLite and PostgreSQL (the ``migrated_url`` fixture)."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from governance.plan import Contact, Plan
from regie.bootstrap import App
from regie.cycle import deadline_check, send_reminders
from regie.rounds import run_round_day
from store import OutboxRecord, Repository
from store.answers import round_requests
from tests.integration.answer_app import ANNA, ANSWERS_PLAN
from tests.integration.link_setup import LINK, delivered_text, link_app
from tests.integration.test_answer_standing import client, csrf, text
from tests.integration.test_round_chase_wording import _intro

RULE_ONLY = pytest.mark.one_database(
    "whom a round chases, from SQL this file's other PostgreSQL tests run"
)

START = date(2025, 6, 2)  # a Monday
ANSWER_BY = date(2025, 6, 20)  # a Friday
CHASE = date(2025, 6, 19)
#: Anna without a deputy: bram may answer for GEM only as the office's deputy.
ANNA_ALONE = """  - id: anna
    name: Anna de Wit
    organisation: GEM
    email: anna@example.org
"""
OFFICE_AT_PB = "    organisation: PB\n    email: bureau@example.org\n"
OFFICE_AT_GEM = "    organisation: GEM\n    email: bureau@example.org\n"


#: The plan's own name for the office (walk58a 1: the chase said "het programmabureau").
NAMED = "  short_title: Fietsroutes\n  office_name: Projectbureau\n  office_article: het\n"


def _plan_text(*, office_at_gem: bool, anna: str, named: bool = False) -> str:
    text = ANSWERS_PLAN.read_text(encoding="utf-8")
    assert ANNA in text and OFFICE_AT_PB in text
    text = text.replace(ANNA, anna)
    if named:
        text = text.replace("  short_title: Fietsroutes\n", NAMED)
    return text.replace(OFFICE_AT_PB, OFFICE_AT_GEM) if office_at_gem else text


def _app(tmp_path: Path, url: str, text: str) -> App:
    plan = tmp_path / "plan.yaml"
    shutil.copy(ANSWERS_PLAN, plan)
    plan.write_text(text, encoding="utf-8")
    return link_app(url, tmp_path / "home", plan)


def _outbox(app: App) -> dict[str, OutboxRecord]:
    with app.session() as session:
        return {m.key: m for m in Repository(session, "wegen-test").outbox()}


def _run_round(app: App, edited: str) -> dict[str, OutboxRecord]:
    """Start the round on START, edit the plan file to ``edited`` the next day, run every day up
    to the answer-by date twice (a rerun sends nothing again); the outbox by key."""
    run_round_day(app, START, body="stuurgroep", answer_by=ANSWER_BY)
    send_reminders(app)
    app.settings.plan_path.write_text(edited, encoding="utf-8")
    day = START + timedelta(days=1)
    while day <= ANSWER_BY:
        for _ in range(2):
            run_round_day(app, day)
            send_reminders(app)
        day += timedelta(days=1)
    return _outbox(app)


def _asked(app: App) -> list[tuple[str, str]]:
    with app.session() as session:
        return [(q.item_id, q.contact_id) for q in round_requests(session, 1)]


@RULE_ONLY
@pytest.mark.parametrize(
    ("office_at_gem", "named"),
    [(False, False), (True, False), (False, True)],
    ids=["office-elsewhere", "office-at-gem", "office-named"],
)
def test_a_contact_added_mid_round_is_chased_instead_of_the_office(
    tmp_path: Path, migrated_url: str, office_at_gem: bool, named: bool
) -> None:
    """GEM has no contact of its own when the round starts (the office answers for it, as a
    stand-in or as GEM's only contact); a plan edit gives it anna before the chase. The chase
    names the office as the plan does (``office_name``)."""
    first = _plan_text(office_at_gem=office_at_gem, anna="", named=named)
    app = _app(tmp_path, migrated_url, first)
    sent = _run_round(app, _plan_text(office_at_gem=office_at_gem, anna=ANNA, named=named))
    assert "round:1:office:request" in sent
    assert ("1.1.1", "office") in _asked(app)  # the request stays on record
    chases = sorted(k for k in sent if ":chase:" in k)
    assert f"round:1:anna:chase:{CHASE}" in chases
    assert not [k for k in chases if ":office:" in k]
    chase = sent[f"round:1:anna:chase:{CHASE}"]
    assert [i["id"] for i in chase.payload["items"]] == ["1.1.1", "1.1.2", "2.1"]
    assert chase.payload["asked_of_you"] == 0
    mail = " ".join(delivered_text(app, chase.key).split())
    # Who was asked before anna (review50 3): the office as a stand-in, or GEM's own contact.
    office = "het projectbureau" if named else "het programmabureau"
    went_to = (
        "een andere contactpersoon voor uw organisatie"
        if office_at_gem
        else f"{office} (er was toen geen contactpersoon voor uw organisatie)"
    )
    said = f"Ons verzoek daarover ging eerder naar {went_to}; u bent nu aanspreekpunt."
    assert said in mail and said in " ".join((chase.body_html or "").split())
    assert chase.payload["asked_office"] == (0 if office_at_gem else 3)
    to = "een andere contactpersoon" if office_at_gem else office
    assert f"ging eerder naar {to}; u bent nu aanspreekpunt." in _intro(chase)  # Slack
    assert "heeft geen contactpersoon meer" not in mail  # no "Let op" line
    assert len(LINK.findall(delivered_text(app, chase.key))) == 3  # links of anna's own
    # PROV's contacts are chased for theirs as before; the office gets its summary.
    assert f"round:1:bram:chase:{CHASE}" in chases
    assert "round:1:office:summary" in sent
    # One chase each, on the chase day alone, though every day ran twice.
    assert len(chases) == len({k.split(":")[2] for k in chases})


def test_a_round_started_before_the_rule_chases_the_organisation_s_own_contact(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The office belongs to GEM, which has anna too; the round started under the old rule
    (every contact of an owner asked), so it asked both anna and the office."""
    text = _plan_text(office_at_gem=True, anna=ANNA)
    app = _app(tmp_path, migrated_url, text)

    def before_office49(self: Plan, org_id: str) -> list[Contact]:
        return [c for c in self.contacts if c.organisation == org_id]

    with monkeypatch.context() as old:
        old.setattr(Plan, "answering_for", before_office49)
        run_round_day(app, START, body="stuurgroep", answer_by=ANSWER_BY)
    send_reminders(app)
    # Recorded as that release recorded it (its request mails went out under its rule too).
    assert {("1.1.1", "office"), ("1.1.1", "anna")} <= set(_asked(app))
    sent = _run_round(app, text)  # the round exists: this only chases and closes it
    chases = sorted(k for k in sent if ":chase:" in k)
    assert f"round:1:anna:chase:{CHASE}" in chases
    assert not [k for k in chases if ":office:" in k]
    chase = sent[f"round:1:anna:chase:{CHASE}"]
    assert [i["id"] for i in chase.payload["items"]] == ["1.1.1", "1.1.2", "2.1"]
    assert chase.payload["asked_of_you"] == 3  # asked herself: "nog geen update van u"
    assert ("1.1.1", "office") in _asked(app)


# --- an old link of the office's deputy ---------------------------------------------------------

ASKED = date(2025, 9, 8)  # GEM's 1.1.1 (due 30 June) is prompted: the office, GEM's only contact
DAY = date(2025, 9, 15)  # ... and escalates: bram, the office's deputy, gets a copy with a link
OFFICE_DEPUTY = "    programme_office: true\n"


def _deputy_link(tmp_path: Path, url: str) -> tuple[App, str]:
    """The office (GEM's only contact, deputy bram) escalates 1.1.1; bram's link for it."""
    text = _plan_text(office_at_gem=True, anna="").replace(
        OFFICE_DEPUTY, OFFICE_DEPUTY + "    deputy: bram\n"
    )
    app = _app(tmp_path, url, text)
    deadline_check(app, ASKED)
    report = deadline_check(app, DAY)
    send_reminders(app)
    (key,) = [k for k in report.queued if k.endswith(":deputy")]
    assert ":bram:" in key
    links = LINK.findall(delivered_text(app, key))
    assert len(links) == 1
    return app, links[0][1]


def _give_gem_anna(app: App, *, deputy: bool = True) -> None:
    plan = app.settings.plan_path
    text = plan.read_text(encoding="utf-8").replace("contacts:\n", "contacts:\n" + ANNA_ALONE)
    if not deputy:
        text = text.replace("    deputy: bram\n", "")
    plan.write_text(text, encoding="utf-8")


def _updates(app: App) -> list[tuple[str, str, str | None]]:
    with app.session() as session:
        found = Repository(session, "wegen-test").status_updates()
    return [(u.item_id, u.status.value, u.author) for u in found]


def test_the_office_s_deputy_answers_through_a_link_issued_while_the_office_answered(
    tmp_path: Path, migrated_url: str
) -> None:
    app, token = _deputy_link(tmp_path, migrated_url)
    _give_gem_anna(app)  # the office no longer answers for GEM
    web: TestClient = client(app)
    form = web.get(f"/antwoord/{token}")
    assert form.status_code == 200, text(form.text)
    posted = web.post(
        f"/antwoord/{token}",
        data={"status": "at_risk", "note": "Wacht op data", "csrf_token": csrf(form.text)},
    )
    assert posted.status_code == 200, text(posted.text)
    assert _updates(app) == [("1.1.1", "at_risk", "bram")]


@RULE_ONLY
def test_a_deputy_the_plan_withdrew_is_refused_as_before(tmp_path: Path, migrated_url: str) -> None:
    app, token = _deputy_link(tmp_path, migrated_url)
    _give_gem_anna(app, deputy=False)  # and bram is the office's deputy no more
    page = client(app).get(f"/antwoord/{token}")
    assert page.status_code == 403
    assert (  # the plan changed who answers (walk54 5), not "another programme or person"
        "Dit punt ligt inmiddels bij een andere eigenaar of contactpersoon: het plan is gewijzigd."
    ) in text(page.text)
    assert _updates(app) == []


OFFICE_FLAG = "    slack: U0OFFICE\n    programme_office: true\n"
NEW_OFFICE = """  - id: pb2
    name: Nieuw Bureau
    organisation: PB
    email: bureau2@example.org
    programme_office: true
"""


@RULE_ONLY
def test_a_stand_in_request_is_chased_to_the_office_of_the_day(
    tmp_path: Path, migrated_url: str
) -> None:
    """The office (of PB) was asked as GEM's stand-in; mid-round it is demoted and pb2 is the
    office: pb2 is chased for GEM's items, not the demoted contact (review50 2)."""
    start = _plan_text(office_at_gem=False, anna="")
    assert OFFICE_FLAG in start
    edited = start.replace(OFFICE_FLAG, "    slack: U0OFFICE\n").replace(
        "  - id: bram\n", NEW_OFFICE + "  - id: bram\n"
    )
    app = _app(tmp_path, migrated_url, start)
    sent = _run_round(app, edited)
    assert ("1.1.1", "office") in _asked(app)
    chases = sorted(k for k in sent if ":chase:" in k)
    assert not [k for k in chases if ":office:" in k]
    chase = sent[f"round:1:pb2:chase:{CHASE}"]
    assert [i["id"] for i in chase.payload["items"]] == ["1.1.1", "1.1.2", "2.1"]
