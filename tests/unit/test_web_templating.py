from __future__ import annotations

import pytest

from web.templating import count_of


def test_a_count_takes_its_noun_in_dutch() -> None:
    assert [count_of(n, "besluit", "besluiten") for n in (0, 1, 2)] == [
        "0 besluiten",
        "1 besluit",
        "2 besluiten",
    ]


@pytest.mark.parametrize("wrong", [["row"], True, "3", 2.5])
def test_a_count_of_something_else_is_refused(wrong: object) -> None:
    # A list passed for its length printed its repr into a page (walk32a 2).
    with pytest.raises(TypeError, match="aantal needs a whole number"):
        count_of(wrong, "besluit", "besluiten")  # type: ignore[arg-type]
