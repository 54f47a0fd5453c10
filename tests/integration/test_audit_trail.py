"""The audit trail (findings 4, 5, 7, 8 and 12 of the ADR review): who recorded each change,
failed delivery attempts kept, the state history and erasure register append-only, one export
of every recorded action, and `regie audit verify` — on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import stat
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from regie.bootstrap import App
from store.actor import acting_as
from tests.cli_in_process import regie
from tests.conftest import SEED_PLAN
from tests.integration.test_web_item_page import PASSWORD, _app, _client, visible

NOW = datetime(2026, 12, 4, 3, 10, tzinfo=UTC)


def _rows(app: App, sql: str, **params: object) -> list[tuple[object, ...]]:
    with app.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text(sql), params)]


def _events(app: App, name: str) -> list[dict[str, object]]:
    return [
        {"item": item, **(json.loads(p) if isinstance(p, str) else p)}
        for item, p in _rows(app, "SELECT item_code, payload FROM events WHERE name = :n "
                                  "ORDER BY id", n=name)
    ]  # fmt: skip


def test_every_change_names_who_recorded_it(tmp_path: Path, migrated_url: str) -> None:
    """Status updates, decisions (with an event of their own), plan revisions, calendar tokens
    and users record the acting person, not the role or contact the record is about."""
    from regie.decisions import add_decision
    from regie.feeds import create_token, revoke_token
    from regie.history import record_update
    from regie.services import sync
    from regie.users import add_user, disable_user, forget_user

    app = _app(tmp_path, migrated_url)
    with acting_as("alice"):
        sync(app, None)
        record_update(
            app, "1.1.1", "on_track", as_of=date(2015, 10, 1), forecast=None,
            completed_on=None, comment=None, author="ienm-voorbeeld",
        )  # fmt: skip
    with acting_as("bob"):
        add_decision(
            app, "stuurgroep", date(2015, 10, 13), "Nieuwe datum", set_gereed=("1.1.1", "Q1-2016")
        )
        token = create_token(app, "programme", None, NOW)
    with acting_as("carol"):
        revoke_token(app, token.id, NOW)
        add_user(app, "mdw2", PASSWORD, None, NOW)
        disable_user(app, "mdw2", NOW)
        forget_user(app, "mdw2", NOW)

    assert _rows(app, "SELECT author, recorded_by FROM status_updates") == [
        ("ienm-voorbeeld", "alice")
    ]
    assert _rows(app, "SELECT recorded_by FROM decisions") == [("bob",)]
    by = dict(_rows(app, "SELECT recorded_by, count(*) FROM plan_revisions GROUP BY recorded_by"))
    assert set(by) == {"alice", "bob"} and by["bob"] >= 1  # the decision's plan change: bob
    assert _rows(app, "SELECT created_by, revoked_by FROM calendar_tokens") == [("bob", "carol")]
    assert _rows(app, "SELECT username, created_by, disabled_by, forgotten_by FROM users") == [
        ("vertrokken-gebruiker-1", "carol", "carol", "carol")
    ]
    decided = _events(app, "regie.decision.recorded")
    assert len(decided) == 1 and decided[0]["item"] == "1.1.1"
    assert decided[0]["by"] == "bob" and decided[0]["gereed_after"] == "Q1-2016"
    bobs = _rows(app, "SELECT id FROM plan_revisions WHERE recorded_by = 'bob' ORDER BY id")
    assert decided[0]["plan_revisions"] == [i for (i,) in bobs]
    assert [e["by"] for e in _events(app, "regie.calendar_token.created")] == ["bob"]
    assert [e["by"] for e in _events(app, "regie.calendar_token.revoked")] == ["carol"]
    for name in ("regie.user.added", "regie.user.disabled", "regie.user.forgotten"):
        assert [e["by"] for e in _events(app, name)] == ["carol"], name
    assert _events(app, "regie.user.forgotten")[0]["user"] == "vertrokken-gebruiker-1"


def test_logins_and_web_changes_are_recorded_with_the_user(
    tmp_path: Path, migrated_url: str
) -> None:
    """A failed login (wrong password; unknown name: "unknown", never the text typed) and a
    successful one are events; a calendar token made on /agenda names the logged-in user."""
    from regie.services import sync
    from regie.users import log_in

    app = _app(tmp_path, migrated_url)
    sync(app, None)
    office = _client(app)  # adds the user "office" and logs in
    assert log_in(app, "office", "wrong password!", NOW) is None
    assert log_in(app, "geheim-wachtwoord-in-naamveld", "x" * 12, NOW) is None
    assert [e["user"] for e in _events(app, "regie.login.succeeded")] == ["office"]
    failed = _events(app, "regie.login.failed")
    assert [(e["user"], e["reason"]) for e in failed] == [
        ("office", "password"), ("unknown", "unknown")
    ]  # fmt: skip
    assert "geheim" not in json.dumps(_rows(app, "SELECT payload FROM events"), default=str)

    agenda = office.get("/agenda")
    csrf = agenda.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    made = office.post("/agenda", data={"bereik": "programme", "csrf_token": csrf})
    assert made.status_code == 200
    assert _rows(app, "SELECT created_by FROM calendar_tokens") == [("office",)]
    assert [e["by"] for e in _events(app, "regie.calendar_token.created")] == ["office"]


def test_a_failed_attempt_stays_on_record_after_the_message_went_out(
    tmp_path: Path, migrated_url: str
) -> None:
    """Each failed attempt is an event (key, attempt, reason, when); a later success clears
    the row's last_error but not the event; the item page says the reminder went out late."""
    from regie.cycle import deadline_check
    from store import Repository

    app = _app(tmp_path, migrated_url)
    deadline_check(app, date(2015, 10, 1))
    with app.session() as session, session.begin():
        repo = Repository(session, app.programme_id())
        claimed = repo.claim_outbox(limit=1, now=NOW)
        assert claimed
        key = claimed[0].key
        repo.mark_failed(key, error="mail server not reachable", now=NOW,
                         claim_token=claimed[0].claim_token, max_attempts=5)  # fmt: skip
    later = NOW + timedelta(hours=1)
    with app.session() as session, session.begin():
        repo = Repository(session, app.programme_id())
        again = repo.claim_outbox(limit=None, now=later)
        token = next(m.claim_token for m in again if m.key == key)
        repo.mark_sent(key, channel="file", external_id=None, now=later, claim_token=token)
    assert _rows(app, "SELECT status, attempts, last_error FROM outbox WHERE key = :k", k=key) == [
        ("sent", 2, None)
    ]
    failed = _events(app, "regie.message.failed")
    assert len(failed) == 1
    assert failed[0]["key"] == key and failed[0]["attempt"] == 1
    assert failed[0]["reason"] == "mail server not reachable"
    assert failed[0]["at"] == NOW.isoformat()

    from regie.cli.tables import _late
    from regie.history import list_outbox

    sent = next(m for m in list_outbox(app, "sent") if m.key == key)
    assert _late(sent) == "sent after 1 failed attempt"
    item = next(
        str(code) for (code,) in _rows(
            app, "SELECT item_code FROM prompts WHERE contact_code = :c", c=claimed[0].recipient
        )
    )  # fmt: skip
    shown = visible(_client(app).get(f"/items/{item}").text)
    assert "te laat: na 1 mislukte poging" in shown, shown
    # When recorded: date, time and zone, apart from the business date (finding 12).
    assert re.search(r"Vastgelegd op .*\d\d:\d\d:\d\d \(Amsterdamse tijd, UTC\+0[12]:00\)", shown)


