"""The deadline check and the sender on real databases (no Prefect: the use cases directly)."""

from __future__ import annotations

import json
import threading
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from regie.bootstrap import App, bootstrap
from regie.config import load_settings
from regie.cycle import deadline_check, send_reminders
from regie.errors import InvalidInput
from regie.history import record_update, replay
from tests.conftest import SEED_PLAN
from tests.integration.migrated_template import shared_templates


def make_app(tmp_path: Path, url: str, *, migrate: bool = True) -> App:
    settings = load_settings(
        {
            "REGIE_HOME": str(tmp_path / "home"),
            "REGIE_DATABASE_URL": url,
            "REGIE_PLAN": str(SEED_PLAN),
        }
    )
    app = bootstrap(settings)
    if migrate:
        shared_templates().fill_if_empty(url)  # empty: a copy of the migrated template
    return app


def rows(app: App, sql: str) -> list[tuple[object, ...]]:
    with app.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text(sql))]


def test_check_twice_for_the_same_day_adds_nothing(tmp_path: Path, database_url: str) -> None:
    app = make_app(tmp_path, database_url)
    first = deadline_check(app, date(2015, 10, 1))
    assert first.events and first.queued
    assert first.counts["overdue"] >= 3
    counts = [rows(app, f"SELECT count(*) FROM {t}")[0][0] for t in ("events", "outbox", "prompts")]
    second = deadline_check(app, date(2015, 10, 1))
    assert second.events == [] and second.queued == []
    again = [rows(app, f"SELECT count(*) FROM {t}")[0][0] for t in ("events", "outbox", "prompts")]
    assert again == counts


def test_dry_run_records_nothing(tmp_path: Path, sqlite_url: str) -> None:
    app = make_app(tmp_path, sqlite_url)
    report = deadline_check(app, date(2015, 10, 1), dry_run=True)
    assert report.events and report.queued  # it says what would happen …
    assert rows(app, "SELECT count(*) FROM events")[0][0] == 0  # … and does none of it
    assert rows(app, "SELECT count(*) FROM outbox")[0][0] == 0
    assert rows(app, "SELECT count(*) FROM milestones")[0][0] == 0


def test_events_are_transitions_not_daily_repeats(tmp_path: Path, sqlite_url: str) -> None:
    app = make_app(tmp_path, sqlite_url)
    deadline_check(app, date(2015, 10, 1))
    later = deadline_check(app, date(2015, 10, 2))
    # 1.1.1 stays overdue: no second overdue event the next day.
    assert not [e for e in later.events if e.item_id == "1.1.1" and e.name.endswith("overdue")]


def test_status_update_makes_item_done_and_silences_it(tmp_path: Path, sqlite_url: str) -> None:
    app = make_app(tmp_path, sqlite_url)
    deadline_check(app, date(2015, 10, 1))
    record_update(
        app,
        "2.2.1",
        "done",
        as_of=date(2015, 10, 2),
        forecast=None,
        completed_on=date(2015, 10, 2),
        comment="Opdracht verstrekt",
        author="rivm",
    )
    report = deadline_check(app, date(2015, 10, 2))
    names = {(e.name, e.item_id) for e in report.events}
    assert ("regie.milestone.done", "2.2.1") in names
    deadline_check(app, date(2015, 11, 2))
    later = rows(app, "SELECT payload FROM outbox WHERE created_on > '2015-10-02'")
    assert later, "other items are still prompted"
    for (payload,) in later:
        items = (json.loads(payload) if isinstance(payload, str) else payload)["items"]
        assert "2.2.1" not in {i["id"] for i in items}
    history = rows(app, "SELECT status FROM status_updates WHERE item_code = '2.2.1'")
    assert history == [("done",)]
    events = rows(app, "SELECT name FROM events WHERE name = 'regie.status.updated'")
    assert len(events) == 1


def test_send_delivers_each_message_once(tmp_path: Path, sqlite_url: str) -> None:
    app = make_app(tmp_path, sqlite_url)
    report = deadline_check(app, date(2015, 10, 1))
    sent = send_reminders(app)
    assert sorted(sent.sent) == sorted(report.queued)
    files = sorted(app.settings.outbox_dir.glob("*.eml"))
    assert len(files) == len(report.queued)
    text = files[0].read_text(encoding="utf-8")
    assert "Beste" in text and "Subject:" in text
    again = send_reminders(app)
    assert again.sent == [] and again.failed == []
    assert len(list(app.settings.outbox_dir.glob("*.eml"))) == len(files)
    statuses = Counter(r[0] for r in rows(app, "SELECT status FROM outbox"))
    assert statuses == {"sent": len(files)}


