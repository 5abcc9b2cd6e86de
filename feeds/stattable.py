"""The manifest's stat of every content file the last build read (issue 14), and a digest
of them that a scan can check without looking each one up.

At a million files a dict of stat tuples takes 0.6 s to unpickle, and every build reads the
manifest. `StatTable` pickles as one string of paths and four arrays of numbers (a few
milliseconds) and makes the dict when something first looks into it; a build with nothing
to do never does: its scan sums `digest` over the files it found and compares the sum
(`feeds.scanshares`).

The digest is the sum, modulo 2**64, of one number per file: Python's `hash` of the CRC-32
of its path's UTF-8 bytes with its stat key. `hash` of a tuple of ints does not depend on
PYTHONHASHSEED, so shares of a scan in other processes, and the next build, give the same
numbers; the sum does not depend on which process saw which file. Equal sums and equal
counts are taken for equal tables; a table with a stat not trusted (None) has no digest.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from operator import itemgetter, methodcaller
from typing import Any, cast

Stat = tuple[int, int, int, int]  # st_size, st_mtime_ns, st_ctime_ns, st_ino
_MASK = (1 << 64) - 1
_SEPARATOR = "\0"  # never in a path
_ENCODED = methodcaller("encode", "utf-8", "surrogateescape")
_COLUMNS = "qqqQ"  # size, mtime and ctime signed (a time may be before 1970), inode not
_NOT_YET = -1  # a digest not computed yet (digests are never negative)


def digest(paths: Iterable[str], stats: Iterable[Stat]) -> int:
    """The digest of these paths, each with its stat key (see the module docstring)."""
    crcs = map(zlib.crc32, map(_ENCODED, paths))
    return sum(map(hash, zip(crcs, stats, strict=True))) & _MASK


def add_digests(parts: Iterable[int]) -> int:
    """The digest of a table whose parts (disjoint) have these digests."""
    return sum(parts) & _MASK


class StatTable(Mapping[str, Stat | None]):
    """Stat keys by content_dir-relative path (None: a racy stat, never trusted); a read-only
    mapping kept packed until looked into."""

    __slots__ = ("_count", "_digest", "_packed", "_stats")

    def __init__(self, stats: dict[str, Stat | None]) -> None:
        self._stats: dict[str, Stat | None] | None = stats
        self._packed: tuple[Any, ...] | None = None
        self._count = len(stats)
        self._digest: int | None = _NOT_YET

    @property
    def digest(self) -> int | None:
        """`digest` of every path with its stat; None when a stat is not trusted."""
        if self._digest == _NOT_YET:
            self._digest = _trusted_digest(self._mapping())
        return self._digest

    def _mapping(self) -> dict[str, Stat | None]:
        if self._stats is None:
            assert self._packed is not None
            self._stats = _unpack(*self._packed)
            self._packed = None  # at 1M, 70 MB no longer needed (packed again if pickled)
        return self._stats

    def __getitem__(self, relative: str) -> Stat | None:
        return self._mapping()[relative]

    def get(self, relative: str, default: Any = None) -> Any:
        return self._mapping().get(relative, default)

    def __contains__(self, relative: object) -> bool:
        return relative in self._mapping()

    def __iter__(self) -> Iterator[str]:
        return iter(self._mapping())

    def __len__(self) -> int:
        return self._count

    def keys(self) -> Any:  # the dict's own view: compared with another dict's in C
        return self._mapping().keys()

    def getter(self) -> Callable[[str], Stat | None]:
        """The dict's own `get`: a lookup per file in C, not a method call in Python."""
        return self._mapping().get

    def copy(self) -> dict[str, Stat | None]:
        """The stats as a new dict (made in C)."""
        return dict(self._mapping())

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if isinstance(other, StatTable):
            if self._count != other._count:
                return False
            if self._stats is None or other._stats is None:  # compare digests before unpacking
                mine, theirs = self.digest, other.digest
                if mine is not None and theirs is not None and mine != theirs:
                    return False
            return self._mapping() == other._mapping()
        if isinstance(other, Mapping):
            return self._mapping() == dict(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"StatTable({self._count} files)"

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        packed = self._packed or _pack(self._mapping())  # not kept: memory, at 1M files
        if packed is None:  # a number too big for the arrays: pickled as the dict
            return StatTable, (self._mapping(),)
        return _unpacked, (self._count, self.digest, *packed)


def _pack(stats: dict[str, Stat | None]) -> tuple[Any, ...] | None:
    """The paths joined, the four stat fields as arrays (0 for a racy stat) and the places
    of the racy ones; None when a number does not fit in 64 bits."""
    given = list(stats.values())
    racy: tuple[int, ...] = ()
    values = cast(list[Stat], given)
    if None in given:  # rare: a file written as the last build read it
        racy = tuple(place for place, stat in enumerate(given) if stat is None)
        values = [(0, 0, 0, 0) if stat is None else stat for stat in given]
    try:
        columns = [array(code, map(itemgetter(k), values)) for k, code in enumerate(_COLUMNS)]
    except OverflowError:
        return None
    return (_SEPARATOR.join(stats), *(column.tobytes() for column in columns), racy)


def _unpack(
    paths: str, sizes: bytes, mtimes: bytes, ctimes: bytes, inos: bytes, racy: tuple[int, ...]
) -> dict[str, Stat | None]:
    columns = [array(code) for code in _COLUMNS]
    for column, data in zip(columns, (sizes, mtimes, ctimes, inos), strict=True):
        column.frombytes(data)
    names = paths.split(_SEPARATOR) if paths else []
    stats: dict[str, Stat | None] = dict(zip(names, zip(*columns, strict=True), strict=True))
    for place in racy:
        stats[names[place]] = None
    return stats


def _unpacked(count: int, digest: int | None, *packed: Any) -> StatTable:
    table = StatTable.__new__(StatTable)
    table._stats, table._packed, table._count, table._digest = None, packed, count, digest
    return table


def digest_of(stats: Mapping[str, Stat | None]) -> int | None:
    """The digest of a manifest's stats (`StatTable.digest`, or made now from a mapping)."""
    return stats.digest if isinstance(stats, StatTable) else _trusted_digest(stats)


def _trusted_digest(stats: Mapping[str, Stat | None]) -> int | None:
    if None in stats.values():
        return None
    return digest(stats.keys(), cast(Iterable[Stat], stats.values()))
