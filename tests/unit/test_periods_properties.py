"""Property-based tests for parse_period (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from governance.periods import MAX_YEAR, MIN_YEAR, Period, PeriodError, PeriodKind, parse_period

MONTH_NAMES = {
    1: ["januari", "january", "jan"],
    2: ["februari", "february", "feb"],
    3: ["maart", "march", "mrt", "mar"],
    4: ["april", "apr"],
    5: ["mei", "may"],
    6: ["juni", "june", "jun"],
    7: ["juli", "july", "jul"],
    8: ["augustus", "august", "aug"],
    9: ["september", "sep", "sept"],
    10: ["oktober", "october", "okt", "oct"],
    11: ["november", "nov"],
    12: ["december", "dec"],
}

years = st.integers(MIN_YEAR, MAX_YEAR - 1)  # room for "the next period"
quarters = st.integers(1, 4)
months = st.integers(1, 12)


def _quarter(q: int, y: int) -> Period:
    return parse_period(f"Q{q}-{y}")


def _next_quarter(q: int, y: int) -> tuple[int, int]:
    return (1, y + 1) if q == 4 else (q + 1, y)


def _month(m: int, y: int, name_index: int = 0) -> Period:
    names = MONTH_NAMES[m]
    return parse_period(f"{names[name_index % len(names)]} {y}")


def _span(period: Period) -> tuple[PeriodKind, date | None, date | None]:
    return period.kind, period.start, period.end


@given(q=quarters, y=years)
def test_quarter_is_three_whole_months_ending_before_the_next(q: int, y: int) -> None:
    period = _quarter(q, y)
    assert period.kind is PeriodKind.QUARTER
    assert period.start == date(y, 3 * q - 2, 1)
    assert period.start is not None and period.end is not None
    assert period.start <= period.end
    assert period.end + timedelta(days=1) == _quarter(*_next_quarter(q, y)).start


@given(m=months, y=years, name_index=st.integers(0, 3))
def test_month_ends_the_day_before_the_next_month(m: int, y: int, name_index: int) -> None:
    period = _month(m, y, name_index)
    after = _month(m % 12 + 1, y + (m == 12))
    assert period.kind is PeriodKind.MONTH
    assert period.start == date(y, m, 1)
    assert period.end is not None and period.start <= period.end
    assert period.end + timedelta(days=1) == after.start
    assert _span(period) == _span(parse_period(f"{y}-{m:02d}"))


@given(y=years)
def test_year_and_halves_tile_the_year(y: int) -> None:
    year, h1, h2 = parse_period(str(y)), parse_period(f"H1 {y}"), parse_period(f"H2 {y}")
    assert year.start == h1.start == date(y, 1, 1)
    assert h1.end is not None and h1.end + timedelta(days=1) == h2.start
    assert year.end == h2.end == _quarter(4, y).end
    assert year.end is not None and year.end + timedelta(days=1) == parse_period(str(y + 1)).start


@given(d=st.dates(date(MIN_YEAR, 1, 1), date(MAX_YEAR, 12, 31)))
def test_every_date_spelling_is_that_day(d: date) -> None:
    dutch = MONTH_NAMES[d.month][0]
    for text in (
        d.isoformat(),
        f"{d.day}-{d.month}-{d.year}",
        f"{d:%d/%m/%Y}",
        f"{d.day} {dutch} {d.year}",
    ):
        assert _span(parse_period(text)) == (PeriodKind.DATE, d, d)


separators = st.sampled_from(
    ["-", " ", " -", "- ", " - ", "/", " / ", "\u2013", "\u00a0-\u00a0", "  "]
)
padding = st.sampled_from(["", " ", "  ", "\n", "\t", "\u00a0"])


def _recase(text: str, flips: list[bool]) -> str:
    return "".join(
        c.upper() if flip else c.lower()
        for c, flip in zip(text, flips + [False] * len(text), strict=False)
    )


@given(
    q=quarters,
    y=years,
    sep=separators,
    flips=st.lists(st.booleans(), max_size=4),
    before=padding,
    after=padding,
    dot=st.sampled_from(["", "."]),
)
def test_quarter_spelling_variants_agree(
    q: int, y: int, sep: str, flips: list[bool], before: str, after: str, dot: str
) -> None:
    text = f"{before}{_recase('q', flips)}{q}{sep}{y}{dot}{after}"
    period = parse_period(text)
    assert _span(period) == _span(_quarter(q, y))
    assert period.text == text


@given(
    season=st.sampled_from(["najaar", "voorjaar", "zomer", "winter"]),
    y=years,
    sep=st.sampled_from([" ", "-", " - ", "  ", "\n"]),
    flips=st.lists(st.booleans(), max_size=8),
)
def test_season_and_month_spelling_variants_agree(
    season: str, y: int, sep: str, flips: list[bool]
) -> None:
    canonical = parse_period(f"{season} {y}")
    assert canonical.kind is PeriodKind.SEASON
    assert _span(parse_period(f"{_recase(season, flips)}{sep}{y}")) == _span(canonical)
    assert _span(parse_period(f"{_recase('april', flips)}{sep}{y}")) == _span(_month(4, y))


SEASONS = ("najaar", "voorjaar", "zomer")  # none wraps into the next year
simple_texts = st.one_of(
    st.builds(lambda q, y: f"Q{q}-{y}", quarters, years),
    st.builds(lambda m, y: f"{MONTH_NAMES[m][0]} {y}", months, years),
    st.builds(lambda h, y: f"H{h} {y}", st.integers(1, 2), years),
    st.builds(lambda s, y: f"{s.title()} {y}", st.sampled_from(SEASONS), years),
    st.builds(str, years),
)
range_separators = st.sampled_from(["/", " / ", " - ", " t/m ", " tot ", " to "])


@given(first=simple_texts, second=simple_texts, sep=range_separators)
@example(first="Q4-2016", second="Q1-2017", sep="/")
@example(first="Najaar 2015", second="2016", sep="/")
@example(first="zomer 2015", second="2017", sep=" - ")
def test_ranges_cover_both_parts_or_are_refused(first: str, second: str, sep: str) -> None:
    a, b = parse_period(first), parse_period(second)
    assert a.start and a.end and b.start and b.end
    text = f"{first}{sep}{second}"
    # "Najaar 2015/2016" names a season by two years, which only a wrapping season (winter) may.
    season_years = (
        first.split()[0].lower() in SEASONS and second.isdigit() and sep.strip() in ("/", "-")
    )
    try:
        period = parse_period(text)
    except PeriodError as exc:
        # Refused only when the parts are out of order, or for a season with two years.
        assert exc.text == text
        assert b.start < a.start or b.end < a.end or season_years
        return
    assert not season_years
    assert period.kind is PeriodKind.RANGE and period.text == text
    assert (period.start, period.end) == (a.start, b.end)
    assert period.start and period.end
    assert period.start <= a.start <= a.end <= period.end
    assert period.start <= b.start <= b.end <= period.end


@given(
    season=st.sampled_from(["winter", "Winter", "najaar", "voorjaar", "zomer", "autumn", "lente"]),
    y=years,
    offset=st.integers(-2, 3),
    short=st.booleans(),
    sep=st.sampled_from(["/", "-", " / ", " - ", "\u2013"]),
)
@example(season="winter", y=2015, offset=1, short=False, sep="/")
@example(season="najaar", y=2015, offset=1, short=False, sep="/")
def test_a_season_with_two_years_is_one_winter_or_refused(
    season: str, y: int, offset: int, short: bool, sep: str
) -> None:
    second = f"{(y + offset) % 100:02d}" if short else str(y + offset)
    text = f"{season} {y}{sep}{second}"
    if offset != 1:
        with pytest.raises(PeriodError, match="season years not consecutive"):
            parse_period(text)
    elif season.lower() == "winter":  # the one default season that wraps into the next year
        assert _span(parse_period(text)) == _span(parse_period(f"winter {y}"))
        assert parse_period(text).start == date(y, 12, 1)
    else:
        with pytest.raises(PeriodError, match="ambiguous season over two years"):
            parse_period(text)


@given(
    inner=simple_texts,
    form=st.sampled_from(
        ["Vanaf {}", "vanaf {}", "{} e.v.", "{} e.v", "{} en verder", "from {} onwards"]
    ),
)
def test_open_ended_starts_with_the_inner_period(inner: str, form: str) -> None:
    text = form.format(inner)
    period = parse_period(text)
    assert (period.kind, period.start, period.end) == (
        PeriodKind.OPEN_ENDED,
        parse_period(inner).start,
        None,
    )


tokens = st.sampled_from(
    ["Q", "q", "H", "3", "1", "12", "31", "2016", "2015", "1899", "2300", "-", "/", ".", " ", "\n",
     "\u2013", "e.v", "vanaf", "van", "t/m", "apr", "najaar", "winter", "kwartaal", "3e", "helft",
     "medio", "ntb", "idem", "afhankelijk", ",", "'"]
)  # fmt: skip
junk = st.one_of(st.text(max_size=40), st.lists(tokens, max_size=8).map("".join))


@given(text=junk)
def test_any_text_parses_or_raises_period_error(text: str) -> None:
    try:
        period = parse_period(text)
    except PeriodError as exc:
        assert exc.text == text
        assert repr(text) in str(exc)
        return
    assert period.text == text
    if period.start is not None and period.end is not None:
        assert period.start <= period.end
        assert MIN_YEAR <= period.start.year <= MAX_YEAR
