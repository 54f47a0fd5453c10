"""Reads and writes of the governance reports' tables for one programme (caller owns the
transaction). Decisions, measurements and archived reports are only ever inserted."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from governance.clock import utcnow
from governance.decisions import Decision, DecisionKind, Measurement
from governance.meetings import Meeting
from store import reports_read
from store.dialect import reader
from store.models_reports import (
    DecisionAdditionRow,
    DecisionCorrectionRow,
    DecisionRow,
    IndicatorMeasurementRow,
    MeetingRow,
    PlanTextRow,
    ReportApprovalRow,
    ReportArchiveRow,
    UpdateImportRow,
)


@dataclass(frozen=True, slots=True)
class ArchivedReport:
    id: int
    kind: str
    format: str
    title: str
    as_of: date
    parameters: dict[str, Any]
    sha256: str
    size: int
    created_at: datetime
    content: bytes | None = None
    plan_sha256: str | None = None
    made_by: str | None = None
    made_via: str | None = None
    data_until: datetime | None = None


@dataclass(frozen=True, slots=True)
class Provenance:
    """What an archived report rests on (see :class:`store.models_reports.ReportArchiveRow`)."""

    plan_sha256: str | None
    made_by: str | None
    made_via: str | None
    data_until: datetime | None


@dataclass(frozen=True, slots=True)
class UpdateImport:
    id: int
    sha256: str
    file_name: str
    reported_on: date
    update_ids: tuple[int, ...]
    made_by: str | None
    recorded_at: datetime


class ReportsRepository:
    def __init__(
        self, session: Session, programme_id: str, *, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self._session = session
        self.programme_id = programme_id
        self._clock = clock

    # --- meetings -------------------------------------------------------------------------

    def add_meeting(self, meeting: Meeting) -> bool:
        """Store a one-off meeting; False when the body already has one stored that day."""
        exists = self._session.scalar(
            sa.select(MeetingRow.id).where(
                MeetingRow.programme_id == self.programme_id,
                MeetingRow.body_code == meeting.body_id,
                MeetingRow.meets_on == meeting.on,
            )
        )
        if exists is not None:
            return False
        self._session.add(
            MeetingRow(
                programme_id=self.programme_id,
                body_code=meeting.body_id,
                meets_on=meeting.on,
                starts_at=meeting.time.strftime("%H:%M") if meeting.time else None,
                location=meeting.location,
                note=meeting.note,
                recorded_at=self._clock(),
            )
        )
        self._session.flush()
        return True

    def meetings(self, body_id: str | None = None) -> list[Meeting]:
        return reports_read.meetings(reader(self._session), self.programme_id, body_id)

    # --- decisions ------------------------------------------------------------------------

    def add_decision(self, decision: Decision) -> Decision:
        row = DecisionRow(
            programme_id=self.programme_id,
            body_code=decision.body_id,
            meeting_on=decision.meeting_on,
            kind=decision.kind.value,
            text=decision.text,
            item_code=decision.item_id,
            gereed_before=decision.gereed_before,
            gereed_after=decision.gereed_after,
            recorded_at=self._clock(),
        )
        self._session.add(row)
        self._session.flush()
        if decision.approves is not None:
            ref = decision.approves
            self._session.add(
                ReportApprovalRow(
                    programme_id=self.programme_id,
                    decision_id=row.id,
                    report_code=ref.report_id,
                    period_from=ref.start,
                    period_to=ref.end,
                    recorded_at=row.recorded_at,
                )
            )
            self._session.flush()
        if decision.adds:
            self._session.add(
                DecisionAdditionRow(
                    programme_id=self.programme_id,
                    decision_id=row.id,
                    recorded_at=row.recorded_at,
                )
            )
            self._session.flush()
        if decision.corrects is not None:
            self._session.add(
                DecisionCorrectionRow(
                    programme_id=self.programme_id,
                    decision_id=row.id,
                    corrects_id=decision.corrects,
                    recorded_at=row.recorded_at,
                )
            )
            self._session.flush()
        return replace(
            _decision(row),
            approves=decision.approves,
            adds=decision.adds,
            corrects=decision.corrects,
        )

    def decisions(self, body_id: str | None = None, *, until: date | None = None) -> list[Decision]:
        return reports_read.decisions(reader(self._session), self.programme_id, body_id, until)

    # --- indicators -----------------------------------------------------------------------

    def add_measurement(self, measurement: Measurement) -> Measurement:
        row = IndicatorMeasurementRow(
            programme_id=self.programme_id,
            indicator_code=measurement.indicator_id,
            value=measurement.value,
            measured_on=measurement.measured_on,
            source=measurement.source,
            recorded_at=self._clock(),
        )
        self._session.add(row)
        self._session.flush()
        return _measurement(row)

    def measurements(self, until: date | None = None) -> list[Measurement]:
        query = sa.select(IndicatorMeasurementRow).where(
            IndicatorMeasurementRow.programme_id == self.programme_id
        )
        if until is not None:
            query = query.where(IndicatorMeasurementRow.measured_on <= until)
        order = (IndicatorMeasurementRow.measured_on, IndicatorMeasurementRow.id)
        return [_measurement(r) for r in self._session.scalars(query.order_by(*order))]

    def missing_outbox_keys(self, keys: list[str]) -> set[str]:
        """The keys that are not in the outbox yet (whatever their delivery state)."""
        return set(keys) - _outbox_keys_present(self._session, self.programme_id, keys)

    def unsent_report_reminders(self, kind: str, prefix: str) -> list[tuple[str, str | None]]:
        """(key, due date as ISO text) of the unsent messages of ``kind`` whose key starts
        with ``prefix`` (one obligation's report reminders)."""
        from store.models import OutboxRow
        from store.outbox import UNSENT

        o = OutboxRow
        rows = self._session.execute(
            sa.select(o.key, o.payload["due"].as_string()).where(
                o.programme_id == self.programme_id,
                o.kind == kind,
                o.status.in_(UNSENT),
                o.key.startswith(prefix, autoescape=True),
            )
        ).all()
        return [(str(key), due) for key, due in rows]

    def cancel_unsent(self, keys: list[str], why: str) -> list[str]:
        """Suppress these messages if still unsent (pending, failed), with ``why`` as their
        last error: the row stays, and `regie outbox` shows it suppressed with the reason.
        Return the keys cancelled (one being sent, or sent, is left as it is)."""
        from store.models import OutboxRow
        from store.outbox import UNSENT

        if not keys:
            return []
        o = OutboxRow
        found = list(
            self._session.scalars(
                sa.update(o)
                .where(o.programme_id == self.programme_id, o.key.in_(keys), o.status.in_(UNSENT))
                .values(status="suppressed", next_attempt_at=None, last_error=why)
                .returning(o.key)
                .execution_options(synchronize_session=False)
            )
        )
        return sorted(found)

    def events_named(self, name: str, until: date) -> list[tuple[str, date]]:
        """(item, day) of every event with this name up to ``until`` (e.g. escalations)."""
        return reports_read.events_named(reader(self._session), self.programme_id, name, until)

    # --- report archive -------------------------------------------------------------------

    def archive(
        self,
        *,
        kind: str,
        format: str,
        title: str,
        as_of: date,
        parameters: dict[str, Any],
        sha256: str,
        content: bytes,
        provenance: Provenance | None = None,
    ) -> ArchivedReport:
        made = provenance or Provenance(None, None, None, None)
        row = ReportArchiveRow(
            programme_id=self.programme_id,
            kind=kind,
            format=format,
            title=title,
            as_of=as_of,
            parameters=parameters,
            sha256=sha256,
            size=len(content),
            content=content,
            created_at=self._clock(),
            plan_sha256=made.plan_sha256,
            made_by=made.made_by,
            made_via=made.made_via,
            data_until=made.data_until,
        )
        self._session.add(row)
        self._session.flush()
        return _archived(row, with_content=False)

    # --- plan texts -----------------------------------------------------------------------

    def keep_plan_text(self, sha256: str, content: bytes, path: str | None) -> None:
        """Store the plan file's text under its hash, once."""
        exists = self._session.scalar(
            sa.select(PlanTextRow.id).where(
                PlanTextRow.programme_id == self.programme_id, PlanTextRow.sha256 == sha256
            )
        )
        if exists is None:
            self._session.add(
                PlanTextRow(
                    programme_id=self.programme_id,
                    sha256=sha256,
                    path=path,
                    content=content,
                    recorded_at=self._clock(),
                )
            )
            self._session.flush()

    def plan_text(self, sha256: str) -> tuple[bytes, str | None] | None:
        row = self._session.execute(
            sa.select(PlanTextRow.content, PlanTextRow.path).where(
                PlanTextRow.programme_id == self.programme_id, PlanTextRow.sha256 == sha256
            )
        ).first()
        return None if row is None else (bytes(row[0]), row[1])

    # --- imported sheets ------------------------------------------------------------------

    def imports_of(self, sha256: str) -> list[UpdateImport]:
        """Earlier imports of a file with this content hash, oldest first."""
        rows = self._session.scalars(
            sa.select(UpdateImportRow)
            .where(
                UpdateImportRow.programme_id == self.programme_id,
                UpdateImportRow.sha256 == sha256,
            )
            .order_by(UpdateImportRow.id)
        )
        return [_import(r) for r in rows]

    def imports(self) -> list[UpdateImport]:
        """Every import of the programme, oldest first (which import recorded an update)."""
        rows = self._session.scalars(
            sa.select(UpdateImportRow)
            .where(UpdateImportRow.programme_id == self.programme_id)
            .order_by(UpdateImportRow.id)
        )
        return [_import(r) for r in rows]

    def add_import(
        self,
        sha256: str,
        file_name: str,
        reported_on: date,
        update_ids: list[int],
        made_by: str | None,
    ) -> UpdateImport:
        row = UpdateImportRow(
            programme_id=self.programme_id,
            sha256=sha256,
            file_name=file_name,
            reported_on=reported_on,
            update_ids=update_ids,
            made_by=made_by,
            recorded_at=self._clock(),
        )
        self._session.add(row)
        self._session.flush()
        return _import(row)

    def archived(self, kind: str | None = None) -> list[ArchivedReport]:
        query = sa.select(ReportArchiveRow).where(
            ReportArchiveRow.programme_id == self.programme_id
        )
        if kind is not None:
            query = query.where(ReportArchiveRow.kind == kind)
        # Only the columns a listing needs: the content stays in the database.
        rows = self._session.scalars(
            query.options(sa.orm.defer(ReportArchiveRow.content)).order_by(ReportArchiveRow.id)
        )
        return [_archived(r, with_content=False) for r in rows]

    def archived_report(self, report_id: int) -> ArchivedReport | None:
        row = self._session.get(ReportArchiveRow, report_id)
        if row is None or row.programme_id != self.programme_id:
            return None
        return _archived(row, with_content=True)


def _decision(row: DecisionRow) -> Decision:
    return Decision(
        body_id=row.body_code,
        meeting_on=row.meeting_on,
        kind=DecisionKind(row.kind),
        text=row.text,
        item_id=row.item_code,
        gereed_before=row.gereed_before,
        gereed_after=row.gereed_after,
        recorded_at=row.recorded_at,
        id=row.id,
    )


def _measurement(row: IndicatorMeasurementRow) -> Measurement:
    return Measurement(
        row.indicator_code, row.value, row.measured_on, row.source, row.recorded_at, row.id
    )


def _archived(row: ReportArchiveRow, *, with_content: bool) -> ArchivedReport:
    return ArchivedReport(
        id=row.id,
        kind=row.kind,
        format=row.format,
        title=row.title,
        as_of=row.as_of,
        parameters=dict(row.parameters),
        sha256=row.sha256,
        size=row.size,
        created_at=row.created_at,
        content=bytes(row.content) if with_content else None,
        plan_sha256=row.plan_sha256,
        made_by=row.made_by,
        made_via=row.made_via,
        data_until=row.data_until,
    )


def _import(row: UpdateImportRow) -> UpdateImport:
    return UpdateImport(
        id=row.id,
        sha256=row.sha256,
        file_name=row.file_name,
        reported_on=row.reported_on,
        update_ids=tuple(int(i) for i in row.update_ids),
        made_by=row.made_by,
        recorded_at=row.recorded_at,
    )


def _outbox_keys_present(session: Session, programme_id: str, keys: list[str]) -> set[str]:
    from store.models import OutboxRow

    found: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        found.update(
            session.scalars(
                sa.select(OutboxRow.key).where(
                    OutboxRow.programme_id == programme_id, OutboxRow.key.in_(chunk)
                )
            )
        )
    return found
