"""Content files into file states, incrementally: a file whose stat is the one the cache
trusts is not read; one whose bytes are unchanged (same digest) is not parsed; the others
are read, parsed and normalised (on the build's worker processes when it has several), and a
record that stops reading keeps its last good version (`_last_good`).

States hold articles without their bodies, each category list and author one shared object;
the bodies read are kept for the entry content only while there are few of them
(`KEEP_BODIES_UP_TO`), so memory stays flat in the number of articles.
"""

from __future__ import annotations

import dataclasses
import operator
import pickle
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from feeds.cache import BuildCache, FileState
from feeds.config import Config
from feeds.contentbytes import OpenFolder, read_content
from feeds.contentfiles import read_file
from feeds.idregistry import reader_digest
from feeds.keys import content_key, file_digest, reading_key
from feeds.model import Article, Author, Category, FileStat, Level, Problem, Progress
from feeds.parallel import Workers
from feeds.storewrite import WrittenShard, file_shard, write_file_shard

# Up to this many files read in one build, their bodies stay in memory for the entry content;
# beyond it they are dropped and the articles that land in feeds are read again.
KEEP_BODIES_UP_TO = 20_000


# A stat taken this close to the file's last write is not trusted by the next build: a second
# write within the file system's timestamp granularity (a kernel clock tick; a whole second
# on ext3, HFS+ or some network file systems; two on FAT) would leave size and times equal.
RACY_NS = 2_000_000_000


class _Shared:
    """Drops bodies, and makes articles share one object per equal category list and byline
    (less memory, and the cache pickles each once)."""

    def __init__(self) -> None:
        self.categories: dict[
            tuple[tuple[tuple[str, ...], tuple[str, ...]], ...], tuple[Category, ...]
        ] = {}
        self.authors: dict[tuple[Author, ...], tuple[Author, ...]] = {}
        self._texts: dict[int, tuple[object, str]] = {}  # by id: the value kept, so it stays

    def text(self, value: object) -> str:
        """`repr(value)`, made once per shared category list or byline (`reader_digest`)."""
        known = self._texts.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        text = repr(value)
        self._texts[id(value)] = (value, text)
        return text

    def __call__(self, article: Article) -> Article:
        key = tuple((c.slugs, c.names) for c in article.categories)
        categories = self.categories.setdefault(key, article.categories)
        authors = self.authors.setdefault(article.authors, article.authors)
        fields = list(_ARTICLE_FIELDS(article))  # dataclasses.replace, without its overhead
        fields[_BODY], fields[_CATEGORIES], fields[_AUTHORS] = "", categories, authors
        return Article(*fields)


_ARTICLE_FIELDS = operator.attrgetter(*(f.name for f in dataclasses.fields(Article)))
_NAMES = [f.name for f in dataclasses.fields(Article)]
_BODY, _CATEGORIES, _AUTHORS = (_NAMES.index(n) for n in ("body", "categories", "authors"))


# What reading one file gave: ("error", strerror), ("same", digest) when its digest is the
# known one, or ("read", digest, articles without bodies, problems, content keys, bodies or
# None when they are not kept, reader digests).
_Outcome = tuple[object, ...]


def _read_one(
    config: Config,
    relative: str,
    known: str,
    keep_bodies: bool,
    shared: _Shared,
    folder: OpenFolder,
) -> _Outcome:
    try:
        data = read_content(config, relative, folder)
    except OSError as error:
        return ("error", error.strerror)
    digest = file_digest(data)
    if digest == known:
        return ("same", digest)
    articles, problems = read_file(config, relative, data)
    keys = tuple(content_key(a, config.allow_iframes) for a in articles)
    bodies = tuple(a.body for a in articles) if keep_bodies else None
    good = tuple(shared(a) for a in articles)
    # the registry's digest of each, made here (on a worker when there are several) so that
    # the registry of a later build takes it from the state (issue 14)
    readers = tuple(reader_digest(a, key, shared.text) for a, key in zip(good, keys, strict=True))
    return ("read", digest, good, problems, keys, bodies, readers)


