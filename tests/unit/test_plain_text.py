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
