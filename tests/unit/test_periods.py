"""Table tests for parse_period: every *Gereed* text of the seed, the other forms, the errors."""

from __future__ import annotations

from datetime import date

import pytest

from governance.periods import (
    DATED_KINDS,
    DEFAULT_SEASONS,
    Period,
    PeriodError,
    PeriodKind,
    Season,
    parse_period,
)

K = PeriodKind
D = date

Row = tuple[str, PeriodKind, date | None, date | None]

#: Every Gereed text in Bijlage 2 of the seed, verbatim (and as the PDF extraction breaks them).
SEED: list[Row] = [
    ("Q3-2015", K.QUARTER, D(2015, 7, 1), D(2015, 9, 30)),
    ("Q1-2016", K.QUARTER, D(2016, 1, 1), D(2016, 3, 31)),
    ("Najaar 2015", K.SEASON, D(2015, 9, 1), D(2015, 11, 30)),
    ("Apr 2016", K.MONTH, D(2016, 4, 1), D(2016, 4, 30)),
    ("Q4-2015", K.QUARTER, D(2015, 10, 1), D(2015, 12, 31)),
    ("Q4 -2015", K.QUARTER, D(2015, 10, 1), D(2015, 12, 31)),
    ("Q2-2015", K.QUARTER, D(2015, 4, 1), D(2015, 6, 30)),
    ("2016 e.v", K.OPEN_ENDED, D(2016, 1, 1), None),
    ("Q3-2016", K.QUARTER, D(2016, 7, 1), D(2016, 9, 30)),
    ("2016", K.YEAR, D(2016, 1, 1), D(2016, 12, 31)),
    ("2016 en verder", K.OPEN_ENDED, D(2016, 1, 1), None),
    ("Najaar-2015", K.SEASON, D(2015, 9, 1), D(2015, 11, 30)),
    ("Voorjaar-2016", K.SEASON, D(2016, 3, 1), D(2016, 5, 31)),
    ("Vanaf 2016", K.OPEN_ENDED, D(2016, 1, 1), None),
    ("Periodiek", K.RECURRING, None, None),
    ("Ntb", K.TBD, None, None),
    ("Voorjaar 2016", K.SEASON, D(2016, 3, 1), D(2016, 5, 31)),
    ("Afhankelijk van overleg bestuurlijke afspraken", K.DEPENDENT, None, None),
    ("Afhankelijk\nvan overleg\nbestuurlijke\nafspraken", K.DEPENDENT, None, None),
    ("idem", K.SAME_AS_ABOVE, None, None),
    ("Q4-2016/Q1-2017", K.RANGE, D(2016, 10, 1), D(2017, 3, 31)),
    ("Q4-2016/Q1-\n2017", K.RANGE, D(2016, 10, 1), D(2017, 3, 31)),
]

