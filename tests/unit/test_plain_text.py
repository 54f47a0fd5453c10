"""The report Markdown subset read as plain text (:mod:`reports.plain_text`)."""

from __future__ import annotations

from reports.plain_text import markdown_to_text
from reports.render import md_escape


def test_headings_tables_lists_and_charts_read_as_plain_text() -> None:
    note = "A & B <x> | y [z](u) *k*"
    md = "\n".join(
        [
            "# Agenda Raad",
            "",
            "## 1. Opening",
            "",
            "**Leeswijzer.** Tekst.",
            "",
            "### Stap 2",
            "",
            "| Nr | Actie | Eigenaar | Prognose | Toelichting |",
            "|---|---|---|---|---|",
            f"| 2.1 | Bouwen | {md_escape('Gemeente A|B')} | — | {md_escape(note)} |",
            "| Totaal | rood | 3 | | |",
            "",
            "| Stap | RAG |",
            "|---|---|",
            "| Totaal | rood |",
            "",
            "- een **punt**",
            "- nog een",
            "",
            '![RAG per stap](chart:rag "2 stappen rood, 1 groen")',
        ]
    )
    assert markdown_to_text(md) == "\n".join(
        [
            "Agenda Raad",
            "===========",
            "",
            "1. Opening",
            "----------",
            "",
            "Leeswijzer. Tekst.",
            "",
            "Stap 2",
            "",
            "- 2.1 Bouwen",
            f"  Eigenaar: Gemeente A|B · Toelichting: {note}",
            "- Totaal rood",
            "  Eigenaar: 3",
            "",
            "- Totaal: rood",
            "",
            "- een punt",
            "- nog een",
            "",
            "[RAG per stap] 2 stappen rood, 1 groen",
            "",
        ]
    )


def test_an_owner_cell_is_labelled_by_the_count_of_its_owners() -> None:
    """walk49 8: the owners' column header "Eigenaar" serves every row; as a label in the text
    part it reads "Eigenaren" for a cell that lists several owners. One owner is any name the
    plan shows one by, commas and all."""
    md = "\n".join(
        [
            "| Nr | Punt | Eigenaar | Stand |",
            "|---|---|---|---|",
            "| 1.1 | Een | Digitaal Vlaanderen, VVSG | op schema |",
            "| 1.2 | Twee | GGD Regio, afdeling Preventie | op schema |",
            "| 1.3 | Drie | VVSG | te laat |",
        ]
    )
    owners = {"Digitaal Vlaanderen", "DV", "VVSG", "GGD Regio, afdeling Preventie", "GGD"}
    assert markdown_to_text(md, owners).splitlines() == [
        "- 1.1 Een",
        "  Eigenaren: Digitaal Vlaanderen, VVSG · Stand: op schema",
        "- 1.2 Twee",
        "  Eigenaar: GGD Regio, afdeling Preventie · Stand: op schema",
        "- 1.3 Drie",
        "  Eigenaar: VVSG · Stand: te laat",
    ]
