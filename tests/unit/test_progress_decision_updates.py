"""The progress report keeps the owners' word apart from the steering group's (review "longrun",
finding 6): the update a decision records (a drop, a restore; source ``decision``) is neither
shown as the owner's explanation nor counted among the items with an owner's update; a decision
that brings a dropped item back says so ("hersteld")."""

from __future__ import annotations

from datetime import date

from governance.assessment import assess
from governance.decisions import Decision, DecisionKind
from governance.planfile import load_plan
from governance.progress import ProgressReport, build_progress
from governance.updates import StatusUpdate, UpdateStatus
from regie.reports import render_progress
from reports.render import change_text
from tests.conftest import SEED_PLAN

START, END, AS_OF = date(2015, 7, 1), date(2016, 6, 30), date(2016, 1, 15)
DROP = Decision("stuurgroep", date(2015, 10, 13), DecisionKind.CANCEL, "Gezant vervalt", "1.3.2",
                "Najaar 2015", None, id=1)  # fmt: skip
BACK = Decision("stuurgroep", date(2016, 1, 12), DecisionKind.SET_GEREED, "Gezant toch",
                "1.3.2", "Najaar 2015", "Najaar 2015", id=2)  # fmt: skip
OWNERS = (
    StatusUpdate("1.1.1", UpdateStatus.DONE, date(2015, 9, 28), comment="Afgerond", author="a"),
    StatusUpdate(
        "1.2.1",
        UpdateStatus.AT_RISK,
        date(2016, 1, 8),
        forecast=date(2016, 3, 31),
        comment="Vertraging bij de leverancier",
        author="b",
    ),
)


def _decided(d: Decision, status: UpdateStatus) -> StatusUpdate:
    """The update ``regie decision add`` records for a drop or a restore."""
    assert d.item_id is not None
    return StatusUpdate(d.item_id, status, d.meeting_on, comment=d.text, author=d.body_id,
                        source="decision")  # fmt: skip


def _report(updates: list[StatusUpdate], decisions: list[Decision]) -> ProgressReport:
    plan = load_plan(SEED_PLAN)
    return build_progress(plan, assess(plan, updates, AS_OF), START, END, decisions=decisions)


def _change(report: ProgressReport, item_id: str) -> tuple[str, ...]:
    return _words(
        next(c for s in report.steps for c in s.changed if c.item.item_id == item_id).reasons
    )


def test_a_drop_is_the_decision_not_the_owners_explanation_nor_an_owner_update() -> None:
    report = _report([*OWNERS, _decided(DROP, UpdateStatus.CANCELLED)], [DROP])
    assert report.updates_used == 2  # 1.1.1 and 1.2.1: the owners'; not 1.3.2's drop
    assert _change(report, "1.3.2") == (
        "besluit Stuurgroep Plan van aanpak MVI, 13 oktober 2015: Gezant vervalt",
    )
    assert _change(report, "1.2.1") == ("toelichting eigenaar: Vertraging bij de leverancier",)
    md = render_progress(report, "md").decode()
    assert "(2 van de " in md
    assert "toelichting eigenaar: Gezant vervalt" not in md


def test_a_restore_reads_hersteld_and_the_item_is_open() -> None:
    updates = [
        *OWNERS,
        _decided(DROP, UpdateStatus.CANCELLED),
        _decided(BACK, UpdateStatus.ON_TRACK),
    ]
    report = _report(updates, [DROP, BACK])
    assert report.updates_used == 2
    change = next(c for s in report.steps for c in s.changed if c.item.item_id == "1.3.2")
    assert _words(change.reasons) == (
        "besluit Stuurgroep Plan van aanpak MVI, 13 oktober 2015: Gezant vervalt",
        "besluit Stuurgroep Plan van aanpak MVI, 12 januari 2016: Gezant toch (hersteld)",
    )
    assert change.now == "Najaar 2015"  # its gereed, not "vervallen" nor "no new date"
    assert change.item.state == "overdue"


def _words(reasons: tuple[object, ...]) -> tuple[str, ...]:
    """A change's reasons as the report words them (reports/templates/_progress_texts.j2)."""
    return tuple(change_text(r, "reason") for r in reasons)
