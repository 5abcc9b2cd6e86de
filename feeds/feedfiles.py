"""The feed files of a plan: each reused when its fingerprint (everything its bytes depend
on) and its file are as the cache says, else rendered, linted and round-tripped.

With several processes (`feeds.parallel`) the feeds are dealt out by format (an entry's bytes
recur only within one format, so each process parses each of its entries once), each process
given the entry content and memo entries it needs; a small site with a few changed feeds forks
one worker late, which inherits them instead. Results are put together in the plan's order,
so the output never depends on the number of processes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from feeds.body import EntryContent
from feeds.cache import BuildCache, FeedState
from feeds.codec import pickle_by_constructor
from feeds.config import Config
from feeds.contents import ContentSource
from feeds.findings import Finding, Severity, has_errors
from feeds.keys import Fingerprints
from feeds.layout import INDEX_PATH, OPML_PATH
from feeds.lintmemo import LintEntry, LintMemo
from feeds.model import Progress
from feeds.pages import render_feed_page, render_index, render_opml, render_pages
from feeds.parallel import Workers, feed_shares, run_inherited, worker_count
from feeds.plan import FeedSpec, SitePlan
from feeds.render import ContentFn, fit_feed
from feeds.validate import check_file
from feeds.views import EntryView

pickle_by_constructor(EntryView, FeedSpec, Finding)

# A build with few files to read forks a worker to render feeds when they hold this many
# entries in all (about ten full feeds: below, the fork costs what it saves, measured), if the
# site is small enough that a fork is cheap (a forked process shares its parent's memory, but
# the resident set of each counts all of it).
LATE_FORK_ENTRIES = 500
LATE_FORK_FILES = 30_000


@dataclass(slots=True)
class Rendered:
    files: dict[str, bytes] = dataclasses.field(default_factory=dict)
    findings: list[Finding] = dataclasses.field(default_factory=list)
    refused: list[str] = dataclasses.field(default_factory=list)
    states: dict[str, FeedState] = dataclasses.field(default_factory=dict)
    cut: list[tuple[str, int, int]] = dataclasses.field(default_factory=list)
    memo: dict[bytes, EntryView] = dataclasses.field(default_factory=dict)
    feed_memo: dict[str, tuple[bytes, ...]] = dataclasses.field(default_factory=dict)
    lint_memo: dict[str, LintEntry] = dataclasses.field(default_factory=dict)  # by path
    fingerprints: dict[str, str] = dataclasses.field(default_factory=dict)  # by path
    processes: int = 1  # that rendered feeds

    def reuse(
        self,
        path: str,
        state: FeedState,
        memo_keys: tuple[bytes, ...],
        entries: int,
        linted: LintEntry | None = None,
    ) -> None:
        """The file at `path` stays as published (`state`, read by `memo_keys` last time,
        linted as `linted`); `entries` is how many its feed holds before any cut."""
        self.states[path] = state
        self.feed_memo[path] = memo_keys
        if linted is not None:
            self.lint_memo[path] = linted
        if state.kept is not None:
            self.cut.append((path, state.kept, entries))

    def add(
        self, path: str, fingerprint: str, result: JobResult, entries: int, validate: bool
    ) -> None:
        """The file at `path` as rendered (`result`); when `validate` and its findings have an
        error it is refused (not published, no state)."""
        kept, data, found, used, linted = result
        self.feed_memo[path] = used
        if kept is not None:
            self.cut.append((path, kept, entries))
        if validate:
            self.findings.extend(found)
            if has_errors(found):
                self.refused.append(path)
                return
        self.files[path] = data
        self.states[path] = FeedState(fingerprint, size=len(data), mtime_ns=0, kept=kept)
        if linted is not None:
            self.lint_memo[path] = linted


class _MemoUse(dict[bytes, EntryView]):
    """The round-trip memo (`validate.EntryMemo`), noting the keys the checks read since
    `used` was last reset: the entries of the feed just checked, kept for the next build.
    `linted`: the lint memo entries of the files to render, as the last build left them."""

    def __init__(
        self, known: Mapping[bytes, EntryView], linted: Mapping[str, LintEntry] | None = None
    ) -> None:
        super().__init__(known)
        self.used: dict[bytes, None] = {}
        self.linted = dict(linted or {})

    def __getitem__(self, key: bytes) -> EntryView:
        self.used[key] = None
        return super().__getitem__(key)


Job = tuple[FeedSpec, str, str]  # feed, format, path
JobResult = tuple[int | None, bytes, tuple[Finding, ...], tuple[bytes, ...], LintEntry | None]
# (entries kept when cut by max_bytes, the bytes, the findings, the memo keys the check read,
# the file's lint for the lint memo)


def _render_jobs(
    config: Config, jobs: Sequence[Job], content: ContentFn, memo: _MemoUse, validate: bool
) -> list[JobResult]:
    """Render, lint and round-trip each feed file (in a worker or here)."""
    from feeds.render.budget import oversize_entry  # loaded with the writers, not before

    results: list[JobResult] = []
    for feed, fmt, path in jobs:
        memo.used = {}
        fitted, data = fit_feed(feed, fmt, config, content)
        kept = None if fitted is feed else len(fitted.entries)
        lint = LintMemo([memo.linted[path]] if path in memo.linted else [])  # same bytes?
        found = (
            check_file(data, fmt, fitted, config, content, file=path, memo=memo, lint_memo=lint)
            if validate
            else []
        )
        if over := oversize_entry(fitted, data, config):
            warning = Finding(path, "max-bytes", Severity.WARNING, over, entry=fitted.entries[0].id)
            found = [*found, warning]
        results.append((kept, data, tuple(found), tuple(memo.used), lint.last))
    return results


def _render_in_worker(
    config: Config,
    jobs: list[Job],
    contents: dict[str, EntryContent],
    memo: dict[bytes, EntryView],
    validate: bool,
    linted: dict[str, LintEntry] | None = None,
) -> tuple[list[JobResult], dict[bytes, EntryView]]:
    """A worker's share of the feeds: the results, and the memo entries it parsed."""
    known = _MemoUse(memo, linted)
    results = _render_jobs(config, jobs, lambda article: contents[article.source], known, validate)
    return results, {key: view for key, view in known.items() if key not in memo}


