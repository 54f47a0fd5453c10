"""Migrations on real SQLite and PostgreSQL: up, down, up again; models match; triggers hold."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from store import (
    current_revision,
    downgrade,
    head_revision,
    make_engine,
    normalise_url,
    upgrade,
)
from store.models import (
    Base,
    EventRow,
    ItemStateRow,
    OutboxRow,
    ProgrammeRow,
    PromptRow,
    StatusUpdateRow,
    UTCDateTime,
)
from tests.integration.old_schema import before_0018

MODEL_TABLES = set(Base.metadata.tables)
TABLES_0002 = {"item_states", "prompts", "outbox"}
TABLES_0004 = {"assessed_days"}
TABLES_0005 = {"slack_lookups"}
TABLES_0006 = {"answer_links", "slack_requests", "slack_users", "status_rounds", "round_requests"}
TABLES_0008 = {"calendar_tokens", "feed_entries", "users", "web_sessions"}
TABLES_0007 = {"meetings", "decisions", "indicator_measurements", "report_archive"}
TABLES_0009 = {"assessment_memory", "item_memory", "plan_sync"}
TABLES_0012 = {"memory_action_tally", "memory_state_tally"}
TABLES_0013 = {"feed_meetings"}
TABLES_0015 = {"erasures"}
TABLES_0017 = {"update_redactions"}
TABLES_0019 = {"plan_texts", "update_imports"}
TABLES_0024 = {"mail_bounces"}
TABLES_0025 = {"report_approvals"}
TABLES_0027 = {"outbox_digest_items"}
TABLES_0034 = {"meeting_days"}
TABLES_0035 = {"decision_additions"}
TABLES_0036 = {"additions_accepted"}
TABLES_0038 = {"item_first_assessed"}
TABLES_0039 = {"decision_corrections"}
NOW = datetime(2016, 1, 4, 9, 30, tzinfo=UTC)


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(sa.inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def _seed_append_only_rows(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            sa.insert(ProgrammeRow).values(id="p", title="P", created_at=NOW, updated_at=NOW)
        )
        conn.execute(
            sa.insert(before_0018(StatusUpdateRow)).values(
                programme_id="p",
                item_code="1.1",
                status="on_track",
                reported_on=date(2016, 1, 4),
                source="cli",
                recorded_at=NOW,
            )
        )
        conn.execute(
            sa.insert(EventRow).values(
                programme_id="p",
                name="MilestoneOverdue",
                item_code="1.1",
                occurred_on=date(2016, 1, 4),
                recorded_at=NOW,
                payload={"days": 3},
                dedupe_key="k1",
            )
        )
        if "prompts" not in sa.inspect(conn).get_table_names():
            return  # the database is at 0001
        conn.execute(
            sa.insert(PromptRow).values(
                programme_id="p",
                item_code="1.1",
                stage="first",
                contact_code="",
                queued_on=date(2016, 1, 4),
                recorded_at=NOW,
            )
        )
        conn.execute(
            sa.insert(ItemStateRow).values(
                programme_id="p",
                item_code="1.1",
                as_of=date(2016, 1, 4),
                state="open",
                rag="green",
                stale=False,
                recorded_at=NOW,
            )
        )
        conn.execute(
            sa.insert(OutboxRow).values(
                programme_id="p",
                key="reminder:jdevries:2016-01-04:digest",
                kind="reminder_digest",
                recipient="jdevries",
                recipient_name="J. de Vries",
                subject="Verzoek om update",
                body_text="Beste J. de Vries",
                payload={},
                status="sent",
                created_at=NOW,
            )
        )


def test_upgrade_creates_every_model_table(database_url: str) -> None:
    assert current_revision(database_url) is None
    upgrade(database_url)
    assert _tables(database_url) == MODEL_TABLES
    assert current_revision(database_url) == head_revision()


def test_downgrade_to_base_removes_tables_and_upgrade_works_again(database_url: str) -> None:
    upgrade(database_url)
    engine = make_engine(database_url)
    _seed_append_only_rows(engine)  # dropping tables must not trip the append-only triggers
    engine.dispose()

    downgrade(database_url, "base")
    assert _tables(database_url) == set()
    assert current_revision(database_url) is None

    upgrade(database_url)
    assert _tables(database_url) == MODEL_TABLES
    assert current_revision(database_url) == head_revision()


def test_downgrade_0002_keeps_0001_and_its_data(database_url: str) -> None:
    upgrade(database_url)
    engine = make_engine(database_url)
    _seed_append_only_rows(engine)  # a sent outbox row and a prompt must not block dropping

    downgrade(database_url, "0001")
    assert current_revision(database_url) == "0001"
    assert _tables(database_url) == (
        MODEL_TABLES
        - TABLES_0002
        - TABLES_0004
        - TABLES_0005
        - TABLES_0006
        - TABLES_0007
        - TABLES_0008
        - TABLES_0009
        - TABLES_0012
        - TABLES_0013
        - TABLES_0015
        - TABLES_0017
        - TABLES_0019
        - TABLES_0024
        - TABLES_0025
        - TABLES_0027
        - TABLES_0034
        - TABLES_0035
        - TABLES_0036
        - TABLES_0038
        - TABLES_0039
    )
    with engine.connect() as conn:
        assert conn.scalar(sa.select(sa.func.count()).select_from(EventRow)) == 1

    upgrade(database_url)  # triggers and the PostgreSQL function were dropped, so this works
    assert _tables(database_url) == MODEL_TABLES
    with engine.connect() as conn:
        assert conn.scalar(sa.select(sa.func.count()).select_from(OutboxRow)) == 0
    engine.dispose()


def test_models_and_migrations_agree(migrated_url: str) -> None:
    """What `alembic check` does: autogenerate finds nothing to add, drop or alter."""
    engine = make_engine(migrated_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


@pytest.mark.parametrize("table", [StatusUpdateRow, EventRow, PromptRow])
@pytest.mark.parametrize("operation", ["update", "delete"])
def test_append_only_tables_reject_update_and_delete(
    migrated_url: str,
    table: type[StatusUpdateRow] | type[EventRow] | type[PromptRow],
    operation: str,
) -> None:
    engine = make_engine(migrated_url)
    _seed_append_only_rows(engine)
    with engine.connect() as conn:
        before = conn.execute(sa.select(table)).all()
    statement: sa.Executable = (
        sa.update(table).values(programme_id="p") if operation == "update" else sa.delete(table)
    )
    with pytest.raises(sa.exc.IntegrityError, match="append-only"), engine.begin() as conn:
        conn.execute(statement)
    with engine.connect() as conn:
        assert conn.execute(sa.select(table)).all() == before
    engine.dispose()


@pytest.mark.postgres
def test_append_only_tables_reject_truncate_on_postgres(postgres_url: str) -> None:
    upgrade(postgres_url)
    engine = make_engine(postgres_url)
    _seed_append_only_rows(engine)
    for table in ("status_updates", "events", "prompts"):
        with pytest.raises(sa.exc.IntegrityError, match="append-only"), engine.begin() as conn:
            conn.execute(sa.text(f"TRUNCATE {table}"))
    with engine.connect() as conn:
        assert conn.scalar(sa.select(sa.func.count()).select_from(StatusUpdateRow)) == 1
    engine.dispose()


def test_sqlite_enforces_foreign_keys(sqlite_url: str) -> None:
    upgrade(sqlite_url)
    engine = make_engine(sqlite_url)
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        conn.execute(
            sa.insert(before_0018(StatusUpdateRow)).values(
                programme_id="no-such-programme",
                item_code="1.1",
                status="done",
                reported_on=date(2016, 1, 4),
                source="cli",
                recorded_at=NOW,
            )
        )
    engine.dispose()


def test_failed_migration_rolls_back_completely(database_url: str) -> None:
    """Migrations run in one transaction on both databases (SQLite too: DDL included)."""
    engine = make_engine(database_url)
    with engine.begin() as conn:  # a stray table makes the last create_table of 0001 fail
        conn.execute(sa.text("CREATE TABLE events (id INTEGER PRIMARY KEY)"))
    engine.dispose()
    with pytest.raises(sa.exc.DatabaseError):
        upgrade(database_url)
    assert _tables(database_url) == {"events"}
    assert current_revision(database_url) is None


def test_make_engine_creates_the_sqlite_directory(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "regie.db"
    upgrade(f"sqlite:///{path}")
    assert path.is_file()


def test_database_url_from_env() -> None:
    from regie.config import database_url_from_env

    home = Path("/srv/regie")
    assert database_url_from_env(home, env={}) == "sqlite:////srv/regie/regie.db"
    assert database_url_from_env(env={"REGIE_HOME": "/tmp/h"}) == "sqlite:////tmp/h/regie.db"
    assert database_url_from_env(env={}) == "sqlite:///var/regie.db"
    env = {"REGIE_DATABASE_URL": "postgres://u:p@db:5432/regie", "REGIE_HOME": "/x"}
    assert database_url_from_env(home, env=env) == "postgresql+psycopg://u:p@db:5432/regie"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///var/regie.db", "sqlite:///var/regie.db"),
    ],
)
def test_normalise_url(given: str, expected: str) -> None:
    assert normalise_url(given) == expected


def test_datetimes_are_aware_utc_and_naive_ones_are_refused(migrated_url: str) -> None:
    engine = make_engine(migrated_url)
    cet = datetime(2016, 1, 4, 10, 30, tzinfo=timezone(timedelta(hours=1)))
    with engine.begin() as conn:
        conn.execute(
            sa.insert(ProgrammeRow).values(id="p", title="P", created_at=cet, updated_at=cet)
        )
    with engine.connect() as conn:
        created = conn.scalar(sa.select(ProgrammeRow.created_at))
    assert created == cet and created is not None and created.tzinfo == UTC
    with pytest.raises(sa.exc.StatementError, match="naive datetime"), engine.begin() as conn:
        conn.execute(sa.update(ProgrammeRow).values(updated_at=datetime(2016, 1, 5)))
    engine.dispose()


def test_0010_fills_the_memory_with_what_the_assessment_counted(database_url: str) -> None:
    """0010 fills each stored memory row's latest update and forecast as the assessment picks
    them up to its programme's memory day: an update reported on that day counts, later ones do
    not; ties on the day broken by recording time, then id; the latest forecast from an older
    update, or from a later one after one without. Two programmes with their memories of
    different days and the same item codes: each row is filled from its own programme's updates
    up to its own day. A downgrade keeps the rows."""
    from governance.updates import StatusUpdate, UpdateStatus, latest_updates

    upgrade(database_url, "0009")
    engine = make_engine(database_url)
    days = {"p": date(2016, 2, 1), "q": date(2016, 1, 15)}
    updates = [  # (programme, item, status, reported_on, forecast, recorded after NOW by n min.)
        ("p", "1.1", "on_track", date(2016, 1, 4), date(2016, 3, 1), 0),
        ("p", "1.1", "at_risk", date(2016, 1, 11), None, 5),
        ("p", "1.1", "on_track", date(2016, 1, 11), None, 1),  # same day, recorded earlier
        ("p", "1.1", "done", date(2016, 2, 8), None, 9),  # after the memory's day
        ("p", "1.2", "at_risk", date(2016, 1, 20), date(2016, 4, 1), 2),
        ("p", "1.2", "on_track", date(2016, 1, 20), date(2016, 5, 2), 2),  # same instant: id
        ("p", "1.3", "done", date(2016, 1, 5), None, 3),
        # a forecast, none, then a later update with one again: the latest one's
        ("p", "1.5", "on_track", date(2016, 1, 4), date(2016, 3, 15), 0),
        ("p", "1.5", "on_track", date(2016, 1, 11), None, 0),
        ("p", "1.5", "at_risk", date(2016, 1, 25), date(2016, 4, 15), 0),
        # reported exactly on the memory's day (counted: ``<=``), after one without a forecast
        ("p", "1.6", "on_track", date(2016, 1, 20), None, 0),
        ("p", "1.6", "at_risk", date(2016, 2, 1), date(2016, 5, 20), 0),
        # q (memory of 15 January): recorded after p's, so a pick across programmes takes
        # them where the days tie; 1.1 updated on q's day, 1.2 after q's day but before p's
        ("q", "1.1", "on_track", date(2016, 1, 4), date(2016, 6, 1), 20),
        ("q", "1.1", "at_risk", date(2016, 1, 15), None, 21),
        ("q", "1.2", "on_track", date(2016, 1, 10), None, 22),
        ("q", "1.2", "at_risk", date(2016, 1, 20), date(2016, 7, 1), 23),
    ]
    memory_rows = {"p": ("1.1", "1.2", "1.3", "1.4", "1.5", "1.6"), "q": ("1.1", "1.2", "1.3")}
    with engine.begin() as conn:
        for pid in days:
            conn.execute(
                sa.insert(ProgrammeRow).values(
                    id=pid, title=pid.upper(), created_at=NOW, updated_at=NOW
                )
            )
        for pid, item, status, on, forecast, minutes in updates:
            conn.execute(
                sa.insert(before_0018(StatusUpdateRow)).values(
                    programme_id=pid, item_code=item, status=status, reported_on=on,
                    forecast=forecast, source="cli", recorded_at=NOW + timedelta(minutes=minutes),
                )
            )  # fmt: skip
        for pid, day in days.items():
            conn.execute(
                sa.text(
                    "INSERT INTO assessment_memory (programme_id, as_of, basis, plan_hash, "
                    "seen_update_id, recorded_at) VALUES (:pid, :day, 'b', NULL, 7, :now)"
                ),
                {"pid": pid, "day": day, "now": NOW},
            )
        for pid, codes in memory_rows.items():
            for code in codes:  # p 1.4, q 1.3: no update at all
                conn.execute(
                    sa.text(
                        "INSERT INTO item_memory (programme_id, item_code, state, rag, stale, "
                        "due, next_check, action_code, fingerprint) "
                        "VALUES (:pid, :code, 'on_track', 'green', false, NULL, NULL, '1', 'fp')"
                    ),
                    {"pid": pid, "code": code},
                )
    engine.dispose()

    upgrade(database_url)
    engine = make_engine(database_url)
    with engine.connect() as conn:
        stored = {
            (pid, code): (latest_id, latest_on, status, forecast)
            for pid, code, latest_id, latest_on, status, forecast in conn.execute(
                sa.text(
                    "SELECT programme_id, item_code, latest_id, latest_on, latest_status, "
                    "forecast FROM item_memory"
                )
            )
        }
        u = StatusUpdateRow
        fields = (u.programme_id, u.item_code, u.status, u.reported_on, u.forecast)
        rows = conn.execute(sa.select(*fields, u.recorded_at, u.id)).all()
    engine.dispose()
    # SQLite hands back days as ISO text to a plain-text query.
    stored = {
        key: tuple(date.fromisoformat(v) if isinstance(v, str) and "-" in v else v for v in row)
        for key, row in stored.items()
    }
    expected: dict[tuple[str, str], tuple[object, ...]] = {}
    for pid, day in days.items():
        history = [
            StatusUpdate(code, UpdateStatus(status), on, forecast, recorded_at=at, id=row_id)
            for owner, code, status, on, forecast, at, row_id in rows
            if owner == pid
        ]
        latest, forecasts = latest_updates(history, day)  # the assessment's own pick
        for code in memory_rows[pid]:
            counted = latest.get(code)
            expected[pid, code] = (
                (counted.id, counted.reported_on, counted.status.value)
                if counted is not None
                else (None, None, None)
            ) + (forecasts.get(code),)
    assert stored == expected
    assert stored["p", "1.1"] == (2, date(2016, 1, 11), "at_risk", date(2016, 3, 1))
    assert stored["p", "1.2"] == (6, date(2016, 1, 20), "on_track", date(2016, 5, 2))
    assert stored["p", "1.4"] == (None, None, None, None)
    assert stored["p", "1.5"] == (10, date(2016, 1, 25), "at_risk", date(2016, 4, 15))
    assert stored["p", "1.6"] == (12, date(2016, 2, 1), "at_risk", date(2016, 5, 20))
    assert stored["q", "1.1"] == (14, date(2016, 1, 15), "at_risk", date(2016, 6, 1))
    assert stored["q", "1.2"] == (15, date(2016, 1, 10), "on_track", None)
    assert stored["q", "1.3"] == (None, None, None, None)

    downgrade(database_url, "0009")
    engine = make_engine(database_url)
    with engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT count(*) FROM item_memory")) == 9
        columns = {c["name"] for c in sa.inspect(conn).get_columns("item_memory")}
        assert "latest_id" not in columns
    engine.dispose()


def _memory_rows(engine: sa.Engine, rows: list[tuple[str, str, str, str, str]]) -> None:
    """Programmes "p" and "q" and their memory ``rows`` (programme, item, state, rag, action)."""
    with engine.begin() as conn:
        for pid in ("p", "q"):
            conn.execute(
                sa.insert(ProgrammeRow).values(
                    id=pid, title=pid.upper(), created_at=NOW, updated_at=NOW
                )
            )
        for pid, code, state, rag, action in rows:
            conn.execute(
                sa.text(
                    "INSERT INTO item_memory (programme_id, item_code, state, rag, stale, "
                    "due, next_check, action_code, fingerprint) "
                    "VALUES (:pid, :code, :state, :rag, false, NULL, NULL, :action, 'fp')"
                ),
                {"pid": pid, "code": code, "state": state, "rag": rag, "action": action},
            )


TALLY_0011 = "SELECT programme_id, action_code, rag, state, item_count FROM item_memory_tally"


def _sorted_rows(url: str, sql: str) -> list[tuple[object, ...]]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return sorted(map(tuple, conn.execute(sa.text(sql)).all()))
    finally:
        engine.dispose()


def test_0011_stores_the_tally_of_the_memory_rows(database_url: str) -> None:
    """0011 stores, per programme, how many memory rows there are per (action, colour, state),
    counted from the rows; a downgrade drops the tally and keeps the rows."""
    upgrade(database_url, "0010")
    engine = make_engine(database_url)
    rows = [  # (programme, item, state, rag, action)
        ("p", "1.1", "overdue", "red", "1"),
        ("p", "1.2", "overdue", "red", "1"),
        ("p", "1.3", "open", "green", "1"),
        ("p", "2.1", "open", "green", "2"),
        ("q", "1.1", "overdue", "red", "1"),
    ]
    _memory_rows(engine, rows)
    engine.dispose()

    upgrade(database_url, "0011")
    assert _sorted_rows(database_url, TALLY_0011) == [
        ("p", "1", "green", "open", 1),
        ("p", "1", "red", "overdue", 2),
        ("p", "2", "green", "open", 1),
        ("q", "1", "red", "overdue", 1),
    ]

    downgrade(database_url, "0010")
    assert "item_memory_tally" not in _tables(database_url)
    engine = make_engine(database_url)
    with engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT count(*) FROM item_memory")) == len(rows)
    engine.dispose()


def test_0012_stores_the_tally_per_action_and_per_state(database_url: str) -> None:
    """0012 replaces 0011's groups with the memory rows' counts per action and colour and per
    state, counted from the rows; a downgrade counts 0011's groups from the rows again."""
    upgrade(database_url, "0011")
    engine = make_engine(database_url)
    rows = [  # (programme, item, state, rag, action)
        ("p", "1.1", "overdue", "red", "1"),
        ("p", "1.2", "overdue", "red", "1"),
        ("p", "1.3", "done", "green", "1"),
        ("p", "2.1", "undated", "grey", "2"),
        ("q", "1.1", "at_risk", "amber", "1"),
    ]
    _memory_rows(engine, rows)
    engine.dispose()

    upgrade(database_url)
    assert "item_memory_tally" not in _tables(database_url)
    actions = "SELECT programme_id, action_code, grey, green, amber, red FROM memory_action_tally"
    assert _sorted_rows(database_url, actions) == [
        ("p", "1", 0, 1, 0, 2),
        ("p", "2", 1, 0, 0, 0),
        ("q", "1", 0, 0, 1, 0),
    ]
    states = "SELECT programme_id, state, item_count FROM memory_state_tally"
    assert _sorted_rows(database_url, states) == [
        ("p", "done", 1),
        ("p", "overdue", 2),
        ("p", "undated", 1),
        ("q", "at_risk", 1),
    ]

    downgrade(database_url, "0011")
    assert TABLES_0012.isdisjoint(_tables(database_url))
    assert _sorted_rows(database_url, TALLY_0011) == [
        ("p", "1", "green", "done", 1),
        ("p", "1", "red", "overdue", 2),
        ("p", "2", "grey", "undated", 1),
        ("q", "1", "amber", "at_risk", 1),
    ]


