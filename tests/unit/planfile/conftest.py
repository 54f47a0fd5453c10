"""The minimal fixture plan, loaded once per module that asks for it."""

from __future__ import annotations

import pytest

from governance.plan import Plan
from governance.planfile.load import load_plan
from tests.unit.planfile.plantext import MINIMAL


@pytest.fixture(scope="module")
def minimal() -> Plan:
    return load_plan(MINIMAL)
