"""`regie decision add --adds ID …`: decisions that add items to the plan (walk32a 5). Every id
is checked first, one line per problem and nothing written; then one decision per item is
recorded, all in one transaction (an office ratifying several additions at once, ratify46)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from regie.bootstrap import App
from regie.errors import InvalidInput

if TYPE_CHECKING:
    from governance.decisions import Decision
    from governance.plan import Plan


def adds_ids(adds: str | Sequence[str] | None) -> list[str]:
    """The ids ``--adds`` names: repeated, or separated by commas; each once, in order."""
    given = [adds] if isinstance(adds, str) else list(adds or ())
    ids = [part.strip() for text in given for part in text.split(",")]
    return list(dict.fromkeys(i for i in ids if i))


def check_additions(app: App, plan: Plan, ids: Sequence[str]) -> list[str]:
    """Refuse, one line per problem, what no decision can add: an item a decision added
    already, or whose action one adds (its milestones come with it: here or earlier); an item
    of the plan as first recorded (never added); one the plan had and lost; an id no new item
    can have, or a milestone of an action the plan lacks. An item the plan file has yet to get
    is allowed (the body decides first, the office edits the plan after): a note says so."""
    from governance.agenda_model import local_day
    from governance.decisions import action_of, added_by, new_item_problem
    from store import Repository, agenda_read
    from store.dialect import reader
    from store.reports_repo import ReportsRepository

    in_plan = {m.id for m in plan.milestones()} | {a.id for a in plan.actions()}
    actions = {a.id for a in plan.actions()}
    with app.session() as session:
        decisions = ReportsRepository(session, plan.programme.id).decisions()
        added = added_by(plan, decisions, date.max, ids)  # an added action's milestones too
        known = {i for i in ids if Repository(session, plan.programme.id).has_item(i)}
        planned = [i for i in ids if i in in_plan]
        first, original = agenda_read.first_recorded_items(
            reader(session), plan.programme.id, planned
        )
        through, accepted = agenda_read.accepted_items(reader(session), plan.programme.id, planned)
    problems: list[str] = []
    notes: list[str] = []
    for item_id in ids:
        action = action_of(plan, item_id)
        if item_id in added and not added[item_id].via_action:
            d = added[item_id].decision
            problems.append(
                f"--adds {item_id}: decision {d.id} ({d.body_id} {d.meeting_on}) already adds it"
            )
        elif item_id in added:
            d = added[item_id].decision
            problems.append(
                f"--adds {item_id}: decision {d.id} ({d.body_id} {d.meeting_on}) adds its "
                f"action {action}, and with it its milestones; nothing to record"
            )
        elif action is not None and action in ids:
            problems.append(
                f"--adds {item_id}: its action {action} is added by this decision, and with it "
                f"its milestones; leave {item_id} out"
            )
        elif item_id in original and first is not None:
            problems.append(
                f"--adds {item_id}: it is in the plan as first recorded "
                f"({local_day(plan, first)}), not added to it; a decision about it is "
                f"--item {item_id}"
            )
        elif item_id in accepted and through is not None:
            # Harmless, but the packs never asked: say so rather than refuse (review46 8).
            notes.append(
                f"note: {item_id} was in the plan when it was accepted as it stood (the upgrade "
                f"to migration 0036, {local_day(plan, through)}): no pack asks about it"
            )
        elif item_id in in_plan:
            continue
        elif item_id in known:
            problems.append(
                f"--adds {item_id}: it was in the plan and was removed from it; put it back in "
                f"the plan file, then record the decision with --item {item_id}"
            )
        elif (problem := new_item_problem(plan, item_id)) is not None:
            problems.append(
                f"--adds: {item_id!r} is not in the plan and cannot be a new item ({problem})"
            )
        elif action is not None and action not in actions:
            problems.append(
                f"--adds {item_id}: its action {action} is not in the plan; a decision that "
                f"adds the action adds its milestones (--adds {action})"
            )
        else:
            notes.append(
                f"note: {item_id} is not in {plan.path} yet: add it there; `regie sync` then "
                "records it as added by this decision"
            )
    if problems:
        raise InvalidInput(*problems)
    return notes


def record_additions(
    app: App, plan: Plan, body_id: str, meeting_on: date, text: str, ids: Sequence[str]
) -> list[Decision]:
    """One text-only decision per item, each adding it, in one transaction (the plan synced
    first, as every recorded decision does)."""
    from governance.decisions import Decision, DecisionKind
    from regie.decision_audit import recorded
    from regie.services import sync_store
    from store.reports_repo import ReportsRepository

    stored: list[Decision] = []
    with app.session() as session, session.begin():
        synced = sync_store(app, session, plan, cancelling=())
        revisions = [r.id for r in synced.revisions if r.id is not None]
        for item_id in ids:
            decision = Decision(
                body_id, meeting_on, DecisionKind.DECISION, text, item_id, adds=True
            )
            made = ReportsRepository(session, plan.programme.id).add_decision(decision)
            recorded(session, plan.programme.id, made, (), revisions if not stored else [])
            stored.append(made)
    return stored
