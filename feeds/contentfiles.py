"""Content files: which files below `content_dir` are articles (`scan_content`) and the
articles their bytes give (`read_file`: sources, then normalisation; the bytes from
`contentbytes.read_content`). Reading and the entry content both come here.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from fnmatch import translate
from pathlib import Path
from stat import S_ISDIR, S_ISREG

from feeds.codec import collector_paused
from feeds.config import Config, ConfigError
from feeds.contentbytes import FOLDER_FLAGS, OUTSIDE, inside
from feeds.dates import AMBIGUOUS
from feeds.model import Article, ContentError, FileStat, Level, Problem
from feeds.normalise import normalise_record
from feeds.sources import EXTENSIONS, ReaderOptions, read_source

# Content comes from inside content_dir only. A symbolic link is followed when its target
# stays inside; a folder is walked at most once (a link to a folder read already is a loop,
# or the same articles twice) and a linked file already read under its own name is skipped.

# (path relative to content_dir, why it was left out): warnings for the build report.
Skipped = list[tuple[str, str]]
_Found = list[tuple[str, FileStat]]
_LOOP = "is a symbolic link to a folder that is read already (a loop or a second path): skipped"
_TWICE = "is a symbolic link to a file that is read under its own name: skipped"
_UNREADABLE = (
    "is a folder that cannot be read ({}): the files the last build read below it are kept "
    "as it read them, any others are left out; give the user that runs feeds read and "
    "search permission on it (chmod u+rx, or chown)"
)
_new_tuple = tuple.__new__


def scan_content(
    content_dir: Path,
    skipped: Skipped | None = None,
    exclude: tuple[str, ...] = (),
    excluded: list[str] | None = None,
    links: list[str] | None = None,
    unreadable: list[str] | None = None,
) -> _Found:
    """Every article file below `content_dir` (hidden names skipped), sorted by path. Links
    leading outside, loops and broken links are left out and added to `skipped`; files an
    `exclude` glob matches (content.exclude) are left out and added to `excluded`; every
    symbolic link met is added to `links`; each folder that cannot be listed is added to
    `skipped` and, as a prefix (`name/`), to `unreadable`. Raises `ConfigError` when
    content_dir itself cannot be listed."""
    walk = ContentWalk(content_dir)
    walk.folder(str(content_dir), "")
    found = walk.finish(skipped, exclude, excluded, links)
    if unreadable is not None:
        unreadable.extend(walk.unreadable)
    return found


class ContentWalk:
    """The state of one `scan_content`: what was found, seen and left out so far. A walk
    that is share `share` of `shares` (`feeds.scanshares`) takes the stat of the article
    files whose name hashes to it, and only share 0 follows symbolic links; every share
    walks every real folder. Given `exclude` (content.exclude), the walk of the real folders
    leaves out the article files it keeps out, in `kept_out`, without taking their stat."""

    def __init__(
        self, content_dir: Path, share: int = 0, shares: int = 1, exclude: tuple[str, ...] = ()
    ) -> None:
        if not content_dir.is_dir():
            raise ConfigError("content_dir", str(content_dir), "is not a folder")
        self.root = os.path.realpath(content_dir)
        self.share, self.shares = share, shares
        self.exclusion = _Exclusion(exclude) if exclude else None
        self.kept_out: list[str] = []
        self.found: _Found = []
        self.file_links: _Found = []
        self.folder_links: list[tuple[str, str]] = []  # (prefix, path)
        self.folders_seen: set[tuple[int, int]] = set()
        self.notes: Skipped = []
        self.links: list[str] = []
        self.unreadable: list[str] = []  # prefixes of the folders that could not be listed

    def finish(
        self,
        skipped: Skipped | None = None,
        exclude: tuple[str, ...] = (),
        excluded: list[str] | None = None,
        links: list[str] | None = None,
    ) -> _Found:
        """`scan_content`'s answer once the real tree is walked: the linked folders and
        files after it, the whole sorted, `exclude` applied. The share that follows links
        (share 0) walks the linked folders whole: no other share saw them."""
        self.share, self.shares = 0, 1
        self.exclusion = None  # the linked trees' files go through `kept_in` below
        while self.folder_links:  # linked folders after the real tree, in path order
            self.folder_links.sort(reverse=True)
            prefix, path = self.folder_links.pop()
            try:
                stat = os.stat(path)
            except OSError as error:
                self.note(
                    prefix[:-1], f"is a symbolic link that cannot be followed: {error.strerror}"
                )
                continue
            if (stat.st_dev, stat.st_ino) in self.folders_seen:
                self.note(prefix[:-1], _LOOP)
            else:
                self.folder(path, prefix)
        real_files = {(s.st_dev, s.st_ino) for _, s in self.found} if self.file_links else set()
        for relative, linked in sorted(self.file_links):
            if (linked.st_dev, linked.st_ino) in real_files:
                self.note(relative, _TWICE)
            else:
                self.found.append((relative, linked))
        self.found.sort()  # by path: paths are unique, so the stats are never compared
        if links is not None:
            links.extend(self.links)
        if exclude:
            self.found = kept_in(self.found, exclude, excluded)
        if skipped is not None:
            skipped.extend(sorted(self.notes))
        return self.found

    def note(self, relative: str, message: str) -> None:
        self.notes.append((relative, message))

    def folder(self, top: str, top_prefix: str) -> None:
        """Walk the real folders below `top` (whose files are named `top_prefix` + name)."""
        with collector_paused():  # a stat per file, and no cycles among them
            self._folders(top, top_prefix)

    def _folders(self, top: str, top_prefix: str) -> None:
        folders = [(top, top_prefix)]
        found, extensions, new_stat = self.found, EXTENSIONS, _new_tuple  # one lookup, not 1M
        share, shares, links = self.share, self.shares, self.share == 0
        exclusion, kept_out = self.exclusion, self.kept_out
        match = None if exclusion is None else exclusion.match
        might_match = None if exclusion is None else exclusion.might_match
        while folders:
            folder, prefix = folders.pop()
            folder_out = exclusion is not None and exclusion.folder_out(prefix[:-1])
            marks = self._marks(folders)  # what to take back if the listing fails
            # listed by descriptor: a file's stat is then fstatat(folder, name), not a walk
            # of its whole path (about a tenth of the scan at a million files)
            try:
                handle = os.open(folder, FOLDER_FLAGS)
            except (FileNotFoundError, NotADirectoryError):
                continue  # deleted (or made a file) since its parent was listed: gone
            except OSError as error:  # no permission (EACCES), an I/O error
                self._unreadable(prefix, error, marks, folders)
                continue
            try:
                stat = os.fstat(handle)
                self.folders_seen.add((stat.st_dev, stat.st_ino))
                with os.scandir(handle) as entries:
                    for entry in entries:
                        name = entry.name
                        if name[0] == ".":  # hidden (a listed name is never empty)
                            continue
                        if entry.is_file(follow_symlinks=False):  # a regular file
                            if (
                                (shares == 1 or hash(name) % shares == share)  # this share's
                                and name[name.rfind(".") :].lower() in extensions
                            ):
                                relative = prefix + name
                                if match is not None and (  # `_Exclusion.left_out`
                                    folder_out
                                    or (
                                        (might_match is None or might_match(relative))
                                        and (match(name) is not None or match(relative))
                                    )
                                ):
                                    kept_out.append(relative)
                                    continue
                                # `FileStat.of`, without a call per file
                                try:
                                    st = entry.stat(follow_symlinks=False)
                                except FileNotFoundError:
                                    continue  # deleted since the folder was listed: gone
                                mtime, ctime = st.st_mtime_ns, st.st_ctime_ns
                                values = (st.st_size, mtime, mtime if ctime == mtime else ctime,
                                          st.st_ino, st.st_dev)  # fmt: skip
                                found.append((relative, new_stat(FileStat, values)))
                        elif entry.is_symlink():
                            if links:
                                self._link(os.path.join(folder, name), name, prefix + name)
                        elif entry.is_dir(follow_symlinks=False):
                            folders.append((os.path.join(folder, name), prefix + name + "/"))
            except OSError as error:  # the listing failed part-way: as if not listed at all
                self._unreadable(prefix, error, marks, folders)
            finally:
                os.close(handle)

    def _marks(self, folders: list[tuple[str, str]]) -> tuple[int, ...]:
        """How long each list a folder's listing adds to is before it (`_unreadable`)."""
        return (len(self.found), len(folders), len(self.kept_out), len(self.file_links),
                len(self.folder_links), len(self.links), len(self.notes))  # fmt: skip

    def _unreadable(
        self, prefix: str, error: OSError, marks: tuple[int, ...], folders: list[tuple[str, str]]
    ) -> None:
        """A folder that cannot be listed: what its listing added is taken back, and the
        build keeps the files the last build read below it (`with_unread_kept`). content_dir
        itself stops the build: with its state lost, every feed would be published empty."""
        if not prefix:  # content_dir itself: nothing to build from, so nothing is published
            raise ConfigError(
                "content_dir",
                self.root,
                f"cannot be read ({error.strerror or error}): nothing was built or published; "
                "give the user that runs feeds read and search permission on it "
                "(chmod u+rx, or chown)",
            )
        found, pending, kept_out, file_links, folder_links, links, notes = marks
        del self.found[found:], folders[pending:], self.kept_out[kept_out:]
        del self.file_links[file_links:], self.folder_links[folder_links:]
        del self.links[links:], self.notes[notes:]
        self.unreadable.append(prefix)
        self.note(prefix[:-1], _UNREADABLE.format(error.strerror or error))

    def _link(self, path: str, name: str, relative: str) -> None:
        self.links.append(relative)
        if not inside(os.path.realpath(path), self.root):
            self.note(relative, OUTSIDE)
            return
        try:
            stat = os.stat(path)
        except OSError as error:
            self.note(relative, f"is a symbolic link that cannot be followed: {error.strerror}")
            return
        if S_ISDIR(stat.st_mode):
            self.folder_links.append((relative + "/", path))
        elif S_ISREG(stat.st_mode) and is_article_name(name):
            self.file_links.append((relative, FileStat.of(stat)))


