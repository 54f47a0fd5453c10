"""The statement recorder of the one_database guard (tests/tools/pg_spy): a process started with
it on PYTHONPATH writes each distinct PostgreSQL statement once, normalised, with the test that
started the process; without REGIE_PG_STATEMENTS it records nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.tools.pg_statements import ROOT, SPY

SCRIPT = """
import sys
import sqlalchemy as sa
engine = sa.create_engine(sys.argv[1])
with engine.connect() as conn:
    for ids in ([1], [1, 2, 3], [4, 5]):
        conn.execute(sa.text("SELECT n FROM generate_series(1, 5) AS n WHERE n IN :ids")
                     .bindparams(sa.bindparam("ids", expanding=True)), {"ids": ids})
sqlite = sa.create_engine("sqlite://")
with sqlite.connect() as conn:
    conn.execute(sa.text("SELECT 'not recorded'"))
"""


def _run(url: str, folder: Path, record: bool) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SPY), str(ROOT)])}
    env["PYTEST_CURRENT_TEST"] = "tests/x.py::test_y[postgres] (call)"
    env.pop("REGIE_PG_STATEMENTS", None)
    if record:
        env["REGIE_PG_STATEMENTS"] = str(folder)
    subprocess.run([sys.executable, "-c", SCRIPT, url], env=env, check=True, timeout=120)


def test_a_started_process_records_each_postgres_statement_once(
    postgres_url: str, tmp_path: Path
) -> None:
    _run(postgres_url, tmp_path, record=True)
    lines = [line for path in tmp_path.glob("*.tsv") for line in path.read_text().splitlines()]
    test = "tests/x.py::test_y[postgres]"
    assert f"{test}\tSELECT n FROM generate_series(1, 5) AS n WHERE n IN (?)" in lines
    assert len([line for line in lines if "generate_series" in line]) == 1
    assert not [line for line in lines if "not recorded" in line]


def test_without_the_folder_nothing_is_recorded(postgres_url: str, tmp_path: Path) -> None:
    _run(postgres_url, tmp_path, record=False)
    assert list(tmp_path.iterdir()) == []
