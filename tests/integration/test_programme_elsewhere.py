"""Two installations side by side, one env line of the other's (REGIE_PLAN or
REGIE_DATABASE_URL), or the other's backup restored: the plan's programme is not in a database
that holds another (walk56c 1). The sync and the cycle refuse in one line, exit 2, nothing
written, until `regie sync --add-programme` adds it on purpose; `regie doctor` fails and does
not advise `regie cycle`; `regie db restore` (`--record-only` too) refuses. And the doctor's
base-url check counts the plan's programme's calendar tokens only (walk56c 6), on SQLite and
PostgreSQL. A changed ``programme.id`` is asked about (review56 4); one count of the
programme ids read to name them (review56 5)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from store import sync_plan
from store.sync_fields import ProgrammeElsewhere
from tests.cli import Result
from tests.cli_in_process import regie
from tests.conftest import SEED_PLAN
from tests.integration.store_plans import T0, make_sample_plan

SECOND = Path(__file__).resolve().parent.parent / "fixtures" / "plans" / "second_programme.yaml"
A, B = "mvi-2015-2020", "digitoegang-2024"  # SEED_PLAN's programme, SECOND's
#: Every table a refused sync or cycle could have written to, with its rows.
TABLES = ("programmes", "plan_revisions", "plan_sync", "events", "outbox", "item_states")


def _env(tmp_path: Path, url: str, plan: Path, **extra: str) -> dict[str, str]:
    return {
        "REGIE_HOME": str(tmp_path / "home"),
        "REGIE_DATABASE_URL": url,
        "REGIE_PLAN": str(plan),
        "REGIE_NOTIFIER": "file",
        "REGIE_BASE_URL": "",
        "REGIE_CONTACTS": "",
        "PREFECT_API_URL": "",
        **extra,
    }


def _rows(url: str) -> dict[str, int]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                t: int(conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar() or 0)
                for t in TABLES
            }
    finally:
        engine.dispose()


def _programmes(url: str) -> list[str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(sa.text("SELECT id FROM programmes ORDER BY id")).scalars())
    finally:
        engine.dispose()


def _one_line(result: Result, *words: str) -> str:
    """A refusal: one line on stderr holding ``words``, exit 2, nothing on stdout."""
    assert result.code == 2 and result.out == "", result
    assert len(result.err.splitlines()) == 1, result.err
    assert all(w in result.err for w in words), result.err
    return result.err


def test_the_other_installations_plan_is_refused_until_added_on_purpose(
    tmp_path: Path, migrated_url: str
) -> None:
    env_a = _env(tmp_path, migrated_url, SEED_PLAN)
    env_b = _env(tmp_path, migrated_url, SECOND)  # B's plan, A's database: one wrong line
    assert regie("cycle", "--no-send", "--as-of", "2015-06-01", env=env_a).code == 0
    before = _rows(migrated_url)

    doctor = regie("doctor", env=env_b)
    assert doctor.code == 1
    (line,) = [x for x in doctor.out.splitlines() if x.startswith("fail    last-assessed:")]
    assert f"holds {A}, not the plan's programme {B}" in line, line
    assert "REGIE_PLAN or REGIE_DATABASE_URL" in line and "`regie sync --add-programme`" in line
    assert "run `regie cycle`" not in doctor.out

    for args in (
        ("sync",),
        ("cycle", "--no-send", "--as-of", "2025-03-03"),
        ("cycle", "--dry-run", "--as-of", "2025-03-03"),
    ):
        said = _one_line(regie(*args, env=env_b), f"holds {A}, not the plan's programme {B}",
                         "Nothing was written", "--add-programme")  # fmt: skip
        assert said.startswith("database "), said
    assert _rows(migrated_url) == before  # not half written: nothing at all
    assert not (tmp_path / "home" / "outbox").exists() or not any(
        B in p.name for p in (tmp_path / "home" / "outbox").iterdir()
    )

    added = regie("sync", "--add-programme", env=env_b)  # a database shared on purpose
    assert added.code == 0, added.err
    assert added.out.startswith(f"{B}: synced ")
    assert _programmes(migrated_url) == sorted([A, B])
    # From then on B's work runs as usual, and A's is untouched by the rule.
    assert regie("cycle", "--no-send", "--as-of", "2025-03-03", env=env_b).code == 0
    assert regie("cycle", "--no-send", "--as-of", "2015-06-02", env=env_a).code == 0
    assert "holds" not in regie("doctor", env=env_b).out


def test_a_changed_programme_id_is_asked_about_and_not_to_be_added(
    tmp_path: Path, migrated_url: str
) -> None:
    """review56 4: the database's only programme is the plan's before its ``programme.id`` was
    changed: the refusal and the doctor ask that too, and say to set it back, not to add it."""
    env = _env(tmp_path, migrated_url, SEED_PLAN)
    assert regie("sync", env=env).code == 0
    renamed = tmp_path / "renamed.yaml"
    text = SEED_PLAN.read_text(encoding="utf-8")
    assert text.count(f"id: {A}\n") == 1
    renamed.write_text(text.replace(f"id: {A}\n", "id: mvi-2015-2021\n"), encoding="utf-8")
    env_renamed = _env(tmp_path, migrated_url, renamed)
    before = _rows(migrated_url)

    asked = f"the other installation's, or was programme.id changed from {A}?"
    put_back = (
        f"(a changed programme.id is not supported, docs/new-programme.md, §1: set it back to "
        f"{A}; a database shared on purpose: `regie sync --add-programme` once adds it)"
    )
    said = _one_line(regie("sync", env=env_renamed), asked, f"Nothing was written {put_back}")
    assert said.strip().endswith(put_back), said  # --add-programme only for a shared database
    doctor = regie("doctor", env=env_renamed).out
    (line,) = [x for x in doctor.splitlines() if x.startswith("fail    last-assessed:")]
    assert asked in line and line.endswith(put_back), line
    assert _rows(migrated_url) == before
    # Two programmes in the database: a changed id of which? The question is not asked.
    assert regie("sync", "--add-programme", env=_env(tmp_path, migrated_url, SECOND)).code == 0
    said = _one_line(regie("sync", env=env_renamed), f"holds {B}, {A}, not the plan's")
    assert "programme.id" not in said and said.strip().endswith(
        "the other installation's? Nothing was written (a database shared on purpose: "
        "`regie sync --add-programme` once adds it)"
    ), said


def test_the_sync_doctor_and_restore_read_as_many_programmes_as_a_line_names(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """review56 5: one count of "the first few programme ids" (store.doctor.programmes_to_name)
    for the sync's refusal, the doctor's and the restores' checks."""
    import store.doctor
    from regie.backup import _programmes_in
    from regie.programme_guard import foreign_programmes

    monkeypatch.setattr(store.doctor, "NAMED_PROGRAMMES", 1)
    sync_plan(session, make_sample_plan("prog-a"), now=T0)
    for programme in ("prog-b", "prog-c"):
        sync_plan(session, make_sample_plan(programme), now=T0, add_programme=True)
    session.commit()
    with pytest.raises(ProgrammeElsewhere) as refused:
        sync_plan(session, make_sample_plan("prog-d"), now=T0)
    session.rollback()
    assert refused.value.stored == ["prog-a", "prog-b"]  # one named, one to say "and more"
    assert foreign_programmes(session, "prog-d") == ["prog-a", "prog-b"]
    backup = tmp_path / "backup.db"
    backup.write_bytes(b"")
    with sqlite3.connect(backup) as db:
        db.execute("CREATE TABLE programmes (id TEXT PRIMARY KEY)")
        db.executemany("INSERT INTO programmes VALUES (?)", [("prog-a",), ("prog-b",), ("x",)])
    db.close()
    assert _programmes_in(backup) == ["prog-a", "prog-b"]


