"""The contacts of the items that escalate on the day while their overdue stage is on record.

On a rerun of the day, or any later day of the stage, the facts of such an item tell who was
prompted about it (:attr:`PromptFacts.contacts`: the store reads them once the run has
escalated). On the escalation's first run they do not: the run has not escalated yet. The
next check (:func:`governance.remember._settled_after_prompt`) needs them to leave out the
stages the back-off will leave out, as the later runs do; so the caller reads them for these
few items after the day's plan (:func:`contacts_wanted`, :func:`contacts_questions`) and gives
them with the facts (:func:`with_contacts`).

The same holds on any day for an item whose run escalated and whose overdue stage is left out
as too soon (the stage before it caught up late, on a day reached after a gap): nothing is
prompted for the stage, so the store tells no contacts of it. The day the stage before was
prompted left the back-off's stages out of the next check; a later day of the stage, judging
the item again (a full run), must too (fix57k: incremental == full on weekly days).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date

from governance.next_checks import Scheduler, Skip
from governance.reminders import NO_FACTS, PromptFacts, PromptQuestion, PromptRecord, ReminderPlan

#: A stage no prompt is recorded under: asked with it, the store and
#: :func:`governance.reminders.facts_from_history` tell the contacts prompted about an item
#: and nothing of its stages.
CONTACTS_ONLY = "contacts?"


def backed_off_after_escalation(
    stage: str | None,
    known: PromptFacts,
    scheduler: Scheduler,
    *,
    escalates_today: bool,
    records: Sequence[PromptRecord] = (),
) -> tuple[date, Skip] | None:
    """Whether the stages after an item's current overdue stage may be left out because its run
    escalated: the conditions :func:`governance.remember._settled_after_prompt` starts from
    and :func:`contacts_wanted` reads the contacts for, in one place so they cannot drift.

    ``stage`` is an overdue stage; the run escalated (the facts say on which day) or escalates
    today (``escalates_today``: today's plan says so, the facts do not yet); nothing more is
    prompted for ``stage``: it is on record (in the facts, or among today's ``records`` of the
    item) or left out as too soon after the stage before it, caught up late
    (:attr:`PromptFacts.too_soon`, fix57k: a day reached after a gap); and the back-off leaves
    the next stage out. → (the escalation's day, :meth:`Scheduler.backed_off_next`), or None.
    Whether every contact is settled is the caller's to decide."""
    if stage is None or not stage.startswith("overdue-"):
        return None
    if known.escalated:
        escalated_on = known.escalated_on
    elif escalates_today:
        escalated_on = scheduler.as_of
    else:
        return None
    if escalated_on is None:
        return None
    if not (known.too_soon or known.stage_prompted or any(r.stage == stage for r in records)):
        return None
    skip = scheduler.backed_off_next(stage)
    return None if skip is None else (escalated_on, skip)


def contacts_wanted(
    reminders: ReminderPlan,
    facts: Mapping[str, PromptFacts],
    questions: Mapping[str, PromptQuestion],
    scheduler: Scheduler,
    *,
    recorded: bool,
) -> list[str]:
    """The items escalating today (not on a day off: held back) whose current overdue stage
    is on record or left out as too soon, and whose next stage the back-off leaves out
    (:func:`backed_off_after_escalation`): their contacts are needed and the facts do not
    tell them. Not those prompted today only: their facts tell their contacts. Also, on any
    day, the items whose run escalated before and whose stage is left out as too soon: the
    facts tell no contacts of a stage nothing is prompted for."""
    wanted: list[str] = []
    if recorded:
        for escalation in reminders.escalations:
            item_id = escalation.item_id
            question = questions.get(item_id)
            known = facts.get(item_id, NO_FACTS)
            if question is None or known.escalated:
                continue  # not asked about, or told already
            if backed_off_after_escalation(question.stage, known, scheduler, escalates_today=True):
                wanted.append(item_id)
    for item_id, known in facts.items():
        if not known.too_soon or not known.escalated or known.contacts:
            continue  # most: one look at two flags
        question = questions.get(item_id)
        if question is not None and backed_off_after_escalation(
            question.stage, known, scheduler, escalates_today=False
        ):
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
