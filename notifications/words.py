"""Short words every channel shares, from ``notifications/templates/answer_words.txt.j2``: an
answer's status as the answer form, the Slack modals and buttons name it, and the Slack answer
buttons' labels. Jinja2 is imported when a word is first asked for."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jinja2.environment import TemplateModule

CATALOGUE = "answer_words.txt.j2"
#: The statuses an owner answers with, in the order the form and the modal offer them.
ANSWER_STATUSES = ("on_track", "at_risk", "done")
#: Every status an item's latest answer can have (the office may record ``cancelled``).
ALL_STATUSES = (*ANSWER_STATUSES, "cancelled")


def status_label(status: str) -> str:
    """``on_track`` → "Op schema"; an unknown status as it is."""
    return status_labels().get(status, status)


@cache
def status_labels() -> dict[str, str]:
    """Every status with its label, in :data:`ALL_STATUSES` order (a copy per caller is not
    needed: callers only read it)."""
    return {s: str(getattr(catalogue(CATALOGUE), f"status_{s}")()) for s in ALL_STATUSES}


def button_label(code: str) -> str:
    """A Slack answer button's label (``done_on``, ``new_date``, ``blocked``, ``modal``,
    ``edit``)."""
    return str(getattr(catalogue(CATALOGUE), f"button_{code}")())


def button_about(label: str, item_id: str) -> str:
    """A button's label that names its item, for a screen reader (Slack's
    ``accessibility_label``: at most 75 characters, so a long id is cut with an ellipsis)."""
    said = str(catalogue(CATALOGUE).button_about(label, item_id))  # type: ignore[attr-defined]
    return said if len(said) <= 75 else said[:74] + "…"


@cache
def catalogue(name: str) -> TemplateModule:
    """Catalogue ``notifications/templates/<name>`` as a module of its macros."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("notifications", "templates"),
        autoescape=False,  # plain text: escaped where it is shown
        undefined=StrictUndefined,
    )
    return env.get_template(name).module


def deputy_mark() -> str:
    """The "(plaatsvervanger)" after the name of a deputy who answered, in every channel."""
    return _word("deputy_mark")


def note_withheld(office: str) -> str:
    """Instead of a note the reader may not read (:mod:`regie.note_readers`): that one was
    given, and that only its writer and ``office`` read it."""
    return _word("note_withheld", office)


def _word(macro: str, *args: object) -> str:
    return str(getattr(catalogue(CATALOGUE), macro)(*args))
