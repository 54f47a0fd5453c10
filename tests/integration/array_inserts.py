"""A check shared by the store tests of PostgreSQL's array inserts (store.dialect)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from store.dialect import ARRAY_INSERT_FROM_ROWS


def assert_overlong_refused_alike(
    session: Session,
    rows_of: Callable[[int], Sequence[Any]],
    write: Callable[[Sequence[Any]], object],
    table: type,
) -> None:
    """A batch too small for arrays and one large enough must fail with the same error, the
    one PostgreSQL gives for an over-long string, and leave ``table`` empty."""
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite does not enforce VARCHAR lengths")
    errors = []
    for n in (1, ARRAY_INSERT_FROM_ROWS):
        with pytest.raises(sa.exc.DBAPIError) as refused:
            write(rows_of(n))
        session.rollback()
        errors.append((type(refused.value), type(refused.value.orig)))
    assert errors[0] == errors[1]
    assert errors[0][1].__name__ == "StringDataRightTruncation"
    assert session.execute(sa.select(sa.func.count()).select_from(table)).scalar() == 0
