"""The pickle codec of the build state and of worker results: records pickled by constructor.

Unpickling calls each frozen dataclass with its fields in order, several times faster than
pickle's default `__setstate__` per object. The cycle collector is paused while a file is
unpickled (records form no cycles, and it would go through the growing heap again and again).
"""

from __future__ import annotations

import contextlib
import copyreg
import dataclasses
import gc
import io
import operator
import pickle
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any


def _by_constructor(cls: type) -> Callable[[Any], tuple[type, tuple[Any, ...]]]:
    fields = operator.attrgetter(*(f.name for f in dataclasses.fields(cls)))

    def reduce(record: Any) -> tuple[type, tuple[Any, ...]]:
        return cls, fields(record)

    return reduce


_DISPATCH = copyreg.dispatch_table.copy()


def pickle_by_constructor(*classes: type) -> None:
    """Pickle these dataclasses by constructor from now on (their fields must be `__init__`
    parameters in order, as for every frozen record here)."""
    for cls in classes:
        _DISPATCH[cls] = _by_constructor(cls)


def dump(value: object, handle: IO[bytes]) -> None:
    """Pickle `value` to `handle`, records by constructor (see the module docstring)."""
    pickler = pickle.Pickler(handle, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _DISPATCH
    pickler.dump(value)


def dumps(value: object) -> bytes:
    buffer = io.BytesIO()
    dump(value, buffer)
    return buffer.getvalue()


def load(path: Path) -> object:
    """The value pickled in our own file `path` (in cache_dir, never from elsewhere)."""
    with open(path, "rb") as handle:
        data = handle.read()
    with collector_paused():
        return pickle.loads(data)  # our own file in cache_dir


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cycle collector off meanwhile: for making a great many objects that form no
    cycles (a pickle's records, a scan's stats), which it would go through again and again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
