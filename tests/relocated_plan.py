"""A parsed plan as if parsed from another path, without parsing it again.

A test that copies a prepared home (:func:`tests.integration.migrated_template.copy_recorded`)
has the same plan file at a path of its own; the parse cache is keyed by the path, so each copy
parsed the plan again (≈ 0.1 s of CPU, per test, in every scenario file). A plan names its file
only as a string (``Plan.path`` and every item's location), so the copy's parse is the
original's with that string replaced: :func:`relocated` makes it, each shared part shared as
before (a pickle of it is the fresh parse's byte for byte: tests/unit/test_relocated_plan.py).
"""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

from governance.plan import Plan


def relocated(plan: Plan, path: str) -> Plan:
    """``plan`` with every string equal to its path replaced by ``path``."""
    assert plan.path is not None
    moved = _moved(plan, plan.path, path, {})
    assert isinstance(moved, Plan)
    return moved


def _moved(value: Any, old: str, new: str, done: dict[int, Any]) -> Any:
    if isinstance(value, str):
        return new if value == old else value
    key = id(value)
    if key in done:
        return done[key]
    result = value
    if type(value) in (tuple, list, frozenset, set):
        items = [_moved(v, old, new, done) for v in value]
        if any(a is not b for a, b in zip(items, value, strict=True)):
            result = type(value)(items)
    elif type(value) is dict:
        pairs = [(_moved(k, old, new, done), _moved(v, old, new, done)) for k, v in value.items()]
        if any(
            a is not k or b is not v for (a, b), (k, v) in zip(pairs, value.items(), strict=True)
        ):
            result = dict(pairs)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        changed = {}
        for field in dataclasses.fields(value):
            was = getattr(value, field.name)
            now = _moved(was, old, new, done)
            if now is not was:
                changed[field.name] = now
        if changed:
            result = copy.copy(value)
            for name, now in changed.items():
                object.__setattr__(result, name, now)  # frozen: set on a copy of our own
    done[key] = result
    return result
