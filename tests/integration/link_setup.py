"""A home where a reminder digest with signed answer links was queued and sent (file outbox)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

from regie.bootstrap import App
from regie.cycle import deadline_check, send_reminders
from store import Repository
from tests.integration.answer_app import answers_app
from tests.integration.server import TEST_SECRET_KEY

BASE = "http://regie.test"
#: 1.1.1 and 1.1.2 are GEM's (anna); 1.1.1 is due 2025-06-30, first prompted mid-June.
FIRST_DAY = date(2025, 6, 10)
LINK = re.compile(r"(https?://\S+/antwoord/(\S+))")


def link_app(url: str, home: Path, plan: Path | None = None) -> App:
    app = answers_app(url, home, **({"plan": plan} if plan else {}))
    app.settings = replace(app.settings, base_url=BASE, secret_key=TEST_SECRET_KEY)
    return app


def delivered_text(app: App, key: str) -> str:
    """The plain-text part of the message as the file outbox delivered it (the stored row holds
    placeholders where the links go: regie.answer_links)."""
    from email import message_from_bytes, policy
    from email.message import EmailMessage

    from notifications.base import scoped_key
    from notifications.file_outbox import file_name

    mail = message_from_bytes(
        (app.settings.outbox_dir / file_name(scoped_key(key, app.programme_id()))).read_bytes(),
        policy=policy.default,
    )
    assert isinstance(mail, EmailMessage)
    part = mail.get_body(("plain",))
    assert part is not None
    return str(part.get_content())  # type: ignore[attr-defined]


def queue_and_send(app: App, day: date) -> dict[str, list[tuple[str, str]]]:
    """Run the deadline check for ``day``, send everything; links per recipient as
    (item id, URL token) in message order, read from the delivered messages."""
    report = deadline_check(app, day)
    send_reminders(app)
    out: dict[str, list[tuple[str, str]]] = {}
    with app.session() as session:
        for message in Repository(session, "wegen-test").outbox():
            if message.key not in report.queued:
                continue
            text = delivered_text(app, message.key)
            items = re.findall(r"^- (\S+) ", text, flags=re.M)
            tokens = [m[1] for m in LINK.findall(text)]
            out.setdefault(message.recipient, []).extend(zip(items, tokens, strict=True))
    return out
