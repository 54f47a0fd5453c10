"""Send one test message to a contact (``regie notify test``): a set-up check for the office.

A diagnostic outside the outbox: it carries a key of its own (``test:<contact>:<time>``), so it
can never stand in for, or block, a real reminder.
"""

from __future__ import annotations

from regie.bootstrap import App, first_line
from regie.errors import InvalidInput, RegieError


def send_test(app: App, contact_id: str) -> list[str]:
    from governance.planfile.nodes import suggest
    from notifications.base import ChannelDown, Message, NotifierError
    from notifications.render import render
    from regie.services import utcnow

    plan = app.load_plan()
    contact = next((c for c in plan.contacts if c.id == contact_id), None)
    if contact is None:
        ids = [c.id for c in plan.contacts]
        raise InvalidInput(f"unknown contact {contact_id!r}{suggest(contact_id, ids)}")
    programme = plan.programme
    context = {"contact": contact, "programme": programme}
    now = utcnow()
    message = Message(
        key=f"test:{contact.id}:{now.strftime('%Y%m%dT%H%M%S.%fZ')}",
        kind="test",
        recipient=contact.id,
        recipient_name=contact.name,
        subject=render("test.subject.j2", **context).strip(),
        text=render("test.txt.j2", **context),
        email=contact.email,
        slack=contact.slack,
        html=render("test.html.j2", **context),
        metadata={"programme": programme.short_title or programme.title, "items": []},
        queued_at=now,
    )
    notifier = app.notifier(plan)
    try:
        delivery = notifier.send(message)
    except ChannelDown as exc:
        raise RegieError(f"{contact.id}: not sent: {exc}") from None
    except NotifierError as exc:
        raise RegieError(f"{contact.id}: not sent: {first_line(exc)}") from None
    lines = [f"{contact.id}: test message sent via {delivery.channel} ({delivery.external_id})"]
    if delivery.note:
        lines.append(f"  note: {delivery.note}")
    return lines
