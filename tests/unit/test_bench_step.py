"""benchmarks/step.py's phases: every listed name is the function its caller looks up, and a
name that is gone stops the run instead of folding its time into "(rest)" unseen."""

from __future__ import annotations

import pytest

from benchmarks import step


def test_every_phase_resolves_to_the_function_called() -> None:
    found = {(module.__name__, name): f for module, name, f in step.phase_functions()}
    assert len(found) == sum(len(names) for names in step.PHASES.values())
    # The two the profile of issue #8 (plan8 §4) found untimed: where the daily step finds them.
    from governance.remember import remember
    from store.first_assessed import first_assessed_days

    assert found["governance.remember", "remember"] is remember
    assert found["store.first_assessed", "first_assessed_days"] is first_assessed_days
    assert {name for _, name in found} >= step.AFTER_ASSESSMENT
    # The states' write is timed where every path ends (the incremental run's record_states and
    # the full run's record_state_values both call it), and the rebuild's first-days fill.
    assert ("store.states", "record_values") in found
    assert ("store.states", "record_states") not in found  # would count the write twice
    assert ("store.first_assessed", "fill_missing_days") in found


def test_a_name_that_is_gone_stops_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    phases = {**step.PHASES, "governance.incremental": ("select_due", "remember")}
    monkeypatch.setattr(step, "PHASES", phases)
    with pytest.raises(SystemExit, match=r"not found: governance\.incremental\.remember$"):
        step.phase_functions()
