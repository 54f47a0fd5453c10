"""The progress report's reporting obligation: its recipient, the default period from its
cadence, and the action a report delivers (recorded gereed with ``--mark-done``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from regie.bootstrap import App
from regie.errors import InvalidInput
from regie.report_archive import Rendered, archived_report, operator
from regie.report_reads import report_basis

if TYPE_CHECKING:
    from governance.plan import Plan, ReportObligation


#: What an archived document is, in a refusal (walk58a 6: "archief 1 is a agenda report").
_KIND_NAMES = {
    "agenda": "an agenda pack",
    "agenda-bijlage": "an agenda pack's annex",
    "voortgang-bijlage": "a progress report's annex",
}


def report_recipient(plan: Plan, report_id: str | None) -> str | None:
    """Whom a progress report is for: the ``recipient`` of the reporting obligation
    ``report_id`` names, else of the plan's only one; None when the plan names none, or
    several and the report names none of them (the report then names no recipient)."""
    obligation = _obligation(plan, report_id, None)
    return obligation.recipient if obligation is not None else None


@dataclass(frozen=True, slots=True)
class ProgressPeriod:
    """The period a progress report covers, and the plan's reporting obligation it is for."""

    start: date
    end: date
    as_of: date
    obligation: ReportObligation | None
    #: How the period was chosen when it was not given (one line for stderr), else None.
    chosen: str | None = None
    #: The day the report's action is recorded gereed (``--mark-done``): ``--as-of`` when
    #: given, else today; never after today.
    delivered_on: date | None = None


def progress_period(
    app: App,
    start: date | None,
    end: date | None,
    as_of: date | None,
    report_id: str | None = None,
    *,
    mark_done: bool = False,
    recorded_until: datetime | None = None,
    marking: str | None = None,
) -> ProgressPeriod:
    """The period of ``regie report voortgang``: ``start``–``end`` as given, else from the
    reporting obligation's cadence (:data:`governance.cadences.CADENCES`): the period after
    the last archived progress report's (recorded up to ``recorded_until``), or else from the
    programme's start in whole periods through the last one over on ``as_of`` (default today).
    The obligation: ``report_id``, else the plan's only one. Refusals are one line.
    ``marking``: what a refusal of the day to mark the action gereed on names (``regie report
    mark-done``'s archive), :func:`refuse_unreached`."""
    from governance.cadences import CADENCE_NAMES
    from governance.progress_period import cadence_months, period_after
    from governance.report_due import cadence_periods
    from regie.services import today

    if (start is None) != (end is None):
        raise InvalidInput(
            "--from/--to: give both, or neither (the period then follows from the plan's "
            "reporting cadence)"
        )
    plan = app.load_plan()
    given = start is not None
    need = None if given and not mark_done else ("--mark-done" if given else "--from/--to")
    obligation = _obligation(plan, report_id, need)
    now = today(app, plan)
    delivered_on = as_of or now
    if mark_done:
        refuse_unreached(
            app, plan, delivered_on, now, marking or "--mark-done: the report is as of"
        )
    _within_life(plan, start, end, as_of, now)
    if start is not None and end is not None:
        return ProgressPeriod(start, end, as_of or end, obligation, None, delivered_on)
    assert obligation is not None
    day = as_of or now
    months = cadence_months(obligation.cadence)
    if months is None:
        cadence = (
            f"has cadence {obligation.cadence!r}, not one Regie reads ({', '.join(CADENCE_NAMES)})"
            if obligation.cadence
            else "has no cadence"
        )
        raise InvalidInput(
            f"--from/--to: reporting obligation {obligation.id} {cadence}: give --from and --to"
        )
    cadence = " ".join((obligation.cadence or "").split())
    previous, concepts = _previous_progress_report(app, plan, obligation, recorded_until)
    if previous is not None:
        archive_id, before_from, before_to = previous
        first, last = period_after(before_to, months)
        ended = plan.programme.end
        if ended is not None and first > ended:
            raise InvalidInput(
                f"--from/--to: the programme ended on {ended} and the last archived progress "
                f"report ({obligation.id}, archief {archive_id}, {before_from} – {before_to}) "
                "reaches it: there is no later period; give --from and --to"
            )
        if ended is not None and last > ended:
            last = ended  # the programme's end cuts the last period short
        if last > day:
            raise InvalidInput(
                f"--from/--to: the {cadence} period after the last archived progress report "
                f"(archief {archive_id}, {before_from} – {before_to}) runs to {last}, after "
                f"{day}: give --from and --to, or a later --as-of"
            )
        chosen = (
            f"period {first} – {last}: the {cadence} period ({obligation.id}) after archief "
            f"{archive_id} ({before_from} – {before_to})"
        )
        return ProgressPeriod(first, last, day, obligation, chosen, delivered_on)
    begin = plan.programme.start
    if begin is None:
        raise InvalidInput(
            f"--from/--to: the programme has no start to count {cadence} periods from: give "
            "--from and --to"
        )
    # Whole periods, none after the programme's end: the last one ends on it (cadence_periods).
    over = cadence_periods(plan, obligation, day)
    found = (begin, over[-1][1]) if over else None
    if found is None:
        raise InvalidInput(
            f"--from/--to: no whole {cadence} period since the programme's start {begin} is "
            f"over on {day}: give --from and --to, or a later --as-of"
        )
    first, last = found
    # Concepts do not count (each is made again once approved): say so rather than "none".
    before = (
        "no approved (vastgesteld) progress report archived before; concepts (not counted): "
        f"archief {', '.join(str(i) for i in concepts)}"
        if concepts
        else "no progress report archived before"
    )
    chosen = (
        f"period {first} – {last}: from the programme's start in whole {cadence} periods "
        f"({obligation.id}) through the last one over on {day}; {before}"
    )
    return ProgressPeriod(first, last, day, obligation, chosen, delivered_on)


