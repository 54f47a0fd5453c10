"""`regie doctor`: one line per check, ok / warning / fail, exit 1 when one fails; it changes
nothing (no migration, not even of SQLite; no file created) and connects to no mail server or
Slack. Each check's passing and failing path, on SQLite and PostgreSQL where a database is
involved (ops review 8)."""

from __future__ import annotations

import json
import shutil
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests import cli
from tests.cli_in_process import regie
from tests.conftest import POSTGRES_URL, ROOT, SEED_PLAN
from tests.integration.migrated_template import (
    copy_database,
    drop_postgres_database,
    name_plan_file,
)
from tests.integration.ports import refused_port
from tests.integration.server import TEST_SECRET_KEY


def environment(tmp_path: Path, url: str, **extra: str) -> dict[str, str]:
    plan = tmp_path / "plan.yaml"
    if not plan.exists():
        shutil.copy(SEED_PLAN, plan)  # never the real plan file: a test may break its copy
    return {
        "REGIE_HOME": str(tmp_path / "home"),
        "REGIE_DATABASE_URL": url,
        "REGIE_PLAN": str(plan),
        "REGIE_SECRET_KEY": TEST_SECRET_KEY,
        "REGIE_NOTIFIER": "file",
        "REGIE_BASE_URL": "",
        "REGIE_CONTACTS": "",
        "PREFECT_API_URL": "",
        "PREFECT_HOME": str(tmp_path / "prefect"),
        **extra,
    }


def run_cycle_today(env: dict[str, str], run: Callable[..., cli.Result] = regie) -> None:
    """Migrate and run the cycle of the last working day up to today, queueing its messages
    without sending them (on a weekend or holiday today's cycle queues nothing: these tests
    failed when run on a Saturday in the plan's time zone). In process unless ``run`` says
    otherwise (:mod:`tests.cli_in_process`)."""
    for args in (("db", "upgrade"), ("cycle", "--no-send", "--as-of", _working_day(env))):
        done = run(*args, env=env)
        assert done.code == 0, done.err


def _working_day(env: dict[str, str]) -> str:
    """Today in the plan's time zone, or the working day before it (the plan's holidays)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from governance.planfile.load import load_plan
    from governance.workdays import WorkCalendar

    plan = load_plan(env["REGIE_PLAN"])
    today = datetime.now(ZoneInfo(plan.calendar.timezone)).date()
    return WorkCalendar.for_plan(plan).working_day_on_or_before(today).isoformat()


class AssessedHomes:
    """Homes migrated and assessed today by the real commands (:func:`run_cycle_today`), made
    once per database kind for this module and copied for each test: its database (see
    :func:`copy_database`), its REGIE_HOME, a plan file of the same content. Each test changes
    its copy only; the commands are the same as a per-test run, without the ≈ 3 s they take."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._made: dict[str, dict[str, str]] = {}
        self._postgres: list[str] = []

    def copy(self, tmp_path: Path, url: str) -> dict[str, str]:
        """:func:`environment` for ``tmp_path`` on ``url`` (empty: the home's own SQLite
        file), its database and home as :func:`run_cycle_today` leaves them."""
        from regie.parse_cache import load_plan_cached

        kind = sa.make_url(url).get_backend_name() if url else "home"
        template = self._made.get(kind) or self._make(kind, url)
        env = environment(tmp_path, url)
        if url:
            copy_database(template["REGIE_DATABASE_URL"], url, POSTGRES_URL)
        home = Path(env["REGIE_HOME"])
        shutil.copytree(template["REGIE_HOME"], home)  # modes too (the home is 0700)
        name_plan_file(url or f"sqlite:///{home / 'regie.db'}", Path(env["REGIE_PLAN"]))
        # The parse cache is keyed by the plan file's path: the entry the test's own cycle
        # would have left, for its plan file.
        for cached in (home / "cache").glob("plan-*.pickle"):
            cached.unlink()
        plan, problems = load_plan_cached(Path(env["REGIE_PLAN"]), home / "cache")
        assert plan is not None and not problems, problems
        return env

    def _make(self, kind: str, url: str) -> dict[str, str]:
        folder = self._folder / kind
        folder.mkdir()
        if kind == "sqlite":
            url = f"sqlite:///{folder / 'regie.db'}"
        elif kind != "home":
            assert POSTGRES_URL
            name = f"regie_ready_{uuid.uuid4().hex[:12]}"
            admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
            admin.dispose()
            self._postgres.append(name)
            url = sa.make_url(POSTGRES_URL).set(database=name).render_as_string(False)
        env = environment(folder, url)
        run_cycle_today(env, cli.regie)  # the shared starting state: made by real processes
        self._made[kind] = env
        return env

    def drop(self) -> None:
        for name in self._postgres:
            assert POSTGRES_URL
            drop_postgres_database(name, POSTGRES_URL)


