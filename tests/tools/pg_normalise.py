"""One text per statement shape: the same SQL with another number of values is one statement."""

from __future__ import annotations

import re

_ONE = r"%\(\w+\)s(?:\s*::\s*\w+(?:\[\])?)?"
# An expanded IN-list or a VALUES row: a run of placeholders; several rows: a run of "(?)".
_PLACEHOLDER_RUN = re.compile(rf"{_ONE}(?:\s*,\s*{_ONE})*")
_TUPLE_RUN = re.compile(r"\(\?\)(?:\s*,\s*\(\?\))+")
# Names made per test or per savepoint (a database's uuid, a savepoint's counter).
_NAMES = re.compile(r"\b(regie_[a-z]+_|sa_savepoint_)[0-9a-f]+\b")
_LONG_HEX = re.compile(r"\b[0-9a-f]{12,}\b")
_SPACE = re.compile(r"\s+")


def normalise(statement: str) -> str:
    text = _SPACE.sub(" ", statement).strip()
    text = _PLACEHOLDER_RUN.sub("?", text)
    text = _TUPLE_RUN.sub("(?)", text)
    text = _NAMES.sub(r"\1X", text)
    return _LONG_HEX.sub("X", text)