@dataclass(slots=True)
class Loaded:
    states: dict[str, FileState]
    bodies: dict[str, str]  # the bodies read in this build (when kept), by source
    problems: list[Problem]
    kept: list[str]
    files_total: int
    files_read: int
    written: dict[str, WrittenShard]  # store shards written as they were read, by name

    def add(self, relative: str, state: FileState) -> None:
        """`state` is the file's; its problems and its records kept at their last good
        version are the build's."""
        self.states[relative] = state
        self.problems.extend(state.problems)
        self.kept.extend(state.kept)


def load_files(
    config: Config,
    cache: BuildCache,
    files: list[tuple[str, FileStat]],
    progress: Progress | None,
    started_ns: int | None,
    pool: Workers,
    store: Path | None = None,
) -> Loaded:
    """Read what changed, reuse what did not.

    `started_ns` is the wall clock when the build began (None: the states will not be saved);
    stats taken within `RACY_NS` of it are marked racy. `store` is the cache_dir the states
    will be saved in, when whole shards of them may be written as they are read."""
    same_reading = cache.reading_key == reading_key(config)
    known = cache.files if same_reading else {}
    read = _read_on_workers(config, known, files, pool, started_ns, store)
    outcomes, keep_bodies, made = read.outcomes, read.keep_bodies, read.states
    shared = _Shared()
    loaded = Loaded({}, read.bodies, [], [], len(files), 0, read.written)
    with OpenFolder() as folder:  # the folder of the last file read here, kept open
        for done, (relative, stat) in enumerate(files, 1):
            if progress is not None:
                progress("read", done, len(files))
            # `last` may come from another config: only its last good versions are used then.
            last = cache.files.get(relative)
            before = last if same_reading else None
            if before is not None and before.matches(stat):
                loaded.add(relative, before)
                continue
            fresh = made.pop(relative, None)  # made where it was read (`_read_unit`)
            if fresh is not None:
                loaded.files_read += 1
                loaded.add(relative, fresh)
                continue
            racy = _racy(stat, started_ns)
            # popped: each outcome freed as its state is made (issue 14: at 1M, 100 MB of peak)
            outcome = outcomes.pop(relative, None) or _read_one(
                config,
                relative,
                before.digest if before is not None else "",
                keep_bodies and loaded.files_read < KEEP_BODIES_UP_TO,
                shared,
                folder,
            )
            if outcome[0] == "error":
                problem, state = _unreadable(config, relative, outcome[1], last)
                if state is None:
                    loaded.problems.append(problem)
                else:
                    loaded.add(relative, state)
                continue
            loaded.files_read += 1
            if outcome[0] == "same" and before is not None:
                loaded.add(relative, _restat(before, stat, racy))
                continue
            state, bodies = _read_state(outcome, stat, racy, last)
            loaded.add(relative, state)
            loaded.bodies.update(bodies)
    return loaded


@dataclass(slots=True)
class _FromWorkers:
    """What `_read_on_workers` read: outcomes by path; the states of whole shards of the
    store, made where they were read and written there (`storewrite.write_file_shard`), with
    the bodies read for them; the shards written, by name; whether bodies are kept."""

    outcomes: dict[str, _Outcome] = dataclasses.field(default_factory=dict)
    states: dict[str, FileState] = dataclasses.field(default_factory=dict)
    bodies: dict[str, str] = dataclasses.field(default_factory=dict)
    written: dict[str, WrittenShard] = dataclasses.field(default_factory=dict)
    keep_bodies: bool = True


_Wanted = tuple[str, str, FileStat]  # (relative path, known digest, stat)
_Unit = tuple[str, bool, list[_Wanted]]  # a store shard's files: name, whether all of them


