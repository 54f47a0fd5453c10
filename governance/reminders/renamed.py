"""A renamed contact is the same person (a contact's ``formerly``, docs/plan-schema.md "Contact
ids"): the prompts on record under an old id are the current contact's. The store keeps the id
each prompt was queued for; the rules read them through :meth:`Plan.person`, so a rename hands
nothing over (:func:`~governance.reminders.succession.taken_over_from`), keeps the owner's
silence running (:attr:`PromptQuestion.asked_of` holds the old ids too: :func:`contacts_of`)
and keeps the slower cadence after an escalation (:func:`~governance.reminders.escalations.
settled`)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from datetime import date

from governance.plan import Plan
from governance.reminders.records import PromptFacts

__all__ = ["as_people", "people_of", "renames"]


def renames(plan: Plan) -> bool:
    """Whether any contact of ``plan`` has a ``formerly`` (else nothing here changes a thing)."""
    return any(c.formerly for c in plan.contacts)


def people_of(
    plan: Plan, current: Callable[[tuple[str, ...]], Collection[str]]
) -> Callable[[tuple[str, ...]], Collection[str]]:
    """``current`` (owners → the contacts prompted for them now) with each contact's former ids:
    whose prompts are theirs (:attr:`PromptQuestion.asked_of`)."""
    if not renames(plan):
        return current
    return lambda owners: plan.known_as(current(owners))


def as_people(plan: Plan, facts: Mapping[str, PromptFacts]) -> Mapping[str, PromptFacts]:
    """``facts`` with the contacts prompted about each item (:attr:`PromptFacts.contacts`) by
    their current ids: an old id's first and last day merged into its contact's."""
    if not renames(plan):
        return facts
    out = dict(facts)
    for item_id, known in facts.items():
        if known.contacts and any(plan.person(c) != c for c in known.contacts):
            out[item_id] = known._replace(contacts=_merged(plan, known.contacts))
    return out


def _merged(plan: Plan, contacts: Mapping[str, tuple[date, date]]) -> dict[str, tuple[date, date]]:
    out: dict[str, tuple[date, date]] = {}
    for contact, (first, last) in contacts.items():
        person = plan.person(contact)
        was = out.get(person)
        out[person] = (first, last) if was is None else (min(was[0], first), max(was[1], last))
    return out
