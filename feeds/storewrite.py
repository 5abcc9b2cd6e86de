"""Writing the build state (`feeds.cache` says what it holds and how it is read): the shards
whose records changed, each to a new file, then the manifest, then the files no manifest
names are removed. A reader may write a shard of content-file states while it reads
(`write_file_shard`, issue 14: on the process that read the files, so the build process does
not pickle them again at the end); `save_cache` takes such a shard as it is when it holds the
very states the build saves, in the same order, and writes the shard again otherwise.
"""

from __future__ import annotations

import contextlib
import operator
import os
import secrets
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, fields, replace
from itertools import chain, compress
from operator import is_not
from pathlib import Path
from typing import Any

from feeds.cache import (
    CACHE_FILE,
    FEED_MEMO,
    LINT_MEMO,
    STORE_DIR,
    TEMP_PREFIX,
    BuildCache,
    FileState,
    Manifest,
    Memo,
    Shard,
    manifest_record,
    memo_shards,
    shard_name,
)
from feeds.codec import dump, dumps
from feeds.stattable import Stat, StatTable


@dataclass(frozen=True, slots=True)
class WrittenShard:
    """A shard of content-file states written while they were read: its file in the store,
    and the paths and the states it holds, in order (as the build process has them)."""

    file: str
    paths: tuple[str, ...]
    states: tuple[FileState, ...]


def file_shard(relative: str) -> str:
    """The store shard that keeps the state of the content file at `relative`."""
    return shard_name("files", relative)


def write_file_shard(cache_dir: Path, states: Mapping[str, FileState]) -> tuple[str, bytes]:
    """Write `states` (the whole of one `file_shard`, in the build's order) as a new file of
    the store: its name, and the bytes written (a worker sends them to the build process)."""
    data = dumps(dict(states))
    return _write_new(cache_dir / STORE_DIR, data), data


def discard_written(cache_dir: Path, written: Mapping[str, WrittenShard]) -> None:
    """Remove shards written while reading by a build that saves nothing (blocked, failed)."""
    for shard in written.values():
        with contextlib.suppress(OSError):
            (cache_dir / STORE_DIR / shard.file).unlink()


def save_cache(
    cache_dir: Path,
    cache: BuildCache,
    before: BuildCache | None = None,
    written: Mapping[str, WrittenShard] | None = None,
    changed: Iterable[str] | None = None,
) -> None:
    """Write what changed since `before` (the state this build started from): the shards whose
    records differ, then the manifest when anything in it does; nothing when nothing did.
    `cache.memo` needs to hold only the entries this build read or parsed: the others come
    from `before`. `written`: shards written while reading, by name. `changed`: the only
    files whose states may not be `before`'s very objects, when the caller knows (a patch).
    Temporary files of killed builds and shards no manifest names are removed on the way
    (the caller holds the build lock)."""
    before = before or BuildCache()
    folder = cache_dir / STORE_DIR
    shards: dict[str, Shard] = {}
    changes = _file_changes(cache, before, changed)
    touched = None if changes is None else _touched_file_shards(changes)
    groups = _grouped(cache, touched, before)
    if touched is not None:  # the other file shards hold the very states they held
        shards.update(
            (n, s) for n, s in before.shards.items() if n.startswith("files/") and n not in touched
        )
    for name, records in groups.items():
        last = before.shards.get(name)
        if last is not None and _same_records(name, records, last.keys, before):
            shards[name] = last
            continue
        early = written.get(name) if written else None
        if early is not None and _same_states(records, early):
            shards[name] = Shard(tuple(records), early.file)
            continue
        part: dict[Any, Any] = {}
        if name.startswith("memo/"):
            for key in records:
                view = cache.memo.get(key) or before.memo.get(key)
                if view is not None:  # never missing; if it were, it is parsed again
                    part[key] = view
        else:
            part = dict(records)
        shards[name] = Shard(tuple(part), _write_new(folder, part))
    cache.shards = shards
    base = _base_stats(before, changes)
    manifest = cache.manifest = _manifest_of(cache, base, changes)
    if base is not None and changes is not None and before.manifest is not None:
        cache.saved_after = (before.manifest, (*changes.others, *changes.gone))
    if _same_manifest(manifest, before.manifest or _manifest_of(before)):
        return
    _write(cache_dir, CACHE_FILE, manifest_record(manifest))
    _remove_leftovers(cache_dir, {shard.file for shard in shards.values()})


