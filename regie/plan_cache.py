"""The plan file, parsed once per version: a long-running server must not reparse YAML per request.

The version key is the file's path, size and modification time; a changed file is read again on
the next call. Other callers (CLI commands run once) use ``App.load_plan`` directly.
"""

from __future__ import annotations

import os
import threading
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from regie.errors import InvalidInput

if TYPE_CHECKING:
    from governance.assessor import PlanIndex
    from governance.plan import Plan
    from governance.workdays import WorkCalendar
    from regie.bootstrap import App

_lock = threading.Lock()
_cache: dict[str, tuple[str, Plan]] = {}  # path → (version, plan): the last version read well
_failed: dict[str, tuple[str, tuple[str, ...]]] = {}  # path → (version, its problems)


def plan_version(app: App) -> str:
    path = app.settings.plan_path
    try:
        stat = os.stat(path)  # no resolve(): this runs on every feed request
    except OSError as exc:
        raise InvalidInput(f"{path}: {exc.strerror or exc}") from None
    return f"{path}:{stat.st_ino}:{stat.st_size}:{stat.st_mtime_ns}"


def version_time(version: str) -> datetime:
    """When the plan file of ``version`` (:func:`plan_version`) was written, in whole seconds."""
    return datetime.fromtimestamp(int(version.rsplit(":", 1)[1]) // 1_000_000_000, UTC)


def current_plan(app: App) -> tuple[Plan, str]:
    """The plan and its version key (part of every feed's ETag). A file that cannot be read
    raises :class:`InvalidInput` with its problems, once parsed per version: the same broken
    file is not parsed again on every request."""
    version = plan_version(app)
    key = str(app.settings.plan_path)
    cached = _cache.get(key)
    if cached is not None and cached[0] == version:
        return cached[1], version
    with _lock:
        cached = _cache.get(key)
        if cached is not None and cached[0] == version:
            return cached[1], version
        failed = _failed.get(key)
        if failed is not None and failed[0] == version:
            raise InvalidInput(*failed[1])
        try:
            plan = app.load_plan()
        except InvalidInput as exc:
            _failed[key] = (version, tuple(exc.lines))
            raise
        _cache[key] = (version, plan)
        _failed.pop(key, None)
        return plan, version


def last_good_plan(app: App) -> tuple[Plan, str] | None:
    """The plan of the last version of the file that was read well in this process, and that
    version; None when none was. While the file is broken, feeds are served from it."""
    cached = _cache.get(str(app.settings.plan_path))
    return None if cached is None else (cached[1], cached[0])


_facts_lock = threading.Lock()
_facts: dict[tuple[str, object], tuple[tuple[object, ...], dict[str, Any]]] = {}
_computing: dict[tuple[str, object], threading.Lock] = {}


def cached_facts(key: tuple[object, ...], programme_id: str, compute: Any) -> dict[str, Any]:
    """Facts derived from the store for ``key`` (day, plan version, store watermarks …): the
    assessment, item change times. Recomputed only when the key changes; one entry per
    programme and purpose (``key[0]``: the office pages, the feeds). Single flight: a caller
    arriving while the same slot is being computed waits for that result (e.g. a request
    while :class:`regie.office.Warmer` assesses) instead of computing it a second time."""
    slot = (programme_id, key[0])
    cached = _facts.get(slot)
    if cached is not None and cached[0] == key:
        return cached[1]
    with _facts_lock:
        busy = _computing.setdefault(slot, threading.Lock())
    with busy:
        cached = _facts.get(slot)
        if cached is not None and cached[0] == key:
            return cached[1]
        facts: dict[str, Any] = compute()
        with _facts_lock:
            _facts[slot] = (key, facts)
    return facts


def clear_facts() -> None:
    with _facts_lock:
        _facts.clear()


def previous_facts(programme_id: str, purpose: str) -> tuple[tuple[object, ...], dict[str, Any]]:
    """The last facts computed for ``purpose`` and their key (``((), {})`` when none): a
    computation may build on them (e.g. re-assess only what new updates touch)."""
    return _facts.get((programme_id, purpose), ((), {}))


_index_lock = threading.Lock()
_indexes: dict[int, tuple[Plan, PlanIndex, WorkCalendar]] = {}
_INDEXES = 4  # plans held (a server has one or two versions in flight)


def plan_index(plan: Plan) -> tuple[PlanIndex, WorkCalendar]:
    """The plan's index (deadlines by id, dependents) and working-day calendar, built once per
    plan object: a plan is immutable, and rebuilding its 10,000 deadlines costs 0.1 s."""
    found = _indexes.get(id(plan))
    if found is not None and found[0] is plan:
        return found[1], found[2]
    from governance.assessor import PlanIndex
    from governance.workdays import WorkCalendar

    index, calendar = PlanIndex(plan), WorkCalendar.for_plan(plan)
    with _index_lock:
        while len(_indexes) >= _INDEXES:
            _indexes.pop(next(iter(_indexes)))
        _indexes[id(plan)] = (plan, index, calendar)  # the plan held: its id is not reused
    return index, calendar
