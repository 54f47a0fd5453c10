"""The one builder of inline plan texts for the plan-file tests, and the helpers that parse them.

``plan_text`` writes the sections in a fixed order, one line each for a flow value (``[…]``,
``{…}``) and an indented block for a value with line breaks, so a test names only what it is
about and its line numbers stay easy to count. With the defaults, the first step of ``steps`` is
on line 5 and its first action on line 8::

    schema: 1
    programme: {id: p, title: P}
    organisations: [{id: IenM, name: IenM}, {id: RIVM, name: RIVM}]
    steps:
      - number: 1          ← line 5
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from governance.plan import Plan
from governance.planfile.load import PlanInvalid, parse_plan

FIXTURES = Path(__file__).resolve().parent.parent.parent / "fixtures" / "plans"
MINIMAL = FIXTURES / "minimal.yaml"

PROGRAMME = "{id: p, title: P}"
ORGANISATIONS = "[{id: IenM, name: IenM}, {id: RIVM, name: RIVM}]"
ONE_EMPTY_STEP = "[{number: 1, title: S, actions: []}]"


def plan_text(
    steps: str = ONE_EMPTY_STEP,
    *,
    schema: str = "1",
    programme: str = PROGRAMME,
    calendar: str | None = None,
    reminders: str | None = None,
    organisations: str = ORGANISATIONS,
    contacts: str | None = None,
    governance: str | None = None,
    reports: str | None = None,
    goals: str | None = None,
    after: str = "",
) -> str:
    """A plan file's text; ``after`` is appended verbatim (e.g. a stray top-level key)."""
    sections = {
        "schema": schema,
        "programme": programme,
        "calendar": calendar,
        "reminders": reminders,
        "organisations": organisations,
        "contacts": contacts,
        "governance": governance,
        "reports": reports,
        "goals": goals,
        "steps": steps,
    }
    text = "".join(_section(key, value) for key, value in sections.items() if value is not None)
    return text + textwrap.dedent(after)


def _section(key: str, value: str) -> str:
    if "\n" not in value:
        return f"{key}: {value}\n"
    return f"{key}:\n" + textwrap.indent(textwrap.dedent(value), "  ")


def problems(text: str) -> list[str]:
    """The problem lines for a plan text (dedented), which must be invalid."""
    with pytest.raises(PlanInvalid) as info:
        parse_plan(textwrap.dedent(text), "plan.yaml")
    lines = [str(p) for p in info.value.problems]
    assert str(info.value) == "\n".join(lines)
    return lines


def plan(text: str) -> Plan:
    return parse_plan(textwrap.dedent(text), "plan.yaml")
