"""The on-disk parse cache: an unchanged plan file is unpickled, a bad one always parsed."""

from __future__ import annotations

from pathlib import Path

from governance.planfile import validate_plan_file
from regie.parse_cache import load_plan_cached
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