def read_back(cache_dir: Path, saved: BuildCache, before: BuildCache) -> BuildCache:
    """What `load_store` reads after `save_cache(cache_dir, saved, before)` (`feeds.resident`):
    the same records; the memo entries in memory that a feed still uses, others from shards."""
    manifest = saved.manifest or _manifest_of(saved)  # save_cache leaves it there
    where = memo_shards(saved.feed_memo)
    known = {**before.memo.entries, **saved.memo.entries}
    entries = {key: view for key in where if (view := known.get(key)) is not None}
    memo = Memo(entries, folder=cache_dir / STORE_DIR, files=manifest.store, where=where)
    return replace(saved, memo=memo, shards=dict(saved.shards), manifest=manifest)


_Stats = Mapping[str, Stat | None]  # a manifest's stats, by path


@dataclass(frozen=True, slots=True)
class _Changes:
    """The content files whose states are not `before`'s very objects (changed, new), in
    the build's order, and those gone, by path: a state made again is a new object, one kept
    is the same (`reading.load_files`, `sitepatch`)."""

    others: list[str]
    gone: list[str]


def _file_changes(
    cache: BuildCache, before: BuildCache, changed: Iterable[str] | None = None
) -> _Changes | None:
    """`_Changes` since `before`: among the `changed` paths when given, else found with one
    identity test per file in C (at a million files, grouping every state by the CRC of its
    path took a second for an edit of one, issue 14); None when `before`'s shards do not
    hold exactly its files."""
    old, new = before.files, cache.files
    kept = [shard for name, shard in before.shards.items() if name.startswith("files/")]
    if not old or sum(len(shard.keys) for shard in kept) != len(old):
        return None
    if changed is not None:
        paths = list(dict.fromkeys(changed))
        others = [r for r in paths if r in new and old.get(r) is not new[r]]
        return _Changes(others, sorted(r for r in paths if r in old and r not in new))
    others = list(compress(new, map(is_not, new.values(), map(old.get, new))))
    came = len(others) - sum(map(old.__contains__, others))
    gone = sorted(old.keys() - new.keys()) if len(new) - came != len(old) else []
    return _Changes(others, gone)


def _touched_file_shards(changes: _Changes) -> dict[str, list[str]]:
    """The file shards that may hold other records than before, with those paths."""
    touched: dict[str, list[str]] = {}
    for relative in chain(changes.others, changes.gone):
        touched.setdefault(file_shard(relative), []).append(relative)
    return touched


def _grouped(
    cache: BuildCache,
    touched: Mapping[str, list[str]] | None = None,
    before: BuildCache | None = None,
) -> dict[str, dict[Any, Any]]:
    """The store's records by shard (the memo's by key only: values are looked up later);
    of the file shards only those `touched` since `before` when given (`_touched_file_shards`)."""
    grouped: dict[str, dict[Any, Any]] = {}
    if touched is None:
        for relative, state in cache.files.items():
            grouped.setdefault(shard_name("files", relative), {})[relative] = state
    else:
        grouped.update(_touched_groups(cache, touched, before or BuildCache()))
    for key, content in cache.contents.items():
        grouped.setdefault(shard_name("contents", key), {})[key] = content
    for memo_key, shard in memo_shards(cache.feed_memo).items():
        grouped.setdefault(shard, {})[memo_key] = None
    grouped[FEED_MEMO] = dict(cache.feed_memo)
    grouped[LINT_MEMO] = dict(cache.lint_memo)
    return grouped


def _touched_groups(
    cache: BuildCache, touched: Mapping[str, list[str]], before: BuildCache
) -> Iterator[tuple[str, dict[str, FileState]]]:
    """Each touched file shard's records: those it held, in its order, as they are now (gone
    ones left out), then new files; a shard with new files is put in path order, the order
    a scan lists them (so a shard whose files a reader wrote whole compares equal)."""
    files = cache.files
    shards = before.shards
    for name, paths in touched.items():
        last = shards.get(name)
        held = () if last is None else last.keys
        records = {key: files[key] for key in held if key in files}
        came = [relative for relative in paths if relative in files and relative not in records]
        if came:
            records.update((relative, files[relative]) for relative in came)
            records = {key: records[key] for key in sorted(records)}
        if records:  # a shard whose files all went is no longer in the store
            yield name, records