def _state_rows(app: App) -> None:
    with app.engine.begin() as conn:
        conn.execute(
            sa.text("INSERT INTO programmes (id, title, created_at, updated_at) "
                    "VALUES ('p', 'P', :t, :t)"), {"t": NOW.replace(tzinfo=None)}
        )  # fmt: skip
        for day in (date(2015, 10, 1), date(2015, 10, 2)):
            conn.execute(
                sa.text("INSERT INTO assessed_days (programme_id, as_of, recorded_at) "
                        "VALUES ('p', :d, :t)"), {"d": day, "t": NOW.replace(tzinfo=None)}
            )  # fmt: skip
            conn.execute(
                sa.text(
                    "INSERT INTO item_states (programme_id, item_code, as_of, state, rag, stale, "
                    "recorded_at) VALUES ('p', '3.5.1', :d, 'overdue', 'red', false, :t)"
                ),
                {"d": day, "t": NOW.replace(tzinfo=None)},
            )


def test_the_state_history_of_assessed_days_is_append_only(
    tmp_path: Path, migrated_url: str
) -> None:
    """Rows of a day before the latest assessed day are refused UPDATE and DELETE; the latest
    day's rows stay writable (a rerun of that day replaces them)."""
    app = _app(tmp_path, migrated_url)
    _state_rows(app)
    old = "item_code = '3.5.1' AND as_of = '2015-10-01'"
    for sql in (f"UPDATE item_states SET state = 'done', rag = 'green' WHERE {old}",
                f"DELETE FROM item_states WHERE {old}", "DELETE FROM item_states"):  # fmt: skip
        with pytest.raises(sa.exc.DatabaseError, match="state history"), app.engine.begin() as c:
            c.execute(sa.text(sql))
    with app.engine.begin() as conn:  # the latest day: a rerun may rewrite it
        conn.execute(sa.text("UPDATE item_states SET rag = 'amber' WHERE as_of = '2015-10-02'"))
        conn.execute(sa.text("DELETE FROM item_states WHERE as_of = '2015-10-02'"))
    assert _rows(app, "SELECT state, rag FROM item_states") == [("overdue", "red")]
    if app.engine.dialect.name == "postgresql":
        with pytest.raises(sa.exc.DatabaseError), app.engine.begin() as conn:
            conn.execute(sa.text("TRUNCATE item_states"))


