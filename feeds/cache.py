"""Build state kept between builds in `cache_dir`: what each content file gave last time, the
rendered content of articles that were in feeds, and a fingerprint of every feed file written.

The cache only saves work; deleting it (or a corrupt or outdated one) gives a clean build with
the same bytes. It is versioned: another version of feeds ignores it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from feeds import __version__
from feeds.body import EntryContent
from feeds.model import Article, Problem

CACHE_VERSION = f"feeds-cache-{__version__}-4"
CACHE_FILE = "build-cache.pickle"


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

    def matches(self, stat: os.stat_result) -> bool:
        """True when `stat` is the one this state was taken from (and may be trusted)."""
        return not self.racy and (self.size, self.mtime_ns, self.ctime_ns, self.ino) == (
            stat.st_size,
            stat.st_mtime_ns,
            stat.st_ctime_ns,
            stat.st_ino,
        )


@dataclass(frozen=True, slots=True)
class FeedState:
    """A file the build wrote, as it left it: the fingerprint of its inputs (empty for the
    discovery pages, which are rendered every build) and the file's size and mtime."""

    fingerprint: str
    size: int
    mtime_ns: int
    kept: int | None = None  # entries kept when feeds.max_bytes cut the feed


@dataclass(slots=True)
class BuildCache:
    """`files` by path relative to content_dir; `contents` by `content_key`; `feeds` (feed
    files and the discovery pages the build wrote) by path relative to output_dir."""

    reading_key: str = ""
    files: dict[str, FileState] = field(default_factory=dict)
    contents: dict[str, EntryContent] = field(default_factory=dict)
    feeds: dict[str, FeedState] = field(default_factory=dict)
    checked: set[bytes] = field(default_factory=set)


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def content_key(article: Article) -> str:
    """The key of an article's `EntryContent`: a digest of everything `entry_content` reads
    (body, body format, link, explicit summary), so an entry stays valid as long as those do,
    whatever the file, the record's position in it or the rest of the config."""
    fields = (article.body, article.body_format.value, article.link, article.summary)
    return hashlib.sha256(repr(fields).encode()).hexdigest()


def load_cache(cache_dir: Path) -> BuildCache:
    """The saved state, or an empty one when missing, unreadable, corrupt or of another version."""
    try:
        with open(cache_dir / CACHE_FILE, "rb") as handle:
            version, cache = pickle.load(handle)  # our own file in cache_dir
    except Exception:  # any damage means: start clean
        return BuildCache()
    if version != CACHE_VERSION or not isinstance(cache, BuildCache):
        return BuildCache()
    return cache


def save_cache(cache_dir: Path, cache: BuildCache) -> None:
    """Write the state atomically (temp file + rename), so a killed build leaves the old one."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=cache_dir, prefix=".cache-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            pickle.dump((CACHE_VERSION, cache), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, cache_dir / CACHE_FILE)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
