"""Periods: the fuzzy *gereed* texts of a plan van aanpak, typed.

The verbatim text is always kept; the typed period says what it means. The due date of a
period is its last day (``end``). Kinds without a date (to be decided, recurring, dependent)
have ``end`` None; open-ended periods have a ``start`` but no ``end``.

``parse_period`` first normalises the text (case, runs of whitespace and line breaks, en/em
dashes, spaces around ``-`` and ``/``, trailing dots), then tries, in order:

- blank → TBD; keywords (dots and spaces ignored): ``Ntb``/``nog te bepalen``/``TBD`` → TBD,
  ``Periodiek``/``doorlopend``/``jaarlijks``/``recurring``/``ongoing`` and every cadence of a
  report (``halfjaarlijks``, ``per kwartaal``, ``elk kwartaal``, …) → RECURRING,
  ``idem``/``id.``/``same as above``/``ditto`` → SAME_AS_ABOVE;
- ``Afhankelijk van …``/``depends on …``/``dependent on …`` → DEPENDENT (no dates);
- one dated period: ``Q3-2015``, ``3e kwartaal 2015`` (QUARTER); ``H1 2016``, ``tweede helft
  2016``, ``S2 2016``, ``2de semester 2016`` (HALF: the Belgian *semester*); ``Apr 2016``,
  ``2016-04`` (MONTH); ``Najaar 2015`` (SEASON); ``2016`` (YEAR);
  ``18 april 2016``, ``April 18, 2016``, ``2016-04-18``, ``18-04-2016`` (DATE; numeric dates
  are day first, as in Dutch);
- open-ended: ``Vanaf X``/``from X`` or ``X e.v.``/``X en verder``/``X onwards``/``X and later``
  → OPEN_ENDED, start = start of X;
- a range ``X/Y``, ``X-Y``, ``X t/m Y``, ``X to Y`` (optionally after ``van``/``from``) of two
  single periods → RANGE from the start of X to the end of Y. The hyphen is tried at every
  position; more than one reading is an error, and so are parts out of order (Y must not start
  or end before X does), so a range always covers both parts. A first part without a year
  takes the last part's (``Q1-Q2 2025``, ``Q1/Q2-2025``, ``januari t/m maart 2025``);
- a deadline word before any of these: ``uiterlijk X``, ``tegen X``, ``by X``, ``no later
  than X`` → X itself (its due date is already its last day).

Choices worth knowing:

- A season whose end month precedes its start month wraps into the next year:
  ``winter 2016`` is 1 Dec 2016 – 28 Feb 2017 (meteorological, the winter that *starts* in 2016).
  Such a season may also be named with both years it touches, ``winter 2015/2016``,
  ``winter 2015-2016`` or ``winter 2015/16``: that one winter (1 Dec 2015 – 29 Feb 2016), not
  a range to the end of 2016. Two years after a season that lies within one year (``najaar
  2015/2016``) are ambiguous, and years that do not follow each other (``winter 2015/2017``)
  are wrong: both raise PeriodError. A range of two seasons (``Najaar 2015/Voorjaar 2016``) or
  with ``t/m``/``to`` (``winter 2015 t/m 2016``) is still a range.
- Vague points: ``begin``/``start``/``early`` = Q1 (QUARTER), ``eind``/``einde``/``end``/
  ``late``/``ultimo`` = Q4 (QUARTER), ``medio``/``mid`` = 1 Apr – 30 Sep (RANGE, Q2–Q3).
- Years are four digits in 1900–2199. Anything else raises PeriodError quoting the text;
  the parser never guesses.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TypeAlias

from governance.cadences import CADENCES
from governance.records import pickled_positionally


class PeriodKind(StrEnum):
    DATE = "date"  # 18 april 2016, 2016-04-18
    MONTH = "month"  # Apr 2016
    QUARTER = "quarter"  # Q3-2015
    HALF = "half"  # H1 2016
    SEASON = "season"  # Najaar 2015
    YEAR = "year"  # 2016
    RANGE = "range"  # Q4-2016/Q1-2017
    OPEN_ENDED = "open_ended"  # Vanaf 2016, 2016 e.v., 2016 en verder
    RECURRING = "recurring"  # Periodiek
    TBD = "tbd"  # Ntb
    DEPENDENT = "dependent"  # Afhankelijk van ... (the link is the item's depends_on)
    SAME_AS_ABOVE = "same_as_above"  # idem (the loader resolves it to the row above)


#: Kinds that carry a due date (``end`` is set).
DATED_KINDS = frozenset(
    {
        PeriodKind.DATE,
        PeriodKind.MONTH,
        PeriodKind.QUARTER,
        PeriodKind.HALF,
        PeriodKind.SEASON,
        PeriodKind.YEAR,
        PeriodKind.RANGE,
    }
)


@pickled_positionally
@dataclass(frozen=True, slots=True)
class Season:
    """A season as a span of months; ``end_month`` < ``start_month`` wraps into the next year."""

    start_month: int
    end_month: int


#: Meteorological seasons (the default); a plan file may override them.
DEFAULT_SEASONS: dict[str, Season] = {
    "voorjaar": Season(3, 5),
    "zomer": Season(6, 8),
    "najaar": Season(9, 11),
    "winter": Season(12, 2),
}


@pickled_positionally
@dataclass(frozen=True, slots=True)
class Period:
    kind: PeriodKind
    text: str
    start: date | None = None
    end: date | None = None
    # For SAME_AS_ABOVE resolved by the loader: the id of the row whose period this copies.
    same_as: str | None = field(default=None, compare=False)

    @property
    def due(self) -> date | None:
        """The due date: the last day of the period, None where the period has no date."""
        return self.end

    @property
    def is_dated(self) -> bool:
        return self.end is not None

    def to_json(self) -> dict[str, str | None]:
        data: dict[str, str | None] = {
            "kind": self.kind.value,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
        }
        if self.same_as:
            data["same_as"] = self.same_as
        return data


class PeriodError(ValueError):
    """The text is not a period Regie understands; the message quotes the text."""

    def __init__(self, text: str, reason: str = "unknown period") -> None:
        super().__init__(f"{reason}: {text!r}")
        self.text = text
        self.reason = reason


# --- parsing -------------------------------------------------------------------------------------

MIN_YEAR, MAX_YEAR = 1900, 2199

_Span: TypeAlias = tuple[PeriodKind, date, date]
_Builder: TypeAlias = Callable[["re.Match[str]", Mapping[str, Season]], "_Span | None"]


class _Invalid(Exception):
    """Internal: the reason a text is not a period; parse_period adds the text."""


def _names(*groups: tuple[str, ...]) -> dict[str, int]:
    return {name: number for number, names in enumerate(groups, start=1) for name in names}


#: Month names and abbreviations, Dutch and English (an abbreviation may end in a dot).
_MONTHS = _names(
    ("januari", "january", "jan"),
    ("februari", "february", "feb"),
    ("maart", "march", "mrt", "mar"),
    ("april", "apr"),
    ("mei", "may"),
    ("juni", "june", "jun"),
    ("juli", "july", "jul"),
    ("augustus", "august", "aug"),
    ("september", "sep", "sept"),
    ("oktober", "october", "okt", "oct"),
    ("november", "nov"),
    ("december", "dec"),
)
_ORDINALS = _names(
    ("1e", "1ste", "eerste", "1st", "first"),
    ("2e", "2de", "tweede", "2nd", "second"),
    ("3e", "3de", "derde", "3rd", "third"),
    ("4e", "4de", "vierde", "4th", "fourth"),
)
_UNITS = {
    **dict.fromkeys(("q", "kw", "kwartaal", "quarter"), PeriodKind.QUARTER),
    **dict.fromkeys(("h", "s", "helft", "half", "halfjaar", "semester"), PeriodKind.HALF),
}
#: Synonyms (Dutch and English) of the Dutch season names a plan defines.
_SEASON_ALIASES = {
    "lente": "voorjaar",
    "spring": "voorjaar",
    "summer": "zomer",
    "herfst": "najaar",
    "autumn": "najaar",
    "fall": "najaar",
}
#: Vague points inside a year: word -> (kind, first month, last month).
_VAGUE = {
    **dict.fromkeys(("begin", "start", "early"), (PeriodKind.QUARTER, 1, 3)),
    **dict.fromkeys(("medio", "mid", "midden"), (PeriodKind.RANGE, 4, 9)),
    **dict.fromkeys(("eind", "einde", "end", "late", "ultimo"), (PeriodKind.QUARTER, 10, 12)),
}


def _cadence_keys() -> list[str]:
    """The cadence words (:data:`governance.cadences.CADENCES`) without dots and spaces, each
    also with an adjective's final ``e`` when it ends in ``lijks``."""
    keys = [re.sub(r"[.\s]", "", c) for c in CADENCES]
    return keys + [k + "e" for k in keys if k.endswith("lijks")]


