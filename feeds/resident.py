"""What a long-running process (`feeds build --watch`, a CMS worker calling `build_site`)
keeps of one site between builds, so that a build after a small change does not read again
what it already holds (issue 14): the content scan, updated from the paths a watcher reports;
the build state and the id registry the last build saved; each article's reader digest.

Nothing kept is used unless it is still true. The build state and the registry are used
while their files in cache_dir are as this process left them (same stat), so another build
of the same site in between (another terminal, a deleted cache) is read as usual. The scan
is updated only while a watcher reports every change (`watching`) and has done so since the
last full scan began, and only for article files edited, added or deleted in folders it has
scanned: a new or deleted folder, a symbolic link anywhere in the content, or another content
folder or exclude setting is a full scan. A build with a resident publishes the same bytes
as one without (tests/test_resident.py puts every kind of change through both).
"""

from __future__ import annotations

import dataclasses
import os
from bisect import bisect_left, insort
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISDIR, S_ISREG
from typing import TypeVar

from feeds.buildwork import changed_stats, path_of
from feeds.cache import CACHE_FILE, BuildCache, Manifest, stat_key
from feeds.config import Config
from feeds.contentbytes import FOLDER_FLAGS
from feeds.contentfiles import Skipped, is_article_name, is_excluded
from feeds.idjournal import JOURNAL_DIR
from feeds.idregistry import IDS_FILE, Published, RegistryMemo
from feeds.keys import Fingerprints
from feeds.model import Article, FileStat
from feeds.site import Prepared
from feeds.siteadd import index_of
from feeds.stattable import Stat

Stats = list[tuple[str, FileStat]]
FileStamp = Stat | None  # of a state file: None when it is missing
T = TypeVar("T")

# More reported paths than this since the last build: a full scan costs less than looking.
MAX_CHANGES = 1000


@dataclass(slots=True)
class _Scan:
    """One full scan of the content folder and what it left out."""

    setting: tuple[Path, tuple[str, ...]]  # content_dir, content.exclude
    files: Stats
    skipped: Skipped
    excluded: list[str]
    links: bool  # some symbolic link was met: its target may change unseen