def _read_on_workers(
    config: Config,
    known: dict[str, FileState],
    files: list[tuple[str, FileStat]],
    pool: Workers,
    started_ns: int | None,
    store: Path | None,
) -> _FromWorkers:
    """The files whose stat is not the known one, read on the workers when there are
    several workers and files (else none: they are read in this process); bodies are kept
    for at most `KEEP_BODIES_UP_TO` files read. The files are dealt out a store shard at a
    time; with a `store` (cache_dir) and `started_ns`, a process that read a whole shard
    cleanly makes its states and writes the shard (issue 14: a cold build pickled every
    state again at its end, on one process)."""
    done = _FromWorkers()
    if pool.count <= 1:
        return done
    wanted: list[_Wanted] = []
    for relative, stat in files:
        before = known.get(relative)
        if before is None or not before.matches(stat):
            wanted.append((relative, before.digest if before is not None else "", stat))
    if len(wanted) <= 1:
        return done
    done.keep_bodies = keep = len(wanted) <= KEEP_BODIES_UP_TO
    if started_ns is None:  # the states will not be saved
        store = None
    pool.deal(
        _read_unit,
        (config, keep, started_ns, store),
        _shard_units(files, wanted),
        lambda result: _take(done, result),
    )
    return done


def _shard_units(files: list[tuple[str, FileStat]], wanted: list[_Wanted]) -> list[_Unit]:
    """The wanted files by store shard (with whether they are all of its files), the biggest
    first (the processes then end together: the last units dealt are the smallest)."""
    groups: dict[str, list[_Wanted]] = {}
    for item in wanted:
        groups.setdefault(file_shard(item[0]), []).append(item)
    everything = len(wanted) == len(files)
    sizes = None if everything else Counter(file_shard(relative) for relative, _ in files)
    units = [
        (name, sizes is None or sizes[name] == len(items), items) for name, items in groups.items()
    ]
    return sorted(units, key=lambda unit: (-len(unit[2]), unit[0]))


# The build process looks in on the workers (`Workers.deal`'s poll) every this many files.
_POLL_EVERY = 16


def _read_unit(
    config: Config,
    keep: bool,
    started_ns: int | None,
    store: Path | None,
    unit: _Unit,
    poll: Callable[[], None] | None,
) -> tuple[object, ...]:
    """Read a unit's files: ("states", shard, file, states, bodies) for a whole shard read
    cleanly and written to `store` (None: none is), else ("outcomes", paths, outcomes).
    `poll` is given in the build process only; a worker sends its states pickled."""
    name, whole, items = unit
    shared = _Shared()
    outcomes = []
    with OpenFolder() as folder:
        for index, (relative, digest, _) in enumerate(items, 1):
            outcomes.append(_read_one(config, relative, digest, keep, shared, folder))
            if poll is not None and index % _POLL_EVERY == 0:
                poll()
    clean = whole and all(o[0] == "read" and not o[3] for o in outcomes)
    if store is None or not clean:
        return ("outcomes", [r for r, _, _ in items], outcomes)
    states: dict[str, FileState] = {}
    bodies: dict[str, str] = {}
    for (relative, _, stat), outcome in zip(items, outcomes, strict=True):
        states[relative], read = _read_state(outcome, stat, _racy(stat, started_ns), None)
        bodies.update(read)
    try:
        file, data = write_file_shard(store, states)
    except OSError:  # not written: the build process saves them at the end
        return ("outcomes", [r for r, _, _ in items], outcomes)
    return ("states", name, file, data if poll is None else states, bodies)


def _racy(stat: FileStat, started_ns: int | None) -> bool:
    """Whether `stat` was taken too soon after the file's last write to be trusted next time."""
    return started_ns is not None and stat.st_mtime_ns > started_ns - RACY_NS


