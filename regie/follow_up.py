"""*Opvolging*: who the programme office still has to chase (the office's page ``/opvolging``
and ``regie follow-up``). The reads behind :func:`governance.follow_up.chases`, each the one
its rule already uses — the daily cycle's prompt facts (:mod:`store.prompt_facts`), the open
rounds of ``regie round status``, the agenda pack's open escalations (the plan and assessment
of :func:`regie.report_reads.report_basis`, its decisions and due-date changes, without the
escalations only a replay raised) — and what could not be delivered: failed and dead messages
in the outbox, the contacts whose address bounces, the contacts no channel reaches."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from regie.bootstrap import App

if TYPE_CHECKING:
    from governance.follow_up import Chase
    from governance.plan import Plan
    from regie.office import Filters

#: The outbox states of a message that did not reach its contact (and is not waiting to be
#: sent): tried and waiting for a later attempt, or given up.
UNDELIVERED = ("failed", "dead")


@dataclass(frozen=True, slots=True)
class ChaseRow:
    """One item to chase, as the page and the command show it."""

    chase: Chase
    title: str
    step: int
    state: str  # the state's key (the page words it)
    due: date | None
    owner_names: tuple[str, ...]
    contact_names: tuple[str, ...]
    escalated_to_names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Undelivered:
    """A message in the outbox that did not reach its contact."""

    key: str
    kind: str  # the outbox's kind (digest, escalation-digest, round, …)
    contact_id: str
    contact_name: str
    organisation: str | None  # the contact's, as the plan has it now (None: not in the plan)
    status: str  # failed | dead
    queued_on: date | None
    error: str | None  # why, as the notifier stored it (English, technical)
    next_attempt_at: datetime | None


@dataclass(frozen=True, slots=True)
class NoChannel:
    """A contact whose e-mail bounces (``bounce``) or whom no configured channel reaches."""

    contact_id: str
    contact_name: str
    organisation: str
    email: str | None
    reason: str  # the remote server's words, or why no channel reaches them (English)
    since: datetime | None = None  # a bounce: when it was recorded


@dataclass(frozen=True, slots=True)
class FollowUp:
    as_of: date
    rows: list[ChaseRow]  # this page of the filtered and sorted list
    total: int  # items to chase in the whole programme
    escalated: int  # of those, with an open escalation
    undelivered: list[Undelivered]
    bounced: list[NoChannel]
    unreachable: list[NoChannel]
    filters: Filters
    sort: str
    problems: list[str]
    owners: list[tuple[str, str]] = field(default_factory=list)  # (id, name) for the filter
    step_choices: list[tuple[int, str]] = field(default_factory=list)
    body_names: dict[str, str] = field(default_factory=dict)
    #: Every row the filters let through, in order (the CSV's), and paging as ``/te-laat``'s.
    everything: list[ChaseRow] = field(default_factory=list)
    page: int = 1
    pages: int = 1
    asked_page: int | None = None  # a page beyond the last that was asked for (then the last)

    @property
    def matched(self) -> int:
        return len(self.everything)


def follow_up(
    app: App, as_of: date, owner: str = "", step: str = "", sort: str = "", page: str = ""
) -> FollowUp:
    """The follow-up on ``as_of``, filtered by owner and step as the overview is (a bad filter
    is named in ``problems`` and ignored), sorted by ``sort``
    (:data:`governance.follow_up.SORTS`), :data:`regie.office.PAGE_SIZE` rows a page."""
    from governance.follow_up import SORTS, sorted_chases
    from regie.office import PAGE_SIZE, page_of, parse_filters
    from regie.plan_cache import current_plan
    from regie.texts import filter_text

    plan, _ = current_plan(app)
    filters, problems = parse_filters(plan, owner, step, "")
    order = sort or SORTS[0]
    if order not in SORTS:
        problems.append(filter_text("unknown_sort", sort))
        order = SORTS[0]
    rows = chase_rows(app, plan, as_of)
    names = {o.id: o.label for o in plan.organisations}
    chosen = [
        r
        for r in rows
        if not (filters.owner and filters.owner not in r.chase.owners)
        and not (filters.step is not None and r.step != filters.step)
    ]
    by_id = {r.chase.item_id: r for r in chosen}
    ordered = sorted_chases([r.chase for r in chosen], order, names)
    org = {i: c.organisation for c in plan.contacts for i in (c.id, *c.formerly)}

    def mine(contact_id: str) -> bool:
        return not filters.owner or org.get(contact_id) == filters.owner

    undelivered, bounced, unreachable = _delivery(app, plan)
    everything = [by_id[c.item_id] for c in ordered]
    pages = max(1, -(-len(everything) // PAGE_SIZE))
    number, asked = page_of(page, pages)
    return FollowUp(
        as_of=as_of,
        rows=everything[(number - 1) * PAGE_SIZE : number * PAGE_SIZE],
        total=len(rows),
        escalated=sum(1 for r in rows if r.chase.escalated_on is not None),
        undelivered=[u for u in undelivered if mine(u.contact_id)],
        bounced=[b for b in bounced if mine(b.contact_id)],
        unreachable=[u for u in unreachable if mine(u.contact_id)],
        filters=filters,
        sort=order,
        problems=problems,
        owners=[(o.id, o.label) for o in plan.organisations],
        step_choices=[(s.number, s.title) for s in plan.steps],
        body_names={b.id: b.name for b in plan.governance},
        everything=everything,
        page=number,
        pages=pages,
        asked_page=asked,
    )


def chase_rows(app: App, plan: Plan, as_of: date) -> list[ChaseRow]:
    """Every item to chase on ``as_of`` (:func:`governance.follow_up.chases`), in the plan's
    numbering, judged by the plan its decisions left that day, as the pack and the cycle judge
    it."""
    from governance.follow_up import chases
    from governance.reminders import contacts_of
    from governance.workdays import WorkCalendar

    with app.reading() as connection:
        day_plan, assessment, open_escalations, raised = _escalations(connection, plan, as_of)
    calendar = WorkCalendar.for_plan(day_plan)
    unanswered = _unanswered(app, day_plan, assessment, as_of, calendar)
    rounds = _round_asks(app, as_of)
    asked = contacts_of(day_plan)
    items = assessment.items
    found = chases(
        as_of,
        calendar,
        {i: item.owners for i, item in items.items()},
        {
            i: asked(items[i].owners)
            for i in {*unanswered, *rounds, *open_escalations}
            if i in items
        },
        unanswered,
        rounds,
        open_escalations,
        raised,
    )
    people = {c.id: c.name for c in day_plan.contacts}
    rows = []
    for c in (_as_people(day_plan, f) for f in found):
        item = items[c.item_id]
        rows.append(
            ChaseRow(
                c,
                item.title,
                item.step,
                item.state.value,
                item.due,
                tuple(day_plan.owner_names(c.owners)),
                tuple(people.get(x, x) for x in c.contacts),
                tuple(people.get(x, x) for x in c.escalated_to),
            )
        )
    return rows


def _as_people(plan: Plan, chase: Chase) -> Chase:
    """``chase`` with each person once by their current id: a renamed contact's old id
    (``formerly``) is the same person (review58 5: "bert, Bert Bond")."""
    from dataclasses import replace

    def once(ids: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(sorted({plan.person(x) for x in ids}))

    return replace(chase, contacts=once(chase.contacts), escalated_to=once(chase.escalated_to))


def _escalations(connection: Any, plan: Plan, as_of: date) -> tuple[Any, Any, Any, Any]:
    """The plan and assessment of the day as the agenda pack reads them, the escalations still
    open by its rule (:func:`governance.agenda_asked.open_escalations`, with the pack's
    decisions in force and due-date changes; those only a replay raised left out, as packs of
    layout 21 leave them out) and every live escalation raised (item, day, contacts)."""
    from governance.agenda_asked import open_escalations
    from governance.decision_corrections import changes_folded, in_force
    from governance.provenance import RevisionFact, due_changes
    from regie.report_reads import report_basis
    from store import reports_read
    from store.follow_up_read import escalations_raised
    from store.replayed_escalations import replayed_escalations_read

    pid = plan.programme.id
    basis = report_basis(connection, plan, as_of, None, read_cut_off=False)
    replayed, _ = replayed_escalations_read(connection, pid, as_of)
    raised = [
        (e.item_id, e.raised_on, e.contacts)
        for e in escalations_raised(connection, pid, as_of)
        if (e.item_id, e.raised_on) not in replayed
    ]
    revisions = [RevisionFact(*row) for row in reports_read.plan_revisions(connection, pid)]
    moved = changes_folded(due_changes(revisions, basis.recorded), basis.recorded)
    still_open = open_escalations(
        basis.assessment,
        [(item, day) for item, day, _ in raised],
        in_force(basis.decisions),
        moved,
        basis.plan.calendar.timezone,
    )
    return basis.plan, basis.assessment, still_open, raised


def _unanswered(
    app: App, plan: Plan, assessment: Any, as_of: date, calendar: Any
) -> dict[str, dict[str, date]]:
    """Per item, the stages asked and not answered (stage → first day queued), as the daily
    cycle's prompt facts count them for the ``unanswered`` escalation. Those facts leave out the
    stages of a run that escalated (it escalates no more); of those items (few) the prompts are
    read whole and the same rule (:func:`governance.reminders.facts_from_history`) counts them
    with the escalation left aside: the owner has still not answered."""
    from governance.reminders import contacts_of, facts_from_history, prompt_questions
    from store.prompt_facts import prompt_facts
    from store.prompt_rows import prompts_of

    pid = plan.programme.id
    questions = prompt_questions(
        assessment, as_of, plan.reminders, calendar, contacts_of(plan), end=plan.programme.end
    )
    with app.session() as session:
        facts = prompt_facts(session, pid, as_of, questions, unanswered=True)
        escalated = sorted(i for i, f in facts.items() if f.escalated)
        history = prompts_of(session, pid, as_of, escalated)
    out = {i: dict(f.unanswered) for i, f in facts.items() if f.unanswered}
    if escalated:
        # A run prefix no escalation key has: the run's escalation is not seen.
        aside = {i: questions[i]._replace(run="\0") for i in escalated}
        again = facts_from_history(history, aside, as_of)
        out.update({i: dict(f.unanswered) for i, f in again.items() if f.unanswered})
    return out


def _round_asks(app: App, as_of: date) -> dict[str, list[Any]]:
    """Per item, the open status rounds without its answer (``regie round status``)."""
    from governance.follow_up import RoundAsk
    from regie.rounds import round_status

    out: dict[str, list[Any]] = {}
    for r in round_status(app, as_of):
        if r.get("closed_on") or date.fromisoformat(r["started_on"]) > as_of:
            continue
        ask = RoundAsk(
            int(r["round"]), str(r["body"]), date.fromisoformat(r["started_on"]),
            date.fromisoformat(r["answer_by"]),
        )  # fmt: skip
        for item in r["without_answer"]:
            out.setdefault(str(item["id"]), []).append(ask)
    return out


def _delivery(app: App, plan: Plan) -> tuple[list[Undelivered], list[NoChannel], list[NoChannel]]:
    """The messages that did not reach their contact (oldest first), the contacts whose current
    address bounces, and those no configured channel reaches (``regie outbox``'s last lines)."""
    from regie.delivery import unreachable_contacts
    from store import outbox
    from store.bounces import current_bounces

    pid = plan.programme.id
    # A renamed contact's messages under the old id are theirs (``formerly``, review58 5).
    contacts = {i: c for c in plan.contacts for i in (c.id, *c.formerly)}
    with app.session() as session:
        messages = [m for s in UNDELIVERED for m in outbox.messages(session, pid, s, None)]
        bounces = current_bounces(session, pid, {c.id: c.email for c in plan.contacts})
    messages.sort(key=lambda m: (m.created_on or date.min, m.key))
    undelivered = [
        Undelivered(
            m.key,
            m.kind,
            m.recipient,
            contacts[m.recipient].name if m.recipient in contacts else m.recipient_name,
            contacts[m.recipient].organisation if m.recipient in contacts else None,
            m.status,
            m.created_on,
            m.last_error,
            m.next_attempt_at,
        )
        for m in messages
    ]
    bounced = [
        NoChannel(
            cid,
            contacts[cid].name,
            contacts[cid].organisation,
            b.email,
            " ".join(x for x in (b.status, b.diagnostic) if x),
            b.recorded_at,
        )
        for cid, b in sorted(bounces.items())
        if cid in contacts
    ]
    unreachable = [
        NoChannel(
            u.contact_id,
            contacts[u.contact_id].name,
            contacts[u.contact_id].organisation,
            contacts[u.contact_id].email,
            u.reason,
        )
        for u in unreachable_contacts(app, plan)
    ]
    return undelivered, bounced, unreachable