def test_the_erasure_register_is_append_only(tmp_path: Path, migrated_url: str) -> None:
    """Forgetting a contact still works (insert, running, closed); afterwards its row can be
    neither deleted nor given another pseudonym or contact."""
    from regie.erasure import forget_contact
    from tests.integration.test_contact_erasure import WHO, _history
    from tests.integration.test_contact_erasure import _app as erasure_app

    app = erasure_app(tmp_path, migrated_url)
    _history(app)
    with acting_as("dora"):
        forget_contact(app, WHO, NOW, notes=False, apply=True)
    assert _rows(app, "SELECT pseudonym, forgotten_by FROM erasures") == [("vertrokken-1", "dora")]
    for sql in ("DELETE FROM erasures", "UPDATE erasures SET pseudonym = 'x'",
                "UPDATE erasures SET contact_code = 'iemand'"):  # fmt: skip
        with pytest.raises(sa.exc.DatabaseError, match="erasure register"), app.engine.begin() as c:
            c.execute(sa.text(sql))


def test_the_export_holds_every_recorded_action_of_the_interval(
    tmp_path: Path, migrated_url: str
) -> None:
    """Updates, decisions, revisions, events, queued/sent messages and their failed attempts,
    tokens: one row each, recorded_at with its UTC offset, business date apart; an interval
    before them holds none."""
    from regie.cycle import deadline_check, send_reminders
    from regie.decisions import add_decision
    from regie.feeds import create_token
    from regie.history import audit_export, record_update
    from regie.services import sync

    app = _app(tmp_path, migrated_url)
    start = datetime.now(UTC)
    with acting_as("erik"):
        sync(app, None)
        record_update(
            app, "1.1.1", "at_risk", as_of=date(2015, 9, 21), forecast=None,
            completed_on=None, comment="nagekomen", author=None,
        )  # fmt: skip
        record_update(
            app, "1.1.1", "on_track", as_of=date(2015, 9, 21), forecast=None,
            completed_on=None, comment="toch op schema", author=None, corrects=1,
        )  # fmt: skip
        add_decision(app, "stuurgroep", date(2015, 10, 13), "Akkoord")
        create_token(app, "programme", "voor de auditor", datetime.now(UTC))
        deadline_check(app, date(2015, 10, 1))
        send_reminders(app)
    end = datetime.now(UTC) + timedelta(seconds=1)
    rows = audit_export(app, start, end)
    kinds = {r.kind for r in rows}
    for kind in ("status_update", "decision", "plan_revision", "regie.decision.recorded",
                 "regie.status.updated", "regie.calendar_token.created", "message.queued",
                 "message.sent", "regie.reminder.queued"):  # fmt: skip
        assert kind in kinds, kind
    assert all(start <= r.recorded_at < end for r in rows)
    update, correction = (r for r in rows if r.kind == "status_update")
    assert (update.actor, update.item, str(update.business_date)) == ("erik", "1.1.1", "2015-09-21")
    assert (update.details["corrects"], correction.details["corrects"]) == (None, update.source_id)
    assert update.as_dict()["recorded_at"].endswith("+00:00")
    assert {r.actor for r in rows if r.source in ("decisions", "plan_revisions")} == {"erik"}
    assert audit_export(app, start - timedelta(days=1), start) == []


