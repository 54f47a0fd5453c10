"""A reminder digest's (item, stage) entries stored beside it (``outbox_digest_items``,
migration 0027), on SQLite and PostgreSQL: written when it is queued, rewritten when its
payload is revised before sending, filled by the migration from the digests on record."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

import store.prompt_delivery as prompt_delivery
from store import OutboxRecord, Repository, downgrade, make_engine, upgrade
from store.digest_items import entries, holding
from store.models import OutboxRow, ProgrammeRow
from store.models_delivery import OutboxDigestItemRow

CREATED = datetime(2015, 9, 7, 6, 0, tzinfo=UTC)
ITEMS: list[Any] = [
    {"id": "1.1", "stage": "overdue:2015-09-01:1", "title": "Eerste"},
    {"id": "1.2", "stage": "due_soon:2015-09-14"},
    {"id": "1.1", "stage": "overdue:2015-09-01:1"},  # twice: one entry
    {"id": "1.3"},  # no stage: no prompt
    {"id": "", "stage": "x"},
    "1.4",
    {"id": 7, "stage": "first"},  # a number as the plan's YAML may give it
]
STORED = {("1.1", "overdue:2015-09-01:1"), ("1.2", "due_soon:2015-09-14"), ("7", "first")}


def _message(key: str, kind: str = "reminder_digest", items: Any = ITEMS) -> OutboxRecord:
    return OutboxRecord(
        key=key,
        kind=kind,
        recipient="jdevries",
        recipient_name="J. de Vries",
        subject="Verzoek om update",
        body_text="Beste J. de Vries, …",
        email="jdv@example.org",
        payload={"items": items, "key": key},
        created_on=date(2015, 9, 7),
    )


def _stored(session: Session) -> dict[int, set[tuple[str, str]]]:
    t = OutboxDigestItemRow
    out: dict[int, set[tuple[str, str]]] = {}
    for message_id, item, stage in session.execute(sa.select(t.message_id, t.item_code, t.stage)):
        out.setdefault(message_id, set()).add((item, stage))
    return out


def _expected(session: Session) -> dict[int, set[tuple[str, str]]]:
    """The entries of every reminder digest's current payload (those with any)."""
    o = OutboxRow
    rows = session.execute(sa.select(o.id, o.payload).where(o.kind == "reminder_digest"))
    return {i: found for i, payload in rows if (found := entries(payload))}


def test_queued_digests_store_their_entries_and_a_revision_rewrites_them(session: Session) -> None:
    session.add(ProgrammeRow(id="p", title="P", created_at=CREATED, updated_at=CREATED))
    session.commit()
    repo = Repository(session, "p", clock=lambda: CREATED)
    queued = [
        _message("a"),
        _message("b", kind="escalation_digest"),
        _message("c", items={"not": "a list"}),
    ]
    assert repo.enqueue(queued) == ["a", "b", "c"]
    assert repo.enqueue([_message("a", items=[{"id": "9.9", "stage": "s"}])]) == []  # known key
    session.commit()
    ids = {r.key: r.id for r in session.execute(sa.select(OutboxRow.key, OutboxRow.id))}
    assert _stored(session) == {ids["a"]: STORED}

    (claimed,) = repo.claim_outbox(now=CREATED + timedelta(hours=1), keys=["a"])
    assert claimed.key == "a"
    left = {**claimed.payload, "items": [ITEMS[1]]}  # 1.1 finished meanwhile: left out
    repo.revise_outbox(replace(claimed, payload=left))
    session.commit()
    assert _stored(session) == {ids["a"]: {("1.2", "due_soon:2015-09-14")}}
    assert _stored(session) == _expected(session)


def test_holding_finds_exactly_the_entries_asked_about(session: Session) -> None:
    """The delivery check asks about the exact (digest, item, stage) entries a digest's key
    carried: those stored come back, whatever else the digest or another one holds."""
    session.add(ProgrammeRow(id="p", title="P", created_at=CREATED, updated_at=CREATED))
    session.commit()
    repo = Repository(session, "p", clock=lambda: CREATED)
    repo.enqueue([_message("a"), _message("b", items=[{"id": "1.1", "stage": "other"}])])
    session.commit()
    ids = {r.key: r.id for r in session.execute(sa.select(OutboxRow.key, OutboxRow.id))}
    a, b = ids["a"], ids["b"]
    asked = [
        (a, "1.1", "overdue:2015-09-01:1"),  # stored
        (a, "1.1", "overdue:2015-09-01:1"),  # asked twice: once
        (a, "7", "first"),  # stored (a number in the payload: text here)
        (a, "1.1", "other"),  # b's stage, not a's
        (b, "1.1", "other"),  # stored
        (b, "1.2", "due_soon:2015-09-14"),  # a's entry, not b's
        (b + a + 1, "1.1", "other"),  # no such digest
        (a, "1.3", ""),  # no stage: no entry
    ]
    assert holding(session, iter(asked)) == {
        (a, "1.1", "overdue:2015-09-01:1"),
        (a, "7", "first"),
        (b, "1.1", "other"),
    }
    assert holding(session, []) == set()


