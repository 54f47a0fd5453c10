"""Reminder and escalation digests rendered from the templates, in Dutch."""

from __future__ import annotations

from datetime import date

from governance.assessment import assess
from governance.planfile.load import load_plan
from governance.reminders import plan_reminders
from regie.messages import outbox_messages
from tests.conftest import SEED_PLAN
from tests.unit.asked import asked_before


def test_digests_are_dutch_and_name_every_item() -> None:
    plan = load_plan(SEED_PLAN)
    day = date(2015, 10, 1)
    assessment = assess(plan, [], day)
    reminders = plan_reminders(plan, assessment, asked_before(plan, [], day), day)
    messages = {m.key: m for m in outbox_messages(plan, assessment, reminders)}
    assert set(messages) == {d.key for d in reminders.digests} | {
        d.key for d in reminders.escalation_digests
    }
    rivm = next(m for m in messages.values() if m.recipient.startswith("rivm"))
    assert rivm.subject.endswith("Verzoek om update: 1 punt")
    assert "2.2.1 Opdrachtformulering" in rivm.body_text
    assert "deadline 30 juni 2015" in rivm.body_text  # a Dutch date, from babel
    assert "werkdagen over de deadline" in rivm.body_text
    assert rivm.email and rivm.email.endswith("@example.org")
    office = next(m for m in messages.values() if m.kind == "escalation_digest")
    assert "Escalatie" in office.subject and "aandacht" in office.subject
    escalated = {e.item_id for d in reminders.escalation_digests for e in d.escalations}
    for item in escalated:
        assert item in office.body_text
    assert office.payload["items"] and office.created_on == day
    # Owners asked a week before, who never answered: it says what is known.
    assert "over de deadline, nog geen statusupdate van de eigenaar" in office.body_text
    assert "zonder antwoord" not in office.body_text


def test_header_values_are_made_safe_again_at_rendering() -> None:
    """Defence in depth: even a plan that slipped a line break or a bidi override past the
    validator renders one-line headers (a folded ``name: >`` keeps a newline)."""
    from dataclasses import replace

    plan = load_plan(SEED_PLAN)
    plan = replace(
        plan,
        programme=replace(plan.programme, short_title="MVI\r\nBcc: x@example.org"),
        contacts=tuple(
            replace(c, name=f"{c.name}\nBcc: x@example.org\u202e", email=f"{c.email}\n")
            if c.email
            else c
            for c in plan.contacts
        ),
    )
    day = date(2015, 10, 1)
    assessment = assess(plan, [], day)
    reminders = plan_reminders(plan, assessment, [], day)
    messages = list(outbox_messages(plan, assessment, reminders))
    assert messages
    for m in messages:
        for value in (m.subject, m.recipient_name, m.email or ""):
            assert not any(ch in value for ch in "\r\n\u202e"), value
        assert m.subject.startswith("[MVI Bcc: x@example.org]")


def test_templates_read_dict_fields_as_plain_jinja_does() -> None:
    """The environment reads a dict's key first (speed); what a template sees stays Jinja's:
    keys, dict methods such as ``.get``, and a strict error for a missing field."""
    import pytest
    from jinja2 import Environment, StrictUndefined, UndefinedError

    from notifications.render import environment

    ours, plain = environment(), Environment(undefined=StrictUndefined, autoescape=True)
    item = {"title": "Nota", "items": 3, "get": "key"}
    source = "{{ x.title }} {{ x.items }} {{ x.get('title') }} {{ x['get'] }} {{ x.get }}"
    want = plain.from_string(source).render(x=item)
    assert ours.from_string(source).render(x=item) == want
    assert want.startswith("Nota &lt;built-in method items")
    with pytest.raises(UndefinedError):
        ours.from_string("{{ x.missing }}").render(x=item)


def test_the_copies_of_escalations_avoid_keys_an_earlier_run_of_the_day_took() -> None:
    """The office channel's copy and the deputies' copies take the next free key, as the
    digests do (``governance.reminders.with_free_keys``); nothing changes without ``taken``."""
    plan = load_plan(SEED_PLAN)
    day = date(2015, 10, 1)
    assessment = assess(plan, [], day)
    reminders = plan_reminders(plan, assessment, asked_before(plan, [], day), day)
    first = [m.key for m in outbox_messages(plan, assessment, reminders, office_channel="C1")]
    copies = [k for k in first if k not in {d.key for d in reminders.escalation_digests}]
    copies = [k for k in copies if not k.startswith("reminder:")]
    assert copies  # the channel's copy at least
    again = outbox_messages(plan, assessment, reminders, office_channel="C1", taken=set(first))
    keys = [m.key for m in again]
    assert [k for k in keys if k.removesuffix(":2") in copies] == [f"{k}:2" for k in copies]


