"""Agenda layout 21's words (walk56d 4, 10): the change counts of *Sinds de vorige vergadering*
take the plural above one (*3 datums gewijzigd*), and a point's reason names the meeting of
*eerder besloten op …* once, not again among the meetings it was put to the body at. Older
layouts keep their words (their packs are made again byte for byte)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from governance.agenda_model import DecisionAsked
from reports.render import environment
from tests.unit.test_agenda_questions import LINE

JAN, MAR, APR = date(2027, 1, 14), date(2027, 3, 4), date(2027, 4, 15)


def _counts(plural: bool, **counts: int) -> str:
    module = environment().get_template("_since.j2").module
    return str(module.since_counts(SimpleNamespace(counts=counts), plural))  # type: ignore[attr-defined]


def test_a_count_above_one_takes_the_plural() -> None:
    assert _counts(True, done=1, moved=3, owners=2, contact=2, cancelled=2) == (
        "1 gereed gekomen, 3 datums gewijzigd, 2 eigenaren gewijzigd, "
        "2 contactpersonen gewijzigd, 2 vervallen."
    )
    assert _counts(True, moved=1, owners=1, contact=1) == (
        "1 datum gewijzigd, 1 eigenaar gewijzigd, 1 contactpersoon gewijzigd."
    )
    # Layout 20 and before, as archived.
    assert _counts(False, moved=3, owners=2) == "3 datum gewijzigd, 2 eigenaar gewijzigd."


def _why(a: DecisionAsked, once: bool) -> str:
    module = environment().get_template("_asked.j2").module
    return str(module.asked_why(a, "md", True, True, once))  # type: ignore[attr-defined]


def _again(earlier: tuple[date, ...], other: tuple[date, ...]) -> DecisionAsked:
    return DecisionAsked(
        LINE, "overdue", "again", late_since=date(2027, 6, 30), decided_gereed="Jun 2027",
        decided_on=APR, earlier=earlier, earlier_other=other,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("earlier", "other", "now", "before"),
    [
        # walk56d 10's 8 July pack: 15 April decided, was asked there; 14 January another question.
        (
            (APR,),
            (JAN,),
            "; eerder met een andere vraag op de agenda op 14-01-2027",
            "; voor de 2e keer voorgelegd, eerder op 15-04-2027; eerder met een andere vraag op "
            "de agenda op 14-01-2027",
        ),
        # Its 27 May pack: the deciding meeting asked another question.
        ((), (APR,), "", "; eerder met een andere vraag op de agenda op 15-04-2027"),
        # Asked at the deciding meeting and before it: the count stays, the others are named.
        (
            (MAR, APR),
            (),
            "; voor de 3e keer voorgelegd, eerder ook op 04-03-2027",
            "; voor de 3e keer voorgelegd, eerder op 04-03-2027, 15-04-2027",
        ),
        # Not asked at the deciding meeting: nothing to leave out.
        ((MAR,), (JAN,), None, None),
    ],
)
def test_the_deciding_meeting_is_named_once(
    earlier: tuple[date, ...], other: tuple[date, ...], now: str | None, before: str | None
) -> None:
    head = "te laat: deadline 30-06-2027 verstreken; eerder besloten op 15-04-2027: Jun 2027, "
    head += "opnieuw niet gehaald"
    a = _again(earlier, other)
    old = _why(a, False)
    if now is None:  # both layouts alike
        assert _why(a, True) == old
        return
    assert _why(a, True) == head + now
    assert _why(a, True).count("15-04-2027") == 1
    assert old == head + before