def test_0028_the_digests_states_are_read_from_the_key_s_index(database_url: str) -> None:
    """The delivery check's read of the digests' states (a range of keys per contact and day)
    takes the status from the outbox's (programme, key, status) index (0028): on SQLite a
    row's status is stored after its megabytes of text and payload. Gone after a downgrade."""
    upgrade(database_url)
    engine = make_engine(database_url)
    indexes = {i["name"]: i["column_names"] for i in sa.inspect(engine).get_indexes("outbox")}
    assert indexes[STATUS_INDEX] == ["programme_id", "key", "status"]
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            plan = connection.exec_driver_sql(
                "EXPLAIN QUERY PLAN " + prompt_delivery._SQLITE_STATES, ('["k"]', "p", "x")
            ).all()
        assert any(STATUS_INDEX in row[-1] for row in plan), plan
    engine.dispose()
    downgrade(database_url, "0027")
    engine = make_engine(database_url)
    assert STATUS_INDEX not in {i["name"] for i in sa.inspect(engine).get_indexes("outbox")}
    engine.dispose()


STATUS_INDEX = "ix_outbox_programme_id_key_status"


def test_0027_fills_the_entries_of_the_digests_on_record(database_url: str) -> None:
    upgrade(database_url, "0026")
    engine = make_engine(database_url)
    base = {
        "programme_id": "p", "recipient": "jdevries", "recipient_name": "J", "subject": "s",
        "body_text": "t", "created_on": date(2015, 9, 7), "attempts": 0, "created_at": CREATED,
    }  # fmt: skip
    messages = [  # (key, kind, status, items)
        ("a", "reminder_digest", "pending", ITEMS),
        ("b", "reminder_digest", "sent", [{"id": "2.1", "stage": "first"}]),
        ("c", "reminder_digest", "suppressed", [{"id": "3.1", "stage": "first"}]),
        ("d", "escalation_digest", "pending", [{"id": "1.1", "kind": "overdue"}]),
        ("e", "reminder_digest", "failed", []),
    ]
    with engine.begin() as conn:
        conn.execute(
            sa.insert(ProgrammeRow).values(
                id="p", title="P", created_at=CREATED, updated_at=CREATED
            )
        )
        for key, kind, status, items in messages:
            conn.execute(
                sa.insert(OutboxRow).values(
                    key=key, kind=kind, status=status, payload={"items": items}, **base
                )
            )
    engine.dispose()

    upgrade(database_url, "0027")
    engine = make_engine(database_url)
    with Session(engine) as session:
        ids = {k: i for k, i in session.execute(sa.select(OutboxRow.key, OutboxRow.id))}
        assert _stored(session) == {
            ids["a"]: STORED,
            ids["b"]: {("2.1", "first")},
            ids["c"]: {("3.1", "first")},
        }
        assert _stored(session) == _expected(session)
    engine.dispose()

    downgrade(database_url, "0026")
    engine = make_engine(database_url)
    try:
        assert not sa.inspect(engine).has_table("outbox_digest_items")
        with engine.connect() as conn:
            assert conn.scalar(sa.select(sa.func.count()).select_from(OutboxRow)) == 5
    finally:
        engine.dispose()
    upgrade(database_url)
    engine = make_engine(database_url)
    with Session(engine) as session:
        assert _stored(session) == _expected(session)
        assert len(_stored(session)) == 3
    engine.dispose()


def test_a_forgotten_contact_s_digests_keep_their_entries(
    tmp_path: Path, migrated_url: str
) -> None:
    """`regie contact forget` rewrites the contact's messages (texts replaced, payload
    scrubbed, unsent ones suppressed): the entries still mirror each digest's payload, also
    one whose (item, stage) held a value that is scrubbed (review3, nit 4)."""
    from regie.erasure import forget_contact
    from tests.integration.test_contact_erasure import EMAIL, NOW, WHO, _app, _history

    app = _app(tmp_path, migrated_url)
    _history(app)
    with app.session() as session:
        repo = Repository(session, app.programme_id(), clock=lambda: CREATED)
        odd = replace(_message("odd", items=[{"id": "9.9", "stage": EMAIL}]), recipient=WHO)
        repo.enqueue([odd])
        session.commit()
        before = _stored(session)
        assert before and before == _expected(session)
        assert ("9.9", EMAIL) in set().union(*before.values())
    assert forget_contact(app, WHO, NOW, notes=True, apply=True).done
    with app.session() as session:
        after = _stored(session)
        assert after == _expected(session) != before
        assert ("9.9", EMAIL) not in set().union(*after.values())


