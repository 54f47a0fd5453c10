"""After a restore, the dry run of step 4 (docs/operations.md, "Restore") names every message
the cycle would send again whose ``.eml`` is already in the file outbox: a status round's
requests and an agenda pack too, not only the deadline check's reminders (walk55c 2). SQLite
and PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from regie.bootstrap import App
from tests.cli_in_process import regie
from tests.integration.reports_scenario import make_app, scenario_app

ROUND_DAY = date(2016, 3, 29)  # the stuurgroep's round for 12 April 2016 starts
PACK_DAY = date(2016, 4, 5)  # its agenda pack goes out


def _env(app: App) -> dict[str, str]:
    return {
        "REGIE_HOME": str(app.settings.home),
        "REGIE_PLAN": str(app.settings.plan_path),
        "REGIE_DATABASE_URL": app.settings.database_url,
    }


def _resent(out: str) -> tuple[int, set[str]]:
    """The dry run's "would send again" line: (how many, the keys it names: the first 10)."""
    line = next(x for x in out.splitlines() if "would send again" in x)
    count = int(line.split("would send again ", 1)[1].split()[0])
    keys = line.split("(sent before the database was restored?): ", 1)[1]
    return count, set(keys.split(" and ", 1)[0].split(", "))


@pytest.mark.usefixtures("documents_made_once")
def test_the_dry_run_after_a_restore_names_round_requests_and_packs_sent_before(
    tmp_path: Path, database_url: str, backup_of: object
) -> None:
    from store import Repository

    app = scenario_app(tmp_path / "home", database_url)
    backup_url = backup_of(app)  # type: ignore[operator]
    sent: dict[date, set[str]] = {}
    for day in (ROUND_DAY, PACK_DAY):
        before = set(app.settings.outbox_dir.glob("*.eml"))
        done = regie("cycle", "--as-of", day.isoformat(), env=_env(app))
        assert done.code == 0, done.err
        assert set(app.settings.outbox_dir.glob("*.eml")) > before
        with app.session() as session:
            rows = Repository(session, "mvi-2015-2020").outbox(status="sent")
        sent[day] = {r.key for r in rows if r.created_on == day}
    requests = {k for k in sent[ROUND_DAY] if k.endswith(":request")}
    packs = {k for k in sent[PACK_DAY] if k.startswith("agenda-pack:stuurgroep:2016-04-12:")}
    assert requests and packs
    app.engine.dispose()
    restored = make_app(tmp_path / "home", backup_url)  # the same home: its outbox
    env = _env(restored)
    dry = regie("cycle", "--full", "--dry-run", "--as-of", ROUND_DAY.isoformat(), env=env)
    assert dry.code == 0, dry.err
    assert "status rounds would start: stuurgroep 2016-04-12" in dry.out
    # Every message the day's cycle sent is named: the reminder digests and the requests.
    count, named = _resent(dry.out)
    assert count == len(sent[ROUND_DAY]) and named <= sent[ROUND_DAY], dry.out
    # The meeting day alone (`regie meeting prepare`) names the round's requests too.
    alone = regie("meeting", "prepare", "--dry-run", "--as-of", ROUND_DAY.isoformat(), env=env)
    assert alone.code == 0, alone.err
    assert _resent(alone.out) == (len(requests), requests), alone.out
    dry = regie("cycle", "--full", "--dry-run", "--as-of", PACK_DAY.isoformat(), env=env)
    assert dry.code == 0, dry.err
    # The digests and the packs. Not the round's summary and chase (the restored database knows
    # no round: it was started since), nor an escalation its cycles raised since.
    again = {k for k in sent[PACK_DAY] if k.startswith(("reminder:", "agenda-pack:"))}
    count, named = _resent(dry.out)
    assert count == len(again) and named <= again, dry.out
    # The round's requests queued again after the restore are the ones named (the round gets
    # the number it had), so `regie outbox mark-sent` can take the dry run's keys.
    again = regie("cycle", "--full", "--no-send", "--as-of", ROUND_DAY.isoformat(), env=env)
    assert again.code == 0, again.err
    with restored.session() as session:
        pending = {r.key for r in Repository(session, "mvi-2015-2020").outbox(status="pending")}
    assert requests <= pending
