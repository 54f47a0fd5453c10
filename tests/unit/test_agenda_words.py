"""The agenda pack's words for its points ter besluitvorming and its changes *sinds de vorige
vergadering* come from templates (``_asked_texts.j2``, ``_since*.j2``); the domain gives codes
and values. The words are frozen: every pack layout prints them, the archived ones too, so each
reads here as packs have always printed it, the cases the goldens do not reach included (no
gereed, no owner, an escalation)."""

from __future__ import annotations

from datetime import date

import pytest

from governance.agenda import ASK_REASONS, DecisionAsked, ItemLine, SinceEntry
from reports.render import asked_question, asked_reason, environment

LINE = ItemLine(
    item_id="3.9", step=3, action_id="3.9", action_title="A", title="Kennisplatform",
    owners=("IenM",), gereed="Q1-2016", due=None, forecast=None, state="overdue", rag="red",
    stale=False, note=None, note_on=None, waiting_on=(),
)  # fmt: skip

#: (reason, the values its question names, the question, the reason's label) as packs print them.
WORDS = [
    ("overdue", {}, "Nieuwe datum vaststellen voor 3.9?", "te laat"),
    ("slipped", {"forecast": date(2016, 3, 31)},
     "Verschuiving van 3.9 naar 31 maart 2016 accorderen?", "verschoven"),
    ("ratify", {"ratify_before": "Voorjaar 2016", "ratify_after": "Q2-2017"},
     "Verschuiving van 3.9 van Voorjaar 2016 naar Q2-2017 accorderen?",
     "datum gewijzigd zonder besluit"),
    ("ratify", {"ratify_after": "Q2-2017"},
     "Verschuiving van 3.9 van geen datum naar Q2-2017 accorderen?",
     "datum gewijzigd zonder besluit"),
    ("ratify", {"ratify_before": "Q2-2017"},
     "Verschuiving van 3.9 van Q2-2017 naar geen datum accorderen?",
     "datum gewijzigd zonder besluit"),
    ("red", {}, "Maatregelen vaststellen voor 3.9?", "rood"),
    ("undated", {}, "Datum vaststellen voor 3.9?", "geen datum (Ntb)"),
    ("waiting", {"waiting_on": ("1.2", "2.1.3")},
     "Termijn vaststellen voor 3.9, dat wacht op 1.2, 2.1.3?", "wacht op afhankelijkheid"),
    ("escalated", {"escalated_on": date(2015, 12, 1)},
     "Eigenaar aanspreken over 3.9 (escalatie van 1 december 2015 onbeantwoord)?",
     "escalatie onbeantwoord"),
    ("removed", {}, "Verwijdering van 3.9 uit het plan accorderen?",
     "uit het plan verwijderd zonder besluit"),
    ("removed", {"with_items": ("3.9.1", "3.9.2")},
     "Verwijdering van 3.9 (met 3.9.1, 3.9.2) uit het plan accorderen?",
     "uit het plan verwijderd zonder besluit"),
    # Layout 12 (dec45): an item added to the plan file without a decision.
    ("added", {"added_on": date(2016, 12, 19)}, "Toevoeging van 3.9 aan het plan accorderen?",
     "nieuw in het plan zonder besluit (vastgelegd op 19-12-2016)"),
    ("added", {"with_items": ("3.9.1", "3.9.2"), "added_on": date(2016, 12, 19)},
     "Toevoeging van 3.9 (met 3.9.1, 3.9.2) aan het plan accorderen?",
     "nieuw in het plan zonder besluit (vastgelegd op 19-12-2016)"),
]  # fmt: skip


@pytest.mark.parametrize(("reason", "values", "question", "label"), WORDS)
def test_each_point_is_asked_in_the_words_packs_print(
    reason: str, values: dict[str, object], question: str, label: str
) -> None:
    asked = DecisionAsked(LINE, reason, **values)  # type: ignore[arg-type]
    assert (asked_question(asked), asked_reason(asked)) == (question, label)


def test_every_reason_has_its_words() -> None:
    assert {w[0] for w in WORDS} == set(ASK_REASONS)


@pytest.mark.parametrize("catalogue", ["_since.j2", "_since_v2.j2", "_since_v1.j2"])
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_change_without_a_gereed_or_an_owner_says_so(catalogue: str, fmt: str) -> None:
    change = environment().get_template(catalogue).module.since_change  # type: ignore[attr-defined]
    on = date(2016, 9, 21)
    moved = SinceEntry("3.4.2", "T", "moved", on, None, "Q1-2017")
    assert str(change(moved, fmt)) == (
        "datum gewijzigd in het plan zonder besluit: geen datum → Q1-2017 (vastgelegd op "
        "21-09-2016)"
    )
    decided = SinceEntry("3.4.2", "T", "moved", on, "2016", None, "besluit Stuurgroep")
    assert str(change(decided, fmt)) == "datum gewijzigd: 2016 → geen datum (besluit Stuurgroep)"
    owners = SinceEntry("1.2.2", "T", "owners", on, None, "EZ")
    assert str(change(owners, fmt)) == "eigenaar gewijzigd: geen → EZ (vastgelegd op 21-09-2016)"
    owners = SinceEntry("1.2.2", "T", "owners", on, "IenM, EZ", None)
    assert str(change(owners, fmt)) == (
        "eigenaar gewijzigd: IenM, EZ → geen (vastgelegd op 21-09-2016)"
    )
