"""Building many frozen records quickly.

A frozen dataclass's generated ``__init__`` sets each field through ``object.__setattr__`` (its
own ``__setattr__`` refuses): about 5 µs for the 19 fields of an
:class:`~governance.assessor.ItemAssessment`, half a second for a full assessment of 100,000
items. :func:`positional_constructor` builds the same object for a fraction of that: the values
go into an instance of a plain class with the same slots (ordinary attribute stores), which then
becomes an instance of the frozen class (``__class__`` assignment, allowed between classes of
identical layout). Should an interpreter refuse that, the slots' descriptors are set instead.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def positional_constructor(cls: type[T]) -> Callable[..., T]:
    """``make(*values)`` for a frozen, slotted dataclass: every field given positionally, in
    field order; no ``__post_init__`` (refused when the class has one). ``make(*v) == cls(*v)``
    and is of type ``cls``; the class and its own constructor are unchanged."""
    if not dataclasses.is_dataclass(cls) or "__slots__" not in cls.__dict__:
        raise TypeError(f"{cls.__name__}: not a slotted dataclass")
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__}: has a __post_init__ this would skip")
    fields = dataclasses.fields(cls)
    names = [f.name for f in fields]
    if not all(f.init for f in fields) or tuple(names) != tuple(cls.__dict__["__slots__"]):
        raise TypeError(f"{cls.__name__}: every field must be an init field and a slot")
    arguments = ", ".join(f"v{n}" for n in range(len(names)))
    shadow = type(f"_{cls.__name__}Values", (), {"__slots__": tuple(names)})
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls, "_shadow": shadow}
    stores = "".join(f"    self.{name} = v{n}\n" for n, name in enumerate(names))
    source = (
        f"def make({arguments}):\n    self = _new(_shadow)\n{stores}"
        "    self.__class__ = _cls\n    return self\n"
    )
    exec(source, namespace)  # generated from field names only, as dataclasses does
    make: Callable[..., T] = namespace["make"]
    try:
        make(*range(len(names)))
    except TypeError:  # layouts not compatible here: set the slots through their descriptors
        namespace.update((f"_set{n}", cls.__dict__[name].__set__) for n, name in enumerate(names))
        body = "".join(f"    _set{n}(self, v{n})\n" for n in range(len(names)))
        source = f"def make({arguments}):\n    self = _new(_cls)\n{body}    return self\n"
        exec(source, namespace)
        make = namespace["make"]
    make.__qualname__ = f"{cls.__qualname__} (positional)"
    return make
