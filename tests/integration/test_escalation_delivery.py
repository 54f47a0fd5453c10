"""An escalation counts the reminders that went out to an owner, but says "onbeantwoord"
only of those delivered: the reminders a failing mail server kept from the owner are named
as not delivered (audit review finding 6), on both databases."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

import store.prompt_facts as prompt_facts_module
from notifications.base import Delivery, Message, NotifierError
from regie.bootstrap import App, bootstrap
from regie.config import load_settings
from regie.cycle import deadline_check, send_reminders
from store import Repository, sync_plan
from tests.conftest import SEED_PLAN
from tests.integration.migrated_template import shared_templates

# 1.3.1 and 1.2.1 are due 30 November 2015: asked that day and a week later (only prompts from
# the due date on count, walk32b 2); the third: the second request unanswered for 5 working
# days (``unanswered_grace_days``).
DAYS = (date(2015, 11, 30), date(2015, 12, 7), date(2015, 12, 14))
#: The contact of the staatssecretaris (items 1.3.1-1.3.3) and of IenM (1.2.1 …).
STAS, IENM = "stas-ienm-voorbeeld", "ienm-voorbeeld"
#: Who escalates on DAYS[2] when STAS's first digest was withdrawn and given again on DAYS[1]:
#: IenM's items, not yet the staatssecretaris' (one prompt counted, not two).
EXPECTED_AFTER_RETURN = {"1.2.1": "2 prompts unanswered, 2 not delivered"}


def make_app(tmp_path: Path, url: str) -> App:
    """The seed plan's programme, escalating for lateness later than for unanswered requests, so
    that each delivered case escalates as unanswered too (otherwise both come the same day, and
    overdue outranks unanswered when every request was delivered)."""
    plan = tmp_path / "actions.yaml"
    text = SEED_PLAN.read_text(encoding="utf-8")
    late = "reminders:\n  escalate_after_overdue_days: 20\nprogramme:\n"
    plan.write_text(text.replace("programme:\n", late, 1), encoding="utf-8")
    settings = load_settings(
        {"REGIE_HOME": str(tmp_path / "home"), "REGIE_DATABASE_URL": url, "REGIE_PLAN": str(plan)}
    )
    app = bootstrap(settings)
    shared_templates().fill_if_empty(url)  # empty: a copy of the migrated template
    return app


class Down:
    """The configured notifier, except that mail to ``contact`` fails on ``days``."""

    def __init__(self, app: App, contact: str, days: set[date]) -> None:
        self.inner = app.notifier()
        self.channel = self.inner.channel
        self.contact, self.days, self.day = contact, days, DAYS[0]

    def send(self, message: Message) -> Delivery:
        if message.recipient == self.contact and self.day in self.days:
            raise NotifierError("mail server 127.0.0.1:2599 not reachable")
        return self.inner.send(message)


def _run(tmp_path: Path, url: str, failing: set[date]) -> tuple[str, list[Any], list[Any]]:
    app = make_app(tmp_path, url)
    down = Down(app, STAS, failing)
    app.notifier = lambda plan=None: down  # type: ignore[method-assign]
    for day in DAYS:
        down.day = day
        deadline_check(app, day)
        send_reminders(app)
    pid = app.load_plan().programme.id
    with app.session() as session:
        repo = Repository(session, pid)
        (office,) = [
            m for m in repo.outbox() if m.kind == "escalation_digest" and m.created_on == DAYS[2]
        ]
        raised = [
            e
            for e in repo.events(since=DAYS[2])
            if e.name == "regie.escalation.raised" and e.occurred_on == DAYS[2]
        ]
    return office.body_text, list(office.payload["items"]), raised


def _reason(text: str, item: str) -> str:
    section = text.split(f"- {item} ")[1].split("\n- ")[0]
    return section.split("Reden: ")[1].split("\n")[0]


def test_reminders_that_never_reached_the_owner_are_not_called_unanswered(
    tmp_path: Path, database_url: str
) -> None:
    text, items, raised = _run(tmp_path, database_url, failing=set(DAYS))
    assert _reason(text, "1.3.1") == (
        "geen van de 2 verzoeken om een update is afgeleverd (verzending mislukt of nog niet "
        "verstuurd): de eigenaar is niet bereikt."
    )
    # IenM's reminders arrived: its items are unanswered as before.
    assert _reason(text, "1.2.1") == "herhaalde verzoeken om een update zijn onbeantwoord."
    (event,) = [e for e in raised if e.item_id == "1.3.1"]
    assert event.payload["reason"] == "2 prompts unanswered, 2 not delivered"
    assert (event.payload["prompts"], event.payload["undelivered"]) == (2, 2)
    (other,) = [e for e in raised if e.item_id == "1.2.1"]
    assert other.payload["reason"] == "2 prompts unanswered"
    assert "undelivered" not in other.payload
    (shown,) = [i for i in items if i["id"] == "1.3.1"]
    assert (shown["prompts"], shown["undelivered"]) == (2, 2)


def test_one_reminder_lost_of_two_is_named(tmp_path: Path, database_url: str) -> None:
    text, _, _ = _run(tmp_path, database_url, failing={DAYS[1]})
    assert _reason(text, "1.3.1") == (
        "2 verzoeken om een update, waarvan 1 niet afgeleverd (verzending mislukt of nog niet "
        "verstuurd); het afgeleverde is onbeantwoord."
    )


def test_all_reminders_delivered_reads_as_before(tmp_path: Path, database_url: str) -> None:
    text, _, raised = _run(tmp_path, database_url, failing=set())
    assert _reason(text, "1.3.1") == "herhaalde verzoeken om een update zijn onbeantwoord."
    (event,) = [e for e in raised if e.item_id == "1.3.1"]
    assert event.payload["reason"] == "2 prompts unanswered"


def _reads_digest_items(statement: str) -> bool:
    """Whether ``statement`` reads reminder digests' lists of items (their payload, picked by
    their keys or walked for their entries)."""
    s = statement.lower()
    if not s.lstrip().startswith("select") or "payload" not in s:
        return False
    return "items" in s or 'key" >=' in s or "key >=" in s


def test_delivered_reminders_are_told_without_reading_the_digests(
    tmp_path: Path, database_url: str
) -> None:
    """Every reminder went out: the day the owner's grace runs out tells so from the
    digests' states alone, not from their lists of items (a contact's digest names every item
    prompted that day: megabytes for a large programme, read for every item about to
    escalate)."""
    app = make_app(tmp_path, database_url)
    down = Down(app, STAS, set())
    app.notifier = lambda plan=None: down  # type: ignore[method-assign]
    for day in DAYS[:2]:
        down.day = day
        deadline_check(app, day)
        send_reminders(app)
    read: list[str] = []

    def record(*args: Any) -> None:
        if _reads_digest_items(args[2]):
            read.append(args[2])

    sa.event.listen(app.engine, "before_cursor_execute", record)
    try:
        down.day = DAYS[2]
        deadline_check(app, DAYS[2])
    finally:
        sa.event.remove(app.engine, "before_cursor_execute", record)
    assert read == []
    pid = app.load_plan().programme.id
    with app.session() as session:
        raised = [
            e
            for e in Repository(session, pid).events(since=DAYS[2])
            if e.name == "regie.escalation.raised" and e.item_id == "1.3.1"
        ]
    assert [e.payload["reason"] for e in raised] == ["2 prompts unanswered"]


def test_pending_reminders_are_told_without_reading_the_digests(
    tmp_path: Path, database_url: str
) -> None:
    """No reminder went out (every digest still pending, as when the sender has not run): the
    day the owner's grace runs out names them as not delivered from the digests' states and
    the (item, stage) entries stored beside each digest — no statement reads a digest's
    payload, which for a large programme is megabytes a contact."""
    app = make_app(tmp_path, database_url)
    for day in DAYS[:2]:
        deadline_check(app, day)  # queued, never sent
    with _statements(app.engine) as read:
        deadline_check(app, DAYS[2])
    assert [s for s in read if _reads_digest_items(s)] == []
    assert any("outbox_digest_items" in s for s in read)  # told, from the entries
    pid = app.load_plan().programme.id
    with app.session() as session:
        raised = {
            e.item_id: e.payload
            for e in Repository(session, pid).events(since=DAYS[2])
            if e.name == "regie.escalation.raised" and e.item_id in ("1.3.1", "1.2.1")
        }
    assert {i: p["reason"] for i, p in raised.items()} == {
        "1.3.1": "2 prompts unanswered, 2 not delivered",
        "1.2.1": "2 prompts unanswered, 2 not delivered",
    }


def test_the_delivery_check_reads_no_prompt_the_answers_did_not(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The items about to escalate are told undelivered from the prompts the day's answers
    already read (a young history's, read whole) and the digests' entries of the stages their
    keys carried: the delivery check adds no read of the prompts, whose table after years of a
    programme is millions of rows."""
    app = make_app(tmp_path, database_url)
    for day in DAYS[:2]:
        deadline_check(app, day)  # queued, never sent
    real = prompt_facts_module.prompt_facts
    told: list[tuple[int, int, int]] = []  # prompts read without and with the check, undelivered

    def both(*args: Any, **kwargs: Any) -> Any:
        start = len(read)
        real(*args, **{**kwargs, "delivery_after": 0})
        middle = len(read)
        found = real(*args, **kwargs)
        prompts = [_reads_prompts(s) for s in read[start:]]
        told.append(
            (
                sum(prompts[: middle - start]),
                sum(prompts[middle - start :]),
                sum(1 for f in found.values() if f.undelivered),
            )
        )
        return found

    monkeypatch.setattr(prompt_facts_module, "prompt_facts", both)
    with _statements(app.engine) as read:
        deadline_check(app, DAYS[2])
    assert told and all(without > 0 for without, _, _ in told)
    assert [(w, w) for w, _, _ in told] == [(w, d) for w, d, _ in told]
    assert sum(undelivered for _, _, undelivered in told) > 0  # the check told some