def test_0013_keeps_the_feed_memory_and_adds_the_meetings_memory(database_url: str) -> None:
    """0013 adds the fingerprint and the published cancellation to feed_entries (the rows kept,
    both unknown: the next build records them) and the meetings' memory; down, the rows stay."""
    upgrade(database_url, "0012")
    engine = make_engine(database_url)
    with engine.begin() as conn:
        conn.execute(
            sa.insert(ProgrammeRow).values(id="p", title="P", created_at=NOW, updated_at=NOW)
        )
        conn.execute(
            sa.text(
                "INSERT INTO feed_entries (programme_id, item_code, due, sequence, changed_at)"
                " VALUES ('p', '1.1', :due, 2, :at)"
            ),
            {"due": date(2016, 4, 18), "at": NOW},
        )
    engine.dispose()

    upgrade(database_url)
    assert _tables(database_url) >= TABLES_0013
    entries = "SELECT item_code, sequence, fingerprint, cancelled FROM feed_entries"
    assert _sorted_rows(database_url, entries) == [("1.1", 2, None, None)]
    engine = make_engine(database_url)
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO feed_meetings (programme_id, uid, timing, sequence, fingerprint,"
                " changed_at) VALUES ('p', 'sg-2016-04-12@p.regie', '2016-04-12', 0, 'f', :at)"
            ),
            {"at": NOW},
        )
        with pytest.raises(sa.exc.IntegrityError), conn.begin_nested():
            conn.execute(  # one memory per event
                sa.text(
                    "INSERT INTO feed_meetings (programme_id, uid, timing, sequence,"
                    " fingerprint, changed_at) VALUES ('p', 'sg-2016-04-12@p.regie', 'x', 1,"
                    " 'g', :at)"
                ),
                {"at": NOW},
            )
    engine.dispose()

    downgrade(database_url, "0012")
    assert TABLES_0013.isdisjoint(_tables(database_url))
    assert _sorted_rows(database_url, "SELECT item_code, sequence FROM feed_entries") == [
        ("1.1", 2)
    ]