@pytest.fixture(scope="module")
def assessed_homes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AssessedHomes]:
    homes = AssessedHomes(tmp_path_factory.mktemp("assessed"))
    yield homes
    homes.drop()


@pytest.fixture
def ready(tmp_path: Path, database_url: str, assessed_homes: AssessedHomes) -> dict[str, str]:
    """A home whose database is at the latest revision and assessed today."""
    return assessed_homes.copy(tmp_path, database_url)


def doctor(env: dict[str, str], *args: str) -> tuple[int, dict[str, tuple[str, str]]]:
    """Exit code, and check name → (status, detail)."""
    result = regie("doctor", "--format", "json", *args, env=env)
    assert result.err == "", result.err
    found = json.loads(result.out)
    assert all(set(c) == {"check", "status", "detail"} for c in found)
    return result.code, {c["check"]: (c["status"], c["detail"]) for c in found}


def statuses(found: dict[str, tuple[str, str]]) -> dict[str, str]:
    return {name: status for name, (status, _) in found.items()}


HEALTHY = {
    "database": "ok",
    "privileges": "ok",
    "plan": "warning",  # the MVI plan: two stuurgroep members have no contact (see below)
    "last-assessed": "ok",
    "outbox": "ok",
    "reports": "ok",
    "secret-key": "ok",
    "base-url": "ok",
    "channels": "warning",  # file only: nothing reaches a person
    "mail": "ok",  # no bounce, no refused sender
    "prefect": "ok",
}


def test_a_healthy_installation_passes_in_text_and_json(ready: dict[str, str]) -> None:
    code, found = doctor(ready)
    assert (code, statuses(found)) == (0, HEALTHY)
    assert "at " in found["database"][1] and "(the latest)" in found["database"][1]
    text = cli.regie("doctor", env=ready)  # the command in a process of its own, as run
    assert text.code == 0 and text.err == ""
    lines = text.out.strip().splitlines()
    assert len(lines) == len(HEALTHY) + 1  # one line per check and a summary
    assert lines[0].startswith("ok      database: ")
    assert lines[-1] == "11 checks: 0 failed, 2 warnings, 9 ok"


def url_of(env: dict[str, str]) -> str:
    return env["REGIE_DATABASE_URL"]


def revision(url: str) -> str | None:
    from store import current_revision

    return current_revision(url)


def test_a_database_one_revision_behind_fails_and_is_not_migrated(
    ready: dict[str, str],
) -> None:
    from store import head_revision
    from store.db import MIGRATIONS_DIR
    from store.revision_files import assignments

    head = head_revision()
    [path] = [
        p
        for p in (MIGRATIONS_DIR / "versions").glob("*.py")
        if assignments(p, ("revision",)).get("revision") == head
    ]
    previous = assignments(path, ("down_revision",))["down_revision"]
    assert isinstance(previous, str)
    done = regie("db", "downgrade", previous, "--yes", env=ready)
    assert done.code == 0, done.err
    code, found = doctor(ready)
    assert code == 1
    status, detail = found["database"]
    assert status == "fail"
    assert f"at {previous}, not {head}: run `regie db upgrade`" in detail
    assert revision(url_of(ready)) == previous  # doctor migrates nothing, not even SQLite
    # What needs the latest schema is not checked; the rest still is.
    assert found["last-assessed"][0] == found["outbox"][0] == "warning"
    assert found["plan"][0] == "warning"  # loaded (its only warning: members without a contact)


