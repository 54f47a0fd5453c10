"""Tables of the governance reports (issue #11): one-off meetings, decisions, indicator
measurements and the archive of generated reports. Decisions, measurements and archived reports
are append-only (triggers from migration 0007)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from store.models import CODE, Base, UTCDateTime, _one_of, recorded_by

DECISION_KINDS = ("besluit", "set_gereed", "cancel")
REPORT_APPEND_ONLY_TABLES = (
    "decisions",
    "report_approvals",
    "decision_additions",
    "decision_corrections",
    "additions_accepted",
    "indicator_measurements",
    "report_archive",
    "plan_texts",
    "update_imports",
)


class MeetingRow(Base):
    """A one-off meeting of a governance body (regular meetings live in the plan file)."""

    __tablename__ = "meetings"
    __table_args__ = (sa.UniqueConstraint("programme_id", "body_code", "meets_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(CODE, sa.ForeignKey("programmes.id"))
    body_code: Mapped[str] = mapped_column(CODE)
    meets_on: Mapped[date] = mapped_column(sa.Date)
    starts_at: Mapped[str | None] = mapped_column(sa.String(5))  # HH:MM local time
    location: Mapped[str | None] = mapped_column(sa.Text)
    note: Mapped[str | None] = mapped_column(sa.Text)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_by: Mapped[str | None] = recorded_by()  # migration 0018


class DecisionRow(Base):
    """A decision of a governance body; ``kind`` says what it does to the plan, if anything."""

    __tablename__ = "decisions"
    __table_args__ = (
        sa.CheckConstraint(_one_of("kind", DECISION_KINDS), name="kind"),
        sa.Index("ix_decisions_meeting", "programme_id", "body_code", "meeting_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(CODE, sa.ForeignKey("programmes.id"))
    body_code: Mapped[str] = mapped_column(CODE)
    meeting_on: Mapped[date] = mapped_column(sa.Date)
    kind: Mapped[str] = mapped_column(sa.String(16))
    text: Mapped[str] = mapped_column(sa.Text)
    item_code: Mapped[str | None] = mapped_column(CODE)
    gereed_before: Mapped[str | None] = mapped_column(sa.Text)
    gereed_after: Mapped[str | None] = mapped_column(sa.Text)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_by: Mapped[str | None] = recorded_by()  # migration 0018


class ReportApprovalRow(Base):
    """The progress report a decision approves (migration 0025): the reporting obligation and
    the report's period. The decision stays a text-only one (``besluit``)."""

    __tablename__ = "report_approvals"
    __table_args__ = (
        sa.UniqueConstraint("decision_id"),
        sa.Index("ix_report_approvals_report", "programme_id", "report_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(CODE, sa.ForeignKey("programmes.id"))
    decision_id: Mapped[int] = mapped_column(sa.ForeignKey("decisions.id"))
    report_code: Mapped[str] = mapped_column(CODE)
    period_from: Mapped[date] = mapped_column(sa.Date)
    period_to: Mapped[date] = mapped_column(sa.Date)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DecisionAdditionRow(Base):
    """A decision that adds its item to the plan (migration 0035, ``--adds``). The decision
    stays a text-only one (``besluit``) about the item; the item may not be in the plan yet."""

    __tablename__ = "decision_additions"
    __table_args__ = (sa.UniqueConstraint("decision_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(CODE, sa.ForeignKey("programmes.id"))
    decision_id: Mapped[int] = mapped_column(sa.ForeignKey("decisions.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DecisionCorrectionRow(Base):
    """A decision that corrects an earlier one of the same meeting (migration 0039,
    ``--corrects``): both stay recorded; the corrected one is read as replaced."""

    __tablename__ = "decision_corrections"
    __table_args__ = (sa.UniqueConstraint("decision_id"), sa.UniqueConstraint("corrects_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(CODE, sa.ForeignKey("programmes.id"))
    decision_id: Mapped[int] = mapped_column(sa.ForeignKey("decisions.id"))
    corrects_id: Mapped[int] = mapped_column(sa.ForeignKey("decisions.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AdditionsAcceptedRow(Base):
    """The plan of a programme as it stood at the upgrade to migration 0036 (its latest plan
    revision then, ``through``): the additions recorded up to it are accepted as is, never put
    to the body (agenda layout 13). A programme created after that upgrade has no row."""

    __tablename__ = "additions_accepted"

    programme_id: Mapped[str] = mapped_column(
        CODE, sa.ForeignKey("programmes.id"), primary_key=True
    )
    through: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class IndicatorMeasurementRow(Base):
    """One measured value of an indicator (append-only: a correction is a new row)."""

    __tablename__ = "indicator_measurements"
    __table_args__ = (
        sa.Index("ix_indicator_measurements_indicator", "programme_id", "indicator_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(CODE, sa.ForeignKey("programmes.id"))
    indicator_code: Mapped[str] = mapped_column(CODE)
    value: Mapped[float] = mapped_column(sa.Float)
    measured_on: Mapped[date] = mapped_column(sa.Date)
    source: Mapped[str] = mapped_column(sa.Text)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ReportArchiveRow(Base):
    """A generated report, kept byte for byte with its SHA-256."""

    __tablename__ = "report_archive"
    __table_args__ = (sa.Index("ix_report_archive_kind", "programme_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(CODE, sa.ForeignKey("programmes.id"))
    kind: Mapped[str] = mapped_column(sa.String(32))  # agenda, voortgang
    format: Mapped[str] = mapped_column(sa.String(8))  # html, md, pdf, docx
    title: Mapped[str] = mapped_column(sa.Text)
    as_of: Mapped[date] = mapped_column(sa.Date)
    parameters: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    size: Mapped[int] = mapped_column(sa.Integer)
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # What it rests on (migration 0019; None on reports archived before): the plan file's hash
    # (its text is in plan_texts), who made it and how, and the data cut-off: the newest
    # recorded_at among the records it read, so that it can be rebuilt from the records
    # recorded up to then (`regie report reproduce`).
    plan_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    made_by: Mapped[str | None] = mapped_column(sa.Text)
    made_via: Mapped[str | None] = mapped_column(sa.String(16))  # cli, web, flow
    data_until: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PlanTextRow(Base):
    """The plan file's text a report was made from, once per content hash (append-only)."""

    __tablename__ = "plan_texts"
    __table_args__ = (sa.UniqueConstraint("programme_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(CODE, sa.ForeignKey("programmes.id"))
    sha256: Mapped[str] = mapped_column(sa.String(64))  # Plan.source_hash
    path: Mapped[str | None] = mapped_column(sa.Text)
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class UpdateImportRow(Base):
    """One `regie import-updates` of a file: its content hash and the updates it recorded, so
    that the same sheet is not imported twice by accident (append-only)."""

    __tablename__ = "update_imports"
    __table_args__ = (sa.Index("ix_update_imports_sha256", "programme_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(CODE, sa.ForeignKey("programmes.id"))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    file_name: Mapped[str] = mapped_column(sa.Text)
    reported_on: Mapped[date] = mapped_column(sa.Date)
    update_ids: Mapped[list[int]] = mapped_column(sa.JSON)
    made_by: Mapped[str | None] = mapped_column(sa.Text)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class MeetingDayRow(Base):
    """A governance body's meeting day as the meeting preparation last saw it (migration 0034):
    the memory that tells a meeting that moved or left the schedule from one that was never
    there, so its members are told once per real move (:mod:`regie.meeting_notices`). A day
    that left the schedule keeps its row with ``gone_on``; one that comes back gets a new row,
    whose id the notices' keys carry."""

    __tablename__ = "meeting_days"
    __table_args__ = (sa.Index("ix_meeting_days_body", "programme_id", "body_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(CODE, sa.ForeignKey("programmes.id"))
    body_code: Mapped[str] = mapped_column(CODE)
    meets_on: Mapped[date] = mapped_column(sa.Date)
    seen_on: Mapped[date] = mapped_column(sa.Date)  # the run's day that first saw it
    gone_on: Mapped[date | None] = mapped_column(sa.Date)  # the run's day that saw it gone