#: Undated kinds, keyed by the text without dots and spaces ("n.t.b." -> "ntb").
_KEYWORDS = {
    **dict.fromkeys(
        ("ntb", "nogtebepalen", "tbd", "tobedecided", "tobedetermined"), PeriodKind.TBD
    ),
    **dict.fromkeys(
        (
            "periodiek",
            "doorlopend",
            "continu",
            "permanent",
            "jaarlijks",
            "recurring",
            "ongoing",
            "periodic",
        ),
        PeriodKind.RECURRING,
    ),
    **dict.fromkeys(("idem", "id", "sameasabove", "ditto"), PeriodKind.SAME_AS_ABOVE),
    # Every cadence a reporting obligation's ``cadence`` reads (``halfjaarlijks``, ``per
    # kwartaal``, ``elk kwartaal``, …) is a periodic *gereed* too (walk55d 9), as ``jaarlijks``
    # always was; with an adjective's final ``e`` (``halfjaarlijkse``) as a cadence reads it.
    **{_compact: PeriodKind.RECURRING for _compact in _cadence_keys()},
}


def _rx(pattern: str) -> re.Pattern[str]:
    # ASCII: \d must not accept other scripts' digits, the year check relies on it.
    return re.compile(pattern, re.ASCII)


_DASHES = re.compile("[\u2010-\u2015\u2212]")
_AROUND_SEP = _rx(r" ?([-/]) ?")
_COMPACT = re.compile(r"[.\s]")
_DEPENDENT = _rx(r"(?:afhankelijk van|depends on|dependent on|depending on)(?: .*)?")
_OPEN = _rx(
    r"(?P<pre>(?:vanaf|from|starting(?: from)?) )?(?P<inner>.+?)"
    r"(?P<post> (?:e\.? ?v|en verder|onwards|and later|and beyond|or later))?"
)
_RANGE_PREFIX = _rx(r"(?:van|from) ")
_RANGE_SEP = _rx(r"/|-| (?:t/m|tm|tot en met|tot|to|until|till|through) ")
_Y = r"(?P<year>\d{4})"
_UNIT_WORDS = "kwartaal|quarter|halfjaar|helft|half|semester"
#: "No later than X" says no more than X does: X's due date is its last day already.
_DEADLINE_WORD = _rx(r"(?:uiterlijk|tegen|by|no later than|not later than) (?P<rest>.+)")
_HAS_YEAR = _rx(r".*\d{4}")
_TAIL_YEAR = _rx(r".*?(?P<year>\d{4})")


