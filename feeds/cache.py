"""Build state kept between builds in `cache_dir`:

- the manifest (`CACHE_FILE`), read by every build: the settings keys, the stat of every
  content file (packed, with their digest: `feeds.stattable`), the state of every file the
  build wrote, a summary of the last build, and the names of the store's files. That is
  enough to answer a build with nothing to do without reading anything else;
- the store (`STORE_DIR`), read only when something changed: shards of what each content
  file gave and of the entry content of articles that were in feeds (dealt out by a hash of
  their key, all read), and of the round-trip memo (one shard per feed file: the entries
  that feed was the first to use, read only for the feeds a build renders again), and of the
  lint memo (`feeds.lintmemo`: each written feed file's lint findings under its bytes' key).

A shard file is never changed: a shard whose records changed is written to a new file, then
the manifest that names it replaces the old one (temporary file + rename), then the files no
manifest names are removed. A build killed at any point leaves a manifest whose files all
exist, so a one-article change writes a few shards and the manifest, never the whole store.
The cache only saves work: deleting it (or a corrupt or outdated one) gives a clean build
with the same bytes. It is versioned: another version of feeds ignores it.

Records are pickled by constructor (`feeds.codec`).
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from feeds.body import EntryContent
from feeds.codec import load, pickle_by_constructor
from feeds.lintmemo import LintEntry, LintMemo
from feeds.model import Article, Author, Category, Enclosure, FileStat, Problem
from feeds.stattable import Stat
from feeds.version import __version__
from feeds.views import EntryView

# -6: issue 13 changed feed bytes; -7: archives under a budget (19); -8: podcast show feeds
# (17); -9: itunes:category names in the text attribute (17); -10: dotted dates day first (11);
# -11: several authors (16); -12: Unix-time dates, TOML/Pelican front matter, generator ids
# (18); -13: the lint memo shard (14); -14: records' bodies in recordbodies, content keys with
# html.allow_iframes (18); -16: the manifest's stats packed (`StatTable`, 14)
CACHE_VERSION = f"feeds-cache-{__version__}-16"
CACHE_FILE = "build-cache.pickle"
STORE_DIR = "build-store"
TEMP_PREFIX = ".cache-"


def stat_key(stat: os.stat_result | FileStat) -> Stat:
    """The part of a stat that says a file is as it was (the manifest keeps it per file)."""
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


@dataclass(frozen=True, slots=True)
class FileState:
    """What one content file gave: keyed on its stat, confirmed by its digest.

    The stat key is size, mtime, ctime and inode: a file edited and given back its old mtime
    (`cp -p`, `rsync -t`, an unpacked archive) still has a new ctime, and two files that swap
    names swap inodes. `racy` marks a stat taken so soon after the file was written that a
    second write within the file system's timestamp granularity could leave it unchanged:
    the next build hashes such a file again instead of trusting its stat.

    `good` are the articles to publish from the file, bodies dropped (memory stays flat):
    what read without errors, plus, for a record that used to read and now fails, its last
    good version (named in `kept`). `content_keys[i]` is the `content_key` of `good[i]`.
    """

    size: int
    mtime_ns: int
    ctime_ns: int
    ino: int
    digest: str
    problems: tuple[Problem, ...]
    good: tuple[Article, ...] = ()
    content_keys: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()
    racy: bool = False
    reader_digests: tuple[str, ...] = ()  # `idregistry.reader_digest` of each read `good[i]`

    def matches(self, stat: FileStat) -> bool:
        """True when `stat` is the one this state was taken from (and may be trusted)."""
        return not self.racy and (self.size, self.mtime_ns, self.ctime_ns, self.ino) == stat_key(
            stat
        )

    @property
    def stat(self) -> Stat | None:
        """The stat key as the manifest keeps it; None for a racy state (never trusted)."""
        return None if self.racy else (self.size, self.mtime_ns, self.ctime_ns, self.ino)


@dataclass(frozen=True, slots=True)
class FeedState:
    """A file the build wrote, as it left it: the fingerprint of its inputs and the file's
    size and mtime (a feed file, or a discovery page)."""

    fingerprint: str
    size: int
    mtime_ns: int
    kept: int | None = None  # entries kept when feeds.max_bytes cut the feed

    def untouched(self, path: Path) -> bool:
        """True when the file at `path` still has the size and mtime this state recorded
        (nobody has written it since the build did)."""
        try:
            stat = path.stat()
        except OSError:
            return False
        return (stat.st_size, stat.st_mtime_ns) == (self.size, self.mtime_ns)


@dataclass(frozen=True, slots=True)
class Summary:
    """What a complete build reported, for the next build when it finds nothing changed.

    The published set depends on the clock only through which articles are due: it stays the
    same while `latest <= now < next_due` (`latest`: the newest publication time among the
    articles that were due, `next_due`: the earliest among the scheduled ones; None: none).
    `problems` are those found reading and resolving the content (no feed was rendered).
    `planned` is every file the build was to publish (feeds, archives, pages)."""

    files_total: int
    articles: int
    drafts: int
    scheduled: tuple[Article, ...]
    problems: tuple[Problem, ...]
    kept: tuple[str, ...]
    cut: tuple[tuple[str, int, int], ...]
    feeds_total: int
    planned: tuple[str, ...]
    latest: datetime | None
    next_due: datetime | None

    def covers(self, now: datetime) -> bool:
        """True when the same articles are due at `now` as at the summarised build."""
        return (self.latest is None or self.latest <= now) and (
            self.next_due is None or now < self.next_due
        )


class Memo:
    """Round-trip memo entries (`validate.EntryMemo` values) by key: those given, and those of
    the store, each shard read when one of its entries is first asked for."""

    def __init__(
        self,
        entries: Mapping[bytes, EntryView] | None = None,
        *,
        folder: Path | None = None,
        files: Mapping[str, str] | None = None,
        where: Mapping[bytes, str] | None = None,
    ) -> None:
        self.entries: dict[bytes, EntryView] = dict(entries or {})
        self._folder = folder
        self._files = dict(files or {})  # shard name -> file name
        self._where = dict(where or {})  # key -> shard name
        self._read: set[str] = set()

    def get(self, key: bytes) -> EntryView | None:
        found = self.entries.get(key)
        if found is None:
            shard = self._where.get(key)
            if shard is not None and shard not in self._read:
                self._read.add(shard)
                self.entries.update(self._shard(shard))
                found = self.entries.get(key)
        return found

    def _shard(self, shard: str) -> dict[bytes, EntryView]:
        name = self._files.get(shard)
        if self._folder is None or name is None:
            return {}
        try:
            part = load(self._folder / name)
        except Exception:  # a damaged shard: its entries are parsed again
            return {}
        return part if isinstance(part, dict) else {}


@dataclass(slots=True)
class BuildCache:
    """Everything one build leaves for the next. `files` by path relative to content_dir;
    `contents` by `content_key`; `feeds` (feed files and the discovery pages the build wrote)
    by path relative to output_dir; `memo` the round-trip memo and `feed_memo` the memo keys
    each feed file's check read, in order (a key belongs to the shard of its first feed);
    `lint_memo` each written feed file's lint (`feeds.lintmemo`), by path."""

    reading_key: str = ""
    render_key: str = ""
    files: dict[str, FileState] = field(default_factory=dict)
    contents: dict[str, EntryContent] = field(default_factory=dict)
    feeds: dict[str, FeedState] = field(default_factory=dict)
    memo: Memo = field(default_factory=Memo)
    feed_memo: dict[str, tuple[bytes, ...]] = field(default_factory=dict)
    lint_memo: dict[str, LintEntry] = field(default_factory=dict)
    summary: Summary | None = None
    shards: dict[str, Shard] = field(default_factory=dict)  # the store as read, by name
    manifest: Manifest | None = None  # as read, or as saved (`save_cache`)
    # as saved: the manifest it was saved after and the files whose stats may differ from
    # that one's (None: not known; `feeds.resident` counts changed stats from them)
    saved_after: tuple[Manifest, tuple[str, ...]] | None = None

    def saved_memo(self) -> dict[bytes, EntryView]:
        """The round-trip memo entries the last build's feed file checks read (`feeds
        validate` starts from them: a key is an entry's exact bytes under its file's head)."""
        return {
            key: view
            for keys in self.feed_memo.values()
            for key in keys
            if (view := self.memo.get(key)) is not None
        }

    def saved_lint(self) -> LintMemo:
        """The lint memo of the files the last build wrote (`feeds validate` starts from it)."""
        return LintMemo(self.lint_memo.values())


