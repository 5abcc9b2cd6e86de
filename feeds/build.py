"""The library's front door: `build_site` reads the content, plans the feeds, renders, validates
and publishes them, and returns a `BuildReport`. A CMS can call it after publishing; the CLI
only formats the report and picks the exit code.

Incremental by design: a content file whose stat and digest are unchanged is not read again,
and a feed whose inputs are unchanged (same fingerprint) and whose file is untouched is not
rendered again. The result is always byte-identical to a clean build of the same content.

Fast where it counts (issue 6):
- Nothing changed (every content file's stat as recorded and trusted, the same settings, the
  same articles due at `now`, every file the last build wrote untouched and no other feed
  file in the way): the last build's summary is the report, and nothing else is read,
  planned, rendered or written (`_unchanged`).
- Big work (many files to read, or a settings change that re-renders many feeds) is shared
  with worker processes (`feeds.parallel`): reading files, computing entry content, and
  rendering + linting + round-tripping feeds. Results are put together in a fixed order, so
  the output never depends on the number of workers (`workers=1` or FEEDS_WORKERS=1: none).
- Bodies are not kept when many files are read: the few thousand articles that land in feeds
  are read again for their content, so memory stays flat in the number of articles.
- One round-trip memo serves the whole build and is kept for the entries still in feeds, so
  a one-article change parses only the entries whose bytes changed.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from feeds.body import EntryContent, entry_content
from feeds.cache import (
    BuildCache,
    FeedState,
    FileState,
    Manifest,
    Memo,
    Summary,
    content_key,
    load_manifest,
    load_store,
    save_cache,
)
from feeds.categories import check_category_config
from feeds.config import Config
from feeds.findings import Finding, Severity
from feeds.model import Article, Level, Problem
from feeds.normalise import resolve_site
from feeds.parallel import Workers, worker_count
from feeds.plan import FeedSpec, SitePlan, plan_site
from feeds.publish import (
    PublishReport,
    build_lock,
    existing_feed_files,
    explain,
    publish_files,
)
from feeds.reading import (
    RACY_NS,
    Progress,
    load_files,
    read_file,
    reading_key,
    scan_content,
)
from feeds.rendering import (
    Rendered,
    feed_fingerprint,
    page_fingerprints,
    render_all,
    render_changed_pages,
    render_key,
    untouched,
)

__all__ = [  # the front door, and what it is made of that callers use
    "RACY_NS",
    "BuildError",
    "BuildReport",
    "ContentSource",
    "Prepared",
    "Progress",
    "build_site",
    "feed_fingerprint",
    "iter_problems",
    "prepare",
    "read_file",
    "reading_key",
    "render_key",
    "scan_content",
]

# When a build forks workers (see feeds.parallel); below these, one process does it faster.
MIN_FILES_FOR_POOL = 300  # content files to read
MIN_FEEDS_FOR_POOL = 20  # feed files to render after a settings change


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
    workers: int = 1  # processes that shared the work

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


# -- the build ---------------------------------------------------------------------------------


def build_site(
    config: Config,
    *,
    now: datetime,
    strict: bool = False,
    dry_run: bool = False,
    validate: bool = True,
    wait_for_lock: bool = False,
    progress: Progress | None = None,
    workers: int | None = None,
) -> BuildReport:
    """Build every feed of the site as of `now` (an aware datetime) and publish what validates.

    `workers` caps the processes a big build may use (default: $FEEDS_WORKERS, else every
    CPU; 1: this process only); the output is the same whatever their number.
    Raises `LockHeld` when another build runs, `ConfigError`/`BuildError` when the build
    cannot start. Problems with single articles or feeds are in the report, never raised.
    """
    with build_lock(config.cache_dir, wait=wait_for_lock):
        return _build_locked(config, now, strict, dry_run, validate, progress, workers)


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
    latest: datetime | None = None  # the newest publication time among the articles due


def prepare(
    config: Config,
    cache: BuildCache,
    now: datetime,
    progress: Progress | None = None,
    *,
    started_ns: int | None = None,
    files: list[tuple[str, os.stat_result]] | None = None,
    pool: Workers | None = None,
) -> Prepared:
    """Read (incrementally), normalise, resolve and plan; raises `BuildError` for an empty site.
    `started_ns` (wall clock, ns) marks stats too fresh to trust; pass it when the returned
    states will be saved. `files` is `scan_content`'s answer when already taken; `pool`
    shares the reading when it has workers."""
    check_category_config(config)
    if files is None:
        files = scan_content(config.content_dir)
    loaded = load_files(config, cache, files, progress, started_ns, pool or Workers(1))
    states, problems = loaded.states, loaded.problems
    everything = [a for state in states.values() for a in state.good]
    if not everything and not any(p.level is Level.ERROR for p in problems):
        raise BuildError(
            f"no articles found in {config.display_path(config.content_dir)}; "
            "nothing was published (check content_dir)"
        )
    # Drafts and scheduled articles take no part in resolution, so neither can block (by a
    # duplicate id or a slug clash) an article that is already published.
    live = [a for a in everything if not a.draft]
    due = [a for a in live if a.published <= now]
    published, site_problems = resolve_site(due, config)
    problems.extend(site_problems)
    return Prepared(
        plan=plan_site(published, config),
        contents=ContentSource(config, cache, loaded.bodies, states),
        states=states,
        problems=problems,
        kept=loaded.kept,
        drafts=sum(a.draft for a in everything),
        published=len(published),
        scheduled=tuple(a for a in live if a.published > now),
        files_total=loaded.files_total,
        files_read=loaded.files_read,
        latest=max((a.published for a in due), default=None),
    )


def _advertised(plan: SitePlan, refused: set[str], output_dir: Path) -> SitePlan:
    """The plan the discovery pages describe: without a category feed that the validator
    refused in every format and that has never been published, so no page links a URL that
    answers 404 (the site feed is always listed)."""

    def never_published(feed: FeedSpec) -> bool:
        paths = [feed.path(fmt) for fmt in plan.formats]
        return all(p in refused and not (output_dir / p).exists() for p in paths)

    kept = tuple(feed for feed in plan.feeds if feed.category is None or not never_published(feed))
    return plan if len(kept) == len(plan.feeds) else dataclasses.replace(plan, feeds=kept)


def _build_locked(
    config: Config,
    now: datetime,
    strict: bool,
    dry_run: bool,
    validate: bool,
    progress: Progress | None,
    workers: int | None,
) -> BuildReport:
    check_category_config(config)
    started_ns = time.time_ns()
    try:
        manifest = load_manifest(config.cache_dir)
        files = scan_content(config.content_dir)
        gc.freeze()  # see _build_stages
        stats = manifest.stats if manifest is not None else {}
        changed = sum(
            stats.get(relative) != (s.st_size, s.st_mtime_ns, s.st_ctime_ns, s.st_ino)
            for relative, s in files
        )  # a racy stat is None: never equal
        if not changed and len(stats) == len(files):
            unchanged = _unchanged(config, manifest, now, strict, dry_run, validate)
            if unchanged is not None:
                return unchanged
        if manifest is None or manifest.reading_key != reading_key(config) or not manifest.store:
            changed = len(files)
        return _build_stages(
            config, now, strict, dry_run, validate, progress, workers, started_ns, manifest, files,
            changed,
        )  # fmt: skip
    finally:
        gc.unfreeze()


def _build_stages(
    config: Config,
    now: datetime,
    strict: bool,
    dry_run: bool,
    validate: bool,
    progress: Progress | None,
    workers: int | None,
    started_ns: int,
    manifest: Manifest | None,
    files: list[tuple[str, os.stat_result]],
    changed: int,
) -> BuildReport:
    with Workers(_pool_size(config, manifest, changed, workers)) as pool:
        cache = load_store(config.cache_dir, manifest)
        # The state read from the cache lives for the whole build and forms no cycles: out of
        # the cycle collector's sight (gc.freeze), which would otherwise go through it again
        # and again. The caller gives it back (gc.unfreeze) when the build ends.
        gc.freeze()
        site = prepare(config, cache, now, progress, started_ns=started_ns, files=files, pool=pool)
        rendered = render_all(
            config, site.plan, cache, site.contents, validate, progress, pool, workers
        )
        processes = max(pool.count, rendered.processes)
    files_out, findings, refused = rendered.files, rendered.findings, rendered.refused
    summary_problems = tuple(site.problems)
    site.problems.extend(site.contents.lost_problems())
    blocked = strict and bool(site.problems or findings or site.kept)
    planned = set(site.plan.paths())
    pages: dict[str, str] = {}  # page path -> fingerprint
    if config.feeds.pages:
        shown = _advertised(site.plan, set(refused), config.output_dir)
        pages = page_fingerprints(shown, rendered.fingerprints)
        planned.update(pages)
        for path, data in render_changed_pages(shown, config, pages, cache).items():
            files_out[path] = data
    # Stale: managed files under feeds/, and any other file this build wrote last time (the
    # top-level discovery pages) that is no longer planned and is still as the build left it.
    ours = {p for p, state in cache.feeds.items() if untouched(config.output_dir / p, state)}
    stale = sorted((existing_feed_files(config.output_dir) | ours) - planned)
    report = publish_files(config.output_dir, files_out, stale=stale, dry_run=dry_run or blocked)
    if not (dry_run or blocked):
        feed_states = dict(rendered.states)
        feed_states.update(
            (path, FeedState(mark, size=0, mtime_ns=0)) for path, mark in pages.items()
        )
        summary = Summary(
            files_total=site.files_total,
            articles=site.published,
            drafts=site.drafts,
            scheduled=site.scheduled,
            problems=summary_problems,
            kept=tuple(site.kept),
            cut=tuple(rendered.cut),
            feeds_total=len(site.plan.paths()),
            planned=(*site.plan.paths(), *pages),
            latest=site.latest,
            next_due=min((a.published for a in site.scheduled), default=None),
        )
        failure = _save(config, cache, site, rendered, feed_states, report, summary)
        if failure is not None:
            site.problems.append(failure)
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
        workers=processes,
    )


def _unchanged(
    config: Config,
    manifest: Manifest | None,
    now: datetime,
    strict: bool,
    dry_run: bool,
    validate: bool,
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
    if not summary.covers(now):
        return None
    recorded = manifest.feeds
    planned = summary.planned
    if len(recorded) != len(planned):
        return None
    for path in planned:
        state = recorded.get(path)
        if state is None or not untouched(config.output_dir / path, state):
            return None
    if not existing_feed_files(config.output_dir) <= set(planned):
        return None
    return BuildReport(
        files_total=len(manifest.stats),
        files_read=0,
        articles=summary.articles,
        drafts=summary.drafts,
        scheduled=summary.scheduled,
        problems=summary.problems,
        findings=(),
        refused=(),
        kept=summary.kept,
        publish=PublishReport(),  # nothing to write, nothing rendered to compare
        feeds_total=summary.feeds_total,
        validated=validate,
        dry_run=dry_run,
        strict_blocked=strict and bool(summary.problems or summary.kept),
        cut=summary.cut,
    )


def _pool_size(
    config: Config, manifest: Manifest | None, changed: int, requested: int | None
) -> int:
    """How many processes this build uses: more than one only when the work pays for them
    (`changed` files to read, or many feeds to render after a settings change)."""
    count = worker_count(requested)
    if count == 1:
        return 1
    if changed >= MIN_FILES_FOR_POOL:
        return count
    if (
        manifest is not None
        and manifest.render_key != render_key(config)
        and len(manifest.feeds) >= MIN_FEEDS_FOR_POOL
    ):
        return count
    return 1


# -- entry content -------------------------------------------------------------------------------


class ContentSource:
    """Entry content for the renderer, computed at most once per article version: from the
    cache when its `content_key` is known, else from its body (read again from its file when
    the body was not kept in this build)."""

    def __init__(
        self,
        config: Config,
        cache: BuildCache,
        bodies: dict[str, str],
        states: dict[str, FileState],
    ) -> None:
        self.config = config
        self.previous = cache.contents  # valid under any config: the key covers every input
        self.bodies = bodies
        # By source: (its file, its content key, the article as its file gave it, the file's
        # digest). An article as its file gave it is a function of the file's bytes, its path
        # and the reading settings (`reading_key`, part of every feed fingerprint), so the
        # digest and the source stand for its fields; not for a kept version (an older
        # file's), which gets an empty digest.
        self.articles: dict[str, tuple[str, str, Article, str]] = {}
        for relative, state in states.items():
            digest = state.digest
            for article, key in zip(state.good, state.content_keys, strict=True):
                self.articles[article.source] = (relative, key, article, digest)
            for source in state.kept:
                relative, key, article, _ = self.articles[source]
                self.articles[source] = (relative, key, article, "")
        self.used: dict[str, EntryContent] = {}
        self.by_source: dict[str, EntryContent] = {}
        self.reread: dict[str, Article] = {}
        self.lost: set[str] = set()

    def digest(self, article: Article) -> str:
        """The article's content key: equal keys, equal `EntryContent`."""
        found = self.articles.get(article.source)
        return found[1] if found is not None else ""

    def stand_in(self, article: Article) -> str | None:
        """A text that stands for all fields of `article` in a feed fingerprint: its file's
        digest and its source, when it is the very article its file gave (site-wide
        resolution renames categories by making another); else None."""
        found = self.articles.get(article.source)
        if found is None or found[2] is not article or not found[3]:
            return None
        return f"file {found[3]} {article.source}"

    def __call__(self, article: Article) -> EntryContent:
        found = self.by_source.get(article.source)
        if found is None:
            found = self._content(article)
            self.by_source[article.source] = found
        return found

    def _content(self, article: Article) -> EntryContent:
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
        body = self.bodies.get(article.source)
        if body is not None:
            return dataclasses.replace(article, body=body)
        if article.source not in self.reread:
            self.reread.update(_read_again(self.config, self.articles[article.source][0]))
        return self.reread.get(article.source)

    def prefetch(self, articles: Iterable[Article], pool: Workers) -> None:
        """Compute the content of all `articles` now: on the pool's workers when it has some
        and there are several to compute, else here."""
        missing: dict[str, Article] = {}
        for article in articles:
            source = article.source
            if source in self.by_source or source in missing:
                continue
            key = self.digest(article)
            found = self.used.get(key) or self.previous.get(key)
            if found is not None:
                self.used[key] = found
                self.by_source[source] = found
            else:
                missing[source] = article
        if pool.count < 2 or len(missing) < 2:
            for article in missing.values():
                self(article)
            return
        items = [
            (article, self.bodies.get(source), self.articles[source][0])
            for source, article in missing.items()
        ]
        results = pool.map(_entry_contents, (self.config,), items)
        for (source, article), result in zip(missing.items(), results, strict=True):
            if result is None:
                self.lost.add(source)
                found = entry_content(article)
            else:
                key, found = result
                self.used[key] = found
            self.by_source[source] = found

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


