"""Fault suite, the store: claim tokens, immutable history, last assessed day (issue #7)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from store import OutboxError, Repository
from store.models import PlanRevisionRow
from store.models_faults import AssessedDayRow
from tests.integration.test_outbox_store import CREATED, T, _add_programme, _message


def test_a_sender_that_lost_its_claim_cannot_record_a_result(session: Session) -> None:
    repo = _add_programme(session, "p")
    repo.enqueue([_message("a")])
    [slow] = repo.claim_outbox(now=T)
    # The first sender stalls past the reclaim window; a second one claims the row again.
    [fresh] = repo.claim_outbox(now=T + timedelta(hours=1))
    assert slow.claim_token and fresh.claim_token and slow.claim_token != fresh.claim_token
    with pytest.raises(OutboxError, match="claimed again"):
        repo.mark_sent("a", channel="file", external_id=None, now=T, claim_token=slow.claim_token)
    with pytest.raises(OutboxError, match="claimed again"):
        repo.mark_failed("a", error="late", now=T, claim_token=slow.claim_token)
    repo.mark_sent("a", channel="file", external_id="x", now=T, claim_token=fresh.claim_token)
    [row] = repo.outbox()
    assert (row.status, row.external_id) == ("sent", "x")


@pytest.mark.parametrize("operation", ["update", "delete"])
def test_plan_revisions_are_append_only(
    session: Session, engine: sa.Engine, operation: str
) -> None:
    _add_programme(session, "p")
    session.add(
        PlanRevisionRow(
            programme_id="p", recorded_at=CREATED, entity="action", code="1.1", kind="created"
        )
    )
    session.add(AssessedDayRow(programme_id="p", as_of=date(2015, 9, 7), recorded_at=CREATED))
    session.commit()
    for table in (PlanRevisionRow, AssessedDayRow):
        statement: sa.Executable = (
            sa.update(table).values(recorded_at=T) if operation == "update" else sa.delete(table)
        )
        with pytest.raises(sa.exc.IntegrityError, match="append-only"), engine.begin() as conn:
            conn.execute(statement)
        with engine.connect() as conn:
            assert conn.scalar(sa.select(sa.func.count()).select_from(table)) == 1


def test_last_assessed_is_the_last_day_checked_not_the_last_change(session: Session) -> None:
    repo = _add_programme(session, "p")
    repo.record_assessed_day(date(2016, 3, 15))
    repo.record_assessed_day(date(2016, 3, 15))  # a rerun of the day adds nothing
    session.commit()
    assert Repository(session, "p").last_assessed() == date(2016, 3, 15)
