"""The names of contacts no longer in the plan: archived rows keep them (a contact removed from
the plan is archived, never deleted), an erased one's is blank (``regie contact forget``)."""

from __future__ import annotations

from collections.abc import Collection

import sqlalchemy as sa
from sqlalchemy.orm import Session

from store.models import ContactRow
from store.models_erasure import ErasureRow


def former_contact_names(
    session: Session, programme_id: str, codes: Collection[str]
) -> dict[str, str]:
    """``{code: name}`` of the archived contacts among ``codes`` whose name is still on record:
    never one that was forgotten (its name blanked, or an erasure on record)."""
    if not codes:
        return {}
    c, e = ContactRow, ErasureRow
    erased = sa.select(e.contact_code).where(e.programme_id == programme_id)
    rows = session.execute(
        sa.select(c.code, c.name).where(
            c.programme_id == programme_id,
            c.code.in_(sorted(codes)),
            c.archived_at.is_not(None),
            c.name != "",
            c.code.not_in(erased),
        )
    )
    return {code: name for code, name in rows}


def former_contact_organisations(session: Session, programme_id: str) -> dict[str, str]:
    """``{code: organisation}`` of every archived contact (also a forgotten one: the
    organisation is no personal data): whose predecessors a hand-over names."""
    c = ContactRow
    rows = session.execute(
        sa.select(c.code, c.organisation_code).where(
            c.programme_id == programme_id, c.archived_at.is_not(None)
        )
    )
    return {code: org for code, org in rows}
