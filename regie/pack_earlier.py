"""What an agenda pack reads of the body's earlier packs (:mod:`regie.report_build`): the
latest one the body had before the meeting (sent, or made by hand before its day) and what
each earlier pack asked."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from regie.agenda_layouts import AGENDA_ASK_ADDED_FROM, AGENDA_CLOSED_ADDITIONS_FROM

if TYPE_CHECKING:
    from governance.agenda_model import ShownBefore
    from governance.agenda_questions import PackQuestions
    from store.agenda_read import HandPack, PackAsked, PacksRead


def had_by_hand(pack: HandPack, meeting_on: date, zone: str) -> bool:
    """Whether a pack made by hand (as of a day before its meeting:
    :attr:`store.agenda_read.PacksRead.by_hand`) was made before ``meeting_on`` (review54c 5),
    in ``zone`` (the plan's; a simulation's day kept with it, ``made_on``). The made-before
    rule of :func:`shown_before` and of where the decision list starts
    (:func:`regie.prepare.decisions_from`, agenda layout 22, walk57a 1). Both ask it with the
    pack's own meeting day; :func:`shown_before` also takes a pack for a meeting since moved
    past the previous meeting, asked then with the previous meeting's day (fix57m),
    :func:`regie.prepare.decisions_from` only the body's meetings as they are now."""
    from governance.clock import local_date

    return (pack.made_on or local_date(pack.made_at, zone)) < meeting_on


def shown_before(
    read: PacksRead, meeting_on: date, held: set[date], zone: str, *, hand_asked: bool = False
) -> ShownBefore | None:
    """The body's latest pack for a meeting before ``meeting_on`` (agenda layout 19): the one
    the meeting preparation sent for it, else the last one made for it by hand as of a day
    before it (review54 6: Regie cannot know whether or when the office sent that one; this
    pack takes it as sent, so what came after it is caught up). ``held``: the body's meetings;
    a pack for a meeting no longer among them (moved or cancelled) is named without its date.

    Only a pack the body had by the previous meeting among ``held`` counts (review54c 1): one
    for a meeting up to it, or one made as of a day before it (its meeting was moved to it).
    A pack for a later meeting no longer held, made after it, was for this very meeting
    (moved) or for one that never took place: the body never met on it, so what got worse
    since the previous meeting is still listed.

    A pack made by hand counts only when it was made before the day of the meeting it counts
    for (review54c 5): a look back at a meeting held (``regie report agenda --as-of`` a day
    before it, run after it) was never the body's pack. Its day is the one it was archived on
    in ``zone`` (the plan's), in a simulation the simulation's day kept with it (``made_on``).
    Without such a pack the window counts as if no pack went out. ``hand_asked`` (agenda
    layout 22): a pack made by hand comes with what it put to the body (``listed``)."""
    from governance.agenda_model import ShownBefore

    previous_on = max((on for on in held if on < meeting_on), default=None)
    if previous_on is None:
        return None

    def by(on: date, as_of: date) -> date | None:
        """The day by which the body had a pack for meeting ``on`` if it counts: that of the
        meeting, or of the previous one for a meeting since moved past it (held then); None:
        it does not count."""
        if on <= previous_on:
            return on
        return previous_on if on < meeting_on and as_of < previous_on else None

    packs: dict[date, tuple[date, datetime, frozenset[str] | None]] = {
        on: (found[2], found[3], None) for on, found in read.questions.items()
    }
    earlier = [on for on, (as_of, _, _) in packs.items() if by(on, as_of) is not None]
    for on, made in read.by_hand.items():
        if on in packs:  # a pack went out for it
            continue
        kept = [
            p for p in made if (day := by(on, p.as_of)) is not None and had_by_hand(p, day, zone)
        ]
        if kept:  # the last one made by then
            last = kept[-1]
            packs[on] = (last.as_of, last.made_at, last.listed if hand_asked else None)
            earlier.append(on)
    if not earlier:
        return None
    latest = max(earlier)
    as_of, made_at, listed = packs[latest]
    return ShownBefore(latest, as_of, made_at, gone=latest not in held, listed=listed)


def pack_questions(found: PackAsked | None) -> PackQuestions:
    """What an earlier pack asked, with the rule its layout was built by (agenda layout 14
    works out what a pack that kept no reasons asked as additions)."""
    from governance.agenda_questions import PackQuestions

    if found is None:
        return PackQuestions(None, 1)
    reasons, layout, as_of, archived = found
    return PackQuestions(
        reasons, layout,
        asked_additions=layout >= AGENDA_ASK_ADDED_FROM,
        accepted_cut=layout >= AGENDA_CLOSED_ADDITIONS_FROM,  # layout 12 asked from the first sync
        closed_asked=layout < AGENDA_CLOSED_ADDITIONS_FROM,
        as_of=as_of, data_until=archived,
    )  # fmt: skip