def test_a_later_message_of_the_day_says_it_adds_to_the_first() -> None:
    """A key numbered by ``free_key`` (a rerun's) gets "(aanvulling)" in its subject, a line
    in its texts and Slack's intro; the day's first message of each kind gets none."""
    from dataclasses import replace

    from notifications.slack_blocks import digest_blocks
    from regie.mapping import message_from_outbox

    plan = load_plan(SEED_PLAN)
    day = date(2015, 10, 1)
    assessment = assess(plan, [], day)
    reminders = plan_reminders(plan, assessment, asked_before(plan, [], day), day)
    renamed = replace(
        reminders,
        digests=tuple(replace(d, key=f"{d.key}:2") for d in reminders.digests),
        escalation_digests=tuple(
            replace(d, key=f"{d.key}:3") for d in reminders.escalation_digests
        ),
    )
    first = {m.kind: m for m in outbox_messages(plan, assessment, reminders)}
    later = {m.kind: m for m in outbox_messages(plan, assessment, renamed)}
    assert set(first) == set(later) == {"reminder_digest", "escalation_digest"}
    for kind, m in later.items():
        before = first[kind]
        assert m.subject == before.subject.replace(": ", " (aanvulling): ", 1)
        assert "(aanvulling)" not in before.subject
        assert "per 1 oktober 2015 aan: het gaat alleen om" in " ".join(m.body_text.split())
        assert "vult" not in before.body_text
        assert m.body_html and "<strong>Aanvulling.</strong>" in m.body_html
        assert before.body_html and "Aanvulling" not in before.body_html
        intros = [
            b["text"]["text"]
            for msg in (before, m)
            for b in digest_blocks(message_from_outbox(msg))
            if b["block_id"] == "intro"
        ]
        assert "eerdere bericht" not in intros[0] and "eerdere bericht" in intros[1]


def test_the_html_escalation_names_the_steering_body_as_the_text_does() -> None:
    from dataclasses import replace

    from governance.reminders import steering_body

    seed = load_plan(SEED_PLAN)
    body = steering_body(seed)
    assert body is not None
    day = date(2015, 10, 1)
    for plan, wanted in (
        (seed, f"sturend overleg: {body.name}"),
        (replace(seed, governance=()), "het overleg dat het programma aanstuurt"),
    ):
        assessment = assess(plan, [], day)
        reminders = plan_reminders(plan, assessment, asked_before(plan, [], day), day)
        (office,) = [
            m for m in outbox_messages(plan, assessment, reminders) if m.kind == "escalation_digest"
        ]
        assert office.body_html and wanted in " ".join(office.body_html.split())
        assert wanted in " ".join(office.body_text.split())
        assert "stuurgroep" not in office.body_html


def test_a_message_queued_before_additions_were_marked_renders_again() -> None:
    """``regie.recheck`` renders a message again from the context stored with it; one queued
    by an older version has no ``addition`` there (the templates' StrictUndefined would fail),
    so its key decides."""
    from dataclasses import replace

    from regie.recheck import rerender

    plan = load_plan(SEED_PLAN)
    day = date(2015, 10, 1)
    assessment = assess(plan, [], day)
    reminders = plan_reminders(plan, assessment, [], day)
    digest = next(d for d in reminders.digests if len(d.items) > 1)
    for key, marked in ((digest.key, False), (f"{digest.key}:2", True)):
        one = replace(reminders, digests=(replace(digest, key=key),), escalation_digests=())
        (message,) = outbox_messages(plan, assessment, one)
        old = {k: v for k, v in message.payload["render"].items() if k != "addition"}
        again = rerender(message, old, {digest.items[0].item_id})
        assert ("(aanvulling)" in again.subject) is marked
        assert digest.items[0].item_id not in again.body_text
        assert digest.items[1].item_id in again.body_text


