"""Reminder and escalation digests rendered from the templates, in Dutch."""

from __future__ import annotations

from datetime import date

from governance.assessment import assess
from governance.planfile.load import load_plan
from governance.reminders import plan_reminders
from regie.messages import outbox_messages
from tests.conftest import SEED_PLAN


def test_digests_are_dutch_and_name_every_item() -> None:
    plan = load_plan(SEED_PLAN)
    day = date(2015, 10, 1)
    assessment = assess(plan, [], day)
    reminders = plan_reminders(plan, assessment, [], day)
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
    reminders = plan_reminders(plan, assessment, [], day)
    first = [m.key for m in outbox_messages(plan, assessment, reminders, office_channel="C1")]
    copies = [k for k in first if k not in {d.key for d in reminders.escalation_digests}]
    copies = [k for k in copies if not k.startswith("reminder:")]
    assert copies  # the channel's copy at least
    again = outbox_messages(plan, assessment, reminders, office_channel="C1", taken=set(first))
    keys = [m.key for m in again]
    assert [k for k in keys if k.removesuffix(":2") in copies] == [f"{k}:2" for k in copies]
