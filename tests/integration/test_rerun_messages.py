"""A rerun of a day (after an owner's answer or a plan edit) queues what it prompts anew.

Each digest's outbox key is per contact and day; a rerun's digest under the morning's key was
taken for the morning's message and dropped, while its prompts were recorded as sent: the
reminder was lost. SQLite and PostgreSQL (the ``database_url`` fixture).
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from pathlib import Path

from governance.periods import Period, PeriodKind
from governance.plan import Plan
from governance.planfile.load import load_plan
from governance.reminders import digest_key, recipients
from notifications.render import format_date_nl
from regie.cycle import deadline_check, send_reminders
from store import Repository
from store.office import reminders_for
from store.records import OutboxRecord
from tests.conftest import SEED_PLAN
from tests.integration.test_cycle import make_app

DAY = date(2015, 10, 5)
ASKED = date(2015, 9, 28)  # five working days before: the owners' grace has passed by DAY


def _with_new_milestone(
    plan: Plan, contacts: set[str], due: date = DAY + timedelta(days=4)
) -> tuple[Plan, str, str]:
    """``plan`` with a milestone added to the first action one of ``contacts`` owns, due on
    ``due`` (by default in four days: its prompt window open); its id and that contact."""
    action = next(
        a for a in plan.actions() if a.milestones and set(recipients(plan, a.owners)) & contacts
    )
    contact = sorted(set(recipients(plan, action.owners)) & contacts)[0]
    new = dataclasses.replace(
        action.milestones[0],
        id=f"{action.id}.99",
        title="Nieuwe mijlpaal",
        period=Period(PeriodKind.DATE, due.isoformat(), due, due),
    )
    steps = tuple(
        dataclasses.replace(
            step,
            actions=tuple(
                dataclasses.replace(a, milestones=(*a.milestones, new)) if a.id == action.id else a
                for a in step.actions
            ),
        )
        for step in plan.steps
    )
    return dataclasses.replace(plan, steps=steps, source_hash="edited"), new.id, contact


def _says_it_adds(message: OutboxRecord, day: date) -> None:
    """A rerun's message: "(aanvulling)" in its subject, and a line saying so in its texts."""
    assert "(aanvulling):" in message.subject, message.subject
    dated = f"per {format_date_nl(day)} aan"
    assert "Dit bericht vult" in message.body_text and dated in message.body_text
    assert message.body_html and "<strong>Aanvulling.</strong>" in message.body_html
    assert message.payload["addition"] is True  # what Slack's intro reads


def test_a_rerun_queues_its_new_prompts_under_a_key_of_their_own(
    tmp_path: Path, database_url: str
) -> None:
    app = make_app(tmp_path, database_url)
    seed = load_plan(SEED_PLAN)
    pid = seed.programme.id
    morning = deadline_check(app, DAY, plan=seed)
    assert sorted(send_reminders(app).sent) == sorted(morning.queued)  # the file outbox
    with app.session() as session:
        before = {m.key: m for m in Repository(session, pid).outbox()}
    assert set(morning.queued) == set(before)
    assert {m.status for m in before.values()} == {"sent"}
    reminded = {m.recipient for m in before.values() if m.kind == "reminder_digest"}
    edited, item, contact = _with_new_milestone(seed, reminded)
    rerun = deadline_check(app, DAY, plan=edited)
    assert rerun.incremental
    morning_key = digest_key(pid, contact, DAY)
    assert morning_key in before
    assert f"{morning_key}:2" in rerun.queued
    with app.session() as session:
        repo = Repository(session, pid)
        after = {m.key: m for m in repo.outbox()}
        prompted = [p for p in repo.prompt_history(DAY) if p.item_id == item]
        shown = reminders_for(session, pid, item)
        carried = {
            e.payload["contact"]: e.payload["digest"]
            for e in repo.events(since=DAY)
            if e.name == "regie.reminder.queued" and e.item_id == item
        }
    # Every prompt recorded for the new item went out in a message of this run, and the
    # morning's messages are as they were.
    assert prompted and {p.contact_id for p in prompted} == set(carried)
    for p in prompted:
        message = after[carried[p.contact_id]]
        assert message.key in rerun.queued and item in message.body_text
    assert all(after[k] == m for k, m in before.items())
    # The rerun's messages say they add to the morning's; the morning's said nothing of it.
    for key in rerun.queued:
        _says_it_adds(after[key], DAY)
    assert not any("aanvulling" in m.subject or "vult" in m.body_text for m in before.values())
    # The office's item page names the second digest's delivery for those prompts (not the
    # morning's, sent).
    assert {r.contact_id: r.status for r in shown} == {p.contact_id: "pending" for p in prompted}
    # A third run of the day prompts nothing new and queues nothing.
    third = deadline_check(app, DAY, plan=edited)
    assert third.queued == []


def test_a_rerun_escalates_anew_in_a_digest_of_its_own(tmp_path: Path, database_url: str) -> None:
    """A milestone restored to the plan at noon (taken out in the morning), long overdue, its
    owner asked a week before and silent, escalates on the rerun (an item escalates only once
    its owner was asked and had the grace). The office's morning digest is sent; the new
    escalation goes in a second one, and the item page shows that one's delivery."""
    app = make_app(tmp_path, database_url)
    seed = load_plan(SEED_PLAN)
    pid = seed.programme.id
    owners = {c.id for c in seed.contacts if not c.programme_office}
    edited, item, _ = _with_new_milestone(seed, owners, due=DAY - timedelta(days=60))
    deadline_check(app, ASKED, plan=edited)  # everyone asked, the milestone's owner too
    send_reminders(app)
    morning = deadline_check(app, DAY, plan=seed)
    send_reminders(app)
    escalated = [k for k in morning.queued if k.startswith("escalation:")]
    assert escalated  # the office's escalation digest of the morning, sent
    with app.session() as session:
        before = {m.key: m for m in Repository(session, pid).outbox()}
    rerun = deadline_check(app, DAY, plan=edited)
    assert rerun.incremental
    again = sorted(f"{k}:2" for k in escalated if ":deputy" not in k)
    assert set(again) <= set(rerun.queued)
    with app.session() as session:
        repo = Repository(session, pid)
        after = {m.key: m for m in repo.outbox()}
        raised = [
            e for e in repo.events(since=DAY) if e.name == "regie.escalation.raised"
            and e.item_id == item
        ]  # fmt: skip
        prompts = [p for p in repo.prompt_history(DAY) if p.item_id == item]
        shown = reminders_for(session, pid, item)
    (event,) = raised
    contacts = str(event.payload["contacts"]).split(",")
    carriers = str(event.payload["digests"]).split(",")
    assert len(carriers) == len(contacts) and set(carriers) <= set(again)
    for key in carriers:
        assert item in after[key].body_text and before[key.removesuffix(":2")].status == "sent"
        _says_it_adds(after[key], DAY)
    escalation_prompts = {(p.stage, p.contact_id) for p in prompts if p.stage.startswith("esc")}
    assert escalation_prompts == {(event.payload["key"], c) for c in contacts}
    # The page: the escalation's prompts are pending in the rerun's digest, not the
    # morning's sent one.
    assert {(r.stage, r.contact_id): r.status for r in shown if r.stage.startswith("esc")} == {
        prompt: "pending" for prompt in escalation_prompts
    }
