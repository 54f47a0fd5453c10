"""Meeting schedules of governance bodies and indicators of goals (docs/plan-schema.md)."""

from __future__ import annotations

import math
import re
from datetime import date, time

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from governance.meetings import (
    DAY_NAMES,
    WEEKDAYS,
    Frequency,
    MeetingRule,
    MeetingSchedule,
    Place,
)
from governance.plan import Indicator
from governance.planfile.nodes import (
    FLOAT,
    INT,
    Fields,
    Problems,
    clip,
    date_of,
    describe,
    id_too_long,
    mappings,
    shown,
    suggest,
    text_of,
)

_MEETINGS = (
    "time", "location", "dates", "rule", "pack_days", "request_days", "duration", "example",
)  # fmt: skip
_RULE = ("every", "interval", "weekday", "nth", "day", "start", "until", "except")
_INDICATOR = (
    "id",
    "name",
    "unit",
    "baseline",
    "baseline_date",
    "target",
    "target_date",
    "source",
    "note",
)
_DECIMAL = re.compile(r"[-+]?[0-9]+")
_TIME = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])")
#: docs/plan-schema.md, "Numbers and their ranges": a pack or a request more than 366 working
#: days (over a year) before a meeting is never meant; a rule repeats at most every 24 periods
#: (two years of months, six years of quarters); an indicator's numbers stay below 10^15, where
#: a float still holds every whole number exactly.
MAX_LEAD_DAYS = 366
MAX_INTERVAL = 24
MAX_INDICATOR = 10**15
#: A meeting rule's ``every``, in English or Dutch (as ``weekday`` takes both).
FREQUENCIES: dict[str, Frequency] = {
    **{f.value: f for f in Frequency},
    "maand": Frequency.MONTH,
    "kwartaal": Frequency.QUARTER,
    "jaar": Frequency.YEAR,
}


def meeting_schedule(
    body: Fields, problems: Problems, *, trim_location: bool = True
) -> MeetingSchedule | None:
    node = body.mapping("meetings")
    if node is None:
        return None
    f = Fields(node, _MEETINGS, f"{body.where} meetings", problems)
    at: time | None = None
    text = f.text("time")
    if text is not None:
        match = _TIME.fullmatch(text.strip())
        if match is None:
            problems.add(f.value("time"), f"'time' must be HH:MM (24 hours), not {shown(text)}")
        else:
            at = time(int(match.group(1)), int(match.group(2)))
    listed = f.items("dates") or []
    found = [
        (d, n, i) for i, n in enumerate(listed)
        if (d := date_of(n, "each date in 'dates'", problems)) is not None
    ]  # fmt: skip
    places: dict[date, Place] = {}
    indexes: dict[date, int] = {}
    for d, n, i in found:  # a date listed twice: its first place
        places.setdefault(d, _place(n))
        indexes.setdefault(d, i)
    # request_days > pack_days (below): each range is what the other one leaves.
    pack = f.integer_in("pack_days", 1, MAX_LEAD_DAYS - 1, "working days")
    request = f.integer_in("request_days", 2, MAX_LEAD_DAYS, "working days")
    days = {
        "pack_days": 5 if pack is None else pack,
        "request_days": 10 if request is None else request,
    }
    refused = any(k in f and v is None for k, v in (("pack_days", pack), ("request_days", request)))
    if not refused and days["request_days"] <= days["pack_days"]:
        # prepare-meeting runs the round from request day until pack day: none without days.
        given = {k: str(v) if k in f else f"({v}, the default)" for k, v in days.items()}
        problems.add(
            f.value("request_days" if "request_days" in f else "pack_days"),
            f"'request_days' {given['request_days']} must be more than 'pack_days' "
            f"{given['pack_days']}: owners are asked for an update from request day until "
            "the pack goes out",
        )
    duration = f.integer_in("duration", 1, 24 * 60, "minutes")
    rule = _rule(f, problems)
    # Only when neither is given: a 'dates' or 'rule' that is wrong is reported as such.
    value = f.value("dates")
    dates_given = bool(listed) or (value is not None and not isinstance(value, SequenceNode))
    if not dates_given and f.value("rule") is None:
        problems.add(node, f"{body.where} meetings: give 'dates', a 'rule', or both")
    return MeetingSchedule(
        dates=tuple(sorted(places)),
        rule=rule,
        time=at,
        location=_one_line(f.text("location")) if trim_location else f.text("location"),
        pack_days=days["pack_days"],
        request_days=days["request_days"],
        duration=120 if duration is None else duration,
        example=bool(f.boolean("example")),
        dates_at=tuple(sorted(places.items())),
        dates_index=tuple(sorted(indexes.items())),
    )