def with_unread_kept(
    found: _Found,
    unreadable: Iterable[str],
    last: Mapping[str, tuple[int, int, int, int] | None] | None,
    exclude: tuple[str, ...] = (),
    excluded: list[str] | None = None,
) -> _Found:
    """`found` with each file the last build read below a folder the scan could not list
    (`unreadable`; `last` is the manifest's stats) at the stat the last build took, so that
    its articles stay as they were instead of going as deleted; sorted by path. A stat the
    last build did not trust (None) is given as one no file has: the file is then read,
    fails, and keeps its last good version."""
    prefixes = tuple(unreadable)
    if not prefixes or not last:
        return found
    kept = [(path, _as_taken(last[path])) for path in last if path.startswith(prefixes)]
    if exclude:
        kept = kept_in(kept, exclude, excluded)
    if not kept:
        return found
    return sorted([*found, *kept])  # no file below an unlisted folder is in `found`


def _as_taken(stat: tuple[int, int, int, int] | None) -> FileStat:
    return FileStat(*(stat or (-1, -1, -1, -1)), st_dev=0)


def kept_in(found: _Found, exclude: tuple[str, ...], excluded: list[str] | None) -> _Found:
    """`found` without the files an `exclude` glob keeps out, which are added to `excluded`."""
    left_out = _Exclusion(exclude).left_out(found)
    if not left_out:
        return found
    if excluded is not None:
        excluded.extend(left_out)
    gone = set(left_out)
    return [(relative, stat) for relative, stat in found if relative not in gone]


