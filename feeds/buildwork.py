"""How much work a build has, decided from the manifest before anything else is read: none
at all (every content file's stat as the last build took and trusted, the same settings,
the same articles due, every published file untouched: the last report stands), and how
many processes the rest pays for (`feeds.parallel`)."""

from __future__ import annotations

from operator import itemgetter, ne

from feeds.cache import Manifest
from feeds.config import Config
from feeds.idregistry import IDS_FILE
from feeds.keys import reading_key, render_key
from feeds.layout import managed_files
from feeds.model import FileStat
from feeds.ownership import OWNED_NAME
from feeds.parallel import worker_count
from feeds.request import BuildReport, BuildRequest, report_of
from feeds.stattable import StatTable, digest

Stats = list[tuple[str, FileStat]]

# When a build forks workers (see feeds.parallel); below these, one process does it faster.
MIN_FILES_FOR_POOL = 300  # content files to read
MIN_FEEDS_FOR_POOL = 20  # feed files to render after a settings change


def changed_stats(manifest: Manifest | None, files: Stats) -> int:
    """How many content files do not have the stat the last build took and trusted (a new
    file, a changed one, a racy one: its stat is None); every one without a manifest."""
    if manifest is None:
        return len(files)
    # in C, not a Python step per file: the manifest's stat of each path against the first
    # four fields of its `FileStat` (`stat_key`)
    stats = manifest.stats
    known = map(stats.getter() if isinstance(stats, StatTable) else stats.get, map(path_of, files))
    return sum(map(ne, known, map(_STAT_KEY, map(stat_of, files))))


def files_digest(files: Stats) -> int:
    """`stattable.digest` of the files with their stat keys: equal to the manifest's when
    each has the stat the last build took and trusted (and no other file is in either)."""
    return digest(map(path_of, files), map(_STAT_KEY, map(stat_of, files)))


# the two halves of a `Stats` item, in C
path_of, stat_of = itemgetter(0), itemgetter(1)
_STAT_KEY = itemgetter(slice(0, 4))  # of a `FileStat`: `cache.stat_key`


def stats_unchanged(manifest: Manifest | None, count: int, changed: int) -> bool:
    """True when every content file (`count` of them) has the stat the last build took and
    trusted, and no file the last build read is gone (`changed` is `changed_stats`)."""
    return manifest is not None and changed == 0 and len(manifest.stats) == count


def nothing_to_do(
    config: Config, manifest: Manifest | None, request: BuildRequest
) -> BuildReport | None:
    """The report of a build with nothing to do, or None when there is something to do.

    The caller has found every content file present with the stat the last build took (and
    trusted). Nothing to do: besides, the same settings; the same articles due at `now`; every
    file the last build was to publish published and untouched, and no other feed file under
    feeds/. The full build would then re-read, re-render and re-write nothing, and report
    what the last one did."""
    if manifest is None or manifest.summary is None:
        return None
    summary = manifest.summary
    if manifest.reading_key != reading_key(config) or manifest.render_key != render_key(config):
        return None
    if not summary.covers(request.now):
        return None
    recorded = manifest.feeds
    planned = summary.planned
    if len(recorded) != len(planned):
        return None
    for path in planned:
        state = recorded.get(path)
        if state is None or not state.untouched(config.output_dir / path):
            return None
    if not set(managed_files(config.output_dir)) <= set(planned):
        return None
    if not (config.output_dir / OWNED_NAME).is_file():
        return None  # a folder of an older build, or a lost manifest: record what it owns
    if not (config.cache_dir / IDS_FILE).is_file():
        return None  # a cache of an older build: record the ids it published
    blocked = request.strict and bool(summary.problems or summary.kept)
    return report_of(summary, request, files_total=len(manifest.stats), blocked=blocked)


def pool_size(
    config: Config, manifest: Manifest | None, files: int, changed: int, requested: int | None
) -> int:
    """How many processes this build uses: more than one only when the work pays for them
    (many files to read, or many feeds to render after a settings change). It reads the
    `changed` files (`changed_stats`) of its `files`, or all of them when the state cannot be
    used (none, other reading settings, no store)."""
    count = worker_count(requested)
    if count == 1:
        return 1
    usable = manifest is not None and manifest.reading_key == reading_key(config)
    if (changed if usable and manifest and manifest.store else files) >= MIN_FILES_FOR_POOL:
        return count
    if (
        manifest is not None
        and manifest.render_key != render_key(config)
        and len(manifest.feeds) >= MIN_FEEDS_FOR_POOL
    ):
        return count
    return 1