def _normalise(text: str) -> str:
    """One spelling per form: lower case, single spaces, no spaces around - and /, no end dots."""
    spaced = " ".join(_DASHES.sub("-", text).split()).lower()
    return _AROUND_SEP.sub(r"\1", spaced).rstrip(". ")


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _Invalid(f"year out of range {MIN_YEAR}–{MAX_YEAR}")


def _months(kind: PeriodKind, year: int, first: int, last: int) -> _Span:
    """First day of month ``first`` to last day of month ``last`` (next year if it wraps)."""
    _check_year(year)
    end_year = year + 1 if last < first else year
    end = date(end_year, last, calendar.monthrange(end_year, last)[1])
    return kind, date(year, first, 1), end


def _day(year: int, month: int, day: int) -> _Span:
    _check_year(year)
    try:
        on = date(year, month, day)
    except ValueError:
        raise _Invalid(f"no such date (day {day}, month {month}, year {year})") from None
    return PeriodKind.DATE, on, on


def _numbered(m: re.Match[str], seasons: Mapping[str, Season]) -> _Span | None:
    """Q3-2015, H1 2016, 2015 Q3, 3e kwartaal 2015, tweede helft 2016."""
    groups = m.groupdict()
    number = int(groups["n"]) if groups.get("n") else _ORDINALS.get(groups.get("ord") or "", 0)
    kind = _UNITS[m["unit"]]
    per_year = 4 if kind is PeriodKind.QUARTER else 2
    if not 1 <= number <= per_year:
        return None
    size = 12 // per_year
    return _months(kind, int(m["year"]), size * (number - 1) + 1, size * number)