def _take(done: _FromWorkers, result: tuple[object, ...]) -> None:
    if result[0] == "outcomes":
        _, paths, outcomes = result
        assert isinstance(paths, list) and isinstance(outcomes, list)
        done.outcomes.update(zip(paths, outcomes, strict=True))
        return
    _, name, file, made, bodies = result
    assert isinstance(name, str) and isinstance(file, str) and isinstance(bodies, dict)
    states = pickle.loads(made) if isinstance(made, bytes) else made  # a worker's pickle
    assert isinstance(states, dict)
    done.states.update(states)
    done.bodies.update(bodies)
    done.written[name] = WrittenShard(file, tuple(states), tuple(states.values()))


def _unreadable(
    config: Config, relative: str, strerror: object, last: FileState | None
) -> tuple[Problem, FileState | None]:
    """The problem of a file that cannot be read, and its state when it had good records:
    unreadable is failing to read, too, so they are kept at their last good version (and
    the file is retried, and parsed, next time)."""
    source = config.display_path(config.content_dir / relative)
    problem = Problem(source, "file", None, f"cannot be read: {strerror}")
    if last is None or not last.good:
        return problem, None
    state = dataclasses.replace(
        last,
        digest="",
        problems=(problem,),
        kept=tuple(a.source for a in last.good),
        racy=True,
    )
    return problem, state


def _read_state(
    outcome: _Outcome, stat: FileStat, racy: bool, last: FileState | None
) -> tuple[FileState, dict[str, str]]:
    """The state of a file read and parsed (`outcome` is "read"), with each failing record
    at its last good version in `last`; and the bodies read, by source, when kept."""
    _, digest, articles, file_problems, keys, bodies, readers = outcome
    assert isinstance(digest, str) and isinstance(articles, tuple)
    assert isinstance(file_problems, tuple) and isinstance(keys, tuple)
    assert isinstance(readers, tuple)
    read_bodies: dict[str, str] = {}
    if isinstance(bodies, tuple):
        for article, body in zip(articles, bodies, strict=True):
            read_bodies[article.source] = body
    good: tuple[Article, ...] = articles
    kept_here: tuple[str, ...] = ()
    if file_problems:
        entries, kept_here = _last_good(tuple(zip(good, keys, strict=True)), file_problems, last)
        if kept_here:
            good = tuple(article for article, _ in entries)
            keys = tuple(key for _, key in entries)
            readers += ("",) * (len(good) - len(readers))  # a kept version's is made later
    state = FileState(
        stat.st_size,
        stat.st_mtime_ns,
        stat.st_ctime_ns,
        stat.st_ino,
        digest,
        file_problems,
        good,
        keys,
        kept_here,
        racy,
        readers,
    )
    return state, read_bodies


def _restat(state: FileState, stat: FileStat, racy: bool) -> FileState:
    return dataclasses.replace(
        state,
        size=stat.st_size,
        mtime_ns=stat.st_mtime_ns,
        ctime_ns=stat.st_ctime_ns,
        ino=stat.st_ino,
        racy=racy,
    )


Entry = tuple[Article, str]  # an article (body dropped) and its content key


def _last_good(
    entries: tuple[Entry, ...], problems: tuple[Problem, ...], before: FileState | None
) -> tuple[tuple[Entry, ...], tuple[str, ...]]:
    """The articles to publish from a file: what read cleanly, plus, for a record that used to
    read and now fails, its last good version (the one case a build differs from a clean one).
    A failure names a record (`file.jsonl:3`, `list.yaml#2`) or the whole file (`file.md`)."""
    failed = {p.source for p in problems if p.level is Level.ERROR}
    if not failed or before is None:
        return entries, ()
    have = {article.source for article, _ in entries}

    def fails(source: str) -> bool:
        return source in failed or any(
            source.startswith(f + mark) for f in failed for mark in (":", "#")
        )

    kept = tuple(
        (article, key)
        for article, key in zip(before.good, before.content_keys, strict=True)
        if article.source not in have and fails(article.source)
    )
    return entries + kept, tuple(article.source for article, _ in kept)
