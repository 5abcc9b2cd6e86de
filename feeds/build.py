"""The library's front door: `build_site` reads the content, plans the feeds, renders, validates
and publishes them, and returns a `BuildReport`. A CMS can call it after publishing; the CLI
only formats the report and picks the exit code.

Incremental by design: a content file whose stat and digest are unchanged is not read again,
and a feed whose inputs are unchanged (same fingerprint) and whose file is untouched is not
rendered again. The result is always byte-identical to a clean build of the same content.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from feeds import __version__
from feeds.body import EntryContent, entry_content
from feeds.cache import (
    BuildCache,
    FeedState,
    FileState,
    content_key,
    file_digest,
    load_cache,
    save_cache,
)
from feeds.categories import check_category_config
from feeds.config import Config, ConfigError
from feeds.findings import Finding, Severity
from feeds.lint import lint_feed
from feeds.model import Article, ContentError, Level, Problem
from feeds.normalise import normalise_record, resolve_site
from feeds.pages import render_pages
from feeds.plan import FeedSpec, SitePlan, plan_site
from feeds.publish import PublishReport, build_lock, existing_feed_files, publish_files
from feeds.render import render_feed
from feeds.sources import EXTENSIONS, ReaderOptions, read_source
from feeds.validate import check_round_trip

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(frozen=True, slots=True)
class BuildReport:
    """What a build read, published and refused. Nothing here is formatted for a terminal."""

    files_total: int
    files_read: int
    articles: int
    drafts: int
    scheduled: tuple[Article, ...]
    problems: tuple[Problem, ...]
    findings: tuple[Finding, ...]
    refused: tuple[str, ...]
    kept: tuple[str, ...]
    publish: PublishReport
    feeds_total: int
    validated: bool
    dry_run: bool
    strict_blocked: bool = False
    cut: tuple[tuple[str, int, int], ...] = ()  # (path, entries kept, entries planned)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.level is Level.ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.level is Level.WARNING)

    @property
    def next_scheduled(self) -> Article | None:
        return min(self.scheduled, key=lambda a: (a.published, a.id), default=None)

    @property
    def complete(self) -> bool:
        """True when every article and every feed was published as the content says."""
        return not (
            self.errors
            or self.refused
            or self.kept
            or self.publish.failed
            or self.strict_blocked
            or any(f.level is Severity.ERROR for f in self.findings)
        )


class BuildError(Exception):
    """The build as a whole cannot run (missing content folder, empty site)."""


def reading_key(config: Config) -> str:
    """Fingerprint of every setting that changes how files become articles: what normalisation
    reads (site url, permalink and time zone for links, ids and dates; dates.dayfirst; the
    categories' names and aliases), text.drop_lines, and the content folder as sources name
    it. A change here reads every file again; other settings only re-render (`render_key`)."""
    site = config.site
    relevant = (
        __version__,
        (site.url, site.permalink, site.timezone),
        config.dayfirst,
        sorted(config.categories.items()),
        config.drop_lines,
        config.display_path(config.content_dir),
    )
    return hashlib.sha256(repr(relevant).encode()).hexdigest()


def render_key(config: Config) -> str:
    """Fingerprint of every setting that changes feed bytes (the whole site section, feeds,
    the WebSub hub, and everything `reading_key` covers)."""
    relevant = (reading_key(config), config.site, config.feeds, config.websub_hub)
    return hashlib.sha256(repr(relevant).encode()).hexdigest()


# A stat taken this close to the file's last write is not trusted by the next build: a second
# write within the file system's timestamp granularity (a kernel clock tick; a whole second
# on ext3, HFS+ or some network file systems; two on FAT) would leave size and times equal.
RACY_NS = 2_000_000_000


def scan_content(content_dir: Path) -> list[tuple[str, os.stat_result]]:
    """Every article file below `content_dir` (hidden names skipped), sorted by path."""
    if not content_dir.is_dir():
        raise ConfigError("content_dir", str(content_dir), "is not a folder")
    found: list[tuple[str, os.stat_result]] = []

    def walk(folder: str, prefix: str) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir():
                    walk(entry.path, prefix + entry.name + "/")
                elif entry.is_file() and Path(entry.name).suffix.lower() in EXTENSIONS:
                    found.append((prefix + entry.name, entry.stat()))

    walk(str(content_dir), "")
    found.sort(key=lambda item: item[0])
    return found


def read_file(
    config: Config, relative: str, data: bytes
) -> tuple[tuple[Article, ...], tuple[Problem, ...]]:
    """One content file's bytes -> its normalised articles and every problem found."""
    source = config.display_path(config.content_dir / relative)
    result = read_source(source, data, ReaderOptions(drop_lines=config.drop_lines))
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
    return tuple(articles), tuple(problems)


def _without_body(article: Article) -> Article:
    return dataclasses.replace(article, body="")


def _load_files(
    config: Config, cache: BuildCache, progress: Progress | None, started_ns: int | None
) -> tuple[dict[str, FileState], dict[str, Article], list[Problem], list[str], int, int]:
    """Read what changed, reuse what did not. Returns the new file states, the articles with
    bodies read in this build (by source), problems, kept sources, files total and files read.

    `started_ns` is the wall clock when the build began (None: the states will not be saved);
    stats taken within `RACY_NS` of it are marked racy."""
    same_reading = cache.reading_key == reading_key(config)
    states: dict[str, FileState] = {}
    fresh: dict[str, Article] = {}
    problems: list[Problem] = []
    kept: list[str] = []
    files = scan_content(config.content_dir)
    read = 0
    for done, (relative, stat) in enumerate(files, 1):
        if progress is not None:
            progress("read", done, len(files))
        # `last` may come from another config: only its last good versions are used then.
        last = cache.files.get(relative)
        before = last if same_reading else None
        if before is not None and before.matches(stat):
            states[relative] = before
            problems.extend(before.problems)
            kept.extend(before.kept)
            continue
        racy = started_ns is not None and stat.st_mtime_ns > started_ns - RACY_NS
        path = config.content_dir / relative
        try:
            data = path.read_bytes()
        except OSError as error:
            source = config.display_path(path)
            problem = Problem(source, "file", None, f"cannot be read: {error.strerror}")
            problems.append(problem)
            if last is not None and last.good:  # unreadable is failing to read, too
                states[relative] = dataclasses.replace(  # retried, and parsed, next time
                    last,
                    digest="",
                    problems=(problem,),
                    kept=tuple(a.source for a in last.good),
                    racy=True,
                )
                kept.extend(a.source for a in last.good)
            continue
        read += 1
        digest = file_digest(data)
        if before is not None and before.digest == digest:
            states[relative] = _restat(before, stat, racy)
            problems.extend(before.problems)
            kept.extend(before.kept)
            continue
        articles, file_problems = read_file(config, relative, data)
        for article in articles:
            fresh[article.source] = article
        entries = tuple((_without_body(a), content_key(a)) for a in articles)
        entries, kept_here = _last_good(entries, file_problems, last)
        kept.extend(kept_here)
        problems.extend(file_problems)
        state = FileState(
            size=0,
            mtime_ns=0,
            ctime_ns=0,
            ino=0,
            digest=digest,
            problems=file_problems,
            good=tuple(article for article, _ in entries),
            content_keys=tuple(key for _, key in entries),
            kept=kept_here,
        )
        states[relative] = _restat(state, stat, racy)
    return states, fresh, problems, kept, len(files), read


def _restat(state: FileState, stat: os.stat_result, racy: bool) -> FileState:
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


def build_site(
    config: Config,
    *,
    now: datetime,
    strict: bool = False,
    dry_run: bool = False,
    validate: bool = True,
    wait_for_lock: bool = False,
    progress: Progress | None = None,
) -> BuildReport:
    """Build every feed of the site as of `now` (an aware datetime) and publish what validates.

    Raises `LockHeld` when another build runs, `ConfigError`/`BuildError` when the build
    cannot start. Problems with single articles or feeds are in the report, never raised.
    """
    with build_lock(config.cache_dir, wait=wait_for_lock):
        return _build_locked(config, now, strict, dry_run, validate, progress)


@dataclass(slots=True)
class Prepared:
    """The site as the content says it should be published at `now`, before rendering."""

    plan: SitePlan
    contents: ContentSource
    states: dict[str, FileState]
    problems: list[Problem]
    kept: list[str]
    drafts: int
    published: int
    scheduled: tuple[Article, ...]
    files_total: int
    files_read: int


def prepare(
    config: Config,
    cache: BuildCache,
    now: datetime,
    progress: Progress | None = None,
    *,
    started_ns: int | None = None,
) -> Prepared:
    """Read (incrementally), normalise, resolve and plan; raises `BuildError` for an empty site.
    `started_ns` (wall clock, ns) marks stats too fresh to trust; pass it when the returned
    states will be saved."""
    check_category_config(config)
    states, fresh, problems, kept, files_total, files_read = _load_files(
        config, cache, progress, started_ns
    )
    everything = [a for state in states.values() for a in state.good]
    if not everything and not any(p.level is Level.ERROR for p in problems):
        raise BuildError(
            f"no articles found in {config.display_path(config.content_dir)}; "
            "nothing was published (check content_dir)"
        )
    # Drafts and scheduled articles take no part in resolution, so neither can block (by a
    # duplicate id or a slug clash) an article that is already published.
    live = [a for a in everything if not a.draft]
    published, site_problems = resolve_site([a for a in live if a.published <= now], config)
    problems.extend(site_problems)
    return Prepared(
        plan=plan_site(published, config),
        contents=ContentSource(config, cache, fresh, states),
        states=states,
        problems=problems,
        kept=kept,
        drafts=sum(a.draft for a in everything),
        published=len(published),
        scheduled=tuple(a for a in live if a.published > now),
        files_total=files_total,
        files_read=files_read,
    )


def _build_locked(
    config: Config,
    now: datetime,
    strict: bool,
    dry_run: bool,
    validate: bool,
    progress: Progress | None,
) -> BuildReport:
    cache = load_cache(config.cache_dir)
    site = prepare(config, cache, now, progress, started_ns=time.time_ns())
    rendered = _render_all(config, site.plan, cache, site.contents, validate, progress)
    files, findings, refused = rendered.files, rendered.findings, rendered.refused
    site.problems.extend(site.contents.lost_problems())
    blocked = strict and bool(site.problems or findings or site.kept)
    planned = set(site.plan.paths())
    pages: dict[str, bytes] = {}
    if config.feeds.pages:
        pages = render_pages(site.plan, config)
        files.update(pages)
        planned.update(pages)
    # Stale: managed files under feeds/, and any other file this build wrote last time (the
    # top-level discovery pages) that is no longer planned and is still as the build left it.
    ours = {p for p, state in cache.feeds.items() if _untouched(config.output_dir / p, state)}
    stale = sorted((existing_feed_files(config.output_dir) | ours) - planned)
    report = publish_files(config.output_dir, files, stale=stale, dry_run=dry_run or blocked)
    if not (dry_run or blocked):
        feed_states = dict(rendered.states)
        feed_states.update((path, FeedState("", size=0, mtime_ns=0)) for path in pages)
        _save(config, cache, site, feed_states, report)
    return BuildReport(
        files_total=site.files_total,
        files_read=site.files_read,
        articles=site.published,
        drafts=site.drafts,
        scheduled=site.scheduled,
        problems=tuple(site.problems),
        findings=tuple(findings),
        refused=tuple(refused),
        kept=tuple(site.kept),
        publish=report,
        feeds_total=len(site.plan.paths()),
        validated=validate,
        dry_run=dry_run,
        strict_blocked=blocked,
        cut=tuple(rendered.cut),
    )


class ContentSource:
    """Entry content for the renderer, computed at most once per article version: from the
    cache when its `content_key` is known, else from its body (read again from its file when
    the body was not read in this build)."""

    def __init__(
        self,
        config: Config,
        cache: BuildCache,
        fresh: dict[str, Article],
        states: dict[str, FileState],
    ) -> None:
        self.config = config
        self.previous = cache.contents  # valid under any config: the key covers every input
        self.fresh = fresh
        self.keys: dict[str, str] = {}
        self.files: dict[str, str] = {}
        for relative, state in states.items():
            for article, key in zip(state.good, state.content_keys, strict=True):
                self.keys[article.source] = key
                self.files[article.source] = relative
        self.used: dict[str, EntryContent] = {}
        self.lost: set[str] = set()

    def digest(self, article: Article) -> str:
        """The article's content key: equal keys, equal `EntryContent`."""
        return self.keys.get(article.source, "")

    def __call__(self, article: Article) -> EntryContent:
        key = self.digest(article)
        found = self.used.get(key) or self.previous.get(key)
        if found is not None:
            self.used[key] = found
            return found
        full = self._with_body(article)
        if full is None:  # a kept version whose content was never cached: no body to show
            self.lost.add(article.source)
            return entry_content(article)
        found = entry_content(full)
        self.used[content_key(full)] = found  # its own key: the file may have changed since
        return found

    def _with_body(self, article: Article) -> Article | None:
        if article.source not in self.fresh:
            relative = self.files[article.source]
            try:
                data = (self.config.content_dir / relative).read_bytes()
            except OSError:  # removed since the scan: the next build drops it
                return None
            for fresh in read_file(self.config, relative, data)[0]:
                self.fresh[fresh.source] = fresh
        return self.fresh.get(article.source)

    def lost_problems(self) -> list[Problem]:
        """A warning for each kept article published without its body (see `__call__`)."""
        return [
            Problem(
                source,
                "body",
                None,
                "its last good version was never in a feed, so its text is not in the build "
                "cache: it is published without a body until the file is fixed",
                Level.WARNING,
            )
            for source in sorted(self.lost)
        ]


def feed_fingerprint(
    feed: FeedSpec, fmt: str, config: Config, digest: Callable[[Article], str]
) -> str:
    """Everything the bytes of one feed file depend on, hashed."""
    h = hashlib.sha256()
    h.update(
        repr(
            (
                render_key(config),
                fmt,
                feed.key,
                feed.title,
                feed.description,
                feed.html_url,
                feed.updated,
                feed.total,
                feed.page,
                feed.archive_pages,
            )
        ).encode()
    )
    for article in feed.entries:  # every field; the content key stands for the body
        fields = dataclasses.replace(article, body="") if article.body else article
        h.update(repr((digest(article), fields)).encode())
    return h.hexdigest()


@dataclass(slots=True)
class _Rendered:
    files: dict[str, bytes] = dataclasses.field(default_factory=dict)
    findings: list[Finding] = dataclasses.field(default_factory=list)
    refused: list[str] = dataclasses.field(default_factory=list)
    states: dict[str, FeedState] = dataclasses.field(default_factory=dict)
    cut: list[tuple[str, int, int]] = dataclasses.field(default_factory=list)


def _render_all(
    config: Config,
    plan: SitePlan,
    cache: BuildCache,
    contents: ContentSource,
    validate: bool,
    progress: Progress | None,
) -> _Rendered:
    out = _Rendered()
    jobs = [(feed, fmt) for feed in plan.feeds for fmt in plan.formats]
    jobs += plan.archive_jobs()
    for done, (feed, fmt) in enumerate(jobs, 1):
        if progress is not None:
            progress("render", done, len(jobs))
        path = feed.path(fmt)
        fingerprint = feed_fingerprint(feed, fmt, config, contents.digest)
        before = cache.feeds.get(path)
        if (
            before is not None
            and before.fingerprint == fingerprint
            and _untouched(config.output_dir / path, before)
        ):
            out.states[path] = before
            if before.kept is not None:
                out.cut.append((path, before.kept, len(feed.entries)))
            continue
        fitted, data = _render_within_budget(feed, fmt, config, contents)
        kept = None if fitted is feed else len(fitted.entries)
        if kept is not None:
            out.cut.append((path, kept, len(feed.entries)))
        if validate:
            found = _check(data, fmt, fitted, config, contents, path)
            out.findings.extend(found)
            if any(f.level is Severity.ERROR for f in found):
                out.refused.append(path)
                continue
        out.files[path] = data
        out.states[path] = FeedState(fingerprint, size=len(data), mtime_ns=0, kept=kept)
    return out


def _render_within_budget(
    feed: FeedSpec, fmt: str, config: Config, contents: ContentSource
) -> tuple[FeedSpec, bytes]:
    """Render the feed; past `feeds.max_bytes`, drop the oldest entries until it fits
    (binary search over how many of the newest entries to keep; at least one is kept)."""
    data = render_feed(feed, fmt, config, contents)
    limit = config.feeds.max_bytes
    if limit is None or len(data) <= limit or len(feed.entries) <= 1:
        return feed, data
    low, high = 1, len(feed.entries) - 1  # the largest count that fits lies in [low, high]
    best = dataclasses.replace(feed, entries=feed.entries[:1])
    best_data = render_feed(best, fmt, config, contents)
    while low <= high:
        middle = (low + high) // 2
        candidate = dataclasses.replace(feed, entries=feed.entries[:middle])
        candidate_data = render_feed(candidate, fmt, config, contents)
        if len(candidate_data) <= limit:
            best, best_data, low = candidate, candidate_data, middle + 1
        else:
            high = middle - 1
    return best, best_data


def _check(
    data: bytes, fmt: str, feed: FeedSpec, config: Config, contents: ContentSource, path: str
) -> list[Finding]:
    found = [] if fmt == "json" else lint_feed(data, path, strict=True)
    found += check_round_trip(data, fmt, feed, config, contents, file=path)
    return found


def _untouched(path: Path, state: FeedState) -> bool:
    try:
        stat = path.stat()
    except OSError:
        return False
    return (stat.st_size, stat.st_mtime_ns) == (state.size, state.mtime_ns)


def _save(
    config: Config,
    cache: BuildCache,
    site: Prepared,
    feed_states: dict[str, FeedState],
    report: PublishReport,
) -> None:
    """Remember what this build read and wrote; a feed that failed to publish is forgotten so
    the next build tries it again. Content is kept for every article still in some file, so
    a feed that is not re-rendered does not lose it. An unchanged state is not written."""
    failed = {path for path, _ in report.failed}
    feeds: dict[str, FeedState] = {}
    for path, state in feed_states.items():
        if path in failed:
            continue
        try:
            stat = (config.output_dir / path).stat()
        except OSError:
            continue
        if (state.size, state.mtime_ns) != (stat.st_size, stat.st_mtime_ns):
            state = dataclasses.replace(state, mtime_ns=stat.st_mtime_ns, size=stat.st_size)
        feeds[path] = _same_object(state, cache.feeds.get(path))
    contents: dict[str, EntryContent] = {}
    for file_state in site.states.values():
        for key in file_state.content_keys:
            found = site.contents.used.get(key) or site.contents.previous.get(key)
            if found is not None:
                contents[key] = found
    new = BuildCache(
        reading_key=reading_key(config),
        files=site.states,
        contents=contents,
        feeds=feeds,
    )
    if new.reading_key == cache.reading_key and all(
        _same_dict(getattr(new, name), getattr(cache, name))
        for name in ("files", "contents", "feeds")
    ):
        return
    save_cache(config.cache_dir, new)


def _same_object(state: FeedState, before: FeedState | None) -> FeedState:
    return before if before is not None and before == state else state


def _same_dict(new: Mapping[str, object], old: Mapping[str, object]) -> bool:
    """Same keys and the very same values (reused states are the cached objects)."""
    return len(new) == len(old) and all(old.get(key) is value for key, value in new.items())


def iter_problems(report: BuildReport) -> Iterator[str]:
    """Every problem and finding as one line of text, errors first."""
    for problem in sorted(report.problems, key=lambda p: (p.level is not Level.ERROR, p.source)):
        yield f"{problem.level.value}: {problem}"
    for finding in report.findings:
        yield str(finding)