def _season(word: str, seasons: Mapping[str, Season]) -> tuple[str, Season] | None:
    """The season a word names (directly or by an alias), checked; None for other words."""
    name = word if word in seasons else _SEASON_ALIASES.get(word, "")
    if name not in seasons:
        return None
    season = seasons[name]
    if not (1 <= season.start_month <= 12 and 1 <= season.end_month <= 12):
        raise _Invalid(f"season {name!r} has a month outside 1–12")
    return name, season


def _word_year(m: re.Match[str], seasons: Mapping[str, Season]) -> _Span | None:
    """A month, season or vague point followed by a year: Apr 2016, Najaar 2015, eind 2016."""
    word, year = m["word"], int(m["year"])
    if word in _MONTHS:
        return _months(PeriodKind.MONTH, year, _MONTHS[word], _MONTHS[word])
    if found := _season(word, seasons):
        season = found[1]
        return _months(PeriodKind.SEASON, year, season.start_month, season.end_month)
    if word in _VAGUE:
        kind, first, last = _VAGUE[word]
        return _months(kind, year, first, last)
    return None


def _season_years(m: re.Match[str], seasons: Mapping[str, Season]) -> _Span | None:
    """One season named with the two years it touches: winter 2015/2016, winter 2015-16.

    Only a season that wraps into the next year touches two years; it is the one that starts in
    the first year. For any other season the second year has no meaning (autumn 2015, or the
    range autumn 2015 – end of 2016?), so it is refused rather than guessed.
    """
    found = _season(m["word"], seasons)
    if found is None:
        return None  # "apr 2015/2016" and the like stay ranges
    (name, season), year, second = found, int(m["year"]), m["next"]
    _check_year(year)
    following = year + 1 if len(second) == 4 else (year + 1) % 100
    if int(second) != following:
        raise _Invalid(f"season years not consecutive ({year}, {second})")
    if season.end_month >= season.start_month:
        raise _Invalid(f"ambiguous season over two years ({name} lies within one year)")
    return _months(PeriodKind.SEASON, year, season.start_month, season.end_month)


def _year(m: re.Match[str], seasons: Mapping[str, Season]) -> _Span | None:
    return _months(PeriodKind.YEAR, int(m["year"]), 1, 12)


def _iso_month(m: re.Match[str], seasons: Mapping[str, Season]) -> _Span | None:
    month = int(m["month"])
    if not 1 <= month <= 12:
        raise _Invalid(f"no such month ({month})")
    return _months(PeriodKind.MONTH, int(m["year"]), month, month)


def _numeric_date(m: re.Match[str], seasons: Mapping[str, Season]) -> _Span | None:
    return _day(int(m["year"]), int(m["month"]), int(m["day"]))


def _named_date(m: re.Match[str], seasons: Mapping[str, Season]) -> _Span | None:
    month = _MONTHS.get(m["word"])
    return _day(int(m["year"]), month, int(m["day"])) if month else None


#: Every single (non-range, non-open) dated form, tried in order on the normalised text.
_SINGLE: tuple[tuple[re.Pattern[str], _Builder], ...] = (
    (_rx(rf"(?P<unit>q|kw|h|s)(?P<n>\d)[ /-]?{_Y}"), _numbered),
    # Year first only with a space: "2016-Q1" would make "2016-Q1-2017" ambiguous.
    (_rx(rf"{_Y} ?(?P<unit>q|kw|h|s)(?P<n>\d)"), _numbered),
    (_rx(rf"(?P<unit>semester|kwartaal) (?P<n>\d)(?: van| of)? {_Y}"), _numbered),
    (_rx(rf"(?P<ord>[a-z0-9]+) ?(?P<unit>{_UNIT_WORDS})(?: van| of)? {_Y}"), _numbered),
    (_rx(rf"(?P<word>[a-z]+)\.?(?: van| of)?[ /-]?{_Y}"), _word_year),
    # A season and the two years it touches, before the range split reads "2016" as a year.
    (_rx(rf"(?P<word>[a-z]+)\.?(?: van| of)?[ /-]?{_Y}[/-](?P<next>\d{{4}}|\d\d)"), _season_years),
    (_rx(_Y), _year),
    (_rx(rf"{_Y}-(?P<month>\d\d)"), _iso_month),
    (_rx(rf"{_Y}-(?P<month>\d\d?)-(?P<day>\d\d?)"), _numeric_date),
    # Numeric dates are day first, as in Dutch: 18-04-2016, 18/4/2016, 18.04.2016.
    (_rx(rf"(?P<day>\d\d?)(?P<sep>[-/.])(?P<month>\d\d?)(?P=sep){_Y}"), _numeric_date),
    (_rx(rf"(?P<day>\d\d?)[ -](?P<word>[a-z]+)\.?[ -]{_Y}"), _named_date),
    (_rx(rf"(?P<word>[a-z]+)\.? (?P<day>\d\d?),? {_Y}"), _named_date),
)


