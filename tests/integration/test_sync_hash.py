"""Syncing the plan file that was synced last time is a hash comparison, nothing more."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from governance.planfile.load import load_plan
from store import sync_plan
from store.models import PlanRevisionRow
from tests.conftest import SEED_PLAN

T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)


def _revisions(session: Session) -> int:
    return session.execute(sa.select(sa.func.count()).select_from(PlanRevisionRow)).scalar_one()


def test_same_file_is_in_sync_without_comparing(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(SEED_PLAN.read_text(encoding="utf-8"), encoding="utf-8")
    plan = load_plan(path)
    first = sync_plan(session, plan, now=T0)
    assert first.created > 0
    session.commit()
    # The same bytes again: "in sync", counted as unchanged, and no revision recorded.
    again = sync_plan(session, load_plan(path), now=T0)
    assert (again.describe(), again.unchanged, _revisions(session)) == (
        "in sync",
        first.created,
        len(first.revisions),
    )
    # An edited file is compared in full and its change recorded.
    text = path.read_text(encoding="utf-8").replace("Q4-2015", "Q1-2016", 1)
    path.write_text(text, encoding="utf-8")
    edited = sync_plan(session, load_plan(path), now=T0)
    assert edited.changed_count >= 1 and _revisions(session) > len(first.revisions)
    # A plan that did not come from a file is compared in full, and forgets the file's hash:
    # the original file afterwards is not taken for "in sync" with what is stored.
    reverted = dataclasses.replace(load_plan(SEED_PLAN), source_hash=None)
    assert sync_plan(session, reverted, now=T0, plan_path=str(path)).changed_count >= 1
    assert sync_plan(session, load_plan(path), now=T0).changed_count >= 1
