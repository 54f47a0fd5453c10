"""`regie decision add --adds ID …`: decisions that add items to the plan (walk32a 5). Every id
is checked first, one line per problem and nothing written; then one decision per item is
recorded, all in one transaction (an office ratifying several additions at once, ratify46)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from governance.decisions import action_of
from regie.bootstrap import App
from regie.errors import InvalidInput

if TYPE_CHECKING:
    from governance.decisions import AddedBy, Decision
    from governance.plan import Plan
    from store.records import Revision


def adds_ids(adds: str | Sequence[str] | None) -> list[str]:
    """The ids ``--adds`` names: repeated, or separated by commas; each once, in order."""
    given = [adds] if isinstance(adds, str) else list(adds or ())
    ids = [part.strip() for text in given for part in text.split(",")]
    return list(dict.fromkeys(i for i in ids if i))


def check_additions(app: App, plan: Plan, ids: Sequence[str]) -> list[str]:
    """Refuse, one line per problem, what no decision can add: an item a decision added
    already, or whose action one adds (its milestones come with it: here or earlier), or an
    action whose milestones decisions each added (adds47); an item of the plan as first
    recorded, or as accepted at the upgrade to 0036 (never added); one the plan had and lost;
    an id no new item can have, or a milestone of an action the plan lacks. An item the plan
    file has yet to get is allowed (the body decides first, the office edits the plan after):
    a note says so. The rule of the agenda pack (:func:`governance.decisions.added_by` with the
    items' creation times), so both agree."""
    from governance.agenda_model import created_times
    from governance.clock import utcnow
    from governance.decisions import added_by
    from store import Repository, agenda_read
    from store.dialect import reader
    from store.reports_repo import ReportsRepository

    in_plan = {m.id for m in plan.milestones()} | {a.id for a in plan.actions()}
    # The ids and their actions: one the store lacks is created by the sync before the decision.
    asked = {*ids, *(a for i in ids if (a := action_of(plan, i)) is not None)}
    with app.session() as session:
        decisions = ReportsRepository(session, plan.programme.id).decisions()
        known = {i for i in asked if Repository(session, plan.programme.id).has_item(i)}
        # One read for both: the items created after the first sync, and when it was.
        revisions, first = agenda_read.item_revisions(reader(session), plan.programme.id)
        through = agenda_read.additions_accepted(reader(session), plan.programme.id)
    created = created_times(revisions)
    later = set(created)
    now = utcnow()
    created.update((i, now) for i in asked if i in in_plan and i not in known)
    facts = _Facts(
        plan=plan,
        added=added_by(plan, decisions, date.max, ids, created=created),
        in_plan=in_plan,
        known=known,
        first=first,
        original={i for i in ids if i in in_plan and i in known and i not in later},
        through=through,
        accepted={i for i in later if through is not None and created[i] <= through},
    )
    problems: dict[str, str] = {}
    notes: list[str] = []
    for item_id in ids:
        found = _problem(facts, item_id)
        if found is None:
            continue
        if found.startswith("note: "):
            notes.append(found)
        else:
            problems[item_id] = found
    # A milestone given with its action: only an action this decision really adds (walk46 5).
    for item_id in ids:
        action = action_of(plan, item_id)
        if item_id not in problems and action in ids and action not in problems:
            problems[item_id] = (
                f"--adds {item_id}: its action {action} is added by this decision, and with it "
                f"its milestones; leave {item_id} out"
            )
    if problems:
        raise InvalidInput(*(problems[i] for i in ids if i in problems))
    return notes


@dataclass(frozen=True, slots=True)
class _Facts:
    """What :func:`check_additions` read, for :func:`_problem`."""

    plan: Plan
    added: dict[str, AddedBy]
    in_plan: set[str]
    known: set[str]
    first: datetime | None
    original: set[str]
    through: datetime | None
    accepted: set[str]


def _problem(facts: _Facts, item_id: str) -> str | None:
    """Why ``--adds item_id`` is refused (a line), or a ``note: `` line, or None (no word)."""
    from governance.agenda_model import local_day
    from governance.decisions import new_item_problem

    plan = facts.plan
    action = action_of(plan, item_id)
    found = facts.added.get(item_id)
    if found is not None:
        d = found.decision
        said = f"decision {d.id} ({d.body_id} {d.meeting_on})"
        if found.via_action:
            return (
                f"--adds {item_id}: {said} adds its action {action}, and with it its "
                "milestones; nothing to record"
            )
        if found.via_milestones:
            return (
                f"--adds {item_id}: decisions add each of its milestones (the last: {said}) "
                "and it has no gereed of its own; nothing to record"
            )
        return f"--adds {item_id}: {said} already adds it"
    if item_id in facts.original and facts.first is not None:
        return (
            f"--adds {item_id}: it is in the plan as first recorded "
            f"({local_day(plan, facts.first)}), not added to it; a decision about it is "
            f"--item {item_id}"
        )
    if item_id in facts.accepted and facts.through is not None:
        return (
            f"--adds {item_id}: it was in the plan when the plan was accepted as it stood (the "
            f"upgrade to migration 0036, {local_day(plan, facts.through)}), not added to it; a "
            f"decision about it is --item {item_id}"
        )
    if item_id in facts.in_plan:
        return None
    if item_id in facts.known:
        return (
            f"--adds {item_id}: it was in the plan and was removed from it; put it back in "
            f"the plan file, then record the decision with --item {item_id}"
        )
    if (problem := new_item_problem(plan, item_id)) is not None:
        return f"--adds: {item_id!r} is not in the plan and cannot be a new item ({problem})"
    if action is not None and action not in {a.id for a in plan.actions()}:
        return (
            f"--adds {item_id}: its action {action} is not in the plan; a decision that "
            f"adds the action adds its milestones (--adds {action})"
        )
    return (
        f"note: {item_id} is not in {plan.path} yet: add it there; `regie sync` then "
        "records it as added by this decision"
    )


def record_additions(
    app: App, plan: Plan, body_id: str, meeting_on: date, text: str, ids: Sequence[str]
) -> list[Decision]:
    """One text-only decision per item, each adding it, in one transaction (the plan synced
    first, as every recorded decision does). Each decision's audit event names the plan
    revisions that created its item (an action's with its milestones): those are the
    decision's; the sync's other revisions (an owner changed, an item removed, a date moved in
    the file) are plain plan-file edits, as a `regie sync` would have recorded them (walk55a
    4: a past view undoes them by the day they were recorded)."""
    from governance.decisions import Decision, DecisionKind
    from regie.decision_audit import recorded
    from regie.services import sync_store
    from store.reports_repo import ReportsRepository

    stored: list[Decision] = []
    with app.session() as session, session.begin():
        synced = sync_store(app, session, plan, cancelling=())
        for item_id in ids:
            decision = Decision(
                body_id, meeting_on, DecisionKind.DECISION, text, item_id, adds=True
            )
            made = ReportsRepository(session, plan.programme.id).add_decision(decision)
            recorded(session, plan.programme.id, made, (), _creations(synced.revisions, item_id))
            stored.append(made)
    return stored


def _creations(revisions: Sequence[Revision], item_id: str) -> list[int]:
    """The ids of the ``revisions`` that created ``item_id`` and, for an action, its
    milestones (a decision that adds an action adds the milestones that come with it)."""
    return [
        r.id
        for r in revisions
        if r.id is not None
        and r.kind == "created"
        and r.entity in ("action", "milestone")
        and (
            r.code == item_id
            or (
                r.entity == "milestone"
                and isinstance(r.after, dict)
                and r.after.get("action") == item_id
            )
        )
    ]
