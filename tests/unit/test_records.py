"""governance.records.positional_constructor: the same frozen object as the class's own
constructor, built faster; pickled_positionally: unpickled through it."""

from __future__ import annotations

import copyreg
import dataclasses
import io
import pickle
from datetime import date
from typing import Any

import pytest

from governance.assessor import ItemAssessment
from governance.plan import ItemLevel
from governance.rag import Rag, State
from governance.records import (
    descriptor_constructor,
    pickled_positionally,
    positional_constructor,
)


@dataclasses.dataclass(frozen=True, slots=True)
class _Point:
    x: int
    y: str = "y"


@pickled_positionally
@dataclasses.dataclass(frozen=True, slots=True)
class _Pickled:
    x: int
    y: tuple[_Point, ...] = ()
    z: object = dataclasses.field(default=None, compare=False)


@pickled_positionally
@dataclasses.dataclass(frozen=True, slots=True)
class _One:
    x: object


def _fields() -> tuple[object, ...]:
    return (
        "1.1.1", ItemLevel.MILESTONE, "1.1", 1, "m", "Q1 2019", "quarter", date(2019, 3, 31),
        State.OVERDUE, Rag.RED, True, ("org",), None, None, (), 3, "due 2019-03-31",
        date(2019, 1, 1), None, date(2018, 12, 3), None, (),
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


def _refuse_setstate(self: object, state: object) -> None:
    raise AssertionError("unpickled through __setstate__")


def test_pickled_through_the_positional_constructor(monkeypatch: pytest.MonkeyPatch) -> None:
    shared = _Point(2)
    value = _Pickled(1, (shared, shared), z=_One("a"))
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    assert b"_from_fields" in data
    monkeypatch.setattr(_Pickled, "__setstate__", _refuse_setstate)
    monkeypatch.setattr(_One, "__setstate__", _refuse_setstate)
    again = pickle.loads(data)
    assert type(again) is _Pickled and again == value and again.z == _One("a")  # z: compare=False
    assert again.y[0] is again.y[1]  # a shared object stays shared
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        assert pickle.loads(pickle.dumps(value, protocol=protocol)) == value
    assert _One._from_fields("b") == _One("b")  # type: ignore[attr-defined]


def test_pickles_made_through_setstate_still_load() -> None:
    """What the dataclass's own pickling made (a parse cache written before) loads the same."""

    class Before(pickle.Pickler):
        def reducer_override(self, obj: object) -> object:
            if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
                state = type(obj).__getstate__(obj)  # type: ignore[attr-defined]
                return copyreg.__newobj__, (type(obj),), state
            return NotImplemented

    value = _Pickled(1, (_Point(2),), z=_One(None))
    buffer = io.BytesIO()
    Before(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    assert b"_from_fields" not in buffer.getvalue()
    again = pickle.loads(buffer.getvalue())
    assert again == value and again.z == _One(None)


def test_a_pickle_naming_a_constructor_that_is_gone_does_not_load() -> None:
    data = pickle.dumps(_One(1)).replace(b"_from_fields", b"_from_fieldz")
    with pytest.raises(AttributeError):
        pickle.loads(data)


def test_pickled_positionally_refuses_what_it_cannot_build() -> None:
    @dataclasses.dataclass(frozen=True, slots=True)
    class Derived:
        x: int
        y: int = dataclasses.field(default=0, init=False)

    for cls in (Derived, int):
        with pytest.raises(TypeError):
            pickled_positionally(cls)
