"""A correction link's form (the thank-you page's "Wijzigen"): the answer it starts from, what
of that answer is left out when the chosen status takes none, and whether the answer posted
through it changes the person's own answer or comes after someone else's (README
"Corrections")."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import date

    from governance.plan import Plan
    from governance.updates import StatusUpdate
    from regie.answer_links import OpenLink
    from regie.bootstrap import App


def own_answer(view: OpenLink) -> dict[str, str]:
    """A correction link's form starts from the answer it corrects (the person's own)."""
    latest = view.latest
    if not view.correction or latest is None or latest.author != view.contact_id:
        return {}
    return _values(latest)


def _values(update: StatusUpdate) -> dict[str, str]:
    values = {"status": update.status.value, "note": update.comment or ""}
    for name in ("forecast", "completed_on"):
        value = getattr(update, name)
        if value is not None:
            values[name] = value.isoformat()
    return values


def without_carried(
    regie: App,
    plan: Plan,
    view: OpenLink,
    status: str,
    dates: tuple[date | None, date | None],
) -> tuple[date | None, date | None]:
    """The posted (expected date, date finished), less a date the form was filled in with that
    the chosen status takes none of: the expected date of an *Op schema* being changed to
    *Gereed*, the date finished of a *Gereed* changed to *Risico*. Without this the most
    common change ("it is actually done") is refused for a date the person never typed
    (walk56b 1); works without JavaScript. A date typed anew (another than a carried one) is
    still refused."""
    from governance.answers import without_carried as rule

    pairs = [
        (_day(c.get("forecast")), _day(c.get("completed_on"))) for c in _carried(regie, plan, view)
    ]
    return rule(status, *dates, pairs)


def _carried(regie: App, plan: Plan, view: OpenLink) -> list[dict[str, str]]:
    """What the form may have been filled in with: the latest answer if it is the person's own
    (:func:`own_answer`, as the form is now) and the answer the link changes (as the form was
    when opened, should someone have answered since)."""
    from store import Repository

    carried = [own_answer(view)]
    if view.correction and view.changes is not None:
        with regie.session() as session:
            changed = Repository(session, plan.programme.id).status_update(view.changes)
        if changed is not None and changed.author == view.contact_id:
            carried.append(_values(changed))
    return carried


def _day(text: str | None) -> date | None:
    from datetime import date

    return date.fromisoformat(text) if text else None


def changes_own(regie: App, plan: Plan, view: OpenLink) -> bool:
    """Whether an answer through this correction link would change the person's own answer:
    the answer the link changes (or its correction) is still the item's latest and theirs
    (:func:`governance.corrections.owner_corrects`, as :func:`regie.answers.correcting` stores
    it). Otherwise someone answered since and the answer is an ordinary new update."""
    from governance.corrections import owner_corrects
    from store import Repository

    latest = view.latest
    if not view.correction or view.changes is None or latest is None:
        return False
    if latest.author != view.contact_id:
        return False
    with regie.session() as session:
        history = Repository(session, plan.programme.id).status_updates(item=view.item.item_id)
    return owner_corrects(view.changes, history) is not None
