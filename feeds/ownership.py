"""Which files in the output folder the build wrote, and so may replace or remove (issue 11).

The build records every file it publishes twice: in the cache (`BuildCache.feeds`) and in
`OWNED_NAME`, a small JSON manifest at the top of the output folder, so that a lost cache
does not orphan what was published. A file that is in the way and is in neither record (a
hand-made `index.html`, a feed someone else placed under `feeds/`) is never overwritten or
deleted: it is reported with how to hand it over (`--adopt PATH`), unless it already holds
exactly the bytes the build would write (nothing to lose, so it is taken over quietly).
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path, PurePosixPath

from feeds.publish import write_file_atomically

OWNED_NAME = ".feeds-owned.json"  # hidden: never a published path, never served
IN_THE_WAY = "is in the way: feeds did not write it"  # how a refused file's message starts
_VERSION = 1


class AdoptError(Exception):
    """An `--adopt` path that does not lie inside the output folder."""


def read_owned(output_dir: Path) -> frozenset[str]:
    """The paths the manifest in `output_dir` says the build wrote; none when it is missing
    or unreadable (the cache's record and `--adopt` still apply)."""
    try:
        data = json.loads((output_dir / OWNED_NAME).read_bytes())
    except (OSError, ValueError):
        return frozenset()
    if not isinstance(data, dict) or data.get("version") != _VERSION:
        return frozenset()
    files = data.get("files")
    if not isinstance(files, list):
        return frozenset()
    return frozenset(p for p in files if isinstance(p, str))


def adopt_paths(output_dir: Path, given: Iterable[Path], base: Path) -> tuple[str, ...]:
    """Each `--adopt PATH` as a POSIX path relative to `output_dir` (`""`: the whole folder).

    PATH may be absolute, or relative to the working folder, to `base` (the config file's
    folder, as messages show paths) or to `output_dir`: the first of these that exists
    inside `output_dir`. `AdoptError` names one that is not found there."""
    root = Path(os.path.realpath(output_dir))
    adopted: list[str] = []
    for path in given:
        candidates = [path] if path.is_absolute() else [Path.cwd() / path, base / path, root / path]
        for candidate in candidates:
            real = Path(os.path.realpath(candidate))
            if (real == root or root in real.parents) and os.path.lexists(candidate):
                adopted.append(real.relative_to(root).as_posix().removeprefix("."))
                break
        else:
            raise AdoptError(
                f"--adopt {path}: is not a file or folder inside the output folder "
                f"{output_dir}; give the path of the file the build should take over"
            )
    return tuple(sorted(set(adopted)))


def is_adopted(relative: str, adopted: Collection[str]) -> bool:
    """True when `relative` is one of `adopted` or lies in an adopted folder."""
    parents = {p.as_posix() for p in PurePosixPath(relative).parents}
    return any(a == "" or a == relative or a in parents for a in adopted)


def in_the_way(
    output_dir: Path,
    files: Mapping[str, bytes],
    owned: Collection[str],
    adopted: Collection[str],
) -> dict[str, str]:
    """The files this build would overwrite although it did not write them: relative path ->
    the message that says so and how to hand the file over."""
    refused: dict[str, str] = {}
    for relative in sorted(files):
        if relative in owned or is_adopted(relative, adopted):
            continue
        target = output_dir / relative
        if not os.path.lexists(target) or _holds(target, files[relative]):
            continue
        refused[relative] = (
            f"{target} {IN_THE_WAY}, so it is left as it is and "
            f"this file is not published. To let the build replace it from now on, pass "
            f"--adopt {target} once (or move the file away)"
        )
    return refused


def removable(
    stale: Iterable[str], owned: Collection[str], adopted: Collection[str]
) -> tuple[list[str], list[str]]:
    """`stale` split into the files the build wrote (removable) and the others (kept)."""
    ours: list[str] = []
    theirs: list[str] = []
    for relative in stale:
        mine = relative in owned or is_adopted(relative, adopted)
        (ours if mine else theirs).append(relative)
    return ours, theirs


def owned_after(
    planned: Iterable[str],
    written: Iterable[str],
    unchanged: Iterable[str],
    failed: Iterable[str],
    owned: Collection[str],
) -> frozenset[str]:
    """What the build owns after publishing: every planned file it wrote, found with its
    bytes or owned before (a reused feed is not written again), and what it owned before but
    could not write or remove this time. A file in the way that it refused is not among them."""
    done = {*written, *unchanged}
    kept = {p for p in planned if p in done or p in owned}
    return frozenset(kept | done | {p for p in failed if p in owned})


def write_owned(output_dir: Path, owned: Collection[str]) -> None:
    """Record `owned` in the manifest atomically (temporary file, fsync, rename); an
    unchanged manifest is not touched. Raises `OSError`."""
    data = (
        json.dumps({"version": _VERSION, "files": sorted(owned)}, indent=0, ensure_ascii=False)
        + "\n"
    ).encode("utf-8")
    # The name remove_temp_files recognises (`.NAME.<12 hex>.tmp`) if the build is killed.
    temp = output_dir / f"{OWNED_NAME}.{secrets.token_hex(6)}.tmp"
    write_file_atomically(output_dir / OWNED_NAME, data, temp)


def _holds(target: Path, data: bytes) -> bool:
    try:
        if not target.is_file() or target.is_symlink() or target.stat().st_size != len(data):
            return False
        return target.read_bytes() == data
    except OSError:
        return False