def _seed_bounce_and_approval(engine: sa.Engine) -> None:
    from store.models_delivery import MailBounceRow
    from store.models_reports import DecisionRow, ReportApprovalRow

    with engine.begin() as conn:
        conn.execute(
            sa.insert(ProgrammeRow).values(id="p", title="P", created_at=NOW, updated_at=NOW)
        )
        conn.execute(
            sa.insert(MailBounceRow).values(
                programme_id="p", dedupe_key="d1", message_key="reminder:c:2016-01-04:digest",
                recipient="c", email="c@example.nl", permanent=True, status="5.1.1",
                recorded_at=NOW,
            )
        )  # fmt: skip
        decision = conn.execute(
            sa.insert(DecisionRow)
            .values(
                programme_id="p", body_code="stuurgroep", meeting_on=date(2017, 1, 10),
                kind="besluit", text="Vastgesteld", recorded_at=NOW,
            )
            .returning(DecisionRow.id)
        ).scalar_one()  # fmt: skip
        conn.execute(
            sa.insert(ReportApprovalRow).values(
                programme_id="p", decision_id=decision, report_code="r",
                period_from=date(2015, 1, 1), period_to=date(2016, 12, 31), recorded_at=NOW,
            )
        )  # fmt: skip


@pytest.mark.parametrize("table", ["mail_bounces", "report_approvals"])
@pytest.mark.parametrize("operation", ["UPDATE {} SET programme_id = 'p'", "DELETE FROM {}"])
def test_bounces_and_report_approvals_are_append_only(
    migrated_url: str, table: str, operation: str
) -> None:
    """Records, as status updates are: the database refuses to change or remove them (a
    bounce only with its contact's erasure, tests of `regie contact forget`)."""
    engine = make_engine(migrated_url)
    _seed_bounce_and_approval(engine)
    with pytest.raises(sa.exc.IntegrityError, match="append-only"), engine.begin() as conn:
        conn.execute(sa.text(operation.format(table)))
    if migrated_url.startswith("postgresql"):
        with pytest.raises(sa.exc.IntegrityError, match="append-only"), engine.begin() as conn:
            conn.execute(sa.text(f"TRUNCATE {table} CASCADE"))
    with engine.connect() as conn:
        assert conn.scalar(sa.text(f"SELECT count(*) FROM {table}")) == 1
    engine.dispose()


