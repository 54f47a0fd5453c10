"""The README's production database role is enough to run Regie.

The role's SQL is read from the README's "Database roles" section itself, so the documented
grants and what Regie needs cannot drift apart: migrations run as the owner, every other command
here runs as the restricted role (the daily cycle and its rerun, `--full`, an update, `send`,
users, `audit verify`). A grant the README forgets shows up as a permission error here.
"""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.cli_in_process import regie
from tests.conftest import ROOT, SEED_PLAN
from tests.integration.mail_setup import Clock, sender_clock

__all__ = ["sender_clock"]  # the fixture, used by name

pytestmark = pytest.mark.postgres


def readme_role_sql() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Database roles (production)", 1)[1]
    match = re.search(r"```sql\n(.*?)```", section, re.DOTALL)
    assert match, "README: no ```sql block under 'Database roles (production)'"
    return match.group(1)


def readme_default_privileges() -> list[str]:
    """The README's once-only alternative to granting again after each upgrade."""
    text = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    match = re.search(r"`(ALTER DEFAULT PRIVILEGES FOR ROLE <owner> [^`]*?);`", text)
    assert match, "README: no ALTER DEFAULT PRIVILEGES line"
    tables = match.group(1)
    sequences = tables.replace(
        "SELECT, INSERT, UPDATE, DELETE ON TABLES", "USAGE, SELECT ON SEQUENCES"
    )
    assert sequences != tables
    return [tables, sequences]


@pytest.fixture(params=["grant after upgrade", "default privileges before upgrade"])
def app_role_url(request: pytest.FixtureRequest, postgres_url: str) -> Iterator[tuple[str, str]]:
    """(owner URL, restricted role URL) for one migrated test database, the role made as the
    README says: granted after the migrations ran, or given default privileges before."""
    from store import upgrade

    owner = sa.make_url(postgres_url)
    role = f"regie_app_{uuid.uuid4().hex[:10]}"
    password = secrets.token_urlsafe(16)
    statements = [
        s.strip()
        for s in readme_role_sql()
        .replace("regie_app", role)
        .replace("'…'", f"'{password}'")
        .replace("DATABASE regie ", f'DATABASE "{owner.database}" ')
        .split(";")
        if s.strip()
    ]
    engine = sa.create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    if request.param == "grant after upgrade":
        upgrade(postgres_url)
    else:
        defaults = [
            s.replace("<owner>", f'"{owner.username}"').replace("regie_app", role)
            for s in readme_default_privileges()
        ]
        # Only the role, its connection and schema use before the tables exist.
        statements = [s for s in statements if " ON ALL " not in s] + defaults
    with engine.connect() as conn:
        for statement in statements:
            conn.exec_driver_sql(statement)
    if request.param != "grant after upgrade":
        upgrade(postgres_url)
    app_url = owner.set(username=role, password=password).render_as_string(hide_password=False)
    try:
        yield postgres_url, app_url
    finally:
        with engine.connect() as conn:
            conn.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s",
                (role,),
            )
            conn.exec_driver_sql(f'DROP OWNED BY "{role}"')
        # DROP OWNED ran in the test database; the role itself is cluster-wide.
        with sa.create_engine(postgres_url, isolation_level="AUTOCOMMIT").connect() as conn:
            conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{role}"')
        engine.dispose()


def test_the_readme_role_runs_the_daily_work(
    tmp_path: Path, app_role_url: tuple[str, str], sender_clock: Clock
) -> None:
    _owner_url, app_url = app_role_url
    sender_clock.now = datetime.now(UTC)
    env = {
        "REGIE_HOME": str(tmp_path / "home"),
        "REGIE_DATABASE_URL": app_url,
        "REGIE_PLAN": str(SEED_PLAN),
        "PREFECT_API_URL": "",
        "REGIE_OPERATOR": "test-bureau",
    }

    def ok(*args: str) -> str:
        result = regie(*args, env=env)
        assert result.code == 0, f"regie {' '.join(args)}: {result.err}{result.out}"
        assert "permission denied" not in (result.err + result.out).lower()
        return result.out

    ok("cycle", "--as-of", "2015-10-01")
    ok("cycle", "--as-of", "2015-10-01")  # the same day again: replaces that day's states
    ok("cycle", "--as-of", "2015-10-02", "--full")  # rebuilds the per-item memory
    ok("update", "1.1.1", "--status", "at_risk", "--comment", "Vertraging", "--as-of", "2015-10-05")
    ok("cycle", "--as-of", "2015-10-05")
    ok("send")
    assert "pruned 0 messages" in ok("outbox", "prune", "--older-than", "1d", "--yes")
    # Two days on, they are pruned: the guarded UPDATE and pruned_at run as the app role.
    sender_clock.now += timedelta(days=2)
    pruned = ok("outbox", "prune", "--older-than", "1d", "--yes")
    assert re.search(r"pruned [1-9]\d* messages?", pruned), pruned
    # retention49: `regie prune`'s erasures and deletions run as the app role too.
    assert "nothing pruned: not recorded" in ok("prune", "--older-than", "1d", "--yes")
    ok("outbox", "--since", "2015-10-01", "--limit", "5")
    ok("audit", "verify")