def _read_again(config: Config, relative: str) -> dict[str, Article]:
    """The articles of one content file, bodies included (none when it cannot be read: it
    was removed since the scan, and the next build drops it)."""
    try:
        data = (config.content_dir / relative).read_bytes()
    except OSError:
        return {}
    return {article.source: article for article in read_file(config, relative, data)[0]}


def _entry_contents(
    config: Config, items: list[tuple[Article, str | None, str]]
) -> list[tuple[str, EntryContent] | None]:
    """A worker's share of `ContentSource.prefetch`: for each (article, its body when kept,
    its file) the content key and content, or None when the body is lost."""
    reread: dict[str, Article] = {}
    results: list[tuple[str, EntryContent] | None] = []
    for article, body, relative in items:
        if body is not None:
            full: Article | None = dataclasses.replace(article, body=body)
        else:
            if article.source not in reread:
                reread.update(_read_again(config, relative))
            full = reread.get(article.source)
        results.append(None if full is None else (content_key(full), entry_content(full)))
    return results


def _save(
    config: Config,
    cache: BuildCache,
    site: Prepared,
    rendered: Rendered,
    feed_states: dict[str, FeedState],
    report: PublishReport,
    summary: Summary,
) -> Problem | None:
    """Remember what this build read and wrote; a feed that failed to publish is forgotten so
    the next build tries it again. Content is kept for every article still in some file, so
    a feed that is not re-rendered does not lose it; memo entries for the entries still in
    some feed. What did not change is not written. A cache that cannot be written is an
    error in the report (the feeds are published; the next build does this one's work again)."""
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
        before = cache.feeds.get(path)
        feeds[path] = before if before is not None and before == state else state
    wanted = {key for file_state in site.states.values() for key in file_state.content_keys}
    contents = {key: found for key, found in site.contents.previous.items() if key in wanted}
    for key, found in site.contents.used.items():  # in the order computed: stable shards
        if key in wanted:
            contents.setdefault(key, found)
    feed_memo = {
        path: rendered.feed_memo.get(path, ()) for path in feeds if path in rendered.feed_memo
    }
    new = BuildCache(
        reading_key=reading_key(config),
        render_key=render_key(config),
        files=site.states,
        contents=contents,
        feeds=feeds,
        memo=Memo(rendered.memo),  # what this build read or parsed; the rest is in `cache`
        feed_memo=feed_memo,
        summary=summary,
    )
    try:
        save_cache(config.cache_dir, new, cache)
    except OSError as error:
        return Problem(
            config.display_path(config.cache_dir),
            "cache",
            None,
            f"cannot be saved: {explain(error)} (the feeds are published; the next build "
            "does this one's work again)",
        )
    return None


def iter_problems(report: BuildReport) -> Iterator[str]:
    """Every problem and finding as one line of text, errors first."""
    for problem in sorted(report.problems, key=lambda p: (p.level is not Level.ERROR, p.source)):
        yield f"{problem.level.value}: {problem}"
    for finding in report.findings:
        yield str(finding)