def is_excluded(relative: str, exclude: tuple[str, ...]) -> bool:
    """Whether a content_dir-relative path is kept out by a content.exclude glob: matched
    against the whole path and against each part of it (file name and folder names)."""
    return _Exclusion(exclude)(relative)


class _Exclusion:
    """`is_excluded` for the files of one scan: each folder's parts are tested once."""

    def __init__(self, exclude: tuple[str, ...]) -> None:
        self.match = _exclusion(exclude).match
        self.might_match = _might_match(exclude)
        self.folders: dict[str, bool] = {}

    def __call__(self, relative: str) -> bool:
        return bool(self.left_out([(relative, None)]))

    def left_out(self, found: Iterable[tuple[str, object]]) -> list[str]:
        """The paths of `found` kept out, in order (one loop: a call per file costs more
        than the test at a million files)."""
        match, might_match, folder_out = self.match, self.might_match, self.folder_out
        out = []
        for relative, _ in found:
            folder, _, name = relative.rpartition("/")
            if folder_out(folder) or (
                (might_match is None or might_match(relative))
                and (match(name) is not None or match(relative) is not None)
            ):  # the walk makes the same test inline (`ContentWalk._folders`)
                out.append(relative)
        return out

    def folder_out(self, folder: str) -> bool:
        """Whether a part of `folder` (content_dir-relative, "" for content_dir) matches."""
        if not folder:
            return False
        known = self.folders.get(folder)
        if known is None:
            parts = folder.split("/")
            known = self.folders[folder] = any(self.match(part) is not None for part in parts)
        return known