def test_a_new_database_takes_its_first_programme_without_being_told(
    tmp_path: Path, migrated_url: str
) -> None:
    env = _env(tmp_path, migrated_url, SECOND)
    doctor = regie("doctor", env=env)
    assert f"fail    last-assessed: {B}: no day assessed yet (run `regie cycle`)" in doctor.out
    assert regie("sync", env=env).code == 0
    assert regie("sync", "--add-programme", env=env).out.startswith(f"{B}: in sync with ")


def test_record_only_refuses_a_database_without_the_plans_programme(
    tmp_path: Path, migrated_url: str
) -> None:
    """A's dump restored into the database B's env points at (pg_restore, then record it)."""
    assert regie("sync", env=_env(tmp_path, migrated_url, SEED_PLAN)).code == 0
    env_b = _env(tmp_path, migrated_url, SECOND)
    dump = tmp_path / "a-backup.dump"
    dump.write_bytes(b"PGDMP")  # pg_dump's custom format
    before = _rows(migrated_url)
    _one_line(
        regie("db", "restore", str(dump), "--record-only", env=env_b),
        f"holds {A}, not the plan's programme {B}", "Nothing was recorded",
    )  # fmt: skip
    assert _rows(migrated_url) == before
    # A's own installation records it as before.
    env_a = _env(tmp_path, migrated_url, SEED_PLAN)
    assert regie("db", "restore", str(dump), "--record-only", env=env_a).code == 0
    events = json.loads(regie("events", "--format", "json", env=env_a).out)
    assert [e["name"] for e in events].count("regie.db.restored") == 1


