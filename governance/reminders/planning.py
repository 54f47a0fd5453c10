"""What to queue on a day: digests per contact, escalations, their events and records."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date

from governance.assessment import Assessment, ItemAssessment
from governance.events import ESCALATION_RAISED, REMINDER_QUEUED, DomainEvent, new_event
from governance.plan import Plan
from governance.rag import STATE_VALUES
from governance.records import positional_constructor
from governance.reminders.escalations import Quiet, backs_off, escalation_for, settled
from governance.reminders.facts import facts_from_history, prompt_questions
from governance.reminders.records import (
    AFTER_REPLAY,
    NO_FACTS,
    Digest,
    DigestItem,
    Escalation,
    EscalationDigest,
    Handover,
    PromptFacts,
    PromptQuestion,
    PromptRecord,
    ReminderPlan,
    digest_key,
    escalation_digest_key,
    new_prompt_record,
)
from governance.reminders.renamed import as_people, people_of
from governance.reminders.succession import taken_over_from
from governance.workdays import WorkCalendar

#: ``DigestItem(...)`` positionally, made fast (see governance.records).
_new_digest_item = positional_constructor(DigestItem)


def recipients(plan: Plan, owners: Sequence[str]) -> dict[str, str | None]:
    """Contact id → note for the contacts that answer for ``owners`` (see the module notes)."""
    office = [c.id for c in plan.contacts if c.programme_office]
    out: dict[str, str | None] = {}
    missing: list[str] = []
    for org in owners:
        ids = [c.id for c in plan.answering_for(org)]
        if not ids:
            missing.append(org)
        out.update(dict.fromkeys((i for i in ids if i not in out), None))
    if missing or not owners:
        note = f"no contact for {', '.join(missing)}" if missing else "no owner"
        out.update(dict.fromkeys(office, note))
    return out


def asked_through(plan: Plan, owners: Sequence[str]) -> dict[str, frozenset[str]]:
    """Contact id → the owning organisations in ``owners`` through which :func:`recipients`
    asks them about an item: their own organisation, or (the office standing in) those with no
    contact of their own (every owner, or none, when it covers an item without an owner)."""
    through: dict[str, set[str]] = {}
    missing = []
    for org in owners:
        ids = [c.id for c in plan.answering_for(org)]
        if not ids:
            missing.append(org)
        for i in ids:
            through.setdefault(i, set()).add(org)
    if missing or not owners:
        for c in plan.contacts:
            if c.programme_office:
                through.setdefault(c.id, set()).update(missing)
    return {c: frozenset(orgs) for c, orgs in through.items()}


def contacts_of(plan: Plan) -> Callable[[tuple[str, ...]], Collection[str]]:
    """``owners`` → the contacts prompted for them now (:func:`recipients`): whose prompts start
    an owner's grace (:attr:`PromptQuestion.asked_of`)."""
    return people_of(plan, lambda owners: recipients(plan, owners).keys())


def plan_reminders(
    plan: Plan,
    assessment: Assessment,
    history: Sequence[PromptRecord],
    as_of: date,
    calendar: WorkCalendar | None = None,
    undelivered: Collection[tuple[str, str]] = (),
    former: Mapping[str, str] | None = None,
) -> ReminderPlan:
    """What to queue at ``as_of``: digests per contact, escalations, their events and records,
    given the prompts on record (any before ``as_of`` and those of ``as_of``) and the (item,
    stage) pairs no message delivered (:attr:`PromptFacts.undelivered`). ``former``: the
    organisation of each contact no longer in the plan (:func:`plan_reminders_from`)."""
    cal = calendar or WorkCalendar.for_plan(plan)
    questions = prompt_questions(
        assessment, as_of, plan.reminders, cal, contacts_of(plan), end=plan.programme.end
    )
    facts = as_people(plan, facts_from_history(history, questions, as_of, undelivered))
    return plan_reminders_from(plan, assessment, questions, facts, as_of, cal, former)