@functools.lru_cache(maxsize=16)
def _exclusion(exclude: tuple[str, ...]) -> re.Pattern[str]:
    """The globs as one compiled pattern (fnmatchcase's rules), made once per setting: the
    scan tests every content file against it on every build, the no-change one included."""
    return re.compile("|".join(f"(?:{translate(pattern)})" for pattern in exclude))


@functools.lru_cache(maxsize=16)
def _might_match(exclude: tuple[str, ...]) -> Callable[[str], object] | None:
    """A test that is false only for a path whose name and whole path match no glob (one
    literal part of each glob, looked for in C: a glob's match backtracks through the path
    at every `*`); None when some glob has no literal part outside `*`, `?` and `[...]`."""
    literals = []
    for pattern in exclude:
        longest = "" if "[" in pattern else max(re.split(r"[*?]", pattern), key=len)
        if not longest:
            return None
        literals.append(re.escape(longest))
    return re.compile("|".join(literals)).search


def is_article_name(name: str) -> bool:
    """Whether a file of this name is read as an article (by its extension)."""
    return name[name.rfind(".") :].lower() in EXTENSIONS


def read_file(
    config: Config, relative: str, data: bytes
) -> tuple[tuple[Article, ...], tuple[Problem, ...]]:
    """One content file's bytes -> its normalised articles and every problem found."""
    options = ReaderOptions(drop_lines=config.drop_lines, old=config.ids)
    result = read_source(_source_prefix(config) + relative, data, options, relative)
    articles: list[Article] = []
    problems = list(result.problems)
    for raw in result.records:
        try:
            article, warnings = normalise_record(raw, config)
        except ContentError as error:
            problems.append(error.problem)
            continue
        articles.append(article)
        problems.extend(warnings)
    return tuple(articles), _once_per_file(problems)


def _once_per_file(problems: list[Problem]) -> tuple[Problem, ...]:
    """Problems with one date-reads-two-ways warning per file (the first, counting the
    rest): a JSONL export of 1,000 slash dates says it once, not 1,000 times."""
    ambiguous = [p for p in problems if p.message.startswith(AMBIGUOUS)]
    if len(ambiguous) < 2:
        return tuple(problems)
    first = ambiguous[0]
    more = len(ambiguous) - 1
    counted = replace(
        first, message=f"{first.message} ({more} more date{'s' if more > 1 else ''} in this file)"
    )
    others = [p for p in problems if not p.message.startswith(AMBIGUOUS)]
    return (counted, *others)


_SOURCE_PREFIXES: dict[tuple[Path, Path], str] = {}


def _source_prefix(config: Config) -> str:
    """What goes before a file's path relative to content_dir to name it as the user knows
    it (`config.display_path` of the file; the same for every file, so worked out once)."""
    key = (config.content_dir, config.base_dir)
    prefix = _SOURCE_PREFIXES.get(key)
    if prefix is None:
        shown = config.display_path(config.content_dir)
        prefix = _SOURCE_PREFIXES[key] = "" if shown == "." else shown.rstrip("/") + "/"
    return prefix


def skipped_problems(config: Config, skipped: Skipped) -> list[Problem]:
    """A warning for each content file the scan skipped (a link out of content_dir...)."""
    return [
        Problem(
            config.display_path(config.content_dir / relative), "file", None, why, Level.WARNING
        )
        for relative, why in skipped
    ]
