"""The seed programme (plan/actions.yaml) against an independent transcription of Bijlage 2.

The expected tables below are typed from the seed text (shared/seeds/000_06e20fb859bc7b4c.txt),
not generated from the YAML: they are the check that the plan file says what the plan van
aanpak says — ids, titles and *Gereed* texts verbatim and in table order.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from governance.periods import PeriodKind
from governance.plan import Action, Plan
from governance.planfile.load import load_plan

PLAN_PATH = Path(__file__).resolve().parents[2] / "plan" / "actions.yaml"

EXPECTED_STEPS: list[tuple[int, str]] = [
    (1, "Gezamenlijke ambities en doelstellingen"),
    (2, "Monitoring en benchmarking"),
    (3, "Verbetering kennis, instrumenten en opleiding inkopers en opdrachtgevers"),
    (4, "Regie en governance"),
]

Row = tuple[str, str, str | None]  # id, title, gereed (None: the table gives no date)

# (action id, title, action-level gereed, milestones), in table order.
EXPECTED_ACTIONS: list[tuple[str, str, str | None, list[Row]]] = [
    (
        "1.1",
        "Aansluiten bij convenanten, akkoorden en andere afsprakenkaders",
        None,
        [
            ("1.1.1", "Inventarisatie", "Q3-2015"),
            ("1.1.2", "Uitvoeren overlegronde", "Q1-2016"),
        ],
    ),
    (
        "1.2",
        "Nieuwe bestuurlijke afspraken",
        None,
        [
            ("1.2.1", "Verkennen draagvlak", "Najaar 2015"),
            ("1.2.2", "Opstellen nieuw afsprakenkader", None),
        ],
    ),
    (
        "1.3",
        "Verkennen inzetten ambassadeurs voor MVI",  # the table's colon left out (walk57a 9)
        None,
        [
            ("1.3.1", "Klimaatambassadeur", "Najaar 2015"),
            ("1.3.2", "Gezant Natuurlijke Hulpbronnen", "Najaar 2015"),
            (
                "1.3.3",
                "Voorzitter Platform Biodiversiteit, Ecosysteemdiensten en Economie",
                "Najaar 2015",
            ),
        ],
    ),
    ("1.4", "Implementatie aanpassingen in aanbestedingswet", "Apr 2016", []),
    (
        "1.5",
        "Internationale sociale voorwaarden",
        None,
        [
            ("1.5.1", "Pilot-aanbestedingen", "Q4-2015"),
            ("1.5.2", "Evaluatie pilot-aanbestedingen", "Q4-2015"),
            ("1.5.3", "Besluitvorming toepassing OESO-richtlijnen", "Q1-2016"),
            ("1.5.4", "Implementatie", "Apr 2016"),
        ],
    ),
    (
        "2.1",
        "Ontwikkelen systematiek benchmark op organisatieontwikkelingsniveau",
        None,
        [
            ("2.1.1", "Afstemming met medeoverheden", "Najaar 2015"),
            ("2.1.2", "Opdrachtformulering", "Q1-2016"),
            ("2.1.3", "Uitvoeren eerste benchmark obv systematiek", "Q3-2016"),
        ],
    ),
    (
        "2.2",
        "RIVM verkenning technische prestatie-indicatoren (is input voor 1)",
        None,
        [
            ("2.2.1", "Opdrachtformulering", "Q2-2015"),
            ("2.2.2", "Uitvoering onderzoek", "2016 e.v"),
        ],
    ),
    (
        "2.3",
        "Onderzoek governance monitor Telos (is deels input voor 1)",
        None,
        [
            ("2.3.1", "Opdrachtformulering", "Q2-2015"),
            ("2.3.2", "Uitvoering verkenning (input voor 1)", "Q3-2015"),
            ("2.3.3", "Uitvoering governance monitor", "2016"),
        ],
    ),
    (
        "2.4",
        "Onderzoek milieuwinst gunningcriteria en bijdrage MVI aan verduurzaming product en "
        "marktketens/groene groei",
        None,
        [
            ("2.4.1", "Opdrachtformulering", "2016"),
            ("2.4.2", "Uitvoering onderzoek", "2016 en verder"),
        ],
    ),
    (
        "3.1",
        "Behoeftepeiling bij inkooporganisaties",
        None,
        [
            ("3.1.1", "Uitvoeren behoeftepeiling", "Q4-2015"),
            ("3.1.2", "Verwerken uitkomsten in jaarprogramma", "Q4-2015"),
        ],
    ),
    (
        "3.2",
        "Opstellen jaarprogramma",
        "Q4-2015",
        [
            ("3.2.1", "Organiseren ondersteuningscapaciteit", "Najaar-2015"),
            ("3.2.2", "Organisatie inrichten op deze vormen van ondersteuning", "Voorjaar-2016"),
        ],
    ),
    (
        "3.3",
        "Open stakehoderdialogen en marktontmoetingen",
        None,
        [
            ("3.3.1", "Opdrachtformulering", "Q3-2015"),
            ("3.3.2", "Uitvoering tweetal pilots", "Q4-2015"),
            ("3.3.3", "Herhaling voor diverse productgroepen/ketens", "Vanaf 2016"),
        ],
    ),
    (
        "3.4",
        "Geschikt maken methodiek ambitieweb voor andere productgroepen en categorieën",
        None,
        [
            ("3.4.1", "Opstellen opdrachtformulering", "Q4-2015"),
            ("3.4.2", "Aangepast instrument gereed", "2016"),
        ],
    ),
    (
        "3.5",
        "Lessen Green Deals delen",
        "Periodiek",
        [
            ("3.5.1", "Uitvoeren analyse", "Q3-2015"),
            ("3.5.2", "Bijeenkomst", "Q4 -2015"),
        ],
    ),
    (
        "3.6",
        "Lessen innovatiegericht inkopen delen",
        None,
        [
            ("3.6.1", "Uitvoeren analyse", "Ntb"),
            ("3.6.2", "Lanceren innovatiemarkt", "Ntb"),
        ],
    ),
    ("3.7", "Delen lessen financieringsconstructies", "Q1-2016", []),
    (
        "3.8",
        "Ontwikkelen systematiek voor het aanbesteden op levensduurkosten.",
        None,
        [
            ("3.8.1", "Start participatie in EU traject", "Q4-2015"),
            ("3.8.2", "Opdrachtformulering", "2016"),
            ("3.8.3", "Uitwerken ladder maatschappelijke impact", "2016"),
        ],
    ),
    (
        "3.9",
        "Database met bijbehorende self-assessment tool Grondstoffen en Circulaire Economie "
        "geschikt maken voor overheidsinkopers",
        "Voorjaar 2016",
        [],
    ),
    (
        "4.1",
        "Oprichten landelijk overleg MVI",
        None,
        [
            ("4.1.1", "Benaderen deelnemers", "Najaar 2015"),
            ("4.1.2", "Organiseren eerste overleg", "Najaar 2015"),
            ("4.1.3", "Herhalen van overleg op periodieke basis", "Vanaf 2016"),
        ],
    ),
    (
        "4.2",
        "Organiseren deelname medeoverheden in opdrachtgevend beraad PIANOo",
        "Afhankelijk van overleg bestuurlijke afspraken",
        [],
    ),
    ("4.3", "Formeren stuurgroep", "idem", []),
    ("4.4", "Tweejaarlijkse voortgangsrapportage aan de Kamer", "Q4-2016/Q1-2017", []),
]

# Step 2's table has sub-headings; the actions below each one carry it as `group`.
EXPECTED_GROUPS: dict[str, str] = {
    "2.1": "Ontwikkelen systematiek voor monitoring en benchmarking",
    "2.2": "Ontwikkelen systematiek voor monitoring en benchmarking",
    "2.3": "Ontwikkelen systematiek voor monitoring en benchmarking",
    "2.4": "Impact bepalen",
}

# What each distinct Gereed text of the seed means.
EXPECTED_KINDS: dict[str, PeriodKind] = {
    "Q2-2015": PeriodKind.QUARTER,
    "Q3-2015": PeriodKind.QUARTER,
    "Q4-2015": PeriodKind.QUARTER,
    "Q4 -2015": PeriodKind.QUARTER,
    "Q1-2016": PeriodKind.QUARTER,
    "Q3-2016": PeriodKind.QUARTER,
    "Apr 2016": PeriodKind.MONTH,
    "Najaar 2015": PeriodKind.SEASON,
    "Najaar-2015": PeriodKind.SEASON,
    "Voorjaar-2016": PeriodKind.SEASON,
    "Voorjaar 2016": PeriodKind.SEASON,
    "2016": PeriodKind.YEAR,
    "Q4-2016/Q1-2017": PeriodKind.RANGE,
    "2016 e.v": PeriodKind.OPEN_ENDED,
    "2016 en verder": PeriodKind.OPEN_ENDED,
    "Vanaf 2016": PeriodKind.OPEN_ENDED,
    "Periodiek": PeriodKind.RECURRING,
    "Ntb": PeriodKind.TBD,
    "Afhankelijk van overleg bestuurlijke afspraken": PeriodKind.DEPENDENT,
}


@pytest.fixture(scope="module")
def plan() -> Plan:
    return load_plan(PLAN_PATH)


def _action(plan: Plan, action_id: str) -> Action:
    action = plan.action(action_id)
    assert action is not None, f"action {action_id} missing"
    return action


def _strings(value: Any, where: str) -> Iterator[tuple[str, str]]:
    """Every string in the loaded plan, with a path saying where it sits."""
    if isinstance(value, str):
        yield where, value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _strings(getattr(value, f.name), f"{where}.{f.name}")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{where}[{key!r}]")
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _strings(item, f"{where}[{index}]")


def test_no_control_characters_in_texts(plan: Plan) -> None:
    # Folded scalars (`>-`) in the file must come out as plain text (no stray fold markers).
    bad = [where for where, text in _strings(plan, "plan") if any(ord(c) < 32 for c in text)]
    assert bad == []


def test_programme(plan: Plan) -> None:
    assert plan.programme.id == "mvi-2015-2020"
    assert plan.programme.title == "Plan van aanpak Maatschappelijk Verantwoord Inkopen 2015–2020"
    assert plan.programme.end is not None and plan.programme.end.year == 2020


def test_four_steps_in_order(plan: Plan) -> None:
    assert [(s.number, s.title) for s in plan.steps] == EXPECTED_STEPS
    assert all(s.goal for s in plan.steps)


def test_action_ids_in_table_order(plan: Plan) -> None:
    assert [a.id for a in plan.actions()] == [row[0] for row in EXPECTED_ACTIONS]


def test_milestone_ids_in_table_order(plan: Plan) -> None:
    expected = [m[0] for row in EXPECTED_ACTIONS for m in row[3]]
    assert [m.id for m in plan.milestones()] == expected


def test_actions_match_the_table(plan: Plan) -> None:
    actual = [(a.id, a.title, a.gereed) for a in plan.actions()]
    assert actual == [(aid, title, gereed) for aid, title, gereed, _ in EXPECTED_ACTIONS]


@pytest.mark.parametrize(
    ("action_id", "milestones"), [(row[0], row[3]) for row in EXPECTED_ACTIONS]
)
def test_milestones_match_the_table(plan: Plan, action_id: str, milestones: list[Row]) -> None:
    action = _action(plan, action_id)
    assert [(m.id, m.title, m.gereed) for m in action.milestones] == milestones


def test_step_two_groups(plan: Plan) -> None:
    groups = {a.id: a.group for a in plan.actions() if a.group is not None}
    assert groups == EXPECTED_GROUPS


def test_every_gereed_parses_to_the_expected_kind(plan: Plan) -> None:
    texts: set[str] = set()
    for item in (*plan.actions(), *plan.milestones()):  # the texts as written in the file
        if item.gereed is None:
            continue
        texts.add(item.gereed)
        assert item.period is not None, f"{item.id}: {item.gereed!r} has no period"
        if item.gereed != "idem":
            assert item.period.kind is EXPECTED_KINDS[item.gereed], item.id
    # Every kind of text in the seed occurs in the file (nothing normalised away).
    assert texts == set(EXPECTED_KINDS) | {"idem"}


def test_an_idem_row_names_what_it_copies_where_it_is_shown(plan: Plan) -> None:
    """A reminder, a pack's table or a calendar event shows one row: "idem" alone says nothing
    there. The file keeps the word (decisions edit it; `plan show` prints it verbatim)."""
    shown = {d.item_id: d.gereed for d in plan.deadlines()}
    rows = {i.id: i for i in (*plan.actions(), *plan.milestones())}
    copies = [i for i in rows.values() if i.gereed == "idem"]
    assert copies  # the seed has one (4.3, below 4.2)
    for row in copies:
        assert row.period is not None and row.period.same_as is not None
        assert shown[row.id] == f"idem ({rows[row.period.same_as].gereed})"


def test_owners_are_known_and_contactable(plan: Plan) -> None:
    org_ids = {o.id for o in plan.organisations}
    with_contact = {c.organisation for c in plan.contacts}
    for item in plan.deadlines():
        assert item.owners, f"{item.item_id} has no owner"
        assert set(item.owners) <= org_ids, item.item_id
        assert set(item.owners) <= with_contact, f"{item.item_id}: an owner has no contact"


def test_named_owners(plan: Plan) -> None:
    assert _action(plan, "2.2").owners == ("RIVM",)
    assert _action(plan, "2.3").owners == ("Telos",)
    assert _action(plan, "3.7").owners == ("PIANOo",)


def test_contacts_are_fictional_placeholders(plan: Plan) -> None:
    assert plan.contacts
    assert all(c.email and c.email.endswith("@example.org") for c in plan.contacts)
    assert any(c.programme_office for c in plan.contacts)


def test_benchmark_waits_on_the_telos_verkenning_only(plan: Plan) -> None:
    """Bijlage 2: 2.2 "is input voor 1", 2.3 "is deels input voor 1", 2.3.2 "(input voor 1)".
    walk57a 2: not the whole of 2.2 (2.2.2 runs "2016 e.v") and 2.3 (the 2016 monitor 2.3.3):
    only the opdrachtformulering 2.1.2 waits, on the verkenning 2.3.2; the note says why."""
    action = _action(plan, "2.1")
    assert action.depends_on == ()
    waits = {m.id: m.depends_on for m in action.milestones}
    assert waits == {"2.1.1": (), "2.1.2": ("2.1.1", "2.3.2"), "2.1.3": ("2.1.2",)}
    assert action.note is not None and "2.3.2" in action.note and "2016 e.v" in action.note


def test_pianoo_board_depends_on_bestuurlijke_afspraken(plan: Plan) -> None:
    action = _action(plan, "4.2")
    # walk57a 2: the overleg is 1.2.1 (Najaar 2015), not the undated afsprakenkader 1.2.2.
    assert action.depends_on == ("1.2.1",)
    assert action.period is not None and action.period.kind is PeriodKind.DEPENDENT


def test_stuurgroep_is_idem_to_the_row_above(plan: Plan) -> None:
    above, action = _action(plan, "4.2"), _action(plan, "4.3")
    assert action.gereed == "idem"
    assert action.period is not None and above.period is not None
    assert action.period.same_as == "4.2"
    assert (action.period.kind, action.period.start, action.period.end) == (
        above.period.kind,
        above.period.start,
        above.period.end,
    )
    assert action.depends_on == ("1.2.1",)


def test_single_date_rows_are_explained(plan: Plan) -> None:
    # 1.2 and 3.6 give one date for two sub-items: the reading must be written down.
    assert _action(plan, "1.2").note
    assert _action(plan, "3.6").note
    three_six = _action(plan, "3.6").milestones
    assert [m.period.kind if m.period else None for m in three_six] == [PeriodKind.TBD] * 2


def test_progress_report_to_parliament(plan: Plan) -> None:
    (report,) = [r for r in plan.reports if r.action == "4.4"]
    assert report.recipient == "Tweede Kamer"
    assert report.cadence == "tweejaarlijks"


def test_governance_bodies(plan: Plan) -> None:
    bodies = {g.id: g for g in plan.governance}
    assert {"stuurgroep", "landelijk-overleg", "klankbordgroep"} <= set(bodies)
    assert {"IenM", "medeoverheden", "bedrijfsleven"} <= set(bodies["stuurgroep"].members)


def test_goals_keep_the_numbers(plan: Plan) -> None:
    texts = [g.text for g in plan.goals]
    assert any("social return" in t and "250.000" in t and "6 maanden" in t for t in texts)
    assert any("20 inkooppunten" in t and "35 categorieën" in t for t in texts)
    assert any("1,5 procent per jaar" in t for t in texts)
