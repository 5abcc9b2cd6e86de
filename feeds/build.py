"""The library's front door: `build_site` reads the content, plans the feeds, renders, validates
and publishes them, and returns a `BuildReport`; `validate_site` checks what is published. A
CMS can call it after publishing; the CLI only formats the report and picks the exit code.

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
import time
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from feeds.buildlock import build_lock
from feeds.buildstate import record_ids, record_owned, save_state, summary_of
from feeds.buildwork import changed_stats, nothing_to_do, pool_size, stats_unchanged
from feeds.cache import (
    BuildCache,
    FeedState,
    Manifest,
    load_cache,
    load_manifest,
    load_store,
)
from feeds.categories import check_category_config
from feeds.codec import collector_paused
from feeds.config import Config
from feeds.contentfiles import Skipped, scan_content, skipped_problems, with_unread_kept
from feeds.discovery import add_news_sitemap, add_pages
from feeds.feedfiles import Rendered, render_all
from feeds.feedkinds import excluded_categories
from feeds.findings import Finding
from feeds.idregistry import (
    Published,
    article_changes,
    describe,
    load_ids,
    new_ids,
    registry_again,
    registry_of,
    registry_swapped,
)
from feeds.layout import managed_files
from feeds.model import FileStat, Level, Problem, Progress, RecordSource
from feeds.outputdir import check_output_dir
from feeds.ownership import in_the_way, read_owned, removable
from feeds.parallel import Workers, worker_count
from feeds.plan import FeedSpec
from feeds.publish import PublishReport, publish_files, remove_temp_files
from feeds.recordbodies import RecordBodies, record_store
from feeds.render import fit_feed
from feeds.request import BuildError, BuildReport, BuildRequest, report_of
from feeds.resident import Resident
from feeds.scanshares import Scanned, scan_shared
from feeds.site import Prepared, prepare
from feeds.sitepatch import Patched, patch_site
from feeds.sqlsource import opened_sources
from feeds.staticfiles import read_static
from feeds.storewrite import discard_written
from feeds.validate import check_site, content_findings

__all__ = [
    "BuildError", "BuildReport", "BuildRequest", "RecordSource", "build_site", "validate_site",
]  # fmt: skip

Stats = list[tuple[str, FileStat]]


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
    adopt: tuple[str, ...] = (),
    accept_new_ids: bool = False,
    records: Iterable[Mapping[str, object]] | None = None,
    sources: Sequence[RecordSource] = (),
    resident: Resident | None = None,
) -> BuildReport:
    """Build every feed of the site as of `now` (an aware datetime) and publish what validates
    (the options are `BuildRequest`'s). `records` (a source named `records`) and `sources`
    are articles besides content_dir's files, e.g. from a CMS (README "Python API"): give
    every one each time, as a build publishes only what it is given. A process that builds
    the site again and again passes the same `resident` each time (`feeds.resident`).

    Raises `LockHeld` when another build runs, `ConfigError`/`BuildError` when the build
    cannot start. Problems with single articles or feeds are in the report, never raised.
    """
    request = BuildRequest(
        now=now,
        strict=strict,
        dry_run=dry_run,
        validate=validate,
        wait_for_lock=wait_for_lock,
        progress=progress,
        workers=workers,
        adopt=adopt,
        accept_new_ids=accept_new_ids,
        sources=(*sources, *([] if records is None else [RecordSource("records", records)])),
    )
    return run_build(config, request, resident)


def run_build(
    config: Config, request: BuildRequest, resident: Resident | None = None
) -> BuildReport:
    """`build_site` for a request already made."""
    check_category_config(config)
    excluded_categories(config)  # ConfigError for a feeds.exclude_categories entry (issue 16)
    check_output_dir(config, adopt_all="" in request.adopt)
    with build_lock(config.cache_dir, wait=request.wait_for_lock), opened_sources(config) as rows:
        request = dataclasses.replace(request, sources=(*rows, *request.sources))
        # Build state lives for the whole build and forms no cycles: the cycle collector is
        # off until the build ends (it went through every object made since its last pass
        # again and again: 19 s of a one-article build of a million articles, where a whole
        # build of 100,000 leaves 48 objects in cycles).
        with collector_paused():
            return _run_paused(config, request, resident)


def _run_paused(config: Config, request: BuildRequest, resident: Resident | None) -> BuildReport:
    started_ns = time.time_ns()
    kept = None if resident is None else resident.cache(config.cache_dir)
    manifest = load_manifest(config.cache_dir) if kept is None else kept.manifest
    skipped: Skipped = []
    excluded: list[str] = []
    scanned = _scan(config, skipped, excluded, resident, manifest)
    report: BuildReport | None = None
    # records are read every time (their digests say what changed)
    changed = _changed(manifest, scanned, resident)
    unchanged = stats_unchanged(manifest, scanned.count, changed)
    if not skipped and not request.sources and unchanged:
        report = nothing_to_do(config, manifest, request)
    if report is None:
        stages = _Stages(config, request, started_ns, resident, kept)
        report = _build_stages(stages, manifest, scanned.files(), changed, skipped)
    return dataclasses.replace(report, excluded=tuple(excluded))


@dataclasses.dataclass(frozen=True, slots=True)
class _Stages:
    """What every stage of one build is given."""

    config: Config
    request: BuildRequest
    started_ns: int
    resident: Resident | None
    kept: BuildCache | None  # the resident's build state, when it is still the saved one


def _build_stages(
    stages: _Stages, manifest: Manifest | None, files: Stats, unread: int, skipped: Skipped
) -> BuildReport:
    """Read, plan, render and check; then publish and remember. The stages, in order."""
    config, request, started_ns, resident = (
        stages.config, stages.request, stages.started_ns, stages.resident,
    )  # fmt: skip
    workers = Workers(pool_size(config, manifest, len(files), unread, request.workers))
    with workers as pool, record_store(config.cache_dir, writable=not request.dry_run) as bodies:
        cache = load_store(config.cache_dir, manifest) if stages.kept is None else stages.kept
        patched = _patched(stages, cache, bodies)
        site = patched.site if patched is not None else prepare(
            config, cache, request.now, request.progress, started_ns=started_ns,
            files=files, pool=pool, sources=request.sources, record_bodies=bodies,
            store=None if request.dry_run else config.cache_dir,
        )  # fmt: skip
        previous_ids, same_ids = _checked_ids(stages, site, patched)
        swapped = None if patched is None else patched.swapped
        fingerprints = None if resident is None else resident.fingerprints(
            config, site.contents.digest, site.contents.stand_in, swapped
        )  # fmt: skip
        rendered = render_all(
            config, site.plan, cache, site.contents, request.validate, request.progress, pool,
            request.workers, fingerprints,
        )  # fmt: skip
        processes = max(pool.count, rendered.processes)
    # the build's problems: the site's as `prepare` gave them (a resident keeps the site), then
    problems = [*skipped_problems(config, skipped), *site.problems]
    summary_problems = tuple(problems)
    problems.extend(site.contents.lost_problems())
    pages = add_pages(config, site, rendered, cache, request.validate)
    pages.update(add_news_sitemap(config, site, rendered))  # issue 16
    blocked = request.strict and bool(problems or rendered.findings or site.kept)
    planned = {*site.plan.paths(), *pages}
    if config.static_dir is not None:  # copied as they are (staticfiles.py)
        static = read_static(config.static_dir, config.display_path(config.static_dir), planned)
        rendered.files.update(static.files)
        planned.update(static.files)
        problems.extend(static.problems)
    remove_temp_files(config.output_dir)  # of killed builds, before anything is compared
    hold = request.dry_run or blocked
    if hold and patched is None:  # nothing saved: the shards this build wrote go
        discard_written(config.cache_dir, site.written)
    registry, touched = _registry(site, patched, previous_ids, same_ids, resident)
    report, owned = _publish_owned(config, cache, rendered, planned, request, hold)
    problems.extend(owned.problems)
    summary = summary_of(site, rendered, pages, summary_problems)
    if not hold:
        problems.extend(record_owned(config, planned, report, owned.before))
        ids_problems = record_ids(config, registry, previous_ids, touched)
        problems.extend(ids_problems)
        if resident is not None:
            resident.keep_ids(config.cache_dir, None if ids_problems else registry)
        feed_states = dict(rendered.states)
        feed_states.update(
            (p, FeedState(mark, size=0, mtime_ns=0))
            for p, mark in pages.items()
            if p not in rendered.refused
        )
        failure, saved = save_state(config, cache, site, rendered, feed_states, report, summary)
        if failure is not None:
            problems.append(failure)
        if resident is not None:
            resident.keep_cache(config.cache_dir, saved)
            resident.keep_site(config, saved, site)
    added, changed, removed = article_changes(previous_ids, registry, touched)
    if request.exiting:
        _leave_to_exit(site, cache, rendered, registry, previous_ids, pages)
    built = report_of(
        summary, request,
        files_total=site.files_total, files_read=site.files_read,
        problems=tuple(problems), findings=tuple(rendered.findings),
        refused=tuple(rendered.refused), publish=report, blocked=blocked, workers=processes,
    )  # fmt: skip
    return dataclasses.replace(built, added=added, changed=changed, removed=removed)


_LEFT_TO_EXIT: list[object] = []


def _leave_to_exit(*state: object) -> None:
    """Keep a build's `state` until the process exits, out of the cycle collector's sight:
    freed object by object it took a fifth of a second at 100,000 articles (issue 14)."""
    _LEFT_TO_EXIT.append(state)
    gc.freeze()


def _registry(
    site: Prepared,
    patched: Patched | None,
    previous: dict[str, Published] | None,
    same: dict[str, Published] | None,
    resident: Resident | None,
) -> tuple[dict[str, Published], set[str] | None]:
    """The registry of this build, and (for a patched one, and a fresh process's) the only
    sources whose entries may differ from the last (for `article_changes`); None: any may."""
    memo = None if resident is None else resident.registry
    digest, made = site.contents.digest, site.contents.reader_digest
    if memo is None and previous is not None:  # a fresh process
        return registry_again(site.articles, digest, made, previous)
    if same is None or memo is None or patched is None:
        return registry_of(site.articles, digest, memo, made), None
    swapped = patched.swapped
    registry = registry_swapped(same, swapped, digest, memo, made, patched.added, patched.removed)
    touched = {a.source for pair in swapped for a in pair}
    touched.update(a.source for a in patched.added)
    touched.update(patched.removed)
    return registry, touched


def _checked_ids(
    stages: _Stages, site: Prepared, patched: Patched | None
) -> tuple[dict[str, Published] | None, dict[str, Published] | None]:
    """The registry the last build saved, and the same again when `site` is the last build's
    patched (its ids, sources and links: none moved); raises `BuildError` when published
    articles would get new ids (issue 11)."""
    config, resident = stages.config, stages.resident
    kept = None if resident is None else resident.ids(config.cache_dir)
    previous = load_ids(config.cache_dir) if kept is None else kept
    same = kept if patched is not None else None
    # a patched site has the last one's ids, but for new articles when others went: a
    # renamed file's article may have a new id
    recheck = patched is not None and bool(patched.added and patched.removed)
    moved = []
    if previous is not None and (same is None or recheck):
        moved = new_ids(previous, site.articles)
    if moved and not stages.request.accept_new_ids:
        raise BuildError(describe(moved))
    return previous, same


def _patched(stages: _Stages, cache: BuildCache, bodies: RecordBodies) -> Patched | None:
    """The last build's site with reworded articles swapped in, when a resident kept it
    and only rewording happened (`sitepatch`); else None."""
    config, request, resident = stages.config, stages.request, stages.resident
    if resident is None or stages.kept is None or request.sources or config.sources:
        return None
    last = resident.last_site(config, cache)
    if last is None:
        return None
    previous, scanned = last
    return patch_site(config, previous, cache, scanned, request.now, stages.started_ns, bodies)


def validate_site(
    config: Config, *, now: datetime, sources: Sequence[RecordSource] = ()
) -> list[Finding]:
    """`feeds validate` site mode: every feed the content calls for exists in the output
    folder and round-trips (nothing written; the build cache only read). The content is
    read as the build reads it, and reported as the build reports it: the files skipped or
    refused and the articles kept at their last good version come first, as findings.
    `sources` as for `build_site`."""
    check_category_config(config)
    excluded_categories(config)
    skipped: Skipped = []
    with (
        opened_sources(config) as rows,
        record_store(config.cache_dir) as bodies,
        collector_paused(),  # as for a build
    ):
        files = _scan(config, skipped, [], None).files()
        cache = load_cache(config.cache_dir)
        site = prepare(
            config, cache, now, files=files, sources=(*rows, *sources), record_bodies=bodies
        )

        def fit(feed: FeedSpec, fmt: str) -> FeedSpec:
            if config.feeds.max_bytes is None:
                return feed
            return fit_feed(feed, fmt, config, site.contents)[0]

        # the build's memos: entries whose bytes it parsed are not parsed again, still
        # compared; bytes it linted are not linted again
        memo, lint = cache.saved_memo(), cache.saved_lint()
        checked = check_site(config.output_dir, site.plan, config, site.contents,
                             memo=memo, fit=fit, lint_memo=lint,
                             processes=worker_count())  # fmt: skip
    content = [*skipped_problems(config, skipped), *site.problems]
    content += site.contents.lost_problems()
    return content_findings(content, site.kept) + checked


def _stale(config: Config, cache: BuildCache, planned: set[str]) -> list[str]:
    """Files to remove: managed files under feeds/, and any other file this build wrote last
    time (the top-level discovery pages) that is no longer planned and is still as the
    build left it."""
    output = config.output_dir
    ours = {p for p, state in cache.feeds.items() if state.untouched(output / p)}
    return sorted((set(managed_files(output)) | ours) - planned)


@dataclasses.dataclass(frozen=True, slots=True)
class _Owned:
    before: frozenset[str]  # what the build owned when it started
    problems: tuple[Problem, ...]  # files it no longer publishes but did not write


def _publish_owned(
    config: Config,
    cache: BuildCache,
    rendered: Rendered,
    planned: set[str],
    request: BuildRequest,
    hold: bool,
) -> tuple[PublishReport, _Owned]:
    """Publish, but never over or instead of a file the build did not write (issue 11): one
    in the way is reported as failed, one no longer planned is left with a warning."""
    output = config.output_dir
    owned = read_owned(output) | set(cache.feeds)
    blocked = in_the_way(output, rendered.files, owned, request.adopt)
    files = {p: data for p, data in rendered.files.items() if p not in blocked}
    stale, theirs = removable(_stale(config, cache, planned), owned, request.adopt)
    report = publish_files(output, files, stale=stale, dry_run=hold)
    if blocked:
        failed = tuple(sorted((*report.failed, *blocked.items())))
        report = dataclasses.replace(report, failed=failed)
    problems = tuple(
        Problem(
            config.display_path(output / path),
            "file",
            None,
            "is no longer published but feeds did not write it, so it is left in place; "
            f"remove it, or pass --adopt {config.display_path(output / path)} to let the "
            "build remove it",
            Level.WARNING,
        )
        for path in theirs
    )
    return report, _Owned(owned, problems)


def _scan(
    config: Config,
    skipped: Skipped,
    excluded: list[str],
    resident: Resident | None,
    manifest: Manifest | None = None,
) -> Scanned:
    """The content files; none when `sources:` stand instead of a content folder (issue 18).
    A resident updates its last scan when it can; a big site's scan is shared by processes
    (`scanshares`) when the last build's `manifest` is given. Below a folder that cannot be
    listed, the files the last build read stay (`with_unread_kept`)."""
    if config.sources and not config.content_dir.exists():
        return Scanned.of([])
    unreadable: list[str] = []
    if resident is None:
        scanned = scan_shared(config, manifest, skipped, excluded, unreadable)
        if not unreadable:
            return scanned
        return Scanned.of(_unread_kept(config, scanned.files(), unreadable, manifest, excluded))

    def full(skipped: Skipped, excluded: list[str], links: list[str]) -> Stats:
        exclude = config.content_exclude
        files = scan_content(config.content_dir, skipped, exclude, excluded, links, unreadable)
        return _unread_kept(config, files, unreadable, manifest, excluded)

    files, left_out, kept_out = resident.scan(config, full)
    skipped.extend(left_out)
    excluded.extend(kept_out)
    return Scanned.of(files)


def _unread_kept(
    config: Config,
    files: Stats,
    unreadable: list[str],
    manifest: Manifest | None,
    excluded: list[str],
) -> Stats:
    if not unreadable:
        return files
    last = load_manifest(config.cache_dir) if manifest is None else manifest  # `feeds validate`
    stats = None if last is None else last.stats
    return with_unread_kept(files, unreadable, stats, config.content_exclude, excluded)


def _changed(manifest: Manifest | None, scanned: Scanned, resident: Resident | None) -> int:
    """How many content files do not have the stat the last build took (`changed_stats`):
    as the scan counted it, or a resident from what it kept, or counted now."""
    if scanned.changed is not None:
        return scanned.changed
    counted = None if resident is None else resident.changed_count(manifest, scanned.files())
    if counted is None:
        counted = changed_stats(manifest, scanned.files())
    if resident is not None:
        resident.note_count(manifest, scanned.files(), counted)
    return counted