def _single(text: str, seasons: Mapping[str, Season]) -> _Span | None:
    for pattern, build in _SINGLE:
        match = pattern.fullmatch(text)
        if match and (span := build(match, seasons)):
            return span
    return None


def _range(text: str, seasons: Mapping[str, Season]) -> _Span | None:
    """Two single periods around one separator; the hyphen is tried at every position."""
    body = text[prefix.end() :] if (prefix := _RANGE_PREFIX.match(text)) else text
    if prefix and _single(body, seasons):
        return None  # "van winter 2015/2016" names one period: no split may make it a range
    pairs: list[tuple[_Span, _Span]] = []
    error: _Invalid | None = None
    for sep in _RANGE_SEP.finditer(body):
        head, tail = body[: sep.start()], body[sep.end() :]
        if not _HAS_YEAR.match(head) and (year := _TAIL_YEAR.match(tail)):
            head = f"{head} {year['year']}"  # "q1-q2 2025": the first part shares the year
        try:
            first = _single(head, seasons)
            last = _single(tail, seasons)
        except _Invalid as exc:  # keep the first precise reason in case no split works
            error = error or exc
            continue
        if first and last:
            pairs.append((first, last))
    if len(pairs) > 1:
        raise _Invalid("ambiguous range")
    if not pairs:
        if error:
            raise error
        return None
    (_, first_start, first_end), (_, last_start, last_end) = pairs[0]
    if last_end < first_start:
        raise _Invalid("range ends before it starts")
    if last_start < first_start or last_end < first_end:
        raise _Invalid("range parts out of order")
    return PeriodKind.RANGE, first_start, last_end


def _parse(text: str, seasons: Mapping[str, Season]) -> tuple[PeriodKind, date | None, date | None]:
    if not text.strip():
        return PeriodKind.TBD, None, None
    norm = _normalise(text)
    if keyword := _KEYWORDS.get(_COMPACT.sub("", norm)):
        return keyword, None, None
    if _DEPENDENT.fullmatch(norm):
        return PeriodKind.DEPENDENT, None, None
    if span := _single(norm, seasons):
        return span
    opened = _OPEN.fullmatch(norm)
    if opened and (opened["pre"] or opened["post"]):
        inner = _single(opened["inner"], seasons)
        if inner:
            return PeriodKind.OPEN_ENDED, inner[1], None
    if span := _range(norm, seasons):
        return span
    if deadline := _DEADLINE_WORD.fullmatch(norm):
        kind, start, end = _parse(deadline["rest"], seasons)
        if end is not None:  # "uiterlijk Ntb" or "tegen doorlopend" say nothing dated
            return kind, start, end
    raise _Invalid("unknown period")


def parse_day(text: str) -> date | None:
    """One day written as a plan writes one, or None: the DATE forms of :func:`parse_period`
    and nothing vaguer — ``15 januari 2027``, ``15 jan. 2027``, ``15-1-2027``, ``2027-01-15``,
    ``January 15, 2027`` (case and spacing as parse_period allows). The year is always
    written: a month and year, a quarter or a year alone is no day."""
    try:
        span = _single(_normalise(text), DEFAULT_SEASONS)
    except _Invalid:
        return None
    return span[1] if span is not None and span[0] is PeriodKind.DATE else None


def parse_period(text: str, seasons: dict[str, Season] | None = None) -> Period:
    """Parse a *gereed* text into a typed Period; raise PeriodError for unknown text.

    ``seasons`` maps lower-case Dutch season names to month spans; it is laid over
    DEFAULT_SEASONS, so a plan need only name the seasons it redefines. English names
    (spring, summer, autumn/fall) and lente/herfst map onto voorjaar, zomer and najaar.
    """
    table = {**DEFAULT_SEASONS, **{k.strip().lower(): v for k, v in (seasons or {}).items()}}
    try:
        kind, start, end = _parse(text, table)
    except _Invalid as exc:
        raise PeriodError(text, str(exc)) from None
    return Period(kind=kind, text=text, start=start, end=end)
