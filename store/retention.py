"""Retention beyond the outbox (`regie prune`): old bounces erased, expired web sessions and
old Slack look-ups deleted. Queries only: which bounces must stay whole is the caller's call
(:mod:`regie.retention`). The web sessions and the e-mail look-ups are shared by the
programmes of a database: they go by limits of their own, the same for every programme. Each
function counts what it would change with ``apply`` False and changes nothing then.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from governance.clock import require_aware
from store.dialect import batches
from store.models_answers import SlackUserRow
from store.models_delivery import MailBounceRow, SlackLookupRow
from store.models_web import WebSessionRow
from store.slack_lookups import FOUND_FOR, MISSING_FOR


@dataclass(frozen=True, slots=True)
class BouncesPruned:
    erased: int  # address and server's words erased (or that would be)
    kept: int  # old enough, kept whole: a contact's latest permanent bounce, not ended


def prune_bounces(
    session: Session,
    programme_id: str,
    before: datetime,
    *,
    keep: Collection[str],
    now: datetime,
    apply: bool,
) -> BouncesPruned:
    """Erase the address and the remote server's words of the bounces recorded before
    ``before`` and not pruned yet, but for those whose ``dedupe_key`` is in ``keep``. The row
    stays (migration 0037): its ``dedupe_key`` keeps a second read of the same mailbox from
    recording the bounce again as new; contact, status code and dates stay too."""
    require_aware(before, "before")
    b = MailBounceRow
    found = session.execute(
        sa.select(b.id, b.dedupe_key).where(
            b.programme_id == programme_id, b.pruned_at.is_(None), b.recorded_at < before
        )
    ).all()
    ids = [row_id for row_id, dedupe_key in found if dedupe_key not in keep]
    if apply:
        for chunk in batches(ids, 500):
            session.execute(
                sa.update(b)
                .where(b.id.in_(list(chunk)), b.pruned_at.is_(None))
                .values(email="", diagnostic=None, pruned_at=now)
                .execution_options(synchronize_session=False)
            )
    return BouncesPruned(len(ids), len(found) - len(ids))


def prune_web_sessions(session: Session, now: datetime, *, apply: bool) -> int:
    """Delete the office's web sessions that are over: expired, or ended (a logout, a user
    disabled); no login ever uses them again (:func:`store.users.session_user`).
    Installation-wide: sessions belong to the installation's users, not to a programme, and
    whichever programme prunes takes the same ones (no cut-off), so the order does not matter."""
    require_aware(now, "now")
    s = WebSessionRow
    over = sa.or_(s.expires_at <= now, s.ended_at.is_not(None))
    return _delete(session, WebSessionRow, over, apply=apply)


def prune_slack_lookups(session: Session, now: datetime, *, apply: bool) -> int:
    """Delete the ``users.lookupByEmail`` answers (``slack_lookups``) no look-up reads again:
    a user found more than ``FOUND_FOR`` ago, none found more than ``MISSING_FOR`` ago
    (:class:`store.slack_lookups.SlackUserCache`; review49 6). Installation-wide: one address's
    answer serves every programme of the database, so the limits are the cache's own, never a
    programme's cut-off, and every programme's prune takes the same rows (review49 8)."""
    require_aware(now, "now")
    row = SlackLookupRow
    unused = sa.or_(
        sa.and_(row.user_id.is_not(None), row.looked_up_at < now - FOUND_FOR),
        sa.and_(row.user_id.is_(None), row.looked_up_at < now - MISSING_FOR),
    )
    return _delete(session, SlackLookupRow, unused, apply=apply)


def prune_slack_users(session: Session, programme_id: str, before: datetime, *, apply: bool) -> int:
    """Delete the programme's Slack users resolved to a contact before ``before``
    (``slack_users``, read however old): a cache, asked of Slack again when an answer needs it."""
    require_aware(before, "before")
    u = SlackUserRow
    old_users = sa.and_(u.programme_id == programme_id, u.looked_up_at < before)
    return _delete(session, SlackUserRow, old_users, apply=apply)


def _delete(session: Session, model: type, where: sa.ColumnElement[bool], *, apply: bool) -> int:
    if not apply:
        return int(session.scalar(sa.select(sa.func.count()).select_from(model).where(where)) or 0)
    result = session.execute(
        sa.delete(model).where(where).execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
