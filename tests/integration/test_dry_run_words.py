"""A dry run stores nothing, and every line of its summary says so: the first `regie cycle
--dry-run` of a new programme (docs/new-programme.md §3: read it first) said "plan: 10 created"
and "meeting days remembered on its first run" of a database it left empty, between lines
that said "would record" and "would queue" (walk56c 4)."""

from __future__ import annotations

import re
from pathlib import Path

import sqlalchemy as sa

from tests.cli_in_process import regie

PLAN = Path(__file__).resolve().parent.parent / "fixtures" / "plans" / "second_programme.yaml"
DAY = "2026-11-12"
REMEMBERED = "meeting programmaraad: 5 meeting days "


def _programmes(url: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text("SELECT count(*) FROM programmes")).scalar_one())
    finally:
        engine.dispose()


def test_the_first_dry_run_says_what_it_would_do(tmp_path: Path, migrated_url: str) -> None:
    env = {"REGIE_HOME": str(tmp_path / "home"), "REGIE_DATABASE_URL": migrated_url,
           "REGIE_PLAN": str(PLAN)}  # fmt: skip
    for _ in range(2):  # the same again: nothing was stored
        dry = regie("cycle", "--as-of", DAY, "--dry-run", env=env)
        assert dry.code == 0, dry.err
        lines = dry.out.splitlines()
        assert re.fullmatch(r"  plan: would create \d+", lines[1]), lines[1]
        assert (
            f"  {REMEMBERED}would be remembered on the first real run; changes made before it "
            "are not told"
        ) in lines
        said = "\n".join(lines[1:])
        assert not re.search(r"\d+ created|remembered on its first run|\bqueued:", said), said
        assert _programmes(migrated_url) == 0
    done = regie("cycle", "--as-of", DAY, env=env)
    assert done.code == 0, done.err
    lines = done.out.splitlines()
    assert re.fullmatch(r"  plan: \d+ created", lines[1]), lines[1]
    assert f"  {REMEMBERED}remembered on its first run; changes made before it are not told" in (
        lines
    )
    assert _programmes(migrated_url) == 1
