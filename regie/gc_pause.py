"""The cyclic garbage collector paused around one bulk step: restored without the collection
the step's allocations would set off at once (:func:`paused_gc`: what the step keeps lives on),
or with it (:func:`paused_gc_for_garbage`: what the step makes dies with it)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic garbage collector off inside (restored after, also after an error; left off
    when it was off).

    While off, the collector still counts the allocations: restored with ``gc.enable()``
    alone, the first allocation after it set off a collection that walked every object the
    step left alive (a day's results at 100k items, ≈ 80,000 objects: 25–45 ms; a cached plan
    just loaded: 25–30 ms) — soon to be freed by reference counting, or to be walked again by
    the collections of the older generations. ``gc.freeze()`` then ``gc.unfreeze()`` puts
    every tracked object in the oldest generation and zeroes the count, walking nothing; a
    cycle the step left behind is found by the next full collection. Only when nothing else
    has frozen objects (the command line freezes every object just before exit):
    ``unfreeze`` would release those too, and then the count is left as it is.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()


@contextmanager
def paused_gc_for_garbage() -> Iterator[None]:
    """The cyclic garbage collector off inside, for a step whose objects die with it (a report
    laid out and written, its charts drawn): restored as it was, also after an error.

    WeasyPrint and matplotlib allocate hundreds of thousands of objects that live until the
    step ends, so the collector, on, walks them again and again (full collections ≈ 0.35 s
    each, ≈ 10 % of a pack's CPU: RESULTS §14.3). Off, it walks them once: the first
    allocation after the step sets off a young collection that frees the step's cycles (a
    figure, a laid-out document) — not :func:`paused_gc`'s freeze, which would keep them
    until the next full collection (≈ 30 MB a pack)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