OTHER_FORMS: list[Row] = [
    # quarters
    ("Q3 2015", K.QUARTER, D(2015, 7, 1), D(2015, 9, 30)),
    ("q3-2015", K.QUARTER, D(2015, 7, 1), D(2015, 9, 30)),
    ("Q3/2015", K.QUARTER, D(2015, 7, 1), D(2015, 9, 30)),
    ("2015 Q3", K.QUARTER, D(2015, 7, 1), D(2015, 9, 30)),
    ("2016 - Q1-2017", K.RANGE, D(2016, 1, 1), D(2017, 3, 31)),
    ("3e kwartaal 2015", K.QUARTER, D(2015, 7, 1), D(2015, 9, 30)),
    ("derde kwartaal 2015", K.QUARTER, D(2015, 7, 1), D(2015, 9, 30)),
    ("first quarter of 2016", K.QUARTER, D(2016, 1, 1), D(2016, 3, 31)),
    ("Q4\u20132016", K.QUARTER, D(2016, 10, 1), D(2016, 12, 31)),  # en dash
    # months
    ("april 2016", K.MONTH, D(2016, 4, 1), D(2016, 4, 30)),
    ("apr. 2016", K.MONTH, D(2016, 4, 1), D(2016, 4, 30)),
    ("April-2016", K.MONTH, D(2016, 4, 1), D(2016, 4, 30)),
    ("March 2016", K.MONTH, D(2016, 3, 1), D(2016, 3, 31)),
    ("mrt 2016", K.MONTH, D(2016, 3, 1), D(2016, 3, 31)),
    ("Oct 2016", K.MONTH, D(2016, 10, 1), D(2016, 10, 31)),
    ("mei 2016", K.MONTH, D(2016, 5, 1), D(2016, 5, 31)),
    ("Feb 2016", K.MONTH, D(2016, 2, 1), D(2016, 2, 29)),
    ("2016-04", K.MONTH, D(2016, 4, 1), D(2016, 4, 30)),
    # half years
    ("H1 2016", K.HALF, D(2016, 1, 1), D(2016, 6, 30)),
    ("H2-2016", K.HALF, D(2016, 7, 1), D(2016, 12, 31)),
    ("1e helft 2016", K.HALF, D(2016, 1, 1), D(2016, 6, 30)),
    ("eerste helft 2016", K.HALF, D(2016, 1, 1), D(2016, 6, 30)),
    ("tweede helft 2016", K.HALF, D(2016, 7, 1), D(2016, 12, 31)),
    ("second half of 2016", K.HALF, D(2016, 7, 1), D(2016, 12, 31)),
    # seasons (meteorological by default; winter wraps into the next year)
    ("zomer 2016", K.SEASON, D(2016, 6, 1), D(2016, 8, 31)),
    ("winter 2016", K.SEASON, D(2016, 12, 1), D(2017, 2, 28)),
    ("winter 2019", K.SEASON, D(2019, 12, 1), D(2020, 2, 29)),
    ("spring 2016", K.SEASON, D(2016, 3, 1), D(2016, 5, 31)),
    ("summer 2016", K.SEASON, D(2016, 6, 1), D(2016, 8, 31)),
    ("autumn 2016", K.SEASON, D(2016, 9, 1), D(2016, 11, 30)),
    ("fall 2016", K.SEASON, D(2016, 9, 1), D(2016, 11, 30)),
    ("herfst 2016", K.SEASON, D(2016, 9, 1), D(2016, 11, 30)),
    # a wrapping season named with both years it touches is that one season, not a range
    ("winter 2015/2016", K.SEASON, D(2015, 12, 1), D(2016, 2, 29)),
    ("winter 2015-2016", K.SEASON, D(2015, 12, 1), D(2016, 2, 29)),
    ("Winter 2015 / 2016", K.SEASON, D(2015, 12, 1), D(2016, 2, 29)),
    ("winter 2015\u20132016", K.SEASON, D(2015, 12, 1), D(2016, 2, 29)),  # en dash
    ("winter 2015/16", K.SEASON, D(2015, 12, 1), D(2016, 2, 29)),
    ("winter-2016-2017", K.SEASON, D(2016, 12, 1), D(2017, 2, 28)),
    ("winter 2099/00", K.SEASON, D(2099, 12, 1), D(2100, 2, 28)),
    ("vanaf winter 2015/2016", K.OPEN_ENDED, D(2015, 12, 1), None),
    # vague points inside a year
    ("begin 2016", K.QUARTER, D(2016, 1, 1), D(2016, 3, 31)),
    ("medio 2016", K.RANGE, D(2016, 4, 1), D(2016, 9, 30)),
    ("mid-2016", K.RANGE, D(2016, 4, 1), D(2016, 9, 30)),
    ("eind 2016", K.QUARTER, D(2016, 10, 1), D(2016, 12, 31)),
    ("einde 2016", K.QUARTER, D(2016, 10, 1), D(2016, 12, 31)),
    ("end of 2016", K.QUARTER, D(2016, 10, 1), D(2016, 12, 31)),
    # ranges
    ("Q4-2016 / Q1-2017", K.RANGE, D(2016, 10, 1), D(2017, 3, 31)),
    ("Q4-2016 - Q1-2017", K.RANGE, D(2016, 10, 1), D(2017, 3, 31)),
    ("2016-2017", K.RANGE, D(2016, 1, 1), D(2017, 12, 31)),
    ("2016/2017", K.RANGE, D(2016, 1, 1), D(2017, 12, 31)),
    ("Najaar 2015/Voorjaar 2016", K.RANGE, D(2015, 9, 1), D(2016, 5, 31)),
    ("apr 2016 t/m jun 2016", K.RANGE, D(2016, 4, 1), D(2016, 6, 30)),
    ("van apr 2016 tot en met jun 2016", K.RANGE, D(2016, 4, 1), D(2016, 6, 30)),
    ("from April 2016 to June 2016", K.RANGE, D(2016, 4, 1), D(2016, 6, 30)),
    ("2016 - 2016", K.RANGE, D(2016, 1, 1), D(2016, 12, 31)),
    ("2015/2016", K.RANGE, D(2015, 1, 1), D(2016, 12, 31)),
    ("Najaar 2015 - Voorjaar 2016", K.RANGE, D(2015, 9, 1), D(2016, 5, 31)),
    ("winter 2015/2016 t/m voorjaar 2016", K.RANGE, D(2015, 12, 1), D(2016, 5, 31)),
    ("Q3-2015/winter 2016-2017", K.RANGE, D(2015, 7, 1), D(2017, 2, 28)),
    ("winter 2015 t/m 2016", K.RANGE, D(2015, 12, 1), D(2016, 12, 31)),  # "t/m": a range
    ("apr 2015/2016", K.RANGE, D(2015, 4, 1), D(2016, 12, 31)),  # only seasons take two years
    # open-ended
    ("vanaf Q3-2016", K.OPEN_ENDED, D(2016, 7, 1), None),
    ("2016 e.v.", K.OPEN_ENDED, D(2016, 1, 1), None),
    ("2016 ev", K.OPEN_ENDED, D(2016, 1, 1), None),
    ("from 2016", K.OPEN_ENDED, D(2016, 1, 1), None),
    ("2016 onwards", K.OPEN_ENDED, D(2016, 1, 1), None),
    ("2016 and later", K.OPEN_ENDED, D(2016, 1, 1), None),
    ("from 2016 onwards", K.OPEN_ENDED, D(2016, 1, 1), None),
    ("Vanaf najaar 2016", K.OPEN_ENDED, D(2016, 9, 1), None),
    # recurring
    ("periodiek", K.RECURRING, None, None),
    ("doorlopend", K.RECURRING, None, None),
    ("jaarlijks", K.RECURRING, None, None),
    ("Recurring", K.RECURRING, None, None),
    ("ongoing", K.RECURRING, None, None),
    # to be decided
    ("NTB", K.TBD, None, None),
    ("n.t.b.", K.TBD, None, None),
    ("nog te bepalen", K.TBD, None, None),
    ("TBD", K.TBD, None, None),
    ("tbd", K.TBD, None, None),
    ("", K.TBD, None, None),
    ("  \n\t\u00a0 ", K.TBD, None, None),
    # dependent
    ("afhankelijk  van   besluit stuurgroep", K.DEPENDENT, None, None),
    ("AFHANKELIJK VAN 1.2", K.DEPENDENT, None, None),
    ("depends on action 1.2", K.DEPENDENT, None, None),
    ("Dependent on the budget", K.DEPENDENT, None, None),
    # same as above
    ("Idem", K.SAME_AS_ABOVE, None, None),
    ("id.", K.SAME_AS_ABOVE, None, None),
    ("same as above", K.SAME_AS_ABOVE, None, None),
    ("ditto", K.SAME_AS_ABOVE, None, None),
    # exact dates (numeric dates are day first)
    ("18 april 2016", K.DATE, D(2016, 4, 18), D(2016, 4, 18)),
    ("18 apr 2016", K.DATE, D(2016, 4, 18), D(2016, 4, 18)),
    ("18 apr. 2016", K.DATE, D(2016, 4, 18), D(2016, 4, 18)),
    ("1 januari 2016", K.DATE, D(2016, 1, 1), D(2016, 1, 1)),
    ("2016-04-18", K.DATE, D(2016, 4, 18), D(2016, 4, 18)),
    ("18-04-2016", K.DATE, D(2016, 4, 18), D(2016, 4, 18)),
    ("18-4-2016", K.DATE, D(2016, 4, 18), D(2016, 4, 18)),
    ("18/04/2016", K.DATE, D(2016, 4, 18), D(2016, 4, 18)),
    ("03/04/2016", K.DATE, D(2016, 4, 3), D(2016, 4, 3)),
    ("April 18, 2016", K.DATE, D(2016, 4, 18), D(2016, 4, 18)),
    ("18 April 2016", K.DATE, D(2016, 4, 18), D(2016, 4, 18)),
    ("29 februari 2016", K.DATE, D(2016, 2, 29), D(2016, 2, 29)),
    # Belgian semesters are halves
    ("2de semester 2025", K.HALF, D(2025, 7, 1), D(2025, 12, 31)),
    ("tweede semester 2025", K.HALF, D(2025, 7, 1), D(2025, 12, 31)),
    ("1ste semester 2025", K.HALF, D(2025, 1, 1), D(2025, 6, 30)),
    ("S2 2025", K.HALF, D(2025, 7, 1), D(2025, 12, 31)),
    ("S1-2025", K.HALF, D(2025, 1, 1), D(2025, 6, 30)),
    ("semester 2 2025", K.HALF, D(2025, 7, 1), D(2025, 12, 31)),
    ("kwartaal 3 2025", K.QUARTER, D(2025, 7, 1), D(2025, 9, 30)),
    # a deadline word says no more than its period
    ("tegen eind 2025", K.QUARTER, D(2025, 10, 1), D(2025, 12, 31)),
    ("uiterlijk Q2-2025", K.QUARTER, D(2025, 4, 1), D(2025, 6, 30)),
    ("Uiterlijk 18 april 2016", K.DATE, D(2016, 4, 18), D(2016, 4, 18)),
    ("by Q3 2025", K.QUARTER, D(2025, 7, 1), D(2025, 9, 30)),
    ("no later than 2016", K.YEAR, D(2016, 1, 1), D(2016, 12, 31)),
    ("uiterlijk Q4-2016/Q1-2017", K.RANGE, D(2016, 10, 1), D(2017, 3, 31)),
    # a range's first part may share the last part's year
    ("Q1-Q2 2025", K.RANGE, D(2025, 1, 1), D(2025, 6, 30)),
    ("Q1/Q2-2025", K.RANGE, D(2025, 1, 1), D(2025, 6, 30)),
    ("januari t/m maart 2025", K.RANGE, D(2025, 1, 1), D(2025, 3, 31)),
    ("mei/juni 2025", K.RANGE, D(2025, 5, 1), D(2025, 6, 30)),
    ("voorjaar-zomer 2025", K.RANGE, D(2025, 3, 1), D(2025, 8, 31)),
    ("permanent", K.RECURRING, None, None),
    # whitespace, case, dots
    ("  Q3\u00a0-\u00a02015.  ", K.QUARTER, D(2015, 7, 1), D(2015, 9, 30)),
    ("NAJAAR\n2015", K.SEASON, D(2015, 9, 1), D(2015, 11, 30)),
]