@dataclass(frozen=True, slots=True)
class Manifest:
    """The small file every build reads (see the module docstring)."""

    reading_key: str
    render_key: str
    stats: Mapping[str, Stat | None]  # every content file the last build read, by path
    feeds: dict[str, FeedState]
    summary: Summary | None
    store: dict[str, str]  # shard name -> its file in STORE_DIR


@dataclass(frozen=True, slots=True)
class Shard:
    """One shard of the store: the keys of its records, in order, and its file."""

    keys: tuple[str | bytes, ...]
    file: str


# Shards of the parts read whole; a record's shard is the CRC-32 of its key modulo the count.
_SHARDS = {"files": 64, "contents": 16}
FEED_MEMO = "feed-memo"
LINT_MEMO = "lint-memo"


_SHARD_NAMES = {part: [f"{part}/{n:02d}" for n in range(count)] for part, count in _SHARDS.items()}


def shard_name(part: str, key: str) -> str:
    names = _SHARD_NAMES[part]
    return names[zlib.crc32(key.encode("utf-8", "surrogatepass")) % len(names)]


def memo_shards(feed_memo: Mapping[str, Iterable[bytes]]) -> dict[bytes, str]:
    """Each memo key's shard: `memo/` and the first feed (in `feed_memo`'s order) using it."""
    where: dict[bytes, str] = {}
    for path, keys in feed_memo.items():
        shard = f"memo/{path}"
        for key in keys:
            where.setdefault(key, shard)
    return where


