"""Dutch phrases the use cases and entrypoints show that are not whole messages: catalogues of
macros in ``regie/templates/`` (why an answer was refused, what is wrong with a field or a
picked date, the privacy texts), one macro per code, rendered through one environment.

The domain says *what* (a :class:`~governance.answers.Refusal`, a
:class:`~governance.answers.Problem` and its values); this module words it. Jinja2 is imported
when a text is first needed, never when the command line starts.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jinja2 import Environment

    from governance.answers import FieldProblem, Refusal
    from governance.new_date import DateProblem
    from governance.plan import Programme

TEMPLATES = Path(__file__).parent / "templates"


@cache
def environment() -> Environment:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    from governance.characters import describe_nl
    from governance.dutch import dutch_number
    from governance.labels import dutch_date

    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=False,  # plain text: escaped where it is shown (a web page, Slack)
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["datum"] = dutch_date
    env.filters["getal"] = dutch_number  # 2.000, as the pages print a limit
    env.filters["teken"] = describe_nl  # a refused character, by what it is (never itself)
    return env


def text(template: str, **context: object) -> str:
    """A whole template (``regie/templates/<template>``) rendered on one line."""
    return _one_line(environment().get_template(template).render(**context))


def phrase(catalogue: str, code: str, values: Mapping[str, object] | None = None) -> str:
    """Macro ``code`` of ``regie/templates/<catalogue>`` on one line; the macros read the
    ``values`` that their code carries (as the catalogue's variables)."""
    return _one_line(_macro(catalogue, code, values))


def _macro(catalogue: str, code: str, values: Mapping[str, object] | None) -> str:
    module = environment().get_template(catalogue).make_module(dict(values or {}))
    return str(getattr(module, code)())


def refusal_text(
    reason: Refusal, programme: Programme | None = None, *, posted: bool = True
) -> str:
    """What a person is told when an answer was not stored, the office named as the plan's
    ``programme`` names it (None: "het programmabureau"). ``posted``: the person tried to
    answer (a Slack click, a command), so the text may say the answer was not stored; False
    leaves that out (a link only opened; a page that says it once itself)."""
    from governance.office_names import office_names

    values = {"office": office_names(programme).the, "posted": posted}
    return phrase("answers/refusals.txt.j2", reason.value, values)


def problem_text(problem: FieldProblem) -> str:
    """What is wrong with one field, as a phrase ("kies een status"): Slack's modal shows it
    under the field; the web form makes it a sentence."""
    return phrase("answers/problems.txt.j2", problem.code.value, problem.values)


def date_text(problem: DateProblem, max_years: int) -> str:
    """What is wrong with a picked date, as a sentence for its field; ``max_years``: the plan's
    ``reminders.new_date_max_years``."""
    return phrase("answers/dates.txt.j2", problem.value, {"years": max_years})


def modal_text(code: str) -> str:
    """One of the Slack modals' own errors (``regie/templates/answers/modal.txt.j2``)."""
    return phrase("answers/modal.txt.j2", code)


def modal_words(code: str, **values: object) -> str:
    """A Slack answer modal's title, label, hint or context line
    (``regie/templates/answers/modal_words.txt.j2``), with its ``values``."""
    return phrase("answers/modal_words.txt.j2", code, values)


def form_words(code: str, **values: object) -> str:
    """The answer form's labels, errors and hints that its code puts together
    (``regie/templates/answers/form_words.txt.j2``), with their ``values``."""
    return phrase("answers/form_words.txt.j2", code, values)


class FilterProblem(str):
    """A filter's problem as its Dutch line (a ``str``: lists of them compare to their text),
    with ``field``: the id of the filter form's field it is about, which a page's error
    summary links to and marks ``aria-invalid`` (walk58c 6)."""

    field: str

    def __new__(cls, text: str, field: str) -> FilterProblem:
        made = super().__new__(cls, text)
        made.field = field
        return made


#: The filter form's field (its id, as the URL parameter is named) per problem code.
FILTER_FIELDS = {
    "unknown_owner": "eigenaar",
    "unknown_step": "stap",
    "unknown_state": "status",
    "not_stale_flag": "verouderd",
    "unknown_sort": "sorteer",
    "unknown_body": "orgaan",
    "not_a_date": "vergadering",
    "unknown_effect": "gevolg",
}


def filter_text(code: str, value: str) -> FilterProblem:
    """What is wrong with a page's filter, naming its field, the ``value`` as typed
    (``regie/templates/filters.txt.j2``), with the form field's id (:data:`FILTER_FIELDS`)."""
    # One line in the catalogue; the value is shown as typed (not reflowed).
    return FilterProblem(_macro("filters.txt.j2", code, {"value": value}), FILTER_FIELDS[code])


def feed_words(code: str, **values: object) -> str:
    """A calendar feed's own words: its name by scope, a removed item's label
    (``regie/templates/feeds.txt.j2``), with their ``values``."""
    # One line in the catalogue; a name is kept as the plan writes it (not reflowed).
    return _macro("feeds.txt.j2", code, values)


def _one_line(rendered: str) -> str:
    # The catalogues wrap long texts over lines; the person reads one line.
    return " ".join(rendered.split())
