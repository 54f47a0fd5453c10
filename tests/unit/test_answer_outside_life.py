"""A date outside the programme's life (walk32c 11): the answer form names the field and the
programme's own end (or start), not just "buiten de looptijd"."""

from __future__ import annotations

from datetime import date

from governance.answers import AnswerInput, FieldProblem, Problem, date_problems
from governance.dates import Life
from regie.texts import problem_text
from web.answers import _field_sentence

# A programme of 2026–2027, widened by the three-year margin.
LIFE = Life(date(2023, 1, 1), date(2030, 12, 31), (date(2026, 1, 1), date(2027, 12, 31)))
LABELS = {"forecast": "Verwachte datum gereed", "completed_on": "Datum gereed"}


def _problem(forecast: date | None = None, completed_on: date | None = None) -> FieldProblem:
    answer = AnswerInput("1.1", "at_risk", forecast=forecast, completed_on=completed_on)
    (problem,) = date_problems(answer, date(2026, 12, 5), LIFE)
    assert problem.code is Problem.OUTSIDE_LIFE
    return problem


def test_a_forecast_beyond_the_life_names_its_field_and_the_programmes_end() -> None:
    problem = _problem(forecast=date(2035, 1, 1))
    assert problem_text(problem) == (
        "deze datum ligt te ver na het einde van het programma (31 december 2027)"
    )
    assert _field_sentence(problem, LABELS) == (
        "Verwachte datum gereed: deze datum ligt te ver na het einde van het programma "
        "(31 december 2027)."
    )


def test_a_completion_before_the_life_names_its_field_and_the_programmes_start() -> None:
    problem = _problem(completed_on=date(2020, 3, 1))
    assert _field_sentence(problem, LABELS) == (
        "Datum gereed: deze datum ligt te ver voor het begin van het programma (1 januari 2026)."
    )