def _verify_finds(
    app: App, tamper: dict[str, tuple[str, ...]], found: dict[str, list[str]]
) -> None:
    """`audit verify` finds nothing; after ``tamper``'s statements for the app's database it
    finds exactly what ``found`` lists for that database."""
    from regie.history import audit_verify

    dialect = app.engine.dialect.name
    assert audit_verify(app) == []
    with app.engine.begin() as conn:
        for sql in tamper[dialect]:
            conn.execute(sa.text(sql))
    assert audit_verify(app) == found[dialect]


def test_verify_finds_dropped_and_disabled_triggers_and_deleted_rows(
    tmp_path: Path, migrated_url: str
) -> None:
    from regie.history import record_update
    from regie.services import sync

    app = _app(tmp_path, migrated_url)
    sync(app, None)
    for day in (1, 2, 3):
        record_update(
            app, "1.1.1", "on_track", as_of=date(2015, 10, day), forecast=None,
            completed_on=None, comment=None, author=None,
        )  # fmt: skip
    tamper = {
        "sqlite": (
            "DROP TRIGGER status_updates_no_delete",
            "DELETE FROM status_updates WHERE id = 2",
        ),
        "postgresql": (
            "ALTER TABLE events DISABLE TRIGGER events_append_only",
            "DROP TRIGGER item_states_history ON item_states",
        ),
    }
    found = {
        "sqlite": [
            "trigger status_updates_no_delete: missing (dropped?)",
            "status_updates: 1 id missing between 1 and 3 (rows deleted?): 2",
        ],
        "postgresql": [  # sequences leave gaps by design: not reported there
            "trigger events_append_only on events: disabled",
            "trigger item_states_history on item_states: missing (dropped?)",
        ],
    }
    _verify_finds(app, tamper, found)