def test_a_short_redacted_note_leaves_ids_stages_and_keys_alone(session: Session) -> None:
    """A redaction replaces the note where a message quotes it (review3, finding 1): a note
    "1" is in item ids, stages and keys, which stay as they are, and so do the entries; another
    item's digest, whose own note is also "1", is not touched at all."""
    from store.erasure import redact
    from store.models import StatusUpdateRow

    session.add(ProgrammeRow(id="p", title="P", created_at=CREATED, updated_at=CREATED))
    session.commit()
    note = "1"
    session.add(
        StatusUpdateRow(
            programme_id="p", item_code="1.1", status="at_risk", reported_on=date(2015, 9, 7),
            comment=note, source="cli", recorded_at=CREATED,
        )
    )  # fmt: skip
    repo = Repository(session, "p", clock=lambda: CREATED)
    own = {"id": "1.1", "stage": "overdue:2015-09-01:1", "latest_note": note, "title": "1"}
    other = {"id": "2.1", "stage": "due_soon:2015-09-14", "latest_note": note}
    repo.enqueue(
        [
            _message("reminder:2015-09-14:jdevries:1", items=[own]),
            _message("reminder:2015-09-14:jdevries:2", items=[other]),
        ]
    )
    session.commit()
    o = OutboxRow
    columns = (o.key, o.subject, o.body_text, o.body_html, o.payload)
    rows_before = {r.key: tuple(r) for r in session.execute(sa.select(*columns))}
    entries_before = _stored(session)
    update_id = session.scalar(sa.select(StatusUpdateRow.id))
    assert update_id is not None
    done = redact(
        session, "p", update_id, CREATED, date(2015, 9, 8),
        by="bureau", reason="persoonsgegevens", placeholder="[verwijderd]",
    )  # fmt: skip
    session.commit()
    assert done.outbox_keys == ["reminder:2015-09-14:jdevries:1"]
    rows_after = {r.key: tuple(r) for r in session.execute(sa.select(*columns))}
    untouched = "reminder:2015-09-14:jdevries:2"
    assert rows_after[untouched] == rows_before[untouched]
    (item,) = rows_after["reminder:2015-09-14:jdevries:1"][4]["items"]
    # The note is replaced; the id, the stage and the title (equal to it) of its item stay.
    assert item == {**own, "latest_note": "[verwijderd]"}
    assert _stored(session) == entries_before == _expected(session)


def test_audit_verify_reports_a_digest_whose_entries_were_tampered_with(
    tmp_path: Path, database_url: str
) -> None:
    """The entries have no append-only trigger (a revision rewrites them with the payload):
    `regie audit verify` compares each reminder digest's entries with its payload, one line per
    digest that differs. Deleting an unsent digest's entries would make its prompts count as
    delivered, and the item escalate as if its owner had been asked."""
    from regie.cycle import deadline_check
    from regie.history import audit_verify
    from tests.integration.test_cycle import make_app

    app = make_app(tmp_path, database_url)
    deadline_check(app, date(2015, 11, 9))  # reminder digests queued, not sent
    assert audit_verify(app) == []
    t, o = OutboxDigestItemRow, OutboxRow
    with app.engine.begin() as conn:
        message_id, key, item, stage = conn.execute(
            sa.select(t.message_id, o.key, t.item_code, t.stage)
            .join(o, o.id == t.message_id)
            .order_by(t.message_id, t.item_code, t.stage)
            .limit(1)
        ).one()
        conn.execute(
            sa.delete(t).where(t.message_id == message_id, t.item_code == item, t.stage == stage)
        )
        conn.execute(sa.insert(t).values(message_id=message_id, item_code="9.9", stage="x"))
    assert audit_verify(app) == [
        f"outbox_digest_items: digest {message_id} ({key}): entries differ from its payload "
        f"(1 missing, 1 extra: -{item} {stage}, +9.9 x)"
    ]


def test_a_withdrawn_escalation_digest_with_no_list_of_items_counts_nothing(
    session: Session,
) -> None:
    """``{"items": null}`` in a withdrawn digest (a hand-edited or damaged payload) adds no
    withdrawn prompt instead of stopping the daily step: one reader of a digest's items
    (:func:`store.digest_items.entries`) for both kinds."""
    from store.outbox import WITHDRAWN
    from store.withdrawn_prompts import Withdrawn

    session.add(ProgrammeRow(id="p", title="P", created_at=CREATED, updated_at=CREATED))
    session.commit()
    repo = Repository(session, "p", clock=lambda: CREATED)
    repo.enqueue(
        [
            _message("esc", kind="escalation_digest", items=None),
            _message("rem", items=None),
            _message("esc2", kind="escalation_digest", items=[{"id": "1.1", "kind": "overdue"}]),
        ]
    )
    session.execute(
        sa.update(OutboxRow).values(status="suppressed", last_error=f"{WITHDRAWN}contact x: left")
    )
    session.commit()
    found = Withdrawn.read(session, "p", ["1.1", "1.2"])
    assert found.reminders == {}
    assert found.escalations == {("1.1", "overdue", "jdevries", date(2015, 9, 7)): None}
