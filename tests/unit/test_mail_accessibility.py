"""The HTML mails are readable with a screen reader (WCAG 2.1 AA, as EN 301 549 asks of e-mail):
their item tables are data tables (no role="presentation", column headers with scope), every
answer link says which item it is about, a section title is a heading, and an item without a
deadline says so in its cell rather than leaving it empty."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser
from types import SimpleNamespace
from typing import Any

import pytest

from notifications.render import render

PROGRAMME = {"id": "p", "title": "Programma Test", "short_title": "Test"}
CONTACT = SimpleNamespace(name="A. Eigenaar")
BODY = SimpleNamespace(name="Stuurgroep")
ROUND = SimpleNamespace(id=1, answer_by=date(2016, 3, 31))
DUE = date(2016, 3, 31)


def _item(item_id: str, title: str, due: date | None, gereed: str) -> dict[str, Any]:
    return {
        "item_id": item_id, "title": title, "gereed": gereed, "due": due,
        "answer_url": f"https://regie.example/antwoord/{item_id}",
        "action_id": item_id.rsplit(".", 1)[0], "action_title": None, "no_contact_for": [],
        "state": "overdue", "days_overdue": 3 if due else 0, "kind": "overdue",
        "owners": ["RIVM"],
    }  # fmt: skip


# Two items with the same title: only the link's text tells them apart.
ITEMS = [
    _item("2.2.1", "Opdrachtformulering", DUE, "Q1-2016"),
    _item("2.3.1", "Opdrachtformulering", None, "Vanaf 2016"),
]
COMMON = {"contact": CONTACT, "programme": PROGRAMME, "as_of": date(2016, 4, 5), "key": "k"}
PROGRESS = {
    "answered": 1, "items": 2,
    "organisations": [{"id": "RIVM", "answered": 1, "asked": 2, "rate": 0.5}],
    "without_answer": [{"id": "2.3.1", "title": "Opdrachtformulering", "owners": ["RIVM"]}],
}  # fmt: skip
MAILS = {
    "reminder_digest": {**COMMON, "items": ITEMS, "addition": False},
    "escalation_digest": {**COMMON, "items": ITEMS, "addition": False, "steering_body": BODY},
    "round_request": {**COMMON, "items": ITEMS, "body": BODY, "round": ROUND},
    "round_chase": {**COMMON, "items": ITEMS, "body": BODY, "round": ROUND, "no_contact": []},
    "round_summary": {**COMMON, "items": [], "body": BODY, "round": ROUND, "progress": PROGRESS},
}


class Mail(HTMLParser):
    """What a screen reader is given: tables, header cells, links, headings, cells."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict[str, str | None]] = []
        self.headers: list[dict[str, str | None]] = []
        self.links: list[str] = []
        self.headings: list[str] = []
        self.header_texts: list[str] = []
        self.rows: list[list[str]] = []
        self._open: dict[str, list[str]] = {}  # tag → its text so far (a link in a cell)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append(dict(attrs))
        elif tag == "th":
            self.headers.append(dict(attrs))
        elif tag == "tr":
            self.rows.append([])
        if tag in ("a", "h1", "h2", "h3", "td", "th"):
            self._open[tag] = []

    def handle_data(self, data: str) -> None:
        for text in self._open.values():
            text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self._open:
            return
        text = " ".join("".join(self._open.pop(tag)).split())
        if tag == "a":
            self.links.append(text)
        elif tag == "td":
            self.rows[-1].append(text)
        elif tag == "th":
            self.header_texts.append(text)
        else:
            self.headings.append(text)


def _read(kind: str) -> Mail:
    mail = Mail()
    mail.feed(render(f"{kind}.html.j2", **MAILS[kind]))
    return mail


@pytest.mark.parametrize("kind", sorted(MAILS))
def test_item_tables_are_data_tables_with_column_headers(kind: str) -> None:
    mail = _read(kind)
    assert mail.tables and mail.headers
    assert all(t.get("role") is None for t in mail.tables)  # a table with <th> is data
    assert all(h.get("scope") == "col" for h in mail.headers)


@pytest.mark.parametrize(
    "kind", ["reminder_digest", "escalation_digest", "round_request", "round_chase"]
)
def test_the_item_column_is_not_called_a_milestone(kind: str) -> None:
    """An action is listed as well as a milestone: the column says neither (walk32b 10)."""
    mail = _read(kind)
    assert mail.header_texts[:4] == ["Nr", "Punt", "Gereed", "Deadline"]


@pytest.mark.parametrize("kind", ["reminder_digest", "round_request", "round_chase"])
def test_every_answer_link_names_its_item(kind: str) -> None:
    mail = _read(kind)
    assert mail.links == ["Update geven over 2.2.1", "Update geven over 2.3.1"]


@pytest.mark.parametrize("kind", ["reminder_digest", "escalation_digest", "round_request"])
def test_an_item_without_a_deadline_says_so(kind: str) -> None:
    mail = _read(kind)
    (open_ended,) = [r for r in mail.rows if r and r[0] == "2.3.1"]
    assert open_ended[2:4] == ["Vanaf 2016", "geen datum"]  # Gereed, Deadline
    (dated,) = [r for r in mail.rows if r and r[0] == "2.2.1"]
    assert dated[3] == "31 maart 2016"


def test_the_summarys_sections_are_headings() -> None:
    mail = _read("round_summary")
    assert mail.headings == ["Respons per organisatie", "Nog zonder antwoord"]
    text = render("round_summary.txt.j2", **MAILS["round_summary"])
    for heading in mail.headings:  # the text version has the same sections
        assert f"{heading}:" in text


#: Words only the HTML part has: its table's header and cells ("Nr", "geen datum") and the
#: answer links' text ("Update geven over 2.2.1").
HTML_ONLY = frozenset({"nr", "geen", "datum", "update", "geven"})


@pytest.mark.parametrize("kind", sorted(MAILS))
def test_the_html_part_says_the_words_of_the_text_part(kind: str) -> None:
    """walk58c 2: a block tag at a line's end took the line break, the only space between two
    words (trim_blocks): every reminder's HTML read "een update overde volgende 4 punten". A word
    of the HTML part that the text part does not have is such a join (or a new difference)."""
    import html
    import re

    html_part = render(f"{kind}.html.j2", **MAILS[kind])
    shown = re.sub(r"(?s)<style.*?</style>|<title>.*?</title>|<[^>]+>", " ", html_part)
    words = set(re.findall(r"[^\W\d_]+", html.unescape(shown).lower()))
    text_words = set(re.findall(r"[^\W\d_]+", render(f"{kind}.txt.j2", **MAILS[kind]).lower()))
    assert words - text_words <= HTML_ONLY, sorted(words - text_words - HTML_ONLY)


@pytest.mark.parametrize("kind", sorted(MAILS))
def test_every_mail_with_a_table_reflows_on_a_phone(kind: str) -> None:
    """A viewport and the phone rules for its tables (phone_table.html.j2): on a phone a row
    is a card, each cell under its column's name (walk58c 1: the round summary had neither,
    366 px wide at 320)."""
    html = render(f"{kind}.html.j2", **MAILS[kind])
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    mail = _read(kind)
    assert all("items" in str(t.get("class")).split() for t in mail.tables), mail.tables
    assert "td[data-label]::before" in html and 'data-label="' in html