def test_no_sqlite_file_fails_and_none_is_made(tmp_path: Path) -> None:
    env = environment(tmp_path, "")
    code, found = doctor(env)
    assert code == 1
    assert found["database"][0] == "fail"
    assert "the file does not exist" in found["database"][1]
    assert not (tmp_path / "home" / "regie.db").exists()
    # walk31 9: it changes nothing, so a mistyped REGIE_HOME is not made (nor its plan cache).
    assert not (tmp_path / "home").exists()


def test_the_plan_cache_is_read_not_written(ready: dict[str, str]) -> None:
    """walk31 9: `regie doctor` loads the plan without writing REGIE_HOME/cache (run as root
    by mistake it would leave a cache the service user cannot replace)."""
    cache = Path(ready["REGIE_HOME"]) / "cache"
    assert any(cache.glob("plan-*.pickle"))  # the cycle filled it
    shutil.rmtree(cache)
    code, found = doctor(ready)
    assert code == 0 and found["plan"][0] == "warning", found["plan"]  # loaded all the same
    assert not cache.exists()


def test_the_monitoring_table_documents_every_check(ready: dict[str, str]) -> None:
    """walk31 10: docs/operations.md's table under "Monitoring" has a row for each check the
    doctor prints, in its order, and none it does not."""
    text = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    section = text.split("\n## Monitoring\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    documented = [row.split("`")[1] for row in rows]
    _, found = doctor(ready)
    assert documented == list(found)


def test_an_unreachable_server_fails_in_seconds(tmp_path: Path) -> None:
    """A server that accepts the connection and never answers (a proxy that stopped
    forwarding): libpq's connect_timeout ends the wait, REGIE_DB_CONNECT_TIMEOUT sets it."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # the kernel completes the handshake; nothing ever answers
        port = silent.getsockname()[1]
        url = f"postgresql://regie:geheim@127.0.0.1:{port}/regie"
        env = environment(tmp_path, url, REGIE_DB_CONNECT_TIMEOUT="2")
        started = time.monotonic()
        code, found = doctor(env)
        assert time.monotonic() - started < 20
        assert code == 1
        assert found["database"][0] == "fail" and "geheim" not in found["database"][1]
        assert found["privileges"][0] == "warning"  # not asked again: one wait, not two
        started = time.monotonic()
        status = regie("status", env=env)
        assert time.monotonic() - started < 20
        assert status.code == 3 and len(status.err.strip().splitlines()) == 1


def test_a_bad_connect_timeout_is_one_line(tmp_path: Path) -> None:
    env = environment(tmp_path, "", REGIE_DB_CONNECT_TIMEOUT="soon")
    result = regie("doctor", env=env)
    assert result.code == 2
    assert result.err.strip() == (
        "REGIE_DB_CONNECT_TIMEOUT: 'soon' is not a whole number of seconds "
        "(more than 0, at most 86400)"
    )


def test_the_connect_timeout_reaches_the_driver_unless_the_url_sets_one() -> None:
    from store.db import make_engine, migration_engine

    url = "postgresql://regie:x@127.0.0.1:9/regie"

    seen: list[dict[str, object]] = []

    def capture(engine: sa.Engine) -> None:
        @sa.event.listens_for(engine, "do_connect")
        def _connect(
            _dialect: object, _record: object, _args: object, kwargs: dict[str, object]
        ) -> None:
            seen.append(dict(kwargs))
            raise ConnectionRefusedError("not connecting in this test")

    for engine, expected in (
        (make_engine(url), 10),
        (make_engine(url, connect_timeout=3), 3),
        (migration_engine(url), 10),
        (make_engine(url + "?connect_timeout=5", connect_timeout=3), "5"),  # the URL wins
    ):
        capture(engine)
        with pytest.raises(Exception, match="not connecting"):
            engine.connect()
        assert seen.pop().get("connect_timeout") == expected
        engine.dispose()


def test_the_app_role_needs_every_privilege_on_postgres(
    tmp_path: Path, postgres_url: str, assessed_homes: AssessedHomes
) -> None:
    import secrets

    from tests.integration.test_pg_app_role import readme_role_sql

    owner = sa.make_url(postgres_url)
    env = assessed_homes.copy(tmp_path, postgres_url)
    role = f"regie_doc_{uuid.uuid4().hex[:10]}"
    password = secrets.token_urlsafe(16)
    admin = sa.create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    sql = (
        readme_role_sql()
        .replace("regie_app", role)
        .replace("'…'", f"'{password}'")
        .replace("DATABASE regie ", f'DATABASE "{owner.database}" ')
    )
    try:
        with admin.connect() as conn:
            for statement in filter(None, (s.strip() for s in sql.split(";"))):
                conn.exec_driver_sql(statement)
        app_url = owner.set(username=role, password=password).render_as_string(False)
        as_role = {**env, "REGIE_DATABASE_URL": app_url}
        code, found = doctor(as_role)
        assert (code, found["privileges"][0]) == (0, "ok"), found["privileges"]
        assert f"role {role} may read" in found["privileges"][1]
        with admin.connect() as conn:  # a table an upgrade added and nobody granted, in part
            conn.exec_driver_sql(f'REVOKE DELETE ON item_states FROM "{role}"')
            conn.exec_driver_sql(f'REVOKE INSERT, UPDATE ON outbox FROM "{role}"')
        code, found = doctor(as_role)
        assert code == 1
        status, detail = found["privileges"]
        assert status == "fail"
        assert f"role {role} lacks 3 privileges" in detail
        assert "DELETE on item_states" in detail and "INSERT on outbox" in detail
        assert "UPDATE on outbox" in detail
        assert found["database"][0] == "ok"
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s",
                (role,),
            )
            conn.exec_driver_sql(f'DROP OWNED BY "{role}"')
            conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{role}"')
        admin.dispose()


def test_a_read_only_sqlite_database_fails(tmp_path: Path, assessed_homes: AssessedHomes) -> None:
    env = assessed_homes.copy(tmp_path, "")
    database = tmp_path / "home" / "regie.db"
    read_only = {**env, "REGIE_DATABASE_URL": f"sqlite:///file:{database}?mode=ro&uri=true"}
    code, found = doctor(read_only)
    assert code == 1
    assert found["privileges"] == (
        "fail",
        "REGIE_DATABASE_URL opens it read-only (mode=ro or immutable)",
    )
    assert found["database"][0] == "ok"


@pytest.mark.skipif(not hasattr(__import__("os"), "geteuid") or __import__("os").geteuid() == 0,
                    reason="root may write whatever the modes say")  # fmt: skip
def test_a_directory_the_service_user_cannot_write_fails(
    tmp_path: Path, assessed_homes: AssessedHomes
) -> None:
    env = assessed_homes.copy(tmp_path, "")
    home = tmp_path / "home"
    home.chmod(0o500)
    try:
        code, found = doctor(env)
    finally:
        home.chmod(0o700)
    assert code == 1 and found["privileges"][0] == "fail"
    assert f"directory {home} is not writable" in found["privileges"][1]


def test_a_broken_plan_file_fails_with_its_problem_count(ready: dict[str, str]) -> None:
    plan = Path(ready["REGIE_PLAN"])
    text = plan.read_text(encoding="utf-8")
    broken = text.replace('gereed: "Q2-2015"', 'gereed: "Q7-2015"', 2)
    assert broken != text
    plan.write_text(broken, encoding="utf-8")
    code, found = doctor(ready)
    assert code == 1
    status, detail = found["plan"]
    assert status == "fail"
    assert detail.endswith(" problems; `regie plan validate` lists them")
    assert detail.startswith(f"{plan}: ")
    assert "Q7-2015" not in detail  # the count, not every problem
    assert found["last-assessed"] == ("warning", "not checked: the plan file does not load")
    assert found["outbox"][0] == "ok"  # the database's only programme is checked


def test_a_stale_last_assessed_day_fails(tmp_path: Path, database_url: str) -> None:
    env = environment(tmp_path, database_url)
    for args in (("db", "upgrade"), ("cycle", "--as-of", "2015-10-01", "--no-send")):
        assert regie(*args, env=env).code == 0
    code, found = doctor(env)
    assert code == 1
    status, detail = found["last-assessed"]
    assert status == "fail"
    assert "last assessed 2015-10-01, before the last working day" in detail
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    never = environment(fresh, "")  # migrated, never assessed
    assert regie("db", "upgrade", env=never).code == 0
    found = doctor(never)[1]
    assert found["last-assessed"] == (
        "fail",
        "mvi-2015-2020: no day assessed yet (run `regie cycle`)",
    )


def outbox_rows(url: str, **values: object) -> list[str]:
    """Give the oldest pending message ``values``; its key."""
    from store.models import OutboxRow

    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            key, row_id = conn.execute(
                sa.select(OutboxRow.key, OutboxRow.id)
                .where(OutboxRow.status == "pending")
                .order_by(OutboxRow.id)
                .limit(1)
            ).one()
            conn.execute(sa.update(OutboxRow).where(OutboxRow.id == row_id).values(**values))
    finally:
        engine.dispose()
    return [key]


def test_dead_failed_and_waiting_messages(ready: dict[str, str]) -> None:
    from regie.services import utcnow

    url = url_of(ready)
    # Queued just now and pending: nothing to report.
    assert doctor(ready)[1]["outbox"][0] == "ok"
    [dead] = outbox_rows(url, status="dead", attempts=5, next_attempt_at=None)
    code, found = doctor(ready)
    assert code == 1
    status, detail = found["outbox"]
    assert status == "fail"
    assert f"1 dead message (no more attempts, not sent), oldest {dead}" in detail
    assert "`regie outbox retry --all-dead --yes`" in detail
    # Revived (as `outbox retry` does), then failing for five hours.
    retried = regie("outbox", "retry", "--all-dead", "--yes", env=ready)
    assert retried.code == 0, retried.err
    hours_ago = utcnow() - timedelta(hours=5)
    [failed] = outbox_rows(url, status="failed", attempts=2, created_at=hours_ago)
    code, found = doctor(ready)
    assert code == 1
    assert found["outbox"][0] == "fail"
    assert f"1 failed message queued more than 4 h ago, oldest {failed}" in found["outbox"][1]
    code, found = doctor(ready, "--outbox-hours", "6")  # still inside the window: retried
    assert found["outbox"] == (
        "ok",
        "no message dead, failed or waiting for over 6 h (1 failed in the last 6 h: tried again)",
    )
    # A pending message nobody sends (no send timer): a warning only.
    [waiting] = outbox_rows(url, created_at=hours_ago)
    code, found = doctor(ready, "--outbox-hours", "6")
    assert code == 0 and found["outbox"][0] == "ok"
    code, found = doctor(ready, "--outbox-hours", "4.5")
    assert found["outbox"][0] == "fail"  # the failed one; the waiting one is named too
    assert f"1 pending message queued more than 4.5 h ago, oldest {waiting}" in found["outbox"][1]


SMTP = {
    "REGIE_NOTIFIER": "email",
    "REGIE_SMTP_HOST": "smtp.invalid",  # never resolved: no connection is made
    "REGIE_MAIL_FROM": "Regie <regie@example.nl>",
}


@pytest.mark.parametrize(
    ("key", "expected", "channel"),
    [
        (None, "REGIE_SECRET_KEY: not set", "email"),  # messages reach people: links off
        ("a" * 40, "REGIE_SECRET_KEY: too easy to guess", "file"),
        ("Zq9!x", "REGIE_SECRET_KEY: 5 characters is too short", "file"),
    ],
)
def test_a_missing_or_weak_secret_key_fails(
    tmp_path: Path, key: str | None, expected: str, channel: str
) -> None:
    env = environment(tmp_path, "", REGIE_SECRET_KEY=key or "", REGIE_NOTIFIER=channel)
    if channel == "email":
        env.update(SMTP)
    code, found = doctor(env)
    assert code == 1
    status, detail = found["secret-key"]
    assert status == "fail" and detail.startswith(expected)
    assert key is None or key not in detail


def test_the_readme_demo_home_sees_no_secret_key_failure(tmp_path: Path) -> None:
    """The README's quick start (`REGIE_HOME=var/demo regie cycle --as-of 2015-10-01`) sets no
    REGIE_SECRET_KEY and needs none: a file-only home gets a warning saying what to do, not a
    failure the user did not cause. Before: "fail secret-key: REGIE_SECRET_KEY: not set"."""
    env = {
        "REGIE_HOME": str(tmp_path / "demo"),
        "REGIE_PLAN": str(SEED_PLAN),
        "REGIE_DATABASE_URL": "",
        "REGIE_SECRET_KEY": "",
        "REGIE_NOTIFIER": "",
        "REGIE_BASE_URL": "",
        "REGIE_CONTACTS": "",
        "PREFECT_API_URL": "",
        "PREFECT_HOME": str(tmp_path / "prefect"),
    }
    done = regie("cycle", "--as-of", "2015-10-01", env=env)
    assert done.code == 0, done.err
    _, found = doctor(env)
    status, detail = found["secret-key"]
    assert status == "warning", detail
    assert detail.startswith("REGIE_SECRET_KEY: not set: fine for a file-only home")
    assert "python3 -c 'import secrets; print(secrets.token_urlsafe(32))'" in detail
    assert "\n" not in detail
    # walk55c 8: the quick start names every line that is not ok, so a new operator knows
    # them for the demo's own; a new one here needs its words there.
    flagged = {f"{status} {check}" for check, (status, _) in found.items() if status != "ok"}
    quick_start = (ROOT / "README.md").read_text(encoding="utf-8").split("## Quick start")[1]
    quick_start = " ".join(quick_start.split("\n## ", 1)[0].split())
    said = {line for line in flagged if f"`{line}`" in quick_start}
    assert flagged == said, flagged - said
    failed = sum(1 for line in flagged if line.startswith("fail "))
    assert f"`{failed} failed, {len(flagged) - failed} warnings`" in quick_start


def test_channel_settings_are_checked_without_connecting(ready: dict[str, str]) -> None:
    code, found = doctor({**ready, **SMTP, "REGIE_BASE_URL": "https://regie.example.nl"})
    assert (code, found["channels"][0]) == (0, "ok")
    assert (
        found["channels"][1] == "email (smtp.invalid:587 starttls, from Regie <regie@example.nl>)"
    )
    incomplete = {**ready, **SMTP, "REGIE_SMTP_HOST": "", "REGIE_MAIL_FROM": ""}
    code, found = doctor({**incomplete, "REGIE_BASE_URL": "https://regie.example.nl"})
    assert code == 1  # a check that fails, not a command that refuses to start
    assert found["channels"] == (
        "fail",
        "REGIE_SMTP_HOST: not set, but REGIE_NOTIFIER names email; "
        "REGIE_MAIL_FROM: not set, and the plan sets no programme.mail_from: e-mail has no "
        "sender (set either)",
    )
    slack = {**ready, "REGIE_NOTIFIER": "slack", "REGIE_SLACK_BOT_TOKEN": "xoxp-wrong"}
    code, found = doctor(slack)
    assert found["channels"] == (
        "fail", "REGIE_SLACK_BOT_TOKEN: not a bot token (it must start with 'xoxb-')"
    )  # fmt: skip
    assert "xoxp-wrong" not in json.dumps(found)


def test_a_contact_asking_for_a_channel_not_configured_is_a_warning(
    ready: dict[str, str],
) -> None:
    plan = Path(ready["REGIE_PLAN"])
    text = plan.read_text(encoding="utf-8")
    contact = "  - id: ienm-voorbeeld\n"
    assert contact in text
    plan.write_text(text.replace(contact, contact + "    channel: slack\n"), encoding="utf-8")
    contact_id = "ienm-voorbeeld"
    code, found = doctor(ready)
    assert code == 0
    status, detail = found["channels"]
    assert status == "warning"
    assert f"contacts ask for slack, which REGIE_NOTIFIER does not name: {contact_id}" in detail


def test_the_base_url_is_needed_once_links_leave_the_machine(ready: dict[str, str]) -> None:
    code, found = doctor({**ready, **SMTP})
    assert code == 1
    assert found["base-url"] == (
        "fail",
        "REGIE_BASE_URL: not set, but the answer links in messages are built from it: they "
        "point at http://127.0.0.1:8000",
    )
    code, found = doctor({**ready, **SMTP, "REGIE_BASE_URL": "https://regie.example.nl/"})
    assert (code, found["base-url"]) == (0, ("ok", "https://regie.example.nl"))
    slack = {"REGIE_NOTIFIER": "slack", "REGIE_SLACK_BOT_TOKEN": "xoxb-test",
             "REGIE_SLACK_API_URL": "http://127.0.0.1:9/api/"}  # fmt: skip
    code, found = doctor({**ready, **slack})  # Slack posts carry no links (review10b 6)
    assert found["base-url"] == (
        "ok", "not set (http://127.0.0.1:8000): no links leave this machine"
    )  # fmt: skip
    made = regie("calendar", "token", "create", "--label", "test", env=ready)
    assert made.code == 0, made.err
    code, found = doctor(ready)  # a calendar feed's address is built from it too
    assert found["base-url"] == (
        "fail",
        "REGIE_BASE_URL: not set, but 1 calendar feed address(es) are built from it: they "
        "point at http://127.0.0.1:8000",
    )


def test_a_base_url_set_to_a_local_address_is_set_and_plain_http_is_a_warning(
    ready: dict[str, str],
) -> None:
    """walk31 7: the default address set on purpose is not "not set" (a warning while links
    leave by e-mail: only this machine opens them); a public address over plain http is a
    warning (links and the login unencrypted, no Secure cookie); https and loopback are ok."""
    local = {**ready, **SMTP, "REGIE_BASE_URL": "http://127.0.0.1:8000"}
    code, found = doctor(local)
    assert code == 0
    status, detail = found["base-url"]
    assert status == "warning" and "not set" not in detail
    assert detail.startswith("http://127.0.0.1:8000: a local address, but the answer links")
    code, found = doctor({**ready, "REGIE_BASE_URL": "http://localhost:8000"})  # file only
    assert found["base-url"] == ("ok", "http://localhost:8000 (a local address): no links "
                                       "leave this machine")  # fmt: skip
    code, found = doctor({**ready, **SMTP, "REGIE_BASE_URL": "http://regie.example.nl"})
    assert code == 0
    status, detail = found["base-url"]
    assert status == "warning"
    assert detail.startswith("http://regie.example.nl: plain http for a public address")
    assert "session cookie is not Secure" in detail
    code, found = doctor({**ready, **SMTP, "REGIE_BASE_URL": "https://regie.example.nl"})
    assert found["base-url"] == ("ok", "https://regie.example.nl")


def test_an_unreachable_prefect_api_is_a_warning_only(ready: dict[str, str]) -> None:
    with refused_port() as port:
        url = f"http://127.0.0.1:{port}/api"
        started = time.monotonic()
        code, found = doctor({**ready, "PREFECT_API_URL": url})
        assert time.monotonic() - started < 30
    assert code == 0
    status, detail = found["prefect"]
    assert status == "warning"
    assert detail.startswith(f"Prefect API {url} (from the environment) is not reachable: ")
    assert detail.endswith("(`regie cycle` exits 3 until it is)")


def test_the_prefect_line_names_the_profile_the_api_url_came_from(ready: dict[str, str]) -> None:
    """walk56c 5: a second installation sharing the first's PREFECT_HOME took the first's server
    from the profile stored there, and its doctor did not say where the URL came from."""
    profiles = Path(ready["PREFECT_HOME"]) / "profiles.toml"
    code, found = doctor(ready)
    assert found["prefect"] == (
        "ok",
        f"PREFECT_API_URL not set (in the environment or {profiles}): cycles run in-process",
    )
    with refused_port() as port:
        url = f"http://127.0.0.1:{port}/api"
        profiles.parent.mkdir(parents=True, exist_ok=True)
        profiles.write_text(
            f'active = "lucht"\n\n[profiles.lucht]\nPREFECT_API_URL = "{url}"\n', encoding="utf-8"
        )
        code, found = doctor(ready)
        status, detail = found["prefect"]
        assert (code, status) == (0, "warning")
        assert detail.startswith(
            f"Prefect API {url} (from profile 'lucht' in {profiles}) is not reachable: "
        )


#: The MVI plan's governance body members that have no contact (stuurgroep review, finding 10).
UNREACHED = (
    "governance body members without a contact receive no agenda pack: "
    "medeoverheden (landelijk-overleg, stuurgroep, klankbordgroep), "
    "bedrijfsleven (stuurgroep, klankbordgroep)"
)


def test_body_members_without_a_contact_are_a_plan_warning_not_a_failure(
    tmp_path: Path, ready: dict[str, str]
) -> None:
    """Before: doctor said nothing while two of the stuurgroep's seven member organisations
    never received its agenda pack. A contact for each makes the plan check ok again."""
    code, found = doctor(ready)
    assert code == 0
    status, detail = found["plan"]
    assert status == "warning"
    assert detail.startswith(f"{ready['REGIE_PLAN']}: valid (") and detail.endswith(UNREACHED)
    plan = Path(ready["REGIE_PLAN"])
    text = plan.read_text(encoding="utf-8")
    added = "".join(
        f"  - id: lid-{org}\n    name: Lid {org}\n    organisation: {org}\n"
        f"    email: lid-{org}@example.org\n"
        for org in ("medeoverheden", "bedrijfsleven")
    )
    assert "\ncontacts:\n" in text
    plan.write_text(text.replace("\ncontacts:\n", "\ncontacts:\n" + added, 1), encoding="utf-8")
    code, found = doctor(ready)
    assert (code, found["plan"][0]) == (0, "ok"), found["plan"]
    assert "agenda pack" not in found["plan"][1]


def test_a_second_plans_member_without_a_contact_is_a_warning(
    tmp_path: Path, database_url: str
) -> None:
    """toegankelijkheid.yaml: Logius, a member of the programmaraad, has no contact."""
    plan = tmp_path / "plan.yaml"
    shutil.copy(
        Path(__file__).resolve().parents[1] / "fixtures" / "plans" / "toegankelijkheid.yaml", plan
    )
    env = environment(tmp_path, database_url)
    run_cycle_today(env)
    code, found = doctor(env)
    assert code == 0
    status, detail = found["plan"]
    assert status == "warning"
    assert detail.endswith(
        "governance body members without a contact receive no agenda pack: Logius (programmaraad)"
    )


def test_a_progress_report_approved_implicitly_is_a_warning(ready: dict[str, str]) -> None:
    for args in (
        ("decision", "add", "--body", "stuurgroep", "--meeting", "2017-01-10", "--item", "4.4",
         "--text", "Voortgangsrapportage vastgesteld"),
        ("report", "voortgang", "--as-of", "2017-03-15", "-f", "md"),
    ):  # fmt: skip
        done = regie(*args, env=ready)
        assert done.code == 0, done.err
    code, found = doctor(ready)
    status, detail = found["reports"]
    assert code == 0 and status == "warning", detail
    assert "1 progress report impliciet goedgekeurd" in detail
    assert "--approves-report voortgangsrapportage:2015-01-01/2016-12-31" in detail
    # Approved explicitly and made again: no longer flagged.
    for args in (
        ("decision", "add", "--body", "stuurgroep", "--meeting", "2017-01-10", "--text",
         "Voortgangsrapportage vastgesteld", "--approves-report", "voortgangsrapportage"),
        ("report", "voortgang", "--from", "2015-01-01", "--to", "2016-12-31", "--as-of",
         "2017-03-15", "-f", "md"),
    ):  # fmt: skip
        done = regie(*args, env=ready)
        assert done.code == 0, done.err
    status, detail = doctor(ready)[1]["reports"]
    assert status == "ok", detail
    # ... and says that text-only decisions approve none of the obligation's reports since.
    assert detail == (
        "no progress report approved implicitly; approvals name their report "
        "(voortgangsrapportage since 2017-01-10): a text-only decision about the action taken "
        "since approves none"
    )


def test_a_body_with_members_left_empty_is_a_plan_warning(
    tmp_path: Path, database_url: str
) -> None:
    """`members: []` reads like members left out: doctor says so, as `plan validate` does."""
    plan = tmp_path / "plan.yaml"
    source = Path(__file__).resolve().parents[1] / "fixtures" / "plans" / "toegankelijkheid.yaml"
    text = source.read_text(encoding="utf-8")
    assert text.count("    members: [BZK, Logius]\n") == 1
    plan.write_text(text.replace("    members: [BZK, Logius]\n", "    members: []\n"), "utf-8")
    env = environment(tmp_path, database_url)
    run_cycle_today(env)
    code, found = doctor(env)
    assert code == 0
    status, detail = found["plan"]
    assert status == "warning"
    assert detail.endswith(
        "governance bodies with 'members: []' (rounds ask every owner, the pack goes to the "
        "office only): programmaraad"
    )