def render_all(
    config: Config,
    plan: SitePlan,
    cache: BuildCache,
    contents: ContentSource,
    validate: bool,
    progress: Progress | None,
    pool: Workers,
    workers: int | None = None,
    fingerprints: Fingerprints | None = None,
) -> Rendered:
    """Every feed file of the plan: reused when its fingerprint and file are as the cache
    says, else rendered, linted and round-tripped (on the pool's processes when it has
    several; on two forked late when only a few feeds change on a small site). A resident
    gives the `fingerprints` it keeps (`Resident.fingerprints`)."""
    out = Rendered()
    jobs = [(feed, fmt) for feed in plan.feeds for fmt in plan.formats]
    jobs += plan.archive_jobs()
    fingerprint_of = fingerprints or Fingerprints(config, contents.digest, contents.stand_in)
    decided, todo = _decide(config, cache, jobs, fingerprint_of, out.fingerprints)
    # The memo entries the feeds to render had last time (read from the cache's shards).
    memo = _MemoUse(
        {
            key: view
            for _, _, path in todo
            for key in cache.feed_memo.get(path, ())
            if (view := cache.memo.get(key)) is not None
        },
        {path: e for _, _, path in todo if (e := cache.lint_memo.get(path)) is not None},
    )
    results: dict[str, JobResult] = {}
    if pool.count > 1 and len(todo) > 1:
        results = _render_on_workers(config, todo, cache, contents, validate, pool, memo)
    elif (
        sum(len(feed.entries) for feed, _, _ in todo) >= LATE_FORK_ENTRIES
        and len(cache.files) <= LATE_FORK_FILES
        and worker_count(workers) > 1
    ):
        results, out.processes = _render_forked_late(config, todo, contents, validate, memo)
    for done, ((feed, fmt), (path, fingerprint, before)) in enumerate(
        zip(jobs, decided, strict=True), 1
    ):
        if progress is not None:
            progress("render", done, len(jobs))
        if before is not None:
            used = cache.feed_memo.get(path, ())
            out.reuse(path, before, used, len(feed.entries), cache.lint_memo.get(path))
            continue
        result = results.get(path)
        if result is None:
            (result,) = _render_jobs(config, [(feed, fmt, path)], contents, memo, validate)
        out.add(path, fingerprint, result, len(feed.entries), validate)
    out.memo = dict(memo)
    return out