pickle_by_constructor(
    Article, Author, Category, Enclosure, Problem, EntryContent, FileState, FeedState
)
pickle_by_constructor(Summary, Manifest)


# -- reading ----------------------------------------------------------------------------------


def manifest_record(manifest: Manifest) -> tuple[str, Manifest]:
    """What `CACHE_FILE` holds: the manifest under this version's `CACHE_VERSION`."""
    return CACHE_VERSION, manifest


def load_manifest(cache_dir: Path) -> Manifest | None:
    """The manifest, or None when missing, unreadable, corrupt or of another version."""
    try:
        loaded = load(cache_dir / CACHE_FILE)
    except Exception:  # any damage means: start clean
        return None
    if not (isinstance(loaded, tuple) and len(loaded) == 2 and loaded[0] == CACHE_VERSION):
        return None
    manifest = loaded[1]
    return manifest if isinstance(manifest, Manifest) else None


def load_store(cache_dir: Path, manifest: Manifest | None) -> BuildCache:
    """The whole state the manifest names (memo shards are read when first needed). Without a
    manifest: an empty state; with a store that is damaged: the manifest's part only (every
    content file is then read again)."""
    if manifest is None:
        return BuildCache()
    cache = BuildCache(
        reading_key=manifest.reading_key,
        render_key=manifest.render_key,
        feeds=manifest.feeds,
        summary=manifest.summary,
        manifest=manifest,
    )
    folder = cache_dir / STORE_DIR
    files: dict[str, FileState] = {}
    contents: dict[str, EntryContent] = {}
    shards: dict[str, Shard] = {}
    feed_memo: dict[str, tuple[bytes, ...]] = {}
    try:
        for name, file in manifest.store.items():
            if name.startswith("memo/") or name == LINT_MEMO:
                continue
            part = load(folder / file)
            if not isinstance(part, dict):
                return cache
            shards[name] = Shard(tuple(part), file)
            if name.startswith("files/"):
                files.update(part)  # written with the manifest's stats (see `_same_records`)
            elif name.startswith("contents/"):
                contents.update(part)
            elif name == FEED_MEMO:
                feed_memo = part
    except Exception:  # any damage means: read every file again
        return cache
    if files.keys() != manifest.stats.keys():
        return cache
    where = memo_shards(feed_memo)
    memo_keys: dict[str, list[bytes]] = {}
    for key, shard in where.items():
        memo_keys.setdefault(shard, []).append(key)
    for name, file in manifest.store.items():
        if name.startswith("memo/"):
            shards[name] = Shard(tuple(memo_keys.get(name, ())), file)
    cache.files, cache.contents, cache.feed_memo, cache.shards = files, contents, feed_memo, shards
    cache.lint_memo = _lint_memo(folder, manifest.store.get(LINT_MEMO), shards)
    cache.memo = Memo(folder=folder, files=manifest.store, where=where)
    return cache


def _lint_memo(folder: Path, file: str | None, shards: dict[str, Shard]) -> dict[str, LintEntry]:
    """The lint memo shard, or none when missing or damaged (the files are linted again)."""
    if file is None:
        return {}
    try:
        part = load(folder / file)
    except Exception:  # a damaged shard: no memo
        return {}
    if not isinstance(part, dict):
        return {}
    found = {p: e for p, e in part.items() if isinstance(p, str) and isinstance(e, LintEntry)}
    shards[LINT_MEMO] = Shard(tuple(found), file)
    return found


def load_cache(cache_dir: Path) -> BuildCache:
    """The saved state, or an empty one when missing, unreadable, corrupt or of another version."""
    return load_store(cache_dir, load_manifest(cache_dir))