class Resident:
    """One site's state kept between builds by the process that runs them (see the module
    docstring); give the same one to every build of the site (`build_site(resident=...)`)."""

    def __init__(self) -> None:
        self._scan: _Scan | None = None
        self._watching = False  # a watcher reports every change under the content folder
        self._scan_watched = False  # and was already watching when `_scan` began
        self._changed: set[str] = set()  # absolute paths reported since the last scan
        self._cache: tuple[FileStamp, BuildCache] | None = None
        self._ids: tuple[tuple[FileStamp, FileStamp], dict[str, Published]] | None = None
        self.registry = RegistryMemo()  # for `registry_of` and `registry_swapped`
        self._touched: Stats | None = None  # the files the last scan took again, if it did
        self._came: Stats = []  # and the new article files it found (not excluded)
        self._touched_before: list[FileStat] = []  # the stats they had before, in turn
        self._gone: Stats = []  # the article files it found deleted, with their last stats
        self._before_touched: Stats | None = None  # the scan's files before it took them
        # a manifest, the scan's files, and how many stats differ: counted after a save (for
        # the next build), and given by the build that began from them (`note_count`)
        self._counted: tuple[Manifest, Stats, int] | None = None
        self._site: tuple[BuildCache, Config, Prepared] | None = None
        self._fingerprints: Fingerprints | None = None

    # -- what a watcher tells ---------------------------------------------------------------

    def watching(self) -> None:
        """A watcher now reports (`changed`) every change under the content folder; the next
        build still scans in full, as changes before the watcher started were not seen."""
        self._watching = True
        self._scan_watched = False

    def changed(self, paths: Iterable[Path | str]) -> None:
        """Paths created, modified or deleted since the last build (a path outside the
        content folder, the config file say, makes the next build scan in full)."""
        self._changed.update(os.fspath(path) for path in paths)

    def forget(self) -> None:
        """Keep nothing: the next build reads everything as a fresh process does."""
        self.__init__()  # type: ignore[misc]

    # -- what a build asks ------------------------------------------------------------------

    def scan(
        self, config: Config, full: Callable[[Skipped, list[str], list[str]], Stats]
    ) -> tuple[Stats, Skipped, list[str]]:
        """The content files with their stats, and the skipped and excluded ones: the last
        scan updated with the reported changes when that is safe, else `full(skipped,
        excluded, links)` (`scan_content`'s answer)."""
        setting = (config.content_dir, config.content_exclude)
        changed, self._changed = self._changed, set()
        last = self._scan
        self._touched, self._came, self._touched_before, self._gone = None, [], [], []
        if last is not None and last.setting == setting and self._scan_watched and not last.links:
            updated = _updated(last, changed, config.content_dir)
            if updated is not None:
                self._before_touched = last.files
                last.files, self._touched, self._touched_before, self._came, self._gone = updated
                return last.files, list(last.skipped), list(last.excluded)
        watched = self._watching  # a change from now on is reported for the next build
        skipped: Skipped = []
        excluded: list[str] = []
        links: list[str] = []
        self._scan = None
        files = full(skipped, excluded, links)
        self._scan = _Scan(setting, files, list(skipped), list(excluded), bool(links))
        self._scan_watched = watched
        return files, skipped, excluded

    def cache(self, cache_dir: Path) -> BuildCache | None:
        """The build state the last build saved (as `load_store` would read it), or None."""
        return _still(self._cache, cache_dir / CACHE_FILE)

    def ids(self, cache_dir: Path) -> dict[str, Published] | None:
        """The registry the last build saved while ids.json and its journal folder are still
        those it left, or None."""
        kept = self._ids
        return kept[1] if kept is not None and _ids_stamp(cache_dir) == kept[0] else None

    # -- what a build leaves -----------------------------------------------------------------

    def keep_cache(self, cache_dir: Path, cache: BuildCache | None) -> None:
        """The state a build saved (as read back), or None when it saved nothing."""
        stamp = _stamp(cache_dir / CACHE_FILE)
        self._cache = None if cache is None or stamp is None else (stamp, cache)
        noted, self._counted = self._counted, None
        scan, manifest = self._scan, None if cache is None else cache.manifest
        saved = self._cache is not None and self._scan_watched
        if saved and cache is not None and manifest is not None and scan is not None:
            # counted now, after publishing, not at the start of the next build
            count = _count_since(noted, cache, scan.files)
            if count is None:
                count = changed_stats(manifest, scan.files)
            self._counted = (manifest, scan.files, count)

    def note_count(self, manifest: Manifest | None, files: Stats, count: int) -> None:
        """`changed_stats(manifest, files)` as a build began: `keep_cache` counts on from it
        when the state is saved after that manifest, and so does `changed_count` when the
        build saved nothing."""
        self._counted = None if manifest is None else (manifest, files, count)

    def changed_count(self, manifest: Manifest | None, files: Stats) -> int | None:
        """`buildwork.changed_stats(manifest, files)`, from the count kept with the state
        saved and the stats the scan took again since; None when this is not known."""
        counted, touched, scan = self._counted, self._touched, self._scan
        if counted is None or manifest is not counted[0] or touched is None or scan is None:
            return None
        if files is not scan.files or self._before_touched is not counted[1]:
            return None
        count = counted[2]
        for (relative, stat), old in zip(touched, self._touched_before, strict=True):
            known = manifest.stats.get(relative)
            count += (known != stat_key(stat)) - (known != stat_key(old))
        for relative, stat in self._came:  # not counted before
            count += manifest.stats.get(relative) != stat_key(stat)
        for relative, stat in self._gone:  # counted before, no longer
            count -= manifest.stats.get(relative) != stat_key(stat)
        return count

    def last_site(
        self, config: Config, cache: BuildCache
    ) -> tuple[Prepared, tuple[Stats, Stats, list[str]]] | None:
        """The site the last build prepared from `cache` (which it saved) with `config`, and
        the files whose stats the scan since took again, the new article files and the
        deleted ones it found (`sitepatch`); None when the scan was a full one. Given once: a
        build that fails keeps nothing for the next."""
        kept, self._site = self._site, None
        if kept is None or kept[0] is not cache or kept[1] != config or self._touched is None:
            return None
        return kept[2], (self._touched, self._came, [relative for relative, _ in self._gone])

    def idle(self) -> None:
        """Work for the time a watcher has seen no change for a while: the index of the kept
        site (`siteadd.index_of`), which the first new or deleted file would otherwise make
        (0.6 s at 100,000 articles) as an editor waits for it. Only for a site that a
        build could take articles into (nothing left out); nothing when it has one."""
        kept = self._site
        if kept is None or kept[2].index is not None or kept[2].left_out:
            return
        cache, config, site = kept
        if site.ordered is not None:
            self._site = (cache, config, dataclasses.replace(site, index=index_of(site)))

    def keep_site(self, config: Config, cache: BuildCache | None, site: Prepared) -> None:
        """The site a build prepared and the state it saved, read back (None: it saved none,
        and nothing is kept). The build leaves the site as `prepare` gave it, but for the
        shards written while reading: they are the saved state's now, never a later build's,
        and what it was patched from (the states before it: kept, they would stay alive)."""
        if site.written or site.patched_from is not None:
            site = dataclasses.replace(site, written={}, patched_from=None)
        self._site = None if cache is None else (cache, config, site)

    def fingerprints(
        self,
        config: Config,
        digest: Callable[[Article], str],
        stand_in: Callable[[Article], str | None],
        swapped: Iterable[tuple[Article, Article]] | None,
    ) -> Fingerprints:
        """The feed fingerprints of this build: the last build's, each article's part kept,
        for a patched site (`swapped`: what it swapped); else new ones."""
        kept = self._fingerprints
        if swapped is None or kept is None:
            kept = Fingerprints(config, digest, stand_in)
        else:
            kept.rebind(digest, stand_in, (old for old, _ in swapped))
        self._fingerprints = kept
        return kept

    def keep_ids(self, cache_dir: Path, registry: dict[str, Published] | None) -> None:
        stamp = _ids_stamp(cache_dir)
        self._ids = None if registry is None or stamp[0] is None else (stamp, registry)