def test_one_working_day_and_one_point_are_singular() -> None:
    """ "1 werkdag", not "1 werkdagen"; "vraagt het volgende punt", not "1 punt(en)"."""
    from dataclasses import replace

    from notifications.slack_blocks import digest_blocks
    from regie.mapping import message_from_outbox

    plan = load_plan(SEED_PLAN)
    day = date(2015, 10, 1)  # Q3-2015's items are one working day late
    assessment = assess(plan, [], day)
    reminders = plan_reminders(plan, assessment, asked_before(plan, [], day), day)
    (office,) = reminders.escalation_digests
    single = replace(
        reminders, escalation_digests=(replace(office, escalations=office.escalations[:1]),)
    )
    messages = list(outbox_messages(plan, assessment, single))
    slack = [
        b["text"]["text"]
        for m in messages
        for b in digest_blocks(message_from_outbox(m))
        if b["type"] == "section"
    ]
    texts = [t for m in messages for t in (m.body_text, m.body_html or "")] + slack
    assert not any(" 1 werkdagen" in t or "punt(en)" in t for t in texts)
    assert sum("(1 werkdag over de deadline)" in m.body_text for m in messages) >= 1
    assert any("1 werkdag over de deadline" in t for t in slack)
    (escalation,) = [m for m in messages if m.kind == "escalation_digest"]
    assert "vraagt het volgende punt aandacht" in " ".join(escalation.body_text.split())
    assert "vraagt het volgende punt aandacht" in " ".join((escalation.body_html or "").split())


def test_without_answer_links_the_owner_is_asked_to_reply_not_to_run_a_command() -> None:
    """No REGIE_SECRET_KEY, no links: an owner cannot run `regie update`; they reply."""
    plan = load_plan(SEED_PLAN)
    day = date(2015, 10, 1)
    assessment = assess(plan, [], day)
    reminders = plan_reminders(plan, assessment, [], day)
    digests = [
        m for m in outbox_messages(plan, assessment, reminders) if m.kind == "reminder_digest"
    ]
    assert digests
    for m in digests:
        for text in (" ".join(m.body_text.split()), " ".join((m.body_html or "").split())):
            assert "Dat kan door op dit bericht te antwoorden" in text
            assert "regie update" not in text


def test_an_action_asked_about_itself_has_no_action_line_of_its_own() -> None:
    """An action without milestones is its own item: no bare "Actie 3.5" line under it; its
    milestones' lines name it."""
    plan = load_plan(SEED_PLAN)
    day = date(2015, 10, 1)
    assessment = assess(plan, [], day)
    reminders = plan_reminders(plan, assessment, [], day)
    action_items = [
        (d.contact_id, i.item_id)
        for d in reminders.digests
        for i in d.items
        if i.item_id == i.action_id
    ]
    assert action_items
    messages = {m.recipient: m for m in outbox_messages(plan, assessment, reminders)}
    for contact, item_id in action_items:
        lines = messages[contact].body_text.splitlines()
        at = next(n for n, line in enumerate(lines) if line.startswith(f"- {item_id} "))
        assert lines[at + 1].startswith("  Gereed: "), lines[at : at + 3]
        assert not any(line.strip() == f"Actie {item_id}" for line in lines)


def test_a_title_that_starts_with_programma_is_not_said_twice() -> None:
    """'het programma "Programma …"' read as a typo to every owner (walk32a 11); the title in
    the house's Dutch quotes „…”, not straight ones (walk56c 7)."""
    from dataclasses import replace

    plan = load_plan(SEED_PLAN)
    day = date(2015, 10, 1)
    assessment = assess(plan, [], day)
    reminders = plan_reminders(plan, assessment, [], day)
    for title, shown in [
        ("Programma Digitale Weerbaarheid", "Digitale Weerbaarheid"),
        ("programma Water 2030", "Water 2030"),
        ("Programmatuur op orde", "Programmatuur op orde"),  # another word: kept whole
        # A compound (the docs' own example title): kept whole, nothing cut from a word.
        (
            "Uitvoeringsprogramma Schone Lucht 2026–2029",
            "Uitvoeringsprogramma Schone Lucht 2026–2029",
        ),
    ]:
        renamed = replace(plan, programme=replace(plan.programme, title=title))
        digest = next(
            m
            for m in outbox_messages(renamed, assessment, reminders)
            if m.kind == "reminder_digest"
        )
        # The house's Dutch quotes, as the pages and packs write them (walk56c 7).
        assert f"het programma „{shown}”" in digest.body_text
        assert f"het programma &bdquo;{shown}&rdquo;" in (digest.body_html or "")
