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

CACHE_VERSION = f"feeds-cache-{__version__}-3"
CACHE_FILE = "build-cache.pickle"


@dataclass(frozen=True, slots=True)
class FileState:
    """What one content file gave: keyed on its stat, confirmed by its digest.

    `articles` have their bodies dropped (memory stays flat); `good` is the last version of
    the file that read without errors, kept so a broken edit does not unpublish an article.
    """

    size: int
    mtime_ns: int
    digest: str
    articles: tuple[Article, ...]
    problems: tuple[Problem, ...]
    good: tuple[Article, ...] = ()


@dataclass(frozen=True, slots=True)
class FeedState:
    """A feed file as last written: its input fingerprint and the file's stat and digest."""

    fingerprint: str
    size: int
    mtime_ns: int
    kept: int | None = None  # entries kept when feeds.max_bytes cut the feed


@dataclass(slots=True)
class BuildCache:
    reading_key: str = ""
    files: dict[str, FileState] = field(default_factory=dict)
    contents: dict[str, EntryContent] = field(default_factory=dict)
    feeds: dict[str, FeedState] = field(default_factory=dict)
    checked: set[bytes] = field(default_factory=set)


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


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
