"""Dutch labels for states and RAG colours, the domain's Dutch vocabulary (CLI and templates)."""

from __future__ import annotations

from datetime import date

STATE_LABELS: dict[str, str] = {
    "done": "gereed",
    "cancelled": "vervallen",
    "on_track": "op schema",
    "due_soon": "binnenkort",
    "overdue": "te laat",
    "slipped": "verschoven",
    "at_risk": "risico",
    "waiting": "wacht",
    "undated": "geen datum",
    "ongoing": "doorlopend",
}

RAG_LABELS: dict[str, str] = {"green": "groen", "amber": "oranje", "red": "rood", "grey": "grijs"}


def state_label(state: str) -> str:
    return STATE_LABELS.get(state, state)


def rag_label(rag: str) -> str:
    return RAG_LABELS.get(rag, rag)


MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip


def dutch_date(value: date | None) -> str:
    """``2016-04-18`` → ``18 april 2016`` (empty for no date)."""
    if value is None:
        return ""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
