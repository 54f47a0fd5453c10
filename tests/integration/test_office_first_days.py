"""review51 6: the office's shared assessment reads every item's first assessed day only for a
full assessment. After an owner's answer it compares a mark of the table (rows, sum of days),
so the reassess path stays cheap; a cycle that stores other first days is still picked up."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

import store.first_assessed
from regie import plan_cache
from regie.bootstrap import App
from regie.cycle import deadline_check
from regie.history import record_update
from regie.office import shared_assessment
from tests.integration.feed_clients import synced_app

AS_OF = date(2016, 3, 1)
EARLY = date(2016, 1, 4)  # a back-dated cycle: a first day long before AS_OF


def _stale(app: App) -> set[str]:
    plan, _ = plan_cache.current_plan(app)
    with app.session() as session:
        assessment = shared_assessment(app, session, plan, AS_OF)
    return {code for code, item in assessment.items.items() if item.stale}


def test_the_office_reads_the_first_days_only_when_their_mark_moved(
    tmp_path: Path, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = synced_app(tmp_path, migrated_url)
    plan_cache.clear_facts()
    reads: list[Any] = []
    read = store.first_assessed.first_assessed_days

    def counted(*args: Any, **kwargs: Any) -> Any:
        reads.append(args[1:])
        return read(*args, **kwargs)

    monkeypatch.setattr(store.first_assessed, "first_assessed_days", counted)

    assert _stale(app) == set()  # no cycle yet: every item first assessed today
    assert len(reads) == 1  # the first assessment is a full one

    def answer(item_id: str) -> None:
        record_update(app, item_id, "on_track", as_of=AS_OF, forecast=None, completed_on=None,
                      comment="loopt", author=None)  # fmt: skip

    answer("1.1.1")
    assert _stale(app) == set()
    assert len(reads) == 1  # an answer: only the touched items judged, the table not read

    # A back-dated cycle stores its own day as every item's first day: the clock starts then.
    deadline_check(app, EARLY)
    with app.session() as session:
        days = read(session, plan_cache.current_plan(app)[0].programme.id)
    assert set(days.values()) == {EARLY}
    reads.clear()  # the cycle's own reads
    stale = _stale(app)
    assert len(reads) == 1  # the mark moved: a full assessment with the new days
    assert stale and "1.1.1" not in stale  # answered on AS_OF: not stale

    assert _stale(app) == stale and len(reads) == 1  # nothing changed: the cached one
    answer(sorted(stale)[0])
    assert _stale(app) == stale - {sorted(stale)[0]}
    assert len(reads) == 1  # the first days did not change: not read again
