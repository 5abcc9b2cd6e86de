"""`static_dir`: files the build copies as they are into `output_dir` (the show's artwork,
images, robots.txt), published with the feeds by `publish_files` (atomic, write-if-changed).

Read at the edge of the build; the paths and bytes it returns are plain data.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Set
from dataclasses import dataclass
from pathlib import Path

from feeds.model import Level, Problem

MAX_STATIC_BYTES = 100_000_000  # per file: artwork and images, not the episodes' media
MAX_STATIC_FILES = 10_000
_MANAGED = "feeds/"  # the build's own folder in output_dir: never a static file's


@dataclass(frozen=True, slots=True)
class StaticFiles:
    """What `static_dir` holds: output-relative `/` path -> bytes, and what was left out."""

    files: Mapping[str, bytes]
    problems: tuple[Problem, ...]


def read_static(static_dir: Path, shown: str, planned: Set[str]) -> StaticFiles:
    """Every regular file under `static_dir` (names starting with "." and symbolic links are
    left out), keyed by its path relative to it. `shown` is `static_dir` as the user writes
    it; a path the build itself publishes (`planned`, or under `feeds/`) is left out with a
    warning, so a feed is never replaced by a copy."""
    files: dict[str, bytes] = {}
    problems: list[Problem] = []

    def skip(relative: str, value: str | None, why: str) -> None:
        problems.append(Problem(f"{shown}/{relative}", "file", value, why, Level.WARNING))

    if not static_dir.is_dir():
        problem = Problem(
            shown,
            "static_dir",
            shown,
            "is not a folder; nothing was copied: create it or remove static_dir",
        )
        return StaticFiles({}, (problem,))
    unlisted: list[OSError] = []
    for relative, path in _walk(static_dir, unlisted):
        if len(files) >= MAX_STATIC_FILES:
            skip(relative, None, f"is past the first {MAX_STATIC_FILES} static files; not copied")
            break
        if path.is_symlink() or not path.is_file():
            skip(relative, None, "is a symbolic link or not a regular file; not copied")
        elif relative in planned or relative.startswith(_MANAGED):
            skip(relative, None, "is a path the build publishes itself; rename or move it")
        else:
            try:
                size = path.stat().st_size
                if size > MAX_STATIC_BYTES:
                    skip(relative, str(size), f"is over {MAX_STATIC_BYTES} bytes; not copied")
                    continue
                files[relative] = path.read_bytes()
            except OSError as error:
                skip(relative, None, f"cannot be read ({error.strerror}); not copied")
    for failure in unlisted:
        folder = Path(os.fspath(failure.filename or static_dir)).relative_to(static_dir)
        problems.append(
            Problem(
                f"{shown}/{folder.as_posix()}".removesuffix("/."),
                "file",
                None,
                f"is a folder that cannot be read ({failure.strerror or failure}): nothing in it "
                "was copied, and what was copied from it before stays in output_dir as it "
                "was; give the user that runs feeds read and search permission on it",
                Level.WARNING,
            )
        )
    return StaticFiles(files, tuple(problems))


def _walk(static_dir: Path, unlisted: list[OSError]) -> list[tuple[str, Path]]:
    """(relative `/` path, path) of every entry under `static_dir` but dot-named ones, sorted;
    folders reached through symbolic links are not entered; the error of each folder that
    cannot be listed is added to `unlisted`."""
    found: list[tuple[str, Path]] = []
    for folder, dirs, names in os.walk(static_dir, onerror=unlisted.append, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        base = Path(folder)
        links = [d for d in dirs if (base / d).is_symlink()]  # listed, never entered
        for name in sorted([*names, *links]):
            if not name.startswith("."):
                path = base / name
                found.append((path.relative_to(static_dir).as_posix(), path))
    return sorted(found)
