"""The collector paused around a bulk step and restored without walking what the step left
alive (``regie.gc_pause``; issue #8, RESULTS §5 round 20)."""

from __future__ import annotations

import gc
import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from regie import disk_cache
from regie.gc_pause import paused_gc


@pytest.fixture
def collections() -> Iterator[list[int]]:
    """The generations of the collections started while the test runs."""
    started: list[int] = []

    def seen(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            started.append(info["generation"])

    gc.collect()
    gc.callbacks.append(seen)
    try:
        yield started
    finally:
        gc.callbacks.remove(seen)


def test_restored_without_a_collection_of_what_the_step_left(collections: list[int]) -> None:
    assert gc.isenabled()
    collections.clear()
    with paused_gc():
        assert not gc.isenabled()
        kept = [[n] for n in range(50_000)]  # far above the youngest generation's threshold
    assert gc.isenabled() and collections == []
    after = [[n] for n in range(100)]  # before the fix: this set off a walk of all of ``kept``
    assert collections == [] and gc.get_count()[0] < 1_000
    assert len(kept) + len(after) == 50_100


def test_a_cycle_left_by_the_step_is_found_by_the_next_full_collection() -> None:
    class Node:
        other: Any = None

    with paused_gc():
        a, b = Node(), Node()
        a.other, b.other = b, a
        garbage = [a, b]
    del a, b, garbage
    assert gc.collect() >= 2


def test_restored_after_an_error_and_left_off_when_it_was_off() -> None:
    with pytest.raises(RuntimeError), paused_gc():
        raise RuntimeError
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_objects_frozen_by_others_stay_frozen() -> None:
    gc.freeze()  # as the command line does just before exit
    try:
        frozen = gc.get_freeze_count()
        assert frozen > 0
        with paused_gc():
            kept = [[n] for n in range(10_000)]
        # Still frozen (an unconditional unfreeze would leave none), none of the step's added
        # (a frozen object that dies meanwhile leaves the count).
        assert 0 < gc.get_freeze_count() <= frozen and gc.isenabled() and len(kept) == 10_000
    finally:
        gc.unfreeze()


def test_a_cache_entry_loads_without_a_collection_after_it(
    tmp_path: Path, collections: list[int]
) -> None:
    entry = tmp_path / "entry.pickle"
    entry.write_bytes(pickle.dumps([[n, str(n)] for n in range(50_000)]))
    gc.collect()
    collections.clear()
    value = disk_cache.load(entry)
    after = [[n] for n in range(100)]
    assert collections == [] and isinstance(value, list) and len(value) == 50_000
    assert len(after) == 100 and gc.isenabled()


def test_a_step_s_garbage_is_freed_by_the_next_young_collection() -> None:
    """``paused_gc_for_garbage`` (a report's render): its cycles are left in the youngest
    generation, not frozen into the oldest (which would keep a pack's ≈ 30 MB until the next
    full collection)."""
    import weakref

    from regie.gc_pause import paused_gc_for_garbage

    class Node:
        other: Any = None

    gc.collect()
    with paused_gc_for_garbage():
        assert not gc.isenabled()
        a, b = Node(), Node()
        a.other, b.other = b, a
        gone = weakref.ref(a)
        del a, b
    assert gc.isenabled() and gone() is not None  # nothing collected inside
    gc.collect(0)
    assert gone() is None


def test_paused_for_garbage_is_restored_after_an_error_and_left_off_when_off() -> None:
    from regie.gc_pause import paused_gc_for_garbage

    with pytest.raises(RuntimeError), paused_gc_for_garbage():
        raise RuntimeError
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc_for_garbage():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_report_is_rendered_with_the_collector_paused(monkeypatch: pytest.MonkeyPatch) -> None:
    from regie import report_render
    from reports import render as templates

    seen: list[bool] = []

    def render(template: str, **kwargs: Any) -> str:
        seen.append(gc.isenabled())
        return "made"

    monkeypatch.setattr(templates, "render", render)
    made = report_render._render_document(
        "md", template="agenda", context={}, charts=lambda fmt: {}, title="t", footer="f",
        as_of=None,
    )  # fmt: skip
    assert made == b"made" and seen == [False] and gc.isenabled()
