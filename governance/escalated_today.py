"""The contacts of the items that escalate on the day while their overdue stage is on record.

On a rerun of the day, or any later day of the stage, the facts of such an item tell who was
prompted about it (:attr:`PromptFacts.contacts`: the store reads them once the run has
escalated). On the escalation's first run they do not: the run has not escalated yet. The
next check (:func:`governance.remember._settled_after_prompt`) needs them to leave out the
stages the back-off will leave out, as the later runs do; so the caller reads them for these
few items after the day's plan (:func:`contacts_wanted`, :func:`contacts_questions`) and gives
them with the facts (:func:`with_contacts`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from governance.next_checks import Scheduler
from governance.reminders import NO_FACTS, PromptFacts, PromptQuestion, ReminderPlan

#: A stage no prompt is recorded under: asked with it, the store and
#: :func:`governance.reminders.facts_from_history` tell the contacts prompted about an item
#: and nothing of its stages.
CONTACTS_ONLY = "contacts?"


def contacts_wanted(
    reminders: ReminderPlan,
    facts: Mapping[str, PromptFacts],
    questions: Mapping[str, PromptQuestion],
    scheduler: Scheduler,
    *,
    recorded: bool,
) -> list[str]:
    """The items escalating today (not on a day off: held back) whose current overdue stage
    is on record and whose next stage the back-off leaves out: their contacts are needed
    and the facts do not tell them."""
    if not recorded:
        return []
    wanted: list[str] = []
    for escalation in reminders.escalations:
        item_id = escalation.item_id
        question = questions.get(item_id)
        stage = None if question is None else question.stage
        if stage is None or not stage.startswith("overdue-"):
            continue
        known = facts.get(item_id, NO_FACTS)
        if known.escalated or known.too_soon or not known.stage_prompted:
            continue  # told already, or not on record (prompted today: those are told)
        if scheduler.backed_off_next(stage) is not None:
            wanted.append(item_id)
    return sorted(set(wanted))


def contacts_questions(
    questions: Mapping[str, PromptQuestion], items: Collection[str]
) -> dict[str, PromptQuestion]:
    """The questions that ask of ``items`` only who was prompted about them."""
    return {
        i: questions[i]._replace(
            stage=CONTACTS_ONLY, previous=None, previous_after=None, asked_about=()
        )
        for i in items
    }


def with_contacts(
    facts: Mapping[str, PromptFacts], found: Mapping[str, PromptFacts]
) -> dict[str, PromptFacts]:
    """``facts`` with the contacts of ``found`` (answers to :func:`contacts_questions`)."""
    out = dict(facts)
    for item_id, answer in found.items():
        if answer.contacts:
            out[item_id] = out.get(item_id, NO_FACTS)._replace(contacts=answer.contacts)
    return out
