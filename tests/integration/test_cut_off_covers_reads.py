"""fix57l (fix57d left it): a report's data cut-off covers every record it reads, so that the
records recorded up to it are exactly those it read and `regie report reproduce` makes it again
from them. Each kind of record the cut-off did not count is recorded just before a pack (or a
progress report) is made: a renumbering (``regie.item.renumbered``), the accepted additions
(migration 0036's row), the messages behind replayed escalations. The stored cut-off is that
record's moment and the report reproduces. One archived before, with the cut-off of the other
records, is made again from its archiving and says so (its bytes and cut-off kept). SQLite and
PostgreSQL."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from regie.bootstrap import App
from tests.cli_in_process import regie
from tests.integration.layout_golden import synced_at
from tests.integration.reports_scenario import cli_env, migrated_app
from tests.integration.test_formerly_packs import (
    AS_OF,
    EXAMPLE,
    FIRST_SYNC,
    LATER,
    MEETING,
    OLD_ID,
    RENUMBERED,
    _edit,
)

YEAR = (date(2026, 1, 1), date(2026, 12, 31))


def _app(tmp_path: Path, database_url: str, new_id: str, title: str = "Invoering") -> App:
    """The example plan synced on 1 September, then 2.1.2 given ``new_id``'s lines and
    ``title`` on 15 September (nothing is recorded after that)."""
    home = tmp_path / "home"
    home.mkdir()
    plan_file = home / "actions.yaml"
    shutil.copyfile(EXAMPLE, plan_file)
    app = migrated_app(home, database_url)
    synced_at(app, FIRST_SYNC)
    _edit(plan_file, OLD_ID, new_id)
    _edit(plan_file, "            title: Invoering\n", f"            title: {title}\n")
    synced_at(app, RENUMBERED)
    return app


def _execute(app: App, statement: str, **params: Any) -> None:
    """``statement`` run in plain SQL, its instants bound as the columns store them."""
    from store.dialect import reader
    from store.reports_read import instant

    with app.session() as session, session.begin():
        connection = reader(session)
        bound = {k: instant(connection, v) if isinstance(v, datetime) else v
                 for k, v in params.items()}  # fmt: skip
        session.execute(sa.text(statement), bound)


def _reproduced(made: Any) -> None:
    """Made again from its stored cut-off alone, byte for byte (no repair)."""
    from regie.reports import reproduce

    again = reproduce(made.app, made.archive_id)
    assert again.matches and again.stored_cut_off is None, made.kind
    assert again.recorded_until == made.data_until


class _Made:
    """An archived document with its app, for :func:`_reproduced`."""

    def __init__(self, app: App, rendered: Any) -> None:
        self.app, self.kind = app, rendered.kind
        self.archive_id, self.data_until = rendered.archive_id, rendered.data_until
        self.text = rendered.content.decode()


def _pack(app: App) -> _Made:
    from regie.reports import agenda

    return _Made(app, agenda(app, "stuurgroep", MEETING, AS_OF, "md"))


def _report(app: App) -> _Made:
    from regie.reports import voortgang

    return _Made(app, voortgang(app, *YEAR, AS_OF, "md"))


def test_a_renumbering_recorded_last_is_within_the_cut_off(
    tmp_path: Path, database_url: str
) -> None:
    """2.1.2 renamed 2.1.3 on 15 September; a week later (the newest record) the event that
    2.1.3 took over 2.1.2's history, as a sync with ``formerly`` records it: the pack and the
    progress report say *hernummerd*; before, their cut-off was the rename's, and a rebuild
    from it called 2.1.2 removed (DIFFERS)."""
    import json

    from store.agenda_read import RENUMBERED_EVENT

    app = _app(tmp_path, database_url, '          - id: "2.1.3"\n')
    assert "hernummerd" not in _pack(app).text  # a removal and an addition, until the event
    _execute(
        app,
        "INSERT INTO events (programme_id, name, item_code, occurred_on, recorded_at, payload,"
        " dedupe_key) VALUES (:p, :n, '2.1.3', :on, :at, :payload, 'fix57l')",
        p=app.programme_id(), n=RENUMBERED_EVENT, on=LATER.date(), at=LATER,
        payload=json.dumps({"from": "2.1.2"}),
    )  # fmt: skip
    for made in (_pack(app), _report(app)):
        assert "hernummerd (was 2.1.2" in made.text, made.kind
        assert made.data_until == LATER, made.kind
        _reproduced(made)


@pytest.fixture
def renamed(tmp_path: Path, database_url: str) -> App:
    """2.1.2 renamed 2.1.9 (and retitled) on 15 September: a removal and an addition without
    a decision."""
    return _app(tmp_path, database_url, '          - id: "2.1.9"\n', "Invoering zones")


ADDED = "Toevoeging van 2.1.9"


def test_the_accepted_additions_recorded_last_are_within_the_cut_off(renamed: App) -> None:
    """The plan accepted as it stood (migration 0036's row, recorded at the upgrade a week
    later): the pack does not put 2.1.9's addition to the body; before, its cut-off was the
    sync's, and a rebuild from it asked (DIFFERS)."""
    app = renamed
    assert ADDED in _pack(app).text  # without the row: put to the body
    _execute(
        app,
        "INSERT INTO additions_accepted (programme_id, through, recorded_at)"
        " VALUES (:p, :through, :at)",
        p=app.programme_id(), through=RENUMBERED, at=LATER,
    )  # fmt: skip
    made = _pack(app)
    assert ADDED not in made.text
    assert made.data_until == LATER
    _reproduced(made)


