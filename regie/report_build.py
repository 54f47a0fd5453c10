"""The agenda pack's content assembled, from :mod:`governance.agenda` over what
:mod:`regie.report_reads` reads, with its data cut-off and the parameters an archived pack keeps.
Its layouts are in :mod:`regie.agenda_layouts`, what it reads of the earlier packs in
:mod:`regie.pack_earlier`; the progress report's content in :mod:`regie.report_progress`."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from regie.agenda_layouts import (
    AGENDA_ADDITIONS_BY_MEETING_FROM,
    AGENDA_ADDITIONS_UNDONE_FROM,
    AGENDA_AHEAD_BEFORE_NEXT_FROM,
    AGENDA_AHEAD_FROM_PACK_FROM,
    AGENDA_CATCH_UP_FROM,
    AGENDA_CLOSED_ADDITIONS_FROM,
    AGENDA_CLOSING_MEETINGS_FROM,
    AGENDA_CLOSING_PACK_FROM,
    AGENDA_COLOUR_BASIS_FROM,
    AGENDA_CONTACTS_BY_MOMENT_FROM,
    AGENDA_CORRECTED_UPDATES_FROM,
    AGENDA_CORRECTIONS_FROM,
    AGENDA_DATED_ADDITIONS_FROM,
    AGENDA_DROPPED_FROM,
    AGENDA_END_AHEAD_FROM,
    AGENDA_END_MOVED_FROM,
    AGENDA_FIRST_ASSESSED_FROM,
    AGENDA_FORECAST_IN_FORCE_FROM,
    AGENDA_HAND_ASKED_FROM,
    AGENDA_LAPSED_FORECASTS_FROM,
    AGENDA_LATE_DECISIONS_FROM,
    AGENDA_NAMES_FROM,
    AGENDA_NOT_STARTED_FROM,
    AGENDA_NOTES_AS_WRITTEN_FROM,
    AGENDA_RENUMBERED_FROM,
    AGENDA_REPLAYED_ESCALATIONS_FROM,
    AGENDA_RISK_DATES_FROM,
    AGENDA_ROUND_CHAIN_FROM,
    AGENDA_ROUND_CORRECTIONS_FROM,
    AGENDA_SAME_QUESTION_FROM,
    AGENDA_SHOWN_CORRECTED_FROM,
    AGENDA_STALE_APART_FROM,
    AGENDA_UNRATIFIED_FROM,
    round_tie_rule,
)
from regie.agenda_layouts import AGENDA_COUNT_WORDS_FROM as AGENDA_COUNT_WORDS_FROM
from regie.agenda_layouts import AGENDA_LAYOUT as AGENDA_LAYOUT  # read here: tests set it here
from regie.bootstrap import App
from regie.pack_earlier import pack_questions, shown_before
from regie.pack_round import pack_round
from regie.report_reads import (
    assess_as_of,
    body_or_fail,
    meeting_or_fail,
    plan_on,
    recorded_edits,
    report_basis,
)

if TYPE_CHECKING:
    from governance.agenda import AgendaPack
    from governance.agenda_model import ShownBefore, SinceEntry, SinceLast
    from governance.agenda_questions import PackQuestions
    from governance.agenda_round import RoundOutcome
    from governance.assessment import Assessment
    from governance.plan import Plan


def agenda_pack(
    app: App,
    body_id: str,
    meeting_on: date,
    as_of: date,
    *,
    plan: Plan | None = None,
    recorded_until: datetime | None = None,
    decisions_from: date | None = None,
) -> AgendaPack:
    """The pack alone, to read or render: one to archive goes with the data cut-off
    :func:`_agenda_pack` gives (:func:`regie.report_archive.archive_agenda`)."""
    return _agenda_pack(
        app, body_id, meeting_on, as_of, plan=plan, recorded_until=recorded_until,
        decisions_from=decisions_from,
    )[0]  # fmt: skip


def _agenda_pack(
    app: App,
    body_id: str,
    meeting_on: date,
    as_of: date,
    *,
    plan: Plan | None = None,
    recorded_until: datetime | None = None,
    decisions_from: date | None = None,
    layout: int | None = None,
) -> tuple[AgendaPack, datetime | None]:
    """The pack and its data cut-off (the newest recorded_at among the records it read: also
    the archiving of the earlier packs, the status round's instants, the accepted additions'
    row and the queueing of the messages behind replayed escalations). ``decisions_from``: the
    decision list starts there (:func:`governance.agenda.build_agenda`; kept with an archived
    pack's parameters); ``layout``: an archived pack's (before layout 3 *eerder voorgelegd*
    counted meetings, not the packs archived for them)."""
    from governance.agenda import build_agenda
    from governance.agenda_end import closing_pack, with_end_moved
    from governance.agenda_model import local_day
    from governance.agenda_since import unfollowed_stale
    from governance.decision_corrections import changes_folded, in_force
    from governance.events import ESCALATION_RAISED
    from governance.meetings import previous_and_next
    from governance.provenance import RevisionFact, due_changes
    from store import agenda_read, reports_read
    from store.replayed_escalations import replayed_escalations_read

    plan = plan or app.load_plan()
    body = body_or_fail(plan, body_id)
    laid_out = layout or AGENDA_LAYOUT
    # Layouts up to 12 were built without a closing meeting (a listed date after the end).
    all_meetings = meeting_or_fail(
        app, plan, body_id, meeting_on, recorded_until=recorded_until,
        closing=laid_out >= AGENDA_CLOSING_MEETINGS_FROM,
    )  # fmt: skip
    meeting = next(m for m in all_meetings if m.on == meeting_on)
    previous, following = previous_and_next(all_meetings, meeting_on)
    # Read on a plain connection: no ORM to import before a PDF's layout can start.
    with app.reading() as connection:
        escalations = reports_read.events_named(
            connection, plan.programme.id, ESCALATION_RAISED, as_of, recorded_until
        )
        # What it reads besides the records of the generic cut-off (report_basis's): their
        # instants, so that its cut-off covers them too and a rebuild from it reads them.
        read_at: list[datetime] = []
        if laid_out >= AGENDA_REPLAYED_ESCALATIONS_FROM:  # layout 21: nobody received them
            replayed, queued_at = replayed_escalations_read(
                connection, plan.programme.id, as_of, recorded_until
            )
            escalations = [e for e in escalations if e not in replayed]
            read_at += [queued_at] if queued_at else []
        corrected = laid_out >= AGENDA_CORRECTED_UPDATES_FROM
        added = laid_out >= AGENDA_ADDITIONS_UNDONE_FROM
        basis = report_basis(
            connection, plan, as_of, recorded_until,
            first_assessed=laid_out >= AGENDA_FIRST_ASSESSED_FROM,
            dropped=laid_out >= AGENDA_DROPPED_FROM, corrections=corrected, additions=added,
        )  # fmt: skip
        # The progress report's reading of the due dates moved (with or without a decision),
        # and the items' other revisions: *Sinds de vorige vergadering*, ratification.
        moved = due_changes(
            [
                RevisionFact(*row)
                for row in reports_read.plan_revisions(
                    connection, plan.programme.id, recorded_until
                )
            ],
            basis.recorded,
        )
        if laid_out >= AGENDA_CORRECTIONS_FROM:  # layout 21: a corrected decision replaced
            moved = changes_folded(moved, basis.recorded)
        revisions, first_recorded = agenda_read.item_revisions(
            connection, plan.programme.id, recorded_until,
            renumbered=laid_out >= AGENDA_RENUMBERED_FROM,
        )  # fmt: skip
        accepted = None  # layout 12 asked from the first sync on, as built
        if laid_out >= AGENDA_CLOSED_ADDITIONS_FROM:
            accepted = agenda_read.additions_accepted(connection, plan.programme.id, recorded_until)
            accepted_at = agenda_read.additions_accepted_at(
                connection, plan.programme.id, recorded_until
            )
            read_at += [accepted_at] if accepted_at else []
        contacts = agenda_read.contact_revisions(connection, plan.programme.id, recorded_until)
        end_moves = (
            reports_read.programme_end_revisions(connection, plan.programme.id, recorded_until)
            if laid_out >= AGENDA_END_MOVED_FROM
            else []
        )
        listed: dict[date, frozenset[str] | None] | None = None
        questions: dict[date, PackQuestions] | None = None
        not_counted: dict[date, str] | None = None
        archived_at: list[datetime] = []
        shown: ShownBefore | None = None
        if (layout or AGENDA_LAYOUT) >= 4:  # only the packs sent before their meeting count
            read = agenda_read.packs_sent(connection, plan.programme.id, body_id, recorded_until)
            packs = {on: found for on, found in read.listed.items() if on < meeting_on}
            listed = {on: items for on, (items, _) in packs.items()}
            not_counted = {on: why for on, why in read.not_counted.items() if on < meeting_on}
            archived_at = [at for _, at in packs.values()]
            # A pack that did not count is read too (why it did not: *eerder voorgelegd*).
            read_at += [at for on, at in read.archived.items() if on < meeting_on]
            if laid_out >= AGENDA_SAME_QUESTION_FROM:  # layout 14: what each pack asked
                questions = {on: pack_questions(read.questions.get(on)) for on in packs}
            if laid_out >= AGENDA_CATCH_UP_FROM:  # layout 19: what it could not show
                shown = shown_before(
                    read, meeting_on, {m.on for m in all_meetings}, plan.calendar.timezone,
                    hand_asked=laid_out >= AGENDA_HAND_ASKED_FROM,
                )  # fmt: skip
        elif (layout or AGENDA_LAYOUT) >= 3:  # an archived pack of layout 3 read them so
            packs = agenda_read.packs_listed(connection, plan.programme.id, body_id, recorded_until)
            packs = {on: found for on, found in packs.items() if on < meeting_on}
            listed = {on: items for on, (items, _) in packs.items()}
            archived_at = [at for _, at in packs.values()]
        # The data as they stood on the previous meeting's day: what got worse since.
        before = None
        if previous is not None and previous.on <= as_of:
            edits = recorded_edits(connection, plan, previous.on, recorded_until)
            then = plan_on(plan, basis.recorded, previous.on, edits, additions=added)
            before = assess_as_of(
                connection, then, previous.on, recorded_until=recorded_until,
                first_assessed=laid_out >= AGENDA_FIRST_ASSESSED_FROM,
                dropped=laid_out >= AGENDA_DROPPED_FROM, corrections=corrected,
            )  # fmt: skip
        # Layout 19 (walk54b): what got worse compares with the data as the body's latest earlier
        # pack read them (its day, recorded by its archiving), not the previous meeting's day.
        shown_state = None
        if shown is not None:
            pack_cut = min(shown.made_at, recorded_until) if recorded_until else shown.made_at
            shown_state = report_basis(
                connection, plan, shown.as_of, pack_cut,
                first_assessed=laid_out >= AGENDA_FIRST_ASSESSED_FROM,
                dropped=laid_out >= AGENDA_DROPPED_FROM, read_cut_off=False,
                corrections=laid_out >= AGENDA_SHOWN_CORRECTED_FROM, additions=added,
            ).assessment  # fmt: skip
        # Layout 18 (words53): the colours now without the staleness Regie could not have seen
        # on the previous meeting's day (items it first assessed after it); only when there is
        # such staleness, else the pack is built as before.
        unstale = None
        if previous is not None and before is not None and laid_out >= AGENDA_STALE_APART_FROM:
            fresh = unfollowed_stale(basis.assessment, previous.on)
            if fresh:
                unstale = assess_as_of(
                    connection, basis.plan, as_of, recorded_until=recorded_until, fresh=fresh,
                    dropped=laid_out >= AGENDA_DROPPED_FROM, corrections=corrected,
                )  # fmt: skip
        # Layout 8: how the status round went; an older archived pack had no such section.
        status_round: RoundOutcome | None = None
        round_at: list[datetime] = []
        if (layout or AGENDA_LAYOUT) >= 8:
            status_round, round_at = pack_round(  # titles as the pack's tables show them
                connection, basis.plan, body_id, meeting_on, previous.on if previous else None,
                as_of, recorded_until, frozenset(m.on for m in all_meetings),
                round_tie_rule(layout or AGENDA_LAYOUT),
                corrections=(layout or AGENDA_LAYOUT) >= AGENDA_ROUND_CORRECTIONS_FROM,
                chain=(layout or AGENDA_LAYOUT) >= AGENDA_ROUND_CHAIN_FROM,
                left_out=_no_longer_asked(basis.assessment, basis.plan, as_of, laid_out),
            )  # fmt: skip
    pack = build_agenda(
        basis.plan,
        basis.assessment,
        body,
        meeting,
        previous=previous,
        next_meeting=following,
        # Every body's: a decision of another body may answer an escalation (build_agenda
        # lists only this body's among the decisions taken).
        decisions=in_force(basis.decisions)
        if laid_out >= AGENDA_CORRECTIONS_FROM
        else basis.decisions,
        escalations=escalations,
        due_changes=moved,
        revisions=revisions,
        first_recorded=first_recorded,
        earlier=[m for m in all_meetings if m.on < meeting_on],
        previous_assessment=before,
        decisions_from=decisions_from,
        contact_revisions=contacts,
        packs_listed=listed,
        packs_not_counted=not_counted,
        status_round=status_round,
        additions_accepted=accepted,
        closed_asked=laid_out < AGENDA_CLOSED_ADDITIONS_FROM,
        unratified=laid_out >= AGENDA_UNRATIFIED_FROM,  # layout 19: walk54b 1, 3
        not_started=laid_out >= AGENDA_NOT_STARTED_FROM,  # layout 19: walk54 8
        dated_additions=laid_out >= AGENDA_DATED_ADDITIONS_FROM,
        additions_by_meeting=laid_out >= AGENDA_ADDITIONS_BY_MEETING_FROM,
        pack_questions=questions,
        stale_apart=laid_out >= AGENDA_STALE_APART_FROM,
        unstale=unstale,
        risk_dates=laid_out >= AGENDA_RISK_DATES_FROM,
        forecasts_in_force=laid_out >= AGENDA_FORECAST_IN_FORCE_FROM,
        ahead_from_pack=laid_out >= AGENDA_AHEAD_FROM_PACK_FROM,
        shown=shown,
        shown_assessment=shown_state,
        shown_colours=laid_out >= AGENDA_COLOUR_BASIS_FROM,
        late_decisions=laid_out >= AGENDA_LATE_DECISIONS_FROM,
        ahead_before_next=laid_out >= AGENDA_AHEAD_BEFORE_NEXT_FROM,
        lapsed_forecasts=laid_out >= AGENDA_LAPSED_FORECASTS_FROM,
        notes_as_written=laid_out >= AGENDA_NOTES_AS_WRITTEN_FROM,
        contacts_by_moment=laid_out >= AGENDA_CONTACTS_BY_MOMENT_FROM,
    )
    if laid_out >= AGENDA_CLOSING_PACK_FROM:  # after the end it says so (walk46 6)
        pack = closing_pack(pack, basis.plan.programme.end, ahead=laid_out >= AGENDA_END_AHEAD_FROM)
    if end_moves:  # layout 20: the programme's end moved in the plan file (walk55d 7)
        pack = with_end_moved(pack, [(b, a, local_day(plan, at)) for b, a, at in end_moves])
    if (layout or AGENDA_LAYOUT) < AGENDA_NAMES_FROM:  # an older layout showed the ids
        pack = replace(pack, owner_labels={})
    elif pack.since_last is not None:  # an owner change by names too, as the tables (review8 4)
        pack = replace(pack, since_last=_owner_changes_named(pack.since_last, pack.owner_labels))
    cut_off = basis.cut_off
    # The packs and the round it read are part of its data: a rebuild reads the same ones; so
    # are the accepted additions and the messages of replayed escalations (fix57l).
    if listed or round_at or read_at:
        cut_off = max([*archived_at, *round_at, *read_at, *([cut_off] if cut_off else [])])
    if shown is not None:  # a pack made by hand is read too (review54 6)
        cut_off = max(shown.made_at, cut_off) if cut_off else shown.made_at
    return pack, cut_off


def _no_longer_asked(
    assessment: Assessment, plan: Plan, as_of: date, layout: int
) -> frozenset[str]:
    """The items a round no longer asks on ``as_of`` (:func:`governance.programme_end.
    no_longer_asked`), for *Statusronde* from layout 14 on; none for an older layout. From
    layout 19 also the ongoing items not started yet (:data:`AGENDA_NOT_STARTED_FROM`)."""
    from governance.item_start import not_started_ids
    from governance.programme_end import asked_no_longer

    if layout < AGENDA_CLOSING_PACK_FROM:
        return frozenset()
    left_out = asked_no_longer(assessment.items, plan.programme.end, as_of)
    if layout >= AGENDA_NOT_STARTED_FROM:
        left_out |= not_started_ids(assessment.items, as_of)
    return left_out


def agenda_parameters(
    body_id: str,
    meeting_on: date,
    as_of: date,
    decisions_from: date | None = None,
    pack: AgendaPack | None = None,
) -> dict[str, Any]:
    """What an archived pack keeps to be made again: body, meeting, day and layout (and where
    its decision list starts, when not at the previous meeting); and the items its *ter
    besluitvorming* put to the body (``listed``): a later pack says *eerder voorgelegd* from
    them."""
    parameters: dict[str, Any] = {
        "body": body_id,
        "meeting": meeting_on.isoformat(),
        "as_of": as_of.isoformat(),
        "layout": AGENDA_LAYOUT,
    }
    if decisions_from is not None:
        parameters["decisions_from"] = decisions_from.isoformat()
    if pack is not None:
        parameters["listed"] = sorted({a.item.item_id for a in pack.asked})
        # What each item was asked (layout 14): a later pack counts the same question only.
        asked: dict[str, set[str]] = {}
        for a in pack.asked:
            asked.setdefault(a.item.item_id, set()).add(a.reason)
        parameters["asked"] = {item: sorted(reasons) for item, reasons in sorted(asked.items())}
    return parameters


def _owner_changes_named(since: SinceLast, labels: dict[str, str]) -> SinceLast:
    """*Sinds de vorige vergadering*'s owner changes ("gemeente, provincie") by the names the
    pack's tables use; an organisation no longer in the plan by its id."""

    def named(owners: str | None) -> str | None:
        return ", ".join(labels.get(o, o) for o in owners.split(", ")) if owners else owners

    def entry(e: SinceEntry) -> SinceEntry:
        return replace(e, before=named(e.before), after=named(e.after)) if e.kind == "owners" else e

    return replace(
        since,
        entries=tuple(entry(e) for e in since.entries),
        worse=tuple(entry(e) for e in since.worse),
    )
