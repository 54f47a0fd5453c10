"""A plan text parsed once per test process, for the integration tests (a pytest plugin).

``governance.planfile.parse_plan`` is pure: the same text, parser version and ``accepted_by``
give the same plan, whose only tie to its file is the path string (``Plan.path`` and every
item's location). The integration tests parse the same few plan files again and again — every
new home's first load, every ``regie report reproduce`` of an archived plan, every decision's
new plan text — ≈ 0.1 s of CPU for the seed plan each time, ≈ 12 % of a sample of integration
files' CPU, half of it repeats (benchmarks/RESULTS.md §19). In an integration test a repeated
text gets the plan its first parse gave, at the asked path (:func:`tests.relocated_plan.
relocated`: a pickle of it is a fresh parse's byte for byte). A text with problems raises as
before and is not kept. The unit tests (the parser's own among them) always parse."""

from __future__ import annotations

import hashlib
from collections import OrderedDict

import pytest

import governance.planfile
from governance import parser_version
from governance.plan import Plan
from governance.planfile import load
from tests.relocated_plan import relocated

#: Plans kept: the seed, the fixture plans and the edits a file makes of them; a property test
#: that generates plans keeps only its last few.
SIZE = 24

_real = load.parse_plan
_kept: OrderedDict[tuple[str, int | None, int, int], Plan] = OrderedDict()
_on = False


def parse_plan(text: str, path: str = "<plan>", *, accepted_by: int | None = None) -> Plan:
    if not _on:
        return _real(text, path, accepted_by=accepted_by)
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    # Tests set either version to make an archive's parser older or newer than today's.
    key = (digest, accepted_by, load.PARSER_VERSION, parser_version.PARSER_VERSION)
    plan = _kept.get(key)
    if plan is None:
        plan = _real(text, path, accepted_by=accepted_by)  # problems raise: nothing kept
        _kept[key] = plan
        if len(_kept) > SIZE:
            _kept.popitem(last=False)
        return plan
    _kept.move_to_end(key)
    return plan if plan.path == path else relocated(plan, path)


# load_plan and every caller that imports the name when it runs (regie's commands) look it up.
load.parse_plan = parse_plan  # type: ignore[assignment]
governance.planfile.parse_plan = parse_plan  # type: ignore[assignment]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """On for the integration tests (their fixtures included), off for every other test."""
    global _on
    _on = "integration" in item.path.parts