def test_a_restore_refuses_the_other_installations_backup(tmp_path: Path) -> None:
    home_a, home_b = tmp_path / "a", tmp_path / "b"
    env_a = {**_env(tmp_path, "", SEED_PLAN), "REGIE_HOME": str(home_a)}
    env_b = {**_env(tmp_path, "", SECOND), "REGIE_HOME": str(home_b)}
    del env_a["REGIE_DATABASE_URL"], env_b["REGIE_DATABASE_URL"]
    assert regie("sync", env=env_a).code == 0
    assert regie("sync", env=env_b).code == 0
    backup = tmp_path / "a-backup.db"
    assert regie("db", "backup", str(backup), env=env_a).code == 0
    database = home_b / "regie.db"
    before = database.read_bytes()
    for args in ((), ("--yes",), ("--record-only",)):
        what = "recorded" if args == ("--record-only",) else "restored"
        _one_line(
            regie("db", "restore", str(backup), *args, env=env_b),
            f"{backup}: the backup holds {A}, not the plan's programme {B}",
            f"Nothing was {what}",
        )  # fmt: skip
    assert database.read_bytes() == before and not list(home_b.glob("regie.db.replaced-*"))
    # A's backup into A's home: restored as before.
    assert regie("db", "restore", str(backup), "--yes", env=env_a).code == 0


def test_base_url_counts_the_plans_programme_tokens_only(tmp_path: Path, migrated_url: str) -> None:
    local = {"REGIE_BASE_URL": "http://127.0.0.1:8561"}
    env_a = _env(tmp_path, migrated_url, SEED_PLAN, **local)
    env_b = _env(tmp_path, migrated_url, SECOND, **local)
    assert regie("sync", env=env_a).code == 0
    assert regie("sync", "--add-programme", env=env_b).code == 0
    empty = regie("calendar", "token", "list", env=env_b)
    assert empty.code == 0 and empty.out.splitlines() == [
        "no calendar tokens (make one with `regie calendar token create`)"
    ]
    assert regie("calendar", "token", "create", env=env_a).code == 0  # A's token, not B's

    def base_url(env: dict[str, str]) -> str:
        out = regie("doctor", env=env).out
        (line,) = [x for x in out.splitlines() if " base-url: " in x]
        return line

    assert base_url(env_b) == (
        "ok      base-url: http://127.0.0.1:8561 (a local address): no links leave this machine"
    )
    assert base_url(env_a).startswith(
        "warning base-url: http://127.0.0.1:8561: a local address, but 1 calendar feed "
    )
    assert "no calendar tokens" not in regie("calendar", "token", "list", env=env_a).out
