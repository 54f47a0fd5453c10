"""Dutch labels for states, RAG colours and period kinds: the domain's Dutch vocabulary (CLI
and templates)."""

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

#: Ongoing work whose start is still ahead (``2028 e.v.`` in 2027: walk54 8), shown in place of
#: *doorlopend*; its state stays ``ongoing`` (:func:`governance.item_start.not_started`).
NOT_STARTED = "nog niet gestart"
#: ``regie status --state`` for it: the rows' ``not_started``, whose ``state`` stays ``ongoing``.
NOT_STARTED_KEY = "not_started"
#: What a state filter offers (``regie status --state``, the office's overview): every state
#: and *nog niet gestart*, as Regie names the items (:func:`governance.item_start.shows_as`).
FILTER_LABELS: dict[str, str] = {**STATE_LABELS, NOT_STARTED_KEY: NOT_STARTED}

RAG_LABELS: dict[str, str] = {"green": "groen", "amber": "oranje", "red": "rood", "grey": "grijs"}

#: Where a status update came from (``StatusUpdate.source``): the channel an owner answered by
#: (regie.answers.CHANNELS), the governance body's decision that cancelled or restored the item,
#: or the archived progress report that delivered it (``regie report voortgang --mark-done``).
SOURCE_LABELS: dict[str, str] = {
    "cli": "opdrachtregel",
    "import": "ingelezen spreadsheet",
    "email": "link in e-mail",
    "slack": "Slack",
    "web": "webformulier",
    "decision": "besluit",
    "report": "gearchiveerde rapportage",
    # A ``cancelled_by`` typed into the plan without a decision (store.sync_cancels).
    "plan": "planbestand, zonder besluit",
}


#: The period kinds of a *gereed* text (:class:`governance.periods.PeriodKind`).
PERIOD_KIND_LABELS: dict[str, str] = {
    "date": "datum",
    "month": "maand",
    "quarter": "kwartaal",
    "half": "halfjaar",
    "season": "seizoen",
    "year": "jaar",
    "range": "van–tot",
    # "Vanaf 2016", "2016 e.v.": a start, no end; not "doorlopend", the recurring kind's word
    # (review49b 7).
    "open_ended": "open einde (e.v.)",
    # One kind for "Periodiek", "doorlopend", "jaarlijks" …: a label that contradicts none of
    # the plan's words (walk49 12; "periodiek" alone beside "doorlopend").
    "recurring": "periodiek of doorlopend",
    "tbd": "nog te bepalen",
    "dependent": "afhankelijk",
    "same_as_above": "idem",
}


def state_label(state: str) -> str:
    return STATE_LABELS.get(state, state)


def state_key(text: str) -> str | None:
    """The state a reader names by its key (``overdue``) or its Dutch label (``te laat``), in
    any case; None for neither."""
    wanted = " ".join(text.split()).casefold()
    for key, label in STATE_LABELS.items():
        if wanted in (key, label.casefold()):
            return key
    return None


def filter_key(text: str) -> str | None:
    """The state filter a reader names by its key or its Dutch label (:data:`FILTER_LABELS`),
    in any case; None for neither."""
    wanted = " ".join(text.split()).casefold()
    for key, label in FILTER_LABELS.items():
        if wanted in (key, label.casefold()):
            return key
    return None


def id_label(key: str, name: str) -> str:
    """An organisation or body as a list shows it: "Gemeente Rivierstad (GEM)", the name with
    the id an option or filter (``--owner``, ``--body``) takes; just the id when the plan no
    longer has it or names it so (``regie status`` and the office's pages alike, walk49 9)."""
    return key if name == key else f"{name} ({key})"


def period_kind_label(kind: str) -> str:
    return PERIOD_KIND_LABELS.get(kind, kind)


def rag_label(rag: str) -> str:
    return RAG_LABELS.get(rag, rag)


def source_label(source: str | None) -> str:
    """A status update's source in Dutch; one of another kind (a later version's) is "overig",
    never its key; none recorded is "–"."""
    if not source:
        return "–"
    return SOURCE_LABELS.get(source, "overig")


MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip


def dutch_date(value: date | None) -> str:
    """``2016-04-18`` → ``18 april 2016`` (empty for no date)."""
    if value is None:
        return ""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def without_prefix(text: str, prefix: str) -> str:
    """``text`` without a leading ``prefix`` (any case) when more follows it.

    The mails and the web pages' footer say *het programma "…"*; a title that starts with that
    word would say it twice (walk54b 4: one helper for both).
    """
    if len(text) > len(prefix) and text[: len(prefix)].casefold() == prefix.casefold():
        return text[len(prefix) :]
    return text