def plan_reminders_from(
    plan: Plan,
    assessment: Assessment,
    questions: Mapping[str, PromptQuestion],
    facts: Mapping[str, PromptFacts],
    as_of: date,
    calendar: WorkCalendar,
    former: Mapping[str, str] | None = None,
) -> ReminderPlan:
    """:func:`plan_reminders` with the prompts on record given as the answers (``facts``,
    missing for an item with none) to ``questions`` (:func:`prompt_questions` of this
    assessment and the plan's policy: an overdue item's silence is read from its
    ``asked_about``). ``former``: contact id → organisation of the contacts no longer in the
    plan (archived), so that a hand-over names only the recipient's own predecessors
    (:func:`predecessors`); one unknown there counts as one."""
    policy = plan.reminders
    per_contact: dict[str, list[DigestItem]] = {}
    unaddressed: list[DigestItem] = []
    escalations: list[Escalation] = []
    office = tuple(sorted(c.id for c in plan.contacts if c.programme_office))
    # Thousands of items share a few hundred owner lists and update days: each list of
    # recipients and working-day count is worked out once.
    addressed: dict[tuple[str, ...], dict[str, str | None]] = {}
    through: dict[tuple[str, ...], dict[str, frozenset[str]]] = {}
    org_of = {**(former or {}), **{c.id: c.organisation for c in plan.contacts}}
    quiet = Quiet(as_of, calendar)
    end = plan.programme.end
    items = assessment.items
    make, states = _new_digest_item, STATE_VALUES  # once per item and contact: written out
    for item_id, question in questions.items():
        item = items[item_id]
        known = facts.get(item_id, NO_FACTS)
        name = question.stage
        if name is not None and not known.stage_prompted and not known.too_soon:
            to = addressed.get(item.owners)
            if to is None:
                to = addressed[item.owners] = recipients(plan, item.owners)
            slow = known.escalated and backs_off(item, name, known, as_of, policy, calendar)
            state = states[item.state]
            for contact, note in to.items():
                if slow and settled(known, contact, as_of, policy, calendar):
                    continue  # knew of the escalation: the slower cadence (module notes)
                handover = None
                if known.contacts and contact not in known.contacts:
                    via = through.get(item.owners)
                    if via is None:
                        via = through[item.owners] = asked_through(plan, item.owners)
                    mine = via.get(contact, frozenset())
                    before = predecessors(known, to, mine, item.owners, org_of)
                    handover = _handover(before, mine, org_of)
                digest_item = make(
                    item_id, name, state, item.due, item.title, item.gereed, item.action_id,
                    note, handover,
                )  # fmt: skip
                listed = per_contact.get(contact)
                if listed is None:
                    per_contact[contact] = [digest_item]
                else:
                    listed.append(digest_item)
            if not to:
                unaddressed.append(_digest_item(item, name, "no contact"))
        escalation = escalation_for(
            item, known, policy, office, quiet, end=end, asked_about=question.asked_about
        )
        if escalation is not None:
            escalations.append(escalation)
    return _bundle(plan.programme.id, as_of, per_contact, escalations, unaddressed)


def _digest_item(
    item: ItemAssessment, stage: str, note: str | None, handover: Handover | None = None
) -> DigestItem:
    return _new_digest_item(
        item.item_id,
        stage,
        STATE_VALUES[item.state],
        item.due,
        item.title,
        item.gereed,
        item.action_id,
        note,
        handover,
    )