def _place(node: Node) -> Place:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _rule(meetings: Fields, problems: Problems) -> MeetingRule | None:
    node = meetings.mapping("rule")
    if node is None:
        return None
    before = len(problems)
    f = Fields(node, _RULE, "meeting rule", problems)
    every_text = f.text("every", required=True)
    every = None
    if every_text is not None:
        every = FREQUENCIES.get(every_text.strip().lower())
        if every is None:
            names = [x.value for x in Frequency]
            problems.add(
                f.value("every"),
                f"'every' must be one of {', '.join(names)} (Dutch: week, maand, kwartaal, "
                f"jaar), not {shown(every_text)}{suggest(every_text.lower(), list(FREQUENCIES))}",
            )
    interval = f.integer_in("interval", 1, MAX_INTERVAL)
    weekday = None
    name = f.text("weekday")
    if name is not None:
        weekday = WEEKDAYS.get(name.lower())
        if weekday is None:
            problems.add(
                f.value("weekday"),
                f"unknown weekday {shown(name)}{_weekday_hint(name)}",
            )
    nth = f.integer("nth")
    if nth is not None and nth not in (1, 2, 3, 4, -1):
        problems.add(f.value("nth"), f"'nth' must be 1, 2, 3, 4 or -1 (the last), not {clip(nth)}")
    day = f.integer("day")
    if day is not None and not 1 <= day <= 31:
        problems.add(f.value("day"), f"'day' must be 1–31, not {clip(day)}")
    if day is not None and (weekday is not None or nth is not None):
        problems.add(f.value("day"), "give either 'day' or 'weekday'/'nth', not both")
    if every is Frequency.WEEK and (day is not None or nth is not None):
        problems.add(node, "a weekly rule takes a 'weekday', not 'day' or 'nth'")
    start = f.date("start")
    if f.value("start") is None:
        problems.add(node, "missing required key 'start' in meeting rule")
    until = f.date("until")
    until_node = f.value("until")
    if start and until and until < start:
        problems.add(f.value("until"), f"'until' {until} is before 'start' {start}")
    rule_ok = len(problems) == before
    excepted = [
        (d, n) for n in f.items("except") or []
        if (d := date_of(n, "each date in 'except'", problems)) is not None
    ]  # fmt: skip
    if every is None or start is None:
        return None
    rule = MeetingRule(
        every=every,
        start=start,
        interval=interval or 1,
        weekday=weekday,
        nth=nth if nth in (1, 2, 3, 4, -1) else None,
        day=day if day is not None and 1 <= day <= 31 else None,
        until=until,
        exceptions=tuple(d for d, _ in excepted),
        until_at=_place(until_node) if until and until_node is not None else None,
    )
    if rule_ok:
        for d, at in excepted:
            if not rule.gives(d):
                problems.add(at, _skips_nothing(rule, d))
    return rule


def _skips_nothing(rule: MeetingRule, d: date) -> str:
    """An ``except`` date the rule never gives: most likely a typo, which would leave the
    meeting meant in place."""
    nearest = rule.nearest(d)
    near = f"the nearest it gives is {_day(nearest)}" if nearest else "it gives none"
    return f"'except' {_day(d)} is not a meeting the rule gives, so it skips nothing ({near})"


def _day(d: date) -> str:
    return f"{DAY_NAMES[d.weekday()]} {d.isoformat()}"


def indicators(
    goal: Fields, goal_id: str, seen: dict[str, Node], problems: Problems
) -> tuple[Indicator, ...]:
    out: list[Indicator] = []
    for node in mappings(goal.items("indicators") or [], "indicator", problems):
        f = Fields(node, _INDICATOR, "indicator", problems)
        iid = f.text("id", required=True) or ""
        id_node = f.value("id")
        if iid and id_node is not None:
            id_too_long(iid, "indicator", id_node, problems)
            if iid in seen:
                first = seen[iid].start_mark.line + 1
                problems.add(
                    id_node, f"duplicate indicator id {shown(iid)} (first at line {first})"
                )
            else:
                seen[iid] = id_node
        source = f.text("source", required=True)
        out.append(
            Indicator(
                id=iid,
                goal_id=goal_id,
                name=f.text("name", required=True) or "",
                unit=f.text("unit", required=True) or "",
                target=_number(f, "target", problems, required=True) or 0.0,
                target_date=f.date("target_date"),
                baseline=_number(f, "baseline", problems),
                baseline_date=f.date("baseline_date"),
                source=source,
                note=f.text("note"),
            )
        )
    return tuple(out)


def _number(f: Fields, key: str, problems: Problems, *, required: bool = False) -> float | None:
    node = f.value(key, required=required)
    if node is None:
        return None
    number = _number_value(node)
    if number is None or math.isnan(number):
        problems.add(node, f"{key!r} must be a number, not {describe(node)}")
        return None
    if not abs(number) < MAX_INDICATOR:
        problems.add(
            node, f"{key!r} must be a number between -10^15 and 10^15, not {clip(node.value)}"
        )
        return None
    return number


def _number_value(node: Node) -> float | None:
    """A YAML int or float as a float (``1e400`` and ``.inf`` infinite); None for anything else."""
    if not isinstance(node, ScalarNode) or node.tag not in (INT, FLOAT):
        return None
    text = str(node.value).replace("_", "").lower()
    sign = -1.0 if text.startswith("-") else 1.0
    try:
        if node.tag == FLOAT:
            return float(text.replace(".inf", "inf").replace(".nan", "nan"))
        if not _DECIMAL.fullmatch(text):
            return float(int(text, 0))  # 0x…, 0o…
        if len(text.lstrip("+-").lstrip("0")) > 18:
            return sign * math.inf  # past any bound; int() refuses beyond 4300 digits
        return float(int(text))
    except OverflowError:  # an int too large for a float
        return sign * math.inf
    except ValueError:
        return None


def is_mapping(node: Node | None) -> bool:
    return isinstance(node, MappingNode)


__all__ = ["indicators", "is_mapping", "meeting_schedule", "text_of"]


def _one_line(text: str | None) -> str | None:
    """A folded ``location: >`` ends with a line break the value does not mean (review57 3)."""
    return text[:-1] if text is not None and text.endswith("\n") else text


def _weekday_hint(name: str) -> str:
    """The day meant by a short form ('di', 'wo', 'thu') or a typo, else which names are read."""
    short = [d for d in WEEKDAYS if len(name) >= 2 and d.startswith(name.lower())]
    if len(short) == 1:
        return f" (did you mean {shown(short[0])}?)"
    return suggest(name.lower(), list(WEEKDAYS)) or (
        ": a day's full name in Dutch or English, such as 'dinsdag' or 'tuesday'"
    )