def test_a_running_erasure_may_remove_its_programme_s_bounces_only(migrated_url: str) -> None:
    from store.models_delivery import MailBounceRow
    from store.models_erasure import ErasureRow

    engine = make_engine(migrated_url)
    _seed_bounce_and_approval(engine)
    with engine.begin() as conn:
        conn.execute(
            sa.insert(ProgrammeRow).values(id="q", title="Q", created_at=NOW, updated_at=NOW)
        )
    for programme, removed in (("q", 0), ("p", 1)):  # another programme's erasure: refused
        erasing = sa.insert(ErasureRow).values(
            programme_id=programme, contact_code="c", pseudonym=f"vertrokken-{programme}",
            forgotten_at=NOW, in_progress=True,
        )  # fmt: skip
        closing = sa.update(ErasureRow).values(in_progress=False)
        if removed:
            with engine.begin() as conn:
                conn.execute(erasing)
                conn.execute(sa.delete(MailBounceRow))
                conn.execute(closing)
        else:
            with pytest.raises(sa.exc.IntegrityError, match="append-only"), engine.begin() as c:
                c.execute(erasing)
                c.execute(sa.delete(MailBounceRow))
        with engine.connect() as conn:
            left = conn.scalar(sa.select(sa.func.count()).select_from(MailBounceRow))
        assert left == 1 - removed
    engine.dispose()


