"""Who reads a note, as the Slack modal and the update sheet say it: the meeting papers of the
plan's own steering body by its name, not "de stuurgroep" whatever the plan calls its bodies;
neutral words for a plan without one (walk28 finding 8). A second programme (Flemish)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from governance.plan import Plan
from governance.planfile.load import load_plan
from regie.slack_modals import modal
from regie.update_sheet import notice

BE_PLAN = Path(__file__).resolve().parents[1] / "fixtures" / "plans" / "circulair_bouwen_be.yaml"


def _plan() -> Plan:
    """The Flemish plan whose escalations go to its Regiegroep (not a "stuurgroep")."""
    plan = load_plan(BE_PLAN)
    bodies = tuple(
        replace(b, escalations=True) if b.id == "regiegroep" else b for b in plan.governance
    )
    return replace(plan, governance=bodies)


def _hint(plan: Plan) -> str:
    view = modal(plan, "1.1", "D1", "1.0")
    (note,) = [b for b in view["blocks"] if b.get("block_id") == "note"]
    return str(note["hint"]["text"])


def test_the_slack_hint_names_the_plans_body_and_the_calendar() -> None:
    hint = _hint(_plan())
    assert hint.startswith("Het programmasecretariaat leest dit;")
    assert "vergaderstukken (agenda) van het overleg „Regiegroep Circulair Bouwen”" in hint
    assert "stuurgroep" not in hint.lower()
    assert "uw eigen agenda-abonnement" in hint
    # Where a note goes, and no more: the messages to the item's other contacts do not quote
    # it (walk54b 2, the messages); the writer's deputy, and whom they stand in for, do
    # (review54c 4).
    assert (
        "het voortgangsrapport en uw eigen agenda-abonnement staan. Ook uw eventuele "
        "plaatsvervanger leest mee, en als u invalt degene voor wie u invalt. Geen "
        "persoonsgegevens" in hint
    )
    assert "herinneringen" not in hint


def test_without_a_body_the_hint_is_neutral() -> None:
    plan = replace(_plan(), governance=())
    hint = _hint(plan)
    assert "in de vergaderstukken (agenda), het voortgangsrapport" in hint
    assert "stuurgroep" not in hint.lower() and "overleg" not in hint
    assert "in de vergaderstukken (agenda), het voortgangsrapport" in notice(plan)


def test_the_update_sheet_names_the_plans_body() -> None:
    line = notice(_plan())
    assert "vergaderstukken (agenda) van het overleg „Regiegroep Circulair Bouwen”" in line
    assert "stuurgroep" not in line.lower() and "\n" not in line
