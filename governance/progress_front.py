"""The progress report's front matter (:mod:`governance.progress`): its heading (the
reporting obligation's title), the source document as a title, the introduction's example of a
date kept as written, and the decision that approved the report (else it is a concept)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime

from governance.decisions import Decision, DecisionKind
from governance.periods import DATED_KINDS, PeriodKind
from governance.plan import Plan

#: Kinds whose gereed is a fuzzy date the plan keeps verbatim (the introduction's example).
_FUZZY_KINDS = DATED_KINDS - {PeriodKind.DATE}


def report_title(plan: Plan, obligation_id: str | None) -> str | None:
    """The reporting obligation's title, in one line; None without one."""
    found = next((r for r in plan.reports if r.id == obligation_id), None)
    if found is None:
        return None
    return " ".join(found.title.split()) or None


def report_approval(
    plan: Plan,
    decisions: Sequence[Decision],
    obligation_id: str | None,
    action: str | None,
    start: date,
    end: date,
    as_of: date,
) -> tuple[Decision | None, bool]:
    """The decision that approves the report of ``obligation_id`` over ``start``–``end`` as of
    ``as_of``, and whether only implicitly. Explicit: the latest decision that names this
    report and period (:attr:`Decision.approves`), taken after the period and on or before
    ``as_of``. Else, as a fallback so that a programme's habit does not turn its reports into
    concepts overnight: :func:`approval`'s text-only decision about the report's action, but
    only when that action delivers no other obligation of the plan (else it cannot tell which
    report it approves). (None, False): the report is a concept. No text-only decision taken
    at or after the first meeting that names a report of the obligation counts: the body has
    named what it approves since."""
    named = [
        d
        for d in decisions
        if d.approves is not None
        and obligation_id is not None
        and d.approves.report_id == obligation_id
        and (d.approves.start, d.approves.end) == (start, end)
        and end < d.meeting_on <= as_of
    ]
    if named:
        return max(named, key=_decision_order), False
    sharing = [r.id for r in plan.reports if action is not None and r.action == action]
    if len(sharing) > 1:
        return None, False
    # Once the body names the reports it approves, a text-only decision about the action
    # ("4.4 uitgesteld") approves none taken after that (review mailrep, 9): the fallback is
    # for the habit before.
    first_named = min(
        (
            d.meeting_on
            for d in decisions
            if d.approves is not None and d.approves.report_id == obligation_id
        ),
        default=date.max,
    )
    text_only = [d for d in decisions if d.approves is None and d.meeting_on < first_named]
    implicit = approval(text_only, action, end, as_of)
    return implicit, implicit is not None


def _decision_order(d: Decision) -> tuple[date, datetime, int]:
    return (d.meeting_on, d.recorded_at or datetime.min, d.id or 0)


def approval(
    decisions: Sequence[Decision], action: str | None, end: date, as_of: date
) -> Decision | None:
    """The decision that approves the report over a period ending on ``end``, as of ``as_of``:
    the latest text-only decision (``regie decision add --item ACTION --text …``) of a body
    about ``action``, the action that delivers the report, taken after the period and on or
    before ``as_of``. A decision that moves or drops the action is no approval. None: the
    report is a concept (so is one whose obligation names no action)."""
    if action is None:
        return None
    found = [
        d
        for d in decisions
        if d.item_id == action and d.kind is DecisionKind.DECISION and end < d.meeting_on <= as_of
    ]
    return max(
        found, key=lambda d: (d.meeting_on, d.recorded_at or datetime.min, d.id or 0), default=None
    )


def obligation_id_for(plan: Plan, recipient: str | None) -> str | None:
    """The plan's reporting obligation for ``recipient`` (the only one when ``recipient`` is
    None); None when there is none, or several."""
    wanted = " ".join(recipient.split()) if recipient else None
    found = [
        r.id for r in plan.reports if wanted is None or " ".join(r.recipient.split()) == wanted
    ]
    return found[0] if len(found) == 1 else None


def obligation_action(plan: Plan, recipient: str | None) -> str | None:
    """The action of the plan's reporting obligation for ``recipient`` (the only one when
    ``recipient`` is None); None when there is none, or several that differ."""
    wanted = " ".join(recipient.split()) if recipient else None
    actions = {
        r.action
        for r in plan.reports
        if r.action and (wanted is None or " ".join(r.recipient.split()) == wanted)
    }
    if wanted is None and len(plan.reports) != 1:
        return None
    return next(iter(actions)) if len(actions) == 1 else None


#: A file path in a text: a token with a directory separator that ends in a file name with an
#: extension (``shared/seeds/000_06e2.txt``, ``C:\plannen\mvi.pdf``), or one that starts like
#: a path (``/srv/…``, ``~/…``, ``./…``). A web address is no path.
_PATH = re.compile(
    r"(?<![\w:/])(?:[A-Za-z]:\\|~/|\.{1,2}/|/)?(?:[\w.-]+[/\\])+[\w.-]*\.[A-Za-z][A-Za-z0-9]{0,4}\b"
    r"|(?<![\w:/])(?:~|\.{1,2})?/[\w.-]+(?:/[\w.-]+)+"
)
_URL = re.compile(r"\b[a-z][a-z0-9+.-]*://\S+", re.IGNORECASE)


def document_title(text: str | None) -> str | None:
    """The plan's ``source_document`` as the report names it: a document's title, without
    what only the programme office reads: a part in brackets that names a file path is left
    out ("… Bijlage 2 (tekstextractie: shared/seeds/….txt)" → "… Bijlage 2"); a text that
    still names a path after that (or is one) is not shown at all (None)."""
    if text is None:
        return None
    kept = " ".join(text.split())
    bare = _URL.sub("", kept)
    if not _PATH.search(bare):
        return kept or None
    kept = re.sub(
        r"\s*\(([^()]*)\)", lambda m: "" if _PATH.search(_URL.sub("", m[1])) else m[0], kept
    )
    kept = kept.strip(" ,;:")
    if not kept or _PATH.search(_URL.sub("", kept)):
        return None
    return kept


def date_example(plan: Plan) -> str | None:
    """The first gereed of the plan, in plan order, that is a fuzzy date (``Q3-2015``,
    ``Najaar 2015``, ``H1 2016``): the introduction's example of dates kept as written."""
    for d in plan.deadlines():
        if d.period is not None and d.period.kind in _FUZZY_KINDS and d.gereed:
            return " ".join(d.gereed.split())
    return None