def _reads_prompts(statement: str) -> bool:
    return re.search(r"\bfrom\s+prompts\b", statement.lower()) is not None


@contextmanager
def _statements(engine: sa.Engine) -> Iterator[list[str]]:
    """Every statement run on ``engine`` meanwhile: through SQLAlchemy, and on SQLite also
    those the daily step's large reads hand the driver directly (``store.dialect.sqlite_rows``),
    from the driver's own trace."""
    read: list[str] = []

    def record(*args: Any) -> None:
        read.append(args[2])

    def trace(dbapi_connection: Any, *_: Any) -> None:
        if isinstance(dbapi_connection, sqlite3.Connection):
            dbapi_connection.set_trace_callback(read.append)

    sa.event.listen(engine, "before_cursor_execute", record)
    sa.event.listen(engine, "checkout", trace)
    try:
        yield read
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
        sa.event.remove(engine, "checkout", trace)
        engine.dispose()  # the traced connections go with the pool


def _reads_outbox_payloads(statement: str) -> bool:
    """Whether ``statement`` reads outbox payloads whole: a statement on the outbox whose
    column list names ``payload`` as a column (a withdrawn digest's, a returning contact's
    later ones), not one key the database picks out of it (the sync's channel)."""
    s = " ".join(statement.lower().split())
    if not s.startswith("select") or "from outbox" not in s:
        return False
    columns = [c.strip() for c in s.split(" from ")[0].removeprefix("select").split(",")]
    return any(re.fullmatch(r'("?\w+"?\.)?"?payload"?', c) for c in columns)


