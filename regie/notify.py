"""Send one test message to a contact (``regie notify test``): a set-up check for the office.

The test goes through the outbox like every other message: queued with a key of its own
(``test:<contact>:<time>``, so it can never stand in for, or block, a real reminder), then
sent on its own at once. It is tried once only: a failed test is reported now and never
retried later, when the office has long moved on.
"""

from __future__ import annotations

from regie.bootstrap import App
from regie.errors import InvalidInput, RegieError


def send_test(app: App, contact_id: str) -> list[str]:
    from governance.planfile.nodes import suggest
    from notifications.render import render
    from regie.cycle import send_reminders
    from regie.programme_guard import said_in_one_line
    from regie.reasons import in_english
    from regie.services import utcnow
    from store import Repository, sync_plan
    from store.outbox import TEST_KIND
    from store.records import OutboxRecord

    plan = app.load_plan()
    contact = next((c for c in plan.contacts if c.id == contact_id), None)
    if contact is None:
        ids = [c.id for c in plan.contacts]
        raise InvalidInput(f"unknown contact {contact_id!r}{suggest(contact_id, ids)}")
    programme = plan.programme
    context = {"contact": contact, "programme": programme}
    now = utcnow()
    key = f"test:{contact.id}:{now.strftime('%Y%m%dT%H%M%S.%fZ')}"
    message = OutboxRecord(
        key=key,
        kind=TEST_KIND,
        recipient=contact.id,
        recipient_name=contact.name,
        subject=render("test.subject.j2", **context).strip(),
        body_text=render("test.txt.j2", **context),
        email=contact.email,
        slack=contact.slack,
        body_html=render("test.html.j2", **context),
        payload={"programme": programme.short_title or programme.title, "items": []},
    )
    with app.writing(), app.session() as session, session.begin(), said_in_one_line(app):
        sync_plan(session, plan, now=now, plan_path=str(plan.path))  # the outbox's programme
        Repository(session, programme.id).enqueue([message])
    report = send_reminders(app, keys=[key], max_attempts=1)
    for failed_key, reason in report.failed:
        if failed_key == key:
            raise RegieError(f"{contact.id}: not sent: {in_english(reason)}")
    with app.session() as session:
        sent = Repository(session, programme.id).outbox_message(key)
    if sent is None or sent.status != "sent":
        status = "missing" if sent is None else sent.status
        raise RegieError(f"{contact.id}: not sent: the test message is {status} in the outbox")
    lines = [f"{contact.id}: test message sent via {sent.channel} ({sent.external_id})"]
    lines.extend(f"  note: {in_english(note)}" for k, note in report.notes if k == key)
    return lines