def predecessors(
    known: PromptFacts,
    current: Collection[str],
    via: Collection[str],
    owners: Collection[str],
    org_of: Mapping[str, str],
) -> dict[str, tuple[date, date]]:
    """Whom a contact asked about an item through the organisations ``via`` (of ``owners``,
    :func:`asked_through`) for the first time takes it over from: the contacts asked about it
    before (``known.contacts``, with their first and last day) who are no longer asked
    (``current``: the item's recipients now) and answered for the same organisation, unless a
    colleague still asked had already taken their place (first asked after their last prompt).
    Only when nobody of that organisation was asked before is this the item's owner change: those
    who answered for an organisation that no longer owns it, or whose organisation is not known
    any more (``org_of``: the plan's and the archived contacts'). So a later hand-over inside
    the new owner never names the old owner's contacts again (review55b 1), and neither does
    one inside an owner that stays when a co-owner drops out. Never a colleague still asked
    beside them, nor a contact of another organisation that still owns the item. The rule is
    :func:`~governance.reminders.succession.taken_over_from`, which the escalation's hand-over
    note shares."""
    keep = taken_over_from(known.contacts, current, via, owners, org_of)
    return {c: days for c, days in known.contacts.items() if c in keep}


def _handover(
    previous: Mapping[str, tuple[date, date]],
    via: Collection[str],
    org_of: Mapping[str, str],
) -> Handover | None:
    """The hand-over from ``previous`` (:func:`predecessors`) to a contact asked for the
    owners ``via``, dated from their prompts; None when nobody was asked before them: nothing
    was handed over. ``was``: the organisations they answered for that are not in ``via``
    (an owner change: the message says for whom they answered)."""
    if not previous:
        return None
    was = {org_of[c] for c in previous if c in org_of} - set(via)
    return Handover(
        tuple(sorted(previous)),
        min(first for first, _ in previous.values()),
        max(last for _, last in previous.values()),
        tuple(sorted(via)),
        tuple(sorted(was)),
    )


def _bundle(
    programme_id: str,
    as_of: date,
    per_contact: dict[str, list[DigestItem]],
    escalations: list[Escalation],
    unaddressed: list[DigestItem],
) -> ReminderPlan:
    digests = tuple(
        Digest(contact, as_of, tuple(items), digest_key(programme_id, contact, as_of))
        for contact, items in sorted(per_contact.items())
    )
    events: list[DomainEvent] = []
    records: list[PromptRecord] = []
    record, event = new_prompt_record, new_event
    add_record, add_event = records.append, events.append  # once per digest item
    for digest in digests:
        contact, key = digest.contact_id, digest.key
        for di in digest.items:
            item_id, stage = di.item_id, di.stage
            add_record(record(item_id, stage, contact, as_of))
            payload: dict[str, str | int | None] = {
                "stage": stage,
                "state": di.state,
                "contact": contact,
                "digest": key,
            }
            add_event(event(REMINDER_QUEUED, item_id, as_of, payload, contact))
    to_office: dict[str, list[Escalation]] = {}
    for e in escalations:
        for contact in e.contact_ids or ("",):
            records.append(PromptRecord(e.item_id, e.key, contact, as_of))
            if contact:
                to_office.setdefault(contact, []).append(e)
        contacts = ",".join(e.contact_ids)
        # The message that carries it to each contact, in the order of ``contacts``: a rerun
        # of the day puts it in a digest of its own (with_free_keys renames it).
        carriers = ",".join(escalation_digest_key(programme_id, c, as_of) for c in e.contact_ids)
        payload = {
            "kind": e.kind,
            "reason": e.reason,
            "key": e.key,
            "contacts": contacts,
            "digests": carriers,
        }
        if e.undelivered:
            payload.update(prompts=e.prompts, undelivered=e.undelivered)
        qualifier = "+".join(e.contact_ids) or None
        if qualifier and e.key.endswith(AFTER_REPLAY):
            # Beside the replay's event of the item and day when a live cycle reruns the
            # replay's last day (fix57m): under the same key it was not recorded.
            qualifier += AFTER_REPLAY
        events.append(DomainEvent(ESCALATION_RAISED, e.item_id, as_of, payload, qualifier))
    escalation_digests = tuple(
        EscalationDigest(
            contact, as_of, tuple(items), escalation_digest_key(programme_id, contact, as_of)
        )
        for contact, items in sorted(to_office.items())
    )
    return ReminderPlan(
        as_of,
        digests,
        tuple(escalations),
        escalation_digests,
        tuple(events),
        tuple(records),
        tuple(unaddressed),
    )
