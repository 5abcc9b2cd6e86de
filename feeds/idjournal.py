"""The registry's journal (issue 14): the entries of `cache_dir/ids.json` that builds changed
since it was last written whole, one small file a build, so that one edit no longer rewrites
a quarter of a GiB at a million articles.

ids.json carries a generation (`{"version": 1, "generation": G, "articles": ...}`);
`ids-since/G.N.json` holds the entries the N-th build after it changed (`null`: the source
is gone). A reader applies the files of the base's generation in the order of N; a file of
another generation is stale (the base was written whole since) and never applied. Each file
is written atomically (temporary file, fsync, rename), so a killed build leaves the journal
as the builds before it left it. A base of an older feeds (no generation) has no journal:
the next change writes it whole.
"""

from __future__ import annotations

import json
import os
import re
import secrets
from collections.abc import Mapping
from contextlib import suppress
from pathlib import Path
from typing import NamedTuple

from feeds.publish import write_file_atomically

JOURNAL_DIR = "ids-since"  # in cache_dir, beside ids.json
# the journal is folded into a base written whole past this many files, or past this share
# of the base's size (a base a whole rewrite of which costs less than reading the journal)
MAX_FILES = 128
MAX_SHARE = 8
_NAME = re.compile(r"([1-9]\d{0,8})\.([1-9]\d{0,8})\.json")  # as `append_changes` names them
_HEADER = re.compile(rb'\{"version": 1, "generation": ([1-9]\d{0,8}), ')
_VERSION = 1


class Journal(NamedTuple):
    """What the journal folder holds: every file's (generation, number, size), in order."""

    files: tuple[tuple[int, int, int], ...]

    def of(self, generation: int) -> list[tuple[int, int, int]]:
        return [f for f in self.files if f[0] == generation]

    def newest_generation(self) -> int:
        return max((f[0] for f in self.files), default=0)


def _folder(cache_dir: Path) -> Path | None:
    """The journal folder; None when it is a link (never followed out of the cache) or
    something else than a folder (then ids.json is written whole, as with no journal)."""
    folder = cache_dir / JOURNAL_DIR
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        return None
    return folder


def journal_of(cache_dir: Path) -> Journal:
    """The journal's files (none when the folder is missing, a link or cannot be read)."""
    folder = _folder(cache_dir)
    if folder is None:
        return Journal(())
    found: list[tuple[int, int, int]] = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                match = _NAME.fullmatch(entry.name)
                if match is not None and entry.is_file(follow_symlinks=False):
                    size = entry.stat(follow_symlinks=False).st_size
                    found.append((int(match[1]), int(match[2]), size))
    except OSError:
        return Journal(())
    return Journal(tuple(sorted(found)))


def base_generation(cache_dir: Path, name: str) -> int | None:
    """The generation the base file `name` says it is (its first bytes), or None: missing,
    unreadable, or written by a feeds before the journal."""
    try:
        with open(cache_dir / name, "rb") as stream:
            head = stream.read(64)
    except OSError:
        return None
    match = _HEADER.match(head)
    return None if match is None else int(match[1])


def read_changes(cache_dir: Path, generation: int) -> list[Mapping[str, object]]:
    """The changes of the journal files of `generation`, oldest first; a file that cannot
    be read or is not a journal file of that generation is left out."""
    folder, changes = cache_dir / JOURNAL_DIR, []  # not a link when it lists files
    for _, number, _ in journal_of(cache_dir).of(generation):
        try:
            data = json.loads((folder / f"{generation}.{number}.json").read_bytes())
        except (OSError, ValueError):
            continue
        if (
            isinstance(data, dict)
            and data.get("version") == _VERSION
            and data.get("generation") == generation
            and isinstance(data.get("changes"), dict)
        ):
            changes.append(data["changes"])
    return changes


def append_changes(
    cache_dir: Path,
    generation: int,
    changes: Mapping[str, tuple[str, ...] | None],
    base_size: int,
) -> bool:
    """Add `changes` (an entry by source, None for one gone) as the next journal file of
    `generation`; False, and nothing written, when the journal should be folded into a
    base written whole instead (too many files or too many bytes). Raises `OSError`."""
    journal = journal_of(cache_dir).of(generation)
    text = json.dumps(
        {"version": _VERSION, "generation": generation, "changes": dict(sorted(changes.items()))},
        ensure_ascii=False,
    ).encode()
    held = sum(size for *_, size in journal) + len(text)
    folder = _folder(cache_dir)
    if folder is None or len(journal) >= MAX_FILES or held > base_size // MAX_SHARE:
        return False
    number = journal[-1][1] + 1 if journal else 1
    folder.mkdir(exist_ok=True)
    temp = folder / f".{generation}.{number}.{secrets.token_hex(6)}.tmp"
    write_file_atomically(folder / f"{generation}.{number}.json", text, temp)
    return True


def clear_journal(cache_dir: Path) -> None:
    """Remove every journal file (after a base is written whole, all are stale) and the
    temporary files of killed builds; one that cannot be removed is stale all the same."""
    folder = _folder(cache_dir)
    if folder is None:
        return
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if _NAME.fullmatch(name) or (name.startswith(".") and name.endswith(".tmp")):
            with suppress(OSError):
                os.unlink(folder / name)
