"""`--adds` takes several ids, repeated or separated by commas, each once (ratify46)."""

from __future__ import annotations

from regie.decision_adds import adds_ids


def test_ids_repeated_or_comma_separated_each_once_in_order() -> None:
    assert adds_ids(None) == []
    assert adds_ids("3.4") == ["3.4"]
    assert adds_ids(["3.4", "3.5,3.6", " 3.4 ", ""]) == ["3.4", "3.5", "3.6"]
    assert adds_ids(",") == []
