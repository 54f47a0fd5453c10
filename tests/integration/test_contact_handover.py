"""A contact who leaves (or moves) while messages to them wait in the outbox.

The sync withdraws those unsent messages (status 'suppressed', an event naming the contact and
the messages), and their prompts stop counting: the next cycle asks the organisation's current
contact, and the escalation rules do not count a prompt nobody received. A message already sent
stays sent. SQLite and PostgreSQL (the ``database_url`` fixture).
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from pathlib import Path

from governance.plan import Contact, Plan
from governance.planfile.load import load_plan
from governance.reminders import PromptQuestion
from regie.bootstrap import App
from regie.cycle import deadline_check, send_reminders
from store import Repository, sync_plan
from store.outbox import WITHDRAWN, WITHDRAWN_EVENT
from store.prompt_facts import prompt_facts
from tests.conftest import SEED_PLAN
from tests.integration.test_cycle import make_app

DAY = date(2015, 10, 5)  # a Monday
NEXT = date(2015, 10, 6)
NOW = datetime(2015, 10, 5, 16, 0, tzinfo=UTC)


def _leaver(plan: Plan, app: App) -> tuple[str, list[dict[str, str]]]:
    """A contact, the only one of its organisation, whose digest of DAY is in the outbox;
    the items (id, stage) it prompts."""
    with app.session() as session:
        digests = [
            m
            for m in Repository(session, plan.programme.id).outbox()
            if m.kind == "reminder_digest"
        ]
    for m in digests:
        person = next(c for c in plan.contacts if c.id == m.recipient)
        if person.programme_office:
            continue
        if [c.id for c in plan.contacts if c.organisation == person.organisation] == [person.id]:
            return person.id, [{"id": i["id"], "stage": i["stage"]} for i in m.payload["items"]]
    raise AssertionError("no single contact of an organisation was prompted on DAY")


def _replaced(plan: Plan, leaver: str) -> tuple[Plan, Contact]:
    """``plan`` with ``leaver`` replaced by a successor (a new id and address)."""
    old = next(c for c in plan.contacts if c.id == leaver)
    new = dataclasses.replace(
        old, id="opvolger", name="O. Opvolger", email="opvolger@example.org", slack=None
    )
    contacts = tuple(new if c.id == leaver else c for c in plan.contacts)
    return dataclasses.replace(plan, contacts=contacts, source_hash="handover"), new


def _sync(app: App, plan: Plan) -> str:
    with app.session() as session, session.begin():
        return sync_plan(session, plan, now=NOW, plan_path=str(plan.path)).describe()


def test_unsent_messages_to_a_contact_who_left_are_withdrawn_and_the_successor_asked(
    tmp_path: Path, database_url: str
) -> None:
    app = make_app(tmp_path, database_url)
    seed = load_plan(SEED_PLAN)
    pid = seed.programme.id
    deadline_check(app, DAY, plan=seed)  # queued, not sent (the SMTP server was down)
    leaver, items = _leaver(seed, app)
    edited, successor = _replaced(seed, leaver)
    line = _sync(app, edited)
    assert f"contacts created: opvolger; archived: {leaver}" in line, line
    assert "1 unsent message withdrawn" in line and f"({leaver})" in line, line

    sent = send_reminders(app).sent
    with app.session() as session:
        repo = Repository(session, pid)
        outbox = {m.key: m for m in repo.outbox()}
        events = [e for e in repo.events() if e.name == WITHDRAWN_EVENT]
    assert not [k for k in sent if outbox[k].recipient == leaver]  # nothing went to the leaver
    withdrawn = [m for m in outbox.values() if m.recipient == leaver]
    assert [m.status for m in withdrawn] == ["suppressed"]
    assert (withdrawn[0].last_error or "").startswith(WITHDRAWN + f"contact {leaver}:")
    assert [(e.payload["contact"], e.payload["messages"]) for e in events] == [
        (leaver, [withdrawn[0].key])
    ]

    # The withdrawn prompts count for nothing: neither as the stage prompted nor as unanswered.
    questions = {
        i["id"]: PromptQuestion(i["stage"], f"escalation:{i['id']}:none:", None, None, None)
        for i in items
    }
    with app.session() as session:
        facts = prompt_facts(session, pid, DAY, questions)
    assert all(not f.stage_prompted and not f.unanswered for f in facts.values()), facts

    # The next cycle asks the successor about those items.
    deadline_check(app, NEXT, plan=edited)
    with app.session() as session:
        to_successor = [
            m
            for m in Repository(session, pid).outbox()
            if m.recipient == successor.id and m.created_on == NEXT
        ]
    assert len(to_successor) == 1
    assert {i["id"] for i in items} <= {i["id"] for i in to_successor[0].payload["items"]}
    assert to_successor[0].email == "opvolger@example.org"


def test_a_sent_message_stays_sent_and_is_not_asked_again(
    tmp_path: Path, database_url: str
) -> None:
    app = make_app(tmp_path, database_url)
    seed = load_plan(SEED_PLAN)
    pid = seed.programme.id
    deadline_check(app, DAY, plan=seed)
    leaver, items = _leaver(seed, app)
    send_reminders(app)
    edited, successor = _replaced(seed, leaver)
    line = _sync(app, edited)
    assert "withdrawn" not in line, line
    with app.session() as session:
        repo = Repository(session, pid)
        assert {m.status for m in repo.outbox() if m.recipient == leaver} == {"sent"}
        assert not [e for e in repo.events() if e.name == WITHDRAWN_EVENT]
    deadline_check(app, NEXT, plan=edited)
    with app.session() as session:
        again = [
            i["id"]
            for m in Repository(session, pid).outbox()
            if m.recipient == successor.id
            for i in m.payload["items"]
        ]
    assert not {i["id"] for i in items} & set(again)  # the stage was prompted: not twice


def test_a_new_address_withdraws_and_a_contacts_file_change_is_synced(
    tmp_path: Path, database_url: str
) -> None:
    """Another e-mail address for the same contact withdraws the message queued to the old one;
    a change of contacts alone (REGIE_CONTACTS, the plan file's hash unchanged) is synced."""
    app = make_app(tmp_path, database_url)
    seed = load_plan(SEED_PLAN)
    deadline_check(app, DAY, plan=seed)
    leaver, _ = _leaver(seed, app)
    moved = dataclasses.replace(
        seed,
        contacts=tuple(
            dataclasses.replace(c, email="nieuw@example.org") if c.id == leaver else c
            for c in seed.contacts
        ),
    )
    assert moved.source_hash == seed.source_hash  # as a contacts file leaves it
    line = _sync(app, moved)
    assert "1 changed" in line and "1 unsent message withdrawn" in line, line
    with app.session() as session:
        repo = Repository(session, seed.programme.id)
        [message] = [m for m in repo.outbox() if m.recipient == leaver]
    assert message.status == "suppressed"
    assert "e-mail address changed" in (message.last_error or "")