def test_a_contact_back_after_a_withdrawal_is_told_without_reading_the_digests(
    tmp_path: Path, database_url: str
) -> None:
    """The owner's address changed and changed back after the first day (that day's digest
    withdrawn, its prompts asked again the next): the withdrawn prompts and the day they were
    given again come from the digests' stored entries too — no statement reads a digest's
    payload, however many later digests the returning contact has."""
    app = make_app(tmp_path, database_url)
    plan = app.load_plan()
    moment = datetime(2015, 11, 30, 16, 0, tzinfo=UTC)
    deadline_check(app, DAYS[0])  # queued, never sent
    moved = replace(
        plan,
        contacts=tuple(
            replace(c, email="tijdelijk@example.org") if c.id == STAS else c for c in plan.contacts
        ),
    )
    for version in (moved, plan):
        with app.session() as session, session.begin():
            sync_plan(session, version, now=moment, plan_path=str(plan.path))
    deadline_check(app, DAYS[1])
    with _statements(app.engine) as read:
        deadline_check(app, DAYS[2])
    pid = plan.programme.id
    with app.session() as session:
        digests = Repository(session, pid).outbox()
        raised = {
            e.item_id: e.payload["reason"]
            for e in Repository(session, pid).events(since=DAYS[2])
            if e.name == "regie.escalation.raised" and e.item_id in ("1.3.1", "1.2.1")
        }
    assert any(m.recipient == STAS and m.status == "suppressed" for m in digests)
    assert [s for s in read if _reads_outbox_payloads(s)] == []
    assert raised == EXPECTED_AFTER_RETURN


def test_replayed_reminders_count_as_asked_not_as_undelivered(
    tmp_path: Path, database_url: str
) -> None:
    """`regie replay` records the first day's reminders as given (suppressed, never sent: the
    office asked the owners itself): the escalation reads as for two unanswered requests, not
    as a mail that failed or waits to go out (walk55d 3)."""
    app = make_app(tmp_path, database_url)
    deadline_check(app, DAYS[0], replay=True)
    for day in DAYS[1:]:
        deadline_check(app, day)
        send_reminders(app)
    pid = app.load_plan().programme.id
    with app.session() as session:
        repo = Repository(session, pid)
        replayed = [m for m in repo.outbox() if m.created_on == DAYS[0]]
        (office,) = [
            m for m in repo.outbox() if m.kind == "escalation_digest" and m.created_on == DAYS[2]
        ]
        raised = [e for e in repo.events(since=DAYS[2]) if e.name == "regie.escalation.raised"]
    assert replayed and {m.status for m in replayed} == {"suppressed"}
    unanswered = "herhaalde verzoeken om een update zijn onbeantwoord."
    assert _reason(office.body_text, "1.3.1") == unanswered
    (event,) = [e for e in raised if e.item_id == "1.3.1"]
    assert event.payload["reason"] == "2 prompts unanswered"
    assert "undelivered" not in event.payload
