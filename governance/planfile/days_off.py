"""``calendar.extra_days_off``: days off besides the public holidays (docs/plan-schema.md).

Each entry is a date (``2025-07-11``) or a mapping with a date and an optional name
(``{date: 2025-07-11, name: Feestdag van de Vlaamse Gemeenschap}``). They count as non-working
days wherever working days are counted: reminders, escalation counts, meeting checks, feeds.
"""

from __future__ import annotations

from datetime import date

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode

from governance.plan import ExtraDayOff
from governance.planfile.nodes import Fields, Problems, date_of, describe, items_of

_DAY_OFF = ("date", "name")


def extra_days_off(node: Node | None, problems: Problems) -> tuple[ExtraDayOff, ...]:
    """The entries of ``calendar.extra_days_off`` (``node``: its value, None when absent), by
    date; a wrong entry or a date listed twice is a problem at that entry."""
    if node is None:
        return ()
    items = items_of(node, "'extra_days_off'", problems)
    out: dict[date, ExtraDayOff] = {}
    first_at: dict[date, int] = {}
    for item in items or []:
        at: Node | None = item
        name = None
        if isinstance(item, MappingNode):
            f = Fields(item, _DAY_OFF, "an extra day off", problems)
            at = f.value("date", required=True)
            on = None if at is None else date_of(at, "'date' of an extra day off", problems)
            name = f.text("name")
        elif isinstance(item, ScalarNode):
            on = date_of(item, "each entry in 'extra_days_off'", problems)
        else:
            problems.add(
                item,
                "each entry in 'extra_days_off' must be a date (YYYY-MM-DD) or a mapping "
                f"{{date: YYYY-MM-DD, name: …}}, not {describe(item)}",
            )
            continue
        if on is None or at is None:
            continue
        if on in out:
            problems.add(at, f"extra day off {on} is listed twice (first at line {first_at[on]})")
            continue
        first_at[on] = at.start_mark.line + 1
        out[on] = ExtraDayOff(on, name)
    return tuple(out[d] for d in sorted(out))