def _same_records(
    name: str, records: Mapping[Any, Any], keys: Iterable[str | bytes], old: BuildCache
) -> bool:
    """True when a shard of `old` holding `keys` also holds `records`: the same keys in the
    same order (entry contents and memo entries are what their key says, a feed's memo keys
    must be equal, and a content file's state the same: its stat, which the manifest repeats,
    and the very same objects, as unchanged states are)."""
    if list(records) != list(keys):
        return False
    if name == FEED_MEMO:
        return all(records[path] == old.feed_memo.get(path) for path in records)
    if name == LINT_MEMO:
        return all(records[path] == old.lint_memo.get(path) for path in records)
    if not name.startswith("files/"):
        return True
    for relative, state in records.items():
        last = old.files.get(relative)
        if last is None:
            return False
        if state is not last and not (
            state.stat == last.stat
            and state.digest == last.digest
            and state.good is last.good
            and state.problems is last.problems
            and state.content_keys is last.content_keys
            and state.kept is last.kept
        ):
            return False
    return True


def _same_states(records: Mapping[str, Any], written: WrittenShard) -> bool:
    """Whether `records` are the very states `written` holds, under the same paths in order."""
    return tuple(records) == written.paths and all(
        map(operator.is_, records.values(), written.states)
    )


def _manifest_of(
    cache: BuildCache, base: _Stats | None = None, changes: _Changes | None = None
) -> Manifest:
    """The manifest of `cache`; its stats the `base` ones with the `changes` when given."""
    return Manifest(
        reading_key=cache.reading_key,
        render_key=cache.render_key,
        stats=_stats_of(cache.files, base, changes),
        feeds=cache.feeds,
        summary=cache.summary,
        store={name: shard.file for name, shard in cache.shards.items()},
    )


def _same_manifest(mine: Manifest, last: Manifest) -> bool:
    """`mine == last`, the stats compared last: an edit rewrites a shard, so the store's file
    names differ, and a million stats are not compared to find that out."""
    others = (getattr(mine, name) == getattr(last, name) for name in _MANIFEST_BUT_STATS)
    return all(others) and mine.stats == last.stats


_MANIFEST_BUT_STATS = tuple(f.name for f in fields(Manifest) if f.name != "stats")


def _base_stats(before: BuildCache, changes: _Changes | None) -> _Stats | None:
    """`before`'s manifest stats when this save's are those with the `changes` (they hold
    exactly `before`'s files); else None, and the stats are made from every state."""
    last = None if before.manifest is None else before.manifest.stats
    if changes is None or last is None or len(last) != len(before.files):
        return None
    return last


def _stats_of(
    files: Mapping[str, FileState], base: _Stats | None, changes: _Changes | None
) -> StatTable:
    if base is None or changes is None:
        return StatTable({relative: state.stat for relative, state in files.items()})
    if not changes.gone and not changes.others and isinstance(base, StatTable):
        return base
    stats = base.copy() if isinstance(base, StatTable) else dict(base)
    for relative in changes.gone:
        del stats[relative]
    for relative in changes.others:
        stats[relative] = files[relative].stat
    return StatTable(stats)


def _write_new(folder: Path, value: object) -> str:
    """Pickle `value` (bytes: as they are) to a new file in `folder`; its name."""
    folder.mkdir(parents=True, exist_ok=True)
    while True:
        name = f"{secrets.token_hex(8)}.pickle"
        if not (folder / name).exists():
            break
    _write(folder, name, value)
    return name


def _write(folder: Path, name: str, value: object) -> None:
    """Write `value` atomically (temp file + rename), so a killed build leaves the old file."""
    folder.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=folder, prefix=TEMP_PREFIX, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(value, bytes):
                handle.write(value)
            else:
                dump(value, handle)
        os.replace(temp, folder / name)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _remove_leftovers(cache_dir: Path, keep: set[str]) -> None:
    """Temporary files of killed builds, and the store's files the manifest no longer names."""
    for folder, store in ((cache_dir, False), (cache_dir / STORE_DIR, True)):
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            temporary = name.startswith(TEMP_PREFIX) and name.endswith(".tmp")
            unnamed = store and name.endswith(".pickle") and name not in keep
            if (temporary or unnamed) and entry.is_file(follow_symlinks=False):
                try:
                    os.unlink(entry.path)
                except OSError:
                    continue
