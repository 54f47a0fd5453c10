"""Review walk29 finding 8: a status round's request and chase say how to answer, in both parts,
as the reminder digest does — with answer links, that the link at each item is valid for the
links' lifetime and for one use; without, that a reply to the mail reaches the office (in the
plan's own words for it), or to let the office know when a reply would reach nobody. The
request the office gets itself (for an organisation without a contact) does not ask it to
reply to itself. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from regie.answer_links import LINK_LIFETIME
from regie.bootstrap import App
from regie.rounds import run_round_day
from store import OutboxRecord, Repository
from tests.integration.answer_app import ANSWERS_PLAN, answers_app
from tests.integration.link_setup import link_app

TEXT_ONLY = pytest.mark.one_database(
    "the messages' words, from SQL this file's other PostgreSQL tests run"
)

START = date(2025, 6, 2)  # a Monday
ANSWER_BY = date(2025, 6, 20)  # a Friday
CHASE_DAY = date(2025, 6, 19)
SECOND_PLAN = ANSWERS_PLAN.parent / "second_programme.yaml"
REQUEST, CHASE = "round:1:anna:request", "round:1:anna:chase:2025-06-19"
REPLY = "Dat kan door op dit bericht te antwoorden; het programmabureau legt uw antwoord vast."


def _round(app: App, chase: bool = True) -> dict[str, OutboxRecord]:
    run_round_day(app, START, body="stuurgroep", answer_by=ANSWER_BY)
    if chase:
        run_round_day(app, CHASE_DAY)
    with app.session() as session:
        return {m.key: m for m in Repository(session, app.programme_id()).outbox()}


def _parts(record: OutboxRecord) -> tuple[str, str]:
    """Both parts with their lines joined (the text part wraps nothing, but be safe)."""
    return " ".join(record.body_text.split()), " ".join((record.body_html or "").split())


def test_with_links_both_parts_say_the_link_is_valid_for_its_lifetime_and_one_use(
    migrated_url: str, tmp_path: Path
) -> None:
    messages = _round(link_app(migrated_url, tmp_path))
    days = LINK_LIFETIME.days
    for key in (REQUEST, CHASE):
        text, html = _parts(messages[key])
        assert (
            "en zo nodig een nieuwe verwachte datum. Dat kan met de link bij elk punt "
            f"({days} dagen geldig, één keer te gebruiken)."
        ) in text, (key, text)
        assert (
            f"Dat kan met de link &bdquo;Update geven&rdquo; bij elk punt ({days} dagen geldig, "
            "&eacute;&eacute;n keer te gebruiken)."
        ) in html, (key, html)
        # A reply by mail still reaches the office: the footer says so, as the digest's does.
        for part in (text, html):
            assert "Antwoordt u op deze e-mail, dan komt uw antwoord bij het programmabureau" in (
                part
            ), (key, part)
            assert "door op dit bericht te antwoorden" not in part


@TEXT_ONLY
def test_without_links_both_parts_say_a_reply_reaches_the_office(
    migrated_url: str, tmp_path: Path
) -> None:
    messages = _round(answers_app(migrated_url, tmp_path))  # no REGIE_SECRET_KEY: no links
    for key in (REQUEST, CHASE):
        text, html = _parts(messages[key])
        assert f"en zo nodig een nieuwe verwachte datum. {REPLY}" in text, (key, text)
        assert f"en zo nodig een nieuwe verwachte datum. {REPLY}</p>" in html, (key, html)
        for part in (text, html):
            assert "dagen geldig" not in part
            assert "Antwoordt u op deze e-mail" not in part  # said once, above


@TEXT_ONLY
def test_the_reply_sentence_names_the_office_as_the_plan_does(
    migrated_url: str, tmp_path: Path
) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        ANSWERS_PLAN.read_text(encoding="utf-8").replace(
            "  short_title: Fietsroutes\n",
            "  short_title: Fietsroutes\n  office_name: Projectsecretariaat\n"
            "  office_article: de\n",
        ),
        encoding="utf-8",
    )
    messages = _round(answers_app(migrated_url, tmp_path / "home", plan=plan), chase=False)
    for part in _parts(messages[REQUEST]):
        assert (
            "Dat kan door op dit bericht te antwoorden; de projectsecretariaat legt uw antwoord"
            " vast."
        ) in part
        assert "programmabureau" not in part


@TEXT_ONLY
def test_without_a_reply_to_the_request_asks_to_let_the_office_know(
    migrated_url: str, tmp_path: Path
) -> None:
    """No REGIE_MAIL_REPLY_TO and an office without an e-mail address: a reply reaches nobody."""
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        ANSWERS_PLAN.read_text(encoding="utf-8").replace("    email: bureau@example.org\n", ""),
        encoding="utf-8",
    )
    messages = _round(answers_app(migrated_url, tmp_path / "home", plan=plan), chase=False)
    for part in _parts(messages[REQUEST]):
        assert "Laat het programmabureau dat weten; uw antwoord wordt daar vastgelegd." in part
        assert "door op dit bericht te antwoorden" not in part


@pytest.mark.parametrize("links", [False, True], ids=["links-off", "links-on"])
def test_the_office_answering_for_an_organisation_is_not_asked_to_reply_to_itself(
    migrated_url: str, tmp_path: Path, links: bool
) -> None:
    """*gemeenten* has no contact: the office is asked about 2.1; Logius about its own."""
    make = link_app if links else answers_app
    app = make(migrated_url, tmp_path, plan=SECOND_PLAN)
    run_round_day(app, date(2024, 6, 3), body="programmaraad", answer_by=date(2024, 6, 14))
    with app.session() as session:
        messages = {m.key: m for m in Repository(session, app.programme_id()).outbox()}
    for part in _parts(messages["round:1:office:request"]):
        assert "antwoorden" not in part.replace("Antwoorden:", "")
        assert "Antwoordt u op deze e-mail" not in part
        assert ("dagen geldig" in part) is links  # its own links it may use
    for part in _parts(messages["round:1:logius-contact:request"]):
        assert ("door op dit bericht te antwoorden" in part) is not links
