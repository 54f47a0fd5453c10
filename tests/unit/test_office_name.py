"""Review "newprog" finding 12: a programme names its own office (``programme.office_name``,
``programme.office_article``) in every message, mail and Slack; by default the wording stays
"Programmabureau …"/"het programmabureau". And a message invites a reply by mail only when
a reply reaches the office."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from governance.assessment import assess
from governance.office_names import office_names
from governance.plan import Plan
from governance.planfile import validate_plan_file
from governance.planfile.load import load_plan
from governance.reminders import Escalation, EscalationDigest, plan_reminders
from notifications.base import Message
from notifications.render import render
from notifications.slack_blocks import digest_blocks
from regie.messages import digest_message, escalation_message
from store.records import OutboxRecord
from tests.conftest import SEED_PLAN

BE_PLAN = Path(__file__).resolve().parents[1] / "fixtures" / "plans" / "circulair_bouwen_be.yaml"
DAY = date(2025, 9, 25)  # 1.1 (OVAM, due 30 September) is asked about for the first time
SIGNED = "Programmasecretariaat Circulair Bouwen"


def _be(**programme: str) -> Plan:
    plan = load_plan(BE_PLAN)
    return replace(plan, programme=replace(plan.programme, **programme)) if programme else plan


def _digest(plan: Plan, *, reply_to: bool = True, contact: str = "ovam") -> OutboxRecord:
    assessment = assess(plan, [], DAY)
    reminders = plan_reminders(plan, assessment, [], DAY)
    (digest,) = [d for d in reminders.digests if d.contact_id == "ovam"]
    digest = replace(digest, contact_id=contact)

    def linker(contact: str, item: str, key: str) -> str:
        return f"https://regie.example/a/{contact}/{item}"

    return digest_message(plan, digest, assessment, linker, reply_to=reply_to)


def _escalation(plan: Plan, *, deputy: bool = False) -> OutboxRecord:
    assessment = assess(plan, [], DAY)
    esc = Escalation("1.1", "r", ("ovam",), "esc:1.1", "unanswered", prompts=2)
    digest = EscalationDigest("secretariaat", DAY, (esc,), "escalation:cb:secretariaat")
    if not deputy:
        return escalation_message(plan, digest, assessment)
    return escalation_message(
        plan,
        replace(digest, contact_id="ovam", key="escalation:cb:ovam:deputy"),
        assessment,
        deputy_for=["B. Collega"],
        linker=lambda c, i, k: f"https://regie.example/a/{c}/{i}",
    )


def _slack(record: OutboxRecord) -> str:
    message = Message(
        key=record.key,
        kind=record.kind,
        recipient=record.recipient,
        recipient_name=record.recipient_name,
        subject=record.subject,
        text=record.body_text,
        metadata=dict(record.payload),
    )
    return str(digest_blocks(message))


def test_the_plan_names_its_office() -> None:
    plan = load_plan(BE_PLAN)
    assert plan.programme.office_name == "Programmasecretariaat"
    names = office_names(plan.programme)
    assert (names.the, names.The) == ("het programmasecretariaat", "Het programmasecretariaat")
    assert names.signature("Circulair Bouwen") == SIGNED
    # An article of its own, and an abbreviation keeps its capitals.
    assert office_names({"office_name": "Programmadirectie", "office_article": "de"}).the == (
        "de programmadirectie"
    )
    assert office_names({"office_name": "PMO"}).the == "het PMO"
    # Without the fields (a plan or a stored message from before): today's wording.
    assert office_names(load_plan(SEED_PLAN).programme).the == "het programmabureau"
    assert office_names({}).signature("MVI") == "Programmabureau MVI"


def test_an_unknown_office_article_is_a_plan_problem(tmp_path: Path) -> None:
    text = BE_PLAN.read_text(encoding="utf-8").replace(
        "  office_name: Programmasecretariaat", "  office_name: Secretariaat\n  office_article: den"
    )
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    _, problems = validate_plan_file(path)
    assert len(problems) == 1
    assert "office_article 'den' must be 'het' or 'de'" in str(problems[0])


def test_every_message_names_the_plans_own_office() -> None:
    plan = _be()
    texts = {}
    for name, record in {
        "digest": _digest(plan),
        "digest without reply": _digest(plan, reply_to=False),
        "escalation": _escalation(plan),
        "deputy": _escalation(plan, deputy=True),
    }.items():
        texts[f"{name} text"] = record.body_text
        texts[f"{name} html"] = record.body_html or ""
        texts[f"{name} slack"] = _slack(record)
    texts["test text"] = render("test.txt.j2", contact=plan.contacts[1], programme=plan.programme)
    texts["test html"] = render("test.html.j2", contact=plan.contacts[1], programme=plan.programme)
    texts["slack more"] = render("slack/more.md.j2", count=3, office=_digest(plan).payload)
    for name, text in texts.items():
        assert "rogrammabureau" not in text, name
    flat = {name: " ".join(text.split()) for name, text in texts.items()}
    for name in ("digest text", "digest html", "test text", "test html"):
        assert SIGNED in flat[name], name
    assert "bij het programmasecretariaat terecht, dat het met de hand" in flat["digest html"]
    assert "aandacht van het programmasecretariaat" in flat["escalation text"]
    assert "aandacht van het programmasecretariaat" in flat["escalation html"]
    assert "aandacht van het programmasecretariaat" in flat["escalation slack"]
    assert "geëscaleerd naar het programmasecretariaat" in flat["deputy slack"]
    assert "het programmasecretariaat terecht, dat het met de hand" in flat["deputy text"]
    assert "het programmasecretariaat stuurt u graag" in flat["slack more"]


def test_a_de_word_office_reads_as_dutch() -> None:
    plan = _be(office_name="Programmadirectie", office_article="de")
    text = " ".join(_escalation(plan, deputy=True).body_text.split())
    assert "bij de programmadirectie terecht, die het met de hand vastlegt" in text
    assert "Programmadirectie Circulair Bouwen" in " ".join(_digest(plan).body_text.split())


def test_the_default_wording_is_unchanged() -> None:
    plan = _be(office_name=None)  # type: ignore[arg-type]
    record = _digest(plan)
    assert "Programmabureau Circulair Bouwen" in " ".join(record.body_text.split())
    assert "office_name" not in record.payload  # payloads stay as they were


@pytest.mark.parametrize("part", ["body_text", "body_html"])
def test_a_reply_by_mail_is_invited_only_when_it_reaches_the_office(part: str) -> None:
    plan = _be()
    # No answer links (no REGIE_SECRET_KEY): the text asks for a reply when one arrives.
    assessment = assess(plan, [], DAY)
    (digest,) = plan_reminders(plan, assessment, [], DAY).digests

    def words(record: OutboxRecord) -> str:
        return " ".join(str(getattr(record, part)).split())

    with_reply = words(digest_message(plan, digest, assessment, None, reply_to=True))
    assert "op dit bericht te antwoorden" in with_reply
    without = words(digest_message(plan, digest, assessment, None, reply_to=False))
    assert "antwoorden" not in without and "Antwoordt u" not in without
    assert "Laat het programmasecretariaat dat weten" in without
    # A contact without an e-mail address (Slack only): a reply reaches nobody either.
    slack_only = replace(
        plan,
        contacts=tuple(
            replace(c, email=None, slack="U0OVAM001") if c.id == "ovam" else c
            for c in plan.contacts
        ),
    )
    on_slack = words(digest_message(slack_only, digest, assessment, None, reply_to=True))
    assert "antwoorden" not in on_slack and "Antwoordt u" not in on_slack


@pytest.mark.parametrize("part", ["body_text", "body_html"])
def test_the_footer_invites_a_reply_only_when_it_reaches_the_office(part: str) -> None:
    plan = _be()
    linked = " ".join(str(getattr(_digest(plan), part)).split())
    assert "Antwoordt u op deze e-mail, dan komt uw antwoord bij het programmasecretariaat" in (
        linked
    )
    silent = " ".join(str(getattr(_digest(plan, reply_to=False), part)).split())
    assert "Antwoordt u" not in silent
    assert "https://regie.example/a/ovam/1.1" in silent  # the link still answers


def test_answers_and_refusals_name_the_plans_office() -> None:
    from governance.answers import Refusal, standing
    from governance.updates import StatusUpdate, UpdateStatus
    from regie.slack_modals import modal, standing_text
    from regie.texts import refusal_text

    plan = _be()
    assert refusal_text(Refusal.OFFICE_ONLY, plan.programme) == (
        "Alleen het programmasecretariaat kan een punt laten vervallen."
    )
    # "Contact left" says why only; the page names whom to contact once (walk30 11).
    assert "rogramma" not in refusal_text(Refusal.LINK_DEPARTED, plan.programme)
    # By default, and for every other reason, the words are as they were.
    assert refusal_text(Refusal.OFFICE_ONLY) == (
        "Alleen het programmabureau kan een punt laten vervallen."
    )
    others = [r for r in Refusal if "programmabureau" not in refusal_text(r)]
    assert all(refusal_text(r, plan.programme) == refusal_text(r) for r in others)
    cancelled = StatusUpdate("1.1", UpdateStatus.CANCELLED, date(2025, 9, 1), author="secretariaat")
    shown = standing(plan, cancelled)
    assert shown is not None and shown.by == "het programmasecretariaat"
    assert standing_text(plan, cancelled, None) == (
        "Vervallen gemeld door het programmasecretariaat op 1 september 2025."
    )
    form = str(modal(plan, "1.1", "D1", "1.0"))
    assert "Het programmasecretariaat leest dit" in form and "rogrammabureau" not in form


def test_the_item_pages_events_name_the_plans_office() -> None:
    from web.templating import environment

    page = environment().from_string(
        '{% from "_item.html.j2" import event with context %}'
        '{{ event("regie.escalation.raised") }} | {{ event("regie.update.redacted") }}'
    )
    shown = page.render(office_words=office_names(_be().programme))
    assert shown == (
        "geëscaleerd naar het programmasecretariaat | toelichting van een statusupdate "
        "verwijderd door het programmasecretariaat (AVG)"
    )
    assert "naar het programmabureau" in page.render(office_words=office_names())
