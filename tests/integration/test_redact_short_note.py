"""`regie update redact` of a one-character note, with real queued digests (seed plan), on
SQLite and PostgreSQL: only the redacted item's message changes, and only where it quotes the
note (review3, finding 1); every other unsent message stays byte for byte as it was, also one
quoting another item's note with the same text."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from markupsafe import escape
from sqlalchemy.orm import Session

from regie.bootstrap import App
from store.models import OutboxRow, StatusUpdateRow
from store.models_delivery import OutboxDigestItemRow
from tests.integration.test_contact_erasure import NOW, _app

if TYPE_CHECKING:
    from store.erasure import Redacted

NOTE = "1"
ITEM = "3.3.1"  # its digest also asks about 3.5.1
#: The same note text, other updates: their quotes stay (1.1.1's digests must not change).
OTHERS = ("3.5.1", "1.1.1")


def _queued(app: App) -> None:
    from regie.cycle import deadline_check, send_reminders
    from regie.history import record_update

    deadline_check(app, date(2015, 10, 1))
    send_reminders(app)
    for item in (ITEM, *OTHERS):
        record_update(
            app, item, "at_risk", as_of=date(2015, 10, 2), forecast=None, completed_on=None,
            comment=NOTE, author=None,
        )  # fmt: skip
    deadline_check(app, date(2015, 10, 8))  # queued, not sent: they quote the notes


def _messages(app: App) -> dict[str, dict[str, Any]]:
    o = OutboxRow
    with app.engine.connect() as conn:
        rows = conn.execute(
            sa.select(o.id, o.key, o.subject, o.body_text, o.body_html, o.payload).where(
                o.status != "sent"
            )
        ).all()
        entries = conn.execute(
            sa.select(OutboxDigestItemRow.message_id, OutboxDigestItemRow.item_code,
                      OutboxDigestItemRow.stage)
        ).all()  # fmt: skip
    return {
        r.key: {
            **r._asdict(),
            "entries": sorted((e.item_code, e.stage) for e in entries if e.message_id == r.id),
        }
        for r in rows
    }


def _about(message: dict[str, Any]) -> set[str]:
    return {str(i["id"]) for i in message["payload"]["items"]}


def test_a_one_character_note_is_replaced_only_where_its_item_s_message_quotes_it(
    tmp_path: Path, migrated_url: str
) -> None:
    from regie.erasure import redact_update

    app = _app(tmp_path, migrated_url)
    _queued(app)
    before = _messages(app)
    owns = [k for k, m in before.items() if ITEM in _about(m)]
    assert owns
    assert [_about(before[k]) for k in owns] == [{ITEM, OTHERS[0]}]
    assert any(OTHERS[1] in _about(m) and f"'{NOTE}'" in m["body_text"] for m in before.values())
    with app.engine.connect() as conn:
        update_id = conn.scalar(
            sa.select(StatusUpdateRow.id).where(StatusUpdateRow.item_code == ITEM)
        )
    assert update_id is not None

    done = redact_update(app, update_id, NOW, by="pbureau", reason="gezondheid", apply=True)
    assert done.counts["outbox"] == len(owns)
    after = _messages(app)
    with app.engine.connect() as conn:
        placeholder = conn.scalar(
            sa.select(StatusUpdateRow.comment).where(StatusUpdateRow.id == update_id)
        )
    assert placeholder and placeholder != NOTE

    # Every other message: subject, texts, payload, key and digest entries as they were.
    assert {k: m for k, m in after.items() if k not in owns} == {
        k: m for k, m in before.items() if k not in owns
    }
    for own in owns:
        _quote_replaced(before[own], after[own], placeholder)


def _quote_replaced(was: dict[str, Any], now: dict[str, Any], placeholder: str) -> None:
    # The item's own message: its quote replaced (the first, ITEM's), the other item's kept,
    # nothing else (rendered again from its redacted context), ids, stages and entries kept.
    text, html = was["body_text"], was["body_html"]
    assert text.count(f"'{NOTE}'") == html.count(f"'{NOTE}'") == 2
    assert now["body_text"] == text.replace(f"'{NOTE}'", f"'{placeholder}'", 1)
    assert now["body_html"] == html.replace(f"'{NOTE}'", f"'{escape(placeholder)}'", 1)
    assert now["subject"] == was["subject"] and now["entries"] == was["entries"]
    payload, old_payload = now["payload"], was["payload"]
    assert [i["latest_note"] for i in payload["items"]] == [placeholder, NOTE]
    assert [i["latest_note"] for i in payload["render"]["items"]] == [placeholder, NOTE]

    def _without_notes(p: dict[str, Any]) -> dict[str, Any]:
        drop = {"latest_note": None}
        return {
            **p,
            "items": [{**i, **drop} for i in p["items"]],
            "render": {**p["render"], "items": [{**i, **drop} for i in p["render"]["items"]]},
        }

    assert _without_notes(payload) == _without_notes(old_payload)


def _note_of_1_1(session: Session, reported_on: date) -> StatusUpdateRow:
    """Programme ``p`` with an update of item 1.1 whose note is :data:`NOTE` (flushed)."""
    from store.models import ProgrammeRow

    session.add(ProgrammeRow(id="p", title="P", created_at=NOW, updated_at=NOW))
    session.commit()
    update = StatusUpdateRow(
        programme_id="p", item_code="1.1", status="at_risk", reported_on=reported_on,
        comment=NOTE, source="cli", recorded_at=NOW,
    )  # fmt: skip
    session.add(update)
    session.flush()
    return update


def _redact(session: Session, update_id: int, day: date) -> Redacted:
    """:func:`store.erasure.redact` by the office, the note replaced by ``[weg]``; committed."""
    from store.erasure import redact

    done = redact(
        session, "p", update_id, NOW, day,
        by="bureau", reason="persoonsgegevens", placeholder="[weg]",
    )  # fmt: skip
    session.commit()
    return done


def test_event_payloads_lose_only_the_note_s_own_values(session: Session) -> None:
    """In events, only note-bearing values change: a note field equal to the note (or holding
    it, in the item's own event about this update); never an id, a stage, another item's
    note or a number-like text of an event about no item."""
    from store.models import EventRow

    update = _note_of_1_1(session, date(2015, 9, 7))
    payloads: dict[str, tuple[str | None, dict[str, Any]]] = {
        "own": ("1.1", {"update_id": update.id, "note": f"zie: {NOTE}", "stage": "due:1"}),
        "own-other-update": ("1.1", {"update_id": 999, "note": f"zie: {NOTE}", "id": "1.1"}),
        "none": (None, {"items": [{"id": "2.1", "comment": NOTE}, {"id": "1.1", "comment": NOTE}],
                        "count": NOTE, "stage": f"late:{NOTE}"}),
    }  # fmt: skip
    for name, (item, payload) in payloads.items():
        session.add(
            EventRow(
                programme_id="p", name=f"test.{name}", item_code=item, occurred_on=date(2015, 9, 7),
                recorded_at=NOW, payload=payload, dedupe_key=name,
            )
        )  # fmt: skip
    session.commit()
    _redact(session, update.id, date(2015, 9, 8))
    stored = {
        n.removeprefix("test."): p
        for n, p in session.execute(sa.select(EventRow.name, EventRow.payload))
        if n.startswith("test.")
    }
    assert stored == {
        "own": {"update_id": update.id, "note": "zie: [weg]", "stage": "due:1"},
        "own-other-update": {"update_id": 999, "note": f"zie: {NOTE}", "id": "1.1"},
        "none": {"items": [{"id": "2.1", "comment": NOTE}, {"id": "1.1", "comment": "[weg]"}],
                 "count": NOTE, "stage": f"late:{NOTE}"},
    }  # fmt: skip


def test_a_message_quoting_a_later_note_of_the_item_is_not_changed(session: Session) -> None:
    """The item's digest quotes its latest note, not the redacted older one ("1"): its render
    context says so, and its text, where "1" is only part of dates and ids, stays as it was."""
    from store import OutboxRecord, Repository

    older = _note_of_1_1(session, date(2015, 9, 1))
    later = {"item_id": "1.1", "latest_note": "nieuwer"}
    Repository(session, "p", clock=lambda: NOW).enqueue(
        [
            OutboxRecord(
                key="reminder:2015-09-14:jdevries", kind="reminder_digest", recipient="jdevries",
                recipient_name="J. de Vries", subject="Verzoek om update 1.1",
                body_text="- 1.1 (11 september 2015): Risico — 'nieuwer'\n",
                body_html="<li>1.1 (11 september 2015): Risico — 'nieuwer'</li>",
                payload={"items": [{"id": "1.1", "stage": "due:2015-09-14", "latest_note":
                                    "nieuwer"}], "render": {"items": [later]}},
            )
        ]
    )  # fmt: skip
    session.commit()
    o = OutboxRow
    columns = (o.key, o.subject, o.body_text, o.body_html, o.payload)
    before = session.execute(sa.select(*columns)).one()
    done = _redact(session, older.id, date(2015, 9, 15))
    assert done.outbox_keys == []
    assert session.execute(sa.select(*columns)).one() == before
