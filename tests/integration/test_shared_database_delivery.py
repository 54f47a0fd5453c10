"""A database holding two programmes on purpose (`regie sync --add-programme`): the commands
that need no plan — send, outbox, events, prune — serve the programme the plan file names, also
while the plan has problems (README, "Delivery without the plan"), and say in one line when it
names none of the database's (fix57c 1, 3). `--record-only` refuses another programme's dump
recorded in the right database, naming both (fix57c 2). SQLite and PostgreSQL."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa

from regie.dump_programmes import copied_ids
from tests.cli import Result
from tests.cli_in_process import regie
from tests.conftest import SEED_PLAN

SECOND = Path(__file__).resolve().parent.parent / "fixtures" / "plans" / "second_programme.yaml"
A, B = "mvi-2015-2020", "digitoegang-2024"  # SEED_PLAN's programme, SECOND's


def _env(home: Path, url: str, plan: Path) -> dict[str, str]:
    return {
        "REGIE_HOME": str(home),
        "REGIE_DATABASE_URL": url,
        "REGIE_PLAN": str(plan),
        "REGIE_NOTIFIER": "file",
        "REGIE_BASE_URL": "",
        "REGIE_CONTACTS": "",
        "PREFECT_API_URL": "",
    }


def _ok(result: Result) -> Result:
    assert result.code == 0, result.err
    return result


def _one_line(result: Result, *words: str) -> str:
    assert result.code == 2 and result.out == "", result
    assert len(result.err.splitlines()) == 1, result.err
    assert all(w in result.err for w in words), result.err
    return result.err


def _statuses(url: str) -> dict[str, str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return dict(conn.execute(sa.text("SELECT key, status FROM outbox")).tuples().all())
    finally:
        engine.dispose()


def _shared(tmp_path: Path, url: str) -> tuple[dict[str, str], dict[str, str]]:
    """A's and B's environments on one database, each with messages pending."""
    env_a = _env(tmp_path / "a", url, SEED_PLAN)
    env_b = _env(tmp_path / "b", url, SECOND)
    _ok(regie("cycle", "--no-send", "--as-of", "2015-10-01", env=env_a))
    _ok(regie("sync", "--add-programme", env=env_b))
    _ok(regie("cycle", "--no-send", "--as-of", "2025-03-03", env=env_b))
    return env_a, env_b


def _broken(tmp_path: Path, plan: Path) -> Path:
    """``plan`` with a deadline nobody can read: the plan does not load."""
    text = plan.read_text(encoding="utf-8")
    assert 'gereed: "Q2 2024"' in text
    broken = tmp_path / "broken.yaml"
    broken.write_text(text.replace('gereed: "Q2 2024"', 'gereed: "ooit"'), encoding="utf-8")
    return broken


def test_the_no_plan_commands_serve_the_plans_programme_while_it_has_problems(
    tmp_path: Path, migrated_url: str
) -> None:
    _, env_b = _shared(tmp_path, migrated_url)
    mending = {**env_b, "REGIE_PLAN": str(_broken(tmp_path, SECOND))}
    assert regie("plan", "validate", env=mending).code == 2  # the plan has problems

    listed = json.loads(_ok(regie("outbox", "--format", "json", env=mending)).out)
    assert listed and all(row["key"].startswith(f"reminder:{B}:") for row in listed), listed
    events = json.loads(_ok(regie("events", "--format", "json", env=mending)).out)
    assert events and all(e["name"] != "regie.db.restored" for e in events)
    b_events = json.loads(_ok(regie("events", "--format", "json", env=env_b)).out)
    assert events == b_events  # B's audit log, not A's
    assert _ok(regie("prune", "--older-than", "400d", env=mending)).out.endswith(
        "dry run: nothing changed (add --yes to prune)\n"
    )
    _ok(regie("outbox", "prune", "--older-than", "400d", env=mending))

    sent = _ok(regie("send", env=mending))
    assert sent.out.startswith(f"file: {len(listed)} sent, 0 failed"), sent.out
    statuses = _statuses(migrated_url)
    assert {k: s for k, s in statuses.items() if f":{B}:" in k} == dict.fromkeys(
        (row["key"] for row in listed), "sent"
    )
    a_keys = [k for k in statuses if f":{A}:" in k]
    assert a_keys and all(statuses[k] == "pending" for k in a_keys)  # A's wait for A's sender
    assert sorted(p.name for p in (tmp_path / "b" / "outbox").glob("*.eml"))
    assert not (tmp_path / "a" / "outbox").exists() or not any(
        (tmp_path / "a" / "outbox").glob("*.eml")
    )


@pytest.mark.parametrize(
    "command", [("send",), ("outbox",), ("events",), ("prune", "--older-than", "400d")]
)
def test_a_plan_file_naming_none_of_the_databases_programmes_is_one_line(
    tmp_path: Path, migrated_url: str, command: tuple[str, ...]
) -> None:
    env_a, _ = _shared(tmp_path, migrated_url)
    before = _statuses(migrated_url)
    missing = {**env_a, "REGIE_PLAN": str(tmp_path / "nowhere.yaml")}
    _one_line(
        regie(*command, env=missing),
        f"holds {B}, {A}: `regie {command[0]}` serves the programme REGIE_PLAN names",
        "nowhere.yaml: no such file",
    )  # fmt: skip
    third = tmp_path / "third.yaml"
    third.write_text(
        SECOND.read_text(encoding="utf-8").replace(f"id: {B}", "id: derde-programma"),
        encoding="utf-8",
    )
    _one_line(
        regie(*command, env={**env_a, "REGIE_PLAN": str(third)}),
        f"holds {B}, {A}, not the plan's programme derde-programma",
        f"(`regie {command[0]}` serves the plan's programme)",
    )  # fmt: skip
    assert _statuses(migrated_url) == before


def test_prune_says_which_programme_it_takes() -> None:
    shown = " ".join(regie("prune", "--help").out.replace("│", " ").split())
    assert "the one REGIE_PLAN names (its programme.id, read even while the plan has other " in (
        shown
    )
    assert "run it once per programme" in shown


def _plain_dump(programmes: list[str]) -> str:
    """What `pg_dump --format=plain` writes of the table ``programmes`` (abridged)."""
    rows = "".join(f"{p}\tTitel\t\\N\t2015-01-01\n" for p in programmes)
    return (
        "--\n-- PostgreSQL database dump\n--\n\nSET statement_timeout = 0;\n\n"
        "COPY public.programmes (id, title, description, start_date) FROM stdin;\n"
        f"{rows}\\.\n\n"
    )


def test_record_only_refuses_another_programmes_dump_in_the_right_database(
    tmp_path: Path, migrated_url: str
) -> None:
    """walk56c 1: A's dump recorded as the restore of B's database (which holds B): untrue.
    On PostgreSQL the dumps are pg_dump's own (custom format, read with pg_restore, and plain
    SQL); on SQLite a plain SQL dump as pg_dump writes it."""
    env_a = _env(tmp_path / "a", migrated_url, SEED_PLAN)
    _ok(regie("sync", env=env_a))
    dumps = []
    if migrated_url.startswith("postgresql"):
        if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
            pytest.skip("pg_dump and pg_restore are not installed")
        libpq = sa.make_url(migrated_url).set(drivername="postgresql")
        address = libpq.render_as_string(hide_password=False)
        for form, name in (("custom", "a-backup.dump"), ("plain", "a-backup.sql")):
            dumps.append(tmp_path / name)
            subprocess.run(  # A's database, A's programme only
                ["pg_dump", f"--format={form}", f"--file={dumps[-1]}", address], check=True
            )
    else:
        dumps.append(tmp_path / "a-backup.sql")
        dumps[-1].write_text(_plain_dump([A]), encoding="utf-8")
    env_b = _env(tmp_path / "b", migrated_url, SECOND)
    _ok(regie("sync", "--add-programme", env=env_b))  # the right database: it holds B
    for dump in dumps:
        _one_line(
            regie("db", "restore", str(dump), "--record-only", env=env_b),
            f"{dump}: the dump holds {A}, not the plan's programme {B}", "Nothing was recorded",
        )  # fmt: skip
    b_events = json.loads(_ok(regie("events", "--format", "json", env=env_b)).out)
    assert not [e for e in b_events if e["name"] == "regie.db.restored"]
    # A's dump recorded for A, and a dump of both for B: recorded as before.
    _ok(regie("db", "restore", str(dumps[0]), "--record-only", env=env_a))
    both = tmp_path / "both.sql"
    both.write_text(_plain_dump([A, B]), encoding="utf-8")
    _ok(regie("db", "restore", str(both), "--record-only", env=env_b))
    b_events = json.loads(_ok(regie("events", "--format", "json", env=env_b)).out)
    assert [e["payload"]["file"] for e in b_events if e["name"] == "regie.db.restored"] == [
        "both.sql"
    ]


def test_the_dumps_programmes_are_read_from_its_copy_block_only() -> None:
    assert copied_ids(_plain_dump(["a", "b"]).splitlines()) == ["a", "b"]
    assert copied_ids(['COPY "programmes" (title, id) FROM stdin;', "T\tx", "\\."]) == ["x"]
    assert copied_ids(["COPY public.programmes_old (id) FROM stdin;", "x", "\\."]) is None
    assert copied_ids(["COPY public.programmes (title) FROM stdin;", "x", "\\."]) is None
    assert copied_ids(["-- no data"]) is None