def _decide(
    config: Config,
    cache: BuildCache,
    jobs: list[tuple[FeedSpec, str]],
    fingerprint_of: Fingerprints,
    fingerprints: dict[str, str],
) -> tuple[list[tuple[str, str, FeedState | None]], list[Job]]:
    """For each (feed, format): its path, fingerprint (also put in `fingerprints`, by path)
    and the cached state when that file is reused, else None; and the jobs to render."""
    decided: list[tuple[str, str, FeedState | None]] = []
    todo: list[Job] = []
    for feed, fmt in jobs:
        path = feed.path(fmt)
        fingerprint = fingerprints[path] = fingerprint_of(feed, fmt)
        before = cache.feeds.get(path)
        if (
            before is not None
            and before.fingerprint == fingerprint
            and before.untouched(config.output_dir / path)
        ):
            decided.append((path, fingerprint, before))
        else:
            decided.append((path, fingerprint, None))
            todo.append((feed, fmt, path))
    return decided, todo


def _render_on_workers(
    config: Config,
    todo: list[Job],
    cache: BuildCache,
    contents: ContentSource,
    validate: bool,
    pool: Workers,
    memo: _MemoUse,
) -> dict[str, JobResult]:
    """Share the feeds among the pool's processes (see `_shares`); each gets the entry content
    and memo entries it needs."""
    contents.prefetch((a for feed, _, _ in todo for a in feed.entries), pool)
    shares = []
    for indexes in _shares(todo, pool.count):
        share = [todo[index] for index in indexes]
        wanted = {a.source: contents(a) for feed, _, _ in share for a in feed.entries}
        known = {
            key: memo[key]
            for _, _, path in share
            for key in cache.feed_memo.get(path, ())
            if key in memo
        }
        linted = {path: memo.linted[path] for _, _, path in share if path in memo.linted}
        shares.append((config, share, wanted, known, validate, linted))
    results: dict[str, JobResult] = {}
    for (_, share, *_), (done, parsed) in zip(
        shares, pool.run(_render_in_worker, shares), strict=True
    ):
        memo.update(parsed)
        for (_, _, path), result in zip(share, done, strict=True):
            results[path] = result
    return results


def _shares(todo: Sequence[Job], count: int) -> list[list[int]]:
    """The feeds (indexes into `todo`) for each of `count` processes (`feed_shares`)."""
    return feed_shares([(fmt, feed.key, len(feed.entries)) for feed, fmt, _ in todo], count)


def _render_forked_late(
    config: Config, todo: list[Job], contents: ContentSource, validate: bool, memo: _MemoUse
) -> tuple[dict[str, JobResult], int]:
    """Render the feeds here and on one worker forked now, which inherits the feeds, their
    entry content (computed first, once) and the memo instead of receiving them."""
    contents.prefetch((a for feed, _, _ in todo for a in feed.entries), Workers(1))

    def share(indexes: list[int]) -> tuple[list[JobResult], dict[bytes, EntryView]]:
        """The results of some feeds, and the memo entries their checks parsed."""
        mine = _MemoUse(memo, memo.linted)
        jobs = [todo[index] for index in indexes]
        results = _render_jobs(config, jobs, contents, mine, validate)
        return results, {key: view for key, view in mine.items() if key not in memo}

    shares = [(indexes,) for indexes in _shares(todo, 2)]
    done, processes = run_inherited(share, shares)
    results: dict[str, JobResult] = {}
    for (indexes,), (share_results, parsed) in zip(shares, done, strict=True):
        memo.update(parsed)
        for index, result in zip(indexes, share_results, strict=True):
            results[todo[index][2]] = result
    return results, processes


def render_changed_pages(
    plan: SitePlan, config: Config, pages: Mapping[str, str], cache: BuildCache
) -> dict[str, bytes]:
    """The discovery pages (`pages.render_pages`) whose fingerprint or file changed."""

    def stale(path: str) -> bool:
        before = cache.feeds.get(path)
        return not (
            before is not None
            and before.fingerprint == pages[path]
            and before.untouched(config.output_dir / path)
        )

    if all(stale(path) for path in pages):
        return render_pages(plan, config)
    files: dict[str, bytes] = {}
    if stale(INDEX_PATH):
        files[INDEX_PATH] = render_index(plan, config)
    if stale(OPML_PATH):
        files[OPML_PATH] = render_opml(plan, config)
    for feed in plan.feeds:
        if stale(feed.page_path()):
            files[feed.page_path()] = render_feed_page(feed, plan, config)
    return files
