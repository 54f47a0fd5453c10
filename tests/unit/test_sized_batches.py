"""``store.dialect.sized_batches``: rows in order, a few to a batch by their size, taken from an
iterator as they come (#8 round 32: the cycle's messages are rendered as they are queued)."""

from __future__ import annotations

from collections.abc import Iterator

from hypothesis import given
from hypothesis import strategies as st

from store.dialect import sized_batches


@given(st.lists(st.integers(0, 50)), st.integers(1, 5), st.integers(1, 60))
def test_batches_keep_order_and_bounds(sizes: list[int], most: int, limit: int) -> None:
    batches = list(sized_batches(sizes, most, lambda s: s, limit))
    assert [s for batch in batches for s in batch] == sizes
    for n, batch in enumerate(batches):
        assert 1 <= len(batch) <= most
        assert len(batch) == 1 or sum(batch) <= limit  # one row alone may be more
        if n + 1 < len(batches):  # a batch ends only when the next row does not fit
            following = batches[n + 1][0]
            assert len(batch) == most or sum(batch) + following > limit


def test_rows_are_taken_as_they_come() -> None:
    taken: list[int] = []

    def rows() -> Iterator[int]:
        for n in range(10):
            taken.append(n)
            yield n

    batches = sized_batches(rows(), 3, lambda _: 1, 100)
    assert next(batches) == [0, 1, 2]
    assert taken == [0, 1, 2, 3]  # the batch and the row after it, no more
    assert list(batches) == [[3, 4, 5], [6, 7, 8], [9]]