def test_the_messages_of_replayed_escalations_queued_last_are_within_the_cut_off(
    tmp_path: Path, database_url: str
) -> None:
    """The replay's escalation digests queued after every other record (their states tell the
    pack the escalations were replayed, not sent): the pack's cut-off is their queueing."""
    from regie.cycle import deadline_check
    from tests.integration.test_escalation_delivery import DAYS, make_app
    from tests.integration.test_replayed_escalation_pack import AS_OF as DAY
    from tests.integration.test_replayed_escalation_pack import MEETING as ON

    app = make_app(tmp_path, database_url)
    for day in DAYS:
        deadline_check(app, day, replay=True)
    queued = datetime.now(UTC) + timedelta(minutes=1)  # after every record of the replay
    _execute(app, "UPDATE outbox SET created_at = :at WHERE kind = 'escalation_digest'", at=queued)
    from regie.reports import agenda

    made = _Made(app, agenda(app, "stuurgroep", ON, DAY, "md"))
    assert "scalatie" not in made.text  # the replayed escalations are not called unanswered
    assert made.data_until == queued
    _reproduced(made)


def test_a_pack_archived_with_the_earlier_cut_off_is_made_again_from_its_archiving(
    renamed: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Archived as before fix57l (the cut-off of the other records: the sync's), after the
    accepted additions' row: the rebuild from its stored cut-off asks 2.1.9's addition, so
    `regie report reproduce` makes it again from the records up to its archiving, says
    *matches* with the cut-off of what it read, and names the stored one as too early."""
    from regie.reports import reproduce
    from store import agenda_read

    app = renamed
    _execute(
        app,
        "INSERT INTO additions_accepted (programme_id, through, recorded_at)"
        " VALUES (:p, :through, :at)",
        p=app.programme_id(), through=RENUMBERED, at=LATER,
    )  # fmt: skip
    with monkeypatch.context() as then:  # the cut-off as it was: the row not counted
        then.setattr(agenda_read, "additions_accepted_at", lambda *a, **k: None)
        made = _pack(app)
    assert made.data_until == RENUMBERED and ADDED not in made.text
    given = reproduce(app, made.archive_id, RENUMBERED)  # what the stored cut-off gives
    assert not given.matches and ADDED in given.content.decode()
    again = reproduce(app, made.archive_id)
    assert again.matches and again.stored_cut_off == RENUMBERED
    assert again.recorded_until == LATER  # what it read: the row
    done = regie("report", "reproduce", str(made.archive_id), env=cli_env(app))
    assert done.code == 0, done.err
    assert "matches the archived" in done.out
    assert f"its stored data cut-off ({RENUMBERED.isoformat()}) is earlier than" in done.out
    assert f"rebuilt from the records recorded up to {LATER.isoformat()} and" in done.out
