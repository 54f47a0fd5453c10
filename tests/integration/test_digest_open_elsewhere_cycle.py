"""The digests' "Verder staan er nog N punten van u open, waarvan M te laat" through the real
cycle (walk55b 3): on an incremental day (only the items due for a check re-assessed) the
counts are those of a full assessment of the day — the others' states come from the memory.
SQLite and PostgreSQL (the ``database_url`` fixture)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from governance.assessment import Assessment, assess
from governance.item_start import asked_about, not_started
from governance.plan import Plan
from governance.planfile.load import load_plan
from governance.rag import STATE_VALUES
from governance.reminders import Digest, DigestItem, OpenElsewhere, open_elsewhere
from regie.cycle import deadline_check
from store import Repository
from store.records import OutboxRecord
from tests.conftest import SEED_PLAN
from tests.integration.test_cycle import make_app

FIRST, LAST = date(2015, 12, 1), date(2016, 1, 29)


def test_incremental_days_count_as_a_full_assessment(tmp_path: Path, database_url: str) -> None:
    app = make_app(tmp_path, database_url)
    plan = load_plan(SEED_PLAN)
    day, incremental, checked, escalations = FIRST, 0, 0, 0
    while day <= LAST:
        report = deadline_check(app, day, plan=plan)
        incremental += report.incremental
        with app.session() as session:
            every = [
                m for m in Repository(session, plan.programme.id).outbox() if m.created_on == day
            ]
        digests = [m for m in every if m.kind == "reminder_digest"]
        full = assess(plan, [], day)
        if digests:
            states = {i: STATE_VALUES[item.state] for i, item in full.items.items()}
            for m in digests:
                listed = tuple(
                    DigestItem(i["id"], i["stage"], i["state"], None, "", None, "")
                    for i in m.payload["items"]
                )
                digest = Digest(m.recipient, day, listed, m.key)
                expected = open_elsewhere(plan, states, [digest], day)[m.key]
                got = OpenElsewhere(
                    m.payload.get("others_open", 0), m.payload.get("others_late", 0)
                )
                assert got == expected, (day, m.recipient)
                if expected.open:
                    assert "nog" in m.body_text and "van u open" in m.body_text
                    checked += 1
            escalated = [m for m in every if m.kind == "escalation_digest"]
            owned = _owners_open(plan, full, escalated)
            for m in escalated:  # the office's (fix57f 2): each escalated item's owner's
                assert m.payload.get("owners_open") == owned, (day, m.key)
                if owned:
                    assert "bij de eigenaren van deze punten nog open" in m.body_text
                    escalations += 1
        day += timedelta(days=1)
    assert incremental >= 20, incremental  # most days were incremental ones
    assert checked >= 10, checked
    assert escalations >= 1, escalations


def _owners_open(plan: Plan, full: Assessment, escalated: list[OutboxRecord]) -> object:
    """[name, open, late] per owner of the escalated items, counted one by one from a full
    assessment, less the day's escalated items (all in each office message here)."""
    ids = {i["id"] for m in escalated for i in m.payload["items"]}
    rows = []
    for org in sorted({o for i in ids for o in full.items[i].owners}):
        mine = [
            i
            for i in full.items.values()
            if org in i.owners
            and i.item_id not in ids
            and asked_about(i.state.value, not_started(i, full.as_of))
        ]
        if mine:
            late = sum(1 for i in mine if i.state.value == "overdue")
            rows.append([plan.owner_name(org), len(mine), late])
    return rows or None
