"""Pickled entries under ``REGIE_HOME/cache/``, shared by the plan parse cache and the holiday
cache: a missing or unreadable entry is None (computed again by the caller), a write is atomic
and never fails a command, and each kind keeps only its newest few entries.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import tempfile
import time
from pathlib import Path

from regie.gc_pause import paused_gc

#: Entries kept per kind (file-name prefix); older ones are removed when a new one is written.
KEEP = 3
#: A temporary file of ours older than this (seconds) was left by a process that died.
STALE_TMP = 3600


def load(path: Path) -> object | None:
    """The entry at ``path``; None when it is missing or does not load.

    The cyclic garbage collector is paused while it loads (restored after without walking
    what was loaded: :func:`regie.gc_pause.paused_gc`): a cached plan of
    100,000 items is hundreds of thousands of new objects, whose allocation set off
    collections that walked them again and again (≈ 0.15 of 0.25 s, measured). Reference
    counting frees what is acyclic meanwhile; a cycle waits for the next collection."""
    with paused_gc():
        try:
            with path.open("rb") as f:
                value: object = pickle.load(f)
            return value
        except Exception:
            return None


def store(target: Path, value: object, prefix: str) -> None:
    """Write ``value`` to ``target`` (named ``<prefix>…``) so that readers see a whole file or
    none; keep the newest :data:`KEEP` entries of ``prefix``. Never raises: no cache is only
    slower."""
    tmp: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            dir=target.parent, prefix=prefix, suffix=".tmp", delete=False
        ) as f:
            tmp = Path(f.name)
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, target)
        tmp = None
        _clean(target.parent, prefix, time.time())
    except OSError:
        pass
    finally:
        if tmp is not None:  # not put in place: never left behind
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)


def _clean(directory: Path, prefix: str, now: float) -> None:
    """Keep the newest :data:`KEEP` entries of ``prefix``; remove its temporary files older than
    :data:`STALE_TMP` seconds (left by a process that died while writing one)."""
    older = sorted(directory.glob(f"{prefix}*.pickle"), key=lambda p: p.stat().st_mtime)
    for old in older[:-KEEP]:
        old.unlink(missing_ok=True)
    for tmp in directory.glob(f"{prefix}*.tmp"):
        with contextlib.suppress(OSError):
            if now - tmp.stat().st_mtime > STALE_TMP:
                tmp.unlink(missing_ok=True)