def _check(text: str, kind: PeriodKind, start: date | None, end: date | None) -> Period:
    period = parse_period(text)
    assert (period.kind, period.start, period.end) == (kind, start, end)
    assert period.text == text
    assert period.due == end
    assert period.is_dated == (kind in DATED_KINDS)
    return period


@pytest.mark.parametrize(("text", "kind", "start", "end"), SEED)
def test_seed_gereed_texts(
    text: str, kind: PeriodKind, start: date | None, end: date | None
) -> None:
    _check(text, kind, start, end)


@pytest.mark.parametrize(("text", "kind", "start", "end"), OTHER_FORMS)
def test_other_forms(text: str, kind: PeriodKind, start: date | None, end: date | None) -> None:
    _check(text, kind, start, end)


def test_to_json_of_a_seed_range() -> None:
    assert parse_period("Q4-2016/Q1-2017").to_json() == {
        "kind": "range",
        "start": "2016-10-01",
        "end": "2017-03-31",
    }


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Zomerstop", "unknown period"),
        ("Zomerstop 2016", "unknown period"),
        ("sometime", "unknown period"),
        ("Q3-2015 misschien", "unknown period"),
        ("Q5-2016", "unknown period"),
        ("H3 2016", "unknown period"),
        ("5e kwartaal 2016", "unknown period"),
        ("Q3-15", "unknown period"),
        ("Q3-'15", "unknown period"),
        ("16", "unknown period"),
        ("20160", "unknown period"),
        ("vanaf", "unknown period"),
        ("e.v.", "unknown period"),
        ("...", "unknown period"),
        ("-", "unknown period"),
        ("2016-2017-2018", "unknown period"),
        ("31 april 2016", "no such date"),
        ("2016-02-30", "no such date"),
        ("29-02-2015", "no such date"),
        ("32/01/2016", "no such date"),
        ("18-13-2016", "no such date"),
        ("2016-13", "no such month"),
        ("Q3-1899", "year out of range"),
        ("2200", "year out of range"),
        ("1 januari 1850", "year out of range"),
        ("vanaf 2300", "year out of range"),
        ("2016/2300", "year out of range"),
        ("Q1-2017/Q4-2016", "range ends before it starts"),
        ("2017 - 2016", "range ends before it starts"),
        ("2016/apr 2016", "range parts out of order"),
        # 2 Jan 2015 until 2016, or 2015 until 1 Feb 2016: refuse to pick one.
        ("2015-01-02-2016", "ambiguous range"),
        # Autumn 2015, or autumn 2015 until the end of 2016? A non-wrapping season has one year.
        ("najaar 2015/2016", "ambiguous season over two years"),
        ("Zomer 2015-2016", "ambiguous season over two years"),
        ("voorjaar 2015/16", "ambiguous season over two years"),
        ("van najaar 2015/2016", "ambiguous season over two years"),
        ("winter 2015/2017", "season years not consecutive"),
        ("winter 2016/2015", "season years not consecutive"),
        ("winter 2015/17", "season years not consecutive"),
        ("najaar 2015-2017", "season years not consecutive"),
        ("winter 1899/1900", "year out of range"),
        ("van winter 2015/2016", "unknown period"),  # one winter: "van" needs a range
        ("S3 2025", "unknown period"),
        ("3e semester 2025", "unknown period"),
        ("Q3-Q2 2025", "range ends before it starts"),
        # "no later than" something undated or open says nothing: refused, not guessed.
        ("uiterlijk Ntb", "unknown period"),
        ("tegen 2016 e.v.", "unknown period"),
        ("uiterlijk", "unknown period"),
        ("Q1 '25", "unknown period"),
    ],
)
def test_errors_quote_the_text(text: str, reason: str) -> None:
    with pytest.raises(PeriodError) as caught:
        parse_period(text)
    assert caught.value.text == text
    assert caught.value.reason.startswith(reason)
    assert repr(text) in str(caught.value)


