"""*Eerder voorgelegd* by question (agenda layout 14, walk46 11d): an item's earlier packs are
counted for a point only where they put the same question to the body (the same reason); the
times its item was on the agenda with another question are said apart.

Packs of layout 14 on keep the reasons of their points per item (``asked``); an earlier pack
kept only the items it listed, so what it asked is worked out: a pack that asked additions
(layout 12 on) asked about an item added to the plan without a decision then; a point of
another reason counts such a pack when the data of that meeting (``traced``) had the same
reason. A listed item that was no undecided addition then counts as before."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class PackQuestions:
    """What an earlier pack put to the body: per item the reasons of its points (None: the
    pack did not keep them), and its layout. For a pack that did not keep them, the rule it
    was built with, to work out what it asked (the caller knows which layout had which):
    ``asked_additions`` (it asked about additions without a decision), ``accepted_cut`` (it
    left out those accepted at the 0036 upgrade), ``closed_asked`` (it asked one done or
    cancelled), and its own day (``as_of``) and data cut-off (``data_until``, when archived)."""

    reasons: Mapping[str, frozenset[str]] | None
    layout: int
    asked_additions: bool = False
    accepted_cut: bool = False
    closed_asked: bool = False
    as_of: date | None = None
    data_until: datetime | None = None


@dataclass(frozen=True, slots=True)
class QuestionHistory:
    """The earlier packs' questions (:class:`PackQuestions`) per meeting, and per meeting the
    items then added to the plan without a decision (what a pack that asked additions put)."""

    packs: Mapping[date, PackQuestions]
    undecided_additions: Mapping[date, Collection[str]]


def by_question(
    item_id: str,
    reason: str,
    earlier: Sequence[date],
    history: QuestionHistory,
    traced: Callable[[date], bool],
) -> tuple[tuple[date, ...], tuple[date, ...]]:
    """Of ``earlier`` (the meetings whose pack listed the item): those that asked the same
    question (``reason``), and those that asked another. ``traced``: whether the data as they
    stood on a meeting gave the item this reason (only some reasons can be traced)."""
    same: list[date] = []
    other: list[date] = []
    for on in earlier:
        pack = history.packs.get(on)
        if pack is not None and pack.reasons is not None:
            asked = reason in pack.reasons.get(item_id, frozenset())
        elif (
            pack is not None
            and pack.asked_additions
            and item_id in history.undecided_additions.get(on, ())
        ):
            # It was asked as an addition; another reason only when the data then had it.
            asked = reason == "added" or traced(on)
        else:
            asked = reason != "added"  # listed for what its data raised, not as an addition
        (same if asked else other).append(on)
    return tuple(same), tuple(other)