def refuse_unreached(app: App, plan: Plan, day: date, now: date, subject: str) -> None:
    """Refuse to record a report's action gereed on ``day`` after today (``now``), in one line
    that starts with ``subject`` and the day (``--mark-done: the report is as of``, ``archief 16
    is as of``, ``--as-of:``). A simulation (REGIE_SIMULATE) stands at the last day its cycle
    ran, which may be after today: a day up to it is of its past, as for `regie update` and
    `regie decision add` (walk58a 3)."""
    from regie.services import simulation_hint, simulation_short_of

    if day <= now:
        return
    head = f"{subject} {day}, after today ({now})"
    if not app.settings.simulate:
        hint = simulation_hint(app, plan.programme.id, now, "marking a report done", day)
        raise InvalidInput(
            f"{head}: its action is recorded gereed on that day, which has not come yet{hint}"
        )
    reached = simulation_short_of(app, plan.programme.id, day)
    if reached is not None:
        raise InvalidInput(
            f"{head} and the simulation {reached}; its action is recorded gereed on a day the "
            f"simulation reached: run `regie cycle --simulate --as-of {day}` first"
        )


def _within_life(
    plan: Plan, start: date | None, end: date | None, as_of: date | None, today: date
) -> None:
    """Refuse a period or day far off the programme's life plus margin (``--as-of 9999-12-31``
    would count whole periods to the calendar's end and archive one): one line each. Today
    is never far off: a report of a finished programme may be made (and marked) late."""
    from governance.dates import outside_life, programme_life

    given = {"--from": start, "--to": end, "--as-of": as_of}
    life = programme_life(plan).reaching(today)
    problems = outside_life(life, {k: v for k, v in given.items() if v})
    if problems:
        raise InvalidInput(*problems)


def _obligation(plan: Plan, report_id: str | None, need: str | None) -> ReportObligation | None:
    """The reporting obligation ``report_id`` names, else the plan's only one; when ``need``
    (the option that needs one) and there is none or several, one line asking for it."""
    known = [r.id for r in plan.reports]
    if report_id is not None:
        found = next((r for r in plan.reports if r.id == report_id), None)
        if found is None:
            raise InvalidInput(
                f"--report: the plan has no reporting obligation {report_id!r} "
                f"(known: {', '.join(known) or 'none'})"
            )
        chosen: ReportObligation | None = found
    else:
        chosen = plan.reports[0] if len(plan.reports) == 1 else None
    if need is None:
        return chosen
    if chosen is None and not known:
        instead = "give --from and --to" if need == "--from/--to" else "no action to mark"
        raise InvalidInput(f"{need}: the plan names no reporting obligation (reports:): {instead}")
    if chosen is None:
        instead = "give --report ID" + (", or --from and --to" if need == "--from/--to" else "")
        raise InvalidInput(
            f"{need}: the plan names {len(known)} reporting obligations ({', '.join(known)}): "
            f"{instead}"
        )
    if need == "--mark-done" and chosen.action is None:
        raise InvalidInput(
            f"--mark-done: reporting obligation {chosen.id} names no action (reports: … action:)"
        )
    return chosen