def _count_since(
    noted: tuple[Manifest, Stats, int] | None, saved: BuildCache, files: Stats
) -> int | None:
    """`changed_stats(saved.manifest, files)` from the count `noted` against the manifest
    the state was saved after, over only the files whose stats may differ between the two
    (a pass over a million stats took a second after every save); None when not known."""
    after = saved.saved_after
    if noted is None or after is None or saved.manifest is None:
        return None
    manifest, counted_files, count = noted
    if after[0] is not manifest or counted_files is not files:
        return None
    old, new = manifest.stats, saved.manifest.stats
    for relative in after[1]:
        position = _position(files, relative)
        if position is not None:  # a file the scan did not find is counted in neither
            key = stat_key(files[position][1])
            count += (new.get(relative) != key) - (old.get(relative) != key)
    return count


def _came_and_went(
    last: _Scan, new: dict[int, tuple[str, FileStat]], came: Stats, gone: set[int]
) -> Stats:
    """`last.files` with the stats taken again, without the files `gone` and with the files
    that `came` (in path order, as the scan gives them, those content.exclude keeps out
    added to `last.excluded` instead). A copy: `last.files` is kept as it was."""
    files = list(last.files)  # a copy of the list, not of its items (100k: well under 1 ms)
    for position, entry in new.items():
        files[position] = entry
    for position in sorted(gone, reverse=True):
        del files[position]
    for relative, stat in came:
        if is_excluded(relative, last.setting[1]):
            insort(last.excluded, relative)
        else:
            insort(files, (relative, stat), key=path_of)
    return files


def _position(files: Stats, relative: str) -> int | None:
    """Where `relative` is in `files` (sorted by path, as a scan gives them), or None."""
    position = bisect_left(files, relative, key=path_of)
    return position if position < len(files) and files[position][0] == relative else None