def test_unknown_message_is_exact() -> None:
    with pytest.raises(PeriodError, match=r"^unknown period: 'Zomerstop'$"):
        parse_period("Zomerstop")


def test_period_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        parse_period("Zomerstop")


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Najaar 2015", D(2015, 8, 1), D(2015, 12, 31)),
        ("Najaar-2015", D(2015, 8, 1), D(2015, 12, 31)),
        ("autumn 2015", D(2015, 8, 1), D(2015, 12, 31)),  # English name follows the override
        ("Voorjaar 2016", D(2016, 3, 1), D(2016, 5, 31)),  # not overridden: default kept
    ],
)
def test_season_override(text: str, start: date, end: date) -> None:
    period = parse_period(text, {"najaar": Season(8, 12)})
    assert (period.kind, period.start, period.end) == (K.SEASON, start, end)


def test_season_override_in_a_range_and_open_ended() -> None:
    seasons = {"najaar": Season(8, 12), "voorjaar": Season(2, 6)}
    rng = parse_period("Najaar 2015/Voorjaar 2016", seasons)
    assert (rng.start, rng.end) == (D(2015, 8, 1), D(2016, 6, 30))
    assert parse_period("Vanaf najaar 2015", seasons).start == D(2015, 8, 1)


def test_extra_season_and_wrapping_override() -> None:
    seasons = {"Kerstreces": Season(12, 1), "winter": Season(11, 3)}
    reces = parse_period("kerstreces 2016", seasons)
    assert (reces.kind, reces.start, reces.end) == (K.SEASON, D(2016, 12, 1), D(2017, 1, 31))
    winter = parse_period("winter 2016", seasons)
    assert (winter.start, winter.end) == (D(2016, 11, 1), D(2017, 3, 31))
    with pytest.raises(PeriodError, match="unknown period"):
        parse_period("kerstreces 2016")  # only known when the plan defines it