def _previous_progress_report(
    app: App, plan: Plan, obligation: ReportObligation, recorded_until: datetime | None
) -> tuple[tuple[int, date, date] | None, list[int]]:
    """The archived progress report for ``obligation`` whose period ends last (archive id,
    from, to): made for it, or made without naming one while the plan has only this one; and
    the archive ids of its concepts, which do not count (so that the CLI says they exist)."""
    from store.reports_repo import ReportsRepository

    with app.session() as session:
        rows = ReportsRepository(session, plan.programme.id).archived("voortgang")
    best: tuple[date, int, date] | None = None
    concepts: list[int] = []
    for row in rows:
        if recorded_until is not None and row.created_at > recorded_until:
            continue
        p = row.parameters or {}
        made_for = p.get("report")
        if made_for != obligation.id and (made_for is not None or len(plan.reports) != 1):
            continue
        if p.get("concept"):  # a concept is made again once approved: that one counts
            concepts.append(row.id)
            continue
        try:
            first, last = date.fromisoformat(str(p["from"])), date.fromisoformat(str(p["to"]))
        except (KeyError, ValueError):
            continue
        if best is None or last > best[0]:  # rows in id order: the first of that period
            best = (last, row.id, first)
    return (None if best is None else (best[1], best[2], best[0])), concepts


def report_action(
    app: App, period: ProgressPeriod, rendered: Sequence[Rendered], *, mark_done: bool
) -> list[str]:
    """After a progress report is archived: the items of its obligation's action the report
    delivers (:func:`governance.progress_period.delivered_items`: open, due from the period's end
    through the end of the next period). ``mark_done``: each is recorded gereed on the
    period's ``delivered_on``, an append-only update with source ``report``, the report's
    archive ids and hashes in its note, by the maker; else a hint names them. One line each.
    A report not archived (made again with ``--recorded-until``) records nothing. A concept
    (no decision about the action approved it, :func:`governance.progress_front.approval`, among
    the decisions recorded up to its data cut-off) is not marked: refused in one line."""
    from governance.progress import LAYOUT
    from governance.progress_front import approval, report_approval
    from governance.progress_period import delivered_items, delivery_window

    obligation = period.obligation
    documents = [r for r in rendered if r.archive_id is not None]
    if obligation is None or obligation.action is None or not documents:
        return []
    plan = app.load_plan()
    # Open on the day it would be recorded (an item marked since the report's day is done).
    day = max(period.as_of, period.delivered_on or period.as_of)
    with app.reading() as connection:
        basis = report_basis(connection, plan, day, None)
    cut = next((r.data_until for r in documents if r.data_until is not None), None)
    known = [d for d in basis.decisions if not (cut and d.recorded_at and d.recorded_at > cut)]
    ids = next((r.archive_id for r in documents if r.kind == "voortgang"), documents[0].archive_id)
    made = next((r for r in documents if r.kind == "voortgang"), documents[0])
    if int((made.parameters or {}).get("layout", LAYOUT)) >= 3:
        approved, _ = report_approval(
            plan, known, obligation.id, obligation.action, period.start, period.end, period.as_of
        )
    else:  # archived before approvals named their report: the rule it was made with
        approved = approval(known, obligation.action, period.end, period.as_of)
    concept = approved is None
    if mark_done and concept:
        raise InvalidInput(
            f"--mark-done: archief {ids} is a concept: no decision taken after {period.end} "
            f"and on or before {period.as_of} approves it; record the approval (`regie "
            f"decision add --body ID --meeting DATE --approves-report {obligation.id}:"
            f"{period.start}/{period.end} --text …`), make the report again as of that day or "
            "later, then mark that one"
        )
    until = delivery_window(period.start, period.end, obligation)
    current = {d.item_id for d in plan.deadlines()}
    items = [
        i
        for i in delivered_items(basis.assessment, obligation.action, period.end, until)
        if i.item_id in current
    ]
    if not items:
        if not mark_done:
            return []
        return [
            f"note: action {obligation.action} ({obligation.id}) has no open item due from "
            f"{period.end} through {until}: nothing marked gereed"
        ]
    if not mark_done:
        named = ", ".join(
            f"{i.item_id} (due {i.due}, {i.state.value.replace('_', ' ')})" for i in items
        )
        if concept:
            return [
                f"note: this report may deliver {named} of action {obligation.action}; it is a "
                f"concept until a decision approves it (`regie decision add … --approves-report "
                f"{obligation.id}:{period.start}/{period.end}`): make it again after that "
                "decision, then `regie report mark-done ID` records it gereed"
            ]
        return [
            f"note: this report may deliver {named} of action {obligation.action}: "
            f"`regie report mark-done {ids}` records it gereed with the report"
        ]
    return _mark_delivered(app, plan, period, documents, [i.item_id for i in items])


