"""The item page reads as a history (walk57c 2, 3, 4, 11): a finished item says when it was
finished; a message not sent says why, from the reason the outbox stored; the first
assessment is not a change; a reminder to an organisation's contacts is one row naming them
all, the day's queued reminders one event; a list of the sections leads to the correction
form."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from regie.bootstrap import App
from tests.integration.test_web_item_page import _app, _client, visible

# 1.5.1 (Q4-2015) has three owners, BZ, SZW and EZ: a reminder goes to a contact of each.
ITEM = "1.5.1"
CONTACTS = (
    "D. Voorbeeld (BZ, fictief) (bz-voorbeeld) C. Voorbeeld (EZ, fictief) (ez-voorbeeld) "
    "E. Voorbeeld (SZW, fictief) (szw-voorbeeld)"
)


def _reminded(tmp_path: Path, url: str) -> App:
    """1.5.1 reminded on its deadline's first working day after it (sent), and a week later
    (queued, not sent yet)."""
    from regie.cycle import deadline_check, send_reminders
    from regie.services import sync

    app = _app(tmp_path, url)
    sync(app, None)
    deadline_check(app, date(2016, 1, 4))
    send_reminders(app)
    deadline_check(app, date(2016, 1, 11))
    return app


def _suppress(app: App, contact: str, reason: str | None) -> None:
    """The contact's unsent message, as the outbox leaves it when it does not send it."""
    from store.models import OutboxRow

    with app.session() as session, session.begin():
        session.execute(
            sa.update(OutboxRow)
            .where(OutboxRow.recipient == contact, OutboxRow.status == "pending")
            .values(status="suppressed", last_error=reason)
        )


def test_one_row_per_reminder_naming_its_contacts_and_why_one_was_not_sent(
    tmp_path: Path, migrated_url: str
) -> None:
    from notifications.notes import NoteCode, dutch
    from store.outbox import WITHDRAWN

    app = _reminded(tmp_path, migrated_url)
    _suppress(app, "bz-voorbeeld", f"{dutch(NoteCode.IN_ROUND)} ({ITEM})")
    _suppress(app, "ez-voorbeeld", f"{WITHDRAWN}contact ez-voorbeeld: archived")
    page = _client(app).get(f"/items/{ITEM}")
    assert page.status_code == 200
    text = visible(page.text)
    reminders = text.split("Herinneringen Herinneringen", 1)[1].split("Gebeurtenissen", 1)[0]
    # Two reminders, two rows (not six), each naming the three contacts.
    assert len(re.findall(r"<td data-label=\"Soort\">", page.text)) == 2
    assert (
        "4 januari 2016 herinnering op de deadline (31 december 2015) "
        f"{CONTACTS} verstuurd per bestand (aan alle 3)"
    ) in reminders
    # The second: each contact's own delivery, the reason as stored (not "niet meer nodig").
    second = reminders.split("11 januari 2016", 1)[1]
    assert (
        "D. Voorbeeld (BZ, fictief): niet verstuurd: het verzoek van de statusronde van "
        f"vandaag vraagt naar dezelfde punten ({ITEM})"
    ) in second
    assert (
        "C. Voorbeeld (EZ, fictief): niet verstuurd: ingetrokken, de contactpersoon is "
        "gewijzigd of niet meer in het plan"
    ) in second
    assert "E. Voorbeeld (SZW, fictief): in de wachtrij" in second
    assert "niet meer nodig" not in text and "withdrawn" not in text
    # The day's reminders queued: one event each day, not one per contact.
    events = text.split("Gebeurtenissen Vastgelegde gebeurtenissen", 1)[1]
    assert events.count("herinnering klaargezet voor 3 contactpersonen") == 2
    assert "herinnering klaargezet 7 december" not in events
    # The first assessment (4 January, already late) is not a change of state.
    assert "4 januari 2016 eerste beoordeling door Regie: te laat (geen wijziging)" in events
    assert "status: te laat" not in events
    # The sections are listed first, with their counts.
    nav = page.text.split('<nav aria-label="Op deze pagina"', 1)[1].split("</nav>", 1)[0]
    assert '<a href="#herinneringen">Herinneringen (2)</a>' in nav
    assert '<a href="#gebeurtenissen">Gebeurtenissen (3)</a>' in nav
    assert 'id="herinneringen"' in page.text and 'id="gebeurtenissen"' in page.text


def test_a_finished_item_says_when_it_was_finished(tmp_path: Path, migrated_url: str) -> None:
    from regie.history import record_update
    from regie.services import sync

    app = _app(tmp_path, migrated_url)
    sync(app, None)
    record_update(
        app, "1.1.1", "done", as_of=date(2015, 12, 1), forecast=None,
        completed_on=date(2015, 11, 20), comment=None, author=None,
    )  # fmt: skip
    record_update(
        app, "1.1.2", "cancelled", as_of=date(2015, 11, 25), forecast=None,
        completed_on=None, comment="Vervalt", author=None,
    )  # fmt: skip
    web = _client(app)
    page = web.get("/items/1.1.1").text
    facts = visible(page.split('<dl class="facts">', 1)[1].split("</dl>", 1)[0])
    assert "Stand gereed" in facts and "Gereed op 20 november 2015" in facts, facts
    updates = visible(page.split('id="statusupdates"', 1)[1].split("</table>", 1)[0])
    assert "gereed gereed op 20 november 2015" in updates, updates
    # The correction form is one link away, from the list of the sections at the top.
    nav = page.split('<nav aria-label="Op deze pagina"', 1)[1].split("</nav>", 1)[0]
    assert '<a href="#corrigeren">Laatste update corrigeren</a>' in nav
    assert 'id="corrigeren"' in page
    cancelled = web.get("/items/1.1.2").text
    facts = visible(cancelled.split('<dl class="facts">', 1)[1].split("</dl>", 1)[0])
    assert "Vervallen op 25 november 2015" in facts, facts
    # An open item has no such line.
    open_facts = web.get("/items/2.3.1").text.split('<dl class="facts">', 1)[1]
    assert "Gereed op" not in open_facts.split("</dl>", 1)[0]