def test_two_years_follow_the_plan_seasons() -> None:
    seasons = {"kerstreces": Season(12, 1), "winter": Season(1, 3)}
    reces = parse_period("Kerstreces 2016/2017", seasons)
    assert (reces.kind, reces.start, reces.end) == (K.SEASON, D(2016, 12, 1), D(2017, 1, 31))
    with pytest.raises(PeriodError, match="ambiguous season over two years"):
        parse_period("winter 2015/2016", seasons)  # this plan's winter lies within one year


def test_invalid_season_definition_is_a_period_error() -> None:
    with pytest.raises(PeriodError, match="month outside 1–12"):
        parse_period("zomer 2016", {"zomer": Season(6, 13)})


def test_default_seasons_untouched_by_override() -> None:
    before = dict(DEFAULT_SEASONS)
    parse_period("Najaar 2015", {"najaar": Season(8, 12)})
    assert before == DEFAULT_SEASONS
    assert parse_period("Najaar 2015").start == D(2015, 9, 1)


@pytest.mark.parametrize(
    "text",
    ["halfjaarlijks", "Halfjaarlijkse", "per kwartaal", "elk kwartaal", "ieder kwartaal",
     "Per Kwartaal.", "maandelijks", "tweejaarlijks", "twee keer per jaar", "jaarlijkse"],
)  # fmt: skip
def test_every_report_cadence_is_a_periodic_gereed(text: str) -> None:
    """walk55d 9: what a report's ``cadence`` reads is a periodic *gereed* too, as
    ``jaarlijks`` always was (parser 17 refused *unknown period*)."""
    from governance.progress import cadence_months

    _check(text, K.RECURRING, None, None)
    assert cadence_months(text.rstrip(".")) is not None  # the same words, one list


def test_a_cadence_word_inside_a_dated_period_keeps_its_date() -> None:
    _check("3e kwartaal 2015", K.QUARTER, D(2015, 7, 1), D(2015, 9, 30))
    with pytest.raises(PeriodError, match="unknown period"):
        parse_period("elk kwartaal 2015")
