"""The plan file pipeline: YAML text → composed nodes → checked rows → a typed :class:`Plan`.

- :mod:`.load` reads and parses the file (the one bit of I/O in ``governance``);
- :mod:`.nodes` reads typed, position-aware values from the composed YAML tree;
- :mod:`.build` builds the plan's top level (programme, calendar, organisations, contacts …);
- :mod:`.items` builds steps → actions → milestones from :class:`~.rows.Row` records;
- :mod:`.deps` checks ``depends_on`` (unknown ids, cycles).
"""

from governance.planfile.load import (
    PlanInvalid,
    load_plan,
    locate,
    locate_all,
    parse_plan,
    plan_outline,
    programme_named,
    validate_plan_file,
)
from governance.planfile.nodes import Problem

__all__ = [
    "PlanInvalid",
    "Problem",
    "load_plan",
    "locate",
    "locate_all",
    "parse_plan",
    "plan_outline",
    "programme_named",
    "validate_plan_file",
]
