"""Meeting schedules of governance bodies and indicators of goals (docs/plan-schema.md)."""

from __future__ import annotations

import re
from datetime import time

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode

from governance.meetings import WEEKDAYS, Frequency, MeetingRule, MeetingSchedule
from governance.plan import Indicator
from governance.planfile.nodes import (
    FLOAT,
    INT,
    Fields,
    Problems,
    date_of,
    describe,
    mappings,
    suggest,
    text_of,
)

_MEETINGS = ("time", "location", "dates", "rule", "pack_days", "request_days", "duration")
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
_TIME = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])")


def meeting_schedule(body: Fields, problems: Problems) -> MeetingSchedule | None:
    node = body.mapping("meetings")
    if node is None:
        return None
    f = Fields(node, _MEETINGS, f"{body.where} meetings", problems)
    at: time | None = None
    text = f.text("time")
    if text is not None:
        match = _TIME.fullmatch(text.strip())
        if match is None:
            problems.add(f.value("time"), f"'time' must be HH:MM (24 hours), not {text!r}")
        else:
            at = time(int(match.group(1)), int(match.group(2)))
    dates = tuple(
        d for d in (date_of(n, "each date in 'dates'", problems) for n in f.items("dates") or [])
        if d is not None
    )  # fmt: skip
    days = {}
    for key, default in (("pack_days", 5), ("request_days", 10)):
        value = f.integer(key)
        if value is not None and value < 0:
            problems.add(f.value(key), f"{key!r} must be 0 or more, not {value}")
            value = None
        days[key] = default if value is None else value
    duration = f.integer("duration")
    if duration is not None and not 1 <= duration <= 24 * 60:
        problems.add(f.value("duration"), f"'duration' must be 1–1440 minutes, not {duration}")
        duration = None
    rule = _rule(f, problems)
    if not dates and rule is None:
        problems.add(node, f"{body.where} meetings: give 'dates', a 'rule', or both")
    return MeetingSchedule(
        dates=tuple(sorted(set(dates))),
        rule=rule,
        time=at,
        location=f.text("location"),
        pack_days=days["pack_days"],
        request_days=days["request_days"],
        duration=120 if duration is None else duration,
    )


def _rule(meetings: Fields, problems: Problems) -> MeetingRule | None:
    node = meetings.mapping("rule")
    if node is None:
        return None
    f = Fields(node, _RULE, "meeting rule", problems)
    every_text = f.text("every", required=True)
    every = None
    if every_text is not None:
        names = [x.value for x in Frequency]
        if every_text not in names:
            problems.add(
                f.value("every"),
                f"'every' must be one of {', '.join(names)}, not {every_text!r}"
                f"{suggest(every_text, names)}",
            )
        else:
            every = Frequency(every_text)
    interval = f.integer("interval")
    if interval is not None and interval < 1:
        problems.add(f.value("interval"), f"'interval' must be 1 or more, not {interval}")
    weekday = None
    name = f.text("weekday")
    if name is not None:
        weekday = WEEKDAYS.get(name.lower())
        if weekday is None:
            problems.add(
                f.value("weekday"),
                f"unknown weekday {name!r}{suggest(name.lower(), list(WEEKDAYS))}",
            )
    nth = f.integer("nth")
    if nth is not None and nth not in (1, 2, 3, 4, -1):
        problems.add(f.value("nth"), f"'nth' must be 1, 2, 3, 4 or -1 (the last), not {nth}")
    day = f.integer("day")
    if day is not None and not 1 <= day <= 31:
        problems.add(f.value("day"), f"'day' must be 1–31, not {day}")
    if day is not None and (weekday is not None or nth is not None):
        problems.add(f.value("day"), "give either 'day' or 'weekday'/'nth', not both")
    if every is Frequency.WEEK and (day is not None or nth is not None):
        problems.add(node, "a weekly rule takes a 'weekday', not 'day' or 'nth'")
    start = f.date("start")
    if f.value("start") is None:
        problems.add(node, "missing required key 'start' in meeting rule")
    until = f.date("until")
    if start and until and until < start:
        problems.add(f.value("until"), f"'until' {until} is before 'start' {start}")
    exceptions = tuple(
        d for d in (date_of(n, "each date in 'except'", problems) for n in f.items("except") or [])
        if d is not None
    )  # fmt: skip
    if every is None or start is None:
        return None
    return MeetingRule(
        every=every,
        start=start,
        interval=interval if interval and interval > 0 else 1,
        weekday=weekday,
        nth=nth if nth in (1, 2, 3, 4, -1) else None,
        day=day if day is not None and 1 <= day <= 31 else None,
        until=until,
        exceptions=exceptions,
    )


def indicators(
    goal: Fields, goal_id: str, seen: dict[str, Node], problems: Problems
) -> tuple[Indicator, ...]:
    out: list[Indicator] = []
    for node in mappings(goal.items("indicators") or [], "indicator", problems):
        f = Fields(node, _INDICATOR, "indicator", problems)
        iid = f.text("id", required=True) or ""
        id_node = f.value("id")
        if iid and id_node is not None:
            if iid in seen:
                first = seen[iid].start_mark.line + 1
                problems.add(id_node, f"duplicate indicator id {iid!r} (first at line {first})")
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
    if isinstance(node, ScalarNode) and node.tag in (INT, FLOAT):
        try:
            return float(str(node.value).replace("_", ""))
        except ValueError:
            pass
    problems.add(node, f"{key!r} must be a number, not {describe(node)}")
    return None


def is_mapping(node: Node | None) -> bool:
    return isinstance(node, MappingNode)


__all__ = ["indicators", "is_mapping", "meeting_schedule", "text_of"]
