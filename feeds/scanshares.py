"""The content scan of a big site shared by the build's processes (issue 14): at a million
files the scan is a million `lstat` calls, most of a build with nothing to do.

Every process walks every real folder (listing a folder is cheap next to the stats); each
takes the stat of the article files whose name hashes to it (forked processes share the
hash seed) and sums the digest of those files with their stats (`feeds.stattable`). Only
the build process's own share follows symbolic links. When the count and the sum are the
manifest's, every file has the stat the last build took and trusted: a build with nothing
to do needs no more, not even the manifest's stats unpacked. Otherwise the workers send the
files they found (one pickle each) and the build counts the changed ones. The answer is
`scan_content`'s, the same files in the same order.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from feeds.buildwork import Stats, files_digest, path_of, stat_of
from feeds.cache import Manifest
from feeds.codec import collector_paused
from feeds.config import Config
from feeds.contentfiles import ContentWalk, Skipped, scan_content
from feeds.model import FileStat, file_stats
from feeds.parallel import Workers, collector_off_inherited, worker_count
from feeds.stattable import add_digests, digest_of

R = TypeVar("R")

# Content files the last build read from which the scan is shared; below, one process
# scans faster than it forks (a fork, and a pickle of the shares' files).
MIN_FILES_FOR_SHARED_SCAN = 20_000


@dataclass(slots=True)
class Scanned:
    """The content files a scan found: how many, how many changed since the last build
    (None: not counted yet, `buildwork.changed_stats` counts them), and the files
    themselves, made when first asked for."""

    count: int
    changed: int | None
    _files: Stats | None = None
    _make: Callable[[], Stats] | None = None

    @classmethod
    def of(cls, files: Stats) -> Scanned:
        return cls(len(files), None, files)

    def files(self) -> Stats:
        """`scan_content`'s answer: every file, sorted by path."""
        if self._files is None:
            assert self._make is not None
            self._files, self._make = self._make(), None
        return self._files


@dataclass(frozen=True, slots=True)
class _Share:
    walk: ContentWalk | None  # the build process's own share's walk
    kept_out: list[str]  # by content.exclude
    count: int
    digest: int  # `files_digest` of its files; 0 when the manifest has no digest to match


def scan_shared(
    config: Config,
    manifest: Manifest | None,
    skipped: Skipped,
    excluded: list[str],
    unreadable: list[str] | None = None,
) -> Scanned:
    """`scan_content` of `config.content_dir` (with content.exclude), shared by the processes
    a build may use when the last build read enough files to make it pay."""
    processes = worker_count()
    known = 0 if manifest is None else len(manifest.stats)
    if manifest is None or processes < 2 or known < MIN_FILES_FOR_SHARED_SCAN:
        exclude = config.content_exclude
        found = scan_content(config.content_dir, skipped, exclude, excluded, None, unreadable)
        return Scanned.of(found)
    return shared_scan(config, manifest, processes, skipped, excluded, unreadable=unreadable)


def shared_scan(
    config: Config,
    manifest: Manifest,
    processes: int,
    skipped: Skipped,
    excluded: list[str],
    send: bool = False,
    unreadable: list[str] | None = None,
) -> Scanned:
    """`scan_shared`'s answer from `processes` shares. The workers send their files when
    the counts show a change (or `send`); else `Scanned.files` scans again if asked. Every
    share lists every folder: the build process's own share says which it could not."""
    global _SCAN
    _SCAN = (config, manifest, processes)
    try:
        with collector_off_inherited(), Workers(processes) as pool:
            shares = _each(pool, _walk_share, processes)
            walk = shares[0].walk
            assert walk is not None
            count = sum(s.count for s in shares)
            linked = bool(walk.folder_links or walk.file_links)
            unchanged = not linked and _unchanged(manifest, count, shares)
            wanted = send or not unchanged
            sent = _each(pool, _send_share, processes)[1:] if wanted else None
    finally:
        _SCAN = None
        _KEPT.clear()
    kept_out = [relative for done in shares for relative in done.kept_out]
    if unreadable is not None:
        unreadable.extend(walk.unreadable)
    if linked:  # the linked trees, after the real one, walked here (`ContentWalk.finish`)
        assert sent is not None
        walk.found.extend(item for data in sent for item in _received(data))
        files = walk.finish(skipped, config.content_exclude, kept_out)
        excluded.extend(sorted(kept_out))
        return Scanned.of(files)
    excluded.extend(sorted(kept_out))
    skipped.extend(sorted(walk.notes))
    if sent is None:  # the digests said unchanged: a caller that needs the files scans again

        def again() -> Stats:
            return shared_scan(config, manifest, processes, [], [], send=True).files()

        return Scanned(count, 0, _make=again)
    return Scanned(count, 0 if unchanged else None, _make=lambda: _merged(walk.found, sent))


def _unchanged(manifest: Manifest, count: int, shares: list[_Share]) -> bool:
    """Whether the shares found the files of the manifest, each with the stat it keeps."""
    expected = digest_of(manifest.stats)
    if expected is None or count != len(manifest.stats):
        return False
    return add_digests(share.digest for share in shares) == expected


# What the shares of a scan walk, set before the workers are forked (they inherit it), and
# the files of each share, kept where it was walked until `_send_share` asks for them.
_SCAN: tuple[Config, Manifest, int] | None = None
_KEPT: dict[int, Stats] = {}


def _each(pool: Workers, function: Callable[[int], R], processes: int) -> list[R]:
    """`function(index)` for each share, side by side; shares without a worker (a fork
    failed) here, after."""
    done = pool.run(function, [(index,) for index in range(min(pool.count, processes))])
    return done + [function(index) for index in range(len(done), processes)]


def _walk_share(index: int) -> _Share:
    assert _SCAN is not None
    config, manifest, processes = _SCAN
    walk = ContentWalk(config.content_dir, index, processes, config.content_exclude)
    walk.folder(str(config.content_dir), "")
    found = walk.found  # content.exclude applied by the walk
    with collector_paused():
        digest = 0 if digest_of(manifest.stats) is None else files_digest(found)
    if index == 0:
        return _Share(walk, walk.kept_out, len(found), digest)
    _KEPT[index] = found
    return _Share(None, walk.kept_out, len(found), digest)


def _send_share(index: int) -> bytes:
    """Share `index`'s files, pickled (the build process's own stay where they are)."""
    if index == 0:
        return b""
    if index not in _KEPT:  # walked by a worker that has failed since: walked again here
        _walk_share(index)
    with collector_paused():
        return _sent(_KEPT.pop(index))


def _merged(own: Stats, sent: list[bytes]) -> Stats:
    """The build process's share and the workers' (`_sent`), sorted by path."""
    with collector_paused():
        for data in sent:
            own.extend(_received(data))
    own.sort()
    return own


def _sent(found: Stats) -> bytes:
    # plain tuples (`file_stats`)
    paths, stats = list(map(path_of, found)), list(map(tuple, map(stat_of, found)))
    return pickle.dumps((paths, stats), pickle.HIGHEST_PROTOCOL)


def _received(sent: bytes) -> Iterable[tuple[str, FileStat]]:
    paths, stats = pickle.loads(sent)
    return zip(paths, file_stats(stats), strict=True)
