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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from feeds import __version__
from feeds.body import EntryContent, entry_content
from feeds.cache import BuildCache, FeedState, FileState, file_digest, load_cache, save_cache
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
    """Fingerprint of every setting that changes how files become articles."""
    relevant = (
        __version__,
        config.site,
        config.dayfirst,
        sorted(config.categories.items()),
        config.drop_lines,
        config.content_dir,
    )
    return hashlib.sha256(repr(relevant).encode()).hexdigest()


def render_key(config: Config) -> str:
    """Fingerprint of every setting that changes feed bytes."""
    relevant = (reading_key(config), config.feeds, config.websub_hub)
    return hashlib.sha256(repr(relevant).encode()).hexdigest()


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
    config: Config, cache: BuildCache, progress: Progress | None
) -> tuple[dict[str, FileState], dict[str, Article], list[Problem], list[str], int, int]:
    """Read what changed, reuse what did not. Returns the new file states, the articles with
    bodies read in this build (by source), problems, kept sources, files total and files read."""
    key = reading_key(config)
    previous = cache.files if cache.reading_key == key else {}
    states: dict[str, FileState] = {}
    fresh: dict[str, Article] = {}
    problems: list[Problem] = []
    kept: list[str] = []
    files = scan_content(config.content_dir)
    read = 0
    for done, (relative, stat) in enumerate(files, 1):
        if progress is not None:
            progress("read", done, len(files))
        before = previous.get(relative)
        if before is not None and (before.size, before.mtime_ns) == (
            stat.st_size,
            stat.st_mtime_ns,
        ):
            states[relative] = before
            problems.extend(before.problems)
            continue
        path = config.content_dir / relative
        try:
            data = path.read_bytes()
        except OSError as error:
            source = config.display_path(path)
            problems.append(Problem(source, "file", None, f"cannot be read: {error.strerror}"))
            continue
        read += 1
        digest = file_digest(data)
        if before is not None and before.digest == digest:
            states[relative] = dataclasses.replace(
                before, size=stat.st_size, mtime_ns=stat.st_mtime_ns
            )
            problems.extend(before.problems)
            continue
        articles, file_problems = read_file(config, relative, data)
        for article in articles:
            fresh[article.source] = article
        good, kept_here = _last_good(articles, file_problems, before)
        kept.extend(kept_here)
        problems.extend(file_problems)
        states[relative] = FileState(
            size=stat.st_size,
            mtime_ns=stat.st_mtime_ns,
            digest=digest,
            articles=tuple(_without_body(a) for a in articles),
            problems=file_problems,
            good=tuple(_without_body(a) for a in good),
        )
    return states, fresh, problems, kept, len(files), read


def _last_good(
    articles: tuple[Article, ...], problems: tuple[Problem, ...], before: FileState | None
) -> tuple[tuple[Article, ...], list[str]]:
    """The articles to publish from a file: what read cleanly, plus, for a record that used to
    read and now fails, its last good version (the one case a build differs from a clean one)."""
    failed = {p.source for p in problems if p.level is Level.ERROR}
    if not failed or before is None:
        return articles, []
    have = {a.source for a in articles}
    kept = [a for a in before.good if a.source in failed and a.source not in have]
    return articles + tuple(kept), [a.source for a in kept]


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
    config: Config, cache: BuildCache, now: datetime, progress: Progress | None = None
) -> Prepared:
    """Read (incrementally), normalise, resolve and plan; raises `BuildError` for an empty site."""
    check_category_config(config)
    states, fresh, problems, kept, files_total, files_read = _load_files(config, cache, progress)
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
    site = prepare(config, cache, now, progress)
    rendered = _render_all(config, site.plan, cache, site.contents, validate, progress)
    files, findings, refused = rendered.files, rendered.findings, rendered.refused
    blocked = strict and bool(site.problems or findings or site.kept)
    planned = set(site.plan.paths())
    if config.feeds.pages:
        pages = render_pages(site.plan, config)
        files.update(pages)
        planned.update(pages)
    stale = sorted(existing_feed_files(config.output_dir) - planned)
    report = publish_files(config.output_dir, files, stale=stale, dry_run=dry_run or blocked)
    if not (dry_run or blocked):
        _save(config, site.states, site.contents, rendered.states, report)
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
    """Entry content for the renderer, computed at most once per article: from the cache when
    the article is unchanged, else from its body (read again from its file when the body was
    not read in this build)."""

    def __init__(
        self,
        config: Config,
        cache: BuildCache,
        fresh: dict[str, Article],
        states: dict[str, FileState],
    ) -> None:
        self.config = config
        self.previous = cache.contents if cache.reading_key == reading_key(config) else {}
        self.fresh = fresh
        self.digests = {a.source: state.digest for state in states.values() for a in state.good}
        self.files = {a.source: relative for relative, state in states.items() for a in state.good}
        self.used: dict[str, EntryContent] = {}

    def digest(self, article: Article) -> str:
        return f"{self.digests.get(article.source, '')}:{article.source}"

    def __call__(self, article: Article) -> EntryContent:
        key = self.digest(article)
        found = self.used.get(key) or self.previous.get(key)
        if found is None:
            found = entry_content(self._with_body(article))
        self.used[key] = found
        return found

    def _with_body(self, article: Article) -> Article:
        if article.source not in self.fresh:
            relative = self.files[article.source]
            try:
                data = (self.config.content_dir / relative).read_bytes()
            except OSError:  # removed since the scan: the next build drops it
                return article
            for fresh in read_file(self.config, relative, data)[0]:
                self.fresh[fresh.source] = fresh
        if article.source not in self.fresh:  # the file changed under us: render what we know
            return article
        return dataclasses.replace(self.fresh[article.source], categories=article.categories)


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
    for article in feed.entries:
        h.update(repr((digest(article), article.categories)).encode())
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
    states: dict[str, FileState],
    contents: ContentSource,
    feed_states: dict[str, FeedState],
    report: PublishReport,
) -> None:
    """Remember what this build read and wrote; a feed that failed to publish is forgotten so
    the next build tries it again."""
    failed = {path for path, _ in report.failed}
    feeds: dict[str, FeedState] = {}
    for path, state in feed_states.items():
        if path in failed:
            continue
        try:
            stat = (config.output_dir / path).stat()
        except OSError:
            continue
        feeds[path] = dataclasses.replace(state, mtime_ns=stat.st_mtime_ns, size=stat.st_size)
    new = BuildCache(
        reading_key=reading_key(config),
        files=states,
        contents=contents.used,
        feeds=feeds,
    )
    save_cache(config.cache_dir, new)


def iter_problems(report: BuildReport) -> Iterator[str]:
    """Every problem and finding as one line of text, errors first."""
    for problem in sorted(report.problems, key=lambda p: (p.level is not Level.ERROR, p.source)):
        yield f"{problem.level.value}: {problem}"
    for finding in report.findings:
        yield str(finding)
