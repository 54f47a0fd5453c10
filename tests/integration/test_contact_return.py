"""Withdrawn prompts after the contact comes back, and withdrawn escalations.

A contact whose address changes and changes back (the same person, reached as before) lost the
messages withdrawn in between: those were never sent, so the next cycle asks again, once — not
every day after. An escalation withdrawn from a programme-office contact who left counts as not
raised: the next cycle raises it to the current office contact, once. SQLite and PostgreSQL
(the ``database_url`` fixture).
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from pathlib import Path

from governance.plan import Plan
from governance.planfile.load import load_plan
from regie.bootstrap import App
from regie.cycle import deadline_check, send_reminders
from store import OutboxRecord, Repository, sync_plan
from tests.conftest import SEED_PLAN
from tests.integration.test_contact_handover import _leaver
from tests.integration.test_cycle import make_app

DAY = date(2015, 10, 5)  # a Monday
NEXT = date(2015, 10, 6)
AFTER = date(2015, 10, 7)
NOW = datetime(2015, 10, 5, 16, 0, tzinfo=UTC)


def _sync(app: App, plan: Plan, now: datetime = NOW) -> str:
    with app.session() as session, session.begin():
        return sync_plan(session, plan, now=now, plan_path=str(plan.path)).describe()


def _outbox(app: App, plan: Plan) -> list[OutboxRecord]:
    with app.session() as session:
        return Repository(session, plan.programme.id).outbox()


def _with_email(plan: Plan, contact_id: str, email: str) -> Plan:
    contacts = tuple(
        dataclasses.replace(c, email=email) if c.id == contact_id else c for c in plan.contacts
    )
    return dataclasses.replace(plan, contacts=contacts)


def test_a_contact_back_at_the_old_address_is_asked_again_once(
    tmp_path: Path, database_url: str
) -> None:
    app = make_app(tmp_path, database_url)
    seed = load_plan(SEED_PLAN)
    deadline_check(app, DAY, plan=seed)  # queued, not sent
    person, items = _leaver(seed, app)
    address = next(c.email for c in seed.contacts if c.id == person)
    assert "withdrawn" in _sync(app, _with_email(seed, person, "tijdelijk@example.org"))
    # The same person back at the same address (a typo undone): nothing left to withdraw.
    assert "withdrawn" not in _sync(app, _with_email(seed, person, address or ""))

    deadline_check(app, NEXT, plan=seed)
    sent = send_reminders(app).sent
    asked = {i["id"] for i in items}
    again = [m for m in _outbox(app, seed) if m.recipient == person and m.created_on == NEXT]
    assert len(again) == 1 and again[0].key in sent  # never sent, so asked again: not lost
    assert asked <= {i["id"] for i in again[0].payload["items"]}
    assert again[0].email == address

    deadline_check(app, AFTER, plan=seed)
    later = [
        i["id"]
        for m in _outbox(app, seed)
        if m.recipient == person and m.created_on == AFTER
        for i in m.payload["items"]
    ]
    assert not asked & set(later), later  # asked on NEXT: not again every day


OCTOBER_1 = date(2015, 10, 1)  # the seed's office gets an escalation digest (2.2.1, 2.3.1)
OCTOBER_2 = date(2015, 10, 2)
OCTOBER_5 = date(2015, 10, 5)
# The owners asked (and sent) a week before: an item escalates only after the owner's grace.
ASKED = date(2015, 9, 24)


def _new_office(plan: Plan) -> Plan:
    """``plan`` with its programme-office contact replaced by a successor."""
    contacts = tuple(
        dataclasses.replace(c, id="bureau-nieuw", name="Nieuw Bureau", email="nieuw@example.org")
        if c.programme_office
        else c
        for c in plan.contacts
    )
    return dataclasses.replace(plan, contacts=contacts, source_hash="new-office")


def _escalated(app: App, plan: Plan, day: date) -> dict[str, list[str]]:
    """Recipient → the items escalated to them on ``day``."""
    return {
        m.recipient: [i["id"] for i in m.payload["items"]]
        for m in _outbox(app, plan)
        if m.kind == "escalation_digest" and m.created_on == day and m.status != "suppressed"
    }


def test_an_escalation_withdrawn_from_an_office_contact_who_left_is_raised_to_the_successor(
    tmp_path: Path, database_url: str
) -> None:
    app = make_app(tmp_path, database_url)
    seed = load_plan(SEED_PLAN)
    office = next(c.id for c in seed.contacts if c.programme_office)
    deadline_check(app, ASKED, plan=seed)
    send_reminders(app)
    deadline_check(app, OCTOBER_1, plan=seed)  # queued, not sent
    raised = _escalated(app, seed, OCTOBER_1)[office]
    assert raised
    edited = _new_office(seed)
    line = _sync(app, edited, datetime(2015, 10, 1, 16, 0, tzinfo=UTC))
    assert f"archived: {office}" in line and "withdrawn" in line, line

    deadline_check(app, OCTOBER_2, plan=edited)
    assert set(raised) <= set(_escalated(app, edited, OCTOBER_2).get("bureau-nieuw", []))
    send_reminders(app)
    deadline_check(app, OCTOBER_5, plan=edited)
    assert not set(raised) & set(_escalated(app, edited, OCTOBER_5).get("bureau-nieuw", []))


def test_an_office_contact_back_at_the_old_address_gets_the_escalation_once(
    tmp_path: Path, database_url: str
) -> None:
    app = make_app(tmp_path, database_url)
    seed = load_plan(SEED_PLAN)
    office = next(c for c in seed.contacts if c.programme_office)
    deadline_check(app, ASKED, plan=seed)
    send_reminders(app)
    deadline_check(app, OCTOBER_1, plan=seed)
    raised = _escalated(app, seed, OCTOBER_1)[office.id]
    moment = datetime(2015, 10, 1, 16, 0, tzinfo=UTC)
    assert "withdrawn" in _sync(app, _with_email(seed, office.id, "elders@example.org"), moment)
    _sync(app, seed, moment)

    deadline_check(app, OCTOBER_2, plan=seed)
    assert set(raised) <= set(_escalated(app, seed, OCTOBER_2).get(office.id, []))
    send_reminders(app)
    deadline_check(app, OCTOBER_5, plan=seed)
    assert not set(raised) & set(_escalated(app, seed, OCTOBER_5).get(office.id, []))