def _listable(folder: str) -> bool:
    """Whether the scan can list `folder` (gone: its entries are reported one by one)."""
    try:
        os.close(os.open(folder, FOLDER_FLAGS))  # as the scan opens it
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return True


def _holds(files: Stats, folder: str) -> bool:
    """True when some file of `files` (sorted by path) is below `folder`."""
    prefix = folder + "/"
    position = bisect_left(files, prefix, key=path_of)
    return position < len(files) and files[position][0].startswith(prefix)


def _still(kept: tuple[FileStamp, T] | None, path: Path) -> T | None:
    """What was kept of the file at `path` while the file has the stamp it had then."""
    return kept[1] if kept is not None and _stamp(path) == kept[0] else None


def _ids_stamp(cache_dir: Path) -> tuple[FileStamp, FileStamp]:
    """ids.json's stamp and its journal folder's (a file added to it or removed changes it)."""
    return _stamp(cache_dir / IDS_FILE), _stamp(cache_dir / JOURNAL_DIR)


def _stamp(path: Path) -> FileStamp:
    try:
        return stat_key(os.stat(path))
    except OSError:
        return None


def _updated(
    last: _Scan, changed: set[str], content_dir: Path
) -> tuple[Stats, Stats, list[FileStat], Stats, Stats] | None:
    """The files of `last` with the stats of the `changed` paths taken again, those files,
    the stats they had in `last`, the new files and the deleted ones with their stats in
    `last` (which is updated for files that came or went); None when a full scan must say
    what changed (see the module docstring)."""
    if len(changed) > MAX_CHANGES:
        return None
    files = last.files
    excluded = set(last.excluded)
    skipped = {relative for relative, _ in last.skipped}
    new: dict[int, tuple[str, FileStat]] = {}
    came: Stats = []  # new article files in folders already scanned
    gone: set[int] = set()  # article files deleted
    for path in changed:
        try:
            relative = Path(path).relative_to(content_dir).as_posix()
        except ValueError:
            return None  # the config file, or content named another way: look again
        parts = relative.split("/")
        if relative == "." or relative in skipped:
            return None
        if any(part.startswith(".") for part in parts):
            continue  # never scanned: hidden
        if relative in excluded:  # kept out by content.exclude: listed while it is there
            if not os.path.lexists(path):
                excluded.discard(relative)
            continue
        try:
            stat: os.stat_result | None = os.lstat(path)
        except FileNotFoundError:
            stat = None
        except OSError:
            return None
        position = _position(files, relative)
        if position is not None:
            if stat is None:
                gone.add(position)
            elif not S_ISREG(stat.st_mode):
                return None  # now a folder or a link
            else:
                new[position] = (relative, FileStat.of(stat))
        elif stat is not None and S_ISREG(stat.st_mode) and is_article_name(parts[-1]):
            # a new article file: its folders are real ones (a new folder or link is reported
            # too, and scanned in full), and there was no link anywhere in the content
            came.append((relative, FileStat.of(stat)))
        elif stat is not None and S_ISDIR(stat.st_mode) and _holds(files, relative):
            if not _listable(path):
                return None  # its permissions changed (chmod): a full scan names it
            continue  # a folder scanned before, its entries changed: each is reported
        elif stat is not None and not S_ISREG(stat.st_mode):
            return None  # a new folder, or a link
        elif stat is None and _holds(files, relative):
            return None  # a folder of articles removed
        # else: a file that is no article, or one that came and went (an editor's temporary)
    if len(excluded) < len(last.excluded):
        last.excluded = [relative for relative in last.excluded if relative in excluded]
    touched = [new[position] for position in sorted(new)]
    before = [files[position][1] for position in sorted(new)]
    if came or gone:
        went = [files[position] for position in sorted(gone)]
        files = _came_and_went(last, new, came, gone)
        kept = [entry for entry in came if not is_excluded(entry[0], last.setting[1])]
        return files, touched, before, kept, went
    if not new:
        return files, [], [], [], []
    updated = list(files)
    for position, entry in new.items():
        updated[position] = entry
    return updated, touched, before, [], []
