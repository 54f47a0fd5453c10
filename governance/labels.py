"""Dutch labels for states and RAG colours, the domain's Dutch vocabulary (CLI and templates)."""

from __future__ import annotations

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