def test_cli_operator_export_events_and_decision_times(
    tmp_path: Path, regie_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--operator` (or REGIE_OPERATOR) is who the records name; the export is a 0600 file
    with ISO times; `regie events` filters on when recorded and writes CSV; `decision list`
    shows when and by whom a decision was recorded, apart from the meeting's date."""
    plan = tmp_path / "plan.yaml"
    shutil.copy(SEED_PLAN, plan)
    monkeypatch.setenv("REGIE_PLAN", str(plan))
    monkeypatch.delenv("REGIE_OPERATOR", raising=False)
    done = regie("--operator", "alice", "update", "1.1.1", "--status", "on_track",
                 "--as-of", "2015-10-01")  # fmt: skip
    assert done.code == 0, done.err
    decided = regie("decision", "add", "--body", "stuurgroep", "--meeting", "2015-10-13",
                    "--text", "Akkoord", env={"REGIE_OPERATOR": "bob"})  # fmt: skip
    assert decided.code == 0, decided.err
    listed = regie("decision", "list").out
    assert "2015-10-13" in listed and "by bob)" in listed
    assert re.search(r"recorded \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0[12]:00 by bob", listed), listed

    out = tmp_path / "audit.csv"
    exported = regie("audit", "export", "--from", "2020-01-01", "--to", "2100-01-01",
                     "--out", str(out))  # fmt: skip
    assert exported.code == 0, exported.err
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    update = next(r for r in rows if r["kind"] == "status_update")
    assert (update["actor"], update["business_date"]) == ("alice", "2015-10-01")
    assert datetime.fromisoformat(update["recorded_at"]).utcoffset() == timedelta(0)
    assert next(r for r in rows if r["kind"] == "decision")["actor"] == "bob"
    # Its event names who typed it in too, as every command's event does (walk58b 3).
    event = next(r for r in rows if r["kind"] == "regie.status.updated")
    assert event["actor"] == "alice", event

    events = regie("events", "--recorded-since", "2020-01-01", "--format", "csv").out
    header, *lines = events.splitlines()
    assert header == "recorded_at,occurred_on,name,item_id,payload"
    assert any("regie.decision.recorded" in line for line in lines)
    later = regie("events", "--recorded-since", "2099-01-01T00:00Z", "--format", "csv").out
    assert later.splitlines() == [header]
    bad = regie("events", "--recorded-since", "gisteren")
    assert bad.code == 2 and "--recorded-since" in bad.err

    assert regie("audit", "verify").code == 0
    with sa.create_engine(f"sqlite:///{regie_home / 'regie.db'}").begin() as conn:
        conn.execute(sa.text("DROP TRIGGER events_no_update"))
    broken = regie("audit", "verify")
    assert broken.code == 1
    assert broken.err.strip() == "trigger events_no_update: missing (dropped?)"


def test_verify_names_the_bounce_and_approval_triggers_when_dropped(
    tmp_path: Path, migrated_url: str
) -> None:
    """mail_bounces (0026) and report_approvals (0025) are guarded like the older records."""
    from regie.services import sync

    app = _app(tmp_path, migrated_url)
    sync(app, None)
    tamper = {
        "sqlite": (
            "DROP TRIGGER mail_bounces_no_delete",
            "DROP TRIGGER report_approvals_no_update",
        ),
        "postgresql": (
            "DROP TRIGGER mail_bounces_append_only ON mail_bounces",
            "DROP TRIGGER report_approvals_no_truncate ON report_approvals",
        ),
    }
    found = {
        "sqlite": [
            "trigger mail_bounces_no_delete: missing (dropped?)",
            "trigger report_approvals_no_update: missing (dropped?)",
        ],
        "postgresql": [
            "trigger mail_bounces_append_only on mail_bounces: missing (dropped?)",
            "trigger report_approvals_no_truncate on report_approvals: missing (dropped?)",
        ],
    }
    _verify_finds(app, tamper, found)


#: A guard that lets every change through, in each database's form.
_ALLOWING = {
    "sqlite": (
        "DROP TRIGGER mail_bounces_no_update",
        "CREATE TRIGGER mail_bounces_no_update BEFORE UPDATE ON mail_bounces WHEN 0 "
        "BEGIN SELECT RAISE(ABORT, 'mail_bounces is append-only: UPDATE refused'); END",
    ),
    "postgresql": (
        "CREATE OR REPLACE FUNCTION regie_mail_bounce_guard() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; "
        "RETURN NEW; END $$",
    ),
}


def test_verify_finds_a_guard_replaced_by_one_that_allows_changes(
    tmp_path: Path, migrated_url: str
) -> None:
    """The guard's own text is compared with what the migrations install: SQLite's trigger,
    PostgreSQL's trigger function (retention50: before, `CREATE OR REPLACE FUNCTION` with an
    allowing body left every trigger in place and passed). The tampered guard really lets an
    update through; `audit verify` names it, one line, exit 1."""
    from regie.services import sync
    from store import bounces
    from store.models_delivery import MailBounceRow

    app = _app(tmp_path, migrated_url)
    sync(app, None)
    with app.session() as session:
        programme = app.programme_id()
        sent = bounces.SentMessage(programme, "reminder:a:1", "a", "A.", None)
        assert bounces.record(
            session, sent, dedupe_key="d1", email="a@example.org", permanent=True,
            status="5.1.1", diagnostic="no such user", reported_at=NOW, now=NOW,
        )  # fmt: skip
        session.commit()
    dialect = app.engine.dialect.name
    line = {
        "sqlite": "trigger mail_bounces_no_update: changed from what the migrations installed",
        "postgresql": "function regie_mail_bounce_guard(): changed from what the migrations "
        "installed",
    }
    env = {"REGIE_HOME": str(tmp_path / "home"), "REGIE_DATABASE_URL": migrated_url,
           "REGIE_PLAN": str(SEED_PLAN)}  # fmt: skip
    assert regie("audit", "verify", env=env).code == 0
    _verify_finds(app, _ALLOWING, {dialect: [line[dialect]]})
    with app.engine.begin() as conn:  # the tampering is real: a bounce's address rewritten
        conn.execute(sa.update(MailBounceRow).values(email="forged@example.org"))
    broken = regie("audit", "verify", env=env)
    assert (broken.code, broken.err.strip()) == (1, line[dialect]), broken.err
    assert "Traceback" not in broken.err


@pytest.mark.parametrize(
    "database_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_verify_on_postgresql_names_a_trigger_that_runs_another_function_or_fires_otherwise(
    tmp_path: Path, migrated_url: str
) -> None:
    """A guard trigger re-created under its own name on another function, or on other
    events, one made to fire only on a replica, and a guard function dropped: each named, as
    SQLite's changed trigger SQL is. The reference follows the database's revision: at 0036
    the bounce guard is 0026's, and verify passes there."""
    from store import downgrade, upgrade
    from store.audit import verify
    from store.pg_guards import reference_guards

    downgrade(migrated_url, "0036")
    engine = sa.create_engine(migrated_url)
    try:
        with Session(engine) as session:
            assert verify(session, guards=reference_guards("0036")) == []
            assert verify(session, guards=reference_guards(None)) == [
                "function regie_mail_bounce_guard(): changed from what the migrations installed"
            ]
    finally:
        engine.dispose()
    upgrade(migrated_url)
    app = _app(tmp_path, migrated_url)
    with app.engine.begin() as conn:  # an allowing function under another name
        conn.execute(sa.text(
            "CREATE FUNCTION regie_item_states_guard_copy() RETURNS trigger LANGUAGE plpgsql "
            "AS $$ BEGIN RETURN NEW; END $$"
        ))  # fmt: skip
    tamper = {
        "postgresql": (
            "ALTER TABLE events ENABLE REPLICA TRIGGER events_no_truncate",
            "DROP TRIGGER item_states_history ON item_states",
            "CREATE TRIGGER item_states_history BEFORE UPDATE OR DELETE ON item_states "
            "FOR EACH ROW EXECUTE FUNCTION regie_item_states_guard_copy()",
            "DROP TRIGGER outbox_no_truncate ON outbox",
            "CREATE TRIGGER outbox_no_truncate BEFORE INSERT ON outbox "
            "FOR EACH STATEMENT EXECUTE FUNCTION regie_outbox_guard()",
            "DROP FUNCTION regie_redaction_left_open() CASCADE",
            # Disarmed by a WHEN, or narrowed to a column list: names and events as installed.
            "DROP TRIGGER events_append_only ON events",
            "CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events "
            "FOR EACH ROW WHEN (false) EXECUTE FUNCTION regie_erasure_guard()",
            "DROP TRIGGER prompts_append_only ON prompts",
            "CREATE TRIGGER prompts_append_only BEFORE UPDATE OF id OR DELETE ON prompts "
            "FOR EACH ROW EXECUTE FUNCTION regie_reject_change()",
            # A same-named allowing function in another schema (review50 1).
            "CREATE SCHEMA elsewhere",
            "CREATE FUNCTION elsewhere.regie_erasure_guard() RETURNS trigger LANGUAGE plpgsql "
            "AS $$ BEGIN IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$",
            "DROP TRIGGER status_updates_append_only ON status_updates",
            "CREATE TRIGGER status_updates_append_only BEFORE UPDATE OR DELETE ON "
            "status_updates FOR EACH ROW EXECUTE FUNCTION elsewhere.regie_erasure_guard()",
        )
    }
    _verify_finds(app, tamper, {"postgresql": [
        "trigger events_no_truncate on events: disabled (fires only on a replica)",
        "trigger events_append_only on events: fires only WHEN a condition holds, not as "
        "installed",
        "trigger item_states_history on item_states: runs regie_item_states_guard_copy(), not "
        "regie_item_states_guard() as installed",
        "trigger outbox_no_truncate on outbox: fires on other events than installed",
        "trigger prompts_append_only on prompts: fires on other events than installed",
        "trigger status_updates_append_only on status_updates: runs regie_erasure_guard() of "
        "schema elsewhere, not the one installed",
        "trigger update_redactions_closed on update_redactions: missing (dropped?)",
        "function regie_redaction_left_open(): missing (dropped?)",
    ]})  # fmt: skip
