"""A parsed plan kept on disk per file content, so an unchanged plan file is not parsed every run.

Parsing a large plan is slow (ruamel.yaml's composer is pure Python: ≈ 48 s for an 8 MB plan of
100,000 items), and the daily cycle loads the same file day after day. A valid plan is pickled
under ``REGIE_HOME/cache/`` keyed by the file's path and bytes and by the shape of the plan
classes (their fields, and how they pickle); the next load of the same bytes unpickles it. A
file with problems is never cached, so every diagnostic still comes from the parser with its
exact ``PATH:LINE:COL``. The cache is the user's own (under their REGIE_HOME) and only ever
written here; anything unreadable in it is ignored and the file parsed again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from governance.plan import Plan
    from governance.planfile import Problem

#: The checks a cached plan passed, apart from PARSER_VERSION (which is part of the plan's own
#: hash, so raising it re-syncs every plan): a file that newer checks refuse must not load from
#: a cache filled before them. 2: control characters anywhere, aliases within bounds
#: (governance/characters.py, governance/planfile/aliases.py).
CHECKS = 2


def load_plan_cached(
    path: Path, cache_dir: Path, *, write: bool = True
) -> tuple[Plan | None, list[Problem]]:
    """:func:`governance.planfile.validate_plan_file`, answered from the cache when the same
    file content was loaded before; ``write=False``: the cache is only read."""
    from governance.plan import Plan
    from regie import disk_cache

    try:
        data = path.read_bytes()
    except OSError:
        from governance.planfile import validate_plan_file

        return validate_plan_file(path)  # it says what is wrong with the file
    cached = cache_dir / f"plan-{_key(path, data)}.pickle"
    plan = disk_cache.load(cached)
    if isinstance(plan, Plan):
        return plan, []
    from governance.planfile import validate_plan_file  # ruamel.yaml: only when parsing

    plan, problems = validate_plan_file(path)
    if write and plan is not None and not problems:
        store_parsed(path, data, plan, cache_dir)
    return plan, problems


def store_parsed(path: Path, data: bytes, plan: Plan, cache_dir: Path) -> None:
    """Keep ``plan``, the parse of ``data`` read from ``path``, for the next load of that
    file with that content."""
    from regie import disk_cache

    # replace(): a copy without what the plan memoised (its deadlines), built on use.
    disk_cache.store(
        cache_dir / f"plan-{_key(path, data)}.pickle", dataclasses.replace(plan), "plan-"
    )


def _key(path: Path, data: bytes) -> str:
    from governance import periods, plan
    from governance.parser_version import PARSER_VERSION

    # Each class's fields in order, and whether its objects pickle as a call of its positional
    # constructor (governance.records.pickled_positionally): a pickle of either kind is read
    # only by a build that makes the same kind, so an upgrade parses once and caches the new one.
    shapes = [
        (cls.__name__, [f.name for f in dataclasses.fields(cls)], "_from_fields" in vars(cls))
        for module in (plan, periods)
        for cls in vars(module).values()
        if isinstance(cls, type) and dataclasses.is_dataclass(cls)
    ]
    digest = hashlib.sha256(
        f"{PARSER_VERSION}\n{CHECKS}\n{os.path.abspath(path)}\n{shapes}\n".encode()
    )
    digest.update(data)
    return digest.hexdigest()[:40]
