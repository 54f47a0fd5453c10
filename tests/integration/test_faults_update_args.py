"""Fault suite: Hypothesis-generated `regie update` arguments (issue #7 §8).

Whatever the arguments, the command answers with a result or one-line refusals, never a
traceback, and a refused update stores nothing. In-process (typer's runner) to stay fast.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from regie.cli.app import app
from regie.errors import RegieError

DATES = st.one_of(
    st.sampled_from(
        ["2015-10-02", "2016-03-01", "0001-01-01", "9999-12-31", "2016-W10-1", "20160301"]
    ),
    st.dates().map(lambda d: d.isoformat()),
    st.text(max_size=20),
)
ITEMS = st.one_of(st.sampled_from(["1.1.1", "2.2.1", "1.2", "9.9.9"]), st.text(max_size=30))
STATUSES = st.one_of(
    st.sampled_from(["done", "on_track", "at_risk", "cancelled"]), st.text(max_size=12)
)


def _count(url: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.scalar(sa.text("SELECT count(*) FROM status_updates")) or 0)
    finally:
        engine.dispose()


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    item=ITEMS,
    status=STATUSES,
    forecast=st.none() | DATES,
    completed=st.none() | DATES,
    as_of=st.none() | DATES,
    comment=st.none() | st.text(max_size=2500),
)
def test_update_never_tracebacks_and_stores_nothing_on_refusal(
    tmp_path: Path,
    item: str,
    status: str,
    forecast: str | None,
    completed: str | None,
    as_of: str | None,
    comment: str | None,
) -> None:
    home = tmp_path / "home"
    env = {"REGIE_HOME": str(home), "REGIE_DATABASE_URL": "", "REGIE_SIMULATE": ""}
    url = f"sqlite:///{home / 'regie.db'}"
    args = ["update", item, "--status", status]
    for option, value in (
        ("--forecast", forecast),
        ("--completed-on", completed),
        ("--as-of", as_of),
        ("--comment", comment),
    ):
        if value is not None:
            args += [option, value]
    before = _count(url) if (home / "regie.db").exists() else 0
    result = CliRunner().invoke(app, args, env=env)
    error = result.exception
    if error is None or (isinstance(error, SystemExit) and result.exit_code == 0):
        assert result.exit_code == 0
        assert _count(url) == before + 1
        return
    # Refused: a known problem (one line each, as `regie.cli.app.main` prints them) or a
    # usage error from the option parser; never anything else, and nothing stored.
    assert isinstance(error, RegieError | SystemExit), repr(error)
    if isinstance(error, RegieError):
        assert error.lines and all("\n" not in line and len(line) < 400 for line in error.lines)
    if (home / "regie.db").exists():
        assert _count(url) == before