def test_0038_gives_each_assessed_item_the_day_of_its_first_state(database_url: str) -> None:
    """The backfill of the first assessed days: each item with a recorded state gets the day
    of its first one (what the daily cycle would have stored) and that state's recorded_at,
    per programme; an item never assessed gets none (its first cycle stores it). A renumbered
    item takes the old id's day, along a chain too, as the sync does at run time (review51 1)."""
    upgrade(database_url, "0037")
    engine = make_engine(database_url)
    at = [NOW + timedelta(days=n) for n in range(6)]
    states = [
        ("p", "1.1", date(2016, 1, 4), at[0]),
        ("p", "1.1", date(2016, 2, 1), at[1]),
        ("p", "2.1", date(2016, 3, 1), at[2]),  # added to the plan later
        ("p", "1.3", date(2016, 1, 5), at[3]),  # renumbered 1.3 → 3.1 → 4.1
        ("p", "3.1", date(2016, 5, 2), at[4]),
        ("p", "4.1", date(2016, 6, 1), at[5]),
        ("q", "1.1", date(2017, 5, 1), at[0]),
    ]
    with engine.begin() as conn:
        for pid in ("p", "q"):
            conn.execute(
                sa.insert(ProgrammeRow).values(id=pid, title=pid, created_at=NOW, updated_at=NOW)
            )
        for pid, code, day, when in states:
            conn.execute(
                sa.text(
                    "INSERT INTO item_states (programme_id, item_code, as_of, state, rag, stale, "
                    "recorded_at) VALUES (:p, :c, :d, 'on_track', 'green', :f, :at)"
                ).bindparams(sa.bindparam("at", type_=UTCDateTime())),
                {"p": pid, "c": code, "d": day, "f": False, "at": when},
            )
        for old, new in (("1.3", "3.1"), ("3.1", "4.1"), ("9.9", "9.8")):  # 9.9: no day
            conn.execute(
                sa.insert(EventRow).values(
                    programme_id="p", name="regie.item.renumbered", item_code=new,
                    occurred_on=date(2016, 5, 2), recorded_at=NOW,
                    payload={"from": old, "to": new}, dedupe_key=f"r:{old}:{new}",
                )
            )  # fmt: skip
    upgrade(database_url, "0038")
    from store.first_assessed import first_assessed_days
    from store.models_faults import ItemFirstAssessedRow

    with engine.connect() as conn:
        assert first_assessed_days(conn, "p") == {
            "1.1": date(2016, 1, 4),
            "2.1": date(2016, 3, 1),
            "1.3": date(2016, 1, 5),
            "3.1": date(2016, 1, 5),
            "4.1": date(2016, 1, 5),
        }
        assert first_assessed_days(conn, "q") == {"1.1": date(2017, 5, 1)}
        t = ItemFirstAssessedRow.__table__.c
        recorded = dict(
            conn.execute(sa.select(t.item_code, t.recorded_at).where(t.programme_id == "p")).all()
        )
        assert recorded == {"1.1": at[0], "2.1": at[2], "1.3": at[3], "3.1": at[3], "4.1": at[3]}
        # A report's cut-off reads the rows written by then only.
        assert first_assessed_days(conn, "p", recorded_until=at[2]) == {
            "1.1": date(2016, 1, 4),
            "2.1": date(2016, 3, 1),
        }
    engine.dispose()
    downgrade(database_url, "0037")
    assert "item_first_assessed" not in _tables(database_url)
