"""governance.records.positional_constructor: the same frozen object as the class's own
constructor, built faster."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest

from governance.assessor import ItemAssessment
from governance.plan import ItemLevel
from governance.rag import Rag, State
from governance.records import descriptor_constructor, positional_constructor


@dataclasses.dataclass(frozen=True, slots=True)
class _Point:
    x: int
    y: str = "y"


def _fields() -> tuple[object, ...]:
    return (
        "1.1.1", ItemLevel.MILESTONE, "1.1", 1, "m", "Q1 2019", "quarter", date(2019, 3, 31),
        State.OVERDUE, Rag.RED, True, ("org",), None, None, (), 3, "due 2019-03-31",
        date(2019, 1, 1), None,
    )  # fmt: skip


_BOTH = pytest.mark.parametrize("constructor", [positional_constructor, descriptor_constructor])


@_BOTH
def test_the_object_equals_the_one_the_class_builds(constructor: Any) -> None:
    make = constructor(ItemAssessment)
    made, built = make(*_fields()), ItemAssessment(*_fields())  # type: ignore[arg-type]
    assert type(made) is ItemAssessment
    assert made == built and hash(made) == hash(built) and repr(made) == repr(built)
    assert dataclasses.replace(made, title="n").title == "n"
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.title = "n"  # type: ignore[misc]


@_BOTH
def test_every_field_is_given(constructor: Any) -> None:
    make = constructor(_Point)
    assert make(1, "z") == _Point(1, "z")
    assert make(y="z", x=1) == _Point(1, "z")  # the parameters are the fields' names
    with pytest.raises(TypeError):
        make(1)


@_BOTH
def test_refuses_classes_it_cannot_build(constructor: Any) -> None:
    @dataclasses.dataclass(frozen=True)
    class Unslotted:
        x: int

    @dataclasses.dataclass(frozen=True, slots=True)
    class Checked:
        x: int

        def __post_init__(self) -> None:
            raise ValueError

    @dataclasses.dataclass(frozen=True, slots=True)
    class Clashing:
        self: int

    for cls in (Unslotted, Checked, Clashing, int):
        with pytest.raises(TypeError):
            constructor(cls)
