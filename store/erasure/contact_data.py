"""What is stored about one contact: their personal values, and every row about them as plain
JSON (AVG art. 15, ``regie contact export``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from store.models import (
    ContactRow,
    EventRow,
    OutboxRow,
    PlanRevisionRow,
    PromptRow,
    StatusUpdateRow,
)
from store.models_answers import AnswerLinkRow, RoundRequestRow, SlackUserRow, StatusRoundRow
from store.models_delivery import MailBounceRow, SlackLookupRow
from store.models_erasure import ErasureRow
from store.models_reports import ReportArchiveRow

PERSONAL_KEYS = ("name", "email", "slack")


def _plain(value: Any) -> Any:
    if hasattr(value, "isoformat"):  # dates and datetimes
        return value.isoformat()
    if isinstance(value, bytes):
        return None
    return value


def _rows(
    session: Session, statement: sa.Select[Any], skip: Iterable[str] = ()
) -> list[dict[str, Any]]:
    out = []
    for row in session.execute(statement).mappings():
        out.append({k: _plain(v) for k, v in row.items() if k not in skip})
    return out


def mentions(column: Any, code: str) -> sa.ColumnElement[bool]:
    """A JSON column whose text holds ``code`` as a whole string value (both databases)."""
    return sa.cast(column, sa.Text).like(f'%"{code}"%')


def personal_values(session: Session, programme_id: str, code: str) -> set[str]:
    """Every name, e-mail address and Slack id ever stored for the contact (plan, revisions,
    outbox): what an erasure blanks wherever it occurs as a whole value."""
    values: set[str] = set()
    c = ContactRow
    for row in session.execute(
        sa.select(c.name, c.email, c.slack).where(c.programme_id == programme_id, c.code == code)
    ):
        values.update(v for v in row if v)
    r = PlanRevisionRow
    for before, after, name in session.execute(
        sa.select(r.before, r.after, r.field).where(
            r.programme_id == programme_id, r.entity == "contact", r.code == code
        )
    ):
        for side in (before, after):
            if isinstance(side, dict):
                values.update(str(side[k]) for k in PERSONAL_KEYS if side.get(k))
            elif name in PERSONAL_KEYS and side:
                values.add(str(side))
    o = OutboxRow
    for row in session.execute(
        sa.select(o.recipient_name, o.email, o.slack).where(
            o.programme_id == programme_id, o.recipient == code
        )
    ):
        values.update(v for v in row if v)
    return values


def export(session: Session, programme_id: str, code: str) -> dict[str, Any]:
    """Every stored row about the contact, as plain JSON values (tokens and hashes left out)."""
    values = personal_values(session, programme_id, code)
    emails = sorted(v.lower() for v in values if "@" in v)
    erasure = session.execute(
        sa.select(ErasureRow.pseudonym, ErasureRow.forgotten_at).where(
            ErasureRow.programme_id == programme_id, ErasureRow.contact_code == code
        )
    ).first()
    authors = [code] + ([erasure.pseudonym] if erasure else [])
    c, r, o, s, e = ContactRow, PlanRevisionRow, OutboxRow, StatusUpdateRow, EventRow
    data: dict[str, Any] = {
        "contacts": _rows(
            session, sa.select(c.__table__).where(c.programme_id == programme_id, c.code == code)
        ),
        "plan_revisions": _rows(
            session,
            sa.select(r.__table__)
            .where(r.programme_id == programme_id, r.entity == "contact", r.code == code)
            .order_by(r.id),
        ),
        "outbox": _rows(
            session,
            sa.select(o.__table__)
            .where(o.programme_id == programme_id, o.recipient == code)
            .order_by(o.id),
            skip=("claim_token",),
        ),
        "status_updates": _rows(
            session,
            sa.select(s.__table__)
            .where(s.programme_id == programme_id, s.author.in_(authors))
            .order_by(s.id),
        ),
        "events": _rows(
            session,
            sa.select(e.__table__)
            .where(
                e.programme_id == programme_id,
                sa.or_(*(mentions(e.payload, v) for v in [*authors, *sorted(values)])),
            )
            .order_by(e.id),
        ),
        "prompts": _rows(
            session,
            sa.select(PromptRow.__table__)
            .where(PromptRow.programme_id == programme_id, PromptRow.contact_code == code)
            .order_by(PromptRow.id),
        ),
        "answer_links": _rows(
            session,
            sa.select(AnswerLinkRow.__table__)
            .where(AnswerLinkRow.programme_id == programme_id, AnswerLinkRow.contact_code == code)
            .order_by(AnswerLinkRow.id),
            skip=("token",),  # a secret, not data about the person
        ),
        "round_requests": _rows(
            session,
            sa.select(RoundRequestRow.__table__, StatusRoundRow.body, StatusRoundRow.answer_by)
            .join(StatusRoundRow, StatusRoundRow.id == RoundRequestRow.round_id)
            .where(
                StatusRoundRow.programme_id == programme_id, RoundRequestRow.contact_code == code
            )
            .order_by(RoundRequestRow.id),
        ),
        "slack_users": _rows(
            session,
            sa.select(SlackUserRow.__table__).where(
                SlackUserRow.programme_id == programme_id,
                sa.or_(
                    SlackUserRow.contact_code == code, sa.func.lower(SlackUserRow.email).in_(emails)
                ),
            ),
        ),
        "slack_lookups": _rows(
            session, sa.select(SlackLookupRow.__table__).where(SlackLookupRow.email.in_(emails))
        ),
        "mail_bounces": _rows(
            session,
            sa.select(MailBounceRow.__table__)
            .where(bounced(programme_id, code, emails))
            .order_by(MailBounceRow.id),
        ),
        "report_archive": reports_naming(session, programme_id, values),
        "erasure": (
            {"pseudonym": erasure.pseudonym, "forgotten_at": _plain(erasure.forgotten_at)}
            if erasure
            else None
        ),
    }
    return data


def bounced(programme_id: str, code: str, emails: list[str]) -> sa.ColumnElement[bool]:
    b = MailBounceRow
    return sa.and_(b.programme_id == programme_id, sa.or_(b.recipient == code, b.email.in_(emails)))


def reports_naming(
    session: Session, programme_id: str, values: Iterable[str]
) -> list[dict[str, Any]]:
    """Archived html/md reports whose text holds one of ``values`` (pdf/docx are not searched)."""
    a = ReportArchiveRow
    needles = [v.encode() for v in values if len(v) > 2]
    found = []
    for row in session.execute(
        sa.select(a.id, a.kind, a.format, a.title, a.as_of, a.created_at, a.content).where(
            a.programme_id == programme_id, a.format.in_(("html", "md"))
        )
    ):
        if any(n in row.content for n in needles):
            found.append(
                {"id": row.id, "kind": row.kind, "format": row.format, "title": row.title,
                 "as_of": _plain(row.as_of), "created_at": _plain(row.created_at)}
            )  # fmt: skip
    return found


def contact_known(session: Session, programme_id: str, code: str) -> bool:
    """Whether anything is stored about ``code`` (a plan row, a message, an update, …)."""
    checks = [
        sa.select(ContactRow.id).where(
            ContactRow.programme_id == programme_id, ContactRow.code == code
        ),
        sa.select(OutboxRow.id).where(
            OutboxRow.programme_id == programme_id, OutboxRow.recipient == code
        ),
        sa.select(StatusUpdateRow.id).where(
            StatusUpdateRow.programme_id == programme_id, StatusUpdateRow.author == code
        ),
        sa.select(ErasureRow.id).where(
            ErasureRow.programme_id == programme_id, ErasureRow.contact_code == code
        ),
    ]
    return any(session.execute(q.limit(1)).first() for q in checks)
