"""The on-disk parse cache: an unchanged plan file is unpickled, a bad one always parsed."""

from __future__ import annotations

import dataclasses
import gc
import pickle
from pathlib import Path

import pytest

from governance import periods
from governance import plan as plan_module
from governance.planfile import validate_plan_file
from regie import disk_cache
from regie.parse_cache import _key, load_plan_cached
from tests.conftest import SEED_PLAN


def test_same_bytes_come_from_the_cache_and_bad_files_are_never_cached(tmp_path: Path) -> None:
    plan_file, cache = tmp_path / "plan.yaml", tmp_path / "cache"
    text = SEED_PLAN.read_text(encoding="utf-8")
    plan_file.write_text(text, encoding="utf-8")
    parsed, problems = load_plan_cached(plan_file, cache)
    assert parsed is not None and problems == []
    [entry] = cache.glob("plan-*.pickle")
    again, _ = load_plan_cached(plan_file, cache)
    assert again == parsed and again is not parsed  # unpickled: equal, not the same object
    assert again is not None and again.source_hash == parsed.source_hash

    # A broken file: the parser's exact diagnostics, and nothing cached for it.
    plan_file.write_text(text.replace("gereed: ", "gereed: [", 1), encoding="utf-8")
    broken, problems = load_plan_cached(plan_file, cache)
    assert broken is None and [str(p) for p in problems] == [
        str(p) for p in validate_plan_file(plan_file)[1]
    ]
    assert str(problems[0]).startswith(f"{plan_file}:") and list(cache.glob("*")) == [entry]

    # The original bytes again: from the cache; a damaged entry is parsed again.
    plan_file.write_text(text, encoding="utf-8")
    entry.write_bytes(b"not a pickle")
    repaired, problems = load_plan_cached(plan_file, cache)
    assert repaired == parsed and problems == []
    assert load_plan_cached(tmp_path / "missing.yaml", cache)[1]  # says the file is missing


def _refuse_setstate(self: object, state: object) -> None:
    raise AssertionError("unpickled through dataclasses' __setstate__")


def test_the_cached_plan_loads_through_the_positional_constructors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plan's records unpickle through their positional constructors (the dataclasses'
    ``__setstate__`` asked ``fields()`` per object: ≈ 0.5 s for a 100k-item plan)."""
    plan_file, cache = tmp_path / "plan.yaml", tmp_path / "cache"
    plan_file.write_bytes(SEED_PLAN.read_bytes())
    parsed, _ = load_plan_cached(plan_file, cache)
    assert parsed is not None
    [entry] = cache.glob("plan-*.pickle")
    for module in (plan_module, periods):
        for cls in vars(module).values():
            if isinstance(cls, type) and "_from_fields" in vars(cls):
                monkeypatch.setattr(cls, "__setstate__", _refuse_setstate)
    assert plan_module.Milestone._from_fields  # type: ignore[attr-defined]
    again, problems = load_plan_cached(plan_file, cache)
    assert again == parsed and problems == [] and again is not None
    assert [entry] == list(cache.glob("plan-*.pickle"))  # read from the cache, not parsed
    # compare=False fields too: every record the same, field by field.
    assert repr(pickle.loads(entry.read_bytes())) == repr(parsed)
    assert [m.location for a in again.actions() for m in a.milestones] == [
        m.location for a in parsed.actions() for m in a.milestones
    ]


def test_a_cached_plan_this_build_cannot_load_is_parsed_again(tmp_path: Path) -> None:
    plan_file, cache = tmp_path / "plan.yaml", tmp_path / "cache"
    plan_file.write_bytes(SEED_PLAN.read_bytes())
    parsed, _ = load_plan_cached(plan_file, cache)
    [entry] = cache.glob("plan-*.pickle")
    # As a later build's pickle would name a constructor this build does not have.
    entry.write_bytes(entry.read_bytes().replace(b"_from_fields", b"_from_fieldz"))
    again, problems = load_plan_cached(plan_file, cache)
    assert again == parsed and problems == []
    assert b"_from_fieldz" not in entry.read_bytes()  # parsed, and cached again


def test_the_key_names_how_the_plan_classes_pickle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pickle made the dataclasses' way (an older build's cache) is not this build's entry:
    parsed once more, then cached the positional way."""
    data = SEED_PLAN.read_bytes()
    key = _key(tmp_path / "plan.yaml", data)
    monkeypatch.delattr(periods.Period, "_from_fields")
    assert _key(tmp_path / "plan.yaml", data) != key
    assert dataclasses.is_dataclass(periods.Period)


_GC_SEEN: list[bool] = []


def _gc_while_loading() -> str:
    _GC_SEEN.append(gc.isenabled())
    return "loaded"


class _SeesTheGc:
    def __reduce__(self) -> tuple[object, tuple[()]]:
        return _gc_while_loading, ()


def _broken() -> None:
    raise ValueError("does not load")


class _Broken:
    def __reduce__(self) -> tuple[object, tuple[()]]:
        return _broken, ()


def test_entries_load_with_the_cyclic_gc_paused(tmp_path: Path) -> None:
    """Unpickling a 100k-item plan set off collections that walked its new objects again and
    again (≈ 0.15 of 0.25 s): the collector is off while an entry loads, and as before after."""
    entry, broken = tmp_path / "plan-a.pickle", tmp_path / "plan-b.pickle"
    entry.write_bytes(pickle.dumps(_SeesTheGc()))
    broken.write_bytes(pickle.dumps(_Broken()))
    _GC_SEEN.clear()
    assert gc.isenabled()
    assert disk_cache.load(entry) == "loaded" and _GC_SEEN == [False] and gc.isenabled()
    assert disk_cache.load(broken) is None and gc.isenabled()  # restored when it fails too
    gc.disable()
    try:
        assert disk_cache.load(entry) == "loaded" and not gc.isenabled()  # left off
    finally:
        gc.enable()