def mark_archived_done(
    app: App, archive_id: int, report_id: str | None = None, on: date | None = None
) -> list[str]:
    """``regie report mark-done ID``: what ``--mark-done`` does when the report is made, for a
    progress report archived before (its period, day and obligation from its parameters;
    ``report_id`` when it names none and the plan has several), recorded for ``on`` (default
    today; not before the report's day, not after today)."""
    from regie.services import today

    report = archived_report(app, archive_id)
    if report.kind != "voortgang":
        raise InvalidInput(
            f"archief {archive_id} is {_KIND_NAMES.get(report.kind, f'a {report.kind} report')}, "
            "not a progress report (voortgang)"
        )
    p = {k: str(v) for k, v in (report.parameters or {}).items()}
    try:
        start, end = date.fromisoformat(p["from"]), date.fromisoformat(p["to"])
        as_of = date.fromisoformat(p["as_of"])
    except (KeyError, ValueError):
        raise InvalidInput(
            f"archief {archive_id}: its parameters do not say which period it covers"
        ) from None
    made_for = p.get("report")
    if report_id is not None and made_for is not None and report_id != made_for:
        raise InvalidInput(f"--report: archief {archive_id} was made for {made_for}")
    if on is not None and on < as_of:
        raise InvalidInput(
            f"--as-of: {on} is before the day archief {archive_id} is as of ({as_of})"
        )
    day = on or max(as_of, today(app))
    marking = "--as-of:" if on is not None else f"archief {archive_id} is as of"
    period = progress_period(
        app, start, end, day, report_id or made_for, mark_done=True, marking=marking
    )
    period = replace(period, as_of=as_of)  # the report's day: the items it delivers
    document = Rendered(
        report.kind, report.format, report.title, report.as_of, report.parameters, b"",
        report.sha256, archive_id=report.id, data_until=report.data_until,
    )  # fmt: skip
    return report_action(app, period, [document], mark_done=True)


def _mark_delivered(
    app: App,
    plan: Plan,
    period: ProgressPeriod,
    documents: Sequence[Rendered],
    item_ids: Sequence[str],
) -> list[str]:
    from governance.decisions import REPORT_SOURCE
    from governance.updates import StatusUpdate, UpdateStatus
    from regie.answers import backdated_note, store_answers, unpublished_note
    from reports.render import render

    note = " ".join(
        render(
            "voortgang_gereed.txt.j2", start=period.start, end=period.end, as_of=period.as_of,
            documents=[r for r in documents if r.kind == "voortgang"] or documents,
        ).split()
    )  # fmt: skip
    maker = operator()
    on = period.delivered_on or period.as_of
    recorded = store_answers(
        app,
        plan,
        [
            StatusUpdate(
                item_id=item_id,
                status=UpdateStatus.DONE,
                reported_on=on,
                completed_on=on,
                comment=note,
                author=maker,
                source=REPORT_SOURCE,
            )
            for item_id in item_ids
        ],
        sync=True,
    )
    ids = ", ".join(str(r.archive_id) for r in documents if r.kind == "voortgang")
    if period.obligation is not None:
        from regie.report_due import cancel_delivered
        from regie.services import today

        # The reminders of the items now gereed are moot: cancelled, visibly, in the outbox.
        why = f"report {period.obligation.id} marked done (archief {ids})"
        with app.session() as session, session.begin():
            cancel_delivered(session, plan, period.obligation.id, why, today(app, plan))
    lines = [
        f"{r.update.item_id}: done recorded for {on} (update {r.update.id}, source "
        f"report: archief {ids})"
        for r in recorded
    ]
    return [*lines, *(n for n in (backdated_note(recorded), unpublished_note(recorded)) if n)]
