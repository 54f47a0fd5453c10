"""Command-line follow-ups of the audit review, on SQLite and PostgreSQL: `regie calendar token
create` before the first sync says so in one line (exit 2, not a database error, exit 3); `regie
update redact` records the operator as every command does (`--operator`, REGIE_OPERATOR)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import sqlalchemy as sa

from tests.cli_in_process import regie
from tests.conftest import SEED_PLAN
from tests.integration.test_note_privacy import FIXTURE, NOTE


def _env(tmp_path: Path, url: str, plan: Path = SEED_PLAN) -> dict[str, str]:
    copy = tmp_path / "plan.yaml"
    shutil.copy(plan, copy)
    return {"REGIE_HOME": str(tmp_path / "home"), "REGIE_DATABASE_URL": url,
            "PREFECT_API_URL": "", "REGIE_PLAN": str(copy)}  # fmt: skip


def test_a_token_before_the_first_sync_says_run_sync(tmp_path: Path, migrated_url: str) -> None:
    env = _env(tmp_path, migrated_url)
    early = regie("calendar", "token", "create", "--scope", "programme", env=env)
    assert early.code == 2 and early.out == ""
    assert early.err.splitlines() == [
        "calendar token create: programme 'mvi-2015-2020' is not in the database yet: "
        "run `regie sync` first"
    ]
    # A bad scope is still said as such, first.
    bad = regie("calendar", "token", "create", "--scope", "org:NOPE", env=env)
    assert bad.code == 2 and bad.err.startswith("--scope: scope 'org:NOPE': no such org")
    assert regie("sync", env=env).code == 0
    made = regie("calendar", "token", "create", "--scope", "programme", env=env)
    assert made.code == 0, made.err
    first = made.out.splitlines()[0]  # (PostgreSQL: the failed insert used id 1)
    assert first.startswith("calendar token ") and first.endswith(" for programme")


def test_redact_records_the_operator(tmp_path: Path, migrated_url: str) -> None:
    env = _env(tmp_path, migrated_url, FIXTURE)
    for item in ("1.1.1", "1.1.2"):
        noted = regie("update", item, "--status", "at_risk", "--comment", NOTE,
                      "--as-of", "2016-01-11", env=env)  # fmt: skip
        assert noted.code == 0, noted.err
    by_flag = regie("--operator", "a.flag", "update", "redact", "1", "--reason", "x", "--yes",
                    env=env)  # fmt: skip
    assert by_flag.code == 0, by_flag.err
    by_env = regie("update", "redact", "2", "--reason", "x", "--yes",
                   env={**env, "REGIE_OPERATOR": "b.omgeving"})  # fmt: skip
    assert by_env.code == 0, by_env.err
    events = json.loads(regie("events", "--format", "json", env=env).out)
    redacted = [e["payload"]["by"] for e in events if e["name"] == "regie.update.redacted"]
    assert redacted == ["a.flag", "b.omgeving"]
    engine = sa.create_engine(migrated_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text("SELECT update_id, redacted_by FROM update_redactions ORDER BY update_id")
            ).all()
    finally:
        engine.dispose()
    assert [tuple(r) for r in rows] == [(1, "a.flag"), (2, "b.omgeving")]
    # No option of its own for who: the one --operator, as everywhere.
    own = regie("update", "redact", "1", "--by", "c.eigen", "--reason", "x", env=env)
    assert own.code == 2 and "No such option: --by" in own.err
