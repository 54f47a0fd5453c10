"""The agenda pack's *Statusronde* read and counted (layout 8): the store's rounds within the
pack's data cut-off, the round of the meeting picked and counted by
:mod:`governance.agenda_round`."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from governance.agenda_round import RoundOutcome, TieRule
    from governance.plan import Plan


def pack_round(
    connection: Connection,
    plan: Plan,
    body_id: str,
    meeting_on: date,
    previous_on: date | None,
    as_of: date,
    recorded_until: datetime | None,
    meetings: Collection[date] = (),
    rule: TieRule | None = None,
    *,
    corrections: bool = True,
    chain: bool = True,
    left_out: frozenset[str] = frozenset(),
) -> tuple[RoundOutcome | None, list[datetime]]:
    """How the meeting's rounds went as of ``as_of`` (None: no round for it), and the instants
    of the round records it read: the pack's cut-off covers them, so a rebuild reads them too.
    ``rule``: how a round is tied to its meeting (an archived pack's layout's; None: today's;
    :attr:`TieRule.FRESH` with the body's :func:`governance.agenda_round.round_start`).
    ``corrections``: a correction of an update reported before the round is no answer (agenda
    layout 10, :func:`governance.agenda_round.answers_round`); an archived pack of layout 8 or
    9 counted it. ``chain``: so is a correction of such a correction (layout 12); a pack of
    layout 10 or 11 looked at the corrected update only, and counted it. ``left_out``: the
    items no longer asked after the programme's end (layout 14; :func:`round_outcome`)."""
    from governance.agenda_round import (
        TieRule,
        answered_in_round,
        answers_until,
        round_outcome,
        round_start,
        rounds_for_meeting,
    )
    from store import round_read

    programme = plan.programme.id
    found = {r.facts.round_id: r for r in round_read.body_rounds(
        connection, programme, body_id, recorded_until
    )}  # fmt: skip
    rule = rule or TieRule.FRESH
    picked = rounds_for_meeting(
        [r.facts for r in found.values()], body_id, meeting_on, previous_on, as_of, meetings,
        rule, round_start(plan, body_id) if rule is TieRule.FRESH else None,
    )  # fmt: skip
    counted = []
    instants: list[datetime] = []
    for facts in picked:
        read = found[facts.round_id]
        # A closed round counts what its summary counted (an answer recorded later that day is
        # not the round's), and nothing recorded after the pack's cut-off.
        ends = [at for at in (read.closed_at, recorded_until) if at is not None]
        window = (
            connection, programme, facts.started_on, answers_until(facts, as_of),
            min(ends) if ends else None,
        )  # fmt: skip
        if corrections:  # layout 10: a correction of a pre-round update is no answer
            rows = round_read.round_answers(*window, chain=chain)
            answered = answered_in_round(rows, facts.started_on)
        else:
            answered = round_read.round_answered(*window)
        counted.append((facts, round_read.round_asked(connection, facts.round_id), answered))
        instants += [read.started_at, *([read.closed_at] if read.closed_at else [])]
    outcome = round_outcome(plan, counted, as_of, left_out)
    return outcome, instants if outcome is not None else []
