"""Flow parameters given as text (`prefect deployment run … --param as_of=…`) are read as dates
by one rule: a bad one fails the run in one Dutch line that names the parameter."""

from __future__ import annotations

from datetime import date

import pytest

from flows._prefect import parse_as_of


def test_dates_and_blanks() -> None:
    assert parse_as_of("2015-11-18") == date(2015, 11, 18)
    assert parse_as_of(" 2015-11-18 ") == date(2015, 11, 18)
    assert parse_as_of(date(2015, 11, 18)) == date(2015, 11, 18)
    assert parse_as_of(None) is None and parse_as_of("") is None


def test_a_bad_date_names_its_parameter() -> None:
    with pytest.raises(ValueError, match=r"^answer_by: geen datum in de vorm JJJJ-MM-DD: '18-11'$"):
        parse_as_of("18-11", field="answer_by")


@pytest.mark.parametrize(
    ("params", "field"), [({"as_of": "2015-11-xx"}, "as_of"), ({"answer_by": "x"}, "answer_by")]
)
def test_the_status_round_flow_refuses_a_bad_date_before_any_work(
    params: dict[str, str], field: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import regie.bootstrap
    from flows.status_round import status_round

    def no_bootstrap() -> None:
        raise AssertionError("bootstrapped before the dates were checked")

    monkeypatch.setattr(regie.bootstrap, "bootstrap", no_bootstrap)
    with pytest.raises(ValueError, match=rf"^{field}: geen datum in de vorm JJJJ-MM-DD"):
        status_round.fn(**params)