def test_failed_delivery_stays_in_the_outbox(tmp_path: Path, sqlite_url: str) -> None:
    app = make_app(tmp_path, sqlite_url)
    deadline_check(app, date(2015, 10, 1))
    outbox = app.settings.outbox_dir
    outbox.parent.mkdir(parents=True, exist_ok=True)
    outbox.write_text("not a directory")  # the notifier cannot write: every delivery fails
    failed = send_reminders(app)
    assert failed.sent == [] and failed.failed
    statuses = {r[0] for r in rows(app, "SELECT status FROM outbox")}
    assert statuses == {"failed"}


@pytest.mark.slow
def test_replay_has_no_duplicate_reminder_or_repeated_event(
    tmp_path: Path, sqlite_url: str
) -> None:
    app = make_app(tmp_path, sqlite_url)
    replay(app, date(2015, 6, 1), date(2017, 3, 31))
    keys = rows(app, "SELECT key FROM outbox")
    assert keys and len(keys) == len(set(keys))
    assert {r[0] for r in rows(app, "SELECT status FROM outbox")} == {"suppressed"}
    prompts = rows(app, "SELECT item_code, stage, contact_code FROM prompts")
    assert len(prompts) == len(set(prompts))
    # No repeated event: per item, consecutive transition events never repeat the same state.
    transitions = rows(
        app,
        "SELECT item_code, name FROM events WHERE name LIKE 'regie.milestone.%' "
        "OR name = 'regie.forecast.slipped' ORDER BY item_code, occurred_on, id",
    )
    last: dict[object, object] = {}
    for item, name in transitions:
        if name == "regie.milestone.stale":
            continue
        assert last.get(item) != name, f"{item}: {name} twice in a row"
        last[item] = name
    dedupe = rows(app, "SELECT dedupe_key FROM events")
    assert len(dedupe) == len(set(dedupe))
    # Going back in time is refused and adds nothing; the last day again adds nothing.
    before = rows(app, "SELECT count(*) FROM events")[0][0]
    with pytest.raises(InvalidInput, match="already assessed up to"):
        replay(app, date(2016, 1, 4), date(2016, 1, 29))
    replay(app, date(2017, 3, 31), date(2017, 3, 31))
    assert rows(app, "SELECT count(*) FROM events")[0][0] == before


def test_an_earlier_day_after_a_later_one_is_refused(tmp_path: Path, sqlite_url: str) -> None:
    app = make_app(tmp_path, sqlite_url)
    deadline_check(app, date(2015, 10, 5))
    events = rows(app, "SELECT count(*) FROM events")[0][0]
    with pytest.raises(InvalidInput, match="2015-10-01 is earlier"):
        deadline_check(app, date(2015, 10, 1))
    assert rows(app, "SELECT count(*) FROM events")[0][0] == events
    later = deadline_check(app, date(2015, 10, 6))
    assert not [e for e in later.events if e.item_id == "1.1.1"]


def test_no_reminders_on_weekends_and_holidays(tmp_path: Path, sqlite_url: str) -> None:
    app = make_app(tmp_path, sqlite_url)
    saturday = deadline_check(app, date(2015, 10, 3))
    assert saturday.events and saturday.queued == []  # states are recorded, nobody is prompted
    assert not saturday.working_day and saturday.summary()["working_day"] is False
    monday = deadline_check(app, date(2015, 10, 5))
    assert monday.queued  # the next working day catches up
    kingsday = deadline_check(app, date(2016, 4, 27))
    assert kingsday.queued == []


@pytest.mark.postgres
def test_concurrent_checks_on_postgres_queue_each_reminder_once(
    tmp_path: Path, postgres_url: str
) -> None:
    make_app(tmp_path, postgres_url)  # migrate; the programme itself is not stored yet
    errors: list[BaseException] = []
    barrier = threading.Barrier(3)

    def run() -> None:
        try:
            app = make_app(tmp_path, postgres_url, migrate=False)  # Alembic is not thread-safe
            barrier.wait(timeout=60)
            deadline_check(app, date(2015, 10, 1))
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=180)
    assert errors == []
    app = make_app(tmp_path, postgres_url)
    keys = [r[0] for r in rows(app, "SELECT key FROM outbox")]
    assert keys and len(keys) == len(set(keys))
    assert any(k.endswith("2015-10-01:digest") for k in keys)
    events = rows(app, "SELECT dedupe_key FROM events")
    assert len(events) == len(set(events))
    prompts = rows(app, "SELECT item_code, stage, contact_code FROM prompts")
    assert len(prompts) == len(set(prompts))
    # The racing first syncs stored the plan once: one "created" revision per entity.
    created = rows(app, "SELECT entity, code FROM plan_revisions WHERE kind = 'created'")
    assert len(created) == len(set(created))
